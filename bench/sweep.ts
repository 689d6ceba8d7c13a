// `npm run bench -- sweep`: the nightly sweep on PostgreSQL with 1,000,000 dossiers and 5,000,000
// steps (bench/province.ts, generated server-side): a full sweep (target < 30 s), an
// incremental one after a night's sync of 1 % of the dossiers (target < 3 s), checked against a full
// sweep of the same night, and the process's peak RSS at 100,000 and 1,000,000 dossiers (flat: the
// sweep is set-based SQL, nothing per dossier comes into the process). On the server of
// bench/postgres.ts benchPostgres (a throw-away one on PG_PORT, default 55439, unless one is given).
import { cpus, loadavg } from "node:os";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { prepareDatabase } from "../src/calendar/prepare-database.js";
import { openDatabase, queryRows } from "../src/db/client.js";
import { fixedClock } from "../src/runtime/clock.js";
import { createLogger } from "../src/runtime/logger.js";
import { runSweep, type SweepCounts } from "../src/sweep/run.js";
import type { SweepRun } from "../src/sweep/runs.js";
import { benchPostgres } from "./postgres.js";
import { BENCH_AS_OF, changeOnePercent, loadSweepDataset } from "./province.js";
import { serverCpuSeconds } from "./server-cpu.js";

/** BENCH_SWEEP_SIZES="100000" runs one size only, to iterate quickly. */
const SIZES = (process.env.BENCH_SWEEP_SIZES ?? "100000,1000000").split(",").map(Number);
const FULL_TARGET_MS = 30_000;
const INCREMENTAL_TARGET_MS = 3_000;

/** The largest resident set size seen while `work` runs, sampled every 20 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(sampler);
  }
}

interface Measured {
  ms: number;
  /** CPU seconds of the whole PostgreSQL server during the sweep (null: not a local server). */
  serverCpuS: number | null;
  /** 1-minute load average when the sweep started. */
  load: number;
  peakMb: number;
  run: SweepRun;
}

interface SizeResult {
  dossiers: number;
  rows: Record<string, number>;
  loadMs: number;
  first: Measured;
  rerun: Measured;
  incremental: Measured;
  check: Measured;
  changed: number;
}

const countsOf = (run: SweepRun) => run.counts as unknown as SweepCounts;
const sum = (run: SweepRun, key: "new" | "reopened" | "resolved" | "open") =>
  Object.values(countsOf(run).rules).reduce((total, c) => total + c[key], 0);

