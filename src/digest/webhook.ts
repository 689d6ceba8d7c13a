// After each sweep, each agency's digest is POSTed as JSON to its digest_webhook_url. A receiver
// that fails or hangs costs a timeout and one retry; failures are reported, never thrown, so that
// a broken receiver cannot fail the sweep. Error messages name the agency, never the URL (which
// may carry a secret).
import { sql } from "drizzle-orm";
import { localIsoDateOf } from "../calendar/dates.js";
import { type Db, queryRows, textArray } from "../db/client.js";
import { type AgencyDigest, buildDigests } from "./digest.js";

export interface WebhookOptions {
  timeoutMs: number;
  /** How many agencies are posted to at once. */
  concurrency?: number;
}

export interface WebhookOutcome {
  posted: number;
  failed: number;
  errors: string[];
}

async function postOnce(url: string, body: string, timeoutMs: number): Promise<string | null> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (error) {
    return error instanceof Error && error.name === "TimeoutError"
      ? `no answer within ${timeoutMs} ms`
      : "unreachable";
  }
}

/** Posts one digest, retrying once; the reason of the last failure, or null when delivered. */
async function deliver(url: string, digest: object, timeoutMs: number) {
  const body = JSON.stringify(digest);
  const first = await postOnce(url, body, timeoutMs);
  if (first === null) return null;
  const second = await postOnce(url, body, timeoutMs);
  return second === null ? null : `${first}, then ${second}`;
}

export async function postDigests(
  db: Db,
  input: { asOf: Date; sweepId: number },
  options: WebhookOptions,
): Promise<WebhookOutcome> {
  const hooks = await queryRows<{ code: string; url: string }>(
    db,
    sql`SELECT code, digest_webhook_url AS url FROM agencies WHERE digest_webhook_url IS NOT NULL ORDER BY code`,
  );
  const outcome: WebhookOutcome = { posted: 0, failed: 0, errors: [] };
  if (hooks.length === 0) return outcome;
  const codes = hooks.map((h) => h.code);
  const digests = await buildDigests(db, {
    asOf: input.asOf,
    date: localIsoDateOf(input.asOf.getTime()),
    where: sql`d.agency_code = ANY(${textArray(codes)})`,
    always: codes,
  });
  const digestOf = new Map<string, AgencyDigest>(digests.map((d) => [d.agency.code, d]));
  const queue = [...hooks];
  const worker = async () => {
    for (let hook = queue.shift(); hook; hook = queue.shift()) {
      const digest = digestOf.get(hook.code);
      const failure = await deliver(hook.url, { sweepId: input.sweepId, ...digest }, options.timeoutMs);
      if (failure === null) outcome.posted++;
      else {
        outcome.failed++;
        outcome.errors.push(`digest webhook of agency ${hook.code}: ${failure}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, hooks.length) }, worker));
  return outcome;
}
