import { sql } from "drizzle-orm";
import { type AgencyResolver, loadAgencyResolver } from "../catalog/agency-resolver.js";
import type { Db } from "../db/client.js";
import { type ApplyCounts, applyRecords, contentHash, type PreparedRecord } from "./apply.js";
import { applyDeltas, type PreparedDelta } from "./apply-deltas.js";
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

export const MAX_RECORDS_PER_REQUEST = 10_000;

export interface SyncResult extends ApplyCounts {
  rejected: Rejection[];
}

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

/** What reading a batch needs from the database, loaded once per request or import. */
export interface SyncContext {
  agencies: AgencyResolver;
  dialect: SourceDialect;
}

export async function loadSyncContext(db: Db, sourceId: string = DEFAULT_SOURCE_ID): Promise<SyncContext> {
  const [agencies, dialect] = await Promise.all([loadAgencyResolver(db), findDialect(db, sourceId)]);
  return { agencies, dialect };
}

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

/**
 * Parse, apply the valid messages and quarantine the rejected ones with their raw payload, all in
 * one transaction: either the batch's valid messages and its rejections are stored, or nothing is.
 */
export async function syncBatch(db: Db, input: SyncInput, context?: SyncContext): Promise<SyncResult> {
  const prepared = prepareBatch(input, context ?? (await loadSyncContext(db, input.sourceId)));
  return db.transaction((tx) => applyBatch(tx, prepared));
}

/**
 * `syncBatch` inside a transaction the caller opened and commits, so that the caller can write
 * something with the batch atomically (the pull connector's cursor).
 */
export async function syncBatchIn(tx: Db, input: SyncInput): Promise<SyncResult> {
  return applyBatch(tx, prepareBatch(input, await loadSyncContext(tx, input.sourceId)));
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
  const kind = input.kind ?? "record";
  const batch = emptyBatch(input);
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
  input.raws.forEach((raw, i) => {
    const index = offset + i;
    const parsed = parseMessage(kind, input.format, raw, index, context.dialect);
    if (!parsed.ok) {
      const { rejection } = parsed;
      reject({ ...rejection, errors: [...rejection.errors, ...unstorableFields(raw)] }, raw);
      return;
    }
    const rawJson = jsonText(raw);
    const unstorable =
      rawJson === null || mayHoldUnstorable(rawJson) || nestsTooDeep(rawJson) ? unstorableFields(raw) : [];
    if (rawJson === null || unstorable.length > 0) {
      reject({ index, code: codeOf(parsed.message), errors: unstorable }, raw);
      return;
    }
    const rejection = addMessage(batch, parsed.message, rawJson, index, context);
    if (rejection) reject(rejection, raw);
  });
  return batch;
}

const codeOf = (m: ParsedMessage) => (m.kind === "record" ? m.record.code : m.delta.code);

/** Adds a parsed message to the batch, or says why it cannot be taken (its agency). */
function addMessage(
  batch: PreparedBatch,
  message: ParsedMessage,
  rawJson: string,
  index: number,
  context: SyncContext,
): Rejection | undefined {
  const { input } = batch;
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
  const hash = contentHash(input.format, rawJson);
  const steps =
    input.format === "dvcqg"
      ? stepsOfAgency(record.steps, message.agency?.value ?? null, resolved.code)
      : record.steps;
  // The parsed payload is not kept: rawJson is what is stored, and a batch holding thousands of
  // parsed trees until it is written costs full garbage collections.
  const mapped = { ...record, agencyCode: resolved.code, steps, raw: null };
  batch.records.push({ record: mapped, rawJson, hash, order: recordOrderKey(mapped, hash) });
  return undefined;
}

/** Writes a prepared batch inside the caller's transaction. */
export async function applyBatch(tx: Db, batch: PreparedBatch): Promise<SyncResult> {
  const { now, sourceId } = batch.input;
  const source = sourceId ?? null;
  const records = await applyRecords(tx, batch.records, now, { sourceId: source });
  const deltas = await applyDeltas(tx, batch.deltas, now, source);
  if (batch.rejected.length > 0) await quarantine(tx, batch);
  return {
    inserted: records.inserted + deltas.inserted,
    updated: records.updated + deltas.updated,
    unchanged: records.unchanged + deltas.unchanged,
    stale: records.stale + deltas.stale,
    pending: records.pending + deltas.pending,
    rejected: batch.rejected,
  };
}

/** One row per distinct message: sent again (a re-run import, a vendor's retry), it is counted. */
async function quarantine(tx: Db, batch: PreparedBatch): Promise<void> {
  const byHash = new Map<string, Record<string, unknown>>();
  batch.rejected.forEach((r, i) => {
    const q = batch.quarantined[i];
    byHash.set(q.hash, {
      source: batch.input.source,
      format: batch.input.format,
      record_index: r.index,
      code: r.code ?? null,
      errors: r.errors.map((e) => ({ path: storableText(e.path), message: storableText(e.message) })),
      // Kept as sent (made storable), so nothing the one-stop software sent is lost.
      raw: q.raw ?? null,
      context: q.context,
      content_hash: q.hash,
    });
  });
  await tx.execute(sql`
    INSERT INTO sync_rejections (source, format, record_index, code, errors, raw, context, content_hash)
    SELECT q.source, q.format, q.record_index, q.code, q.errors, q.raw, q.context, q.content_hash
    FROM jsonb_to_recordset(${JSON.stringify([...byHash.values()])}::jsonb)
      AS q(source text, format text, record_index integer, code text, errors jsonb, raw jsonb, context jsonb,
           content_hash text)
    ON CONFLICT (content_hash) DO UPDATE SET seen = sync_rejections.seen + 1, last_seen_at = now(),
      errors = excluded.errors, record_index = excluded.record_index, resolved_at = NULL`);
}
