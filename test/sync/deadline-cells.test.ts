// The encoder's pure pieces. The transaction writes a dossier's deadline columns with deadlineCells:
// the same text as copyValue of deadlineValues, column by column in DEADLINE_COLUMNS' order, for any
// mix of instants and nulls. A batch's bytes (byte-writer.ts) are what was written, across growth,
// in shared memory or memory lent to the writer.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ComputedDeadlines } from "../../src/dossiers/deadlines.js";
import { ByteWriter } from "../../src/sync/byte-writer.js";
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

describe("ByteWriter", () => {
  it("holds the UTF-8 of what was written, across growth, in shared memory", () => {
    const out = new ByteWriter(16);
    const pieces = ["HS-1\tNguyễn Văn An\t", "😀", "a\\b"];
    let expected = "";
    for (let i = 0; i < 500; i++) {
      out.write(pieces[0]);
      out.writeCopyBytes(Buffer.from(pieces[2]));
      out.write(pieces[1]);
      out.writeNewline();
      expected += `${pieces[0]}a\\\\b${pieces[1]}\n`;
    }
    const bytes = out.bytes();
    expect(Buffer.from(bytes).toString()).toBe(expected);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("writes into memory lent to it when it is large enough, and into its own when not", () => {
    const lent = new SharedArrayBuffer(1 << 16);
    new Uint8Array(lent).fill(0x78);
    const into = new ByteWriter(1 << 10, lent);
    into.write("Nguyễn\t");
    into.writeNewline();
    expect(into.bytes().buffer).toBe(lent);
    expect(Buffer.from(into.bytes()).toString()).toBe("Nguyễn\t\n");
    const beside = new ByteWriter(1 << 17, lent);
    beside.write("HS-1");
    expect(beside.bytes().buffer).not.toBe(lent);
    expect(Buffer.from(beside.bytes()).toString()).toBe("HS-1");
  });
});
