// Where a pushed body's messages are in its bytes, found without parsing the body: the members of
// its top-level object (or the elements of its top-level array) and the elements of one array
// member. Each piece is then parsed on its own, as a dump's line is (prepare-job.ts), so a record's
// bytes can stand for its raw payload as they do in a file import. The scan only finds boundaries
// (strings, escapes, nesting); it answers null for anything it does not expect, and JSON.parse of
// each piece says whether that piece is JSON. Pure: no I/O.
import { isJsonSpace, JsonChar } from "./json-chars.js";

/** A body's message array: where it is (its brackets included) and its elements' [from, to) pairs. */
export interface SplitMessages {
  start: number;
  end: number;
  bounds: Uint32Array;
}

function skipSpace(b: Buffer, at: number): number {
  let i = at;
  while (i < b.length && isJsonSpace(b[i])) i++;
  return i;
}

/** After the string opening at `at`: its closing quote is the first not escaped by a backslash. */
function stringEnd(b: Buffer, at: number): number {
  for (let from = at + 1; ; ) {
    const quote = b.indexOf(JsonChar.Quote, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (b[quote - 1 - backslashes] === JsonChar.Backslash) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** After the value starting at `at` (its brackets balanced, strings skipped whole), or -1. */
function valueEnd(b: Buffer, at: number): number {
  const first = b[at];
  if (first === JsonChar.Quote) return stringEnd(b, at);
  if (first !== JsonChar.OpenBrace && first !== JsonChar.OpenBracket) {
    let i = at;
    while (
      i < b.length &&
      !isJsonSpace(b[i]) &&
      b[i] !== JsonChar.Comma &&
      b[i] !== JsonChar.CloseBrace &&
      b[i] !== JsonChar.CloseBracket
    )
      i++;
    return i > at ? i : -1;
  }
  let depth = 0;
  for (let i = at; i < b.length; ) {
    const c = b[i];
    if (c === JsonChar.Quote) {
      i = stringEnd(b, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === JsonChar.OpenBrace || c === JsonChar.OpenBracket) depth++;
    else if (c === JsonChar.CloseBrace || c === JsonChar.CloseBracket) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** The elements of the array whose "[" is at `at`, and where it ends; null if not as expected. */
function arrayAt(b: Buffer, at: number): SplitMessages | null {
  if (b[at] !== JsonChar.OpenBracket) return null;
  const bounds: number[] = [];
  let i = skipSpace(b, at + 1);
  if (b[i] === JsonChar.CloseBracket) return { start: at, end: i + 1, bounds: new Uint32Array(0) };
  for (;;) {
    const end = valueEnd(b, i);
    if (end < 0) return null;
    bounds.push(i, end);
    i = skipSpace(b, end);
    if (b[i] === JsonChar.CloseBracket) return { start: at, end: i + 1, bounds: Uint32Array.from(bounds) };
    if (b[i] !== JsonChar.Comma) return null;
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
  if (b[i] !== JsonChar.OpenBrace) return null;
  i = skipSpace(b, i + 1);
  let found: SplitMessages | null = null;
  if (b[i] !== JsonChar.CloseBrace) {
    for (;;) {
      if (b[i] !== JsonChar.Quote) return null;
      const keyEnd = stringEnd(b, i);
      if (keyEnd < 0) return null;
      const name = keyOf(b, i, keyEnd);
      i = skipSpace(b, keyEnd);
      if (b[i] !== JsonChar.Colon) return null;
      const value = skipSpace(b, i + 1);
      const end = valueEnd(b, value);
      if (end < 0) return null;
      if (name === key) found = arrayAt(b, value);
      else if (name === null) return null;
      i = skipSpace(b, end);
      if (b[i] === JsonChar.CloseBrace) break;
      if (b[i] !== JsonChar.Comma) return null;
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
