import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateDossiers, generateProvince, writeDump } from "../../src/demo/generator.js";
import { parseBatch } from "../../src/sync/parse.js";

const dir = mkdtempSync(join(tmpdir(), "dump-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const province = generateProvince(9);
const records = () =>
  generateDossiers(province, {
    seed: 9,
    count: 500,
    from: new Date("2025-03-01T00:00:00+07:00"),
    to: new Date("2025-06-30T00:00:00+07:00"),
    asOf: new Date("2025-07-01T08:00:00+07:00"),
  });

describe("writeDump", () => {
  it.each([
    ["canonical", false],
    ["canonical", true],
    ["dvcqg", false],
    ["dvcqg", true],
  ] as const)("writes %s (ndjson: %s) that parses back whole", async (format, ndjson) => {
    const path = join(dir, `${format}-${ndjson}.json`);
    expect(await writeDump(path, records(), { format, ndjson })).toBe(500);
    const text = readFileSync(path, "utf8");
    const raws = ndjson
      ? text
          .trimEnd()
          .split("\n")
          .map((line) => JSON.parse(line))
      : JSON.parse(text);
    const batch = parseBatch(format, raws);
    expect(batch.rejections).toEqual([]);
    expect(batch.records.map((r) => ({ ...r.record, raw: null }))).toEqual([...records()]);
  });

  it("writes an empty array for no records", async () => {
    const path = join(dir, "empty.json");
    expect(await writeDump(path, [], { format: "dvcqg", ndjson: false })).toBe(0);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual([]);
  });
});
