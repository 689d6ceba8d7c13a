// The one pipeline behind push, pull and file import: a batch read (prepare.ts), then applied in
// one transaction — its records, its deltas, and its rejections quarantined.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { takesCopy } from "../db/copy.js";
import { type ApplyCounts, applyRecords, type PreparedRecord } from "./apply.js";
import { applyDeltas } from "./apply-deltas.js";
import { applyEncodedRecords } from "./apply-encoded.js";
import type { Rejection } from "./parse.js";
import {
  emptyBatch,
  loadSyncContext,
  messageReader,
  type PreparedBatch,
  prepareBatch,
  type SyncContext,
  type SyncInput,
} from "./prepare.js";
import { type PreparedJob, type PrepareJob, runPrepareJob } from "./prepare-job.js";
import { type PreparePool, sharedPreparePool } from "./prepare-pool.js";
import { type BodyRead, type BodyRefusal, type BodyShape, readBody } from "./push-body.js";
import type { Lap } from "./timeline.js";
import { storableText } from "./unstorable.js";

export {
  emptyBatch,
  loadSyncContext,
  messageReader,
  type PreparedBatch,
  prepareBatch,
  type Quarantined,
  type SyncContext,
  type SyncInput,
  syncContextOf,
} from "./prepare.js";

export interface SyncResult extends ApplyCounts {
  rejected: Rejection[];
}

/**
 * Parse, apply the valid messages and quarantine the rejected ones with their raw payload, all in
 * one transaction: either the batch's valid messages and its rejections are stored, or nothing is.
 */
export async function syncBatch(db: Db, input: SyncInput, context?: SyncContext): Promise<SyncResult> {
  const read = context ?? (await loadSyncContext(db, input.sourceId));
  if (takesCopy(db)) {
    const prepared = await prepareForCopy(input, read);
    return db.transaction((tx) => applyPrepared(tx, input, prepared, read));
  }
  const prepared = prepareBatch(input, read);
  return db.transaction((tx) => applyBatch(tx, prepared));
}

/** What a pushed body said (format, kind, sender) and what became of its messages. */
export type BodySync = { read: Omit<BodyRead, "messages">; result: SyncResult } | { refused: BodyRefusal };

/**
 * A pushed request's body, read (push-body.ts) and synced as `syncBatch` syncs a batch. On
 * PostgreSQL it is read from its bytes by a body job (prepare-job.ts), on a pool thread when large:
 * parsed on the request's thread, then copied to a thread as values, it held that thread, which
 * also feeds every COPY, for each request's megabytes (docs/DECISIONS.md, "A pushed body is read
 * from its bytes"). PGlite, which takes no COPY, reads it whole and syncs its parsed records.
 */
export async function syncBody(
  db: Db,
  body: Uint8Array,
  shape: BodyShape,
  input: Omit<SyncInput, "raws" | "format" | "kind">,
): Promise<BodySync> {
  const context = await loadSyncContext(db, input.sourceId);
  if (!takesCopy(db)) {
    const reading = readBody(body, shape);
    if ("refused" in reading) return reading;
    const { messages, ...read } = reading.read;
    return { read, result: await syncBatch(db, { ...input, ...read, raws: messages }, context) };
  }
  const job: PrepareJob = {
    // The body says its format (and kind); the job reads it before any record.
    input: { ...input, format: "canonical" },
    messages: { kind: "body", bytes: body, shape },
  };
  const pool = body.length >= POOLED_BODY_BYTES ? sharedPreparePool() : null;
  const prepared = pool ? await pool.prepare(job, context) : runPrepareJob(job, context);
  if (!prepared.body) throw new Error("a body's job came back without its reading");
  if ("refused" in prepared.body) return prepared.body;
  const { read } = prepared.body;
  const batch: SyncInput = { ...input, ...read, raws: [] };
  const result = await db.transaction((tx) => applyPrepared(tx, batch, prepared, context));
  pool?.lend(prepared);
  return { read, result };
}

/** A body this large (about 200 records) is read on a pool thread; a smaller one costs less here. */
const POOLED_BODY_BYTES = 512 * 1024;

/**
 * `syncBatch` inside a transaction the caller opened and commits, so that the caller can write
 * something with the batch atomically (the pull connector's cursor).
 */
export async function syncBatchIn(tx: Db, input: SyncInput): Promise<SyncResult> {
  const context = await loadSyncContext(tx, input.sourceId);
  if (takesCopy(tx)) return applyPrepared(tx, input, await prepareForCopy(input, context), context);
  return applyBatch(tx, prepareBatch(input, context));
}

/** Batches this large are prepared on the pool's threads; a smaller one costs less where it is. */
const POOLED_FROM = 500;

/** The batch read and encoded for COPY (prepare-job.ts): on the process's worker threads when large. */
export function prepareForCopy(
  input: SyncInput,
  context: SyncContext,
  pool?: PreparePool | null,
): Promise<PreparedJob> {
  const { raws, ...rest } = input;
  const job: PrepareJob = { input: rest, messages: { kind: "values", values: raws as unknown[] } };
  // The pool is asked for only when a batch is large enough to use it: a small push never starts it.
  const threads = raws.length >= POOLED_FROM ? (pool === undefined ? sharedPreparePool() : pool) : null;
  if (threads) return threads.prepare(job, context);
  return Promise.resolve(runPrepareJob(job, context));
}

/** Writes a batch prepared for COPY inside the caller's transaction (PostgreSQL). */
export async function applyPrepared(
  tx: Db,
  input: SyncInput,
  prepared: PreparedJob,
  context: SyncContext,
  lap?: Lap,
): Promise<SyncResult> {
  const source = input.sourceId ?? null;
  const records = await applyEncodedRecords(tx, prepared.encoded, input.now, {
    sourceId: source,
    reread: (rawJson) => readAgain(input, context, rawJson),
    ...(lap ? { lap } : {}),
  });
  const deltas = await applyDeltas(tx, prepared.deltas, input.now, source);
  lap?.("apply deltas");
  const { rejected, quarantined } = prepared;
  if (rejected.length > 0) {
    await quarantine(tx, { ...emptyBatch(input), rejected, quarantined });
    lap?.("quarantine");
  }
  return sumOf(records, deltas, rejected);
}

/** A record taken once, read again from its raw payload's JSON (for a merge, or its catalogue rows). */
function readAgain(input: SyncInput, context: SyncContext, rawJson: string): PreparedRecord {
  const batch = emptyBatch({ ...input, kind: "record" });
  messageReader(batch, context)(JSON.parse(rawJson), 0, { text: rawJson });
  const [record] = batch.records;
  if (!record) throw new Error("a record taken once was refused when read again");
  return record;
}

const sumOf = (records: ApplyCounts, deltas: ApplyCounts, rejected: Rejection[]): SyncResult => ({
  inserted: records.inserted + deltas.inserted,
  updated: records.updated + deltas.updated,
  unchanged: records.unchanged + deltas.unchanged,
  stale: records.stale + deltas.stale,
  pending: records.pending + deltas.pending,
  rejected,
});

/** Writes a prepared batch inside the caller's transaction. */
export async function applyBatch(tx: Db, batch: PreparedBatch): Promise<SyncResult> {
  const { now, sourceId } = batch.input;
  const source = sourceId ?? null;
  const records = await applyRecords(tx, batch.records, now, { sourceId: source });
  const deltas = await applyDeltas(tx, batch.deltas, now, source);
  if (batch.rejected.length > 0) await quarantine(tx, batch);
  return sumOf(records, deltas, batch.rejected);
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
