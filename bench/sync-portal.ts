// (d) and (e) of `npm run bench -- sync`: the same dossiers pushed over HTTP as one-stop systems
// push them, 5,000 records a request, two requests in flight, into src/server.ts in its own
// process (as `npm start` runs it) on PostgreSQL: (d) the portal's protocol, POST
// /api/v1/sync/dvcqg envelopes ({ service: "DongBoHoSoMC", data }); (e) our own push, POST
// /api/v1/sync/dossiers ({ format: "canonical", records }). The client only joins NDJSON lines
// into bodies, so what is measured is the service.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { startServer } from "./reliability/infra.js";

export const PUSH_BATCH = 5_000;
const CLIENTS = 2;
const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";

interface Answer {
  error_code?: string;
  inserted: number;
  rejected: unknown[];
}

/** How a protocol carries a batch of records: its route and the body around the records. */
export interface PushProtocol {
  path: string;
  wrap(records: string): string;
}

export const PORTAL: PushProtocol = {
  path: "/api/v1/sync/dvcqg",
  wrap: (records) => `{"service":"DongBoHoSoMC","data":[${records}]}`,
};

export const CANONICAL_PUSH: PushProtocol = {
  path: "/api/v1/sync/dossiers",
  wrap: (records) => `{"format":"canonical","records":[${records}]}`,
};

/** CPU seconds a process has used (utime + stime of /proc/<pid>/stat). */
async function cpuSecondsOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Bodies of PUSH_BATCH lines of an NDJSON dump, read as they are sent. */
async function* bodies(
  dump: string,
  protocol: PushProtocol,
): AsyncGenerator<{ body: string; records: number }> {
  let lines: string[] = [];
  const body = () => protocol.wrap(lines.join(","));
  for await (const line of createInterface({ input: createReadStream(dump) })) {
    if (line.trim() === "") continue;
    lines.push(line);
    if (lines.length === PUSH_BATCH) {
      yield { body: body(), records: lines.length };
      lines = [];
    }
  }
  if (lines.length > 0) yield { body: body(), records: lines.length };
}

export interface HttpPush {
  records: number;
  inserted: number;
  ms: number;
  serverCpuS: number;
  /** The server process's peak resident memory (VmHWM), start-up included. */
  serverPeakMb: number;
}

/** A process's peak resident set size in MB (VmHWM of /proc/<pid>/status). */
async function peakMbOf(pid: number): Promise<number> {
  const kb = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1];
  return Math.round(Number(kb) / 1024);
}

export async function pushOverHttp(
  databaseUrl: string,
  dump: string,
  protocol: PushProtocol,
): Promise<HttpPush> {
  const server = await startServer({ DATABASE_URL: databaseUrl, ADMIN_TOKEN });
  try {
    const created = await fetch(`${server.baseUrl}/api/v1/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Một cửa (bench)", role: "system" }),
    });
    const { token } = (await created.json()) as { token: string };
    const pid = server.child.pid as number;
    const cpuBefore = await cpuSecondsOf(pid);
    const source = bodies(dump, protocol);
    let next = Promise.resolve();
    // One reader for both clients: each takes the next body in turn.
    const take = () => {
      const taken = next.then(() => source.next());
      next = taken.then(() => undefined);
      return taken;
    };
    const totals = { records: 0, inserted: 0 };
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let item = await take(); !item.done; item = await take()) {
          const response = await fetch(`${server.baseUrl}${protocol.path}`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: item.value.body,
          });
          const answer = (await response.json()) as Answer;
          if (response.status !== 200 || (answer.error_code ?? "0") !== "0") {
            throw new Error(
              `the push to ${protocol.path} was refused (${response.status}): ${JSON.stringify(answer).slice(0, 500)}`,
            );
          }
          totals.records += item.value.records;
          totals.inserted += answer.inserted;
        }
      }),
    );
    const ms = performance.now() - started;
    const serverCpuS = (await cpuSecondsOf(pid)) - cpuBefore;
    return { ...totals, ms, serverCpuS, serverPeakMb: await peakMbOf(pid) };
  } finally {
    await server.stop();
  }
}
