// `npm run bench -- prepare`: the pool's work alone. The sync benchmark's workload, cut into
// batches by the importer's own reader (dumpBatches), is read, validated, hashed and encoded by
// runPrepareJob on this one thread, nothing else running: the pool's CPU a dossier without the
// contention of a full import, where its threads share two cores with the main thread, PostgreSQL
// and V8's own threads. For comparing two versions of that code it takes half a minute where the
// sync benchmark's million-dossier runs take minutes each (its section of docs/BENCHMARKS.md gives
// (a)'s time); compare the best rounds of a few runs each. On a shared machine those still move by
// several percent from run to run: a smaller difference does not show.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { writeDump } from "../src/demo/generator.js";
import { dumpBatches } from "../src/sync/dump-batches.js";
import { DEFAULT_FILE_BATCH } from "../src/sync/file-import.js";
import { type SyncContext, syncContextOf } from "../src/sync/prepare.js";
import { type PrepareJob, runPrepareJob } from "../src/sync/prepare-job.js";
import { DEFAULT_SOURCE_ID, defaultDialect } from "../src/sync/sources.js";
import { type PhaseTimes, PREPARE_PHASES, threadCpu } from "../src/sync/timeline.js";
import { PROVINCE, STEPS, workload } from "./sync-workload.js";

const N = Number(process.env.BENCH_PREPARE_DOSSIERS ?? 40_000);
const ROUNDS = 7;

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The importer's jobs for a dump of `N` dossiers: the batches it sends its pool, as it cuts them. */
async function jobsOf(path: string): Promise<PrepareJob[]> {
  const jobs: PrepareJob[] = [];
  for await (const batch of dumpBatches(path, DEFAULT_FILE_BATCH)) {
    const input = {
      source: "file" as const,
      format: "canonical" as const,
      now: new Date(0),
      offset: batch.offset,
    };
    jobs.push({ input, messages: batch.messages });
  }
  return jobs;
}

/** µs a dossier of one round over every job: this thread's CPU (where Linux tells) and the process's. */
function round(jobs: PrepareJob[], context: SyncContext) {
  const process0 = process.cpuUsage();
  const thread0 = threadCpu();
  let prepared = 0;
  for (const job of jobs) {
    const done = runPrepareJob(job, context);
    if (done.rejected.length > 0)
      throw new Error(`the workload had ${done.rejected.length} rejected records`);
    prepared += done.encoded.count;
  }
  const used = process.cpuUsage(process0);
  const thread1 = threadCpu();
  if (prepared !== N) throw new Error(`prepared ${prepared} of ${N} dossiers`);
  return {
    process: (used.user + used.system) / N,
    thread: thread0 && thread1 ? ((thread1.cpuMs - thread0.cpuMs) * 1000) / N : undefined,
  };
}

/** Each phase's milliseconds over one timed round (its laps' wall time, on an otherwise idle core). */
function phases(jobs: PrepareJob[], context: SyncContext): PhaseTimes {
  const total = Object.fromEntries(PREPARE_PHASES.map((p) => [p, 0])) as PhaseTimes;
  for (const job of jobs) {
    const timing = runPrepareJob({ ...job, timed: true }, context).timing;
    for (const p of PREPARE_PHASES) total[p] += timing?.phases[p] ?? 0;
  }
  return total;
}

/** Each phase's share of their sum, in whole percents. */
function shares(split: PhaseTimes): string {
  const sum = PREPARE_PHASES.reduce((total, p) => total + split[p], 0);
  return PREPARE_PHASES.map((p) => `${p} ${Math.round((100 * split[p]) / sum)} %`).join(", ");
}

export async function run(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "bench-prepare-"));
  try {
    const path = join(dir, "dump.ndjson");
    await writeDump(path, workload(N), { format: "canonical", ndjson: true });
    const bytes = (await stat(path)).size;
    const jobs = await jobsOf(path);
    const agencies = PROVINCE.agencies.map((a) => ({ code: a.code, name: a.name, path: `/${a.code}/` }));
    const context = syncContextOf({ agencies, aliases: [] }, defaultDialect(DEFAULT_SOURCE_ID));
    const loadBefore = loadavg()[0];
    const rounds = Array.from({ length: ROUNDS }, () => round(jobs, context));
    const [first, ...warm] = rounds;
    const split = phases(jobs, context);
    const loadAfter = loadavg()[0];
    const us = (x: number | undefined) => (x === undefined ? "" : `${x.toFixed(1)} µs`);
    const threadOf = (xs: (number | undefined)[]) =>
      xs.every((x) => x !== undefined) ? (xs as number[]) : undefined;
    const warmThread = threadOf(warm.map((r) => r.thread));
    return [
      "## The pool's work alone (`prepare`)",
      "",
      "Command: `npm run bench -- prepare` (source: `bench/prepare.ts`).",
      "",
      `Workload: ${fmt(N)} dossiers of the sync benchmark's workload (${STEPS} steps each, canonical NDJSON, ${fmt(bytes / N)} bytes a record), cut into batches of ${fmt(DEFAULT_FILE_BATCH)} by the importer's own reader and prepared by \`runPrepareJob\` (read, validate, map, hash, encode into COPY text) on one thread, ${ROUNDS} rounds, nothing else running. This is what each of the import's pool threads does, without the two cores it shares there with the main thread, PostgreSQL and V8's own threads (the sync section's table of CPU by thread).`,
      "",
      "| round | this thread, a dossier | the process (V8's threads too), a dossier |",
      "|---|---:|---:|",
      `| first (V8 still compiling) | ${us(first.thread)} | ${us(first.process)} |`,
      `| best of the next ${ROUNDS - 1} | ${us(warmThread && Math.min(...warmThread))} | ${us(Math.min(...warm.map((r) => r.process)))} |`,
      `| median of the next ${ROUNDS - 1} | ${us(warmThread && median(warmThread))} | ${us(median(warm.map((r) => r.process)))} |`,
      "",
      `One more round, timed by phase, gives each phase's share of a dossier's time (its laps' wall time on an idle core; the timing itself costs some, so shares, not microseconds): ${shares(split)}.`,
      "",
      `1-minute load average when the rounds started: ${loadBefore.toFixed(1)} (the dump had just been written), when they ended: ${loadAfter.toFixed(1)}; this benchmark keeps one core busy, so on a quiet machine it reads about 1. The median is what a round usually gave, the best what the code costs when nothing else took the core.`,
    ].join("\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
