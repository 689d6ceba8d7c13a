// The console over plain HTTP: sign-in and its cookie, CSRF on every form, scope as the API's
// (another agency's dossier is a 404 page), Vietnamese pages.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { assertPopplerInstalled, pdfFlatText, pdfInfo, pdfText } from "../helpers/pdf.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";
import { type ConsoleClient, csrfIn, formBody, signIn } from "./session.js";

const OVERDUE = "000.20.20.H47-250124-0001";
const OF_B = "000.21.21.H47-250124-0001";
const BATCH = ["000.20.20.H47-250124-0002", "000.20.20.H47-250124-0003"];
// Finished Sat 8/2 10:00, a day after its due (Fri 7/2 10:00), without a letter; no steps, so no
// official is attributed (the repeat-lateness counts below stay those of the other dossiers).
const FINISHED_LATE = "000.20.20.H47-250124-0004";
// Promised Thu 6/2 10:00, a day before its statutory due (Fri 7/2 10:00): the promise binds, so a day
// off before it moves the statutory due only.
const PROMISED_EARLY = "000.20.20.H47-250124-0005";
// Mon 10/2/2025 09:00: the dossiers promised for Fri 7/2 10:00 are overdue.
const clock = fixedClock(new Date("2025-02-10T09:00:00+07:00"));

let server: SeededServer;
let tokens: Tokens;
let officerA: ConsoleClient;

