// File import: a dump streamed through the one pipeline in batches (source "file"). Each batch is
// its own transaction, so an interrupted import keeps the batches it committed; running it again
// finds them `unchanged` and goes on, which is how an import resumes.
import type { Db } from "../db/client.js";
import { takesCopy } from "../db/copy.js";
import type { PreparedRecord } from "./apply.js";
import { MalformedDumpError, readDump } from "./dump-reader.js";
import { importPrepared } from "./file-import-pooled.js";
import {
  type ImportOptions,
  type ImportSummary,
  type ImportTally,
  importTally,
} from "./file-import-tally.js";
import type { Rejection } from "./parse.js";
import {
  applyBatch,
  emptyBatch as emptyPrepared,
  loadSyncContext,
  type PreparedBatch,
  prepareBatch,
  type Quarantined,
  type SyncContext,
  type SyncInput,
} from "./pipeline.js";
import { sharedPreparePool } from "./prepare-pool.js";
import { MAX_RECORDS_PER_REQUEST } from "./push-body.js";

/** Two batches are in memory at once (one written, one parsed): 2,000 keeps the importer well under 512 MB. */
export const DEFAULT_FILE_BATCH = 2000;

export async function importFile(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? DEFAULT_FILE_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_RECORDS_PER_REQUEST) {
    throw new RangeError(`batch size must be an integer from 1 to ${MAX_RECORDS_PER_REQUEST}`);
  }
  // The catalogue as it is when the import starts: an alias added meanwhile serves the replay.
  const context = await loadSyncContext(db, options.sourceId);
  const tally = importTally(options);
  const pool = takesCopy(db) ? (options.pool ?? sharedPreparePool()) : null;
  if (pool) await importPrepared(db, { ...options, batchSize }, context, pool, tally);
  else await importHere(db, { ...options, batchSize }, context, tally);
  return tally.done();
}

/**
 * Everything in this thread (PGlite, or no worker threads): each batch prepared here while the one
 * before it is written.
 */
async function importHere(
  db: Db,
  options: ImportOptions & { batchSize: number },
  context: SyncContext,
  tally: ImportTally,
): Promise<void> {
  const { batchSize } = options;
  const now = options.now ?? (() => new Date());
  const add = tally.add;
  let batch = emptyBatch(0);
  let slice: unknown[] = [];
  // One batch is written while the next is read and prepared: the database and this process work
  // at the same time. Batches still commit one after the other, in file order.
  let writing: Promise<void> = Promise.resolve();
  const prepareSlice = async () => {
    if (slice.length === 0) return;
    appendSlice(batch, options, slice, context);
    slice = [];
    // Lets the batch being written send its next statement while this one is prepared.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  const flush = async () => {
    await prepareSlice();
    if (batch.size === 0) return;
    const full = sealed(batch, options, now());
    batch = emptyBatch(batch.offset + batch.size);
    await writing;
    writing = db.transaction((tx) => applyBatch(tx, full.prepared)).then((result) => add(result, full.size));
    // A failed write surfaces at the next await of `writing`, not as an unhandled rejection.
    writing.catch(() => {});
  };
  try {
    for await (const element of readDump(options.path, options.kind)) {
      slice.push(parseElement(element.text, element));
      if (slice.length >= SLICE) await prepareSlice();
      if (batch.size + slice.length >= batchSize) await flush();
    }
  } catch (error) {
    if (!(error instanceof MalformedDumpError)) throw error;
    tally.stop(error);
  }
  await flush();
  await writing;
}

/**
 * Records parsed from JSON and not yet prepared. Prepared every SLICE records, so that the parsed
 * objects die young (the batch keeps only the prepared rows and the payload's JSON text): with
 * whole batches of parsed objects alive, the import spent a fifth of its CPU in full garbage
 * collections under the 256 MB heap `npm run sync` runs with.
 */
const SLICE = 100;

interface GrowingBatch {
  /** Position of the batch's first record in the file. */
  offset: number;
  size: number;
  records: PreparedRecord[];
  rejected: Rejection[];
  quarantined: Quarantined[];
}

function emptyBatch(offset: number): GrowingBatch {
  return { offset, size: 0, records: [], rejected: [], quarantined: [] };
}

function appendSlice(
  batch: GrowingBatch,
  options: ImportOptions,
  raws: unknown[],
  context: SyncContext,
): void {
  const offset = batch.offset + batch.size;
  // Preparing reads no clock (records carry their own times): the batch's `now` is the time it is
  // sealed for writing.
  const input = {
    source: "file" as const,
    format: options.format,
    sourceId: options.sourceId,
    raws,
    now: new Date(0),
    offset,
  };
  const prepared = prepareBatch(input, context);
  batch.records.push(...prepared.records);
  batch.rejected.push(...prepared.rejected);
  batch.quarantined.push(...prepared.quarantined);
  batch.size += raws.length;
}

/** The batch as the pipeline writes it; `raws` is left empty, its records are already prepared. */
function sealed(batch: GrowingBatch, options: ImportOptions, now: Date) {
  const input: SyncInput = {
    source: "file",
    format: options.format,
    sourceId: options.sourceId,
    raws: [],
    now,
    offset: batch.offset,
  };
  const { records, rejected, quarantined } = batch;
  const prepared: PreparedBatch = { ...emptyPrepared(input), records, rejected, quarantined };
  return { prepared, size: batch.size };
}

function parseElement(text: string, at: { index: number; line: number; column: number }): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedDumpError((error as Error).message, at.index, at.line, at.column);
  }
}
