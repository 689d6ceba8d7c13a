// Where a file import's time goes, batch by batch (`npm run sync -- --timeline FILE`, which
// `npm run bench -- sync --timeline` draws): on each pool thread the batch's parse, validate, map,
// hash and encode; on the main thread each statement of its transaction, from the moment it is
// sent until PostgreSQL has answered. Times are epoch milliseconds, so a worker thread's spans and
// the main thread's line up on one axis.

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

/** Spans kept in memory (a few per batch) until the import ends. */
export class Timeline {
  readonly spans: TimelineSpan[] = [];

  add(span: TimelineSpan): void {
    this.spans.push(span);
  }

  /** One JSON line a span, in start order. */
  toNdjson(): string {
    const sorted = [...this.spans].sort((a, b) => a.start - b.start);
    return sorted
      .map((span) => JSON.stringify(span))
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
export function addPreparedBatch(
  timeline: Timeline,
  batch: number,
  timing: { thread: number; start: number; phases: PhaseTimes },
): void {
  let start = timing.start;
  for (const phase of PREPARE_PHASES) {
    const end = start + timing.phases[phase];
    timeline.add({ batch, lane: `thread ${timing.thread}`, phase, start, end });
    start = end;
  }
}
