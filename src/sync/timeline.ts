// Where a file import's time goes, batch by batch (`npm run sync -- --timeline FILE`, which
// `npm run bench -- sync --timeline` draws): on each pool thread the batch's parse, validate, map,
// hash and encode; on the main thread each statement of its transaction, from the moment it is
// sent until PostgreSQL has answered. Times are epoch milliseconds, so a worker thread's spans and
// the main thread's line up on one axis. Where Linux tells, each thread's CPU is kept too: a phase's
// wall time on a loaded core is not all CPU, and the process's CPU is more than its threads' own.

/** What a pool thread does to each message, in order (prepare-job.ts). */
export const PREPARE_PHASES = ["parse", "validate", "map", "hash", "encode"] as const;
export type PreparePhase = (typeof PREPARE_PHASES)[number];

/** A thread's milliseconds in each phase over one batch: its messages' laps summed. */
export type PhaseTimes = Record<PreparePhase, number>;

export interface TimelineSpan {
  /** The batch's position in the file, from 0. */
  batch: number;
  /** Who did it: a pool thread ("thread 2") or a writing connection ("writer 1"). */
  lane: string;
  phase: string;
  start: number;
  end: number;
}

export const epochMs = () => performance.timeOrigin + performance.now();

/** A thread's milliseconds on a core, and ready to run but waiting for one. */
export interface ThreadCpu {
  cpuMs: number;
  waitMs: number;
}

/**
 * The calling thread's CPU so far, from Linux's /proc/thread-self/schedstat (nanoseconds on a core,
 * then waiting in the run queue); undefined elsewhere. process.cpuUsage() sums the whole process: it
 * cannot tell the pool's threads from the main thread, nor either from V8's and libuv's own threads.
 */
export function threadCpu(): ThreadCpu | undefined {
  try {
    const fs = process.getBuiltinModule?.("node:fs");
    const [run, wait] = (fs?.readFileSync("/proc/thread-self/schedstat", "utf8") ?? "")
      .split(" ")
      .map(Number);
    return Number.isFinite(run) && Number.isFinite(wait)
      ? { cpuMs: run / 1e6, waitMs: wait / 1e6 }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a timed job reports (prepare-job.ts): its thread, when it began (epoch ms), its phases'
 * milliseconds, and the thread's CPU since it started, where the system tells (threadCpu).
 */
export interface JobTiming {
  thread: number;
  start: number;
  phases: PhaseTimes;
  cpu?: ThreadCpu;
}

/** A line of the timeline's file giving a thread's CPU over the import ("process": all threads'). */
export interface CpuLine {
  lane: string;
  cpuMs: number;
  waitMs?: number;
}

/** Spans kept in memory (a few per batch) until the import ends. */
export class Timeline {
  readonly spans: TimelineSpan[] = [];
  /** Each thread's CPU as it last told it (a running total), by lane; "process" for all threads. */
  readonly cpu = new Map<string, ThreadCpu | { cpuMs: number }>();

  add(span: TimelineSpan): void {
    this.spans.push(span);
  }

  /** At the import's end: the calling thread's CPU as `lane`'s, and the whole process's. */
  closeCpu(lane: string): void {
    const own = threadCpu();
    if (!own) return;
    this.cpu.set(lane, own);
    const all = process.cpuUsage();
    this.cpu.set("process", { cpuMs: (all.user + all.system) / 1000 });
  }

  /** One JSON line a span, in start order, then a line (CpuLine) a thread whose CPU is known. */
  toNdjson(): string {
    const sorted = [...this.spans].sort((a, b) => a.start - b.start);
    const cpu = [...this.cpu].map(([lane, used]): CpuLine => ({ lane, ...used }));
    return [...sorted, ...cpu]
      .map((line) => JSON.stringify(line))
      .join("\n")
      .concat("\n");
  }
}

/** Laps of one lane: each call closes the span that began at the previous one. */
export type Lap = (phase: string) => void;

export function lapsInto(timeline: Timeline, batch: number, lane: string): Lap {
  let start = epochMs();
  return (phase) => {
    const end = epochMs();
    timeline.add({ batch, lane, phase, start, end });
    start = end;
  };
}

/**
 * A pool thread's batch as spans: its phases laid end to end from when it began. The thread
 * interleaves them message by message; the spans keep their lengths, not that order.
 */
export function addPreparedBatch(timeline: Timeline, batch: number, timing: JobTiming): void {
  if (timing.cpu) timeline.cpu.set(`thread ${timing.thread}`, timing.cpu);
  let start = timing.start;
  for (const phase of PREPARE_PHASES) {
    const end = start + timing.phases[phase];
    timeline.add({ batch, lane: `thread ${timing.thread}`, phase, start, end });
    start = end;
  }
}
