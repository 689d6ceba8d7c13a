import { sql } from "drizzle-orm";
import { isoSql, judgedSql, letterJoinSql, type Rule } from "./sql.js";

/**
 * DOMAIN §1: the apology is sent at the latest 1 working day before the binding due, i.e. by the start
 * of the apology window (stored as `apology_window_starts_at`); a letter issued after it is late.
 */
export const apologyAfterDeadline: Rule = {
  name: "apology_after_deadline",
  cause: ({ asOf, dossiers, scope }) => sql`
    SELECT d.code AS dossier_code, d.agency_code,
      jsonb_build_object('letterId', l.id, 'issuedAt', ${isoSql(sql`l.issued_at`)},
        'apologyDeadline', ${isoSql(sql`d.apology_window_starts_at`)}) AS details
    FROM ${dossiers} d ${letterJoinSql(asOf)}
    WHERE ${judgedSql(asOf)} AND ${scope}
      AND d.apology_window_starts_at IS NOT NULL AND l.issued_at > d.apology_window_starts_at`,
};
