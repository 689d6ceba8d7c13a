// The repeat-lateness report over HTTP on a crafted first quarter of 2025: threshold edges, month
// boundaries in local time, rolling windows, justifications, one dossier once per official, scope,
// per-agency policy, and the CSV and PDF exports with their audit trail.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import type { RepeatLatenessReport } from "../../src/reports/repeat-lateness.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { assertPopplerInstalled, pdfFlatText, pdfInfo, pdfText } from "../helpers/pdf.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";
import { dossier, getJson, type Official, officialOf, PERMIT_WITH_STEPS } from "./dataset.js";

const NOW = new Date("2025-04-15T10:00:00+07:00");
const Q1 = "from=2025-01-01&to=2025-04-01";

const HUONG = officialOf("cb-r1", "Lê Thị Hường");
const HAI = officialOf("cb-r2", "Nguyễn Văn Hải");
const KHOA = officialOf("cb-r3", "Trịnh Văn Khoa");
const LAN = officialOf("cb-r4", "Phan Thị Lan");
const MINH = officialOf("cb-r5", "Đặng Văn Minh");
const NAM = officialOf("cb-r6", "Bùi Văn Nam");
const OANH = officialOf("cb-b1", "Hoàng Thị Oanh", "Phòng Tư pháp");

let serial = 0;
/**
 * A dossier of `agency`, open and overdue as of NOW, whose steps by `official` fall due at the given
 * local times and end 2 working hours later (each `end` given explicitly).
 */
function lateDossier(
  official: Official,
  lates: { due: string; end: string }[],
  agency: typeof AGENCIES.A | typeof AGENCIES.B = AGENCIES.A,
) {
  serial += 1;
  const code = `${agency.code}-2501-${String(serial).padStart(4, "0")}`;
  const received = "2025-01-02T08:00:00+07:00";
  return dossier(
    code,
    agency,
    received,
    lates.map((l) => ({ official, startedAt: received, dueAt: `${l.due}+07:00`, endedAt: `${l.end}+07:00` })),
  );
}
/** Due at 08:00 on a working day, ended at 10:00: 2 working hours over. */
const at8 = (date: string) => ({ due: `${date}T08:00:00`, end: `${date}T10:00:00` });

const records = [
  // Exactly the threshold in January.
  ...["2025-01-08", "2025-01-15", "2025-01-22"].map((d) => lateDossier(HUONG, [at8(d)])),
  // Threshold − 1.
  ...["2025-01-09", "2025-01-16"].map((d) => lateDossier(HAI, [at8(d)])),
  // Two in January and one due at 17:30 on Fri 31/1, the last working moment of January.
  ...["2025-01-10", "2025-01-20"].map((d) => lateDossier(KHOA, [at8(d)])),
  lateDossier(KHOA, [{ due: "2025-01-31T17:30:00", end: "2025-02-03T09:30:00" }]),
  // Two in January and one due at 00:00 on 1/2 local (still 31/1 in UTC): February.
  ...["2025-01-13", "2025-01-21"].map((d) => lateDossier(LAN, [at8(d)])),
  lateDossier(LAN, [{ due: "2025-02-01T00:00:00", end: "2025-02-03T09:30:00" }]),
  // Five in January; the first is justified in beforeAll.
  ...["2025-01-06", "2025-01-07", "2025-01-14", "2025-01-17", "2025-01-23"].map((d) =>
    lateDossier(MINH, [at8(d)]),
  ),
  // Two late steps on one dossier (it counts once, its overrun is their sum), one on another.
  lateDossier(NAM, [at8("2025-01-08"), at8("2025-01-09")]),
  lateDossier(NAM, [at8("2025-01-10")]),
  // Agency B: three in January.
  ...["2025-01-08", "2025-01-15", "2025-01-22"].map((d) => lateDossier(OANH, [at8(d)], AGENCIES.B)),
];
const codesOf = (o: Official) =>
  records
    .filter((r) => (r.steps as { officialId: string }[])[0].officialId === o.officialId)
    .map((r) => r.code as string);

let server: SeededServer;
let tokens: Tokens;

