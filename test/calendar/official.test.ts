import { describe, expect, it } from "vitest";
import { calendarYear } from "../../src/calendar/calendar-year.js";
import { dayNumberOf, isoDateOf, weekdayOf } from "../../src/calendar/dates.js";
import { OFFICIAL_YEARS } from "../../src/calendar/official.js";
import type { CalendarYear } from "../../src/calendar/types.js";

/** "date kind" for every entry that is not a plain weekend, as the DOMAIN §2 table reads. */
function nonWeekend(year: CalendarYear): string[] {
  return year.days.filter((d) => d.kind !== "weekend").map((d) => `${d.date} ${d.kind}`);
}

describe("official schedules (SPEC §3 table)", () => {
  it("2024: 1/1; Tết 8/2–14/2; Giỗ Tổ 18/4; 27/4–1/5 with 29/4 swapped for Sat 4/5; 31/8–3/9", () => {
    expect(nonWeekend(calendarYear(2024))).toEqual([
      "2024-01-01 holiday",
      "2024-02-08 holiday",
      "2024-02-09 holiday",
      "2024-02-12 holiday",
      "2024-02-13 holiday",
      "2024-02-14 holiday",
      "2024-04-18 holiday",
      "2024-04-29 swap_off",
      "2024-04-30 holiday",
      "2024-05-01 holiday",
      "2024-05-04 makeup_working",
      "2024-09-02 holiday",
      "2024-09-03 holiday",
    ]);
  });

  it("2025: 1/1; Tết 25/1–2/2; Giỗ Tổ Mon 7/4; work Sat 26/4 for Fri 2/5; 30/4–4/5; 1/9 and 2/9", () => {
    expect(nonWeekend(calendarYear(2025))).toEqual([
      "2025-01-01 holiday",
      "2025-01-27 holiday",
      "2025-01-28 holiday",
      "2025-01-29 holiday",
      "2025-01-30 holiday",
      "2025-01-31 holiday",
      "2025-04-07 holiday",
      "2025-04-26 makeup_working",
      "2025-04-30 holiday",
      "2025-05-01 holiday",
      "2025-05-02 swap_off",
      "2025-09-01 holiday",
      "2025-09-02 holiday",
    ]);
  });

  it("2026: 1/1–4/1 with 2/1 swapped for Sat 10/1; Tết 14/2–22/2; Giỗ Tổ Sun 26/4 + Mon 27/4; 30/4–3/5; 29/8–2/9 with 31/8 swapped for Sat 22/8; 24/11", () => {
    expect(nonWeekend(calendarYear(2026))).toEqual([
      "2026-01-01 holiday",
      "2026-01-02 swap_off",
      "2026-01-10 makeup_working",
      "2026-02-16 holiday",
      "2026-02-17 holiday",
      "2026-02-18 holiday",
      "2026-02-19 holiday",
      "2026-02-20 holiday",
      "2026-04-26 holiday",
      "2026-04-27 substitute",
      "2026-04-30 holiday",
      "2026-05-01 holiday",
      "2026-08-22 makeup_working",
      "2026-08-31 swap_off",
      "2026-09-01 holiday",
      "2026-09-02 holiday",
      "2026-11-24 holiday",
    ]);
  });

  it("names and legal references the days off in Vietnamese", () => {
    const y2026 = calendarYear(2026);
    const byDate = new Map(y2026.days.map((d) => [d.date, d]));
    expect(byDate.get("2026-02-18")?.name).toBe("Tết Nguyên đán");
    expect(byDate.get("2026-04-26")?.name).toBe("Giỗ Tổ Hùng Vương");
    expect(byDate.get("2026-04-27")?.name).toBe("Nghỉ bù Giỗ Tổ Hùng Vương");
    expect(byDate.get("2026-04-30")?.name).toBe("Ngày Chiến thắng");
    expect(byDate.get("2026-05-01")?.name).toBe("Quốc tế Lao động");
    expect(byDate.get("2026-09-02")?.name).toBe("Quốc khánh");
    expect(byDate.get("2026-11-24")).toMatchObject({
      name: "Ngày Văn hóa Việt Nam",
      legalRef: "Nghị quyết 28/2026/QH16",
    });
    expect(byDate.get("2026-01-01")?.legalRef).toBe("Bộ luật Lao động 45/2019/QH14, Điều 112");
    // Weekend days inside a decreed break stay `weekend` but carry the break's name.
    expect(byDate.get("2026-02-14")).toMatchObject({ kind: "weekend", name: "Tết Nguyên đán" });
    expect(byDate.get("2026-03-07")).toMatchObject({ kind: "weekend", name: null });
    expect(calendarYear(2024).days.find((d) => d.date === "2024-04-29")?.legalRef).toContain(
      "2450/VPCP-KGVX",
    );
  });

  it("lists every Saturday and Sunday, once, in date order, and nothing else is a weekend", () => {
    for (const year of OFFICIAL_YEARS.values()) {
      expect(year.provisional).toBe(false);
      const dates = year.days.map((d) => d.date);
      expect([...dates].sort()).toEqual(dates);
      expect(new Set(dates).size).toBe(dates.length);
      const first = dayNumberOf(`${year.year}-01-01`);
      const last = dayNumberOf(`${year.year}-12-31`);
      for (let d = first; d <= last; d++) {
        const w = weekdayOf(d);
        const entry = year.days.find((x) => x.date === isoDateOf(d));
        if (w === 0 || w === 6) expect(entry, isoDateOf(d)).toBeDefined();
        if (entry?.kind === "weekend") expect([0, 6]).toContain(w);
        if (entry?.kind === "swap_off" || entry?.kind === "substitute") expect([0, 6]).not.toContain(w);
      }
    }
  });

  it("hands out copies, so a caller cannot corrupt the shipped schedule", () => {
    calendarYear(2025).days.length = 0;
    expect(calendarYear(2025).days.length).toBeGreaterThan(100);
  });
});
