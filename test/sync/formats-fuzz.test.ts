import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DossierPause, DossierRecord, DossierStep } from "../../src/dossiers/record.js";
import { toCanonical } from "../../src/sync/formats/canonical.js";
import { officialIdFromName, toDvcqg } from "../../src/sync/formats/dvcqg.js";
import { parseRecord, type RecordFormat } from "../../src/sync/parse.js";

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

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [prefix];
  const children = Object.entries(value).flatMap(([k, v]) =>
    pathsOf(v, [...prefix, Array.isArray(value) ? Number(k) : k]),
  );
  return prefix.length ? [prefix, ...children] : children;
}

const badValues = fc.oneof(
  fc.constantFrom(null, "", " ", 0, -1, 1e308, true, [], {}, "null", "undefined"),
  fc.constantFrom("2025-02-30T10:00:00+07:00", "2025-01-24T10:00:00", "20250230100000", "20251324000000"),
  fc.constantFrom("00010101000000", "1900-01-01T00:00:00Z", "yesterday", "24/01/2025 10:00"),
  fc.constantFrom("ễ", "a", " ").map((c) => c.repeat(100_001)),
  fc.jsonValue(),
);

type Mutation =
  | { kind: "drop" }
  | { kind: "set"; value: unknown }
  | { kind: "extra"; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: "drop" as const }),
  badValues.map((value) => ({ kind: "set" as const, value })),
  fc
    .record({
      key: fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype"), fc.string()),
      value: fc.jsonValue(),
    })
    .map((extra) => ({ kind: "extra" as const, ...extra })),
);

function mutate(record: unknown, path: Path, m: Mutation): unknown {
  const copy = structuredClone(record);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (m.kind === "drop") delete node[last];
  else if (m.kind === "set") node[last] = m.value;
  else {
    const target = typeof node[last] === "object" && node[last] !== null ? node[last] : node;
    // defineProperty, not assignment: a "__proto__" key must become an own property as JSON.parse makes it.
    Object.defineProperty(target, m.key, {
      value: m.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

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
      format === "canonical" ? ["code", "receivedAt", "status"] : ["MaHoSo", "NgayTiepNhan", "DonViXuLy"];
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

const CHARS = [
  ..."abcdefghijklmnopqrstuvwxyz ABCDĐEGHIKLMNOPQRSTUVXY0123456789.-/àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
];
const text = (max: number) =>
  fc
    .string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: max })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
/** Whole seconds: the portal format has no milliseconds. */
const instant = fc
  .integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 })
  .map((s) => new Date(s * 1000));

const step = (agencyCode: string, seq: number): fc.Arbitrary<DossierStep> =>
  fc
    .record({
      officialName: maybe(text(40)),
      ownId: maybe(text(20)),
      title: maybe(text(30)),
      department: maybe(text(30)),
      startedAt: maybe(instant),
      dueAt: maybe(instant),
      endedAt: maybe(instant),
      note: maybe(text(80)),
    })
    .map(({ ownId, ...s }) => ({
      seq,
      ...s,
      // The portal cannot carry a named official without an id: the parser derives one from the name.
      officialId: ownId ?? (s.officialName ? officialIdFromName(agencyCode, s.officialName) : null),
    }));

const pause: fc.Arbitrary<DossierPause> = fc
  .record({
    kind: fc.constantFrom("supplement" as const, "financial" as const),
    startedAt: instant,
    lengthSeconds: maybe(fc.integer({ min: 0, max: 60 * 86_400 })),
    reason: maybe(text(60)),
  })
  .map(({ lengthSeconds, ...p }) => ({
    ...p,
    endedAt: lengthSeconds === null ? null : new Date(p.startedAt.getTime() + lengthSeconds * 1000),
  }));

/** Agency codes are segments of the agencies' path: no "/" (the format refuses it, tested above). */
const agencyCodeText = text(20).filter((c) => !c.includes("/"));

const record: fc.Arbitrary<DossierRecord> = agencyCodeText.chain((agencyCode) =>
  fc
    .record({
      code: text(60),
      procedureCode: text(40),
      procedureName: maybe(text(80)),
      fieldCode: maybe(text(10)),
      field: maybe(text(30)),
      agencyName: maybe(text(60)),
      channel: fc.constantFrom("direct" as const, "online" as const, "postal" as const),
      applicant: fc.record({
        name: text(50),
        idNumber: maybe(text(12)),
        address: maybe(text(80)),
        phone: maybe(text(12)),
        email: maybe(text(30)),
        kind: fc.constantFrom("citizen" as const, "organization" as const),
      }),
      receivedAt: instant,
      promisedDueAt: maybe(instant),
      finishedAt: maybe(instant),
      returnedAt: maybe(instant),
      status: fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8, 9, 10 as const),
      steps: fc
        .integer({ min: 0, max: 6 })
        .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => step(agencyCode, i + 1)))),
      // The portal keeps supplements and financial waits in two lists; the parser merges them by start.
      pauses: fc
        .array(pause, { maxLength: 4 })
        .map((ps) =>
          [...ps].sort(
            (a, b) =>
              a.startedAt.getTime() - b.startedAt.getTime() ||
              (a.kind === b.kind ? 0 : a.kind === "supplement" ? -1 : 1),
          ),
        ),
      sourceUpdatedAt: instant,
    })
    .map((r) => ({ ...r, agencyCode, status: r.status as DossierRecord["status"], raw: null })),
);

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
