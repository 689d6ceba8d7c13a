// One dossier: the handler reads the dossier's views as of the query's asOf (the API's AsOfQuery)
// and who may act on it; the page is ./detail-view.tsx.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { dossierViews } from "../../casefile/view.js";
import { AsOfQuery, asOfOr } from "../../http/params.js";
import type { ConsoleEnv } from "../env.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { consoleQuery } from "../query.js";
import { DossierView } from "./detail-view.js";

/** The detail's query, as the API's GET /api/v1/dossiers/{code} reads it. */
const DetailQuery = z.object({ asOf: AsOfQuery });

export async function dossierPage(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const code = c.req.param("code") ?? "";
  const asOf = asOfOr(consoleQuery(c, DetailQuery).asOf, deps.clock.now());
  const [views, names] = await Promise.all([
    dossierViews(deps.database.db, principal, code, asOf),
    agencyNames(deps.database.db, principal),
  ]);
  return render(
    c,
    { title: `Hồ sơ ${views.detail.code}`, active: "dossiers" },
    <DossierView
      views={views}
      names={names}
      canIssue={principal.role === "officer" || principal.role === "admin"}
      canJudge={principal.role === "inspector" || principal.role === "admin"}
      csrfToken={c.var.csrfToken}
    />,
  );
}
