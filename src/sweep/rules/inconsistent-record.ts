import { sql } from "drizzle-orm";
import { localDate, statusStage } from "../../dossiers/state-sql.js";
import { instantSql, judgedSql, type Rule } from "./sql.js";

/**
 * Impossible data (DOMAIN §7), kept by sync and reported here; `details.checks` names each failed check:
 * - `finished_before_received`: finished (or returned) before the receipt;
 * - `returned_before_finished`: returned before the result was ready;
 * - `done_without_finish_time`: status 9/10 with neither finish nor return time;
 * - `promised_before_received`: the appointment precedes the receipt;
 * - `status_backwards`: a synced status change to an earlier stage (`statusStage`);
 * - `received_on_day_off`: received on a weekend day, holiday, substitute or swapped day off —
 *   a decreed make-up working day is a working day, a desk open on Saturday is not a decree;
 * - `step_ends_before_start`: a processing step that ends before it starts (a step due before its
 *   start is not impossible: a step can start after the due the internal process gave it).
 * Each check is one query that a (partial) index answers, so that a full sweep reads the few
 * impossible rows rather than every dossier, step and history row (`LIMIT 1` keeps the look-up of
 * their dossier a primary-key probe: the planner cannot estimate how few they are).
 */
export const inconsistentRecord: Rule = {
  name: "inconsistent_record",
  cause: ({ asOf, dossiers, scope, inScope }) => {
    const judged = sql`${judgedSql(asOf)} AND ${scope}`;
    return sql`
    SELECT dossier_code, agency_code, jsonb_build_object('checks', jsonb_agg(check_name ORDER BY rank)) AS details
    FROM (
      SELECT d.code AS dossier_code, d.agency_code, 1 AS rank, 'finished_before_received' AS check_name
        FROM ${dossiers} d WHERE d.completed_at < d.received_at AND ${judged}
      UNION ALL SELECT d.code, d.agency_code, 2, 'returned_before_finished'
        FROM ${dossiers} d WHERE d.returned_at < d.finished_at AND ${judged}
      UNION ALL SELECT d.code, d.agency_code, 3, 'done_without_finish_time'
        FROM ${dossiers} d WHERE d.status IN (9, 10) AND d.completed_at IS NULL AND ${judged}
      UNION ALL SELECT d.code, d.agency_code, 4, 'promised_before_received'
        FROM ${dossiers} d WHERE d.promised_due_at < d.received_at AND ${judged}
      UNION ALL SELECT d.code, d.agency_code, 5, 'status_backwards'
        FROM (SELECT DISTINCT h.dossier_code FROM dossier_history h
              WHERE h.field = 'status' AND h.old_value IS NOT NULL
                AND ${statusStage(sql`h.new_value`)} < ${statusStage(sql`h.old_value`)}
                AND h.source_updated_at <= ${instantSql(asOf)} AND ${inScope(sql`h.dossier_code`)}) x
        CROSS JOIN LATERAL (SELECT d.code, d.agency_code FROM ${dossiers} d WHERE d.code = x.dossier_code AND ${judged} LIMIT 1) d
      UNION ALL SELECT d.code, d.agency_code, 6, 'received_on_day_off'
        FROM ${dossiers} d
        -- an equality on the receipt's local date: a hash join, whatever the number of dossiers in scope
        JOIN calendar_days c ON c.date = ${localDate(sql`d.received_at`)}
        WHERE c.kind IN ('weekend', 'holiday', 'substitute', 'swap_off') AND ${judged}
      UNION ALL SELECT d.code, d.agency_code, 7, 'step_ends_before_start'
        FROM (SELECT DISTINCT s.dossier_code FROM dossier_steps s
              WHERE s.ended_at < s.started_at AND ${inScope(sql`s.dossier_code`)}) x
        CROSS JOIN LATERAL (SELECT d.code, d.agency_code FROM ${dossiers} d WHERE d.code = x.dossier_code AND ${judged} LIMIT 1) d
    ) found
    GROUP BY dossier_code, agency_code`;
  },
};
