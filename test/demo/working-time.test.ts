import { describe, expect, it } from "vitest";
import { addWorkingHours, workingHoursBetween } from "../../src/demo/working-time.js";

const at = (local: string) => new Date(`${local}+07:00`);

describe("demo working time (weekends only, no holidays)", () => {
  it("walks through working periods and skips the weekend", () => {
    expect(addWorkingHours(at("2025-01-24T10:00:00"), 40)).toEqual(at("2025-01-31T10:00:00"));
    expect(addWorkingHours(at("2025-01-24T10:00:00"), 7.5)).toEqual(at("2025-01-27T09:30:00"));
  });

  it("ends at a period's end when the time runs out exactly there (SPEC §3)", () => {
    expect(addWorkingHours(at("2025-01-24T10:00:00"), 1.5)).toEqual(at("2025-01-24T11:30:00"));
    expect(addWorkingHours(at("2025-01-24T13:30:00"), 4)).toEqual(at("2025-01-24T17:30:00"));
  });

  it("snaps a start outside working periods forward", () => {
    expect(addWorkingHours(at("2025-01-25T09:00:00"), 4)).toEqual(at("2025-01-27T11:30:00"));
    expect(addWorkingHours(at("2025-01-24T12:00:00"), 0.5)).toEqual(at("2025-01-24T14:00:00"));
  });

  it("measures working hours between two instants", () => {
    expect(workingHoursBetween(at("2025-01-24T10:00:00"), at("2025-01-31T10:00:00"))).toBe(40);
    expect(workingHoursBetween(at("2025-01-25T08:00:00"), at("2025-01-26T08:00:00"))).toBe(0);
  });
});
