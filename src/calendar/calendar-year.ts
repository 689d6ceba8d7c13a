// One entry point for "the calendar of year Y": the shipped official schedule, else the generated
// provisional one (DOMAIN §2). Stored edits (the calendar table) are layered on top by the caller.
import { OFFICIAL_YEARS } from "./official.js";
import { generateProvisionalYear } from "./provisional.js";
import type { CalendarYear } from "./types.js";

export function calendarYear(year: number): CalendarYear {
  const official = OFFICIAL_YEARS.get(year);
  return official ? structuredClone(official) : generateProvisionalYear(year);
}

/** The calendars of every year from `fromYear` to `toYear` inclusive. */
export function calendarYears(fromYear: number, toYear: number): CalendarYear[] {
  const years: CalendarYear[] = [];
  for (let y = fromYear; y <= toYear; y++) years.push(calendarYear(y));
  return years;
}
