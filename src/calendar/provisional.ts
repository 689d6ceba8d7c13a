// Generates a year's days off from the Labour Code when no official schedule is shipped (DOMAIN §2).
// The result is provisional: the Prime Minister decides the exact Tết and Quốc khánh days and any
// swaps each year, so an admin confirms or edits the generated year.
//
// Rules by the code in force in the year:
// - Bộ luật Lao động 45/2019/QH14 (from 2021), Điều 112: 1/1; Tết 5 days; Giỗ Tổ 10/3 âm lịch;
//   30/4; 1/5; Quốc khánh 2/9 plus one adjacent day (before or after).
// - Bộ luật Lao động 10/2012/QH13 (2013–2020), Điều 115: the same, but Quốc khánh 2/9 only.
// - Bộ luật Lao động 1994 as amended (until 2012), Điều 73: Tết 4 days; Giỗ Tổ from 2007. Its
//   holidays stand in for the rules before it (1990–1994), which are not encoded.
// - Nghị quyết 28/2026/QH16: Ngày Văn hóa Việt Nam 24/11, from 2026.
// Sync accepts receipts from 1990: before the five-day week of QĐ 188/1999/QĐ-TTg (from 2 October
// 1999) the public sector worked Saturdays, so only Sunday is a weekly rest day then (isRestDay).
// A holiday on a weekly rest day (or on another holiday) gives a `substitute` day off on the next
// working day (Điều 111 khoản 3 of the 2019 code; Điều 115 khoản 3 of the 2012 code; Điều 73 of 1994).
//
// Tết: we place the block as the decisions usually do, the last day of the lunar year (30 or 29
// Tết) plus the first days of the new year (mùng 1–4), and let the substitute rule extend it when it
// overlaps a weekend. We do not invent bridge swaps: those need a decision, not a rule.
import Holidays from "date-holidays";
import { dayNumberOf, isoDateOf, isWeekendDay } from "./dates.js";
import { LUNAR_DATES } from "./lunar-dates.js";
import type { CalendarDay, CalendarYear } from "./types.js";
import { buildCalendarYear, calendarDay, isRestDay } from "./year-builder.js";

export const PROVISIONAL_MIN_YEAR = 1990;
export const PROVISIONAL_MAX_YEAR = 2199;

interface LabourCode {
  holidayRef: string;
  substituteRef: string;
  tetDays: number;
  nationalDayDays: number;
}

function labourCodeOf(year: number): LabourCode {
  if (year >= 2021) {
    return {
      holidayRef: "Bộ luật Lao động 45/2019/QH14, Điều 112",
      substituteRef: "Bộ luật Lao động 45/2019/QH14, Điều 111 khoản 3",
      tetDays: 5,
      nationalDayDays: 2,
    };
  }
  if (year >= 2013) {
    return {
      holidayRef: "Bộ luật Lao động 10/2012/QH13, Điều 115",
      substituteRef: "Bộ luật Lao động 10/2012/QH13, Điều 115 khoản 3",
      tetDays: 5,
      nationalDayDays: 1,
    };
  }
  return {
    holidayRef: "Bộ luật Lao động 1994 (sửa đổi 2002, 2006, 2007), Điều 73",
    substituteRef: "Bộ luật Lao động 1994 (sửa đổi 2002, 2006, 2007), Điều 73",
    tetDays: 4,
    nationalDayDays: 1,
  };
}

/** Gregorian day numbers of lunar 1/1 (Tết) and 10/3 (Giỗ Tổ) in the year, from date-holidays. */
const TET_RULE = "vietnamese 1-0-1";
const GIO_TO_RULE = "vietnamese 3-0-10";
let lunarRules: Holidays | undefined;
const lunarCache = new Map<number, { tet: number; gioTo: number }>();

/** date-holidays' VN rules reduced to the two lunar public holidays: observances dropped, and the
 *  astronomy for the other lunar dates (the slow part) never computed. */
function lunarHolidayRules(): Holidays {
  if (!lunarRules) {
    lunarRules = new Holidays("VN");
    // getRules() yields { rule, … } objects; the package's typings declare them as a class without it.
    const rules = lunarRules.getRules() as unknown as ReadonlyArray<{ rule: string }>;
    for (const { rule } of rules) {
      if (rule !== TET_RULE && rule !== GIO_TO_RULE) lunarRules.unsetRule(rule);
    }
  }
  return lunarRules;
}

