// `npm run sweep` beside a running service on PGlite: POST /api/v1/sweeps as the local admin, the
// answer read back into the sweep's record so that the CLI prints the same summary and exits with
// the same codes (0 succeeded, 1 failed, 75 a sweep is running).

import { answerMessage, type LocalService } from "../local/service-client.js";
import type { SweepArguments } from "./command.js";
import type { SweepRun } from "./runs.js";

export type RemoteSweepOutcome = { ran: true; run: SweepRun } | { ran: false; runningSweepId: number | null };

interface SweepAnswer {
  id: number;
  trigger: SweepRun["trigger"];
  status: SweepRun["status"];
  asOf: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  counts: Record<string, unknown>;
  errors: string[];
}

export async function sweepThroughService(
  service: LocalService,
  args: SweepArguments,
): Promise<RemoteSweepOutcome> {
  const answer = await service.request("POST", "/api/v1/sweeps", {
    ...(args.asOf ? { asOf: args.asOf.toISOString() } : {}),
    full: args.full,
  });
  if (answer.status === 409) {
    const details = (answer.body as { error?: { details?: { sweepId?: number | null } } }).error?.details;
    return { ran: false, runningSweepId: details?.sweepId ?? null };
  }
  if (answer.status !== 201) throw new Error(`the service refused the sweep: ${answerMessage(answer)}`);
  const run = answer.body as SweepAnswer;
  return {
    ran: true,
    run: {
      ...run,
      asOf: new Date(run.asOf),
      startedAt: new Date(run.startedAt),
      finishedAt: run.finishedAt ? new Date(run.finishedAt) : null,
    },
  };
}
