// The calendar as a month grid, with the form that edits one day. A refused edit shows the same
// page again with what was typed and what to fix. The month is read from ?year=&month= through the
// API's YearParam; the page is ./calendar-view.tsx.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { localParts } from "../../calendar/dates.js";
import { calendarYearView } from "../../calendar/edit.js";
import { ApiError } from "../../http/errors.js";
import { YearParam } from "../../rulebook/calendar-routes.js";
import type { ConsoleEnv } from "../env.js";
import type { Flash } from "../layout.js";
import { render } from "../page.js";
import { consoleQuery } from "../query.js";
import { CalendarMonth, type DayFields, emptyDay } from "./calendar-view.js";

/** ?year= as the API's calendar reads its year, and a month of it; this month when left out. */
const MonthQuery = YearParam.extend({ month: z.coerce.number().int().min(1).max(12) });

function monthOf(c: Context<ConsoleEnv>) {
  const now = localParts(c.var.deps.clock.now());
  return consoleQuery(c, MonthQuery, { defaults: { year: String(now.year), month: String(now.month) } });
}

export async function calendarPage(
  c: Context<ConsoleEnv>,
  month?: { year: number; month: number },
  form?: { fields: DayFields; flash: Flash; status: ContentfulStatusCode },
) {
  const { year, month: monthNumber } = month ?? monthOf(c);
  const view = await calendarYearView(c.var.deps.database.db, year);
  if (!view) throw new ApiError("NOT_FOUND", `Calendar year ${year} not found`);
  return render(
    c,
    {
      title: `Lịch làm việc tháng ${monthNumber}/${year}`,
      active: "calendar",
      flash: form?.flash,
      status: form?.status,
    },
    <CalendarMonth
      year={year}
      month={monthNumber}
      view={view}
      csrfToken={c.var.csrfToken}
      fields={form?.fields ?? emptyDay}
    />,
  );
}
