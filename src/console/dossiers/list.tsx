// The dossier list: search by code or applicant, filter by state, letter, agency and receipt date;
// newest first, a page at a time. The query is read through the API's own schema (DossierListQuery)
// with the form's letter filter beside it; the page itself is ./list-view.tsx.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { agencyForPrincipal } from "../../auth/queries.js";
import { listDossiers } from "../../dossiers/list.js";
import { DossierListQuery } from "../../dossiers/routes.js";
import { asOfOr } from "../../http/params.js";
import type { ConsoleEnv } from "../env.js";
import { localDay } from "../format.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { consoleQuery, dayStartOf } from "../query.js";
import { DossierListView } from "./list-view.js";

const PAGE_SIZE = 25;
const LETTER_FILTER = { none: false, issued: true } as const;

/** The API's filters (its page size aside: the console's is its own) and whether a letter was issued. */
export const ConsoleDossierQuery = DossierListQuery.omit({ limit: true }).extend({
  letter: z.enum(["none", "issued"]).optional(),
});

export async function dossierList(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  // The form's days (dd/mm/yyyy or yyyy-mm-dd) are their 00:00 in Viet Nam, as the API takes them.
  const query = consoleQuery(c, ConsoleDossierQuery, { lax: { from: dayStartOf, to: dayStartOf } });
  const asOf = asOfOr(query.asOf, deps.clock.now());
  if (query.agency) await agencyForPrincipal(db, principal, query.agency);
  const { letter, ...filter } = query;
  const [page, names] = await Promise.all([
    listDossiers(db, principal, {
      ...filter,
      asOf,
      hasLetter: letter ? LETTER_FILTER[letter] : undefined,
      limit: PAGE_SIZE,
    }),
    agencyNames(db, principal),
  ]);
  return render(
    c,
    { title: "Hồ sơ", active: "dossiers" },
    <DossierListView
      filters={{
        ...filter,
        letter,
        from: query.from ? localDay(query.from) : undefined,
        to: query.to ? localDay(query.to) : undefined,
      }}
      page={page}
      names={names}
      wide={principal.scopeKind !== "agency"}
      canIssue={principal.role !== "inspector"}
    />,
  );
}
