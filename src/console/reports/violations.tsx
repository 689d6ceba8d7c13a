// Violations of the compliance rules (DOMAIN §7) in the caller's scope, newest first; the query is
// read through the API's own schema (ViolationListQuery); the page is ./violations-view.tsx.
import type { Context } from "hono";
import { agencyForPrincipal } from "../../auth/queries.js";
import { ViolationListQuery } from "../../sweep/routes.js";
import { listViolations } from "../../sweep/violations.js";
import type { ConsoleEnv } from "../env.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { consoleQuery } from "../query.js";
import { ViolationsView } from "./violations-view.js";

const PAGE_SIZE = 50;

export async function violations(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const query = consoleQuery(c, ViolationListQuery.omit({ limit: true }));
  const { rule, open, agency, dossier } = query;
  if (agency) await agencyForPrincipal(deps.database.db, principal, agency);
  const [page, names] = await Promise.all([
    listViolations(deps.database.db, principal, { ...query, limit: PAGE_SIZE }),
    agencyNames(deps.database.db, principal),
  ]);
  return render(
    c,
    { title: "Vi phạm quy định", active: "violations" },
    <ViolationsView filters={{ rule, open, agency, dossier }} page={page} names={names} />,
  );
}
