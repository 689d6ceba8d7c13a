// Where a pushed body's messages are in its bytes, found without parsing the body: the members of
// its top-level object (or the elements of its top-level array) and the elements of one array
// member. Each piece is then parsed on its own, as a dump's line is (prepare-job.ts), so a record's
// bytes can stand for its raw payload as they do in a file import. The scan only finds boundaries
// (strings, escapes, nesting); it answers null for anything it does not expect, and JSON.parse of
// each piece says whether that piece is JSON. Pure: no I/O.

enum Byte {
  Tab = 0x09,
  LineFeed = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Comma = 0x2c,
  Colon = 0x3a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

/** A body's message array: where it is (its brackets included) and its elements' [from, to) pairs. */
export interface SplitMessages {
  start: number;
  end: number;
  bounds: Uint32Array;
}

const isSpace = (c: number) => c === Byte.Space || c === Byte.LineFeed || c === Byte.Return || c === Byte.Tab;

function skipSpace(b: Buffer, at: number): number {
  let i = at;
  while (i < b.length && isSpace(b[i])) i++;
  return i;
}

/** After the string opening at `at`: its closing quote is the first not escaped by a backslash. */
function stringEnd(b: Buffer, at: number): number {
  for (let from = at + 1; ; ) {
    const quote = b.indexOf(Byte.Quote, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (b[quote - 1 - backslashes] === Byte.Backslash) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** After the value starting at `at` (its brackets balanced, strings skipped whole), or -1. */
function valueEnd(b: Buffer, at: number): number {
  const first = b[at];
  if (first === Byte.Quote) return stringEnd(b, at);
  if (first !== Byte.OpenBrace && first !== Byte.OpenBracket) {
    let i = at;
    while (
      i < b.length &&
      !isSpace(b[i]) &&
      b[i] !== Byte.Comma &&
      b[i] !== Byte.CloseBrace &&
      b[i] !== Byte.CloseBracket
    )
      i++;
    return i > at ? i : -1;
  }
  let depth = 0;
  for (let i = at; i < b.length; ) {
    const c = b[i];
    if (c === Byte.Quote) {
      i = stringEnd(b, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === Byte.OpenBrace || c === Byte.OpenBracket) depth++;
    else if (c === Byte.CloseBrace || c === Byte.CloseBracket) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** The elements of the array whose "[" is at `at`, and where it ends; null if not as expected. */
function arrayAt(b: Buffer, at: number): SplitMessages | null {
  if (b[at] !== Byte.OpenBracket) return null;
  const bounds: number[] = [];
  let i = skipSpace(b, at + 1);
  if (b[i] === Byte.CloseBracket) return { start: at, end: i + 1, bounds: new Uint32Array(0) };
  for (;;) {
    const end = valueEnd(b, i);
    if (end < 0) return null;
    bounds.push(i, end);
    i = skipSpace(b, end);
    if (b[i] === Byte.CloseBracket) return { start: at, end: i + 1, bounds: Uint32Array.from(bounds) };
    if (b[i] !== Byte.Comma) return null;
    i = skipSpace(b, i + 1);
  }
}

/** A top-level array: its elements; null if the body is anything else. */
export function splitTopArray(bytes: Uint8Array): SplitMessages | null {
  const b = asBuffer(bytes);
  const split = arrayAt(b, skipSpace(b, 0));
  return split && skipSpace(b, split.end) === b.length ? split : null;
}

/**
 * A top-level object's member `key` when it is an array: its elements. The last such member wins,
 * as JSON.parse keeps the last of a repeated key; null if the body or the member is anything else.
 */
export function splitMember(bytes: Uint8Array, key: string): SplitMessages | null {
  const b = asBuffer(bytes);
  let i = skipSpace(b, 0);
  if (b[i] !== Byte.OpenBrace) return null;
  i = skipSpace(b, i + 1);
  let found: SplitMessages | null = null;
  if (b[i] !== Byte.CloseBrace) {
    for (;;) {
      if (b[i] !== Byte.Quote) return null;
      const keyEnd = stringEnd(b, i);
      if (keyEnd < 0) return null;
      const name = keyOf(b, i, keyEnd);
      i = skipSpace(b, keyEnd);
      if (b[i] !== Byte.Colon) return null;
      const value = skipSpace(b, i + 1);
      const end = valueEnd(b, value);
      if (end < 0) return null;
      if (name === key) found = arrayAt(b, value);
      else if (name === null) return null;
      i = skipSpace(b, end);
      if (b[i] === Byte.CloseBrace) break;
      if (b[i] !== Byte.Comma) return null;
      i = skipSpace(b, i + 1);
    }
  }
  return found && skipSpace(b, i + 1) === b.length ? found : null;
}

/** A member's name (its escapes read by JSON.parse); null if it is not a JSON string. */
function keyOf(b: Buffer, from: number, to: number): string | null {
  const text = b.toString("utf8", from, to);
  if (!text.includes("\\")) return text.slice(1, -1);
  try {
    return JSON.parse(text) as string;
  } catch {
    return null;
  }
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
