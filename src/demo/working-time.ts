// The demo's default working time: Mon–Fri, 07:30–11:30 and 13:30–17:30 local, no holidays.
// An approximation for synthetic data only; the real calendar lives in src/calendar and
// src/deadlines and can be injected into the generator instead.
import { DAY_MS, MINUTE_MS, ZONE_OFFSET_MS } from "../calendar/dates.js";

const MINUTES_PER_DAY = 480;
const MINUTES_PER_WEEK = 5 * MINUTES_PER_DAY;
/** Period bounds as local minutes of the day. */
const MORNING = [450, 690] as const;
const AFTERNOON = [810, 1050] as const;

/** Working minutes since the Monday of week 0 (1969-12-29), a time in a break counting as its next start. */
export function workingIndex(date: Date): number {
  const local = date.getTime() + ZONE_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  const minute = Math.floor((local - day * DAY_MS) / MINUTE_MS);
  const mondayBased = (day + 3) % 7; // 1970-01-01 was a Thursday
  const week = Math.floor((day + 3) / 7);
  if (mondayBased >= 5) return (week + 1) * MINUTES_PER_WEEK;
  let offset: number;
  if (minute < MORNING[0]) offset = 0;
  else if (minute < MORNING[1]) offset = minute - MORNING[0];
  else if (minute < AFTERNOON[0]) offset = 240;
  else if (minute < AFTERNOON[1]) offset = 240 + minute - AFTERNOON[0];
  else offset = MINUTES_PER_DAY;
  return week * MINUTES_PER_WEEK + mondayBased * MINUTES_PER_DAY + offset;
}

/**
 * The instant of a working-minute index. Time that runs out exactly at the end of a period ends
 * there (11:30, 17:30), not at the next period's start (DOMAIN §3.3): so locate the minute before
 * the index, then step one minute forward.
 */
export function instantOfIndex(index: number): Date {
  const before = index - 1;
  const week = Math.floor(before / MINUTES_PER_WEEK);
  const inWeek = before - week * MINUTES_PER_WEEK;
  const weekday = Math.floor(inWeek / MINUTES_PER_DAY);
  const offset = inWeek - weekday * MINUTES_PER_DAY;
  const minute = offset < 240 ? MORNING[0] + offset : AFTERNOON[0] + offset - 240;
  const day = week * 7 + weekday - 3;
  return new Date(day * DAY_MS + (minute + 1) * MINUTE_MS - ZONE_OFFSET_MS);
}

export function addWorkingHours(from: Date, hours: number): Date {
  return instantOfIndex(workingIndex(from) + Math.round(hours * 60));
}

export function workingHoursBetween(from: Date, to: Date): number {
  return (workingIndex(to) - workingIndex(from)) / 60;
}