beforeAll(async () => {
  assertPopplerInstalled();
  server = await startSeededServer({ clock: fixedClock(NOW), procedures: [PERMIT_WITH_STEPS], records });
  ({ tokens } = server);
  await ok(
    await server.request("/api/v1/justifications", {
      method: "POST",
      token: tokens.inspectorA,
      json: {
        dossierCode: codesOf(MINH)[0],
        officialId: MINH.officialId,
        accepted: true,
        reason: "Mất điện toàn xã",
      },
    }),
  );
});
afterAll(() => server.close());

const report = (query: string, token = tokens.inspectorAll) =>
  getJson<RepeatLatenessReport>(server, `/api/v1/reports/repeat-lateness?${query}`, token);
const ids = (r: RepeatLatenessReport) => r.officials.map((o) => o.officialId);

describe("GET /api/v1/reports/repeat-lateness", () => {
  it("reports officials who reach the threshold in a calendar month of local time, most late first", async () => {
    const r = await report(Q1);
    expect(r).toMatchObject({
      from: "2024-12-31T17:00:00.000Z",
      to: "2025-03-31T17:00:00.000Z",
      threshold: null,
    });
    // Minh: 4 unjustified. Then 3 each, by overrun, then id. Hải (2), Lan (2 + 1 in February), Nam (2 dossiers) are out.
    expect(ids(r)).toEqual(["cb-r5", "cb-b1", "cb-r1", "cb-r3"]);
  });

  it("gives each official's counts, policy, busiest window and dossiers (SPEC §8 shape)", async () => {
    const huong = (await report(Q1)).officials.find((o) => o.officialId === "cb-r1");
    expect(huong).toEqual({
      officialId: "cb-r1",
      officialName: "Lê Thị Hường",
      title: "Chuyên viên",
      department: "Phòng Kinh tế",
      agencyCode: AGENCIES.A.code,
      lateCount: 3,
      justifiedCount: 0,
      overrunHours: 6,
      policy: { window: "month", threshold: 3 },
      peakWindow: { from: "2024-12-31T17:00:00.000Z", to: "2025-01-31T17:00:00.000Z", lateCount: 3 },
      dossiers: codesOf(HUONG).map((code, i) => ({
        code,
        stepSeq: 1,
        stepDueAt: new Date(`${["2025-01-08", "2025-01-15", "2025-01-22"][i]}T08:00:00+07:00`).toISOString(),
        overrunHours: 2,
        justified: false,
      })),
    });
    const khoa = (await report(Q1)).officials.find((o) => o.officialId === "cb-r3");
    expect(khoa?.dossiers.at(-1)).toMatchObject({ stepDueAt: "2025-01-31T10:30:00.000Z", overrunHours: 2 });
  });

  it("counts a justified dossier in justifiedCount, not in lateCount; a refusal counts it again", async () => {
    const minh = (await report(Q1)).officials.find((o) => o.officialId === "cb-r5");
    expect(minh).toMatchObject({ lateCount: 4, justifiedCount: 1, overrunHours: 8 });
    expect(minh?.dossiers.filter((d) => d.justified).map((d) => d.code)).toEqual([codesOf(MINH)[0]]);

    const decide = (accepted: boolean) =>
      server.request("/api/v1/justifications", {
        method: "POST",
        token: tokens.inspectorA,
        json: { dossierCode: codesOf(HUONG)[1], officialId: "cb-r1", accepted, reason: "Hệ thống lỗi" },
      });
    expect((await decide(true)).status).toBe(201);
    expect(ids(await report(Q1))).not.toContain("cb-r1");
    const lowered = (await report(`${Q1}&threshold=2`)).officials.find((o) => o.officialId === "cb-r1");
    expect(lowered).toMatchObject({ lateCount: 2, justifiedCount: 1, overrunHours: 4 });
    expect((await decide(false)).status).toBe(201);
    expect(ids(await report(Q1))).toContain("cb-r1");
  });

  it("counts one dossier once per official, with its steps' overrun summed", async () => {
    const nam = (await report(`${Q1}&threshold=2`)).officials.find((o) => o.officialId === "cb-r6");
    expect(nam).toMatchObject({ lateCount: 2, overrunHours: 6 });
    expect(nam?.dossiers.map((d) => [d.code, d.stepSeq, d.overrunHours])).toEqual([
      [codesOf(NAM)[0], 1, 4],
      [codesOf(NAM)[1], 1, 2],
    ]);
    // threshold − 1 and exactly the threshold, with a lower threshold.
    expect(ids(await report(`${Q1}&threshold=2`))).toEqual(
      expect.arrayContaining(["cb-r2", "cb-r4", "cb-r6", "cb-r1", "cb-r3", "cb-r5", "cb-b1"]),
    );
  });

  it("finds the busiest rolling window of N days inside the period", async () => {
    const rolling30 = await report(`${Q1}&window=rolling_days:30`);
    expect(ids(rolling30)).toContain("cb-r4");
    expect(rolling30.window).toBe("rolling_days:30");
    const lan = rolling30.officials.find((o) => o.officialId === "cb-r4");
    expect(lan?.peakWindow).toEqual({
      from: new Date("2025-01-13T08:00:00+07:00").toISOString(),
      to: new Date("2025-02-12T08:00:00+07:00").toISOString(),
      lateCount: 3,
    });
    // 13/1 08:00 to 1/2 00:00 is 18 days and 16 hours: 18 days do not hold all three, 19 do.
    expect(ids(await report(`${Q1}&window=rolling_days:7`))).not.toContain("cb-r4");
    expect(ids(await report(`${Q1}&window=rolling_days:18`))).not.toContain("cb-r4");
    expect(ids(await report(`${Q1}&window=rolling_days:19`))).toContain("cb-r4");
  });

  it("counts only late steps due inside the period", async () => {
    expect(ids(await report("from=2025-02-01&to=2025-03-01&threshold=1"))).toEqual(["cb-r4"]);
    expect(ids(await report("from=2025-01-01&to=2025-01-31T17:30:00%2B07:00"))).not.toContain("cb-r3");
  });

  it("applies each agency's policy, set by PUT /api/v1/agencies and inherited down the tree, unless overridden", async () => {
    const { code, ...districtB } = AGENCIES.districtB;
    const put = (body: Record<string, unknown>) =>
      server.request(`/api/v1/agencies/${code}`, {
        method: "PUT",
        token: tokens.admin,
        json: { ...districtB, ...body },
      });
    expect((await put({ latenessWindow: "week" })).status).toBe(400);
    const set = (await ok(await put({ latenessWindow: "quarter", latenessThreshold: 4 }))) as Record<
      string,
      unknown
    >;
    expect(set).toMatchObject({ latenessWindow: "quarter", latenessThreshold: 4 });
    try {
      // Commune B inherits its district's quarter and 4: Oanh's 3 in the quarter are not enough.
      const r = await report(Q1);
      expect(ids(r)).not.toContain("cb-b1");
      expect(r.officials.find((o) => o.officialId === "cb-r1")?.policy).toEqual({
        window: "month",
        threshold: 3,
      });
      const b = await report(`${Q1}&threshold=3`);
      expect(b.officials.find((o) => o.officialId === "cb-b1")?.policy).toEqual({
        window: "quarter",
        threshold: 3,
      });
    } finally {
      await ok(await put({}));
    }
    expect(ids(await report(Q1))).toContain("cb-b1");
  });

  it("is scoped: an inspector sees officials of their subtree only; another agency is 404; officers 403", async () => {
    expect(ids(await report(Q1, tokens.inspectorA))).toEqual(["cb-r5", "cb-r1", "cb-r3"]);
    expect(ids(await report(Q1, tokens.inspectorB))).toEqual(["cb-b1"]);
    expect(ids(await report(`${Q1}&agency=${AGENCIES.districtA.code}`))).not.toContain("cb-b1");
    const out = await server.request(`/api/v1/reports/repeat-lateness?${Q1}&agency=${AGENCIES.B.code}`, {
      token: tokens.inspectorA,
    });
    expect(out.status).toBe(404);
    expect(
      (await server.request(`/api/v1/reports/repeat-lateness?${Q1}`, { token: tokens.officerA })).status,
    ).toBe(403);
  });

  it("answers 400 to a reversed period, a bad window or a bad threshold", async () => {
    for (const q of [
      "from=2025-04-01&to=2025-01-01",
      `${Q1}&window=week`,
      `${Q1}&threshold=0`,
      "to=2025-01-01",
    ]) {
      const res = await server.request(`/api/v1/reports/repeat-lateness?${q}`, { token: tokens.admin });
      expect(res.status, q).toBe(400);
    }
  });
});

