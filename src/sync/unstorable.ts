// What PostgreSQL cannot store: U+0000 (neither text nor jsonb holds it), unpaired UTF-16
// surrogates (jsonb refuses them; they are not Unicode text), and JSON nested deeper than the
// server's parser goes (a 20 KB field of 10,000 nested arrays exhausts its stack). A record carrying
// any of them, in any field or key, known or not, is rejected with the path of each, and its raw
// payload is quarantined with U+FFFD in their place and the deep part cut, so that the quarantine
// itself can store it.
import { formatPath } from "./parse.js";
import type { FieldError } from "./schema.js";

const NUL_MESSAGE = "contains U+0000 (NUL), which cannot be stored; remove it";
const SURROGATE_MESSAGE = "contains an unpaired UTF-16 surrogate, which is not Unicode text";
const MAX_ERRORS = 20;
/** Far deeper than any dossier (a record's steps are three levels down), far below PostgreSQL's limit. */
export const MAX_DEPTH = 64;
const DEPTH_MESSAGE = `nests deeper than ${MAX_DEPTH} levels, which cannot be stored; flatten or remove it`;
const CUT = `[cut: nested deeper than ${MAX_DEPTH} levels]`;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one (code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const EVERY_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source, "g");

/**
 * Cheap test on the record's JSON text: JSON.stringify writes NUL and lone surrogates (and only
 * them, among these code points) as \u escapes, in lower case. May say yes for a literal backslash followed by
 * "u0000"; `unstorableFields` then finds nothing.
 */
export function mayHoldUnstorable(json: string): boolean {
  return json.includes("\\u0000") || (json.includes("\\ud") && /\\ud[89a-f]/.test(json));
}

function problemOf(text: string): string | null {
  if (text.includes("\0")) return NUL_MESSAGE;
  return LONE_SURROGATE.test(text) ? SURROGATE_MESSAGE : null;
}

/**
 * The value as JSON text, or null when it nests too deep for JSON.stringify (V8 gives up before
 * 10,000 levels, with a RangeError a request must not turn into a 500).
 */
export function jsonText(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? "null";
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * Whether the JSON text nests deeper than MAX_DEPTH: a scan of its brackets outside strings, cheap
 * enough for every record (no recursion, whatever the depth).
 */
export function nestsTooDeep(json: string): boolean {
  if (opensAtMost(json, MAX_DEPTH)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** Whether the text holds at most `max` brackets that open (counted in strings too): it cannot nest deeper. */
function opensAtMost(json: string, max: number): boolean {
  let opens = 0;
  for (const bracket of ["{", "["]) {
    for (let i = json.indexOf(bracket); i >= 0; i = json.indexOf(bracket, i + 1))
      if (++opens > max) return false;
  }
  return true;
}

/** Every field (or key) holding unstorable text or nesting too deep, with its path. */
export function unstorableFields(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (node: unknown, path: PropertyKey[]) => {
    if (errors.length >= MAX_ERRORS) return;
    if (path.length >= MAX_DEPTH && node !== null && typeof node === "object") {
      errors.push({ path: formatPath(path), message: DEPTH_MESSAGE });
      return;
    }
    if (typeof node === "string") {
      const message = problemOf(node);
      if (message) errors.push({ path: formatPath(path), message });
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) walk(node[i], [...path, i]);
    } else if (node !== null && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        const keyProblem = problemOf(key);
        if (keyProblem)
          errors.push({ path: formatPath([...path, key]), message: `field name ${keyProblem}` });
        walk(item, [...path, key]);
      }
    }
  };
  walk(value, []);
  return errors;
}

/** A text every column can store: NUL and unpaired surrogates become U+FFFD. */
export function storableText(text: string): string {
  return text.replaceAll("\0", "\uFFFD").replace(EVERY_LONE_SURROGATE, "\uFFFD");
}

/** A deep copy with every string and key made storable and deep parts cut (for the quarantine's raw copy). */
export function storableCopy(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return storableText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return CUT;
  if (Array.isArray(value)) return value.map((item) => storableCopy(item, depth + 1));
  // A null-prototype object: a "__proto__" key is kept as data, never turned into a prototype.
  const copy: Record<string, unknown> = Object.create(null);
  for (const [key, item] of Object.entries(value)) copy[storableText(key)] = storableCopy(item, depth + 1);
  return copy;
}
