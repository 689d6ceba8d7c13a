import { sql } from "drizzle-orm";
import { instantSql, isoSql, judgedSql, pausedAtSql, type Rule } from "./sql.js";

/**
 * DOMAIN §7: a promised due (NgayHenTra) later than the statutory due after pauses. Not judged while
 * a pause runs (the statutory due is still moving) nor while processing time is unknown; an
 * appointment no later than the dossier's apology letter's new date is that letter's re-appointment,
 * copied by the one-stop software, and is judged by `late_after_reappointment` instead.
 */
export const appointmentBeyondStatutory: Rule = {
  name: "appointment_beyond_statutory",
  cause: ({ asOf, dossiers, scope }) => sql`
    SELECT d.code AS dossier_code, d.agency_code,
      jsonb_build_object('promisedDueAt', ${isoSql(sql`d.promised_due_at`)},
        'statutoryDueAt', ${isoSql(sql`d.statutory_due_at`)}) AS details
    FROM ${dossiers} d
    WHERE ${judgedSql(asOf)} AND ${scope}
      AND d.processing_time_known AND d.promised_due_at > d.statutory_due_at
      AND NOT ${pausedAtSql(asOf)}
      AND NOT EXISTS (SELECT 1 FROM apology_letters l WHERE l.dossier_code = d.code
        AND l.issued_at <= ${instantSql(asOf)} AND d.promised_due_at <= l.new_due_at)`,
};
