// The canonical JSON record (DOMAIN §9), camelCase, ISO-8601 instants with offset.
import { z } from "zod";
import type { DossierRecord, DossierStatus } from "../../deadlines/dossier-record.js";
import {
  agencyCode,
  code,
  isoInstant,
  LIMITS,
  optionalIsoInstant,
  optionalText,
  requiredText,
} from "./fields.js";
import { formatIsoInstant } from "./instant.js";

/** The mapped record before `raw` is attached by the parser. */
export type MappedRecord = Omit<DossierRecord, "raw">;

const applicant = z.object({
  name: requiredText(),
  idNumber: optionalText(LIMITS.code),
  address: optionalText(),
  phone: optionalText(LIMITS.code),
  email: optionalText(LIMITS.code * 3),
  kind: z.enum(["citizen", "organization"]),
});

const step = z.object({
  seq: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.steps * 20),
  officialId: optionalText(LIMITS.code),
  officialName: optionalText(),
  title: optionalText(),
  department: optionalText(),
  startedAt: optionalIsoInstant(),
  dueAt: optionalIsoInstant(),
  endedAt: optionalIsoInstant(),
  note: optionalText(LIMITS.note),
});

const pause = z.object({
  kind: z.enum(["supplement", "financial"]),
  startedAt: isoInstant(),
  endedAt: optionalIsoInstant(),
  reason: optionalText(LIMITS.note),
});

const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `must have at most ${max} entries`)
    .nullish()
    .transform((list) => list ?? []);

/**
 * Unknown fields are allowed and dropped here (z.object strips them); the parser keeps the whole
 * input as `raw`, so nothing sent is lost and no "__proto__" key is ever copied onto an object.
 */
export const canonicalRecord = z
  .object({
    code: code(),
    procedureCode: code(),
    procedureName: optionalText(),
    fieldCode: optionalText(LIMITS.code),
    field: optionalText(),
    agencyCode: agencyCode(),
    agencyName: optionalText(),
    channel: z.enum(["direct", "online", "postal"]),
    applicant,
    receivedAt: isoInstant(),
    promisedDueAt: optionalIsoInstant(),
    finishedAt: optionalIsoInstant(),
    returnedAt: optionalIsoInstant(),
    status: z.number().int().min(1).max(10),
    steps: listOf(step, LIMITS.steps),
    pauses: listOf(pause, LIMITS.pauses),
    sourceUpdatedAt: isoInstant(),
  })
  .superRefine((record, ctx) => {
    // Steps are stored under (dossier, seq): two steps with one seq cannot both be kept.
    const seen = new Set<number>();
    record.steps.forEach((s, i) => {
      if (seen.has(s.seq)) {
        ctx.addIssue({ code: "custom", path: ["steps", i, "seq"], message: `duplicate step seq ${s.seq}` });
      }
      seen.add(s.seq);
    });
    record.pauses.forEach((p, i) => {
      if (p.endedAt && p.endedAt < p.startedAt) {
        ctx.addIssue({ code: "custom", path: ["pauses", i, "endedAt"], message: PAUSE_ENDS_BEFORE_START });
      }
    });
  })
  .transform((r): MappedRecord => ({ ...r, status: r.status as DossierStatus }));

/**
 * A pause of negative length would give time back to the clock and silently move the deadline,
 * so it is refused; other impossible data (finished before received…) is stored and reported as
 * an `inconsistent_record` violation by the sweep.
 */
export const PAUSE_ENDS_BEFORE_START = "pause ends before it starts; it cannot be applied to the clock";

const instantOrNull = (date: Date | null) => (date ? formatIsoInstant(date) : null);

/** The record as canonical JSON (the inverse of `canonicalRecord`, `raw` left out). */
export function toCanonical(record: DossierRecord) {
  return {
    code: record.code,
    procedureCode: record.procedureCode,
    procedureName: record.procedureName,
    fieldCode: record.fieldCode,
    field: record.field,
    agencyCode: record.agencyCode,
    agencyName: record.agencyName,
    channel: record.channel,
    applicant: { ...record.applicant },
    receivedAt: formatIsoInstant(record.receivedAt),
    promisedDueAt: instantOrNull(record.promisedDueAt),
    finishedAt: instantOrNull(record.finishedAt),
    returnedAt: instantOrNull(record.returnedAt),
    status: record.status,
    steps: record.steps.map((s) => ({
      ...s,
      startedAt: instantOrNull(s.startedAt),
      dueAt: instantOrNull(s.dueAt),
      endedAt: instantOrNull(s.endedAt),
    })),
    pauses: record.pauses.map((p) => ({
      ...p,
      startedAt: formatIsoInstant(p.startedAt),
      endedAt: instantOrNull(p.endedAt),
    })),
    sourceUpdatedAt: formatIsoInstant(record.sourceUpdatedAt),
  };
}

export type CanonicalJson = ReturnType<typeof toCanonical>;
