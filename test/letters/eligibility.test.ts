// The pure rules behind the apology request: which times are appointments, and the suggestion rule.
import { describe, expect, it } from "vitest";
import { calendarYears } from "../../src/calendar/calendar-year.js";
import { WorkingTimeIndex } from "../../src/calendar/working-time.js";
import { checkAppointment, isAppointmentInstant } from "../../src/letters/eligibility.js";
import { extensionMs, suggestAppointment } from "../../src/letters/suggestion.js";

const index = new WorkingTimeIndex(calendarYears(2025, 2026));
const custom = new WorkingTimeIndex(calendarYears(2025, 2026), [
  ["07:00", "11:15"],
  ["13:30", "17:00"],
]);
const at = (local: string) => new Date(`${local}+07:00`);
const DAY = 8 * 3_600_000;

describe("appointment instants", () => {
  it("are inside a working period of a working day, or at a period's end", () => {
    const ok = (local: string, i = index) => isAppointmentInstant(i, at(local).getTime());
    expect(ok("2025-02-12T07:30:00")).toBe(true);
    expect(ok("2025-02-12T11:30:00")).toBe(true); // end of the morning period
    expect(ok("2025-02-12T12:00:00")).toBe(false); // lunch
    expect(ok("2025-02-12T13:30:00")).toBe(true);
    expect(ok("2025-02-12T17:30:00")).toBe(true); // end of the day
    expect(ok("2025-02-12T17:31:00")).toBe(false);
    expect(ok("2025-02-15T09:00:00")).toBe(false); // Saturday
    expect(ok("2025-04-26T09:00:00")).toBe(true); // Saturday made a working day (làm bù)
    expect(ok("2025-04-30T09:00:00")).toBe(false); // 30/4
    expect(ok("2025-02-12T11:20:00", custom)).toBe(false); // the agency closes at 11:15
  });

  it("are checked against now and the binding due before the calendar", () => {
    const now = at("2025-02-11T09:00:00");
    const due = at("2025-02-12T10:00:00");
    const check = (local: string) => checkAppointment(index, at(local), now, due)?.problem ?? null;
    expect(check("2025-02-11T08:00:00")).toBe("not_after_now");
    expect(check("2025-02-12T10:00:00")).toBe("not_after_due");
    expect(check("2025-02-12T12:00:00")).toBe("not_working_time");
    expect(check("2025-02-12T16:30:00")).toBeNull();
    expect(check("2099-02-12T16:30:00")).toBe("outside_calendar");
    expect(checkAppointment(index, at("2026-02-17T09:00:00"), now, due)?.day).toMatchObject({
      date: "2026-02-17",
      kind: "holiday",
    });
  });
});

describe("the suggested appointment", () => {
  it("extends by the processing time within 1–5 working days, 3 when unknown", () => {
    expect(extensionMs({ unit: "hours", amount: 4 })).toBe(DAY);
    expect(extensionMs({ unit: "days", amount: 2.5 })).toBe(2.5 * DAY);
    expect(extensionMs({ unit: "days", amount: 15 })).toBe(5 * DAY);
    expect(extensionMs(null)).toBe(3 * DAY);
  });

  it("counts from the later of now and the binding due, through working time, to the next half hour", () => {
    const days = (amount: number) => ({ unit: "days" as const, amount });
    // Overdue: from now, Tue 11/2 14:07 + 2 days = Thu 13/2 14:07 → 14:30.
    expect(
      suggestAppointment(index, {
        now: at("2025-02-11T14:07:00"),
        bindingDueAt: at("2025-02-07T10:00:00"),
        processingTime: days(2),
      }),
    ).toEqual(at("2025-02-13T14:30:00"));
    // Due soon: from the due, Fri 24/1 10:00 + 1 day across Tết (25/1–2/2) = Mon 3/2 10:00.
    expect(
      suggestAppointment(index, {
        now: at("2025-01-23T15:00:00"),
        bindingDueAt: at("2025-01-24T10:00:00"),
        processingTime: days(1),
      }),
    ).toEqual(at("2025-02-03T10:00:00"));
    // 3 days (24 working hours) on a desk open 07:00–11:15, 13:30–17:00, from Mon 10:20, end on Thu at
    // 11:05; the half hour, 11:30, would be in the lunch break, so 11:05 it is.
    expect(
      suggestAppointment(custom, {
        now: at("2025-02-10T10:20:00"),
        bindingDueAt: null,
        processingTime: null,
      }),
    ).toEqual(at("2025-02-13T11:05:00"));
  });
});
