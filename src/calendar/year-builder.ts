// Assembles a CalendarYear from its days off: fills in every remaining Saturday and Sunday as
// `weekend`, rejects two entries for one date, and sorts. Shared by the shipped official years and
// the generated provisional ones so that both have the same shape.
import { dayNumberOf, isoDateOf, isWeekendDay } from "./dates.js";
import type { CalendarDay, CalendarDayKind, CalendarYear } from "./types.js";

/** QĐ 188/1999/QĐ-TTg: 40-hour week, Saturday and Sunday off in the public sector. */
export const WEEKEND_REF = "Quyết định 188/1999/QĐ-TTg";

export function calendarDay(
  date: string,
  kind: CalendarDayKind,
  name: string | null,
  legalRef: string | null,
): CalendarDay {
  dayNumberOf(date);
  return { date, kind, name, legalRef };
}

/** Each date of [from, to] (inclusive, "YYYY-MM-DD"). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayNumberOf(from); d <= dayNumberOf(to); d++) out.push(isoDateOf(d));
  return out;
}

export function buildCalendarYear(year: number, provisional: boolean, daysOff: CalendarDay[]): CalendarYear {
  const byDate = new Map<string, CalendarDay>();
  for (const day of daysOff) {
    if (!day.date.startsWith(`${year}-`)) throw new RangeError(`${day.date} is not in ${year}`);
    if (byDate.has(day.date)) throw new RangeError(`two calendar entries for ${day.date}`);
    if (day.kind === "weekend" && !isWeekendDay(dayNumberOf(day.date))) {
      throw new RangeError(`${day.date} is not a Saturday or Sunday`);
    }
    byDate.set(day.date, day);
  }
  for (let d = dayNumberOf(`${year}-01-01`); d <= dayNumberOf(`${year}-12-31`); d++) {
    const date = isoDateOf(d);
    if (isWeekendDay(d) && !byDate.has(date))
      byDate.set(date, calendarDay(date, "weekend", null, WEEKEND_REF));
  }
  const days = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  return { year, provisional, days };
}
