import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DossierRecord } from "../../src/deadlines/dossier-record.js";
import { parseRecord, type RecordFormat } from "../../src/sync/parse.js";

const FIXTURES = new URL("../fixtures/sync/", import.meta.url);
const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), "utf8"));
const at = (iso: string) => new Date(iso);

function parsed(format: RecordFormat, name: string): DossierRecord {
  const result = parseRecord(format, load(name), 0);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.rejection.errors)}`);
  return result.record;
}

/** Sets or deletes a value at a path like `steps[1].endedAt` in a JSON copy. */
function edit(target: unknown, path: string, value: unknown, remove = false) {
  const keys = path.match(/[^.[\]]+/g) ?? [];
  let node = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
}

describe("canonical fixtures", () => {
  it("maps a finished building permit field by field", () => {
    const r = parsed("canonical", "canonical-building-permit.json");
    expect(r.code).toBe("000.00.20.H47-250124-0001");
    expect(r.procedureCode).toBe("1.009994.000.00.00.H47");
    expect(r.procedureName).toBe("Cấp giấy phép xây dựng");
    expect(r.field).toBe("Xây dựng");
    expect(r.fieldCode).toBe("XD");
    expect(r.agencyCode).toBe("000.00.20.H47");
    expect(r.agencyName).toBe("UBND xã Ninh Sơn");
    expect(r.channel).toBe("direct");
    expect(r.applicant).toEqual({
      name: "Nguyễn Văn An",
      idNumber: "001090001234",
      address: "Thôn Tân Mỹ, xã Ninh Sơn, tỉnh Khánh Hòa",
      phone: "0912345678",
      email: null,
      kind: "citizen",
    });
    expect(r.receivedAt).toEqual(at("2025-01-24T03:00:00Z"));
    expect(r.promisedDueAt).toEqual(at("2025-02-07T03:00:00Z"));
    expect(r.finishedAt).toEqual(at("2025-02-10T08:20:00Z"));
    expect(r.returnedAt).toBeNull();
    expect(r.status).toBe(9);
    expect(r.steps).toEqual([
      {
        seq: 1,
        officialId: "cb-001",
        officialName: "Trần Thị Bình",
        title: "Chuyên viên",
        department: "Bộ phận Một cửa",
        startedAt: at("2025-01-24T03:00:00Z"),
        dueAt: at("2025-01-24T09:00:00Z"),
        endedAt: at("2025-01-24T07:30:00Z"),
        note: "Tiếp nhận hồ sơ đầy đủ",
      },
      {
        seq: 2,
        officialId: "cb-014",
        officialName: "Lê Quốc Hưng",
        title: "Phó Trưởng phòng",
        department: "Phòng Kinh tế",
        startedAt: at("2025-01-24T07:30:00Z"),
        dueAt: at("2025-02-05T07:30:00Z"),
        endedAt: at("2025-02-10T09:00:00Z"),
        note: null,
      },
    ]);
    expect(r.pauses).toEqual([
      {
        kind: "supplement",
        startedAt: at("2025-02-04T01:15:00Z"),
        endedAt: at("2025-02-05T02:00:00Z"),
        reason: "Bổ sung bản vẽ mặt bằng công trình",
      },
    ]);
    expect(r.sourceUpdatedAt).toEqual(at("2025-02-10T08:25:00.250Z"));
  });

  it("keeps the whole input, unknown fields included, as raw", () => {
    const input = load("canonical-building-permit.json");
    const result = parseRecord("canonical", input, 0);
    expect(result.ok && result.record.raw).toBe(input);
    expect(input.vendorTrackingId).toBe("VNPT-IGATE-88421");
  });

  it("maps an open land dossier of an organisation waiting on financial obligations", () => {
    const r = parsed("canonical", "canonical-land-open.json");
    expect(r.field).toBe("Đất đai");
    expect(r.fieldCode).toBeNull();
    expect(r.channel).toBe("online");
    expect(r.applicant).toEqual({
      name: "Công ty TNHH Xây dựng Phước Hưng",
      idNumber: "4500612345",
      address: null,
      phone: null,
      email: null,
      kind: "organization",
    });
    expect(r.finishedAt).toBeNull();
    expect(r.returnedAt).toBeNull();
    expect(r.status).toBe(6);
    expect(r.steps).toEqual([]);
    expect(r.pauses).toEqual([
      { kind: "financial", startedAt: at("2025-03-10T02:00:00Z"), endedAt: null, reason: null },
    ]);
    expect(r.sourceUpdatedAt).toEqual(at("2025-03-10T02:01:00Z"));
  });

  it("rejects naive date-times, naming each field", () => {
    const result = parseRecord("canonical", load("canonical-invalid-naive-dates.json"), 4);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.index).toBe(4);
    expect(result.rejection.code).toBe("000.00.20.H47-250124-0009");
    expect(result.rejection.errors.map((e) => e.path)).toEqual(["receivedAt", "promisedDueAt"]);
    expect(result.rejection.errors[1].message).toMatch(/no UTC offset/);
  });
});

describe("DVCQG fixtures", () => {
  it("maps a returned land dossier with two supplements field by field", () => {
    const r = parsed("dvcqg", "dvcqg-land-supplements.json");
    expect(r.code).toBe("000.00.20.H47-250210-0042");
    expect(r.procedureCode).toBe("1.004227.000.00.00.H47");
    expect(r.procedureName).toBe(
      "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    );
    expect(r.fieldCode).toBe("G09-TN01");
    expect(r.field).toBe("Đất đai");
    expect(r.agencyCode).toBe("000.00.20.H47");
    expect(r.agencyName).toBe("UBND xã Ninh Sơn");
    expect(r.channel).toBe("online");
    expect(r.applicant).toEqual({
      name: "Phạm Thị Hồng Nhung",
      idNumber: "058185004321",
      address: "Thôn Phú Thạnh, xã Ninh Sơn",
      phone: "0987654321",
      email: "hongnhung@example.vn",
      kind: "citizen",
    });
    expect(r.receivedAt).toEqual(at("2025-02-10T01:30:00Z"));
    expect(r.promisedDueAt).toEqual(at("2025-03-03T01:30:00Z"));
    expect(r.finishedAt).toEqual(at("2025-02-28T09:00:00Z"));
    expect(r.returnedAt).toEqual(at("2025-03-03T02:00:00Z"));
    expect(r.status).toBe(10);
    expect(r.sourceUpdatedAt).toEqual(at("2025-03-03T02:05:00Z"));
    expect(r.steps).toEqual([
      {
        seq: 1,
        officialId: "cb-003",
        officialName: "Đỗ Minh Tuấn",
        title: "Chuyên viên",
        department: "Bộ phận Một cửa",
        startedAt: at("2025-02-10T01:30:00Z"),
        dueAt: at("2025-02-10T09:30:00Z"),
        endedAt: at("2025-02-10T03:00:00Z"),
        note: "Tiếp nhận và chuyển hồ sơ",
      },
      {
        seq: 2,
        officialId: "ten:000.00.20.H47:võ thị ánh",
        officialName: "Võ Thị Ánh",
        title: "Công chức Địa chính - Xây dựng",
        department: "Địa chính",
        startedAt: at("2025-02-10T03:00:00Z"),
        dueAt: at("2025-02-24T03:00:00Z"),
        endedAt: at("2025-02-26T04:00:00Z"),
        note: "Thẩm định hồ sơ",
      },
      {
        seq: 3,
        officialId: "ld-001",
        officialName: "Huỳnh Văn Lợi",
        title: "Phó Chủ tịch",
        department: "Lãnh đạo UBND",
        startedAt: at("2025-02-26T04:00:00Z"),
        dueAt: null,
        endedAt: at("2025-02-28T09:00:00Z"),
        note: "Ký duyệt",
      },
    ]);
    expect(r.pauses).toEqual([
      {
        kind: "supplement",
        startedAt: at("2025-02-14T02:00:00Z"),
        endedAt: at("2025-02-18T07:30:00Z"),
        reason: "Bổ sung trích lục bản đồ địa chính",
      },
      {
        kind: "supplement",
        startedAt: at("2025-02-20T01:00:00Z"),
        endedAt: at("2025-02-21T01:00:00Z"),
        reason: null,
      },
    ]);
    expect((r.raw as Record<string, unknown>).MaHoSoDVCQG).toBe("G22.99-250210-0001");
  });

  it("maps numeric codes, empty strings and a missing NgayCapNhat", () => {
    const r = parsed("dvcqg", "dvcqg-birth-registration.json");
    expect(r.channel).toBe("direct");
    expect(r.status).toBe(4);
    expect(r.applicant).toEqual({
      name: "Ngô Thị Thu Hà",
      idNumber: null,
      address: null,
      phone: null,
      email: null,
      kind: "citizen",
    });
    expect(r.agencyName).toBeNull();
    expect(r.finishedAt).toBeNull();
    expect(r.returnedAt).toBeNull();
    expect(r.pauses).toEqual([]);
    expect(r.steps[0].officialId).toBe("ten:000.00.20.H47:lê văn ân");
    expect(r.steps[0].endedAt).toBeNull();
    // No NgayCapNhat: the latest event the record reports (the step's start), never the appointment.
    expect(r.sourceUpdatedAt).toEqual(at("2025-04-15T08:10:00Z"));
    expect(r.sourceStamped).toBe(false);
  });

  it("maps LoaiDoiTuong 2 and 3 to organisations and absent to citizens", () => {
    const base = load("dvcqg-birth-registration.json");
    for (const [value, kind] of [
      [2, "organization"],
      ["3", "organization"],
      [null, "citizen"],
    ] as const) {
      const result = parseRecord("dvcqg", { ...base, LoaiDoiTuong: value }, 0);
      expect(result.ok && result.record.applicant.kind).toBe(kind);
    }
  });

  it("rejects impossible portal dates with their paths", () => {
    const result = parseRecord("dvcqg", load("dvcqg-invalid-dates.json"), 1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.code).toBe("000.00.20.H47-250228-0005");
    expect(result.rejection.errors.map((e) => e.path)).toEqual([
      "KenhThucHien",
      "NgayTiepNhan",
      "NgayHenTra",
      "QuaTrinhXuLy[0].NgayBatDau",
    ]);
    expect(result.rejection.errors[2].message).toBe("day 32 does not exist in 2025-03");
  });
});

interface InvalidCase {
  name: string;
  set?: Record<string, unknown>;
  delete?: string[];
  expect: { path: string; message: string }[];
}

for (const [format, file] of [
  ["canonical", "canonical-invalid-cases.json"],
  ["dvcqg", "dvcqg-invalid-cases.json"],
] as const) {
  const table = load(file) as unknown as { base: string; cases: InvalidCase[] };
  describe(`${format}: each kind of invalid field is rejected with its path`, () => {
    it.each(table.cases)("$name", (c) => {
      const record = load(table.base);
      for (const [path, value] of Object.entries(c.set ?? {})) edit(record, path, value);
      for (const path of c.delete ?? []) edit(record, path, undefined, true);
      const result = parseRecord(format, record, 7);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.rejection.index).toBe(7);
      expect(result.rejection.errors).toHaveLength(c.expect.length);
      c.expect.forEach((e, i) => {
        expect(result.rejection.errors[i].path).toBe(e.path);
        expect(result.rejection.errors[i].message).toContain(e.message);
      });
    });
  });
}

describe("calendar dates", () => {
  it.each([
    ["20240229120000", true],
    ["20250229120000", false],
    ["20230229120000", false],
    ["20000229120000", true],
    ["20250431000000", false],
    ["20251231235959", true],
  ])("%s is a real date: %s", (text, real) => {
    const record = load("dvcqg-birth-registration.json");
    const result = parseRecord("dvcqg", { ...record, NgayTra: text }, 0);
    expect(result.ok).toBe(real);
  });
});
