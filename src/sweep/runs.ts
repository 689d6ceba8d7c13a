// The record of each sweep (sweeps): opened under the lease, closed with what it did.
import { desc, eq, lt, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import { acquireLease } from "./lease.js";
import { type SweepStatus, type SweepTrigger, sweeps } from "./schema.js";

export const SWEEP_LEASE = "sweep";

export type SweepRun = typeof sweeps.$inferSelect;

export type OpenedRun = { opened: true; run: SweepRun } | { opened: false; runningSweepId: number | null };

/**
 * Takes the lease and records the run as `running` in one transaction, so that whoever finds the
 * lease taken also finds the running sweep's row. Taking over an expired lease fails the runs its
 * dead holder left `running`.
 */
export async function openRun(
  db: Db,
  input: { holder: string; ttlMs: number; trigger: SweepTrigger; asOf: Date; startedAt: Date },
): Promise<OpenedRun> {
  const opened = await db.transaction(async (tx) => {
    if (!(await acquireLease(tx, SWEEP_LEASE, input.holder, input.ttlMs))) return null;
    await tx
      .update(sweeps)
      .set({
        status: "failed",
        finishedAt: input.startedAt,
        errors: sql`${sweeps.errors} || ${JSON.stringify(["abandoned: its process stopped renewing the lease"])}::jsonb`,
      })
      .where(eq(sweeps.status, "running"));
    const [run] = await tx
      .insert(sweeps)
      .values({ trigger: input.trigger, asOf: input.asOf, startedAt: input.startedAt, status: "running" })
      .returning();
    return run;
  });
  if (opened) return { opened: true, run: opened };
  const [running] = await db
    .select({ id: sweeps.id })
    .from(sweeps)
    .where(eq(sweeps.status, "running"))
    .orderBy(desc(sweeps.id))
    .limit(1);
  return { opened: false, runningSweepId: running?.id ?? null };
}

export async function closeRun(
  db: Db,
  id: number,
  outcome: {
    status: Exclude<SweepStatus, "running">;
    counts: Record<string, unknown>;
    errors: string[];
    finishedAt: Date;
    durationMs: number;
  },
): Promise<SweepRun> {
  const [run] = await db.update(sweeps).set(outcome).where(eq(sweeps.id, id)).returning();
  return run;
}

export async function findRun(db: Db, id: number): Promise<SweepRun | null> {
  const [run] = await db.select().from(sweeps).where(eq(sweeps.id, id)).limit(1);
  return run ?? null;
}

/** Most recent first; `before` (an id) pages back. */
export async function listRuns(db: Db, options: { limit: number; before?: number }): Promise<SweepRun[]> {
  return db
    .select()
    .from(sweeps)
    .where(options.before !== undefined ? lt(sweeps.id, options.before) : undefined)
    .orderBy(desc(sweeps.id))
    .limit(options.limit);
}

/** What an incremental sweep starts from: the last one that succeeded. */
export interface Baseline {
  id: number;
  startedAt: Date;
  asOf: Date;
  calendarVersion: string | null;
}

export async function lastSucceededRun(db: Db): Promise<Baseline | null> {
  const [row] = await queryRows<{ id: number; started_at: string; as_of: string; calendar: string | null }>(
    db,
    sql`SELECT id, started_at, as_of, counts->>'calendarVersion' AS calendar FROM sweeps
        WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1`,
  );
  if (!row) return null;
  return {
    id: Number(row.id),
    startedAt: new Date(row.started_at),
    asOf: new Date(row.as_of),
    calendarVersion: row.calendar,
  };
}
