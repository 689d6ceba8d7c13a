// A hand-written reader for well-formed canonical records: the same checks and the same output as
// `canonicalRecord` (zod), in plain code, because file import spends most of its CPU validating.
// It only ever answers "here is the record" or "not well-formed"; in the second case the parser
// runs the zod schema, which stays the one source of truth for what is wrong and where.
// test/sync/canonical-fast.test.ts proves the two agree on valid and mutated records.
import type { Applicant, DossierPause, DossierStatus, DossierStep } from "../../deadlines/dossier-record.js";
import type { MappedRecord } from "./canonical.js";
import { LIMITS } from "./fields.js";
import { parseIsoInstant } from "./instant.js";

/** "Not well-formed": let zod say why. */
const NO = Symbol("not well-formed");
type Maybe<T> = T | typeof NO;

type Fields = Record<string, unknown>;

function objectOf(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

/**
 * Code units NFC may change or compose. Below U+0300 and in Latin Extended Additional (where
 * Vietnamese letters with a tone mark are precomposed) every character is a starter that NFC keeps
 * and that composes with none of the others: text made only of them, nearly all a record holds, is
 * NFC already and skips ICU (test/sync/nfc-text.test.ts checks every character and pair of them).
 */
const MAY_CHANGE_IN_NFC = /[\u0300-\u1dff\u1f00-\uffff]/;

/** `text.normalize("NFC")`. */
export const nfc = (text: string) => (MAY_CHANGE_IN_NFC.test(text) ? text.normalize("NFC") : text);

/** `z.string().trim().normalize("NFC").min(1).max(max)` */
function requiredText(value: unknown, max: number): Maybe<string> {
  if (typeof value !== "string") return NO;
  const text = nfc(value.trim());
  return text.length >= 1 && text.length <= max ? text : NO;
}

/** `optionalText(max)`: null, absent and blank are null. */
function optionalText(value: unknown, max: number): Maybe<string | null> {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return NO;
  const text = nfc(value.trim());
  if (text.length > max) return NO;
  return text === "" ? null : text;
}

function instant(value: unknown): Maybe<Date> {
  if (typeof value !== "string") return NO;
  const parsed = parseIsoInstant(value);
  return parsed.ok ? parsed.date : NO;
}

function optionalInstant(value: unknown): Maybe<Date | null> {
  return value === null || value === undefined ? null : instant(value);
}

function integerIn(value: unknown, min: number, max: number): Maybe<number> {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max
    ? value
    : NO;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): Maybe<T> {
  return allowed.includes(value as T) ? (value as T) : NO;
}

/** `listOf(item, max)`: null or absent is an empty list. */
function listOf<T>(value: unknown, max: number, item: (fields: Fields) => Maybe<T>): Maybe<T[]> {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || value.length > max) return NO;
  const list: T[] = [];
  for (const element of value) {
    const fields = objectOf(element);
    const parsed = fields ? item(fields) : NO;
    if (parsed === NO) return NO;
    list.push(parsed);
  }
  return list;
}

/** Returns NO as soon as one value of the object is NO; else the object, typed. */
function whole<T extends object>(values: { [K in keyof T]: Maybe<T[K]> }): Maybe<T> {
  for (const key in values) if (values[key] === NO) return NO;
  return values as T;
}

function applicantOf(value: unknown): Maybe<Applicant> {
  const a = objectOf(value);
  if (!a) return NO;
  return whole<Applicant>({
    name: requiredText(a.name, LIMITS.text),
    idNumber: optionalText(a.idNumber, LIMITS.code),
    address: optionalText(a.address, LIMITS.text),
    phone: optionalText(a.phone, LIMITS.code),
    email: optionalText(a.email, LIMITS.code * 3),
    kind: oneOf(a.kind, ["citizen", "organization"] as const),
  });
}

function stepOf(s: Fields): Maybe<DossierStep> {
  return whole<DossierStep>({
    seq: integerIn(s.seq, 1, LIMITS.steps * 20),
    officialId: optionalText(s.officialId, LIMITS.code),
    officialName: optionalText(s.officialName, LIMITS.text),
    title: optionalText(s.title, LIMITS.text),
    department: optionalText(s.department, LIMITS.text),
    startedAt: optionalInstant(s.startedAt),
    dueAt: optionalInstant(s.dueAt),
    endedAt: optionalInstant(s.endedAt),
    note: optionalText(s.note, LIMITS.note),
  });
}

function pauseOf(p: Fields): Maybe<DossierPause> {
  return whole<DossierPause>({
    kind: oneOf(p.kind, ["supplement", "financial"] as const),
    startedAt: instant(p.startedAt),
    endedAt: optionalInstant(p.endedAt),
    reason: optionalText(p.reason, LIMITS.note),
  });
}

/** The schema's refinements: unique step seqs, no pause ending before it starts. */
function consistent(steps: DossierStep[], pauses: DossierPause[]): boolean {
  const seen = new Set<number>();
  for (const s of steps) {
    if (seen.has(s.seq)) return false;
    seen.add(s.seq);
  }
  return pauses.every((p) => !(p.endedAt && p.endedAt < p.startedAt));
}

/** The mapped record when `raw` is a well-formed canonical record, else undefined (zod decides). */
export function fastCanonical(raw: unknown): MappedRecord | undefined {
  const r = objectOf(raw);
  if (!r) return undefined;
  const agencyCode = requiredText(r.agencyCode, LIMITS.code);
  const record = whole<MappedRecord>({
    code: requiredText(r.code, LIMITS.code),
    procedureCode: requiredText(r.procedureCode, LIMITS.code),
    procedureName: optionalText(r.procedureName, LIMITS.text),
    fieldCode: optionalText(r.fieldCode, LIMITS.code),
    field: optionalText(r.field, LIMITS.text),
    agencyCode: agencyCode !== NO && !agencyCode.includes("/") ? agencyCode : NO,
    agencyName: optionalText(r.agencyName, LIMITS.text),
    channel: oneOf(r.channel, ["direct", "online", "postal"] as const),
    applicant: applicantOf(r.applicant),
    receivedAt: instant(r.receivedAt),
    promisedDueAt: optionalInstant(r.promisedDueAt),
    finishedAt: optionalInstant(r.finishedAt),
    returnedAt: optionalInstant(r.returnedAt),
    status: integerIn(r.status, 1, 10) as Maybe<DossierStatus>,
    steps: listOf(r.steps, LIMITS.steps, stepOf),
    pauses: listOf(r.pauses, LIMITS.pauses, pauseOf),
    sourceUpdatedAt: instant(r.sourceUpdatedAt),
  });
  if (record === NO || !consistent(record.steps, record.pauses)) return undefined;
  return record;
}
