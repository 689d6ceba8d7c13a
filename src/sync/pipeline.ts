import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { type ApplyCounts, applyRecords, contentHash, type PreparedRecord } from "./apply.js";
import { parseRecord, type RecordFormat, type Rejection } from "./parse.js";
import type { SyncSource } from "./schema.js";
import { mayHoldUnstorable, storableCopy, storableText, unstorableFields } from "./unstorable.js";

export const MAX_RECORDS_PER_REQUEST = 10_000;

export interface SyncResult extends ApplyCounts {
  rejected: Rejection[];
}

export interface SyncInput {
  source: SyncSource;
  format: RecordFormat;
  raws: readonly unknown[];
  now: Date;
  /** Added to each rejection's index: the position of `raws[0]` in the whole import. */
  offset?: number;
}

/** A batch parsed and hashed, ready to be written: all the work that needs no database. */
export interface PreparedBatch {
  input: SyncInput;
  records: PreparedRecord[];
  rejected: Rejection[];
  /** The raw payload of each rejection, made storable (see unstorable.ts). */
  quarantined: unknown[];
}

/**
 * Parse, apply the valid records and quarantine the rejected ones with their raw payload, all in
 * one transaction: either the batch's valid records and its rejections are stored, or nothing is.
 */
export function syncBatch(db: Db, input: SyncInput): Promise<SyncResult> {
  const prepared = prepareBatch(input);
  return db.transaction((tx) => applyBatch(tx, prepared));
}

/**
 * `syncBatch` inside a transaction the caller opened and commits, so that the caller can write
 * something with the batch atomically (the pull connector's cursor).
 */
export function syncBatchIn(tx: Db, input: SyncInput): Promise<SyncResult> {
  return applyBatch(tx, prepareBatch(input));
}

export function prepareBatch(input: SyncInput): PreparedBatch {
  const offset = input.offset ?? 0;
  const batch: PreparedBatch = { input, records: [], rejected: [], quarantined: [] };
  const reject = (rejection: Rejection, raw: unknown) => {
    batch.rejected.push(
      rejection.code === undefined ? rejection : { ...rejection, code: storableText(rejection.code) },
    );
    batch.quarantined.push(storableCopy(raw));
  };
  input.raws.forEach((raw, i) => {
    const parsed = parseRecord(input.format, raw, offset + i);
    if (!parsed.ok) {
      const { rejection } = parsed;
      reject({ ...rejection, errors: [...rejection.errors, ...unstorableFields(raw)] }, raw);
      return;
    }
    const rawJson = JSON.stringify(raw);
    const unstorable = mayHoldUnstorable(rawJson) ? unstorableFields(raw) : [];
    if (unstorable.length > 0) {
      const { code } = parsed.record;
      reject({ index: offset + i, code, errors: unstorable }, raw);
      return;
    }
    const hash = contentHash(input.format, rawJson);
    // The parsed payload is not kept: rawJson is what is stored, and a batch holding thousands of
    // parsed trees until it is written costs full garbage collections.
    const record = { ...parsed.record, raw: null };
    batch.records.push({ record, rawJson, hash });
  });
  return batch;
}

/** Writes a prepared batch inside the caller's transaction. */
export async function applyBatch(tx: Db, batch: PreparedBatch): Promise<SyncResult> {
  const counts = await applyRecords(tx, batch.records, batch.input.now);
  if (batch.rejected.length > 0) await quarantine(tx, batch);
  return { ...counts, rejected: batch.rejected };
}

async function quarantine(tx: Db, batch: PreparedBatch): Promise<void> {
  const rows = batch.rejected.map((r, i) => ({
    source: batch.input.source,
    format: batch.input.format,
    record_index: r.index,
    code: r.code ?? null,
    errors: r.errors.map((e) => ({ path: storableText(e.path), message: storableText(e.message) })),
    // Kept as sent (made storable), so nothing the one-stop software sent is lost.
    raw: batch.quarantined[i] ?? null,
  }));
  await tx.execute(sql`
    INSERT INTO sync_rejections (source, format, record_index, code, errors, raw)
    SELECT q.source, q.format, q.record_index, q.code, q.errors, q.raw
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS q(source text, format text, record_index integer, code text, errors jsonb, raw jsonb)`);
}
