import { sql } from "drizzle-orm";
import { finishedBySql, instantSql, isoSql, judgedSql, letterJoinSql, type Rule } from "./sql.js";

/**
 * DOMAIN §3.6, §7: after the letter, the dossier must be finished by the letter's new appointment; still
 * unfinished past it, or finished after it, breaks the one re-appointment the law allows.
 */
export const lateAfterReappointment: Rule = {
  name: "late_after_reappointment",
  cause: ({ asOf, dossiers, scope }) => sql`
    SELECT d.code AS dossier_code, d.agency_code,
      jsonb_build_object('letterId', l.id, 'newDueAt', ${isoSql(sql`l.new_due_at`)},
        'finishedAt', CASE WHEN ${finishedBySql(asOf)} THEN ${isoSql(sql`d.completed_at`)} END) AS details
    FROM ${dossiers} d ${letterJoinSql(asOf)}
    WHERE ${judgedSql(asOf)} AND ${scope}
      AND CASE WHEN ${finishedBySql(asOf)} THEN d.completed_at > l.new_due_at
               ELSE ${instantSql(asOf)} > l.new_due_at END`,
};
