// COPY … FROM STDIN in PostgreSQL's text format (one row a line, columns separated by tabs, \N for
// null): the cheapest way to hand the server many rows, with no JSON for it to parse and no
// parameters for the driver to bind. postgres.js only: PGlite has no COPY FROM STDIN through drizzle.
import { finished } from "node:stream/promises";
import { is } from "drizzle-orm";
import { PostgresJsSession } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import type { Db } from "./client.js";

/** Whether `db` is postgres.js, whose transactions take COPY (PGlite's do not). */
export const takesCopy = (db: Db): boolean => is(db._.session, PostgresJsSession);

const SPECIAL = /[\\\t\n\r]/;
const EVERY_SPECIAL = /[\\\t\n\r]/g;

function escaped(char: string): string {
  if (char === "\t") return "\\t";
  if (char === "\n") return "\\n";
  if (char === "\r") return "\\r";
  return "\\\\";
}

/**
 * One column's value in COPY text format: \N for null; backslash, tab, newline and carriage return
 * written as escapes (every other character stands for itself). Text holding U+0000 cannot be
 * stored at all: the sync rejects it before it gets here (unstorable.ts).
 */
export function copyText(value: string | null): string {
  if (value === null) return "\\N";
  return SPECIAL.test(value) ? value.replace(EVERY_SPECIAL, escaped) : value;
}

/** Bytes a chunk of COPY data holds: big enough to take many rows, small enough to reuse memory. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Chunks of copies that are over, lent again (CopyLines.release): V8 counts every new buffer
 * against the heap's limit, and an import's megabytes of fresh chunks per batch cost the main
 * thread a full collection every few batches. At most this many are kept (16 MB).
 */
const spareChunks: Buffer<ArrayBuffer>[] = [];
const MAX_SPARE_CHUNKS = 64;

/**
 * COPY rows encoded as they are added, into chunks of UTF-8. Encoding row by row is several times
 * cheaper than building a batch's rows as one string and encoding that: a string of megabytes
 * made of thousands of pieces costs more to flatten and encode than the pieces did to write.
 */
export class CopyLines {
  readonly chunks: Uint8Array[] = [];
  private chunk = Buffer.allocUnsafe(0);
  private used = 0;
  /** The chunks it filled (not the bytes it was handed), for `release`. */
  private readonly own: Buffer<ArrayBuffer>[] = [];

  /** One row: its columns written with `copyText`, separated by tabs, ending in "\n". */
  add(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair, 2 units, takes 4).
    const room = line.length * 3;
    if (this.chunk.length - this.used < room) {
      this.seal();
      this.chunk = this.fresh(room);
    }
    this.used += this.chunk.write(line, this.used);
  }

  /**
   * Rows already encoded elsewhere (a worker thread's): a large run is sent as it is, a small one
   * copied into the current chunk, so that the server is not sent a message per row.
   */
  addBytes(bytes: Uint8Array): void {
    if (bytes.length >= CHUNK_BYTES / 2) {
      this.seal();
      this.chunks.push(bytes);
      return;
    }
    if (this.chunk.length - this.used < bytes.length) {
      this.seal();
      this.chunk = this.fresh(bytes.length);
    }
    this.chunk.set(bytes, this.used);
    this.used += bytes.length;
  }

  get isEmpty(): boolean {
    return this.chunks.length === 0 && this.used === 0;
  }

  /** The chunks, the last one cut to what it holds. */
  sealed(): Uint8Array[] {
    this.seal();
    return this.chunks;
  }

  /**
   * Lends its chunks to the next CopyLines, once the server has stored its rows (copyRows resolved:
   * every chunk has been written to the connection and read by the server; postgres.js, as patched
   * by scripts/patch-postgres.mjs, writes them without copying). It is not read again after.
   */
  release(): void {
    for (const chunk of this.own.splice(0)) {
      if (chunk.length === CHUNK_BYTES && spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(chunk);
    }
    this.chunks.length = 0;
    this.chunk = Buffer.allocUnsafe(0);
    this.used = 0;
  }

  private fresh(room: number): Buffer<ArrayBuffer> {
    const chunk =
      (room <= CHUNK_BYTES && spareChunks.pop()) || Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room));
    this.own.push(chunk);
    return chunk;
  }

  private seal(): void {
    if (this.used > 0) this.chunks.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(0);
    this.used = 0;
  }
}

/**
 * Sends the rows to `COPY table (columns)` on the transaction's connection; resolves once the
 * server has stored them, rejects with its error.
 */
export async function copyRows(
  tx: postgres.TransactionSql,
  table: string,
  columns: readonly string[],
  rows: CopyLines,
): Promise<void> {
  if (rows.isEmpty) return;
  const query = tx.unsafe(`COPY ${table} (${columns.join(", ")}) FROM STDIN`);
  const refused = refusalOf(query);
  const stream = await query.writable();
  for (const chunk of rows.sealed()) stream.write(chunk);
  stream.end();
  await Promise.race([finished(stream), refused]);
}

/**
 * postgres.js (3.4.9) never finishes the stream when the server refuses the rows after they were
 * all sent, or when the connection drops then (porsager/postgres#1173): the error only reaches the
 * query, whose promise already resolved to the stream. Its `reject` is wrapped to hear it; without
 * this, the import would wait forever inside a transaction that is never rolled back.
 */
function refusalOf(query: object): Promise<never> {
  const pending = query as { reject?: (error: unknown) => void };
  const settle = pending.reject;
  if (typeof settle !== "function") throw new Error("postgres.js changed: its query has no reject()");
  const refused = new Promise<never>((_, reject) => {
    pending.reject = (error) => {
      reject(error);
      settle(error);
    };
  });
  // The error also rejects the query itself when it comes before the stream: awaited there.
  refused.catch(() => {});
  return refused;
}