describe("repeat-lateness exports", () => {
  const fetchExport = async (format: string) => {
    const res = await server.request(`/api/v1/reports/repeat-lateness?${Q1}&format=${format}`, {
      token: tokens.inspectorA,
    });
    expect(res.status).toBe(200);
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  it("writes CSV in UTF-8 with a BOM, one line per official and dossier, names intact", async () => {
    const { res, bytes } = await fetchExport("csv");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "officialId,officialName,title,department,agencyCode,lateCount,justifiedCount,overrunHours,window,threshold,dossierCode,stepSeq,stepDueAt,dossierOverrunHours,justified",
    );
    const huong = lines.filter((l) => l.startsWith("cb-r1,"));
    expect(huong).toHaveLength(3);
    expect(huong[0]).toBe(
      `cb-r1,Lê Thị Hường,Chuyên viên,Phòng Kinh tế,${AGENCIES.A.code},3,0,6,month,3,${codesOf(HUONG)[0]},1,2025-01-08T01:00:00.000Z,2,false`,
    );
    // Minh's 5 dossiers, Hường's 3, Khoa's 3.
    expect(lines).toHaveLength(1 + 5 + 3 + 3);
  });

  it("renders a signed A4 landscape report in Vietnamese with the table's headers on every page", async () => {
    const { res, bytes } = await fetchExport("pdf");
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const info = pdfInfo(bytes);
    expect(info["Page size"]).toMatch(/^841\.89 x 595\.28/);
    const text = pdfFlatText(bytes);
    for (const expected of [
      "UBND HUYỆN NINH SƠN",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "ngày 15 tháng 4 năm 2025",
      "BÁO CÁO",
      "CÔNG CHỨC CHẬM MUỘN NHIỀU LẦN",
      "từ ngày 01/01/2025 đến ngày 31/03/2025",
      "Lê Thị Hường",
      "Đặng Văn Minh",
      codesOf(MINH)[0],
      "Tổng cộng",
      "Nơi nhận:",
      "NGƯỜI LẬP BÁO CÁO",
      "Thanh tra huyện Ninh Sơn",
    ]) {
      expect(text, expected).toContain(expected);
    }
    // Every page that holds a table row starts it under the column headers.
    const pages = pdfText(bytes)
      .split("\f")
      .filter((p) => p.trim());
    for (const page of pages.filter((p) => p.includes("cb-") || /\d{3}\.\d{2}\.\d{2}\.H47-/.test(p))) {
      expect(page.includes("Họ và tên") || page.includes("Mã hồ sơ")).toBe(true);
    }
  });

  it("writes every export, whatever its format, to the audit trail with its parameters", async () => {
    const before = await queryRows<{ n: number }>(
      server.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.export'`,
    );
    await fetchExport("json");
    await fetchExport("csv");
    const rows = await queryRows<{
      resource_id: string;
      actor_name: string;
      details: Record<string, unknown>;
    }>(
      server.database.db,
      sql`SELECT resource_id, actor_name, details FROM audit_log WHERE action = 'report.export' ORDER BY id DESC LIMIT 2`,
    );
    expect(rows.map((r) => r.details.format)).toEqual(["csv", "json"]);
    expect(rows[0]).toMatchObject({
      resource_id: "repeat-lateness",
      actor_name: "Thanh tra huyện Ninh Sơn",
      details: {
        params: {
          from: "2024-12-31T17:00:00.000Z",
          to: "2025-03-31T17:00:00.000Z",
          asOf: NOW.toISOString(),
          agency: null,
          threshold: null,
          window: null,
        },
        rows: 3,
      },
    });
    const after = await queryRows<{ n: number }>(
      server.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.export'`,
    );
    expect(after[0].n - before[0].n).toBe(2);
  });
});
