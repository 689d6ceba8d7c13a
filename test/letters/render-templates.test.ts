import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { placeAndDate, timeAndDate } from "../../src/letters/dates.js";
import {
  fillPlaceholders,
  LETTER_TEMPLATES,
  letterTemplateSchema,
  templateForIssueDate,
} from "../../src/letters/templates.js";

const TEMPLATE_DIR = new URL("../../templates/letters/", import.meta.url);

describe("letter templates", () => {
  it("are valid, NFC, and cover every day from 2018 on without overlap", () => {
    for (const file of readdirSync(TEMPLATE_DIR)) {
      const raw = readFileSync(new URL(file, TEMPLATE_DIR), "utf8");
      expect(raw, file).toBe(raw.normalize("NFC"));
      expect(() => letterTemplateSchema.parse(JSON.parse(raw)), file).not.toThrow();
    }
    const [old, current] = [...LETTER_TEMPLATES].sort((a, b) =>
      a.effectiveFrom.localeCompare(b.effectiveFrom),
    );
    expect(old.effectiveTo).toBe("2025-06-30");
    expect(current.effectiveFrom).toBe("2025-07-01");
    expect(current.effectiveTo).toBeNull();
  });

  it("are picked by the issue date in Asia/Ho_Chi_Minh", () => {
    expect(templateForIssueDate(new Date("2025-06-30T23:59:59+07:00")).id).toBe("tt01-2018-mau04");
    expect(templateForIssueDate(new Date("2025-07-01T00:00:00+07:00")).id).toBe("tt03-2025");
    expect(templateForIssueDate(new Date("2030-01-01T08:00:00+07:00")).id).toBe("tt03-2025");
    expect(() => templateForIssueDate(new Date("2017-01-01T08:00:00+07:00"))).toThrow(
      /no apology-letter form/,
    );
  });

  it("reject a placeholder the renderer does not know, so a typo fails at load", () => {
    const broken = structuredClone(JSON.parse(readFileSync(new URL("tt03-2025.json", TEMPLATE_DIR), "utf8")));
    broken.body[1].text = "Kính gửi {{aplicantName}}";
    expect(letterTemplateSchema.safeParse(broken).success).toBe(false);
  });

  it("fill placeholders and refuse a missing value", () => {
    expect(fillPlaceholders("Mã hồ sơ: {{dossierCode}}.", { dossierCode: "H47-1" })).toBe("Mã hồ sơ: H47-1.");
    expect(() => fillPlaceholders("{{reason}}", {})).toThrow(/no value for \{\{reason\}\}/);
  });
});

describe("dates as Vietnamese documents write them", () => {
  it("pads days below 10 and the months 1 and 2 only (Nghị định 30/2020)", () => {
    expect(placeAndDate("Ninh Sơn", new Date("2025-02-07T08:00:00+07:00"))).toBe(
      "Ninh Sơn, ngày 07 tháng 02 năm 2025",
    );
    expect(placeAndDate("Ninh Sơn", new Date("2025-03-24T08:00:00+07:00"))).toBe(
      "Ninh Sơn, ngày 24 tháng 3 năm 2025",
    );
    expect(placeAndDate("Huế", new Date("2025-12-09T08:00:00+07:00"))).toBe("Huế, ngày 09 tháng 12 năm 2025");
  });

  it("shows times in local time (UTC+7)", () => {
    expect(timeAndDate(new Date("2025-01-24T03:00:00Z"))).toBe("10 giờ 00 phút, ngày 24/01/2025");
    expect(timeAndDate(new Date("2025-01-23T17:05:00Z"))).toBe("00 giờ 05 phút, ngày 24/01/2025");
  });
});
