// Reading a batch: each message parsed (zod schemas of DOMAIN §9, or the canonical fast path), its
// agency resolved against the catalogue, its content hashed and its place in the dossier's order
// found, or rejected with every failing field and kept for the quarantine. No database: a worker
// thread runs it as well as the caller's (prepare-job.ts).

import { createHash } from "node:crypto";
import { type AgencyCatalogue, AgencyResolver, loadAgencyCatalogue } from "../catalog/agency-resolver.js";
import type { Db } from "../db/client.js";
import type { PreparedRecord } from "./apply.js";
import type { PreparedDelta } from "./apply-deltas.js";
import { stepsOfAgency } from "./formats/dvcqg.js";
import { recordOrderKey } from "./merge.js";
import {
  type MessageKind,
  type ParsedMessage,
  parseMessage,
  type RecordFormat,
  type Rejection,
} from "./parse.js";
import type { RejectionContext, SyncSource } from "./schema.js";
import { DEFAULT_SOURCE_ID, findDialect, type SourceDialect } from "./sources.js";
import {
  jsonText,
  mayHoldUnstorable,
  nestsTooDeep,
  storableCopy,
  storableText,
  unstorableFields,
} from "./unstorable.js";

export interface SyncInput {
  /** The way in: push, pull, file import, demo. */
  source: SyncSource;
  format: RecordFormat;
  /** Full records (default) or one kind of the portal's deltas. */
  kind?: MessageKind;
  raws: readonly unknown[];
  now: Date;
  /** Added to each rejection's index: the position of `raws[0]` in the whole import. */
  offset?: number;
  /** The one-stop system sending (sync_sources.id), whose dialect the messages are read in. */
  sourceId?: string;
  /** The sending agency (the portal envelope's madonvi, ?MaDinhDanhDV=): stands in for a record naming none. */
  sender?: string | null;
}

/**
 * A stable digest of what was sent: the same message twice is `unchanged`. The mapped record is a
 * pure function of (format, raw payload), so hashing the payload's JSON (already built for the
 * `raw` column) says the same as hashing the mapped record, at a fraction of the cost.
 */
export function contentHash(format: string, rawJson: string | JsonText): string {
  const hash = createHash("sha256").update(`${format}\n`);
  // Hashing the text's UTF-8, when at hand, spares encoding the text again (most of the cost).
  if (typeof rawJson === "string") return hash.update(rawJson).digest("hex");
  return hash.update(rawJson.bytes ?? rawJson.text).digest("hex");
}

/** A value's JSON.stringify text, with its UTF-8 when a reader has it (a dump's line). */
export interface JsonText {
  text: string;
  bytes?: Uint8Array;
}

/** What reading a batch needs from the database, loaded once per request or import. */
export interface SyncContext {
  agencies: AgencyResolver;
  dialect: SourceDialect;
  /** What `agencies` was built from, for a worker thread to build its own; absent when built by hand. */
  catalogue?: AgencyCatalogue;
}

export async function loadSyncContext(db: Db, sourceId: string = DEFAULT_SOURCE_ID): Promise<SyncContext> {
  const [catalogue, dialect] = await Promise.all([loadAgencyCatalogue(db), findDialect(db, sourceId)]);
  return syncContextOf(catalogue, dialect);
}

export const syncContextOf = (catalogue: AgencyCatalogue, dialect: SourceDialect): SyncContext => ({
  agencies: new AgencyResolver(catalogue.agencies, catalogue.aliases),
  dialect,
  catalogue,
});

/** A rejected message as the quarantine keeps it. */
export interface Quarantined {
  /** Made storable (see unstorable.ts). */
  raw: unknown;
  context: RejectionContext;
  hash: string;
}

/** A batch parsed and hashed, ready to be written: all the work that needs no database. */
export interface PreparedBatch {
  input: SyncInput;
  records: PreparedRecord[];
  deltas: PreparedDelta[];
  rejected: Rejection[];
  quarantined: Quarantined[];
}

export const emptyBatch = (input: SyncInput): PreparedBatch => ({
  input,
  records: [],
  deltas: [],
  rejected: [],
  quarantined: [],
});

export function prepareBatch(input: SyncInput, context: SyncContext): PreparedBatch {
  const offset = input.offset ?? 0;
  const batch = emptyBatch(input);
  const read = messageReader(batch, context);
  input.raws.forEach((raw, i) => {
    read(raw, offset + i);
  });
  return batch;
}

