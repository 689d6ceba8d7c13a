// `npm run bench -- letters-http`: latency of the issuing request, POST /api/v1/dossiers/:code/apology,
// over real HTTP against the app on PostgreSQL — eligibility, the cap, the number, the PDF render,
// storage of the bytes and the audit entry, all in one transaction. On a fresh database of the
// server bench/postgres.ts gives (BENCH_DATABASE_URL or TEST_DATABASE_URL, else a throw-away one on
// PG_PORT, default 55439), dropped after.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { storedCalendar } from "../src/calendar/store.js";
import { type Db, queryRows } from "../src/db/client.js";
import { letterRenderThread } from "../src/letters/render-thread.js";
import { loadLetterFonts } from "../src/pdf/fonts.js";
import { fixedClock } from "../src/runtime/clock.js";
import { createLogger } from "../src/runtime/logger.js";
import { BUILDING_PERMIT, canonicalRecord } from "../test/helpers/records.js";
import { startSeededServer } from "../test/helpers/server.js";
import { type ClientRequest, type ClientRun, fromClientProcess } from "./http-client.js";
import { benchPostgres } from "./postgres.js";

const WARM_UP = 50;
const SEQUENTIAL = 600;
const CONCURRENT = 800;
const IN_FLIGHT = 4;
const DOWNLOADS = 300;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

interface Run {
  count: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** This process's CPU time per request (server and client), in ms: the figure load disturbs least. */
  cpuMs: number;
  /** PostgreSQL's CPU time per request (its backends for this database), in ms; NaN when unknown. */
  pgCpuMs: number;
  /** The client process's CPU time per request, in ms; NaN when the requests were made in process. */
  clientCpuMs: number;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" })) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time so far (ms) of each PostgreSQL backend serving this database, read from /proc: only
 * when the server runs on this (Linux) machine, else an empty map.
 */
async function backendCpuMs(db: Db): Promise<Map<number, number>> {
  const rows = await queryRows<{ pid: number }>(
    db,
    sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // After "pid (comm) ", fields 14 and 15 of the line (utime, stime) are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpu.set(Number(pid), ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    } catch {
      // not on this machine, or the backend has gone
    }
  }
  return cpu;
}

function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  if (after.size === 0) return Number.NaN;
  let ms = 0;
  for (const [pid, total] of after) ms += total - (before.get(pid) ?? 0);
  return ms;
}

/** In-process calls of `call(i)`, one at a time: the latency of each, in ms. */
async function oneAtATime(count: number, call: (i: number) => Promise<void>): Promise<ClientRun> {
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call(i);
    latencies.push(performance.now() - started);
  }
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

/** What `work` costs: its latencies and rate, this process's and PostgreSQL's CPU per request. */
async function measure(db: Db, work: () => Promise<ClientRun>): Promise<Run> {
  const pg0 = await backendCpuMs(db);
  const cpu0 = process.cpuUsage();
  const { latencies, seconds, cpuMs: clientMs } = await work();
  const cpu = process.cpuUsage(cpu0);
  const pgCpu = cpuSpent(pg0, await backendCpuMs(db));
  const count = latencies.length;
  latencies.sort((a, b) => a - b);
  return {
    count,
    seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    max: latencies[latencies.length - 1],
    cpuMs: (cpu.user + cpu.system) / 1000 / count,
    pgCpuMs: pgCpu / count,
    clientCpuMs: clientMs === undefined ? Number.NaN : clientMs / count,
  };
}

