// The fast canonical reader must be the zod schema in plain code: the same record for every input
// the schema accepts, and "not well-formed" (so zod explains) for every input it rejects.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalRecord, toCanonical } from "../../src/sync/formats/canonical.js";
import { fastCanonical } from "../../src/sync/formats/canonical-fast.js";
import { parseRecord } from "../../src/sync/parse.js";
import { badValues, type Mutation, mutate, mutation, type Path, pathsOf, record } from "./arbitraries.js";

const FIXTURES = new URL("../fixtures/sync/", import.meta.url);
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));
const overTheWire = (json: unknown): unknown => JSON.parse(JSON.stringify(json));

function expectSameAsZod(input: unknown) {
  const zod = canonicalRecord.safeParse(input);
  const fast = fastCanonical(input);
  if (zod.success) expect(fast).toStrictEqual(zod.data);
  else expect(fast).toBeUndefined();
}

/** Values near the schema's edges: padding, other normal forms, limits, wrong numbers, "/". */
const edgeValues = fc.oneof(
  fc.constantFrom(" x ", "\t", "e\u0301", "Nguye\u0302\u0303n", "a/b", "direct ", "Citizen", "supplement"),
  fc.constantFrom(0, 1, 1.5, 10, 11, -0, 2 ** 53, "4", 500, 10_001),
  fc.constantFrom(99, 100, 101, 500, 501).map((n) => "x".repeat(n)),
  fc.constantFrom(" 2025-01-24T10:00:00+07:00", "2025-01-24T10:00:00.5Z", "2025-01-24T10:00+07:00"),
  fc.constantFrom("1989-12-31T23:59:59Z", "2025-01-24T10:00:00+15:00", "2025-01-24"),
  badValues,
);
const edgeMutation: fc.Arbitrary<Mutation> = fc.oneof(
  mutation,
  edgeValues.map((value) => ({ kind: "set" as const, value })),
);

function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return base.chain((valid) => {
    const paths = pathsOf(valid);
    return fc
      .array(fc.tuple(fc.constantFrom(...paths), edgeMutation), { minLength: 1, maxLength: 4 })
      .map((mutations) =>
        mutations.reduce((r, [path, m]: [Path, Mutation]) => {
          try {
            return mutate(r, path, m);
          } catch {
            return r; // the path vanished under an earlier mutation
          }
        }, valid),
      );
  });
}

const generated = record.map((r) => overTheWire(toCanonical(r)));
const fixtures = fc.constantFrom(load("canonical-building-permit.json"), load("canonical-land-open.json"));

describe("fastCanonical ≡ canonicalRecord (zod)", () => {
  it("valid generated records: the same record", () => {
    fc.assert(
      fc.property(generated, (input) => {
        expect(fastCanonical(input)).toBeDefined();
        expectSameAsZod(input);
      }),
      { numRuns: 500 },
    );
  });

  it("fixtures: the same record", async () => {
    fc.assert(fc.property(fixtures, expectSameAsZod), { numRuns: 2 });
  });

  it("mutated generated records: the same record, or both refuse", () => {
    fc.assert(fc.property(mutated(generated), expectSameAsZod), { numRuns: 1000 });
  });

  it("mutated fixtures: the same record, or both refuse", () => {
    fc.assert(fc.property(mutated(fixtures), expectSameAsZod), { numRuns: 1000 });
  });

  it("a refused record is still rejected by zod with its index, code and field paths", () => {
    const input = { ...(load("canonical-land-open.json") as object), status: 11, channel: "fax" };
    const result = parseRecord("canonical", input, 7);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.rejection.index).toBe(7);
      expect(result.rejection.code).toBeDefined();
      expect(result.rejection.errors.map((e) => e.path).sort()).toEqual(["channel", "status"]);
    }
  });
});
