import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DossierRecord } from "../../src/deadlines/dossier-record.js";
import { toCanonical } from "../../src/sync/formats/canonical.js";
import { toDvcqg } from "../../src/sync/formats/dvcqg-write.js";
import { parseRecord, type RecordFormat } from "../../src/sync/parse.js";
import { mutate, mutation, pathsOf, record } from "./arbitraries.js";

const FIXTURES = new URL("../fixtures/sync/", import.meta.url);
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));
const VALID: Record<RecordFormat, unknown[]> = {
  canonical: [load("canonical-building-permit.json"), load("canonical-land-open.json")],
  dvcqg: [load("dvcqg-land-supplements.json"), load("dvcqg-birth-registration.json")],
};
const FORMATS: RecordFormat[] = ["canonical", "dvcqg"];

/** The contract for any input: a record, or a rejection whose every error names a field. */
function expectParsesOrNamesFields(format: RecordFormat, input: unknown) {
  const result = parseRecord(format, input, 0);
  if (result.ok) {
    expect(result.record.raw).toBe(input);
    return;
  }
  expect(result.rejection.errors.length).toBeGreaterThan(0);
  for (const error of result.rejection.errors) {
    expect(error.path.length).toBeGreaterThan(0);
    expect(error.message.length).toBeGreaterThan(0);
  }
}

// ---- random inputs -------------------------------------------------------------------------

describe("parseRecord never throws", () => {
  it.each(FORMATS)("%s: any value at all", (format) => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (input) =>
        expectParsesOrNamesFields(format, input),
      ),
      { numRuns: 500 },
    );
  });

  it.each(FORMATS)("%s: JSON objects with the format's keys and random values", (format) => {
    const keys = Object.keys(VALID[format][0] as object);
    const arb = fc.dictionary(fc.constantFrom(...keys, "__proto__", "constructor"), fc.jsonValue(), {
      maxKeys: 30,
    });
    fc.assert(
      fc.property(arb, (input) => expectParsesOrNamesFields(format, input)),
      { numRuns: 500 },
    );
  });
});

// ---- mutated valid records -----------------------------------------------------------------

describe("mutated valid records parse or are rejected with named fields", () => {
  it.each(FORMATS)("%s", (format) => {
    const cases = VALID[format].map((record) => ({ record, paths: pathsOf(record) }));
    const arb = fc
      .constantFrom(...cases)
      .chain(({ record, paths }) =>
        fc.tuple(
          fc.constant(record),
          fc.array(fc.tuple(fc.constantFrom(...paths), mutation), { minLength: 1, maxLength: 4 }),
        ),
      );
    fc.assert(
      fc.property(arb, ([record, mutations]) => {
        const input = mutations.reduce((r, [path, m]) => {
          try {
            return mutate(r, path, m);
          } catch {
            return r; // the path vanished under an earlier mutation
          }
        }, record);
        expectParsesOrNamesFields(format, input);
      }),
      { numRuns: 1000 },
    );
  });

  it.each(FORMATS)("%s: a wrong-typed required field is rejected at its own path", (format) => {
    const record = VALID[format][0] as Record<string, unknown>;
    const required =
      format === "canonical" ? ["code", "receivedAt", "status"] : ["MaHoSo", "MaTTHC", "NgayTiepNhan"];
    fc.assert(
      fc.property(fc.constantFrom(...required), fc.constantFrom(null, 12.5, false, [], {}), (key, value) => {
        const result = parseRecord(format, { ...record, [key]: value }, 0);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.rejection.errors.map((e) => e.path)).toContain(key);
      }),
    );
  });
});

// ---- round trips ---------------------------------------------------------------------------

const withoutRaw = ({ raw: _raw, ...rest }: DossierRecord) => rest;
const overTheWire = (json: unknown): unknown => JSON.parse(JSON.stringify(json));

describe("round trips", () => {
  it("canonical: parse(toCanonical(r)) equals r", () => {
    fc.assert(
      fc.property(record, (r) => {
        const result = parseRecord("canonical", overTheWire(toCanonical(r)), 0);
        expect(result.ok && withoutRaw(result.record)).toEqual(withoutRaw(r));
      }),
      { numRuns: 300 },
    );
  });

  it("dvcqg: parse(toDvcqg(r)) equals r", () => {
    fc.assert(
      fc.property(record, (r) => {
        // The portal format refuses a result without its time (formats/dvcqg.ts); canonical keeps it.
        fc.pre(!((r.status === 9 || r.status === 10) && !r.finishedAt && !r.returnedAt));
        const result = parseRecord("dvcqg", overTheWire(toDvcqg(r)), 0);
        expect(result.ok && withoutRaw(result.record)).toEqual(withoutRaw(r));
      }),
      { numRuns: 300 },
    );
  });

  it("canonical keeps milliseconds", () => {
    fc.assert(
      fc.property(record, fc.integer({ min: 1, max: 999 }), (r, ms) => {
        const precise = { ...r, receivedAt: new Date(r.receivedAt.getTime() + ms) };
        const result = parseRecord("canonical", overTheWire(toCanonical(precise)), 0);
        expect(result.ok && result.record.receivedAt).toEqual(precise.receivedAt);
      }),
      { numRuns: 50 },
    );
  });

  it.each([
    ["canonical", "canonical-building-permit.json"],
    ["dvcqg", "dvcqg-land-supplements.json"],
  ] as const)("%s fixture survives a trip through the other format", (format, file) => {
    const first = parseRecord(format, load(file), 0);
    if (!first.ok) throw new Error("fixture must parse");
    const viaCanonical = parseRecord("canonical", overTheWire(toCanonical(first.record)), 0);
    const viaDvcqg = parseRecord("dvcqg", overTheWire(toDvcqg(first.record)), 0);
    const secondsOnly = (r: DossierRecord) => ({
      ...withoutRaw(r),
      sourceUpdatedAt: new Date(Math.floor(r.sourceUpdatedAt.getTime() / 1000) * 1000),
    });
    expect(viaCanonical.ok && withoutRaw(viaCanonical.record)).toEqual(withoutRaw(first.record));
    expect(viaDvcqg.ok && secondsOnly(viaDvcqg.record)).toEqual(secondsOnly(first.record));
  });
});