export async function run(): Promise<string> {
  const load = loadavg()[0];
  const pg = benchPostgres("55439");
  // Tue 11/2/2025 09:00: every seeded dossier (binding due Fri 7/2 10:00) is overdue.
  // The service as server.ts runs it: letters drawn on its render thread.
  const renderThread = letterRenderThread(await loadLetterFonts());
  const server = await startSeededServer({
    serverUrl: pg.url,
    clock: fixedClock(new Date("2025-02-11T09:00:00+07:00")),
    logger: createLogger("silent"),
    procedures: [BUILDING_PERMIT],
    // The service as it runs, without the suite's check of every answer against the document.
    deps: { responseContract: undefined, letterRenderer: renderThread.render },
  });
  try {
    const { db } = server.database;
    const { tokens } = server;
    const total = WARM_UP + SEQUENTIAL + CONCURRENT;
    const codes = Array.from(
      { length: total },
      (_, i) => `000.20.20.H47-250124-${String(i + 1).padStart(5, "0")}`,
    );
    for (let i = 0; i < codes.length; i += 1000) {
      await server.sync(codes.slice(i, i + 1000).map((code) => canonicalRecord({ code })));
    }
    const body = {
      reason: "Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế về quy hoạch sử dụng đất",
      newDueAt: "2025-02-14T16:00:00+07:00",
      signerName: "Lê Văn Cường",
      signerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    };
    const issues = (from: number, count: number): ClientRequest[] =>
      codes.slice(from, from + count).map((code) => ({
        path: `/api/v1/dossiers/${code}/apology`,
        method: "POST",
        token: tokens.officerA,
        json: body,
        expect: 201,
      }));
    const send = (requests: ClientRequest[], inFlight: number) => () =>
      fromClientProcess(server.baseUrl, requests, inFlight);
    await measure(db, send(issues(0, WARM_UP), 1));
    const sequential = await measure(db, send(issues(WARM_UP, SEQUENTIAL), 1));
    const concurrent = await measure(db, send(issues(WARM_UP + SEQUENTIAL, CONCURRENT), IN_FLIGHT));
    const downloads = Array.from({ length: DOWNLOADS }, (_, i) => ({
      path: `/api/v1/letters/${1 + (i % total)}/pdf`,
      token: tokens.officerA,
      expect: 200,
    }));
    const download = await measure(db, send(downloads, 1));
    const calendar = await measure(db, () => oneAtATime(DOWNLOADS, () => storedCalendar(db).then(() => {})));
    const ms = (v: number) => (Number.isNaN(v) ? "—" : v.toFixed(1));
    const row = (label: string, r: Run) =>
      `| ${label} | ${r.count} | ${r.p50.toFixed(1)} | **${r.p95.toFixed(1)}** | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${(r.count / r.seconds).toFixed(0)} | ${r.cpuMs.toFixed(1)} | ${ms(r.pgCpuMs)} | ${ms(r.clientCpuMs)} |`;
    return `## Issuing a letter over HTTP (\`letters-http\`)

\`npm run bench -- letters-http\` (source: \`bench/letters-http.ts\`) — \`POST /api/v1/dossiers/:code/apology\`
over real HTTP on loopback against the app on PostgreSQL (${pg.url.includes("127.0.0.1") ? "a local server" : "the configured server"}),
the client in a process of its own (\`bench/http-client.mjs\`), the server as \`src/server.ts\` runs it, letters drawn on
its render thread: token check, the dossier and its pauses loaded and its deadlines
recomputed as of now, eligibility and the new appointment checked, the letter row (the cap), the
agency-year counter, the PDF rendered (pdfkit, Tinos embedded), bytes and SHA-256 stored, the audit
entry — one transaction per request. All letters belong to one agency, so concurrent requests also
contend for its counter row (the worst case). Then the stored PDF downloaded back.
1-minute load average at the start: ${load.toFixed(1)} (a shared machine: other work inflates the tail).

| run | requests | p50 ms | p95 ms | p99 ms | max ms | requests/s | CPU ms / request: Node | PostgreSQL | client |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${row("issue, one at a time", sequential)}
${row(`issue, ${IN_FLIGHT} in flight`, concurrent)}
${row("GET …/pdf (stored bytes), one at a time", download)}
${row("within each issue: `storedCalendar` (the calendar's freshness check)", calendar)}

Targets: p95 of the issuing request under 100 ms one at a time; with ${IN_FLIGHT} in flight, at least 150 letters/s
with p95 under 60 ms — measured ${(concurrent.count / concurrent.seconds).toFixed(0)}/s and ${concurrent.p95.toFixed(1)} ms: ${concurrent.count / concurrent.seconds >= 150 && concurrent.p95 < 60 ? "**met**" : "not met"}. The server runs as
the service does (no check of each answer against the OpenAPI document, which the suite adds); letters are unsigned here
(no signing key configured, as by default): \`npm run bench -- letters\` measures signing. The CPU columns are the CPU time spent per request
by the server's process (its event loop and its render thread; not the client's) and by the PostgreSQL backends of the benchmark's
database (read from /proc), and by the client's process (\`node:http\`, one kept-alive socket per request in flight): unlike the latencies, they do not grow when other work on the machine
makes the request wait for a core. The last row is one step of every issue measured alone: before its
transaction an issue asks whether the stored calendar changed (an md5 over every stored calendar day).`;
  } finally {
    await server.close();
    await renderThread.close();
    pg.down();
  }
}
