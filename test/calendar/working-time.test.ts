import { describe, expect, it } from "vitest";
import { calendarYears } from "../../src/calendar/calendar-year.js";
import { parseWorkingPeriods } from "../../src/calendar/working-periods.js";
import { WorkingTimeIndex } from "../../src/calendar/working-time.js";
import { local, ms, officialIndex } from "./local-time.js";

const index = officialIndex();
const plusWorking = (start: string, minutes: number) => local(index.addWorking(ms(start), minutes));

describe("working periods", () => {
  it("parses the default and a custom agency's periods into minutes of the day", () => {
    expect(
      parseWorkingPeriods([
        ["07:30", "11:30"],
        ["13:30", "17:30"],
      ]),
    ).toEqual({
      startMin: [450, 810],
      endMin: [690, 1050],
      minutesPerDay: 480,
    });
    expect(
      parseWorkingPeriods([
        ["07:00", "11:30"],
        ["13:30", "17:00"],
      ]).minutesPerDay,
    ).toBe(480);
    expect(parseWorkingPeriods([["00:00", "24:00"]]).minutesPerDay).toBe(1440);
  });

  it.each([
    [[]],
    [[["7:30", "11:30"]]],
    [[["07:30", "07:30"]]],
    [[["11:30", "07:30"]]],
    [
      [
        ["07:30", "11:30"],
        ["11:00", "17:00"],
      ],
    ],
    [
      [
        ["07:30", "11:30"],
        ["11:30", "17:00"],
      ],
    ],
    [
      [
        ["13:30", "17:30"],
        ["07:30", "11:30"],
      ],
    ],
    [[["07:30", "24:30"]]],
    [[["07:60", "11:30"]]],
  ] as [Array<[string, string]>][])("rejects %j", (periods) => {
    expect(() => parseWorkingPeriods(periods)).toThrow(RangeError);
  });
});

describe("working-time index", () => {
  it("SPEC example: Fri 2025-01-24 10:00 + 5 working days skips Tết → Fri 2025-02-07 10:00", () => {
    expect(plusWorking("2025-01-24 10:00", 5 * 480)).toBe("2025-02-07 10:00");
  });

  it("a time that runs out at a period's end is that end, not the next start", () => {
    expect(plusWorking("2025-03-03 07:30", 240)).toBe("2025-03-03 11:30");
    expect(plusWorking("2025-03-03 07:30", 480)).toBe("2025-03-03 17:30");
    expect(plusWorking("2026-08-27 07:30", 960)).toBe("2026-08-28 17:30"); // not Thu 3/9 07:30 after the break
  });

  it("flat ordinal through the lunch break, nights and days off", () => {
    expect(index.ordinalAt(ms("2025-03-03 12:15"))).toBe(index.ordinalAt(ms("2025-03-03 11:30")));
    expect(index.ordinalAt(ms("2025-03-03 13:30"))).toBe(index.ordinalAt(ms("2025-03-03 11:30")));
    expect(index.ordinalAt(ms("2025-01-24 17:30"))).toBe(index.ordinalAt(ms("2025-02-03 07:30")));
    expect(index.ordinalAt(ms("2025-03-03 13:31")) - index.ordinalAt(ms("2025-03-03 11:29"))).toBe(2);
  });

  it("snaps receipts outside working time forward to the next period start", () => {
    const snap = (t: string) => local(index.snapForward(ms(t)));
    expect(snap("2025-03-03 06:00")).toBe("2025-03-03 07:30");
    expect(snap("2025-03-03 07:30")).toBe("2025-03-03 07:30");
    expect(snap("2025-03-03 09:17")).toBe("2025-03-03 09:17");
    expect(snap("2025-03-03 11:30")).toBe("2025-03-03 13:30");
    expect(snap("2025-03-03 12:00")).toBe("2025-03-03 13:30");
    expect(snap("2025-03-03 17:30")).toBe("2025-03-04 07:30");
    expect(snap("2025-03-07 20:00")).toBe("2025-03-10 07:30");
    expect(snap("2025-01-26 09:00")).toBe("2025-02-03 07:30"); // a Sunday inside Tết
    expect(snap("2024-05-04 06:00")).toBe("2024-05-04 07:30"); // make-up Saturday
  });

  it("working time between two instants, negative backwards, and walking back", () => {
    expect(index.workingMinutesBetween(ms("2025-01-24 10:00"), ms("2025-02-07 10:00"))).toBe(2400);
    expect(index.workingMinutesBetween(ms("2025-02-07 10:00"), ms("2025-01-24 10:00"))).toBe(-2400);
    expect(plusWorking("2025-02-07 10:00", -480)).toBe("2025-02-06 10:00");
    expect(plusWorking("2025-02-03 09:00", -480)).toBe("2025-01-24 09:00");
    expect(plusWorking("2025-03-03 12:00", 0)).toBe("2025-03-03 12:00");
  });

  it("tells working instants: period end and lunch are not working; make-up Saturdays are", () => {
    expect(index.isWorkingInstant(ms("2025-03-03 07:30"))).toBe(true);
    expect(index.isWorkingInstant(ms("2025-03-03 11:30"))).toBe(false);
    expect(index.isWorkingInstant(ms("2025-03-08 09:00"))).toBe(false);
    expect(index.isWorkingInstant(ms("2025-04-26 09:00"))).toBe(true);
    expect(index.isWorkingInstant(ms("2025-05-02 09:00"))).toBe(false);
  });

  it("describes days and gives SQL-ready rows with cumulative minutes", () => {
    expect(index.dayInfo("2024-05-04")).toMatchObject({ kind: "makeup_working", workingMinutes: 480 });
    expect(index.dayInfo("2024-04-29")).toMatchObject({ kind: "swap_off", workingMinutes: 0 });
    expect(index.dayInfo("2025-03-03")).toEqual({
      date: "2025-03-03",
      kind: "working",
      name: null,
      legalRef: null,
      workingMinutes: 480,
    });
    const rows = new WorkingTimeIndex(calendarYears(2024, 2026)).dayRows();
    expect(rows).toHaveLength(366 + 365 + 365);
    // 2024: 366 days − 104 weekend days − 12 weekdays off + 1 make-up Saturday = 251 working days.
    expect(rows.find((r) => r.date === "2025-01-01")?.cumMinutesBefore).toBe(251 * 480);
    // 2025: 365 − 104 − 12 + 1 = 250.
    expect(rows.find((r) => r.date === "2026-01-01")?.cumMinutesBefore).toBe((251 + 250) * 480);
  });

  it("throws a RangeError outside the indexed years", () => {
    expect(() => index.ordinalAt(ms("2022-12-31 09:00"))).toThrow(/outside the calendar index/);
    expect(() => index.snapForward(ms("2028-01-01 09:00"))).toThrow(RangeError);
    expect(() => index.addWorking(ms("2027-12-31 09:00"), 480)).toThrow(RangeError);
    expect(() => index.dayInfo("2030-01-01")).toThrow(RangeError);
    expect(() => new WorkingTimeIndex([...calendarYears(2024, 2024), ...calendarYears(2026, 2026)])).toThrow(
      /contiguous/,
    );
  });
});
