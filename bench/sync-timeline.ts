// `npm run bench -- sync --timeline`: reads the spans `npm run sync -- --timeline FILE` wrote
// (src/sync/timeline.ts) and tells where the import's time went — each phase's total and its cost
// a dossier, how much of the wall time the pool's threads and the writers worked at once — and
// draws a stretch of batches as an SVG chart (docs/bench/sync-timeline.svg).
import { readFile } from "node:fs/promises";
import { type CpuLine, PREPARE_PHASES, type TimelineSpan } from "../src/sync/timeline.js";

export interface TimelineFile {
  spans: TimelineSpan[];
  /** Each thread's CPU over the import, and the process's ("process"), where Linux told. */
  cpu: CpuLine[];
}

export async function readTimeline(path: string): Promise<TimelineFile> {
  const text = await readFile(path, "utf8");
  const lines = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as TimelineSpan | CpuLine);
  return {
    spans: lines.filter((line): line is TimelineSpan => "phase" in line),
    cpu: lines.filter((line): line is CpuLine => "cpuMs" in line),
  };
}

const isThread = (span: TimelineSpan) => span.lane.startsWith("thread");

/** Total length of the union of intervals. */
function unionMs(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const [a, b] of sorted) {
    if (a > to) {
      if (to > from) total += to - from;
      [from, to] = [a, b];
    } else if (b > to) to = b;
  }
  if (to > from) total += to - from;
  return total;
}

/** Length of the intersection of two unions of intervals. */
function overlapMs(a: [number, number][], b: [number, number][]): number {
  // |A ∩ B| = |A| + |B| − |A ∪ B|
  return unionMs(a) + unionMs(b) - unionMs([...a, ...b]);
}

const interval = (s: TimelineSpan): [number, number] => [s.start, s.end];

export interface TimelineSummary {
  wallMs: number;
  /** Share of the wall time during which a thread prepared while a writer wrote. */
  overlap: number;
  threadBusy: number;
  writerBusy: number;
  phases: { lane: "threads" | "writers"; phase: string; ms: number }[];
}

export function summarize(spans: TimelineSpan[]): TimelineSummary {
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(...spans.map((s) => s.end));
  const wallMs = end - start;
  const threads = spans.filter(isThread).map(interval);
  const writers = spans.filter((s) => !isThread(s)).map(interval);
  const totals = new Map<string, { lane: "threads" | "writers"; phase: string; ms: number }>();
  for (const span of spans) {
    const lane = isThread(span) ? "threads" : "writers";
    const key = `${lane}:${span.phase}`;
    const entry = totals.get(key) ?? { lane, phase: span.phase, ms: 0 };
    entry.ms += span.end - span.start;
    totals.set(key, entry);
  }
  return {
    wallMs,
    overlap: overlapMs(threads, writers) / wallMs,
    threadBusy: unionMs(threads) / wallMs,
    writerBusy: unionMs(writers) / wallMs,
    phases: [...totals.values()].sort((a, b) => (a.lane === b.lane ? b.ms - a.ms : a.lane < b.lane ? -1 : 1)),
  };
}

/**
 * The importer's CPU by thread: the main thread, each pool thread, and the rest of the process
 * (what no thread of ours ran: V8's collector and compiler helpers, libuv's, the module loader's).
 */
export function cpuMarkdown(cpu: CpuLine[], dossiers: number): string {
  const whole = cpu.find((c) => c.lane === "process");
  if (!whole) return "";
  const threads = cpu
    .filter((c) => c !== whole)
    .sort((a, b) =>
      a.lane === "main thread" ? -1 : b.lane === "main thread" ? 1 : a.lane < b.lane ? -1 : 1,
    );
  const ours = threads.reduce((sum, c) => sum + c.cpuMs, 0);
  const row = (who: string, ms: number, waitMs?: number) =>
    `| ${who} | ${(ms / 1000).toFixed(1)} s | ${((ms * 1000) / dossiers).toFixed(1)} µs | ${waitMs === undefined ? "" : `${(waitMs / 1000).toFixed(1)} s`} |`;
  return [
    "The importer's CPU by thread (Linux's per-thread accounting, /proc/thread-self/schedstat), with the time each was ready to run but waited for a core:",
    "",
    "| thread | CPU | a dossier | waited for a core |",
    "|---|---:|---:|---:|",
    ...threads.map((c) =>
      row(
        c.lane === "main thread" ? "main thread (reads the file, writes to PostgreSQL)" : `pool ${c.lane}`,
        c.cpuMs,
        c.waitMs,
      ),
    ),
    row(
      "the process's other threads (V8's garbage collector and compiler, libuv, the module loader)",
      whole.cpuMs - ours,
    ),
    row("**the importer**", whole.cpuMs),
    "",
  ].join("\n");
}

