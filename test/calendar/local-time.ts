// Test helpers: write and read instants as Asia/Ho_Chi_Minh wall-clock text, "YYYY-MM-DD HH:MM".
import { calendarYears } from "../../src/calendar/calendar-year.js";
import type { WorkingPeriods } from "../../src/calendar/working-periods.js";
import { WorkingTimeIndex } from "../../src/calendar/working-time.js";

/** "2025-01-24 10:00" (local, +07) → Date. */
export function at(local: string): Date {
  const d = new Date(`${local.replace(" ", "T")}:00+07:00`);
  if (Number.isNaN(d.getTime())) throw new Error(`bad local time ${local}`);
  return d;
}

export const ms = (local: string): number => at(local).getTime();

/** Date or epoch ms → "YYYY-MM-DD HH:MM" (local, +07; seconds must be zero). */
export function local(t: Date | number | null): string | null {
  if (t === null) return null;
  const iso = new Date((typeof t === "number" ? t : t.getTime()) + 7 * 3_600_000).toISOString();
  if (!iso.endsWith(":00.000Z")) return iso;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Index over the official years 2024–2026 and the provisional 2023 and 2027. */
export function officialIndex(periods?: WorkingPeriods): WorkingTimeIndex {
  return new WorkingTimeIndex(calendarYears(2023, 2027), periods);
}
