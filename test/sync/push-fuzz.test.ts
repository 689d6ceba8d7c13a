// Random and mutated records pushed over HTTP into the database: never a 500; every record counted
// applied or rejected with field paths; a rejected record leaves no trace; an applied one is whole.
// Text PostgreSQL cannot store (U+0000, unpaired surrogates) is rejected with its path and
// quarantined with U+FFFD in its place.
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import type { RecordFormat } from "../../src/sync/parse.js";
import { canonicalRecord } from "../helpers/records.js";
import { ADMIN_TOKEN, startSeededServer, type TestServer } from "../helpers/server.js";

const FIXTURES = new URL("../fixtures/sync/", import.meta.url);
const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));
const VALID: Record<RecordFormat, Record<string, unknown>[]> = {
  canonical: [load("canonical-building-permit.json"), load("canonical-land-open.json")],
  dvcqg: [load("dvcqg-land-supplements.json"), load("dvcqg-birth-registration.json")],
};
const CODE_KEY = { canonical: "code", dvcqg: "MaHoSo" } as const;
const STEPS_KEY = { canonical: "steps", dvcqg: "QuaTrinhXuLy" } as const;

let server: TestServer;
beforeAll(async () => {
  server = await startSeededServer({ users: [] });
});
afterAll(() => server.close());

interface PushResult {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: { index: number; code?: string; errors: { path: string; message: string }[] }[];
}

async function push(format: RecordFormat, records: unknown[]): Promise<{ status: number; body: PushResult }> {
  const response = await server.request("/api/v1/sync/dossiers", {
    method: "POST",
    token: ADMIN_TOKEN,
    json: { format, records },
  });
  return { status: response.status, body: (await response.json()) as PushResult };
}

const countFor = async (table: string, column: string, code: string) =>
  (
    await queryRows<{ n: number }>(
      server.database.db,
      sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${sql.raw(column)} = ${code}`,
    )
  )[0].n;

// ---- arbitraries ---------------------------------------------------------------------------

type Path = (string | number)[];
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [prefix];
  const children = Object.entries(value).flatMap(([k, v]) =>
    pathsOf(v, [...prefix, Array.isArray(value) ? Number(k) : k]),
  );
  return prefix.length ? [prefix, ...children] : children;
}

const unstorable = fc.oneof(
  fc.constantFrom("\u0000", "Nguyễn\u0000Văn", "\ud800", "x\udfff", "\udc00\ud800"),
  fc.string({ unit: "binary", maxLength: 6 }),
);
const anyValue = fc.oneof(
  unstorable,
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, "", "2025-02-30T10:00:00+07:00", "20251324000000", -1, 1e308, "ễ".repeat(600)),
);

type Mutation =
  | { kind: "drop" }
  | { kind: "set"; value: unknown }
  | { kind: "extra"; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: "drop" as const }),
  anyValue.map((value) => ({ kind: "set" as const, value })),
  fc
    .record({ key: fc.oneof(fc.constantFrom("__proto__", "ghiChu"), unstorable), value: anyValue })
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
    Object.defineProperty(target, m.key, {
      value: m.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** A valid fixture under a code of its own, mutated 0–3 times; or a random object. */
const recordOf = (format: RecordFormat) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(...VALID[format])
        .chain((base) =>
          fc.tuple(
            fc.constant(base),
            fc.array(fc.tuple(fc.constantFrom(...pathsOf(base)), mutation), { maxLength: 3 }),
          ),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(fc.constantFrom(...Object.keys(VALID[format][0])), anyValue, { maxKeys: 12 })
        .map((random) => [random, []] as [Record<string, unknown>, [Path, Mutation][]]),
    },
  );

let run = 0;
function build(format: RecordFormat, drafts: [Record<string, unknown>, [Path, Mutation][]][]) {
  run++;
  return drafts.map(([base, mutations], i) => {
    const code = `FZ-${format}-${run}-${i}`;
    const start = { ...base, [CODE_KEY[format]]: code };
    const raw = mutations.reduce<unknown>((r, [path, m]) => {
      try {
        return mutate(r, path, m);
      } catch {
        return r; // the path vanished under an earlier mutation
      }
    }, start);
    return { code, raw };
  });
}

// ---- properties ----------------------------------------------------------------------------

describe("push fuzz", () => {
  it.each(["canonical", "dvcqg"] as const)(
    "%s: applied or rejected with paths, never a 500, never partial",
    async (format) => {
      await fc.assert(
        fc.asyncProperty(fc.array(recordOf(format), { minLength: 1, maxLength: 6 }), async (drafts) => {
          const batch = build(format, drafts);
          const { status, body } = await push(
            format,
            batch.map((b) => b.raw),
          );
          expect(status).toBe(200);
          const applied = body.inserted + body.updated + body.unchanged + body.stale;
          expect(applied + body.rejected.length).toBe(batch.length);
          const rejectedIndexes = new Set(body.rejected.map((r) => r.index));
          for (const rejection of body.rejected) {
            expect(rejection.index).toBeGreaterThanOrEqual(0);
            expect(rejection.index).toBeLessThan(batch.length);
            expect(rejection.errors.length).toBeGreaterThan(0);
            for (const error of rejection.errors) {
              expect(error.path).not.toBe("");
              expect(error.message).not.toBe("");
            }
          }
          for (const [i, { code, raw }] of batch.entries()) {
            const dossiers = await countFor("dossiers", "code", code);
            if (rejectedIndexes.has(i)) {
              expect(dossiers).toBe(0);
              expect(await countFor("dossier_steps", "dossier_code", code)).toBe(0);
              expect(await countFor("dossier_pauses", "dossier_code", code)).toBe(0);
              expect(await countFor("dossier_history", "dossier_code", code)).toBe(0);
            } else if ((raw as Record<string, unknown>)[CODE_KEY[format]] === code) {
              expect(dossiers).toBe(1);
              const steps = (raw as Record<string, unknown>)[STEPS_KEY[format]];
              expect(await countFor("dossier_steps", "dossier_code", code)).toBe(
                Array.isArray(steps) ? steps.length : 0,
              );
            }
          }
        }),
        { numRuns: 40 },
      );
    },
    120_000,
  );
});

describe("text PostgreSQL cannot store", () => {
  it("is rejected with the field's path, and quarantined with U+FFFD in its place", async () => {
    const records = [
      canonicalRecord({
        code: "NUL-1",
        applicant: { ...(canonicalRecord().applicant as object), name: "An\u0000" },
      }),
      canonicalRecord({ code: "SUR-1", ghiChu: "lẻ \ud800 loi" }),
      canonicalRecord({ code: "KEY-1", "k\u0000": 1 }),
      canonicalRecord({ code: "OK-1", ghiChu: "emoji \ud83d\ude00 is fine" }),
    ];
    const { status, body } = await push("canonical", records);
    expect(status).toBe(200);
    expect(body.inserted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.code, r.errors.map((e) => e.path)])).toEqual([
      [0, "NUL-1", ["applicant.name"]],
      [1, "SUR-1", ["ghiChu"]],
      [2, "KEY-1", ['["k\\u0000"]']],
    ]);
    const [quarantined] = await queryRows<{ raw: { applicant: { name: string } } }>(
      server.database.db,
      sql`SELECT raw FROM sync_rejections WHERE code = 'NUL-1'`,
    );
    expect(quarantined.raw.applicant.name).toBe("An\uFFFD");
  });
});
