import { sql } from "drizzle-orm";
import { instantSql, isoSql, judgedDossierOf, type Rule } from "./sql.js";

/** Provincial plans: no more than one supplement request (yêu cầu bổ sung) per dossier. */
export const multipleSupplementRequests: Rule = {
  name: "multiple_supplement_requests",
  cause: (context) => sql`
    SELECT d.code AS dossier_code, d.agency_code,
      jsonb_build_object('requests', x.requests, 'requestedAt',
        (SELECT jsonb_agg(${isoSql(sql`p.started_at`)} ORDER BY p.started_at) FROM dossier_pauses p
         WHERE p.dossier_code = d.code AND p.kind = 'supplement' AND p.started_at <= ${instantSql(context.asOf)})) AS details
    FROM (
      SELECT dossier_code, count(*) AS requests FROM dossier_pauses
      WHERE kind = 'supplement' AND started_at <= ${instantSql(context.asOf)}
        -- the scope here too, so that an incremental sweep starts from the changed dossiers
        AND ${context.inScope(sql`dossier_code`)}
      GROUP BY dossier_code
      HAVING count(*) > 1
    ) x
    ${judgedDossierOf(sql`x.dossier_code`, context)}`,
};
