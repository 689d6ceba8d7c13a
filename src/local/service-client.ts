// A CLI's way into the service that owns DATA_DIR: its loopback URL and the local admin token it
// wrote into the lock file (data-dir-lock.ts). Requests carry the token; a 503 (the database busy
// or restarting) is waited out as its Retry-After says, a few times, since the CLI's work is
// idempotent (sync) or refused while running (sweep).
import type { LockHolder } from "./data-dir-lock.js";

export interface ServiceAnswer {
  status: number;
  body: unknown;
}

export interface LocalService {
  /** Who holds DATA_DIR, as the lock file says (pid, command, since). */
  holder: LockHolder;
  request(method: string, path: string, json?: unknown): Promise<ServiceAnswer>;
}

const RETRIES_ON_503 = 5;

export function localService(holder: LockHolder & { url: string; token: string }): LocalService {
  const send = async (
    method: string,
    path: string,
    json: unknown,
    attempt: number,
  ): Promise<ServiceAnswer> => {
    const response = await fetch(new URL(path, holder.url), {
      method,
      headers: {
        authorization: `Bearer ${holder.token}`,
        ...(json === undefined ? {} : { "content-type": "application/json" }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    if (response.status === 503 && attempt < RETRIES_ON_503) {
      const seconds = Number(response.headers.get("retry-after") ?? 1);
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(seconds, 1), 10) * 1000));
      return send(method, path, json, attempt + 1);
    }
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the message.
    }
    return { status: response.status, body };
  };
  return { holder, request: (method, path, json) => send(method, path, json, 0) };
}

/** The error message of an answer in the API's one shape, or its text. */
export function answerMessage(answer: ServiceAnswer): string {
  const error = (answer.body as { error?: { message?: string } } | null)?.error;
  return `${answer.status}${error?.message ? `: ${error.message}` : ""}`;
}
