// Which dossiers a sweep re-evaluates. Every rule is a function of a dossier's stored rows and of
// `asOf` only through comparisons `instant <= asOf`; so between the last successful sweep (as of
// lastAsOf) and this one, a dossier's violations can change only if its rows changed, or if one of
// its instants lies in (lastAsOf, asOf]. The incremental scope is exactly those dossiers, and gives
// the violations a full sweep would (tested).

import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import { notClosedSql } from "../deadlines/dossier-record.js";
import { instantSql } from "./rules/sql.js";

/**
 * Writes committed with an `updated_at` a little before the last sweep's start may have become
 * visible only after that sweep read the tables (a sync transaction in flight); looking back this
 * far re-reads them. Longer than any sync batch takes.
 */
export const SINCE_MARGIN_MS = 15 * 60_000;

export interface ChangedWindow {
  /** Rows written at or after this instant (clock time) count as changed. */
  since: Date;
  lastAsOf: Date;
  asOf: Date;
}

export interface SweepScope {
  dossiers: SQL;
  scope: SQL;
  inScope(code: SQL): SQL;
}

/**
 * The changed set, once `createChangedScope` has run in the same transaction: its dossiers' rows,
 * copied once, so that each rule reads them from a small temporary table rather than probing the
 * dossiers table again per rule — a random page read per changed dossier, every rule.
 */
export const CHANGED_DOSSIERS: SweepScope = {
  dossiers: sql`sweep_scope`,
  scope: sql`d.code IN (SELECT code FROM sweep_scope)`,
  inScope: (code) => sql`${code} IN (SELECT code FROM sweep_scope)`,
};
/** What the rules read of a dossier (src/sweep/rules, stateAsOf): all a scope row carries. */
const RULE_COLUMNS = sql.raw(
  [
    "code",
    "agency_code",
    "status",
    "received_at",
    "promised_due_at",
    "statutory_due_at",
    "binding_due_at",
    "apology_window_starts_at",
    "finished_at",
    "returned_at",
    "completed_at",
    "processing_time_known",
  ]
    .map((c) => `d.${c}`)
    .join(", "),
);
export const ALL_DOSSIERS: SweepScope = {
  dossiers: sql`dossiers`,
  scope: sql`TRUE`,
  inScope: () => sql`TRUE`,
};

/**
 * Collects the changed set into a temporary table dropped at commit (one per session, and one
 * sweep at a time holds the lease), and returns its size.
 */
export async function createChangedScope(tx: Db, window: ChangedWindow): Promise<number> {
  const since = instantSql(window.since);
  const after = instantSql(window.lastAsOf);
  const upTo = instantSql(window.asOf);
  const crossed = (column: SQL) => sql`(${column} > ${after} AND ${column} <= ${upTo})`;
  // LIMIT 1 keeps the copy a key look-up per changed dossier: the planner, unsure how few they
  // are (an expression index's estimate), would otherwise walk the whole primary key to merge them.
  await tx.execute(sql`
    CREATE TEMP TABLE sweep_scope ON COMMIT DROP AS
    SELECT x.* FROM (
    SELECT d.code FROM dossiers d
    -- written (updated_at), recomputed (computed_at) since the last sweep, or with history rows
    -- after its asOf (sync writes them at the record's source time, never after the dossier's own):
    -- one indexed expression for the three (dossiers_touched_idx), a few rows more at most
    WHERE greatest(d.updated_at, d.computed_at, d.source_updated_at) >= least(${since}, ${after})
      OR ${crossed(sql`d.binding_due_at`)} OR ${crossed(sql`d.received_at`)} OR ${crossed(sql`d.completed_at`)}
    UNION
    SELECT l.dossier_code FROM apology_letters l
    WHERE l.issued_at >= ${since} OR ${crossed(sql`l.issued_at`)} OR ${crossed(sql`l.new_due_at`)}
    UNION
    SELECT p.dossier_code FROM dossier_pauses p
    -- an open pause: the sweep has just recomputed the dossier's deadlines as of asOf
    WHERE p.ended_at IS NULL OR ${crossed(sql`p.started_at`)} OR ${crossed(sql`p.ended_at`)}) changed
    CROSS JOIN LATERAL (SELECT ${RULE_COLUMNS} FROM dossiers d WHERE d.code = changed.code LIMIT 1) x`);
  // A primary key, so that the rules' probes of one candidate dossier are index look-ups.
  await tx.execute(sql`ALTER TABLE sweep_scope ADD PRIMARY KEY (code)`);
  await tx.execute(sql`ANALYZE sweep_scope`);
  const [row] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM sweep_scope`);
  return row.n;
}

/** A digest of the working calendar: an edited day can change `received_on_day_off` of any dossier. */
export async function calendarVersion(db: Db): Promise<string> {
  const [row] = await queryRows<{ v: string }>(
    db,
    sql`SELECT md5(coalesce(string_agg(date::text || kind, ',' ORDER BY date), '')) AS v FROM calendar_days`,
  );
  return row.v;
}

/** Whether an open dossier has a pause still running (its stored deadlines depend on asOf). */
export async function anyOpenPause(db: Db): Promise<boolean> {
  const rows = await queryRows<{ code: string }>(
    db,
    sql`SELECT d.code FROM dossier_pauses p JOIN dossiers d ON d.code = p.dossier_code
        WHERE p.ended_at IS NULL AND d.completed_at IS NULL AND ${notClosedSql(sql`d.status`)} LIMIT 1`,
  );
  return rows.length > 0;
}
