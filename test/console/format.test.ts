// How the console reads and writes dates, times and numbers for Vietnamese officials.
import { describe, expect, it } from "vitest";
import {
  count,
  dateTime,
  dayInputValue,
  fromLocalFields,
  number,
  parseDay,
  percent,
  windowLabel,
} from "../../src/console/format.js";

describe("dates typed as officials write them", () => {
  it("reads dd/mm/yyyy (and the ISO form links carry), refusing dates that do not exist", () => {
    expect(parseDay("07/02/2025")).toBe("2025-02-07");
    expect(parseDay("7/2/2025")).toBe("2025-02-07");
    expect(parseDay("2025-02-07")).toBe("2025-02-07");
    expect(parseDay("29/02/2024")).toBe("2024-02-29");
    for (const wrong of ["29/02/2025", "31/04/2025", "02/07", "2025/02/07", "07-02-2025", "", undefined])
      expect(parseDay(wrong)).toBeNull();
    expect(dayInputValue("2025-02-07")).toBe("07/02/2025");
  });

  it("takes a date and a 24-hour time as Viet Nam's local time", () => {
    expect(fromLocalFields("13/02/2025", "16:30")?.toISOString()).toBe("2025-02-13T09:30:00.000Z");
    expect(fromLocalFields("13/02/2025", "7:05")?.toISOString()).toBe("2025-02-13T00:05:00.000Z");
    expect(fromLocalFields("13/02/2025", "24:00")).toBeNull();
    expect(fromLocalFields("13/02/2025", "4:30 PM")).toBeNull();
    expect(dateTime(new Date("2025-02-13T09:30:00Z"))).toBe("13/02/2025 16:30");
  });
});

describe("numbers", () => {
  it("groups thousands with a dot and writes decimals with a comma", () => {
    expect(count(1234567)).toBe("1.234.567");
    expect(number(12.5)).toBe("12,5");
    expect(percent(0.8613)).toBe("86,1 %");
    expect(percent(null)).toBe("—");
  });

  it("names repeat-lateness windows in Vietnamese", () => {
    expect(windowLabel("month")).toBe("tháng");
    expect(windowLabel("rolling_days:30")).toBe("30 ngày liên tiếp");
  });
});
