// Whether a JSON text is exactly what JSON.stringify writes of its value, so that the text itself
// can stand for `JSON.stringify(JSON.parse(text))` (the raw column and the content hash): a dump
// written by a serialiser like JSON.stringify is read without serialising each record again. The
// answer is conservative: anything unusual (whitespace, a \u escape, a number not in its shortest
// form, a duplicate or integer-like key, which JSON.parse moves, nesting deeper than can be
// stored) says no, and the record is serialised as before. test/sync/json-form.test.ts holds it to
// JSON.stringify.
import { MAX_DEPTH } from "./unstorable.js";

/** Short escapes JSON.stringify writes: \" \\ \b \f \n \r \t. */
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x62, 0x66, 0x6e, 0x72, 0x74]);
/** Keys JSON.parse makes array indices, which objects list first whatever their place. */
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;
/** A key made of digits is tested against INDEX_LIKE; most keys start with a letter. */
const isIndexLike = (key: string) => {
  const first = key.charCodeAt(0);
  return first >= 0x30 && first <= 0x39 && INDEX_LIKE.test(key);
};
/** What a string may hold that JSON.stringify would write otherwise, or that needs a closer look. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const MAY_NEED_ESCAPING = /[\u0000-\u001f\\\ud800-\udfff]/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Reader {
  pos = 0;
  /** Objects and arrays open at `pos`: past MAX_DEPTH the record is refused anyway (unstorable.ts). */
  private depth = 0;
  /** No backslash, control character or surrogate anywhere: every string is as JSON.stringify writes it. */
  readonly plain: boolean;

  constructor(readonly text: string) {
    this.plain = !MAY_NEED_ESCAPING.test(text);
  }

  value(): boolean {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b || c === 0x5b) {
      // Read no deeper: a record nested thousands of levels would run the recursion out of stack.
      if (++this.depth > MAX_DEPTH) return false;
      const read = c === 0x7b ? this.object() : this.array();
      this.depth--;
      return read;
    }
    if (c === 0x22) return this.string();
    if (c === 0x74) return this.literal("true");
    if (c === 0x66) return this.literal("false");
    if (c === 0x6e) return this.literal("null");
    return this.number();
  }

  private object(): boolean {
    this.pos++;
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return true;
    }
    const keys: string[] = [];
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 0x22) return false;
      const start = this.pos + 1;
      if (!this.string()) return false;
      const key = this.text.slice(start, this.pos - 1);
      if (isIndexLike(key) || keys.includes(key)) return false;
      keys.push(key);
      if (this.text.charCodeAt(this.pos++) !== 0x3a || !this.value()) return false;
      const next = this.text.charCodeAt(this.pos++);
      if (next === 0x7d) return true;
      if (next !== 0x2c) return false;
    }
  }

  private array(): boolean {
    this.pos++;
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return true;
    }
    for (;;) {
      if (!this.value()) return false;
      const next = this.text.charCodeAt(this.pos++);
      if (next === 0x5d) return true;
      if (next !== 0x2c) return false;
    }
  }

  /** Whether JSON.stringify would write the string at `pos` as it is written; moves past it. */
  private string(): boolean {
    const { text } = this;
    if (this.plain) {
      // Nothing in the text to escape: the string runs to the next quote.
      const end = text.indexOf('"', this.pos + 1);
      this.pos = end + 1;
      return end > 0;
    }
    let pos = this.pos + 1;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) break;
      if (Number.isNaN(c) || c < 0x20) return false;
      if (c === 0x5c) {
        if (!SHORT_ESCAPES.has(text.charCodeAt(pos + 1))) return false;
        pos += 2;
        continue;
      }
      // JSON.stringify escapes a surrogate that is not half of a pair.
      if (c >= 0xd800 && c <= 0xdfff) {
        const low = text.charCodeAt(pos + 1);
        if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return false;
        pos++;
      }
      pos++;
    }
    this.pos = pos + 1;
    return true;
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }

  private number(): boolean {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) return false;
    this.pos += match[0].length;
    return String(Number(match[0])) === match[0];
  }
}

/** Whether `text` (valid JSON) is what JSON.stringify writes of the value JSON.parse reads in it. */
export function isStringifyForm(text: string): boolean {
  const reader = new Reader(text);
  return reader.value() && reader.pos === text.length;
}
