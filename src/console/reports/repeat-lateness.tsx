// Officials late again and again: who, how often, in which window, and — one click away, as a
// table across the page — every late dossier of theirs, to drill into and justify. The query is read
// through the API's RepeatLatenessQuery; the page is ./repeat-lateness-view.tsx.
import type { Context } from "hono";
import { repeatLatenessReport } from "../../reports/repeat-lateness.js";
import { RepeatLatenessQuery } from "../../reports/routes.js";
import type { ConsoleEnv } from "../env.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { asOfOf, periodOf, periodQuery, reportQuery, scopeAgency } from "./period.js";
import { RepeatLatenessView } from "./repeat-lateness-view.js";

export async function repeatLateness(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const query = reportQuery(c, RepeatLatenessQuery);
  const period = periodOf(query);
  const { threshold, window } = query;
  const agency = await scopeAgency(c, period.agency);
  const [report, names] = await Promise.all([
    repeatLatenessReport(deps.database.db, principal, {
      ...periodQuery(period),
      asOf: asOfOf(c, period),
      agency,
      threshold,
      window,
    }),
    agencyNames(deps.database.db, principal),
  ]);
  return render(
    c,
    { title: "Cán bộ chậm muộn nhiều lần", active: "repeat" },
    <RepeatLatenessView
      period={period}
      threshold={threshold}
      window={window}
      report={report}
      names={names}
    />,
  );
}
