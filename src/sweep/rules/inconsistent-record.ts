import { sql } from "drizzle-orm";
import { localDate } from "../../dossiers/state-sql.js";
import { instantSql, judgedSql, type Rule } from "./sql.js";

/**
 * The order a dossier's status moves in (SPEC §7 codes): 1 new → 2 received → 4 processing, with
 * 5 supplement and 6 financial obligation as detours of processing (same rank, freely back and
 * forth) → 9 processed → 10 returned; 3 rejected, 7 withdrawn and 8 stopped end it. A change to
 * a lower rank goes backwards (leaving an end status included).
 */
const statusRank = (value: ReturnType<typeof sql>) => sql`CASE ${value}
  WHEN '1' THEN 0 WHEN '2' THEN 1 WHEN '4' THEN 2 WHEN '5' THEN 2 WHEN '6' THEN 2
  WHEN '9' THEN 3 WHEN '10' THEN 4 ELSE 5 END`;

/**
 * Impossible data (SPEC §6), kept by sync and reported here; `details.checks` names each failed check:
 * - `finished_before_received`: finished (or returned) before the receipt;
 * - `returned_before_finished`: returned before the result was ready;
 * - `done_without_finish_time`: status 9/10 with neither finish nor return time;
 * - `promised_before_received`: the appointment precedes the receipt;
 * - `status_backwards`: a synced status change to an earlier stage (see the order above);
 * - `received_on_day_off`: received on a weekend day, holiday, substitute or swapped day off —
 *   a decreed make-up working day is a working day, a desk open on Saturday is not a decree;
 * - `step_ends_before_start`, `step_due_before_start`: a processing step's end or due before its start.
 */
export const inconsistentRecord: Rule = {
  name: "inconsistent_record",
  cause: ({ asOf, scope }) => sql`
    SELECT dossier_code, agency_code, jsonb_build_object('checks', to_jsonb(checks)) AS details
    FROM (
      SELECT d.code AS dossier_code, d.agency_code, array_remove(ARRAY[
        CASE WHEN d.completed_at < d.received_at THEN 'finished_before_received' END,
        CASE WHEN d.returned_at < d.finished_at THEN 'returned_before_finished' END,
        CASE WHEN d.status IN (9, 10) AND d.completed_at IS NULL THEN 'done_without_finish_time' END,
        CASE WHEN d.promised_due_at < d.received_at THEN 'promised_before_received' END,
        CASE WHEN EXISTS (SELECT 1 FROM dossier_history h WHERE h.dossier_code = d.code AND h.field = 'status'
            AND h.source_updated_at <= ${instantSql(asOf)} AND h.old_value IS NOT NULL
            AND ${statusRank(sql`h.new_value`)} < ${statusRank(sql`h.old_value`)})
          THEN 'status_backwards' END,
        CASE WHEN EXISTS (SELECT 1 FROM calendar_days c WHERE c.date = ${localDate(sql`d.received_at`)}
            AND c.kind IN ('weekend', 'holiday', 'substitute', 'swap_off'))
          THEN 'received_on_day_off' END,
        CASE WHEN EXISTS (SELECT 1 FROM dossier_steps s WHERE s.dossier_code = d.code AND s.ended_at < s.started_at)
          THEN 'step_ends_before_start' END,
        CASE WHEN EXISTS (SELECT 1 FROM dossier_steps s WHERE s.dossier_code = d.code AND s.due_at < s.started_at)
          THEN 'step_due_before_start' END
      ], NULL) AS checks
      FROM dossiers d
      WHERE ${judgedSql(asOf)} AND ${scope}
    ) found
    WHERE cardinality(checks) > 0`,
};
