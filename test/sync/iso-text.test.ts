// utcIsoText stands for Date#toISOString in the COPY text and the order keys: it must write the
// same characters for every instant, and fail as toISOString fails.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utcIsoText } from "../../src/sync/formats/instant.js";

const MAX_MS = 8.64e15;

describe("utcIsoText", () => {
  it("writes what toISOString writes, on any instant, first and later calls of a day", () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_MS, max: MAX_MS }), (ms) => {
        const date = new Date(ms);
        expect(utcIsoText(date)).toBe(date.toISOString());
        expect(utcIsoText(date)).toBe(date.toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it("writes what toISOString writes around day, year and range edges", () => {
    const edges = [0, -1, 1, 86_399_999, 86_400_000, -86_400_000, -62_167_219_200_001, 253_402_300_800_000];
    for (const edge of edges) {
      for (const ms of [edge - 1, edge, edge + 1, edge + 999, edge + 1000]) {
        const date = new Date(ms);
        expect([utcIsoText(date), utcIsoText(date)]).toEqual([date.toISOString(), date.toISOString()]);
      }
    }
  });

  it("writes what toISOString writes on the days of a dossier's dates", () => {
    const from = Date.UTC(2024, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 366 * 86_400_000 }), (offset) => {
        const date = new Date(from + offset);
        expect(utcIsoText(date)).toBe(date.toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it("refuses an invalid date as toISOString does", () => {
    expect(() => utcIsoText(new Date(Number.NaN))).toThrow(RangeError);
  });
});
