import { describe, expect, it } from "vitest";
import { calendarYear } from "../../src/calendar/calendar-year.js";
import { dayNumberOf, isoDateOf, isWeekendDay, weekdayOf } from "../../src/calendar/dates.js";
import { LUNAR_DATES } from "../../src/calendar/lunar-dates.js";
import { computedLunarDays, generateProvisionalYear } from "../../src/calendar/provisional.js";
import type { CalendarYear } from "../../src/calendar/types.js";

function nonWeekend(year: CalendarYear): string[] {
  return year.days.filter((d) => d.kind !== "weekend").map((d) => `${d.date} ${d.kind} ${d.name}`);
}

describe("provisional years from the Labour Code", () => {
  it("2027: Tết (mùng 1 = Sat 6/2) from 30 Tết, weekend overlap paid by substitutes; 1/5 on Sat → Mon 3/5; 2/9 Thu + Fri 3/9", () => {
    const y = generateProvisionalYear(2027);
    expect(y.provisional).toBe(true);
    expect(nonWeekend(y)).toEqual([
      "2027-01-01 holiday Tết Dương lịch",
      "2027-02-05 holiday Tết Nguyên đán",
      "2027-02-06 holiday Tết Nguyên đán",
      "2027-02-07 holiday Tết Nguyên đán",
      "2027-02-08 holiday Tết Nguyên đán",
      "2027-02-09 holiday Tết Nguyên đán",
      "2027-02-10 substitute Nghỉ bù Tết Nguyên đán",
      "2027-02-11 substitute Nghỉ bù Tết Nguyên đán",
      "2027-04-16 holiday Giỗ Tổ Hùng Vương",
      "2027-04-30 holiday Ngày Chiến thắng",
      "2027-05-01 holiday Quốc tế Lao động",
      "2027-05-03 substitute Nghỉ bù Quốc tế Lao động",
      "2027-09-02 holiday Quốc khánh",
      "2027-09-03 holiday Quốc khánh",
      "2027-11-24 holiday Ngày Văn hóa Việt Nam",
    ]);
  });

  it("reproduces the real 2023 Giỗ Tổ (Sat 29/4) and 30/4 (Sun) substitutes: Tue 2/5 and Wed 3/5", () => {
    const days = nonWeekend(generateProvisionalYear(2023));
    expect(days).toContain("2023-05-02 substitute Nghỉ bù Giỗ Tổ Hùng Vương");
    expect(days).toContain("2023-05-03 substitute Nghỉ bù Ngày Chiến thắng");
    expect(days).toContain("2023-09-01 holiday Quốc khánh");
    expect(days).toContain("2023-09-04 substitute Nghỉ bù Quốc khánh");
  });

  it("applies the code in force: 2005 has no Giỗ Tổ and a 4-day Tết; 2015 a single Quốc khánh day", () => {
    const y2005 = generateProvisionalYear(2005);
    expect(y2005.days.filter((d) => d.name === "Giỗ Tổ Hùng Vương")).toEqual([]);
    expect(y2005.days.filter((d) => d.kind === "holiday" && d.name === "Tết Nguyên đán")).toHaveLength(4);
    expect(y2005.days[0].legalRef).toContain("1994");
    const y2015 = generateProvisionalYear(2015);
    expect(y2015.days.filter((d) => d.kind === "holiday" && d.name === "Quốc khánh")).toHaveLength(1);
    expect(y2015.days.filter((d) => d.kind === "holiday" && d.name === "Tết Nguyên đán")).toHaveLength(5);
    expect(generateProvisionalYear(2025).days.some((d) => d.name === "Ngày Văn hóa Việt Nam")).toBe(false);
  });

  it("covers 2000–2100: every statutory day is off and every weekend holiday is paid back on a weekday", () => {
    for (let year = 2000; year <= 2100; year++) {
      const y = generateProvisionalYear(year);
      const holidays = y.days.filter((d) => d.kind === "holiday");
      const substitutes = y.days.filter((d) => d.kind === "substitute");
      const onWeekend = holidays.filter((d) => isWeekendDay(dayNumberOf(d.date))).length;
      const owedTwice =
        holidays.length < expectedHolidayCount(year) ? expectedHolidayCount(year) - holidays.length : 0;
      expect(substitutes.length, String(year)).toBe(onWeekend + owedTwice);
      for (const s of substitutes) expect(isWeekendDay(dayNumberOf(s.date))).toBe(false);
      expect(y.days.some((d) => d.date === `${year}-09-02` && d.kind === "holiday")).toBe(true);
    }
  });

  it("refuses years it cannot generate", () => {
    expect(() => generateProvisionalYear(1989)).toThrow(RangeError);
    expect(() => generateProvisionalYear(2200)).toThrow(RangeError);
    expect(() => generateProvisionalYear(2030.5)).toThrow(RangeError);
  });

  it("takes Tết and Giỗ Tổ of 1990–2100 from a table that agrees with date-holidays", () => {
    for (const [year, dates] of LUNAR_DATES) {
      const computed = computedLunarDays(year);
      expect([isoDateOf(computed.tet), isoDateOf(computed.gioTo)], String(year)).toEqual([
        `${year}-${dates.tet}`,
        `${year}-${dates.gioTo}`,
      ]);
    }
    expect([...LUNAR_DATES.keys()]).toEqual(Array.from({ length: 111 }, (_, i) => 1990 + i));
  });

  it("rests on Sundays only before the five-day week of QĐ 188/1999 (2 October 1999)", () => {
    const y1995 = generateProvisionalYear(1995);
    const weekends = y1995.days.filter((d) => d.kind === "weekend");
    expect(weekends.every((d) => weekdayOf(dayNumberOf(d.date)) === 0)).toBe(true);
    // Quốc khánh 1995 fell on a Saturday, a working day then: no substitute.
    expect(y1995.days.some((d) => d.kind === "substitute" && d.name?.includes("Quốc khánh"))).toBe(false);
    const y1999 = generateProvisionalYear(1999);
    const kindOf = (date: string) => y1999.days.find((d) => d.date === date)?.kind;
    expect(kindOf("1999-09-25")).toBeUndefined(); // a working Saturday
    expect(kindOf("1999-10-02")).toBe("weekend"); // the first rested one
    // Tết 1990 took in a Sunday (28/1): paid back on Tuesday 30/1.
    expect(generateProvisionalYear(1990).days.find((d) => d.date === "1990-01-30")?.kind).toBe("substitute");
  });

  it("calendarYear ships the official years and generates the others", () => {
    expect(calendarYear(2025).provisional).toBe(false);
    expect(calendarYear(2030).provisional).toBe(true);
  });
});

/** Statutory holiday dates per year (before merging coinciding ones). */
function expectedHolidayCount(year: number): number {
  const tet = year >= 2013 ? 5 : 4;
  const gioTo = year >= 2007 ? 1 : 0;
  const nationalDay = year >= 2021 ? 2 : 1;
  const culture = year >= 2026 ? 1 : 0;
  return 1 + tet + gioTo + 2 + nationalDay + culture;
}
