// isStringifyForm says yes only to texts JSON.stringify would write of their own value (the file
// import then stores and hashes the text as it is), and says yes to the records dumps hold.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateDossiers, generateProvince } from "../../src/demo/generator.js";
import { toCanonical } from "../../src/sync/formats/canonical.js";
import { toDvcqg } from "../../src/sync/formats/dvcqg-write.js";
import { isStringifyForm } from "../../src/sync/json-form.js";

/** JSON text of a value written with the liberties JSON allows and JSON.stringify never takes. */
function looseText(value: unknown, choices: () => number): string {
  const space = () => [" ", "", "\n", "\t", ""][choices() % 5];
  if (typeof value === "number") {
    const forms = [String(value), `${value}.0`, value.toExponential(), value === 0 ? "-0" : String(value)];
    return Number.isInteger(value) ? forms[choices() % forms.length] : String(value);
  }
  if (typeof value === "string") {
    const escaped = [...value]
      .map((c) => {
        const pick = choices() % 6;
        if (pick === 0) return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
        if (pick === 1 && c === "/") return "\\/";
        return JSON.stringify(c).slice(1, -1);
      })
      .join("");
    return `"${escaped}"`;
  }
  if (Array.isArray(value)) {
    return `[${space()}${value.map((v) => looseText(v, choices)).join(`${space()},${space()}`)}${space()}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length > 0 && choices() % 4 === 0) entries.push(entries[0]);
    const members = entries.map(
      ([k, v]) => `${looseText(k, choices)}${space()}:${space()}${looseText(v, choices)}`,
    );
    return `{${space()}${members.join(",")}${space()}}`;
  }
  return JSON.stringify(value);
}

const jsonValues = fc.jsonValue({ maxDepth: 4 });

describe("isStringifyForm", () => {
  it("says yes only when JSON.stringify(JSON.parse(text)) is the text", () => {
    fc.assert(
      fc.property(jsonValues, fc.array(fc.nat(), { minLength: 1, maxLength: 64 }), (value, picks) => {
        let n = 0;
        const text = looseText(value, () => picks[n++ % picks.length]);
        if (isStringifyForm(text)) expect(JSON.stringify(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it("says yes to JSON.stringify's own texts of plain records, whatever their characters", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((k) => !/^(0|[1-9]\d*)$/.test(k)),
          fc.oneof(
            fc.string({ unit: "grapheme" }),
            fc.integer(),
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.boolean(),
            fc.constant(null),
          ),
        ),
        (record) => {
          const text = JSON.stringify(record);
          // \u escapes (control characters) are left to JSON.stringify itself.
          if (!text.includes("\\u")) expect(isStringifyForm(text)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("says no to what JSON.parse rewrites", () => {
    for (const text of [
      '{"a":1,"a":2}',
      '{"b":1,"1":2}',
      '{"a": 1}',
      " {}",
      "[1.0]",
      "[1e3]",
      "[-0]",
      "[1E+21]",
      '["\\u00e9"]',
      '["\\/"]',
      '["\\ud800"]',
      "[1e400]",
    ]) {
      expect(isStringifyForm(text), text).toBe(false);
    }
    for (const text of [
      '{"a":[1,-2.5,1e+21,true,null],"b":{"c":"d\\"\\\\\\n\\té😀"}}',
      "[]",
      "{}",
      '"x"',
      "0",
    ]) {
      expect(isStringifyForm(text), text).toBe(true);
      expect(JSON.stringify(JSON.parse(text))).toBe(text);
    }
  });

  it("says no, without running out of stack, to nesting deeper than can be stored (the record is refused)", () => {
    const nested = (depth: number) => `{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    expect(isStringifyForm(nested(63))).toBe(true);
    expect(isStringifyForm(nested(64))).toBe(false);
    expect(isStringifyForm(nested(10_000))).toBe(false);
  });

  it("says yes to the records of both formats as dumps write them", () => {
    const province = generateProvince(3);
    const records = generateDossiers(province, {
      seed: 3,
      count: 200,
      from: new Date("2025-01-01T00:00:00+07:00"),
      to: new Date("2025-06-30T00:00:00+07:00"),
      asOf: new Date("2025-07-01T08:00:00+07:00"),
    });
    for (const record of records) {
      expect(isStringifyForm(JSON.stringify(toCanonical(record)))).toBe(true);
      expect(isStringifyForm(JSON.stringify(toDvcqg(record)))).toBe(true);
    }
  });
});
