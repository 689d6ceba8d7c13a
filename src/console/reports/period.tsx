// The report period and scope as the report pages read them: through the API's own query schemas
// (ComplianceQuery, RepeatLatenessQuery), days as officials type them, and the form.
import type { Context } from "hono";
import { agencyForPrincipal } from "../../auth/queries.js";
import { localParts } from "../../calendar/dates.js";
import type { Agency } from "../../catalog/agencies.js";
import { asOfOr } from "../../http/params.js";
import { AgencySelect, DayField } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { localDay, localDayStart } from "../format.js";
import type { AgencyNames } from "../names.js";
import { consoleQuery, isoDayOf, type QuerySchema } from "../query.js";

const pad2 = (n: number) => String(n).padStart(2, "0");

export interface Period {
  /** ISO local dates; `to` is exclusive. */
  from: string;
  to: string;
  agency?: string;
  /** The report as of this time (the API's asOf), when asked; now otherwise. */
  asOf?: string;
}

/**
 * A report's query through the API's schema (ComplianceQuery, RepeatLatenessQuery). The form's days may be dd/mm/yyyy; a period left out
 * is the year so far (to the end of this month).
 */
export function reportQuery<T extends ReportQuery>(c: Context<ConsoleEnv>, schema: QuerySchema<T>): T {
  const now = localParts(c.var.deps.clock.now());
  const nextMonth = now.month === 12 ? `${now.year + 1}-01-01` : `${now.year}-${pad2(now.month + 1)}-01`;
  return consoleQuery(c, schema, {
    lax: { from: isoDayOf, to: isoDayOf },
    defaults: { from: `${now.year}-01-01`, to: nextMonth },
  });
}

/** The period of a parsed report query, as the pages show and link it. */
/** What every report query has (ComplianceQuery, RepeatLatenessQuery). */
type ReportQuery = { from: Date; to: Date; agency?: string; asOf?: string };

export const periodOf = (q: ReportQuery): Period => ({
  from: localDay(q.from),
  to: localDay(q.to),
  agency: q.agency,
  asOf: q.asOf,
});

/** The instant a report is computed as of: the query's asOf (bounded as the API bounds it), else now. */
export const asOfOf = (c: Context<ConsoleEnv>, period: Period) => asOfOr(period.asOf, c.var.deps.clock.now());

export async function scopeAgency(c: Context<ConsoleEnv>, code: string | undefined): Promise<Agency | null> {
  return code ? agencyForPrincipal(c.var.deps.database.db, c.var.principal, code) : null;
}

export const periodQuery = (period: Period) => ({
  from: localDayStart(period.from),
  to: localDayStart(period.to),
});

export function PeriodForm(props: {
  action: string;
  period: Period;
  names: AgencyNames;
  children?: unknown;
}) {
  return (
    <form class="filters no-print" method="get" action={props.action} aria-label="Kỳ báo cáo">
      <DayField id="from" name="from" label="Từ ngày" value={props.period.from} />
      <DayField id="to" name="to" label="Đến trước ngày" value={props.period.to} />
      <AgencySelect names={props.names} value={props.period.agency} label="Cơ quan (cả cấp dưới)" />
      {props.children}
      {props.period.asOf ? <input type="hidden" name="asOf" value={props.period.asOf} /> : null}
      <button type="submit">Xem báo cáo</button>
    </form>
  );
}
