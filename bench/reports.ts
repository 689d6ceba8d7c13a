// `npm run bench -- reports`: the year's repeat-lateness and compliance reports on PostgreSQL with
// 1,000,000 dossiers and 5,000,000 steps (bench/dataset.ts), each one SQL statement run through the
// same function the HTTP route calls. Needs a PostgreSQL server on this machine: BENCH_DATABASE_URL
// or TEST_DATABASE_URL (e.g. from .ci/pg.sh's pg_up); the benchmark creates and drops its own
// database there (BENCH_KEEP=1 keeps it and reuses it on the next run).
//
// Two figures per report: the wall-clock time as a client sees it (parallel plans allowed), and the
// CPU time of the one server process that runs it with parallelism off — the work the report costs,
// which other load on a shared machine does not inflate (read from /proc, so the server must be local).
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Principal } from "../src/auth/principal.js";
import { prepareDatabase } from "../src/calendar/prepare-database.js";
import { findAgency } from "../src/catalog/agencies.js";
import { type Database, type Db, openDatabase, queryRows } from "../src/db/client.js";
import { complianceReport } from "../src/reports/compliance.js";
import { type RepeatLatenessReport, repeatLatenessReport } from "../src/reports/repeat-lateness.js";
import { DATASET_DEFAULTS, datasetCounts, loadDataset } from "./dataset.js";

const DATABASE = "osm_bench_reports";
const RUNS = 5;
const FROM = new Date("2025-01-01T00:00:00+07:00");
const TO = new Date("2026-01-01T00:00:00+07:00");
const AS_OF = DATASET_DEFAULTS.cutAt;
/** BENCH_REPORT_DOSSIERS=100000 runs a smaller province, to iterate quickly. */
const DATASET = {
  ...DATASET_DEFAULTS,
  dossiers: Number(process.env.BENCH_REPORT_DOSSIERS ?? DATASET_DEFAULTS.dossiers),
};
const TARGET_MS = 2000;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

const ADMIN: Principal = {
  userId: 0,
  name: "bench",
  role: "admin",
  scopeKind: "all",
  scopeAgencyCode: null,
  scopePath: null,
};

function databaseUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function benchDatabase(serverUrl: string, keep: boolean) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const exists = (await admin`SELECT 1 FROM pg_database WHERE datname = ${DATABASE}`).length > 0;
  if (exists && !keep) await admin.unsafe(`DROP DATABASE ${DATABASE} WITH (FORCE)`);
  if (!exists || !keep) await admin.unsafe(`CREATE DATABASE ${DATABASE}`);
  const database = await openDatabase({ databaseUrl: databaseUrl(serverUrl), maxConnections: 4 });
  return {
    database,
    async close() {
      await database.close();
      if (!keep) await admin.unsafe(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** One connection with parallel plans off, and the CPU time its server process has used so far. */
async function serialConnection(serverUrl: string): Promise<{ database: Database; cpuMs(): number }> {
  const database = await openDatabase({ databaseUrl: databaseUrl(serverUrl), maxConnections: 1 });
  await database.db.execute(sql`SET max_parallel_workers_per_gather = 0`);
  const [{ pid }] = await queryRows<{ pid: number }>(database.db, sql`SELECT pg_backend_pid() AS pid`);
  return {
    database,
    cpuMs() {
      // Fields 14 and 15 (utime, stime) after the command name, which ends with ")".
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    },
  };
}

interface Timing {
  name: string;
  wallMedian: number;
  wallBest: number;
  cpuMedian: number;
  result: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

type Case = [string, (db: Db) => Promise<string>];

async function measure(
  [name, report]: Case,
  pooled: Db,
  serial: Awaited<ReturnType<typeof serialConnection>>,
) {
  let result = await report(pooled); // warm-up: caches and plans
  const wall: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const started = performance.now();
    result = await report(pooled);
    wall.push(performance.now() - started);
  }
  await report(serial.database.db);
  const cpu: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const before = serial.cpuMs();
    await report(serial.database.db);
    cpu.push(serial.cpuMs() - before);
  }
  const timing: Timing = {
    name,
    wallMedian: Math.round(median(wall)),
    wallBest: Math.round(Math.min(...wall)),
    cpuMedian: Math.round(median(cpu)),
    result,
  };
  console.log(`  ${name}: wall ${timing.wallMedian} ms, server CPU ${timing.cpuMedian} ms — ${result}`);
  return timing;
}

function cases(district: Awaited<ReturnType<typeof findAgency>>): Case[] {
  const year = { from: FROM, to: TO, asOf: AS_OF };
  const listed = (r: RepeatLatenessReport) =>
    `${r.officials.length} officials, ${r.officials.reduce((s, o) => s + o.dossiers.length, 0)} dossiers`;
  return [
    [
      "repeat lateness, province, month policy (3)",
      async (db) => listed(await repeatLatenessReport(db, ADMIN, { ...year, agency: null })),
    ],
    [
      "repeat lateness, province, rolling 30 days",
      async (db) =>
        listed(await repeatLatenessReport(db, ADMIN, { ...year, agency: null, window: "rolling_days:30" })),
    ],
    [
      "repeat lateness, one district",
      async (db) => listed(await repeatLatenessReport(db, ADMIN, { ...year, agency: district })),
    ],
    ...(["agency", "field", "procedure"] as const).map(
      (groupBy): Case => [
        `compliance by ${groupBy}, province`,
        async (db) => {
          const r = await complianceReport(db, ADMIN, { ...year, agency: null, groupBy });
          return `${r.rows.length} rows, ${r.totals.received.toLocaleString("en")} dossiers, score ${r.totals.progressScore}`;
        },
      ],
    ),
  ];
}

export async function run(): Promise<string> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    throw new Error("bench reports needs PostgreSQL: set BENCH_DATABASE_URL (or source .ci/pg.sh && pg_up)");
  }
  const { database, close } = await benchDatabase(serverUrl, process.env.BENCH_KEEP === "1");
  try {
    const db = database.db;
    await prepareDatabase(database);
    const rssBefore = process.memoryUsage().rss;
    const loadStarted = performance.now();
    const kept = await datasetCounts(db);
    const counts = kept ?? (await loadDataset(db, DATASET));
    const loadSeconds = Math.round((performance.now() - loadStarted) / 1000);
    console.log(`  dataset ${JSON.stringify(counts)} (${loadSeconds} s)`);
    const load = loadavg()[0];
    const serial = await serialConnection(serverUrl);
    const timings: Timing[] = [];
    try {
      for (const c of cases(await findAgency(db, "B.D3"))) timings.push(await measure(c, db, serial));
    } finally {
      await serial.database.close();
    }
    const rssAfter = process.memoryUsage().rss;
    const rows = timings
      .map(
        (t) =>
          `| ${t.name} | ${t.wallMedian} ms | ${t.wallBest} ms | ${t.cpuMedian} ms | ${t.cpuMedian < TARGET_MS ? "yes" : "**no**"} | ${t.result} |`,
      )
      .join("\n");
    return `## Repeat-lateness and compliance reports (\`reports\`)

Command: \`export PG_PORT=55437; source .ci/pg.sh && pg_up && npm run bench -- reports; pg_down\`
(source: \`bench/reports.ts\`, data: \`bench/dataset.ts\`).

PostgreSQL on this machine with ${counts.dossiers.toLocaleString("en")} dossiers, ${counts.steps.toLocaleString("en")} steps,
${counts.letters.toLocaleString("en")} letters and ${counts.violations.toLocaleString("en")} violations, generated server-side
(INSERT … SELECT generate_series${kept ? ", kept from an earlier run by BENCH_KEEP=1" : `, ${loadSeconds} s`}): 1 province, 20 districts, 200 communes,
4,000 officials, 50 procedures, receipts over 2025, exported ${AS_OF.toISOString()}. Each report covers the
year 2025 (\`from=2025-01-01&to=2026-01-01\`) as of the export, through the function its HTTP route calls
(one statement, JSON shaping included, HTTP excluded); median of ${RUNS} runs after a warm-up. **Wall**: as a
client waits, parallel plans allowed. **Server CPU**: CPU time of the one server process running the
report with parallelism off — its cost, which the other load on a shared machine does not inflate.
Target: under ${TARGET_MS} ms each.

| report | wall (median) | wall (best) | server CPU (median) | CPU under 2 s | result |
|---|---:|---:|---:|---|---|
${rows}

Client memory: RSS ${Math.round(rssBefore / 2 ** 20)} MB before loading, ${Math.round(rssAfter / 2 ** 20)} MB after loading and every
report: the data never passes through the client, and a report holds only its own rows. 1-minute load
average when the reports started: ${load.toFixed(1)}, ${loadavg()[0].toFixed(1)} when they ended, on ${cpus().length} cores (the machine is shared).`;
  } finally {
    await close();
  }
}
