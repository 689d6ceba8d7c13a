// File import: a dump streamed through the one pipeline in batches (source "file"). Each batch is
// its own transaction, so an interrupted import keeps the batches it committed; running it again
// finds them `unchanged` and goes on, which is how an import resumes.
import type { Db } from "../db/client.js";
import { type DumpKind, MalformedDumpError, readDump } from "./dump-reader.js";
import type { RecordFormat } from "./parse.js";
import {
  applyBatch,
  MAX_RECORDS_PER_REQUEST,
  type PreparedBatch,
  prepareBatch,
  type SyncInput,
  type SyncResult,
} from "./pipeline.js";

/** Two batches are in memory at once (one written, one parsed): 2,000 keeps the importer well under 512 MB. */
export const DEFAULT_FILE_BATCH = 2000;

export interface ImportOptions {
  path: string;
  format: RecordFormat;
  /** Records per transaction; at most MAX_RECORDS_PER_REQUEST. */
  batchSize?: number;
  kind?: DumpKind;
  now?: () => Date;
  /** Called after each committed batch. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: number;
  elapsedMs: number;
}

export interface ImportSummary extends ImportProgress {
  /** Set when the file stopped being JSON somewhere: the records before it are committed. */
  malformed?: MalformedDumpError;
}

export async function importFile(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? DEFAULT_FILE_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_RECORDS_PER_REQUEST) {
    throw new RangeError(`batch size must be an integer from 1 to ${MAX_RECORDS_PER_REQUEST}`);
  }
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const summary: ImportSummary = {
    records: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    stale: 0,
    rejected: 0,
    elapsedMs: 0,
  };
  const add = (result: SyncResult, size: number) => {
    summary.records += size;
    summary.inserted += result.inserted;
    summary.updated += result.updated;
    summary.unchanged += result.unchanged;
    summary.stale += result.stale;
    summary.rejected += result.rejected.length;
    summary.elapsedMs = performance.now() - started;
    options.onProgress?.({ ...summary });
  };
  let raws: unknown[] = [];
  let offset = 0;
  // One batch is written while the next is read and parsed: the database and this process work
  // at the same time. Batches still commit one after the other, in file order.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (raws.length === 0) return;
    // Parsed and hashed while the previous batch is still being written.
    const batch = await prepareInSlices({ source: "file", format: options.format, raws, now: now(), offset });
    offset += raws.length;
    raws = [];
    await writing;
    writing = db
      .transaction((tx) => applyBatch(tx, batch))
      .then((result) => add(result, batch.input.raws.length));
    // A failed write surfaces at the next await of `writing`, not as an unhandled rejection.
    writing.catch(() => {});
  };
  try {
    for await (const element of readDump(options.path, options.kind)) {
      raws.push(parseElement(element.text, element));
      if (raws.length >= batchSize) await flush();
    }
  } catch (error) {
    if (!(error instanceof MalformedDumpError)) throw error;
    summary.malformed = error;
  }
  await flush();
  await writing;
  summary.elapsedMs = performance.now() - started;
  return summary;
}

/** Records parsed between two turns of the event loop, so the batch being written is never kept waiting long. */
const SLICE = 200;

/** `prepareBatch` in slices, yielding in between: the writing transaction's next statement goes out meanwhile. */
async function prepareInSlices(input: SyncInput): Promise<PreparedBatch> {
  const whole: PreparedBatch = { input, records: [], rejected: [], quarantined: [] };
  const offset = input.offset ?? 0;
  for (let start = 0; start < input.raws.length; start += SLICE) {
    const slice = prepareBatch({
      ...input,
      raws: input.raws.slice(start, start + SLICE),
      offset: offset + start,
    });
    whole.records.push(...slice.records);
    whole.rejected.push(...slice.rejected);
    whole.quarantined.push(...slice.quarantined);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return whole;
}

function parseElement(text: string, at: { index: number; line: number; column: number }): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedDumpError((error as Error).message, at.index, at.line, at.column);
  }
}
