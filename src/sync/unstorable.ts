// Text PostgreSQL cannot store: U+0000 (neither text nor jsonb holds it) and unpaired UTF-16
// surrogates (jsonb refuses them; they are not Unicode text). A record carrying either, in any
// field or key, known or not, is rejected with the path of each such field, and its raw payload is
// quarantined with U+FFFD in their place, so that the quarantine itself can store it.
import { formatPath } from "./parse.js";
import type { FieldError } from "./schema.js";

const NUL_MESSAGE = "contains U+0000 (NUL), which cannot be stored; remove it";
const SURROGATE_MESSAGE = "contains an unpaired UTF-16 surrogate, which is not Unicode text";
const MAX_ERRORS = 20;
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

/** Every field (or key) holding unstorable text, with its path. */
export function unstorableFields(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (node: unknown, path: PropertyKey[]) => {
    if (errors.length >= MAX_ERRORS) return;
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

/** A deep copy with every string and key made storable (for the quarantine's raw copy). */
export function storableCopy(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableCopy);
  if (value !== null && typeof value === "object") {
    // A null-prototype object: a "__proto__" key is kept as data, never turned into a prototype.
    const copy: Record<string, unknown> = Object.create(null);
    for (const [key, item] of Object.entries(value)) copy[storableText(key)] = storableCopy(item);
    return copy;
  }
  return value;
}
