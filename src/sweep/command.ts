// What `npm run sweep` does once the database is open: read the arguments, run the one sweep,
// print its summary. Exit codes: 0 succeeded, 1 failed, 64 bad arguments, 75 a sweep is running.
import { parseArgs } from "node:util";
import { parseInstant } from "../http/params.js";
import { runSweep, type SweepCounts, type SweepDeps } from "./run.js";
import type { SweepRun } from "./runs.js";

export const USAGE = `usage: npm run sweep -- [--as-of <ISO time with offset>] [--full]
  --as-of  judge as of this time (e.g. 2025-02-07T00:30:00+07:00); default now
  --full   re-evaluate every dossier, not only what changed since the last successful sweep`;

export interface SweepArguments {
  asOf?: Date;
  full: boolean;
}

/** Throws with a message naming the bad argument. */
export function readArguments(argv: string[]): SweepArguments {
  const { values } = parseArgs({
    args: argv,
    options: { "as-of": { type: "string" }, full: { type: "boolean", default: false } },
  });
  const asOf = values["as-of"];
  if (asOf === undefined) return { full: values.full ?? false };
  const at = parseInstant(asOf);
  if (!at || at.getTime() > Date.now() + 60 * 60 * 1000) {
    throw new Error(
      `--as-of needs an ISO time with its offset from 1990 to now (e.g. 2025-02-07T00:30:00+07:00), not ${asOf}`,
    );
  }
  return { asOf: at, full: values.full ?? false };
}

export function summary(run: SweepRun): string {
  const counts = run.counts as Partial<SweepCounts>;
  const lines = [
    `sweep ${run.id} ${run.status} in ${run.durationMs} ms: ${counts.mode ?? "?"} as of ${run.asOf.toISOString()}, ` +
      `${counts.evaluated ?? 0} dossiers evaluated`,
  ];
  if (counts.pulled) lines.push(`  pulled: ${JSON.stringify(counts.pulled)}`);
  if (counts.recomputed) {
    lines.push(`  open pauses recomputed: ${counts.recomputed.selected}, moved ${counts.recomputed.moved}`);
  }
  if (counts.states) {
    lines.push(
      `  states: ${Object.entries(counts.states)
        .map(([state, n]) => `${state} ${n}`)
        .join(", ")}`,
    );
  }
  for (const [rule, c] of Object.entries(counts.rules ?? {})) {
    lines.push(`  ${rule}: ${c.new} new, ${c.reopened} reopened, ${c.resolved} resolved, ${c.open} open`);
  }
  if (counts.digests)
    lines.push(`  digests: ${counts.digests.posted} posted, ${counts.digests.failed} failed`);
  for (const error of run.errors) lines.push(`  error: ${error}`);
  return `${lines.join("\n")}\n`;
}

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

export async function sweepCommand(
  args: SweepArguments,
  deps: SweepDeps,
  output: CommandOutput,
): Promise<number> {
  return reportSweep(await runSweep(deps, { trigger: "cli", asOf: args.asOf, full: args.full }), output);
}

/** The summary of a sweep run here or by the service (src/sweep/through-service.ts), and its exit code. */
export function reportSweep(
  outcome: { ran: true; run: SweepRun } | { ran: false; runningSweepId: number | null },
  output: CommandOutput,
): number {
  if (!outcome.ran) {
    output.err(`sweep: a sweep is running (sweep ${outcome.runningSweepId ?? "?"}); not started\n`);
    return 75;
  }
  output.out(summary(outcome.run));
  return outcome.run.status === "succeeded" ? 0 : 1;
}
