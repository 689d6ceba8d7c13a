// States and lateness (DOMAIN §4). The worked example of DOMAIN §3.3: received Fri 2025-01-24 10:00, 5 days →
// binding due Fri 2025-02-07 10:00, apology window from Thu 2025-02-06 10:00.
import { describe, expect, it } from "vitest";
import type { DossierStatus } from "../../src/deadlines/dossier-record.js";
import { computeDeadlines, dossierState, lateness } from "../../src/deadlines/engine.js";
import type { DeadlineInput } from "../../src/deadlines/types.js";
import { at, officialIndex } from "../calendar/local-time.js";
import { days, dossier } from "./dossier.js";

const index = officialIndex();
const deadlinesOf = (rest: Partial<DeadlineInput> = {}) =>
  computeDeadlines(index, dossier("2025-01-24 10:00", days(5), rest));
const stateAt = (asOf: string, rest: Partial<DeadlineInput> = {}, status: DossierStatus = 4) =>
  dossierState(deadlinesOf(rest), status, at(asOf));

describe("open dossiers", () => {
  it.each([
    ["2025-01-27 09:00", "on_track"],
    ["2025-02-06 09:59", "on_track"],
    ["2025-02-06 10:00", "due_soon"],
    ["2025-02-07 10:00", "due_soon"],
    ["2025-02-07 10:01", "overdue"],
  ])("as of %s: %s", (asOf, expected) => {
    expect(stateAt(asOf)).toBe(expected);
  });

  it("one millisecond after the due is overdue", () => {
    const d = deadlinesOf();
    expect(dossierState(d, 4, new Date(d.bindingDueAt!.getTime() + 1))).toBe("overdue");
  });

  it("without any due, an open dossier is on track", () => {
    const d = computeDeadlines(index, dossier("2025-01-24 10:00", null));
    expect(dossierState(d, 4, at("2026-01-01 09:00"))).toBe("on_track");
  });
});

describe("finished dossiers", () => {
  it.each([
    ["finished the day before the due date", "2025-02-06 16:00", "early"],
    ["finished on the due date, before the due time", "2025-02-07 08:00", "on_time"],
    ["finished exactly at the due", "2025-02-07 10:00", "on_time"],
    ["finished a minute late", "2025-02-07 10:01", "late"],
    ["finished days later", "2025-02-12 09:00", "late"],
  ])("%s → %s", (_case, finishedAt, expected) => {
    expect(stateAt("2025-03-01 09:00", { finishedAt: at(finishedAt) }, 9)).toBe(expected);
  });

  it("falls back to the return time when no finish time was recorded", () => {
    expect(stateAt("2025-03-01 09:00", { returnedAt: at("2025-02-07 10:30") }, 10)).toBe("late");
    const d = deadlinesOf({ finishedAt: at("2025-02-05 09:00"), returnedAt: at("2025-02-10 09:00") });
    expect(d.finishedAt).toEqual(at("2025-02-05 09:00"));
  });

  it("a finish after asOf has not happened yet as of asOf", () => {
    expect(stateAt("2025-02-06 11:00", { finishedAt: at("2025-02-10 09:00") }, 9)).toBe("due_soon");
  });

  it("status 9 without a finish time is judged as open", () => {
    expect(stateAt("2025-02-10 09:00", {}, 9)).toBe("overdue");
  });

  it("finished without any due is on time: nothing to be late against", () => {
    const d = computeDeadlines(
      index,
      dossier("2025-01-24 10:00", null, { finishedAt: at("2025-06-01 09:00") }),
    );
    expect(dossierState(d, 9, at("2025-07-01 09:00"))).toBe("on_time");
  });
});

describe("closed dossiers", () => {
  it.each([3, 7, 8] as const)("status %i is closed, even past its due", (status) => {
    expect(stateAt("2025-03-01 09:00", {}, status)).toBe("closed");
    expect(stateAt("2025-03-01 09:00", { finishedAt: at("2025-02-20 09:00") }, status)).toBe("closed");
  });
});

describe("lateness in working time past the binding due", () => {
  it("finished Mon 10/2 11:00: Fri 5.5 h + Mon 3.5 h = 9 h = 1.1 days", () => {
    const d = deadlinesOf({ finishedAt: at("2025-02-10 11:00") });
    expect(lateness(index, d, at("2025-03-01 09:00"))).toEqual({ minutes: 540, hours: 9, days: 1.1 });
  });

  it("open, as of Fri 7/2 15:00: 1.5 h + 1.5 h = 3 h = 0.4 days", () => {
    expect(lateness(index, deadlinesOf(), at("2025-02-07 15:00"))).toEqual({
      minutes: 180,
      hours: 3,
      days: 0.4,
    });
  });

  it("odd minutes: 50 working minutes = 0.83 h = 0.1 days", () => {
    const d = deadlinesOf({ finishedAt: at("2025-02-07 10:50") });
    expect(lateness(index, d, at("2025-03-01 09:00"))).toEqual({ minutes: 50, hours: 0.83, days: 0.1 });
  });

  it("is zero when not late, or late only in non-working time", () => {
    expect(
      lateness(index, deadlinesOf({ finishedAt: at("2025-02-07 09:00") }), at("2025-03-01 09:00")).minutes,
    ).toBe(0);
    expect(lateness(index, deadlinesOf(), at("2025-02-06 09:00")).minutes).toBe(0);
    const evening = computeDeadlines(
      index,
      dossier("2025-03-03 07:30", days(1), { finishedAt: at("2025-03-03 18:00") }),
    );
    expect(dossierState(evening, 9, at("2025-03-04 09:00"))).toBe("late");
    expect(lateness(index, evening, at("2025-03-04 09:00"))).toEqual({ minutes: 0, hours: 0, days: 0 });
  });

  it("across Tết: due Fri 24/1/2025 16:00, open as of Mon 3/2 08:30 → 1.5 h + 1 h", () => {
    const d = computeDeadlines(
      index,
      dossier("2025-01-20 07:30", null, { promisedDueAt: at("2025-01-24 16:00") }),
    );
    expect(lateness(index, d, at("2025-02-03 08:30"))).toEqual({ minutes: 150, hours: 2.5, days: 0.3 });
  });
});
