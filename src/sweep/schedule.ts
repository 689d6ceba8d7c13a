// The nightly schedule (DOMAIN §7: 00:30 Asia/Ho_Chi_Minh by default): node-cron calls the one
// runSweep; stopping waits for a sweep in progress, so that shutdown never closes the database
// under it.
import cron, { type ScheduledTask, type TaskFn, type TaskOptions } from "node-cron";
import { errorFields, type Logger } from "../runtime/logger.js";

export interface SweepSchedule {
  task: ScheduledTask;
  /** Stops the schedule, then waits for a sweep it started that is still running. */
  stop(): Promise<void>;
}

export type Scheduler = (expression: string, run: TaskFn, options: TaskOptions) => ScheduledTask;

export interface ScheduleInput {
  /** node-cron expression (SWEEP_CRON); empty disables the schedule. */
  expression: string;
  timezone: string;
  run: () => Promise<unknown>;
  logger: Logger;
  /** node-cron's `schedule`; a test passes its own. */
  scheduler?: Scheduler;
}

export function scheduleSweeps(input: ScheduleInput): SweepSchedule | null {
  const expression = input.expression.trim();
  if (expression === "") {
    input.logger.info("nightly sweep disabled (SWEEP_CRON is empty)");
    return null;
  }
  if (!cron.validate(expression)) throw new Error(`SWEEP_CRON: "${expression}" is not a cron expression`);
  let running: Promise<unknown> | null = null;
  const schedule = input.scheduler ?? cron.schedule;
  const task = schedule(
    expression,
    async () => {
      running = input
        .run()
        .catch((error) => input.logger.error("scheduled sweep failed", errorFields(error)));
      try {
        await running;
      } finally {
        running = null;
      }
    },
    { timezone: input.timezone, name: "nightly-sweep", noOverlap: true },
  );
  input.logger.info("nightly sweep scheduled", {
    expression,
    timezone: input.timezone,
    nextRun: task.getNextRun()?.toISOString() ?? null,
  });
  return {
    task,
    async stop() {
      await task.stop();
      if (running) await running;
      input.logger.info("nightly sweep schedule stopped");
    },
  };
}
