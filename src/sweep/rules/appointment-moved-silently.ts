import { sql } from "drizzle-orm";
import { instantSql, isoSql, judgedDossierOf, type Rule } from "./sql.js";

/**
 * DOMAIN §7: the promised due moved later between syncs with nothing to explain it. Defined on the
 * dossier's history of `promised_due_at` (written by sync at each change, at the record's source
 * time): a move is a history row from a non-null appointment to a later one, recorded by `asOf`.
 * It is explained, and not a violation, when
 * - a pause (supplement or financial) of the dossier overlaps the stretch from when the old
 *   appointment was recorded (the previous history row of the field; else the receipt) to when the
 *   new one was: the clock stopped in between, the appointment may follow it;
 * - or an apology letter issued by the time of the move re-appointed the dossier at or after the
 *   new date (the one-stop software copying the letter's date into NgayHenTra).
 * Moves earlier, to or from no appointment, are not moves later. `details.moves` lists the
 * unexplained ones.
 */
export const appointmentMovedSilently: Rule = {
  name: "appointment_moved_silently",
  cause: (context) => sql`
    SELECT d.code AS dossier_code, d.agency_code,
      jsonb_build_object('moves', jsonb_agg(jsonb_build_object(
        'from', ${isoSql(sql`h.old_value::timestamptz`)}, 'to', ${isoSql(sql`h.new_value::timestamptz`)},
        'recordedAt', ${isoSql(sql`h.source_updated_at`)}) ORDER BY h.source_updated_at, h.id)) AS details
    FROM dossier_history h
    ${judgedDossierOf(sql`h.dossier_code`, context)}
    CROSS JOIN LATERAL (
      SELECT coalesce(max(prev.source_updated_at), d.received_at) AS old_since
      FROM dossier_history prev
      WHERE prev.dossier_code = h.dossier_code AND prev.field = 'promised_due_at'
        AND (prev.source_updated_at, prev.id) < (h.source_updated_at, h.id)
    ) since
    -- sync writes appointments as toISOString() text: compared as C strings they order as instants,
    -- and a partial index holds exactly the moves later
    WHERE h.field = 'promised_due_at' AND h.old_value IS NOT NULL
      AND h.new_value COLLATE "C" > h.old_value COLLATE "C"
      AND h.source_updated_at <= ${instantSql(context.asOf)}
      -- the scope on the history too: an incremental sweep starts from the changed dossiers
      AND ${context.inScope(sql`h.dossier_code`)}
      -- OFFSET 0 keeps each a look-up by dossier per move (an EXISTS with an offset is not turned into
      -- a join): as an anti-join, the planner hashes every pause and letter for a few thousand moves
      AND NOT EXISTS (SELECT 1 FROM dossier_pauses p WHERE p.dossier_code = d.code
        AND p.started_at <= h.source_updated_at AND (p.ended_at IS NULL OR p.ended_at >= since.old_since) OFFSET 0)
      AND NOT EXISTS (SELECT 1 FROM apology_letters l WHERE l.dossier_code = d.code
        AND l.issued_at <= h.source_updated_at AND h.new_value::timestamptz <= l.new_due_at OFFSET 0)
    GROUP BY d.code, d.agency_code`,
};
