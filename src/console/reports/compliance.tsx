// Compliance: on-time rates by agency, field or procedure, month by month, with the QĐ 766
// progress score, apology coverage and targets. The query is read through the API's ComplianceQuery;
// the page (charts as SVG beside the table) is ./compliance-view.tsx.
import type { Context } from "hono";
import { complianceReport } from "../../reports/compliance.js";
import { ComplianceQuery } from "../../reports/routes.js";
import type { ConsoleEnv } from "../env.js";
import { localDayStart } from "../format.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { ComplianceView } from "./compliance-view.js";
import { asOfOf, periodOf, periodQuery, reportQuery, scopeAgency } from "./period.js";

const MAX_MONTHS = 24;
const pad2 = (n: number) => String(n).padStart(2, "0");

/** The months of [from, to), each clipped to the period. */
function monthsOf(from: string, to: string): { label: string; from: Date; to: Date }[] {
  const out: { label: string; from: Date; to: Date }[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const end = localDayStart(to);
  while (out.length < MAX_MONTHS) {
    const first = `${year}-${pad2(month)}-01`;
    const start = new Date(Math.max(localDayStart(first).getTime(), localDayStart(from).getTime()));
    if (start >= end) break;
    const label = `${pad2(month)}/${year}`;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
    const next = new Date(Math.min(localDayStart(`${year}-${pad2(month)}-01`).getTime(), end.getTime()));
    out.push({ label, from: start, to: next });
  }
  return out;
}

export async function compliance(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const parsed = reportQuery(c, ComplianceQuery);
  const period = periodOf(parsed);
  const { groupBy } = parsed;
  const agency = await scopeAgency(c, period.agency);
  const query = { ...periodQuery(period), asOf: asOfOf(c, period), agency };
  const [report, names] = await Promise.all([
    complianceReport(db, principal, { ...query, groupBy }),
    agencyNames(db, principal),
  ]);
  const byAgency =
    groupBy === "agency" ? report : await complianceReport(db, principal, { ...query, groupBy: "agency" });
  // One statement per month: a year is twelve, and the totals are the report's own.
  const months = [];
  for (const m of monthsOf(period.from, period.to)) {
    const monthly = await complianceReport(db, principal, {
      ...query,
      from: m.from,
      to: m.to,
      groupBy: "agency",
    });
    months.push({ label: m.label, value: monthly.totals.onTimeRate });
  }
  return render(
    c,
    { title: "Kết quả giải quyết hồ sơ", active: "compliance" },
    <ComplianceView
      period={period}
      groupBy={groupBy}
      names={names}
      report={report}
      byAgency={byAgency}
      months={months}
    />,
  );
}
