// The transaction writes a dossier's deadline columns with deadlineCells: the same text as copyValue
// of deadlineValues, column by column in DEADLINE_COLUMNS' order, for any mix of instants and nulls.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ComputedDeadlines } from "../../src/dossiers/deadlines.js";
import { copyValue, DEADLINE_COLUMNS, deadlineCells } from "../../src/sync/encode.js";
import { deadlineValues } from "../../src/sync/rows.js";

const instant = fc.option(
  fc.date({ min: new Date("1990-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
);
const deadlines: fc.Arbitrary<ComputedDeadlines> = fc.record({
  startAt: instant,
  statutoryDueAt: instant,
  bindingDueAt: instant,
  apologyWindowStartsAt: instant,
  completedAt: instant,
  processingTimeKnown: fc.boolean(),
});

describe("deadlineCells", () => {
  it("writes what copyValue writes of deadlineValues, each value followed by a tab", () => {
    fc.assert(
      fc.property(deadlines, (d) => {
        const values = deadlineValues(d);
        const cells = DEADLINE_COLUMNS.map((name) => `${copyValue(values[name])}\t`).join("");
        expect(deadlineCells(d)).toBe(cells);
      }),
      { numRuns: 2_000 },
    );
  });
});
