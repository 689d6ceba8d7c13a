// Assembles a CalendarYear from its days off: fills in every remaining weekly rest day (Saturday and
// Sunday; Sunday only before the five-day week of October 1999) as `weekend`, rejects two entries
// for one date, and sorts. Shared by the shipped official years and
// the generated provisional ones so that both have the same shape.
import { dayNumberOf, isoDateOf, weekdayOf } from "./dates.js";
import type { CalendarDay, CalendarDayKind, CalendarYear } from "./types.js";

/** QĐ 188/1999/QĐ-TTg: 40-hour week, Saturday and Sunday off in the public sector. */
export const WEEKEND_REF = "Quyết định 188/1999/QĐ-TTg";

/** The weekly rest day of the six-day week before QĐ 188/1999 (Bộ luật Lao động 1994, Điều 72). */
export const SUNDAY_REF = "Bộ luật Lao động 1994, Điều 72";

/** The first Saturday the public sector rested under QĐ 188/1999/QĐ-TTg (signed 17/9/1999). */
export const FIVE_DAY_WEEK_FROM = "1999-10-02";

/** Saturday and Sunday; before the five-day week (October 1999), Sunday only. */
export function isRestDay(dayNumber: number): boolean {
  if (weekdayOf(dayNumber) === 0) return true;
  return weekdayOf(dayNumber) === 6 && dayNumber >= dayNumberOf(FIVE_DAY_WEEK_FROM);
}

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
    if (day.kind === "weekend" && !isRestDay(dayNumberOf(day.date))) {
      throw new RangeError(`${day.date} is not a weekly rest day`);
    }
    byDate.set(day.date, day);
  }
  for (let d = dayNumberOf(`${year}-01-01`); d <= dayNumberOf(`${year}-12-31`); d++) {
    const date = isoDateOf(d);
    if (isRestDay(d) && !byDate.has(date)) {
      const ref = d >= dayNumberOf(FIVE_DAY_WEEK_FROM) ? WEEKEND_REF : SUNDAY_REF;
      byDate.set(date, calendarDay(date, "weekend", null, ref));
    }
  }
  const days = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  return { year, provisional, days };
}
