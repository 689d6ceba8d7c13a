// What a file import is asked to do and what it reports as its batches commit: shared by the
// importer that prepares batches in this thread (file-import.ts) and the pooled one.
import type { DumpKind, MalformedDumpError } from "./dump-reader.js";
import type { RecordFormat } from "./parse.js";
import type { SyncResult } from "./pipeline.js";
import type { PreparePool } from "./prepare-pool.js";
import type { Timeline } from "./timeline.js";

export interface ImportOptions {
  path: string;
  format: RecordFormat;
  /** The one-stop system the dump comes from (sync_sources.id): its dialect reads the records. */
  sourceId?: string;
  /** Records per transaction; at most MAX_RECORDS_PER_REQUEST. */
  batchSize?: number;
  kind?: DumpKind;
  now?: () => Date;
  /** Called after each committed batch, in file order. */
  onProgress?: (progress: ImportProgress) => void;
  /** Threads that prepare batches on PostgreSQL; the process's pool by default. */
  pool?: PreparePool;
  /** Spans of each batch's work, when asked (PostgreSQL only: the pooled path is the one timed). */
  timeline?: Timeline;
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

/** The summary as batches commit, reported in file order. */
export interface ImportTally {
  add(result: BatchCounts, size: number): void;
  stop(malformed: MalformedDumpError): void;
  done(): ImportSummary;
}

/** What a committed batch reports, pushed (the service's answer) or applied here. */
export type BatchCounts = Pick<SyncResult, "inserted" | "updated" | "unchanged" | "stale"> & {
  rejected: readonly unknown[];
};

export function importTally(options: Pick<ImportOptions, "onProgress">): ImportTally {
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
  return {
    add(result, size) {
      summary.records += size;
      summary.inserted += result.inserted;
      summary.updated += result.updated;
      summary.unchanged += result.unchanged;
      summary.stale += result.stale;
      summary.rejected += result.rejected.length;
      summary.elapsedMs = performance.now() - started;
      options.onProgress?.({ ...summary });
    },
    stop(malformed) {
      summary.malformed = malformed;
    },
    done() {
      summary.elapsedMs = performance.now() - started;
      return summary;
    },
  };
}
