// The console over plain HTTP: sign-in and its cookie, CSRF on every form, scope as the API's
// (another agency's dossier is a 404 page), Vietnamese pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/http/clock.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok, seedProcedures, seedProvince, type Tokens } from "../helpers/seed.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { type ConsoleClient, csrfIn, formBody, signIn } from "./session.js";

const OVERDUE = "000.20.20.H47-250124-0001";
const OF_B = "000.21.21.H47-250124-0001";
const BATCH = ["000.20.20.H47-250124-0002", "000.20.20.H47-250124-0003"];
// Mon 10/2/2025 09:00: the dossiers promised for Fri 7/2 10:00 are overdue.
const clock = fixedClock(new Date("2025-02-10T09:00:00+07:00"));

let server: TestServer;
let tokens: Tokens;
let officerA: ConsoleClient;

beforeAll(async () => {
  server = await startTestServer({ clock });
  tokens = await seedProvince(server);
  await seedProcedures(server, [BUILDING_PERMIT]);
  const records = [
    canonicalRecord({ code: OVERDUE }),
    ...BATCH.map((code) => canonicalRecord({ code })),
    canonicalRecord({ code: OF_B, agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
  ];
  await ok(
    await server.request("/api/v1/sync/dossiers", {
      method: "POST",
      token: tokens.system,
      json: { records },
    }),
  );
  officerA = await signIn(server, tokens.officerA);
}, 120_000);
afterAll(() => server?.close());

describe("sign-in", () => {
  it("sets an HttpOnly, SameSite=Strict session cookie that is not the token", () => {
    expect(officerA.setCookie).toMatch(/osm_session=[^;]+;/);
    expect(officerA.setCookie).toMatch(/HttpOnly/i);
    expect(officerA.setCookie).toMatch(/SameSite=Strict/i);
    expect(officerA.setCookie).toMatch(/Path=\/console/);
    expect(officerA.setCookie).not.toContain(tokens.officerA);
  });

  it("refuses a wrong token on the page, and sends pages without a session to sign in", async () => {
    const form = await fetch(`${server.baseUrl}/console/login`);
    const cookie = /osm_login=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")?.[1];
    const refused = await fetch(`${server.baseUrl}/console/login`, {
      method: "POST",
      headers: { cookie: `osm_login=${cookie}` },
      body: formBody({ _csrf: csrfIn(await form.text()), token: "osm_wrong" }),
      redirect: "manual",
    });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain("Mã truy cập không đúng hoặc đã bị thu hồi.");
    const anonymous = await fetch(`${server.baseUrl}/console/dashboard`, { redirect: "manual" });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/console/login?next=%2Fconsole%2Fdashboard");
  });

  it("refuses a sign-in form posted without its double-submit cookie (login CSRF)", async () => {
    const form = await fetch(`${server.baseUrl}/console/login`);
    const response = await fetch(`${server.baseUrl}/console/login`, {
      method: "POST",
      body: formBody({ _csrf: csrfIn(await form.text()), token: tokens.officerA }),
      redirect: "manual",
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie") ?? "").not.toContain("osm_session");
  });

  it("signs out: the session's cookie opens nothing afterwards", async () => {
    const client = await signIn(server, tokens.officerA);
    const out = await client.post("/console/logout", {});
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/console/login");
    expect((await client.get("/console/dashboard")).status).toBe(303);
  });

  it("redirects / to the console", async () => {
    const response = await fetch(`${server.baseUrl}/`, { redirect: "manual" });
    expect(response.headers.get("location")).toBe("/console");
  });
});

describe("CSRF", () => {
  it("refuses a form without the session's token, and one with another session's token", async () => {
    const other = await signIn(server, tokens.officerB);
    for (const token of [undefined, await other.csrf()]) {
      const response = await fetch(`${server.baseUrl}/console/logout`, {
        method: "POST",
        headers: { cookie: officerA.cookie },
        body: formBody(token ? { _csrf: token } : {}),
        redirect: "manual",
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("mã chống giả mạo không khớp");
    }
    // The session still works: nothing was signed out.
    expect((await officerA.get("/console/dashboard")).status).toBe(200);
  });
});

describe("scope and language", () => {
  it("shows an officer their own dossier, in Vietnamese, and another agency's as a 404 page", async () => {
    const own = await officerA.get(`/console/dossiers/${OVERDUE}`);
    expect(own.status).toBe(200);
    const html = await own.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain("Quá hạn");
    expect(html).toContain("Nghỉ lễ, Tết: Tết Nguyên đán");
    const other = await officerA.get(`/console/dossiers/${OF_B}`);
    expect(other.status).toBe(404);
    const page = await other.text();
    expect(page).toContain("Không tìm thấy");
    expect(page).not.toContain(OF_B.replace(/\./g, ""));
    expect(page).not.toContain("Phước Bình");
  });

  it("lists only the officer's agency, searchable by code or applicant", async () => {
    const list = await (await officerA.get("/console/dossiers?q=Nguy%E1%BB%85n")).text();
    expect(list).toContain(OVERDUE);
    expect(list).not.toContain(OF_B);
  });

  it("keeps pages out of caches", async () => {
    const response = await officerA.get("/console/dashboard");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toMatch(/text\/html; charset=UTF-8/i);
  });
});

describe("apology letters", () => {
  const letter = {
    reason: "Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế",
    newDueAt: "2025-02-13T16:30",
    signerName: "Lê Văn Cường",
    signerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
  };
  const apology = `/console/dossiers/${OVERDUE}/apology`;

  it("previews the PDF without issuing anything", async () => {
    const response = await officerA.post(`${apology}/preview`, letter, apology);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    const page = await (await officerA.get(`/console/dossiers/${OVERDUE}`)).text();
    expect(page).toContain("Chưa có phiếu.");
  });

  it("issues once, then refuses a second letter in the page", async () => {
    const issued = await officerA.post(apology, letter, apology);
    expect(issued.status).toBe(303);
    expect(issued.headers.get("location")).toBe(`/console/dossiers/${OVERDUE}?ok=issued`);
    const page = await (await officerA.get(`/console/dossiers/${OVERDUE}?ok=issued`)).text();
    expect(page).toContain("Đã phát hành phiếu xin lỗi");
    expect(page).toMatch(/Số <strong>0?1\/PXL-LS<\/strong>/);
    const again = await officerA.post(apology, letter, `/console/dossiers/${OVERDUE}`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("không thể phát hành phiếu thứ hai");
  });

  it("refuses an inspector the apology form (officers and admins issue)", async () => {
    const inspector = await signIn(server, tokens.inspectorAll);
    expect((await inspector.get(apology)).status).toBe(403);
  });

  it("issues a batch with the suggested appointments and offers one PDF to print", async () => {
    const form = await officerA.get(`/console/letters/batch?code=${BATCH[0]}&code=${BATCH[1]}`);
    expect(await form.text()).toContain("Phát hành 2 phiếu");
    const response = await officerA.post(
      "/console/letters/batch",
      { code: BATCH, reason: letter.reason, signerName: letter.signerName, signerTitle: letter.signerTitle },
      "/console/letters/batch?code=x",
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Đã phát hành 2 phiếu, 0 hồ sơ bị từ chối.");
    const combined = /href="(\/console\/letters\/combined\?ids=[\d,]+)"/.exec(html)?.[1];
    expect(combined).toBeDefined();
    const pdf = await officerA.get(combined ?? "");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
  });
});

describe("inspector pages", () => {
  let inspector: ConsoleClient;
  beforeAll(async () => {
    inspector = await signIn(server, tokens.inspectorAll);
  });

  it("reports the official late on four dossiers in February (three of A, one of B), with the dossiers to drill into", async () => {
    const html = await (
      await inspector.get("/console/reports/repeat-lateness?from=2025-01-01&to=2025-03-01")
    ).text();
    expect(html).toContain("Trần Thị Bình");
    expect(html).toContain(`href="/console/dossiers/${OVERDUE}"`);
    expect(html).toMatch(/<td class="num">4<\/td>/);
  });

  it("draws the compliance charts as SVG and exports the report as CSV (with BOM) and PDF", async () => {
    const html = await (
      await inspector.get("/console/reports/compliance?from=2025-01-01&to=2025-03-01")
    ).text();
    expect(html).toContain("Tỷ lệ giải quyết đúng hạn theo tháng");
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).toContain("02/2025");
    const csv = await inspector.get(
      "/console/reports/compliance/export?from=2025-01-01&to=2025-03-01&format=csv",
    );
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(new Uint8Array(await csv.arrayBuffer()).subarray(0, 3)).toEqual(
      new Uint8Array([0xef, 0xbb, 0xbf]),
    );
    const pdf = await inspector.get(
      "/console/reports/repeat-lateness/export?from=2025-01-01&to=2025-03-01&format=pdf",
    );
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
  });

  it("keeps reports from officers and the province's sweeps from a district inspector", async () => {
    expect((await officerA.get("/console/reports/compliance")).status).toBe(403);
    expect((await inspector.get("/console/sweeps")).status).toBe(200);
    const district = await signIn(server, tokens.inspectorA);
    expect((await district.get("/console/sweeps")).status).toBe(403);
    expect((await district.get("/console/violations")).status).toBe(200);
  });
});

describe("admin pages", () => {
  let admin: ConsoleClient;
  beforeAll(async () => {
    admin = await signIn(server, tokens.admin);
  });

  it("draws the month with its days off and marks a provisional year", async () => {
    const tet = await (await admin.get("/console/calendar?year=2025&month=1")).text();
    expect(tet).toContain("Tết Nguyên đán");
    expect(tet).not.toContain('id="provisional"');
    const later = await (await admin.get("/console/calendar?year=2030&month=2")).text();
    expect(later).toContain('id="provisional"');
  });

  it("previews a day's change without applying it, then applies it on confirmation", async () => {
    const fields = { date: "2025-02-12", kind: "holiday", name: "Nghỉ đột xuất", legalRef: "" };
    const preview = await admin.post(
      "/console/calendar/preview",
      fields,
      "/console/calendar?year=2025&month=2",
    );
    const html = await preview.text();
    expect(preview.status).toBe(200);
    expect(html).toContain("Xác nhận thay đổi");
    const before = await (await admin.get("/console/calendar?year=2025&month=2")).text();
    expect(before).not.toContain("Nghỉ đột xuất");
    const applied = await admin.post(
      "/console/calendar/apply",
      fields,
      "/console/calendar?year=2025&month=2",
    );
    expect(applied.status).toBe(303);
    const after = await (await admin.get("/console/calendar?year=2025&month=2")).text();
    expect(after).toContain("Nghỉ đột xuất");
    await admin.post("/console/calendar/apply", { date: "2025-02-12", kind: "working" }, "/console/calendar");
  });

  it("lists agencies, procedures and users, and creates a user whose token signs in", async () => {
    expect(await (await admin.get("/console/agencies")).text()).toContain("UBND xã Lâm Sơn");
    expect(await (await admin.get("/console/procedures")).text()).toContain("Cấp giấy phép xây dựng");
    const created = await admin.post(
      "/console/users",
      { name: "Phạm Thị Hòa", role: "officer", scope: AGENCIES.A.code },
      "/console/users",
    );
    const token = /<code id="new-token">([^<]+)<\/code>/.exec(await created.text())?.[1];
    expect(token).toMatch(/^osm_/);
    const hoa = await signIn(server, token ?? "");
    expect(await (await hoa.get("/console/dashboard")).text()).toContain("Phạm Thị Hòa");
    expect((await officerA.get("/console/users")).status).toBe(403);
  });
});
