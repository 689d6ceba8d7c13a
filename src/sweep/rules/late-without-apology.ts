import { sql } from "drizzle-orm";
import { stateAsOf } from "../../dossiers/state-sql.js";
import { hasLetterBySql, isoSql, judgedSql, type Rule } from "./sql.js";

/** SPEC §6 and the provincial plans: an apology for every late dossier — overdue or finished late, and no letter. */
export const lateWithoutApology: Rule = {
  name: "late_without_apology",
  cause: ({ asOf, scope }) => sql`
    SELECT d.code AS dossier_code, d.agency_code,
      jsonb_build_object('state', s.state, 'bindingDueAt', ${isoSql(sql`d.binding_due_at`)}) AS details
    FROM dossiers d
    CROSS JOIN LATERAL (SELECT ${stateAsOf(asOf)} AS state) s
    WHERE ${judgedSql(asOf)} AND ${scope}
      AND s.state IN ('overdue', 'late')
      AND NOT ${hasLetterBySql(asOf)}`,
};
