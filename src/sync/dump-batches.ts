// A dump cut into batches of records for the prepare pool's threads, on the main thread without
// parsing anything: an NDJSON dump's lines are found in its bytes and copied as they are into the
// batch's buffer (shared with the thread that prepares it, so that a thread that dies leaves it to
// the next), a JSON array dump's elements are found by dump-reader.ts's splitter. Records, lines
// and errors are numbered exactly as dump-reader.ts numbers them.
import { open } from "node:fs/promises";
import {
  type DumpKind,
  detectKind,
  MAX_ELEMENT_BYTES,
  MalformedDumpError,
  ndjsonChunkBytes,
  readDump,
} from "./dump-reader.js";
import type { JobMessages } from "./prepare-job.js";

export interface DumpBatch {
  /** The index of its first record in the dump. */
  offset: number;
  /** Records in it. */
  size: number;
  messages: JobMessages;
  /** The dump cannot be read past this batch's records (a line too long, an array broken). */
  error?: MalformedDumpError;
}

export async function* dumpBatches(path: string, size: number, kind?: DumpKind): AsyncGenerator<DumpBatch> {
  if ((kind ?? (await detectKind(path))) === "array") yield* arrayBatches(path, size);
  else yield* ndjsonBatches(path, size);
}

async function* arrayBatches(path: string, size: number): AsyncGenerator<DumpBatch> {
  let batch = { texts: [] as string[], lines: [] as number[], columns: [] as number[] };
  let offset = 0;
  const taken = (error?: MalformedDumpError): DumpBatch => {
    const messages = { kind: "texts" as const, ...batch };
    const done = { offset, size: batch.texts.length, messages, ...(error ? { error } : {}) };
    offset += batch.texts.length;
    batch = { texts: [], lines: [], columns: [] };
    return done;
  };
  try {
    for await (const element of readDump(path, "array")) {
      batch.texts.push(element.text);
      batch.lines.push(element.line);
      batch.columns.push(element.column);
      if (batch.texts.length >= size) yield taken();
    }
  } catch (error) {
    if (!(error instanceof MalformedDumpError)) throw error;
    yield taken(error);
    return;
  }
  if (batch.texts.length > 0) yield taken();
}

/** ASCII whitespace, as String.prototype.trim removes it. */
const isAsciiSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** Whether the line is blank, as `text.trim() === ""` says of it: bytes first, text only when not ASCII. */
function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (isAsciiSpace(c)) continue;
    if (c < 0x80) return false;
    return (
      Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
        .toString()
        .trim() === ""
    );
  }
  return true;
}

/**
 * An NDJSON dump read straight into the buffers its batches are sent in: each batch's records are
 * the complete non-blank lines of its buffer; what follows its last record starts the next buffer.
 */
async function* ndjsonBatches(path: string, size: number): AsyncGenerator<DumpBatch> {
  const file = await open(path, "r");
  let buffer = sharedBytes(Math.max(size * 4096, ndjsonChunkBytes * 2));
  let filled = 0;
  let scan = 0;
  let bounds = new Uint32Array(size * 2);
  let lines = new Uint32Array(size);
  let count = 0;
  let line = 0;
  let offset = 0;
  let ended = false;
  const taken = (end: number, error?: MalformedDumpError): DumpBatch => {
    const messages = {
      kind: "lines" as const,
      bytes: buffer.subarray(0, end),
      bounds: bounds.subarray(0, count * 2),
      lines: lines.subarray(0, count),
    };
    const batch = { offset, size: count, messages, ...(error ? { error } : {}) };
    offset += count;
    // What follows the batch's last record moves to a buffer of its own.
    const next = sharedBytes(Math.max(buffer.length, (filled - end) * 2));
    next.set(buffer.subarray(end, filled));
    [buffer, filled, scan] = [next, filled - end, scan - end];
    [bounds, lines, count] = [new Uint32Array(size * 2), new Uint32Array(size), 0];
    return batch;
  };
  try {
    for (;;) {
      const read = buffer.subarray(0, filled);
      let full = false;
      for (let end = read.indexOf(0x0a, scan); end >= 0 && !full; end = read.indexOf(0x0a, scan)) {
        line++;
        if (!isBlank(buffer, scan, end)) {
          bounds[2 * count] = scan;
          bounds[2 * count + 1] = end;
          lines[count++] = line;
        }
        scan = end + 1;
        full = count === size;
      }
      if (full) {
        // The lines after the batch's last record are scanned again, in their new buffer.
        yield taken(scan);
        continue;
      }
      if (ended) break;
      if (filled - scan > MAX_ELEMENT_BYTES) {
        yield taken(scan, new MalformedDumpError("line longer than 16 MB", offset + count, line + 1, 1));
        return;
      }
      if (buffer.length - filled < ndjsonChunkBytes) {
        const grown = sharedBytes(buffer.length * 2);
        grown.set(buffer.subarray(0, filled));
        buffer = grown;
      }
      const { bytesRead } = await file.read(buffer, filled, ndjsonChunkBytes, null);
      filled += bytesRead;
      ended = bytesRead === 0;
    }
    if (!isBlank(buffer, scan, filled)) {
      [bounds[2 * count], bounds[2 * count + 1], lines[count]] = [scan, filled, line + 1];
      count++;
    }
    if (count > 0) yield taken(filled);
  } finally {
    await file.close();
  }
}

/** Bytes a worker thread can read where the main thread wrote them. */
const sharedBytes = (length: number) => new Uint8Array(new SharedArrayBuffer(length));
