// The dump reader: elements of a JSON array found across any chunking, NDJSON lines, and
// structure errors reported with the record's index, line and column.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  arrayElements,
  type DumpElement,
  MalformedDumpError,
  ndjsonElements,
} from "../../src/sync/dump-reader.js";

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** The text's UTF-8 bytes in chunks of `size` bytes: multi-byte characters get cut across chunks. */
async function* chunkedBytes(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(elements: AsyncGenerator<DumpElement>): Promise<DumpElement[]> {
  const out: DumpElement[] = [];
  for await (const e of elements) out.push(e);
  return out;
}

const failure = (elements: AsyncGenerator<DumpElement>) =>
  collect(elements).then(
    () => {
      throw new Error("expected a MalformedDumpError");
    },
    (error: unknown) => {
      if (!(error instanceof MalformedDumpError)) throw error;
      return error;
    },
  );

describe("arrayElements", () => {
  const tricky = [
    { s: 'a "quoted" ] } , [ {', n: [1, [2, { x: "]" }]] },
    "a string element, with a comma",
    42,
    null,
    { escaped: "back\\slash\\", unicode: "Nguyễn \u00e9 \ud83d\ude00" },
    [],
  ];

  it("finds every element whatever the chunk size", async () => {
    const text = `[\n${tricky.map((v) => JSON.stringify(v)).join(",\n  ")}\n]\n`;
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const elements = await collect(arrayElements(chunked(text, size)));
      expect(elements.map((e) => JSON.parse(e.text))).toEqual(tricky);
    }
  });

  it("reads any JSON array of JSON values, pretty or compact, in any chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue()),
        fc.boolean(),
        fc.integer({ min: 1, max: 50 }),
        async (values, pretty, size) => {
          const text = JSON.stringify(values, null, pretty ? 2 : undefined);
          const elements = await collect(arrayElements(chunked(text, size)));
          expect(elements.map((e) => JSON.parse(e.text))).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives each element's line and column", async () => {
    const elements = await collect(arrayElements(chunked('[\n  {"a": 1},\n  {"b": [2]}, 3\n]', 4)));
    expect(elements.map((e) => [e.index, e.line, e.column])).toEqual([
      [0, 2, 3],
      [1, 3, 3],
      [2, 3, 15],
    ]);
  });

  it.each([
    ['{"a": 1}', 0, 1, 1, '"["'],
    ['[{"a": 1} {"b": 2}]', 1, 1, 11, '","'],
    ['[{"a": 1},\n {"b": 2}', 2, 2, 10, "not closed"],
    ['[{"a": 1},]', 1, 1, 11, "expected a record"],
    ['[{"a": 1}] x', 1, 1, 12, "after the closing"],
    ["", 0, 1, 1, "empty"],
  ])("reports %j as malformed at record %i, line %i, column %i", async (text, index, line, column, says) => {
    const error = await failure(arrayElements(chunked(text, 3)));
    expect([error.index, error.line, error.column]).toEqual([index, line, column]);
    expect(error.message).toContain(says);
  });

  it("reads an empty array", async () => {
    expect(await collect(arrayElements(chunked(" [ ] ", 2)))).toEqual([]);
  });
});

describe("ndjsonElements", () => {
  it("yields one element per non-blank line, with its line number, across chunks", async () => {
    const text = '{"a":1}\n\n{"b":"x\\ny"}\r\n  \n{"c":"Nguyễn 😀"}\n[3]';
    for (const size of [1, 2, 3, 7, 1000]) {
      const elements = await collect(ndjsonElements(chunkedBytes(text, size)));
      expect(elements.map((e) => [e.index, e.line, JSON.parse(e.text)])).toEqual([
        [0, 1, { a: 1 }],
        [1, 3, { b: "x\ny" }],
        [2, 5, { c: "Nguyễn 😀" }],
        [3, 6, [3]],
      ]);
    }
  });
});
