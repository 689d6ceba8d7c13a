import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatPath, parseBatch, parseRecord, ROOT_PATH } from "../../src/sync/parse.js";

const FIXTURES = new URL("../fixtures/sync/", import.meta.url);
const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));

describe("parseRecord: inputs that are not records", () => {
  it.each([null, undefined, 42, "000.00.20.H47-250124-0001", true, [], [{ code: "x" }]])(
    "rejects %j at the root without throwing",
    (input) => {
      const result = parseRecord("canonical", input, 3);
      expect(result).toEqual({
        ok: false,
        rejection: {
          index: 3,
          errors: [{ path: ROOT_PATH, message: expect.stringMatching(/^expected a record object/) }],
        },
      });
    },
  );

  it("rejects an empty object with every required field named", () => {
    const result = parseRecord("dvcqg", {}, 0);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.code).toBeUndefined();
    expect(result.rejection.errors.map((e) => e.path)).toEqual(["MaHoSo", "MaTTHC", "NgayTiepNhan"]);
    expect(new Set(result.rejection.errors.map((e) => e.message))).toEqual(new Set(["is required"]));
  });

  it("survives a getter that throws", () => {
    const hostile = {
      get code(): string {
        throw new Error("boom");
      },
    };
    const result = parseRecord("canonical", hostile, 0);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.rejection.errors[0]).toEqual({ path: ROOT_PATH, message: expect.any(String) });
  });
});

describe("parseRecord: the code echoed in a rejection", () => {
  it("is the trimmed code when it is a string", () => {
    const result = parseRecord("canonical", { code: "  HS-1 ", status: "x" }, 0);
    expect(!result.ok && result.rejection.code).toBe("HS-1");
  });

  it("is absent when the code is not a string", () => {
    const result = parseRecord("dvcqg", { MaHoSo: 12 }, 0);
    expect(!result.ok && "code" in result.rejection).toBe(false);
  });

  it("is cut to 200 characters", () => {
    const result = parseRecord("dvcqg", { MaHoSo: "x".repeat(5000) }, 0);
    expect(!result.ok && result.rejection.code?.length).toBe(200);
  });
});

describe("parseRecord: prototype-pollution keys", () => {
  it("parses a record carrying __proto__ and constructor keys, keeps them in raw, pollutes nothing", () => {
    const text = JSON.stringify(load("dvcqg-birth-registration.json")).replace(
      "{",
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
    );
    const input = JSON.parse(text);
    const result = parseRecord("dvcqg", input, 0);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.record)).toBe(Object.prototype);
    expect(Object.hasOwn(result.record.raw as object, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(result.record, "polluted")).toBe(false);
  });
});

describe("formatPath", () => {
  it("writes dotted and indexed paths", () => {
    expect(formatPath(["steps", 2, "endedAt"])).toBe("steps[2].endedAt");
    expect(formatPath(["QuaTrinhXuLy", 0, "NgayBatDau"])).toBe("QuaTrinhXuLy[0].NgayBatDau");
    expect(formatPath(["a b", "c"])).toBe('["a b"].c');
    expect(formatPath([])).toBe(ROOT_PATH);
  });
});

describe("parseBatch", () => {
  it("applies the valid records and rejects the others by index", () => {
    const good = load("canonical-building-permit.json");
    const bad = load("canonical-invalid-naive-dates.json");
    const batch = parseBatch("canonical", [good, bad, null, load("canonical-land-open.json")]);
    expect(batch.records.map((r) => r.index)).toEqual([0, 3]);
    expect(batch.records[0].record.code).toBe("000.00.20.H47-250124-0001");
    expect(batch.rejections.map((r) => [r.index, r.code])).toEqual([
      [1, "000.00.20.H47-250124-0009"],
      [2, undefined],
    ]);
  });

  it("returns nothing for an empty batch", () => {
    expect(parseBatch("dvcqg", [])).toEqual({ records: [], rejections: [] });
  });
});
