import { describe, expect, it } from "vitest";
import { generateProvince } from "../../src/demo/generator.js";

describe("generateProvince", () => {
  const province = generateProvince(42);

  it("is deterministic for a seed", () => {
    expect(generateProvince(42)).toEqual(province);
    expect(generateProvince(43).officials.map((o) => o.name)).not.toEqual(
      province.officials.map((o) => o.name),
    );
  });

  it("builds one agency tree with portal-style unique codes", () => {
    const codes = new Set(province.agencies.map((a) => a.code));
    expect(codes.size).toBe(province.agencies.length);
    const roots = province.agencies.filter((a) => a.parentCode === null);
    expect(roots.map((a) => [a.code, a.name])).toEqual([["000.00.00.H47", "UBND tỉnh Khánh Hòa"]]);
    for (const a of province.agencies) {
      expect(a.code).toMatch(/^\d{3}\.\d{2}\.\d{2}\.H47$/);
      if (a.parentCode) expect(codes.has(a.parentCode)).toBe(true);
    }
    // Two tiers since 1 July 2025: the province, and under it its departments and its communes and wards.
    const levels = new Set(province.agencies.map((a) => a.level));
    expect(levels).toEqual(new Set(["province", "department", "commune"]));
    for (const a of province.agencies.filter((x) => x.parentCode)) expect(a.parentCode).toBe("000.00.00.H47");
    expect(province.agencies.some((a) => a.name.startsWith("UBND phường "))).toBe(true);
    expect(province.agencies.some((a) => /huyện/.test(a.name))).toBe(false);
    // Letter numbers (n/PXL-<short code>) tell agencies apart.
    expect(new Set(province.agencies.map((a) => a.shortCode)).size).toBe(province.agencies.length);
  });

  it("catalogues a few dozen procedures whose steps add up to the processing time", () => {
    expect(province.procedures.length).toBeGreaterThanOrEqual(25);
    expect(new Set(province.procedures.map((p) => p.code)).size).toBe(province.procedures.length);
    const fields = new Set(province.procedures.map((p) => p.field));
    for (const field of [
      "Đất đai",
      "Xây dựng",
      "Hộ tịch",
      "Đăng ký kinh doanh",
      "Chứng thực",
      "Lý lịch tư pháp",
    ]) {
      expect(fields.has(field)).toBe(true);
    }
    for (const p of province.procedures) {
      const hours = p.processingHours ?? (p.processingDays ?? 0) * 8;
      expect(hours).toBeGreaterThan(0);
      expect(p.steps.length).toBeGreaterThanOrEqual(3);
      expect(p.steps.length).toBeLessThanOrEqual(6);
      expect(p.steps.map((s) => s.seq)).toEqual(p.steps.map((_, i) => i + 1));
      expect(p.steps.reduce((sum, s) => sum + s.allotmentHours, 0)).toBe(hours);
      for (const s of p.steps) expect(s.allotmentHours).toBeGreaterThan(0);
    }
    expect(province.procedures.some((p) => p.supplementPolicy === "restart")).toBe(true);
    expect(province.procedures.some((p) => p.perChannel?.online)).toBe(true);
  });

  it("staffs every handling agency with a desk, specialists and leaders, a few of them slow", () => {
    for (const agency of province.agencies.filter((a) => a.level !== "province")) {
      const staff = province.officials.filter((o) => o.agencyCode === agency.code);
      const roles = new Set(staff.map((o) => o.role));
      expect([...roles].sort()).toEqual(expect.arrayContaining(["leader", "reception", "specialist"]));
    }
    expect(new Set(province.officials.map((o) => o.id)).size).toBe(province.officials.length);
    const slow = province.officials.filter((o) => o.latenessRate > 0.1);
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.length / province.officials.length).toBeLessThan(0.2);
    expect(province.officials.map((o) => o.title)).toContain("Phó Trưởng phòng");
    expect(province.officials.every((o) => /\p{L}+ \p{L}+/u.test(o.name))).toBe(true);
  });

  it("honours size options", () => {
    const small = generateProvince(1, { communes: 6, code: "H12", name: "Thử Nghiệm" });
    expect(small.agencies.filter((a) => a.level === "commune")).toHaveLength(6);
    expect(small.agencies[0].name).toBe("UBND tỉnh Thử Nghiệm");
    expect(small.procedures[0].code.endsWith(".H12")).toBe(true);
  });
});
