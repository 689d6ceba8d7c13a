import { sql } from "drizzle-orm";
import { instantSql, isoSql, judgedSql, type Rule } from "./sql.js";

/** Provincial plans: no more than one supplement request (yêu cầu bổ sung) per dossier. */
export const multipleSupplementRequests: Rule = {
  name: "multiple_supplement_requests",
  cause: ({ asOf, scope }) => sql`
    SELECT d.code AS dossier_code, d.agency_code,
      jsonb_build_object('requests', count(*),
        'requestedAt', jsonb_agg(${isoSql(sql`p.started_at`)} ORDER BY p.started_at)) AS details
    FROM dossiers d
    JOIN dossier_pauses p ON p.dossier_code = d.code AND p.kind = 'supplement' AND p.started_at <= ${instantSql(asOf)}
    WHERE ${judgedSql(asOf)} AND ${scope}
    GROUP BY d.code, d.agency_code
    HAVING count(*) > 1`,
};