/**
 * Reads one message into `batch`: a prepared record or delta, or a rejection and its quarantine
 * copy. A worker thread reads a batch message by message with it, encoding each record as it comes
 * (prepare-job.ts), so that no parsed tree outlives its message. `json`, when given, is what
 * JSON.stringify writes of `raw` (a dump's line written so: json-form.ts).
 */
export function messageReader(
  batch: PreparedBatch,
  context: SyncContext,
  lap?: (phase: "validate" | "map" | "hash") => void,
): (raw: unknown, index: number, json?: JsonText) => void {
  const { input } = batch;
  const kind = input.kind ?? "record";
  const quarantineContext: RejectionContext = {
    kind,
    sourceId: input.sourceId ?? null,
    sender: input.sender ?? null,
  };
  const reject = (rejection: Rejection, raw: unknown) => {
    batch.rejected.push(
      rejection.code === undefined ? rejection : { ...rejection, code: storableText(rejection.code) },
    );
    const storable = storableCopy(raw);
    const storableJson = JSON.stringify(storable) ?? "null";
    const altered = storableJson !== jsonText(raw);
    const context = altered ? { ...quarantineContext, altered } : quarantineContext;
    const hash = contentHash(`quarantine\n${input.format}\n${JSON.stringify(context)}`, storableJson);
    batch.quarantined.push({ raw: storable, context, hash });
  };
  return (raw, index, json) => {
    const parsed = parseMessage(kind, input.format, raw, index, context.dialect);
    lap?.("validate");
    if (!parsed.ok) {
      const { rejection } = parsed;
      reject({ ...rejection, errors: [...rejection.errors, ...unstorableFields(raw)] }, raw);
      return;
    }
    const rawJson = json?.text ?? jsonText(raw);
    const unstorable =
      rawJson === null || mayHoldUnstorable(rawJson) || nestsTooDeep(rawJson) ? unstorableFields(raw) : [];
    if (rawJson === null || unstorable.length > 0) {
      reject({ index, code: codeOf(parsed.message), errors: unstorable }, raw);
      return;
    }
    const rejection = addMessage(batch, parsed.message, json ?? { text: rawJson }, index, context, lap);
    if (rejection) reject(rejection, raw);
    lap?.("map");
  };
}

const codeOf = (m: ParsedMessage) => (m.kind === "record" ? m.record.code : m.delta.code);

/** Adds a parsed message to the batch, or says why it cannot be taken (its agency). */
function addMessage(
  batch: PreparedBatch,
  message: ParsedMessage,
  json: JsonText,
  index: number,
  context: SyncContext,
  lap?: (phase: "map" | "hash") => void,
): Rejection | undefined {
  const { input } = batch;
  const rawJson = json.text;
  if (message.kind !== "record") {
    const hash = contentHash(`${input.format}:${message.kind}`, rawJson);
    // A delta that says nothing of time happened, at the latest, when it arrived.
    const delta = { ...message.delta, eventAt: message.delta.eventAt ?? input.now, contentHash: hash };
    batch.deltas.push({ delta, hash, rawJson });
    return undefined;
  }
  const { record } = message;
  const reference = message.agency ?? (input.sender ? { path: "madonvi", value: input.sender } : null);
  if (!reference) {
    return {
      index,
      code: record.code,
      errors: [
        {
          path: "DonViXuLy",
          message: "is required: the handling agency's code or name (or the envelope's madonvi)",
        },
      ],
    };
  }
  const resolved = context.agencies.resolve(reference.value, input.sender);
  if (!resolved.ok)
    return { index, code: record.code, errors: [{ path: reference.path, message: resolved.message }] };
  lap?.("map");
  const hash = contentHash(input.format, json);
  lap?.("hash");
  const steps =
    input.format === "dvcqg"
      ? stepsOfAgency(record.steps, message.agency?.value ?? null, resolved.code)
      : record.steps;
  // The parsed payload is not kept: rawJson is what is stored, and a batch holding thousands of
  // parsed trees until it is written costs full garbage collections. The record is this message's
  // own (parseMessage makes it), so it is completed in place rather than copied.
  const mapped = Object.assign(record, { agencyCode: resolved.code, steps, raw: null });
  const order = recordOrderKey(mapped, hash);
  batch.records.push({
    record: mapped,
    rawJson,
    ...(json.bytes ? { rawBytes: json.bytes } : {}),
    hash,
    order,
  });
  return undefined;
}
