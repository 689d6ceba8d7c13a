import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MINUTE_MS } from "../../src/calendar/dates.js";
import { type DossierColumns, type JudgedColumns, judgeDossiers } from "../../src/deadlines/batch.js";
import { APOLOGY, BINDING, deadlinesMs, dossierStateCode, STATUTORY } from "../../src/deadlines/due.js";
import { ms, officialIndex } from "../calendar/local-time.js";

const index = officialIndex();
const FROM = ms("2023-01-01 00:00");
const TO = ms("2027-12-31 00:00");

/** A minute of 2023–2027, now and then an odd millisecond or an instant outside the calendar. */
const instant = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.integer({ min: FROM / MINUTE_MS, max: TO / MINUTE_MS }).map((m) => m * MINUTE_MS),
  },
  { weight: 2, arbitrary: fc.integer({ min: FROM, max: TO }) },
  { weight: 1, arbitrary: fc.constantFrom(ms("2030-06-01 09:00"), ms("2019-06-01 09:00")) },
);
const maybe = <T>(a: fc.Arbitrary<T>, none: T, weight = 1) =>
  fc.oneof({ weight: 3, arbitrary: a }, { weight, arbitrary: fc.constant(none) });

const pause = fc.record({
  start: instant,
  lengthMinutes: fc.integer({ min: 0, max: 20 * 1440 }),
  open: fc.boolean(),
  restart: fc.boolean(),
});

const dossier = fc.record({
  received: instant,
  processing: maybe(
    fc.integer({ min: 1, max: 60 * 480 }).map((m) => m * MINUTE_MS),
    Number.NaN,
  ),
  promised: maybe(instant, Number.NaN, 3),
  finished: maybe(instant, Number.NaN, 2),
  status: fc.integer({ min: 1, max: 10 }),
  pauses: fc.array(pause, { maxLength: 4 }),
});

type Dossier = typeof dossier extends fc.Arbitrary<infer T> ? T : never;

function columnsOf(dossiers: Dossier[]): DossierColumns {
  const pauses = dossiers.flatMap((d) => [...d.pauses].sort((a, b) => a.start - b.start));
  const pauseFrom = new Int32Array(dossiers.length + 1);
  dossiers.forEach((d, i) => {
    pauseFrom[i + 1] = pauseFrom[i] + d.pauses.length;
  });
  return {
    receivedMs: Float64Array.from(dossiers, (d) => d.received),
    processingMs: Float64Array.from(dossiers, (d) => d.processing),
    promisedMs: Float64Array.from(dossiers, (d) => d.promised),
    finishedMs: Float64Array.from(dossiers, (d) => d.finished),
    status: Uint8Array.from(dossiers, (d) => d.status),
    pauseFrom,
    pauses: {
      startMs: Float64Array.from(pauses, (p) => p.start),
      endMs: Float64Array.from(pauses, (p) => (p.open ? Number.NaN : p.start + p.lengthMinutes * MINUTE_MS)),
      restarts: Uint8Array.from(pauses, (p) => (p.restart ? 1 : 0)),
    },
  };
}

const judged = (n: number): JudgedColumns => ({
  statutoryMs: new Float64Array(n),
  bindingMs: new Float64Array(n),
  apologyMs: new Float64Array(n),
  state: new Uint8Array(n),
});

/** The per-dossier engine, instants outside the calendar leaving the dues unknown. */
function oneByOne(d: DossierColumns, i: number, asOfMs: number) {
  const out = new Float64Array(3);
  try {
    deadlinesMs(
      index,
      d.receivedMs[i],
      d.processingMs[i],
      d.pauses,
      d.pauseFrom[i],
      d.pauseFrom[i + 1],
      d.promisedMs[i],
      asOfMs,
      out,
    );
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    out.fill(Number.NaN);
  }
  return {
    statutory: out[STATUTORY],
    binding: out[BINDING],
    apology: out[APOLOGY],
    state: dossierStateCode(d.status[i], out[BINDING], out[APOLOGY], d.finishedMs[i], asOfMs),
  };
}

describe("judgeDossiers", () => {
  it("gives every dossier the per-dossier engine's dues and state, whatever its shape", () => {
    fc.assert(
      fc.property(fc.array(dossier, { minLength: 1, maxLength: 60 }), instant, (dossiers, asOfMs) => {
        const columns = columnsOf(dossiers);
        const out = judged(dossiers.length);
        judgeDossiers(index, columns, asOfMs, out);
        dossiers.forEach((_, i) => {
          expect(
            {
              statutory: out.statutoryMs[i],
              binding: out.bindingMs[i],
              apology: out.apologyMs[i],
              state: out.state[i],
            },
            `dossier ${i}`,
          ).toEqual(oneByOne(columns, i, asOfMs));
        });
      }),
      { numRuns: 300 },
    );
  });

  it("judges a range of the columns and needs an asOf", () => {
    const columns = columnsOf(
      fc
        .sample(dossier, { numRuns: 10_000, seed: 7 })
        .map((d) => ({ ...d, received: ms("2025-01-24 10:00") })),
    );
    const out = judged(10_000);
    out.state.fill(99);
    judgeDossiers(index, columns, ms("2025-03-01 09:00"), out, 5000, 9000);
    expect(out.state[4999]).toBe(99);
    expect(out.state[9000]).toBe(99);
    expect(out.state.subarray(5000, 9000).every((s) => s <= 6)).toBe(true);
    expect(() => judgeDossiers(index, columns, Number.NaN, out)).toThrow(RangeError);
  });
});
