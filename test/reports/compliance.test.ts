// The compliance report over HTTP on a hand-computed first quarter of 2025: counts by state as of
// the clock, rates, apology coverage, open violations, the QĐ 766 score, late-rate targets (the
// procedure's own, else its field's), scope, and the CSV and PDF exports.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import type { ComplianceReport, ComplianceRow } from "../../src/reports/compliance.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { assertPopplerInstalled, pdfFlatText, pdfInfo } from "../helpers/pdf.js";
import { canonicalRecord } from "../helpers/records.js";
import { AGENCIES, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";
import { getJson } from "./dataset.js";

const NOW = new Date("2025-04-15T10:00:00+07:00");
const Q1 = "from=2025-01-01&to=2025-04-01";

const BUILDING = {
  code: "1.009994.000.00.00.H47",
  name: "Cấp giấy phép xây dựng",
  field: "Xây dựng",
  fieldCode: "XD",
  processingDays: 5,
};
const LAND = {
  code: "1.012345.000.00.00.H47",
  name: "Đăng ký đất đai lần đầu",
  field: "Đất đai",
  fieldCode: "DD",
  processingDays: 10,
};
// Its own target (50 %) wins over the field's 2 %.
const LAND_OWN_TARGET = {
  ...LAND,
  code: "1.012346.000.00.00.H47",
  name: "Đăng ký biến động đất đai, tài sản gắn liền với đất",
  maxLateRate: 0.5,
};

type Outcome = "early" | "onTime" | "late" | "overdue" | "closed" | "afterPeriod";
const FINISH: Record<Outcome, Record<string, unknown>> = {
  early: { status: 10, finishedAt: "DAY_BEFORE" },
  onTime: { status: 10, finishedAt: "SAME_DAY" },
  late: { status: 10, finishedAt: "AFTER" },
  overdue: { status: 4 },
  closed: { status: 7 },
  afterPeriod: { status: 4 },
};

let serial = 0;
/**
 * A dossier received Thu 2/1 whose promised due binds (building: Wed 8/1 08:00, before the
 * statutory Thu 9/1; land: Wed 15/1 08:00, before Thu 16/1), finished as `outcome` says.
 */
function judged(
  procedure: typeof BUILDING,
  outcome: Outcome,
  agency: typeof AGENCIES.A | typeof AGENCIES.B = AGENCIES.A,
) {
  serial += 1;
  const [dayBefore, due] =
    outcome === "afterPeriod"
      ? ["2025-04-01", "2025-04-02"]
      : procedure.processingDays === 5
        ? ["2025-01-07", "2025-01-08"]
        : ["2025-01-14", "2025-01-15"];
  // Thu 27/3 + 5 working days is Thu 3/4, so the promised Wed 2/4 binds: after the period.
  const received = outcome === "afterPeriod" ? "2025-03-27T08:00:00+07:00" : "2025-01-02T08:00:00+07:00";
  const finish = {
    DAY_BEFORE: `${dayBefore}T10:00:00+07:00`,
    SAME_DAY: `${due}T07:45:00+07:00`,
    AFTER: "2025-02-10T10:00:00+07:00",
  };
  const { status, finishedAt } = FINISH[outcome];
  return canonicalRecord({
    code: `${agency.code}-Q1-${String(serial).padStart(3, "0")}`,
    agencyCode: agency.code,
    agencyName: agency.name,
    procedureCode: procedure.code,
    procedureName: procedure.name,
    field: procedure.field,
    fieldCode: procedure.fieldCode,
    receivedAt: received,
    promisedDueAt: `${due}T08:00:00+07:00`,
    sourceUpdatedAt: received,
    status,
    finishedAt: finishedAt ? finish[finishedAt as keyof typeof finish] : null,
    steps: [],
  });
}

const building = (["early", "onTime", "late", "late", "overdue", "closed", "afterPeriod"] as const).map((o) =>
  judged(BUILDING, o),
);
const [, , lateWithLetter, lateWithoutLetter, overdueWithLetter] = building.map((r) => r.code as string);
const records = [
  ...building,
  ...(["early", "onTime", "late"] as const).map((o) => judged(LAND, o)),
  ...(["onTime", "onTime", "late"] as const).map((o) => judged(LAND_OWN_TARGET, o)),
  ...(["onTime", "late"] as const).map((o) => judged(BUILDING, o, AGENCIES.B)),
];

let server: SeededServer;
let tokens: Tokens;

beforeAll(async () => {
  assertPopplerInstalled();
  server = await startSeededServer({
    clock: fixedClock(NOW),
    procedures: [BUILDING, LAND, LAND_OWN_TARGET],
    records,
  });
  ({ tokens } = server);
  const db = server.database.db;
  // Letters (issued by the letters routes in production) and violations (the sweep's), as fixtures.
  for (const [i, code] of [lateWithLetter, overdueWithLetter].entries()) {
    await db.execute(sql`INSERT INTO apology_letters (dossier_code, agency_code, year, number, reference, form, reason,
        new_due_at, signer_name, signer_title, issued_at, issued_by)
      VALUES (${code}, ${AGENCIES.A.code}, 2025, ${i + 1}, ${`0${i + 1}/PXL-LS`}, 'tt01-2018-mau04', 'Chờ thẩm định',
        '2025-02-20T08:00:00+07:00', 'Nguyễn Văn Ký', 'Chủ tịch', '2025-01-07T08:00:00+07:00', 1)`);
  }
  await db.execute(sql`INSERT INTO violations (dossier_code, agency_code, rule, detected_at, resolved_at) VALUES
    (${lateWithoutLetter}, ${AGENCIES.A.code}, 'late_without_apology', '2025-01-09T00:30:00+07:00', NULL),
    (${lateWithoutLetter}, ${AGENCIES.A.code}, 'appointment_beyond_statutory', '2025-01-03T00:30:00+07:00', NULL),
    (${overdueWithLetter}, ${AGENCIES.A.code}, 'apology_after_deadline', '2025-01-08T00:30:00+07:00', '2025-01-09T00:30:00+07:00')`);
});
afterAll(() => server.close());

const report = (query: string, token = tokens.inspectorAll) =>
  getJson<ComplianceReport>(server, `/api/v1/reports/compliance?${query}`, token);
const row = (r: ComplianceReport, key: string) => r.rows.find((x) => x.key === key) as ComplianceRow;

describe("GET /api/v1/reports/compliance", () => {
  it("counts, per agency, the dossiers whose binding due falls in the period, judged as of now", async () => {
    const r = await report(Q1);
    expect(r).toMatchObject({
      groupBy: "agency",
      from: "2024-12-31T17:00:00.000Z",
      to: "2025-03-31T17:00:00.000Z",
    });
    expect(r.rows.map((x) => x.key)).toEqual([AGENCIES.A.code, AGENCIES.B.code]);
    // A: building early, on time, late ×2, overdue, closed (the 7th is due in April); land early, on time,
    // late; land (own target) on time ×2, late.
    expect(row(r, AGENCIES.A.code)).toEqual({
      key: AGENCIES.A.code,
      name: AGENCIES.A.name,
      received: 12,
      early: 2,
      onTime: 4,
      late: 4,
      openOverdue: 1,
      openNotDue: 0,
      closed: 1,
      lateWithLetter: 2,
      violations: 2,
      onTimeRate: 0.5455,
      lateRate: 0.4545,
      apologyCoverage: 0.4,
      progressScore: 10.91,
      maxLateRate: null,
      overTarget: false,
    });
    expect(row(r, AGENCIES.B.code)).toMatchObject({
      received: 2,
      onTime: 1,
      late: 1,
      onTimeRate: 0.5,
      progressScore: 10,
      apologyCoverage: 0,
    });
    expect(r.totals).toMatchObject({
      key: null,
      name: "Tổng cộng",
      received: 14,
      early: 2,
      onTime: 5,
      late: 5,
      openOverdue: 1,
    });
    expect(r.totals.progressScore).toBe(Math.round((7 / 13) * 20 * 100) / 100);
  });

  it("judges as of asOf: before the finishes the late ones were open and overdue, letters not yet issued", async () => {
    const r = await report(`${Q1}&asOf=2025-01-09T12:00:00%2B07:00&agency=${AGENCIES.A.code}`);
    // Binding dues in Q1 for A: building 8/1 (5 of them), land 15/1 (6); the withdrawn one is closed.
    expect(row(r, AGENCIES.A.code)).toMatchObject({
      early: 1,
      onTime: 1,
      late: 0,
      openOverdue: 3,
      openNotDue: 6,
      closed: 1,
    });
  });

  it("flags procedures and fields over their late-rate target: the procedure's own, else the field's", async () => {
    const put = await server.request("/api/v1/targets/fields/DD", {
      method: "PUT",
      token: tokens.admin,
      json: { maxLateRate: 0.02 },
    });
    expect(put.status).toBe(201);
    expect(await put.json()).toEqual({ fieldCode: "DD", maxLateRate: 0.02 });
    const byProcedure = await report(`${Q1}&groupBy=procedure`);
    expect(row(byProcedure, LAND.code)).toMatchObject({
      name: LAND.name,
      lateRate: 0.3333,
      maxLateRate: 0.02,
      overTarget: true,
    });
    expect(row(byProcedure, LAND_OWN_TARGET.code)).toMatchObject({
      lateRate: 0.3333,
      maxLateRate: 0.5,
      overTarget: false,
    });
    expect(row(byProcedure, BUILDING.code)).toMatchObject({
      received: 8,
      maxLateRate: null,
      overTarget: false,
    });
    const byField = await report(`${Q1}&groupBy=field`);
    expect(byField.rows.map((x) => [x.key, x.name])).toEqual([
      ["DD", "Đất đai"],
      ["XD", "Xây dựng"],
    ]);
    expect(row(byField, "DD")).toMatchObject({
      early: 1,
      onTime: 3,
      late: 2,
      lateRate: 0.3333,
      maxLateRate: 0.02,
      overTarget: true,
    });

    const again = await server.request("/api/v1/targets/fields/DD", {
      method: "PUT",
      token: tokens.admin,
      json: { maxLateRate: 0.4 },
    });
    expect(again.status).toBe(200);
    expect(row(await report(`${Q1}&groupBy=field`), "DD")).toMatchObject({
      maxLateRate: 0.4,
      overTarget: false,
    });
    const audit = await queryRows<{ details: { maxLateRate: number; previous: number | null } }>(
      server.database.db,
      sql`SELECT details FROM audit_log WHERE action = 'field_target.put' AND resource_id = 'DD' ORDER BY id`,
    );
    expect(audit.map((a) => [a.details.maxLateRate, a.details.previous])).toEqual([
      [0.02, null],
      [0.4, 0.02],
    ]);
    await server.request("/api/v1/targets/fields/DD", {
      method: "PUT",
      token: tokens.admin,
      json: { maxLateRate: 0.02 },
    });
  });

  it("lets only admins set targets, within 0..1", async () => {
    const put = (token: string, json: unknown) =>
      server.request("/api/v1/targets/fields/DD", { method: "PUT", token, json });
    expect((await put(tokens.inspectorAll, { maxLateRate: 0.1 })).status).toBe(403);
    expect((await put(tokens.admin, { maxLateRate: 1.5 })).status).toBe(400);
  });

  it("is scoped to the caller's subtree; another agency is 404; officers 403", async () => {
    expect((await report(Q1, tokens.inspectorA)).rows.map((x) => x.key)).toEqual([AGENCIES.A.code]);
    expect(
      (await report(`${Q1}&groupBy=procedure`, tokens.inspectorB)).rows.map((x) => [x.key, x.received]),
    ).toEqual([[BUILDING.code, 2]]);
    const outside = await server.request(`/api/v1/reports/compliance?${Q1}&agency=${AGENCIES.A.code}`, {
      token: tokens.inspectorB,
    });
    expect(outside.status).toBe(404);
    expect(
      (await server.request(`/api/v1/reports/compliance?${Q1}`, { token: tokens.officerA })).status,
    ).toBe(403);
  });
});

describe("compliance exports", () => {
  it("writes CSV with a BOM, the JSON keys as columns, Vietnamese names intact, quoted when needed", async () => {
    const res = await server.request(`/api/v1/reports/compliance?${Q1}&groupBy=procedure&format=csv`, {
      token: tokens.inspectorAll,
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "key,name,received,early,onTime,late,openOverdue,openNotDue,closed,onTimeRate,lateRate,maxLateRate,overTarget,apologyCoverage,lateWithLetter,violations,progressScore",
    );
    expect(lines).toContain(
      `${LAND.code},Đăng ký đất đai lần đầu,3,1,1,1,0,0,0,0.6667,0.3333,0.02,true,0,0,0,13.33`,
    );
    expect(lines).toContain(
      `${LAND_OWN_TARGET.code},"Đăng ký biến động đất đai, tài sản gắn liền với đất",3,0,2,1,0,0,0,0.6667,0.3333,0.5,false,0,0,0,13.33`,
    );
    expect(lines).toHaveLength(4);
  });

  it("renders the signed report: header, title, period, the table with totals, recipients, signer", async () => {
    const res = await server.request(
      `/api/v1/reports/compliance?${Q1}&groupBy=field&format=pdf&agency=${AGENCIES.A.code}`,
      {
        token: tokens.inspectorA,
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain(
      "bao-cao-ket-qua-giai-quyet_2025-01-01_2025-03-31.pdf",
    );
    const pdf = new Uint8Array(await res.arrayBuffer());
    expect(pdfInfo(pdf)["Page size"]).toMatch(/^841\.89 x 595\.28/);
    const text = pdfFlatText(pdf);
    for (const expected of [
      "UBND HUYỆN NINH SƠN",
      "UBND XÃ LÂM SƠN",
      "Lâm Sơn, ngày 15 tháng 4 năm 2025",
      "KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
      "từ ngày 01/01/2025 đến ngày 31/03/2025",
      "766/QĐ-TTg",
      "Đất đai (DD)",
      "33,33 % (Vượt)",
      "Tổng cộng",
      "Nơi nhận:",
      "Thanh tra huyện Ninh Sơn",
    ]) {
      expect(text, expected).toContain(expected);
    }
    const audit = await queryRows<{
      details: { format: string; params: Record<string, unknown> };
      agency_code: string;
    }>(
      server.database.db,
      sql`SELECT details, agency_code FROM audit_log WHERE action = 'report.export' AND resource_id = 'compliance' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit[0]).toMatchObject({
      agency_code: AGENCIES.A.code,
      details: { format: "pdf", params: { groupBy: "field", agency: AGENCIES.A.code } },
    });
  });
});
