// Requests sent from a client process of its own (http-client.mjs), `inFlight` at a time: the
// latency of each, in ms, in the order they completed, and the seconds from the first request
// sent to the last answer read (the client's start-up left out).
import { fork } from "node:child_process";

export interface ClientRequest {
  path: string;
  method?: string;
  token: string;
  json?: unknown;
  /** The status every answer must have; any other ends the run. */
  expect: number;
}

export interface ClientRun {
  latencies: number[];
  seconds: number;
  /** The client process's CPU time over the run, in ms (absent: the requests were made in process). */
  cpuMs?: number;
}

export async function fromClientProcess(
  baseUrl: string,
  requests: readonly ClientRequest[],
  inFlight: number,
): Promise<ClientRun> {
  const child = fork(new URL("./http-client.mjs", import.meta.url), { stdio: "inherit" });
  try {
    return await new Promise<ClientRun>((resolve, reject) => {
      child.once("message", (answer: Partial<ClientRun> & { error?: string }) =>
        answer.latencies && answer.seconds !== undefined
          ? resolve({ latencies: answer.latencies, seconds: answer.seconds, cpuMs: answer.cpuMs })
          : reject(new Error(answer.error)),
      );
      child.once("exit", (code) => reject(new Error(`the client process ended (${code})`)));
      child.send({ baseUrl, requests, inFlight });
    });
  } finally {
    child.kill();
  }
}