/** Gregorian day numbers of lunar 1/1 (Tết) and 10/3 (Giỗ Tổ) in the year: the table, else date-holidays. */
function lunarDays(year: number): { tet: number; gioTo: number } {
  const cached = lunarCache.get(year);
  if (cached) return cached;
  const tabled = LUNAR_DATES.get(year);
  if (tabled) {
    const found = {
      tet: dayNumberOf(`${year}-${tabled.tet}`),
      gioTo: dayNumberOf(`${year}-${tabled.gioTo}`),
    };
    lunarCache.set(year, found);
    return found;
  }
  return computedLunarDays(year);
}

/** The same from date-holidays' astronomy (~16 ms a year): for years beyond the table. */
export function computedLunarDays(year: number): { tet: number; gioTo: number } {
  const publicDays = lunarHolidayRules()
    .getHolidays(year)
    .filter((h) => h.type === "public");
  const byRule = (rule: string): number | undefined => {
    const h = publicDays.find((x) => x.rule === rule);
    return h ? dayNumberOf(h.date.slice(0, 10)) : undefined;
  };
  const tet = byRule(TET_RULE);
  const gioTo = byRule(GIO_TO_RULE);
  if (tet === undefined || gioTo === undefined) {
    throw new RangeError(`no lunar dates for ${year} from date-holidays`);
  }
  const found = { tet, gioTo };
  if (!LUNAR_DATES.has(year)) lunarCache.set(year, found);
  return found;
}

/** Quốc khánh's adjacent day (Điều 112): the neighbour that makes the longer break with the weekend. */
function nationalDayAdjacent(year: number): number {
  const sep2 = dayNumberOf(`${year}-09-02`);
  const before = sep2 - 1;
  const after = sep2 + 1;
  if (isWeekendDay(before)) return after; // 2/9 on Monday: 3/9 (as in 2024)
  if (isWeekendDay(after)) return before; // 2/9 on Friday: 1/9 (as in 2022)
  if (isWeekendDay(sep2 + 2)) return after; // 2/9 on Thursday: 3/9 (as in 2021)
  return before; // Tuesday, Wednesday, weekend: 1/9 (as in 2025, 2026, 2023)
}

interface Occurrence {
  day: number;
  name: string;
}

function statutoryOccurrences(year: number, code: LabourCode): Occurrence[] {
  const { tet, gioTo } = lunarDays(year);
  const days: Occurrence[] = [{ day: dayNumberOf(`${year}-01-01`), name: "Tết Dương lịch" }];
  for (let i = -1; i < code.tetDays - 1; i++) days.push({ day: tet + i, name: "Tết Nguyên đán" });
  if (year >= 2007) days.push({ day: gioTo, name: "Giỗ Tổ Hùng Vương" });
  days.push({ day: dayNumberOf(`${year}-04-30`), name: "Ngày Chiến thắng" });
  days.push({ day: dayNumberOf(`${year}-05-01`), name: "Quốc tế Lao động" });
  days.push({ day: dayNumberOf(`${year}-09-02`), name: "Quốc khánh" });
  if (code.nationalDayDays === 2) days.push({ day: nationalDayAdjacent(year), name: "Quốc khánh" });
  if (year >= 2026) days.push({ day: dayNumberOf(`${year}-11-24`), name: "Ngày Văn hóa Việt Nam" });
  return days.sort((a, b) => a.day - b.day);
}

export function generateProvisionalYear(year: number): CalendarYear {
  if (!Number.isInteger(year) || year < PROVISIONAL_MIN_YEAR || year > PROVISIONAL_MAX_YEAR) {
    throw new RangeError(
      `provisional calendars cover ${PROVISIONAL_MIN_YEAR}–${PROVISIONAL_MAX_YEAR}, not ${year}`,
    );
  }
  const code = labourCodeOf(year);
  const off = new Map<number, CalendarDay>();
  const owed: Occurrence[] = [];
  for (const o of statutoryOccurrences(year, code)) {
    if (off.has(o.day)) {
      owed.push(o); // two holidays on one date (e.g. Giỗ Tổ on 30/4): the second is owed a day
      continue;
    }
    off.set(o.day, calendarDay(isoDateOf(o.day), "holiday", o.name, code.holidayRef));
    if (isRestDay(o.day)) owed.push(o);
  }
  for (const o of owed) {
    let d = o.day + 1;
    while (isRestDay(d) || off.has(d)) d++;
    off.set(d, calendarDay(isoDateOf(d), "substitute", `Nghỉ bù ${o.name}`, code.substituteRef));
  }
  return buildCalendarYear(year, true, [...off.values()]);
}