export function summaryMarkdown(summary: TimelineSummary, dossiers: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  const rows = summary.phases.map(
    (p) =>
      `| ${p.lane === "threads" ? "pool thread" : "main thread, writer"} | ${p.phase} | ${(p.ms / 1000).toFixed(1)} s | ${((p.ms * 1000) / dossiers).toFixed(1)} µs |`,
  );
  return [
    `Timeline of (a), from \`npm run sync -- --timeline\` (\`npm run bench -- sync --timeline\`): over ${(summary.wallMs / 1000).toFixed(1)} s the pool's threads were preparing ${pct(summary.threadBusy)} of the time, the writers waiting on PostgreSQL ${pct(summary.writerBusy)}, and both at once ${pct(summary.overlap)}. A thread's phases are its wall time (on a loaded core, not all of it CPU); a writer's span is a statement from sending it to PostgreSQL's answer.`,
    "",
    "| who | phase | total | a dossier |",
    "|---|---|---:|---:|",
    ...rows,
    "",
    "![A stretch of the import's batches](bench/sync-timeline.svg)",
  ].join("\n");
}

const COLOURS: Record<string, string> = {
  parse: "#9ecae1",
  validate: "#4292c6",
  map: "#6baed6",
  hash: "#2171b5",
  encode: "#08519c",
  commit: "#000000",
};
const WRITER_COLOURS = [
  "#fdae6b",
  "#e6550d",
  "#a63603",
  "#fd8d3c",
  "#d94801",
  "#7f2704",
  "#fdd0a2",
  "#8c2d04",
];

/** An SVG chart of `batches` consecutive batches from the middle of the run, a lane a row. */
export function timelineSvg(spans: TimelineSpan[], batches = 12): string {
  const last = Math.max(...spans.map((s) => s.batch));
  const first = Math.max(0, Math.floor(last / 2) - Math.floor(batches / 2));
  const shown = spans.filter((s) => s.batch >= first && s.batch < first + batches);
  const start = Math.min(...shown.map((s) => s.start));
  const end = Math.max(...shown.map((s) => s.end));
  const lanes = [...new Set(shown.map((s) => s.lane))].sort();
  const writerPhases = [...new Set(shown.filter((s) => !isThread(s)).map((s) => s.phase))];
  const colour = (s: TimelineSpan) =>
    COLOURS[s.phase] ?? WRITER_COLOURS[writerPhases.indexOf(s.phase) % WRITER_COLOURS.length];
  const [left, width, row] = [90, 900, 26];
  const x = (t: number) => left + ((t - start) / (end - start)) * width;
  const legend = [...PREPARE_PHASES, ...writerPhases];
  const height = lanes.length * row + 40 + Math.ceil(legend.length / 4) * 18;
  const xml = (t: string) => t.replaceAll("&", "&amp;").replaceAll("<", "&lt;");
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 20}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<text x="4" y="14">batches ${first}–${first + batches - 1}, ${((end - start) / 1000).toFixed(2)} s</text>`,
  ];
  lanes.forEach((lane, i) => {
    const y = 22 + i * row;
    parts.push(`<text x="4" y="${y + 15}">${xml(lane)}</text>`);
    for (const s of shown.filter((span) => span.lane === lane)) {
      const w = Math.max(0.5, x(s.end) - x(s.start));
      parts.push(
        `<rect x="${x(s.start).toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${row - 6}" fill="${colour(s)}"><title>batch ${s.batch}: ${xml(s.phase)} ${(s.end - s.start).toFixed(1)} ms</title></rect>`,
      );
    }
  });
  legend.forEach((phase, i) => {
    const lx = left + (i % 4) * 225;
    const ly = 30 + lanes.length * row + Math.floor(i / 4) * 18;
    const fill = COLOURS[phase] ?? WRITER_COLOURS[writerPhases.indexOf(phase) % WRITER_COLOURS.length];
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${fill}"/>`);
    parts.push(`<text x="${lx + 14}" y="${ly}">${xml(phase)}</text>`);
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