beforeAll(async () => {
  assertPopplerInstalled();
  const records = [
    canonicalRecord({ code: OVERDUE }),
    ...BATCH.map((code) => canonicalRecord({ code })),
    canonicalRecord({ code: PROMISED_EARLY, promisedDueAt: "2025-02-06T10:00:00+07:00", steps: [] }),
    canonicalRecord({
      code: FINISHED_LATE,
      status: 9,
      finishedAt: "2025-02-08T10:00:00+07:00",
      steps: [],
    }),
    canonicalRecord({ code: OF_B, agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
  ];
  server = await startSeededServer({ clock, procedures: [BUILDING_PERMIT], records });
  ({ tokens } = server);
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
    newDueDay: "13/02/2025",
    newDueTime: "16:30",
    signerName: "Lê Văn Cường",
    signerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
  };
  const apology = `/console/dossiers/${OVERDUE}/apology`;
  const fingerprintIn = (html: string) => /name="confirmed" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? "";
  const letterCount = async () =>
    (
      await queryRows<{ n: number }>(server.database.db, sql`SELECT count(*)::int AS n FROM apology_letters`)
    )[0].n;

  it("previews a draft PDF: the draft mark on every page, no number drawn, nothing issued", async () => {
    const response = await officerA.post(`${apology}/preview`, letter, apology);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const pdf = new Uint8Array(await response.arrayBuffer());
    const pages = pdfText(pdf)
      .split("\f")
      .filter((p) => p.trim());
    for (const page of pages) expect(page).toContain("BẢN XEM TRƯỚC — CHƯA PHÁT HÀNH");
    const text = pdfFlatText(pdf);
    expect(text).toContain("Số: ......./PXL-LS");
    expect(text).not.toMatch(/\d+\/PXL/);
    expect(pdfInfo(pdf).Title).toMatch(/^DỰ THẢO: /);
    expect(await letterCount()).toBe(0);
    expect(await (await officerA.get(`/console/dossiers/${OVERDUE}`)).text()).toContain("Chưa có phiếu.");
  });

  it("shows exactly what will be issued with its warnings, and issues nothing without that confirmation", async () => {
    const confirmation = await officerA.post(`${apology}/confirm`, letter, apology);
    expect(confirmation.status).toBe(200);
    const html = await confirmation.text();
    expect(html).toContain("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ");
    expect(html).toContain("Số: ......./PXL-LS");
    expect(html).toContain("vào lúc 16 giờ 30 phút, ngày 13/02/2025");
    expect(html).toContain("Đã quá thời hạn gửi phiếu xin lỗi");
    expect(fingerprintIn(html)).toMatch(/^[0-9a-f]{64}$/);
    // The issue's own URL without the confirmation's fingerprint shows the confirmation again.
    const unconfirmed = await officerA.post(apology, letter, apology);
    expect(unconfirmed.status).toBe(200);
    expect(await unconfirmed.text()).toContain("Phát hành phiếu");
    expect(await letterCount()).toBe(0);
  });

  it("refuses a stale confirmation: the dossier changed after it was shown (409, nothing issued)", async () => {
    const html = await (await officerA.post(`${apology}/confirm`, letter, apology)).text();
    const confirmed = fingerprintIn(html);
    const renamed = canonicalRecord({
      code: OVERDUE,
      applicant: { ...(canonicalRecord().applicant as object), name: "Nguyễn Văn Bình" },
      sourceUpdatedAt: "2025-02-10T08:00:00+07:00",
    });
    await server.sync([renamed]);
    const stale = await officerA.post(apology, { ...letter, confirmed }, apology);
    expect(stale.status).toBe(409);
    const page = await stale.text();
    expect(page).toContain("đã thay đổi kể từ khi bạn xem trang xác nhận");
    expect(page).toContain("Ông/Bà Nguyễn Văn Bình");
    expect(fingerprintIn(page)).not.toBe(confirmed);
    expect(await letterCount()).toBe(0);
  });

  it("issues the confirmed letter into one clear state: the letter, its PDF, its deliveries", async () => {
    const confirmed = fingerprintIn(
      await (await officerA.post(`${apology}/confirm`, letter, apology)).text(),
    );
    const issued = await officerA.post(apology, { ...letter, confirmed }, apology);
    expect(issued.status).toBe(303);
    const at = issued.headers.get("location") ?? "";
    expect(at).toMatch(/^\/console\/letters\/\d+\?ok=issued$/);
    const page = await (await officerA.get(at)).text();
    expect(page).toContain("Đã phát hành phiếu xin lỗi");
    expect(page).toMatch(/<strong id="letter-number">0?1\/PXL-LS<\/strong>/);
    expect(page).toContain("Tải PDF");
    expect(page).not.toContain('name="confirmed"');
    const id = /letters\/(\d+)/.exec(at)?.[1];
    const delivered = await officerA.post(
      `/console/letters/${id}/deliveries`,
      { channel: "in_person", day: "10/02/2025", time: "09:00", note: "Trao tại Bộ phận Một cửa" },
      at,
    );
    expect(delivered.status).toBe(303);
    const after = await (await officerA.get(`/console/letters/${id}`)).text();
    expect(after).toContain("Trao trực tiếp");
    expect(after).toContain("10/02/2025 09:00");
    const dossier = await (await officerA.get(`/console/dossiers/${OVERDUE}`)).text();
    expect(dossier).toMatch(/Số <strong>0?1\/PXL-LS<\/strong>/);
  });

  it("answers a second issue with the letter that exists, said once (409)", async () => {
    const again = await officerA.post(
      apology,
      { ...letter, confirmed: "0".repeat(64) },
      `/console/dossiers/${OVERDUE}`,
    );
    expect(again.status).toBe(409);
    const page = await again.text();
    expect(page.match(/không thể phát hành phiếu thứ hai/g)).toHaveLength(1);
    expect(page).toMatch(/<strong id="letter-number">0?1\/PXL-LS<\/strong>/);
    expect((await officerA.get(apology)).status).toBe(409);
  });

  it("gives a dossier finished late the apology after the fact: no appointment asked, none written", async () => {
    const path = `/console/dossiers/${FINISHED_LATE}/apology`;
    const form = await (await officerA.get(path)).text();
    expect(form).toContain("Hồ sơ đã có kết quả lúc 08/02/2025 10:00");
    expect(form).not.toContain('name="newDueDay"');
    const { newDueDay: _, newDueTime: __, ...afterTheFact } = letter;
    const confirmation = await (await officerA.post(`${path}/confirm`, afterTheFact, path)).text();
    expect(confirmation).toContain("không đề nghị gia hạn, không hẹn lại ngày trả");
    const issued = await officerA.post(
      path,
      { ...afterTheFact, confirmed: fingerprintIn(confirmation) },
      path,
    );
    expect(issued.status).toBe(303);
    const id = /letters\/(\d+)/.exec(issued.headers.get("location") ?? "")?.[1];
    const pdf = new Uint8Array(await (await officerA.get(`/console/letters/${id}/pdf`)).arrayBuffer());
    const text = pdfFlatText(pdf);
    expect(text).toContain("PHIẾU XIN LỖI Kính gửi");
    expect(text).toContain("kết quả giải quyết hồ sơ có vào lúc 10 giờ 00 phút, ngày 08/02/2025.");
    expect(text).not.toContain("hẹn lại");
    expect(text).not.toContain("gia hạn");
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
    expect(html).toMatch(/<td data-label="Số hồ sơ chậm" class="num">4<\/td>/);
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
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    const sheet = new TextDecoder().decode(bytes.subarray(3));
    expect(sheet.split("\r\n")[0]).toBe(
      "Mã,Cơ quan,Tiếp nhận,Trước hạn,Đúng hạn,Quá hạn,Đang quá hạn,Chưa đến hạn,Đã đóng (từ chối, rút, dừng),Tỷ lệ đúng hạn,Tỷ lệ trễ hạn,Chỉ tiêu trễ hạn tối đa,Vượt chỉ tiêu,Tỷ lệ có phiếu xin lỗi,Trễ hạn có phiếu xin lỗi,Vi phạm,Điểm tiến độ (trên 20)".replace(
        "Đã đóng (từ chối, rút, dừng)",
        '"Đã đóng (từ chối, rút, dừng)"',
      ),
    );
    expect(sheet).toMatch(/\r\n000\.20\.20\.H47,UBND xã Lâm Sơn,\d+,/);
    const lateness = await inspector.get(
      "/console/reports/repeat-lateness/export?from=2025-01-01&to=2025-03-01&format=csv",
    );
    const rows = new TextDecoder().decode(await lateness.arrayBuffer()).split("\r\n");
    expect(rows[0]).toMatch(/^Mã cán bộ,Họ tên,Chức danh,Phòng ban,Cơ quan,/);
    // Local time and the agency's name, where the API's CSV has an ISO instant and a code.
    expect(rows[1]).toContain(",Trần Thị Bình,Chuyên viên,Phòng Kinh tế,UBND xã Lâm Sơn,");
    expect(rows[1]).toContain(",05/02/2025 10:00,");
    const pdf = await inspector.get(
      "/console/reports/repeat-lateness/export?from=2025-01-01&to=2025-03-01&format=pdf",
    );
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = pdfFlatText(new Uint8Array(await pdf.arrayBuffer()));
    // The official's agency by name in its column (before the policy), not by code.
    expect(text).toContain("UBND xã Lâm Sơn tháng / 3");
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

  it("previews an edit with the confirmation on top and the dossier whose statutory due moves, old beside new", async () => {
    const fields = { date: "05/02/2025", kind: "holiday", name: "Nghỉ đột xuất", legalRef: "" };
    const preview = await admin.post("/console/calendar/preview", fields, "/console/calendar");
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html.indexOf("Xác nhận thay đổi")).toBeLessThan(html.indexOf('id="moved-dossiers"'));
    const row = html.slice(html.indexOf(`>${PROMISED_EARLY}<`));
    const cells = row
      .slice(0, row.indexOf("</tr>"))
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ");
    // Tết 25/1–2/2 and the new day off: the statutory due moves a working day; the promise still binds.
    expect(cells).toContain("07/02/2025 10:00 → 10/02/2025 10:00");
    expect(cells).toContain("lệch 8 giờ làm việc");
    expect(cells).toContain("06/02/2025 10:00 (không đổi)");
    expect(await (await admin.get("/console/calendar?year=2025&month=2")).text()).not.toContain(
      "Nghỉ đột xuất",
    );
  });

  it("keeps a refused edit's form as typed and says what to fix", async () => {
    const typed = { date: "12/02/2025", kind: "working", name: "Ngày hội", legalRef: "" };
    const refused = await admin.post("/console/calendar/preview", typed, "/console/calendar");
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("Ngày làm việc bình thường không có tên hay căn cứ");
    expect(html).toContain('value="12/02/2025"');
    expect(html).toContain('value="Ngày hội"');
    expect(html).toMatch(/<option value="working" selected="">/);
    const weekday = await admin.post(
      "/console/calendar/preview",
      { date: "12/02/2025", kind: "weekend", name: "", legalRef: "" },
      "/console/calendar",
    );
    expect(weekday.status).toBe(422);
    expect(await weekday.text()).toContain("“Nghỉ cuối tuần” và “Làm bù” chỉ cho Thứ Bảy, Chủ Nhật");
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
