// The report period and scope as the report pages read them from the query string, and the form.
import type { Context } from "hono";
import { type Agency, agencyForPrincipal } from "../../catalog/agencies.js";
import { ApiError } from "../../http/errors.js";
import { localParts } from "../../letters/dates.js";
import { AgencySelect, DayField } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { queryParam } from "../form.js";
import { localDayStart, parseDay } from "../format.js";
import type { AgencyNames } from "../names.js";

const pad2 = (n: number) => String(n).padStart(2, "0");

export interface Period {
  /** ISO local dates; `to` is exclusive. */
  from: string;
  to: string;
  agency?: string;
}

/** The period from the query (dd/mm/yyyy or yyyy-mm-dd), by default the year so far (to the end of this month). */
export function periodOf(c: Context<ConsoleEnv>): Period {
  const now = localParts(c.var.deps.clock.now());
  const from = parseDay(queryParam(c, "from")) ?? `${now.year}-01-01`;
  const nextMonth = now.month === 12 ? `${now.year + 1}-01-01` : `${now.year}-${pad2(now.month + 1)}-01`;
  const to = parseDay(queryParam(c, "to")) ?? nextMonth;
  if (localDayStart(from) >= localDayStart(to))
    throw new ApiError("BAD_REQUEST", "“Từ ngày” phải trước “đến ngày”.");
  return { from, to, agency: queryParam(c, "agency") };
}

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
      <button type="submit">Xem báo cáo</button>
    </form>
  );
}
