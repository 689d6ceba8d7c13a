import { type SQL, sql } from "drizzle-orm";

/** The local (Asia/Ho_Chi_Minh, UTC+7, no DST) date of an instant, whatever the session's time zone. */
export const localDate = (instant: SQL) => sql`((${instant} AT TIME ZONE 'UTC') + interval '7 hours')::date`;

export const DOSSIER_STATES = [
  "on_track",
  "due_soon",
  "overdue",
  "early",
  "on_time",
  "late",
  "closed",
] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];

/**
 * The state of SPEC §3 as of `asOf`, over the stored deadline columns of `d` (alias of dossiers):
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
               AND ${localDate(sql`d.completed_at`)} < ${localDate(sql`d.binding_due_at`)} THEN 'early' ELSE 'on_time' END
      ELSE 'late' END
    WHEN d.binding_due_at IS NULL THEN 'on_track'
    WHEN ${at} > d.binding_due_at THEN 'overdue'
    WHEN ${at} >= d.apology_window_starts_at THEN 'due_soon'
    ELSE 'on_track' END`;
}
