// Reads a dump of records without loading it: NDJSON line by line, or one JSON array element by
// element. The array splitter only finds where each element starts and ends (strings, escapes,
// nesting); JSON.parse, native and fast, reads each element. Memory holds one chunk and one element.
import { createReadStream } from "node:fs";
import { isJsonSpace, JsonChar } from "./json-chars.js";

/** One record's JSON text and where it starts in the file (1-based line and column). */
export interface DumpElement {
  text: string;
  index: number;
  line: number;
  column: number;
}

export type DumpKind = "array" | "ndjson";

/** The dump is not well-formed JSON at a known place; what came before it is readable. */
export class MalformedDumpError extends Error {
  constructor(
    readonly reason: string,
    readonly index: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`malformed JSON in record ${index} (line ${line}, column ${column}): ${reason}`);
    this.name = "MalformedDumpError";
  }
}

/** A record larger than this is refused rather than buffered: dumps hold records of a few kilobytes. */
export const MAX_ELEMENT_CHARS = 16 * 1024 * 1024;
/** The same limit on an NDJSON line, which is read as bytes. */
export const MAX_ELEMENT_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
/** How much of an NDJSON dump is read at a time (dump-batches.ts reads it so too). */
export const ndjsonChunkBytes = CHUNK_BYTES;

/** "[" starts an array dump; anything else is read as NDJSON. */
export async function detectKind(path: string): Promise<DumpKind> {
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 4096 })) {
    const first = (chunk as string).trimStart();
    if (first.length > 0) return first[0] === "[" ? "array" : "ndjson";
  }
  return "ndjson";
}

/**
 * NDJSON: one record per line; blank lines are skipped. Lines are found in the bytes (a line feed
 * is never part of a multi-byte character) and each is decoded on its own: decoding megabyte
 * chunks to text and slicing lines out of them cost the importer four times as much, reading and
 * JSON.parse together (31 µs a 2 KB record against 8 µs, measured on the sync benchmark's dump).
 */
export async function* ndjsonElements(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<DumpElement> {
  let rest: Buffer = Buffer.alloc(0);
  let line = 0;
  let index = 0;
  for await (const chunk of chunks) {
    const bytes =
      rest.length > 0
        ? Buffer.concat([rest, chunk])
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (
      let end = bytes.indexOf(JsonChar.LineFeed);
      end >= 0;
      end = bytes.indexOf(JsonChar.LineFeed, start)
    ) {
      line++;
      const body = bytes.toString("utf8", start, end);
      start = end + 1;
      if (body.trim() !== "") yield { text: body, index: index++, line, column: 1 };
    }
    rest = bytes.subarray(start);
    if (rest.length > MAX_ELEMENT_BYTES) {
      throw new MalformedDumpError("line longer than 16 MB", index, line + 1, 1);
    }
  }
  const body = rest.toString("utf8");
  if (body.trim() !== "") yield { text: body, index, line: line + 1, column: 1 };
}

type State = "start" | "first" | "element" | "after" | "next" | "end";

/** A JSON array, element by element; structure errors (missing comma, junk after "]") are reported. */
export async function* arrayElements(chunks: AsyncIterable<string>): AsyncGenerator<DumpElement> {
  let state: State = "start";
  let buffer = "";
  let pos = 0;
  let line = 1;
  let lineStart = 0; // offset in `buffer` where the current line starts (may be negative)
  let index = 0;
  // The element being scanned.
  let start = 0;
  let startLine = 1;
  let startColumn = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  const fail = (reason: string): never => {
    throw new MalformedDumpError(reason, index, line, pos - lineStart + 1);
  };
  for await (const chunk of chunks) {
    // Keep only what an unfinished element needs, so the buffer never grows past one element.
    const keep = state === "element" ? start : pos;
    buffer = buffer.slice(keep) + chunk;
    pos -= keep;
    start -= keep;
    lineStart -= keep;
    const length = buffer.length;
    while (pos < length) {
      const c = buffer.charCodeAt(pos);
      if (state === "element") {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === JsonChar.Backslash) escaped = true;
          else if (c === JsonChar.Quote) inString = false;
          else if (c === JsonChar.LineFeed) fail("line break inside a string");
        } else if (c === JsonChar.Quote) inString = true;
        else if (c === JsonChar.OpenBrace || c === JsonChar.OpenBracket) depth++;
        else if (c === JsonChar.CloseBrace || c === JsonChar.CloseBracket) {
          if (depth === 0) {
            // "]" right after a scalar element closes the array.
            yield { text: buffer.slice(start, pos), index: index++, line: startLine, column: startColumn };
            state = "after";
            continue;
          }
          depth--;
          if (depth === 0) {
            pos++;
            yield { text: buffer.slice(start, pos), index: index++, line: startLine, column: startColumn };
            state = "after";
            continue;
          }
        } else if (depth === 0 && (c === JsonChar.Comma || isJsonSpace(c))) {
          yield { text: buffer.slice(start, pos), index: index++, line: startLine, column: startColumn };
          state = "after";
          continue;
        }
        if (c === JsonChar.LineFeed) {
          line++;
          lineStart = pos + 1;
        }
        pos++;
        continue;
      }
      if (c === JsonChar.LineFeed) {
        line++;
        lineStart = pos + 1;
      }
      if (isJsonSpace(c)) {
        pos++;
        continue;
      }
      if (state === "start") {
        if (c !== JsonChar.OpenBracket) fail('expected "[" at the start of a JSON array dump');
        state = "first";
      } else if (state === "after") {
        if (c === JsonChar.Comma) state = "next";
        else if (c === JsonChar.CloseBracket) state = "end";
        else fail('expected "," or "]" after a record');
      } else if (state === "end") {
        fail('unexpected text after the closing "]"');
      } else if (c === JsonChar.CloseBracket && state === "first") {
        state = "end";
      } else if (c === JsonChar.CloseBracket || c === JsonChar.Comma) {
        fail(state === "next" ? 'expected a record after ","' : "expected a record");
      } else {
        state = "element";
        start = pos;
        startLine = line;
        startColumn = pos - lineStart + 1;
        depth = 0;
        inString = false;
        escaped = false;
        continue; // the element's first character is scanned in the element state
      }
      pos++;
    }
    if (state === "element" && pos - start > MAX_ELEMENT_CHARS) fail("record longer than 16 MB");
  }
  if (state === "element" && depth === 0 && !inString) {
    yield { text: buffer.slice(start, pos), index: index++, line: startLine, column: startColumn };
    state = "after";
  }
  if ((state as State) !== "end") {
    fail(state === "start" ? "the file is empty" : 'the array is not closed: the file ends before its "]"');
  }
}

/** The dump's elements, in order; the kind is detected from the first character unless given. */
export async function* readDump(path: string, kind?: DumpKind): AsyncGenerator<DumpElement> {
  const array = (kind ?? (await detectKind(path))) === "array";
  const chunks = createReadStream(path, { encoding: array ? "utf8" : undefined, highWaterMark: CHUNK_BYTES });
  try {
    if (array) yield* arrayElements(chunks as AsyncIterable<string>);
    else yield* ndjsonElements(chunks as AsyncIterable<Buffer>);
  } finally {
    chunks.destroy();
  }
}
