import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { type ApplyCounts, applyRecords } from "./apply.js";
import { parseBatch, type RecordFormat, type Rejection } from "./parse.js";
import type { SyncSource } from "./schema.js";

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

/**
 * Parse, apply the valid records and quarantine the rejected ones with their raw payload, all in
 * one transaction: either the batch's valid records and its rejections are stored, or nothing is.
 */
export function syncBatch(db: Db, input: SyncInput): Promise<SyncResult> {
  return db.transaction((tx) => syncBatchIn(tx, input));
}

/**
 * `syncBatch` inside a transaction the caller opened and commits, so that the caller can write
 * something with the batch atomically (the pull connector's cursor).
 */
export async function syncBatchIn(tx: Db, input: SyncInput): Promise<SyncResult> {
  const { records, rejections } = parseBatch(input.format, input.raws);
  const offset = input.offset ?? 0;
  const rejected = rejections.map((r) => ({ ...r, index: r.index + offset }));
  const counts = await applyRecords(
    tx,
    records.map((r) => r.record),
    input.now,
  );
  if (rejected.length > 0) await quarantine(tx, input, rejected);
  return { ...counts, rejected };
}

async function quarantine(tx: Db, input: SyncInput, rejected: Rejection[]): Promise<void> {
  const offset = input.offset ?? 0;
  const rows = rejected.map((r) => ({
    source: input.source,
    format: input.format,
    record_index: r.index,
    code: r.code ?? null,
    errors: r.errors,
    // Kept as sent, whatever it is, so nothing the one-stop software sent is lost.
    raw: input.raws[r.index - offset] ?? null,
  }));
  await tx.execute(sql`
    INSERT INTO sync_rejections (source, format, record_index, code, errors, raw)
    SELECT q.source, q.format, q.record_index, q.code, q.errors, q.raw
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS q(source text, format text, record_index integer, code text, errors jsonb, raw jsonb)`);
}