async function measureSize(serverUrl: string, size: number): Promise<SizeResult> {
  const name = `osm_bench_sweep_${size}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 4 });
  try {
    await prepareDatabase(database);
    const db = database.db;
    let started = performance.now();
    await loadSweepDataset(db, size);
    const loadMs = performance.now() - started;
    const [rows] = await queryRows<Record<string, number>>(
      db,
      sql`SELECT (SELECT count(*) FROM dossiers)::int AS dossiers, (SELECT count(*) FROM dossier_steps)::int AS steps,
        (SELECT count(*) FROM dossier_pauses)::int AS pauses, (SELECT count(*) FROM dossier_history)::int AS history,
        (SELECT count(*) FROM apology_letters)::int AS letters`,
    );
    console.log(
      `bench sweep: ${size} dossiers loaded in ${Math.round(loadMs / 1000)} s: ${JSON.stringify(rows)}`,
    );
    const clock = fixedClock(BENCH_AS_OF);
    const deps = { database, clock, logger: createLogger("warn") };
    const sweep = async (full: boolean): Promise<Measured> => {
      const load = loadavg()[0];
      const cpuBefore = await serverCpuSeconds(serverUrl);
      started = performance.now();
      const { result, peakMb } = await peakRss(() => runSweep(deps, { trigger: "cli", full }));
      if (!result.ran || result.run.status !== "succeeded")
        throw new Error(`sweep failed: ${JSON.stringify(result)}`);
      const ms = performance.now() - started;
      const cpuAfter = await serverCpuSeconds(serverUrl);
      const serverCpuS = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
      console.log(
        `bench sweep: ${size} ${countsOf(result.run).mode}: ${Math.round(ms)} ms, server CPU ${serverCpuS} s, load ${load.toFixed(1)}, peak RSS ${peakMb} MB, phases ${JSON.stringify(countsOf(result.run).phaseMs)}`,
      );
      return { ms, serverCpuS, load, peakMb, run: result.run };
    };
    const first = await sweep(true);
    const rerun = await sweep(true);
    // The next night: 1 % of the dossiers synced in the evening, the clock a day later.
    const night = new Date(BENCH_AS_OF.getTime() + 86_400_000);
    const changed = await changeOnePercent(db, new Date(night.getTime() - 4 * 3_600_000));
    clock.set(night);
    const incremental = await sweep(false);
    const check = await sweep(true);
    const missed = Object.entries(countsOf(check.run).rules).filter(
      ([, c]) => c.new + c.reopened + c.resolved > 0,
    );
    if (missed.length > 0) {
      const examples = await queryRows(
        db,
        sql`SELECT v.rule, v.details, to_jsonb(d) AS dossier,
          (SELECT jsonb_agg(h ORDER BY h.id) FROM dossier_history h WHERE h.dossier_code = d.code) AS history,
          (SELECT jsonb_agg(p) FROM dossier_pauses p WHERE p.dossier_code = d.code) AS pauses
        FROM violations v JOIN dossiers d ON d.code = v.dossier_code WHERE v.sweep_id = ${check.run.id} LIMIT 3`,
      );
      console.log(`bench sweep: the incremental sweep differs from a full one: ${JSON.stringify(missed)}`);
      console.log(JSON.stringify(examples, null, 1));
    }
    return { dossiers: size, rows, loadMs, first, rerun, incremental, check, changed };
  } finally {
    await database.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const phases = (run: SweepRun) => {
  const p = countsOf(run).phaseMs;
  return [p.recompute, p.scope, p.rules, p.states].map((ms) => s(ms)).join(" / ");
};
const n = (x: number) => x.toLocaleString("en-US");
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function section(results: SizeResult[], load: string): string {
  const big = results[results.length - 1];
  const lines = [
    "## Nightly sweep",
    "",
    "Command: `npm run bench -- sweep` (source: `bench/sweep.ts`, data: `bench/province.ts`; a throw-away",
    "PostgreSQL from `.ci/pg.sh` with its settings — fsync off, default memory — unless `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` is set).",
    "",
    "Each size is generated server-side into its own database: a year of receipts (2025) over 200 communes,",
    "5 steps per dossier, supplement and financial pauses (open ones on dossiers in status 5), status and",
    "appointment history (1 % of appointments moved later), letters for 60 % of the late dossiers, a few",
    "impossible records. The sweep is `runSweep` itself (lease, run record, open-pause recompute, all seven",
    "rules set-based in one transaction, state counts), as of 2025-12-20 00:30 (+07).",
    "",
    "- **full (first)**: every dossier, an empty violations table: every violation is inserted;",
    "- **full (re-run)**: every dossier again, nothing changes (each violation stored once);",
    "- **incremental**: the next night, after a sync of 1 % of the dossiers (a tenth of them finish, the",
    "  others' appointments move a day later, with their history rows): only what changed or crossed a",
    "  deadline in the day is re-evaluated;",
    "- **full (check)**: a full sweep of that same night right after: it finds nothing to insert, reopen or",
    "  resolve, i.e. the incremental sweep left exactly the violations a full one gives.",
    "",
    "**Wall time**: the sweep as `runSweep` returns it. **Server CPU**: the CPU time of the whole PostgreSQL",
    "server (every process, autovacuum included) during the sweep — the sweep's cost, which other load on a",
    "shared machine inflates less than the wall time. **Load**: the 1-minute load average as the sweep started.",
    "Phases from the run record (`phaseMs`). An incremental run counts the states of the dossiers it evaluated.",
    "",
    "| dossiers | steps | pauses | history rows | letters | load |",
    "|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${n(r.rows.dossiers)} | ${n(r.rows.steps)} | ${n(r.rows.pauses)} | ${n(r.rows.history)} | ${n(r.rows.letters)} | ${s(r.loadMs)} |`,
    ),
    "",
    "| dossiers | sweep | evaluated | new | reopened | resolved | open after | wall time | server CPU | recompute / scope / rules / states | load | peak RSS |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
  ];
  for (const r of results) {
    for (const [label, m] of [
      ["full (first)", r.first],
      ["full (re-run)", r.rerun],
      ["incremental (1 % synced)", r.incremental],
      ["full (check)", r.check],
    ] as const) {
      lines.push(
        `| ${n(r.dossiers)} | ${label} | ${n(countsOf(m.run).evaluated)} | ${n(sum(m.run, "new"))} | ${n(sum(m.run, "reopened"))} | ${n(sum(m.run, "resolved"))} | ${n(sum(m.run, "open"))} | ${s(m.ms)} | ${m.serverCpuS === null ? "n/a" : `${m.serverCpuS.toFixed(2)} s`} | ${phases(m.run)} | ${m.load.toFixed(1)} | ${m.peakMb} MB |`,
      );
    }
  }
  const check = big.check.run;
  const agrees = sum(check, "new") + sum(check, "reopened") + sum(check, "resolved") === 0;
  const peaks = results.map((r) =>
    Math.max(r.first.peakMb, r.rerun.peakMb, r.incremental.peakMb, r.check.peakMb),
  );
  lines.push(
    "",
    `At ${n(big.dossiers)} dossiers: full sweep **${s(big.first.ms)}** (target < ${FULL_TARGET_MS / 1000} s: ` +
      `${big.first.ms < FULL_TARGET_MS ? "met" : "missed"}), incremental **${s(big.incremental.ms)}** ` +
      `(target < ${INCREMENTAL_TARGET_MS / 1000} s: ${big.incremental.ms < INCREMENTAL_TARGET_MS ? "met" : "missed"}; ` +
      `${n(big.changed)} dossiers synced), incremental = full: **${agrees ? "yes" : "NO"}**. ` +
      `Peak RSS of the process: ${results.map((r, i) => `${peaks[i]} MB at ${n(r.dossiers)}`).join(", ")} dossiers.`,
    "",
    `Rules per run at ${n(big.dossiers)} (full, first): ` +
      Object.entries(countsOf(big.first.run).rules)
        .map(([rule, c]) => `${rule} ${n(c.new)}`)
        .join(", ") +
      ".",
    "",
    `Machine load (1-minute load average): ${load} when the run started, ${loadavg()[0].toFixed(1)} at its end, on ${cpus().length} cores, shared.`,
  );
  return lines.join("\n");
}

export async function run(): Promise<string> {
  const load = loadavg()[0].toFixed(1);
  const server = benchPostgres("55439");
  try {
    const results: SizeResult[] = [];
    for (const size of SIZES) results.push(await measureSize(server.url, size));
    return section(results, load);
  } finally {
    server.down();
  }
}
