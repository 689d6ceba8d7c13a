// The console in a real browser (Debian's chromium driven by playwright-core), at 1366×768: an
// officer signs in, finds an overdue dossier, issues its letter and downloads the PDF, and a second
// attempt from a form opened earlier is refused on the page; an inspector justifies a lateness and
// the repeat-lateness report changes; an officer cannot open another agency's dossier. Every page
// visited is kept as a screenshot in test-artifacts/console/.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/http/clock.js";
import { assertPopplerInstalled, pdfFlatText } from "../helpers/pdf.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok, seedProcedures, seedProvince, type Tokens } from "../helpers/seed.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const ARTIFACTS = "test-artifacts/console";
// Mon 10/2/2025 09:00: dossiers promised for Fri 7/2 10:00 are overdue; their step 1 (due 5/2) is late.
const clock = fixedClock(new Date("2025-02-10T09:00:00+07:00"));
const code = (n: number) => `000.20.20.H47-250124-000${n}`;
const OVERDUE = code(1);
const OF_B = "000.21.21.H47-250124-0001";

let server: TestServer;
let tokens: Tokens;
let browser: Browser;

function chromiumPath(): string {
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("chromium is not installed (apt-get install -y chromium; .ci/run installs it)");
  }
}

beforeAll(async () => {
  assertPopplerInstalled();
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startTestServer({ clock });
  tokens = await seedProvince(server);
  await seedProcedures(server, [BUILDING_PERMIT]);
  const applicant = canonicalRecord().applicant as Record<string, unknown>;
  const records = [
    canonicalRecord({ code: OVERDUE, applicant: { ...applicant, name: "Đặng Thị Ánh Tuyết" } }),
    canonicalRecord({ code: code(2) }),
    canonicalRecord({ code: code(3) }),
    canonicalRecord({ code: OF_B, agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name, steps: [] }),
  ];
  await ok(
    await server.request("/api/v1/sync/dossiers", {
      method: "POST",
      token: tokens.system,
      json: { records },
    }),
  );
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newSession(token: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: "vi-VN",
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/console`);
  await page.getByLabel("Mã truy cập cá nhân").fill(token);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL(/\/console\/(dashboard|reports)/);
  return { context, page };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

describe("officer", () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    const anonymous = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await anonymous.goto(`${server.baseUrl}/console`);
    await shot(anonymous, "01-sign-in");
    await anonymous.close();
    ({ context, page } = await newSession(tokens.officerA));
  });
  afterAll(() => context?.close());

  it("sees the overdue dossiers owed a letter on the dashboard", async () => {
    expect(await page.locator("main").innerText()).toContain("Quá hạn chưa có phiếu: 3");
    await shot(page, "02-officer-dashboard");
  });

  it("finds the overdue dossier by applicant, issues its letter and downloads the PDF", async () => {
    await page.getByRole("link", { name: "Hồ sơ", exact: true }).click();
    await page.getByLabel("Mã hồ sơ hoặc người nộp").fill("Ánh Tuyết");
    await page.getByLabel("Trạng thái").selectOption("overdue");
    await page.getByRole("button", { name: "Lọc" }).click();
    await shot(page, "03-dossier-list");
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(1);
    await page.getByRole("link", { name: OVERDUE }).click();
    expect(await page.locator("main").innerText()).toContain("Quá hạn");
    expect(await page.locator(".timeline span").count()).toBeGreaterThan(10);
    await shot(page, "04-dossier");

    // A second tab opens the form now and submits it after the first has issued the letter.
    const stale = await context.newPage();
    await stale.goto(`${server.baseUrl}/console/dossiers/${OVERDUE}/apology`);

    await page.getByRole("link", { name: "Lập phiếu xin lỗi" }).click();
    expect(await page.getByLabel("Ngày hẹn trả kết quả mới").inputValue()).toMatch(
      /^2025-02-\d\dT\d\d:\d\d$/,
    );
    await page.getByLabel("Lý do chậm trễ").fill("Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế");
    await page.getByLabel("Họ tên người ký").fill("Lê Văn Cường");
    await page.getByLabel("Chức vụ người ký (mỗi dòng một cấp)").fill("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH");
    await shot(page, "05-apology-form");
    await page.getByRole("button", { name: "Phát hành phiếu" }).click();
    await page.waitForURL(/\?ok=issued$/);
    expect(await page.getByRole("status").innerText()).toContain("Đã phát hành phiếu xin lỗi");
    await shot(page, "06-letter-issued");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải PDF" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("PXL-1-LS-2025.pdf");
    const pdf = readFileSync((await download.path()) ?? "");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = pdfFlatText(new Uint8Array(pdf));
    expect(text).toContain("Đặng Thị Ánh Tuyết");
    expect(text).toContain(OVERDUE);

    await stale.getByLabel("Lý do chậm trễ").fill("Lần thứ hai");
    await stale.getByLabel("Họ tên người ký").fill("Lê Văn Cường");
    await stale.getByLabel("Chức vụ người ký (mỗi dòng một cấp)").fill("CHỦ TỊCH");
    await stale.getByRole("button", { name: "Phát hành phiếu" }).click();
    await stale.waitForLoadState();
    expect(await stale.getByRole("alert").first().innerText()).toContain("không thể phát hành phiếu thứ hai");
    await shot(stale, "07-second-letter-refused");
    await stale.close();
  });

  it("cannot open another agency's dossier", async () => {
    const response = await page.goto(`${server.baseUrl}/console/dossiers/${OF_B}`);
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").innerText()).toBe("Không tìm thấy");
    expect(await page.locator("main").innerText()).not.toContain("Phước Bình");
    await shot(page, "08-other-agency-404");
  });
});

describe("inspector", () => {
  let context: BrowserContext;
  let page: Page;
  const report = () =>
    page.goto(`${server.baseUrl}/console/reports/repeat-lateness?from=2025-01-01&to=2025-03-01&threshold=3`);
  beforeAll(async () => {
    ({ context, page } = await newSession(tokens.inspectorAll));
  });
  afterAll(() => context?.close());

  it("justifies a lateness and sees the repeat-lateness report change", async () => {
    await report();
    const officials = page.locator("#officials tbody tr");
    expect(await officials.count()).toBe(1);
    expect(await officials.first().innerText()).toContain("Trần Thị Bình");
    await page.getByText("Các hồ sơ (3)").click();
    await shot(page, "09-repeat-lateness");
    await page.getByRole("link", { name: code(2) }).click();
    await page.getByLabel("Lý do").fill("Chờ ý kiến của Sở Xây dựng theo văn bản số 12/SXD");
    await page.getByRole("button", { name: "Chấp nhận lý do chính đáng" }).click();
    await page.waitForURL(/\?ok=justified$/);
    expect(await page.locator("main").innerText()).toContain("Được chấp nhận: Chờ ý kiến của Sở Xây dựng");
    await shot(page, "10-justified");
    await report();
    expect(await page.locator("#officials").count()).toBe(0);
    expect(await page.locator("#no-officials").innerText()).toContain("Không có cán bộ nào đến ngưỡng");
    await shot(page, "11-repeat-lateness-after");
  });

  it("sees the compliance report with its charts, the violations and the sweeps", async () => {
    await page.goto(`${server.baseUrl}/console/reports/compliance?from=2025-01-01&to=2025-03-01`);
    expect(await page.locator("svg[role=img]").count()).toBe(2);
    await shot(page, "12-compliance");
    for (const [path, name] of [
      ["/console/violations", "13-violations"],
      ["/console/sweeps", "14-sweeps"],
    ]) {
      const response = await page.goto(server.baseUrl + path);
      expect(response?.status()).toBe(200);
      await shot(page, name);
    }
  });
});

describe("admin", () => {
  it("opens the calendar, agencies, procedures and users", async () => {
    const { context, page } = await newSession(tokens.admin);
    for (const [path, name, text] of [
      ["/console/calendar?year=2025&month=1", "15-calendar", "Tết Nguyên đán"],
      ["/console/calendar?year=2031&month=4", "16-calendar-provisional", "lịch tạm tính"],
      ["/console/agencies", "17-agencies", "UBND xã Lâm Sơn"],
      ["/console/procedures", "18-procedures", "Cấp giấy phép xây dựng"],
      ["/console/users", "19-users", "Nguyễn Thị Một Cửa"],
    ]) {
      const response = await page.goto(server.baseUrl + path);
      expect(response?.status()).toBe(200);
      expect(await page.locator("main").innerText()).toContain(text);
      await shot(page, name);
    }
    await context.close();
  });
});
