import { sql } from "drizzle-orm";
import { notClosedSql } from "../../deadlines/dossier-record.js";
import { stateAsOf } from "../../dossiers/state-sql.js";
import { hasLetterBySql, instantSql, isoSql, judgedSql, type Rule } from "./sql.js";

/** DOMAIN §7 and the provincial plans (§1): an apology for every late dossier — overdue or finished late, and no letter. */
export const lateWithoutApology: Rule = {
  name: "late_without_apology",
  cause: ({ asOf, dossiers, scope }) => sql`
    SELECT d.code AS dossier_code, d.agency_code,
      jsonb_build_object('state', s.state, 'bindingDueAt', ${isoSql(sql`d.binding_due_at`)}) AS details
    FROM ${dossiers} d
    CROSS JOIN LATERAL (SELECT ${stateAsOf(asOf)} AS state) s
    WHERE ${judgedSql(asOf)} AND ${scope}
      -- the candidates, through the partial index of dossiers not completed by their due
      AND ${notClosedSql(sql`d.status`)} AND (d.completed_at IS NULL OR d.completed_at > d.binding_due_at)
      AND d.binding_due_at < ${instantSql(asOf)}
      AND s.state IN ('overdue', 'late')
      AND NOT ${hasLetterBySql(asOf)}`,
};
