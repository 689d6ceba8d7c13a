// Generators shared by the sync property tests: valid records (any format through toCanonical /
// toDvcqg), and mutations that turn a valid record into a nearly valid one.
import fc from "fast-check";
import type { DossierPause, DossierRecord, DossierStep } from "../../src/deadlines/dossier-record.js";
import { officialIdFromName } from "../../src/sync/formats/dvcqg.js";

export type Path = (string | number)[];

export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [prefix];
  const children = Object.entries(value).flatMap(([k, v]) =>
    pathsOf(v, [...prefix, Array.isArray(value) ? Number(k) : k]),
  );
  return prefix.length ? [prefix, ...children] : children;
}

export const badValues = fc.oneof(
  fc.constantFrom(null, "", " ", 0, -1, 1e308, true, [], {}, "null", "undefined"),
  fc.constantFrom("2025-02-30T10:00:00+07:00", "2025-01-24T10:00:00", "20250230100000", "20251324000000"),
  fc.constantFrom("00010101000000", "1900-01-01T00:00:00Z", "yesterday", "24/01/2025 10:00"),
  fc.constantFrom("ễ", "a", " ").map((c) => c.repeat(100_001)),
  fc.jsonValue(),
);

export type Mutation =
  | { kind: "drop" }
  | { kind: "set"; value: unknown }
  | { kind: "extra"; key: string; value: unknown };
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: "drop" as const }),
  badValues.map((value) => ({ kind: "set" as const, value })),
  fc
    .record({
      key: fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype"), fc.string()),
      value: fc.jsonValue(),
    })
    .map((extra) => ({ kind: "extra" as const, ...extra })),
);

export function mutate(record: unknown, path: Path, m: Mutation): unknown {
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

const CHARS = [
  ..."abcdefghijklmnopqrstuvwxyz ABCDĐEGHIKLMNOPQRSTUVXY0123456789.-/àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
];
export const text = (max: number) =>
  fc
    .string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: max })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
/** Whole seconds: the portal format has no milliseconds. */
export const instant = fc
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

export const record: fc.Arbitrary<DossierRecord> = agencyCodeText.chain((agencyCode) =>
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
