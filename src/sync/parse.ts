// Turns one raw sync message (a full record in either format, or a portal delta) into its
// internal form, or into a rejection that names every failing field. Never throws: a rejected
// message goes to quarantine, not to a 500.
import { z } from "zod";
import type { DossierRecord } from "../deadlines/dossier-record.js";
import { formatPath, ROOT_PATH } from "../http/field-path.js";
import { canonicalRecord, type MappedRecord } from "./formats/canonical.js";
import { fastCanonical } from "./formats/canonical-fast.js";
import { type AgencyReference, dvcqgRecordSchema, type PortalRecord } from "./formats/dvcqg.js";
import {
  type ParsedProgress,
  type ParsedStatus,
  progressRowSchema,
  statusRowSchema,
} from "./formats/dvcqg-deltas.js";
import type { DeltaKind, FieldError } from "./schema.js";
import { defaultDialect, type SourceDialect } from "./sources.js";

export { formatPath, ROOT_PATH };

export type RecordFormat = "canonical" | "dvcqg";
/** A full record, or one of the portal's deltas (always in the portal format). */
export type MessageKind = "record" | DeltaKind;

export interface Rejection {
  /** Position of the record in the batch. */
  index: number;
  /** The record's code as sent, when it is a string: lets an officer find it in the source. */
  code?: string;
  errors: FieldError[];
}

export type ParsedMessage =
  | {
      kind: "record";
      record: DossierRecord;
      /** Where the record names its handling agency; null when it names none (the sender stands in). */
      agency: AgencyReference | null;
    }
  | { kind: "progress"; delta: ParsedProgress }
  | { kind: "status"; delta: ParsedStatus };

export type MessageResult = { ok: true; message: ParsedMessage } | { ok: false; rejection: Rejection };
export type ParseResult =
  | { ok: true; record: DossierRecord; agency: AgencyReference | null }
  | { ok: false; rejection: Rejection };

type Output = MappedRecord | PortalRecord | ParsedProgress | ParsedStatus;
type Schema = {
  safeParse(raw: unknown, params: { error: z.core.$ZodErrorMap }): z.ZodSafeParseResult<Output>;
};

/**
 * Compiled ahead of time (zod's `z.compile`): a valid record takes generated code without per-node
 * dispatch (about 3× faster); an invalid one falls back to the interpreter, so the errors are the
 * same. The schemas themselves are the source of truth. Portal schemas depend on the source's
 * dialect: one compiled set per dialect met.
 */
const CANONICAL: Schema = z.compile(canonicalRecord);
const portalSchemas = new Map<string, Record<"record" | DeltaKind, Schema>>();

function portalSchemasOf(dialect: SourceDialect) {
  const key = JSON.stringify([dialect.id, dialect.literalZ, dialect.statusMap]);
  let schemas = portalSchemas.get(key);
  if (!schemas) {
    schemas = {
      record: z.compile(dvcqgRecordSchema(dialect)),
      progress: z.compile(progressRowSchema(dialect)),
      status: z.compile(statusRowSchema(dialect)),
    };
    // A handful of sources in practice; an admin editing one many times must not grow this forever.
    if (portalSchemas.size > 100) portalSchemas.clear();
    portalSchemas.set(key, schemas);
  }
  return schemas;
}

const CODE_KEYS: Record<RecordFormat, string> = { canonical: "code", dvcqg: "MaHoSo" };
/** A rejection echoes the code; a megabyte "code" is cut, the full text stays in the raw payload. */
const MAX_ECHOED_CODE = 200;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}

/** Plain English for the zod issues whose default wording would puzzle an integrator. */
const messages: z.core.$ZodErrorMap = (issue) => {
  const typeMismatch = issue.code === "invalid_type" || issue.code === "invalid_union";
  if (typeMismatch && issue.input === undefined) return "is required";
  if (issue.code === "invalid_type") {
    if (issue.expected === "int") return `expected an integer, got ${String(issue.input)}`;
    return `expected ${issue.expected}, got ${describe(issue.input)}`;
  }
  if (issue.code === "invalid_union")
    return `expected a number or a digit string, got ${describe(issue.input)}`;
  return undefined;
};

function codeOf(format: RecordFormat, raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const key = CODE_KEYS[format];
  if (!Object.hasOwn(raw, key)) return undefined;
  const value: unknown = (raw as Record<string, unknown>)[key];
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return value.trim().slice(0, MAX_ECHOED_CODE);
}

function reject(
  index: number,
  code: string | undefined,
  errors: FieldError[],
): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: code === undefined ? { index, errors } : { index, code, errors } };
}

/** One message of `kind` in `format`, read in the source's dialect. */
export function parseMessage(
  kind: MessageKind,
  format: RecordFormat,
  raw: unknown,
  index: number,
  dialect: SourceDialect = defaultDialect("default"),
): MessageResult {
  let code: string | undefined;
  try {
    code = codeOf(format, raw);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      return reject(index, code, [
        { path: ROOT_PATH, message: `expected a record object, got ${describe(raw)}` },
      ]);
    }
    if (kind === "record" && format === "canonical") {
      const fast = fastCanonical(raw);
      // fast is this call's own object: raw is added to it rather than to a copy.
      if (fast)
        return accepted({
          kind: "record",
          record: Object.assign(fast, { raw }),
          agency: canonicalAgency(fast),
        });
    }
    const schema = format === "canonical" ? CANONICAL : portalSchemasOf(dialect)[kind];
    const result = schema.safeParse(raw, { error: messages });
    if (result.success) return accepted(messageOf(kind, format, result.data, raw));
    const errors = result.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      message: issue.message,
    }));
    return reject(index, code, errors);
  } catch (error) {
    // Only exotic inputs get here (throwing getters, proxies); JSON never does.
    const reason = error instanceof Error ? error.message : "unknown error";
    return reject(index, code, [{ path: ROOT_PATH, message: `record could not be read: ${reason}` }]);
  }
}

const accepted = (message: ParsedMessage): MessageResult => ({ ok: true, message });
const canonicalAgency = (r: MappedRecord): AgencyReference => ({ path: "agencyCode", value: r.agencyCode });

function messageOf(kind: MessageKind, format: RecordFormat, data: Output, raw: unknown): ParsedMessage {
  if (kind === "progress") return { kind, delta: data as ParsedProgress };
  if (kind === "status") return { kind, delta: data as ParsedStatus };
  if (format === "canonical") {
    const record = data as MappedRecord;
    return { kind, record: { ...record, raw }, agency: canonicalAgency(record) };
  }
  const portal = data as PortalRecord;
  return { kind, record: { ...portal.record, raw }, agency: portal.agency };
}

/** A full record, its agency as sent (not yet resolved against the catalogue). */
export function parseRecord(
  format: RecordFormat,
  raw: unknown,
  index: number,
  dialect?: SourceDialect,
): ParseResult {
  const result = parseMessage("record", format, raw, index, dialect);
  if (!result.ok) return result;
  if (result.message.kind !== "record") throw new Error("a record schema gave a delta");
  return { ok: true, record: result.message.record, agency: result.message.agency };
}

export interface ParsedBatch {
  records: { index: number; record: DossierRecord }[];
  rejections: Rejection[];
}

/** Every record of the batch, each on its own: one bad record never blocks the others. */
export function parseBatch(format: RecordFormat, raws: readonly unknown[]): ParsedBatch {
  const batch: ParsedBatch = { records: [], rejections: [] };
  raws.forEach((raw, index) => {
    const result = parseRecord(format, raw, index);
    if (result.ok) batch.records.push({ index, record: result.record });
    else batch.rejections.push(result.rejection);
  });
  return batch;
}
