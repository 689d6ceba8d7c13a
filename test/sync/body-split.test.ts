// A pushed body's messages found in its bytes (src/sync/body-split.ts) are the ones JSON.parse
// finds in the whole body, or the split declines (null) and the body is parsed whole.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SplitMessages, splitMember, splitTopArray } from "../../src/sync/body-split.js";

const bytesOf = (text: string) => new TextEncoder().encode(text);

/** The split's elements, each parsed on its own. */
function pieces(text: string, split: SplitMessages | null): unknown[] | null {
  if (!split) return null;
  const bytes = Buffer.from(text);
  const found: unknown[] = [];
  for (let i = 0; i < split.bounds.length; i += 2)
    found.push(JSON.parse(bytes.toString("utf8", split.bounds[i], split.bounds[i + 1])));
  return found;
}

const member = (text: string, key = "records") => pieces(text, splitMember(bytesOf(text), key));

describe("a body's messages in its bytes", () => {
  it("are the elements of the member, whatever the spacing, strings, escapes and nesting", () => {
    expect(member('{"format":"canonical","records":[{"a":1},{"b":[2,{"c":"]}"}]}]}')).toEqual([
      { a: 1 },
      { b: [2, { c: "]}" }] },
    ]);
    expect(member(' {\n "records" : [ {"q":"say \\"hi\\" \\\\"} , 3 , "x" , null ] \r\n}\n')).toEqual([
      { q: 'say "hi" \\' },
      3,
      "x",
      null,
    ]);
    expect(member('{"records":[]}')).toEqual([]);
    expect(member('{"records":[{"name":"Nguyễn Văn An"}]}')).toEqual([{ name: "Nguyễn Văn An" }]);
  });

  it("are the last member of that name, as JSON.parse keeps it, its name's escapes read", () => {
    expect(member('{"records":[1],"format":"dvcqg","records":[2,3]}')).toEqual([2, 3]);
    expect(member('{"rec\\u006frds":[4]}')).toEqual([4]);
    expect(member('{"data":[{"MaHoSo":"H1"}],"service":"DongBoHoSoMC"}', "data")).toEqual([{ MaHoSo: "H1" }]);
    expect(pieces('[ {"a":1}, [2] ]', splitTopArray(bytesOf('[ {"a":1}, [2] ]')))).toEqual([{ a: 1 }, [2]]);
  });

  it("are not split from a body the split cannot follow: it is parsed whole", () => {
    for (const text of [
      '{"records":{"a":1}}', // one message, not an array
      '{"records":[1],"records":"x"}', // the last member of that name is not an array
      '{"format":"canonical"}', // no such member
      '{"records":[1,]}', // a trailing comma
      '{"records":[1 2]}',
      '{"records":[1]} x', // text after the body
      '{"records":[1]', // cut
      '{"records":["unclosed]}',
      '\ufeff{"records":[1]}', // a byte order mark, which TextDecoder drops before JSON.parse
      "[1,2]",
    ])
      expect(member(text), text).toBeNull();
    expect(splitTopArray(bytesOf('{"data":[1]}'))).toBeNull();
    expect(splitTopArray(bytesOf("[1] ]"))).toBeNull();
  });

  it("give what JSON.parse gives, for any records and any spacing (property)", () => {
    const body = fc.record({
      format: fc.constantFrom("canonical", "dvcqg"),
      records: fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }),
      other: fc.jsonValue({ maxDepth: 3 }),
    });
    fc.assert(
      fc.property(body, fc.constantFrom(0, 1, 2, "\t"), fc.boolean(), (value, indent, recordsFirst) => {
        const { records, ...rest } = value;
        const ordered = recordsFirst ? { records, ...rest } : { ...rest, records };
        const text = JSON.stringify(ordered, null, indent);
        // JSON.stringify writes -0 as 0: compare with what the whole text parses to.
        expect(member(text)).toEqual(JSON.parse(text).records);
      }),
      { numRuns: 300 },
    );
  });
});
