import { type SQL, sql } from "drizzle-orm";
import { workingMinutesBetweenSql } from "../calendar/working-time-sql.js";
import { notClosedSql } from "../deadlines/dossier-record.js";
import type { DossierState } from "../deadlines/types.js";

/** The local (Asia/Ho_Chi_Minh, UTC+7, no DST) date of an instant, whatever the session's time zone. */
export const localDate = (instant: SQL) => sql`((${instant} AT TIME ZONE 'UTC') + interval '7 hours')::date`;

/**
 * The start (00:00 local, UTC+7, no DST) of the local day of an instant: an earlier local date is an
 * instant before it. date_bin is plain arithmetic — a fraction of the cost of localDate's time-zone
 * conversions, which reports and sweeps would pay once per dossier.
 */
export const localMidnightOf = (instant: SQL) =>
  sql`date_bin(interval '1 day', ${instant}, '2000-01-01T00:00:00+07:00'::timestamptz)`;

/**
 * The state of DOMAIN §4 as of `asOf`, over the stored deadline columns of `d` (alias of dossiers):
 * the same rules as the pure engine's `dossierState`, which a test holds them to.
 * A dossier finished after `asOf` is still open as of `asOf`.
 */
export function stateAsOf(asOf: Date): SQL<DossierState> {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  return sql<DossierState>`CASE
    WHEN d.status IN (3, 7, 8) THEN 'closed'
    WHEN d.completed_at IS NOT NULL AND d.completed_at <= ${at} THEN CASE
      WHEN d.binding_due_at IS NULL OR d.completed_at <= d.binding_due_at THEN
        CASE WHEN d.binding_due_at IS NOT NULL
               AND d.completed_at < ${localMidnightOf(sql`d.binding_due_at`)} THEN 'early' ELSE 'on_time' END
      ELSE 'late' END
    WHEN d.binding_due_at IS NULL THEN 'on_track'
    WHEN ${at} > d.binding_due_at THEN 'overdue'
    WHEN ${at} >= d.apology_window_starts_at THEN 'due_soon'
    ELSE 'on_track' END`;
}

/**
 * DOMAIN §4 lateness as of `asOf`, in working minutes, over `d` (dossiers) and `a` (its agency): the
 * working time from the binding due to the finish (or asOf while unfinished at asOf); 0 when not
 * late or without a binding due. The same rule as the engine's `lateness`, which a test holds it
 * to; NULL only outside the calendar's years. Hours are this / 60, working days this / 480.
 */
export function latenessMinutesAsOf(asOf: Date): SQL<number | null> {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  const end = sql`(CASE WHEN d.completed_at <= ${at} THEN d.completed_at ELSE ${at} END)`;
  return sql<number | null>`CASE
    WHEN ${end} > d.binding_due_at THEN ${workingMinutesBetweenSql(sql`a.working_profile`, sql`d.binding_due_at`, end)}
    ELSE 0 END`;
}

/**
 * The stage a status code (as text, as history stores it) stands at: 1 new → 2 received →
 * 4 processing, with 5 supplement and 6 financial obligation as detours of processing (same
 * stage) → 9 processed → 10 returned; 3 rejected, 7 withdrawn and 8 stopped end a dossier. A change
 * to a lower stage goes backwards (DOMAIN §7 inconsistent_record).
 */
export const statusStage = (status: SQL) => sql`CASE ${status}
  WHEN '1' THEN 0 WHEN '2' THEN 1 WHEN '4' THEN 2 WHEN '5' THEN 2 WHEN '6' THEN 2
  WHEN '9' THEN 3 WHEN '10' THEN 4 ELSE 5 END`;

export const instantSql = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/**
 * The dossiers a sweep judges as of `asOf`: received by then and not closed. SPEC §3: rejected (3),
 * withdrawn (7) and stopped (8) dossiers are not judged — their violations stay on record as they are.
 */
export const judgedSql = (asOf: Date) =>
  sql`${notClosedSql(sql`d.status`)} AND d.received_at <= ${instantSql(asOf)}`;

/** Finished by `asOf` (a finish after asOf has not happened yet as of asOf). */
export const finishedBySql = (asOf: Date) =>
  sql`(d.completed_at IS NOT NULL AND d.completed_at <= ${instantSql(asOf)})`;

export const hasLetterBySql = (asOf: Date) =>
  sql`EXISTS (SELECT 1 FROM apology_letters l WHERE l.dossier_code = d.code AND l.issued_at <= ${instantSql(asOf)})`;
