/// <reference lib="dom" />
// The console in a real browser (Debian's chromium driven by playwright-core) on the demo province
// as `npm run demo` leaves it (two tiers, showcase dossiers, a sweep), at a fixed clock. Every page
// of each role is walked at 1366×768 and at 390×844: no horizontal overflow (the document's scroll
// width), no console error (CSP violations included), no serious or critical axe-core violation,
// and a screenshot in test-artifacts/console/. Then the flows: an officer issues through the
// confirmation and downloads the letter, a tab confirmed earlier is refused, a dossier finished
// late gets the apology after the fact, an inspector justifies, an admin previews a calendar edit
// and a refused one keeps its form; /docs loads with every request off this machine blocked.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFirstLook } from "../../src/demo/first-look.js";
import type { DemoSummary } from "../../src/demo/load.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { createLogger } from "../../src/runtime/logger.js";
import { assertPopplerInstalled, pdfFlatText } from "../helpers/pdf.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const ARTIFACTS = "test-artifacts/console";
// Tuesday 17/3/2026 09:30: the showcase dossiers are overdue, due soon, paused, finished late as of now.
const NOW = new Date("2026-03-17T09:30:00+07:00");
const VIEWPORTS = [
  { name: "desktop", width: 1366, height: 768 },
  { name: "phone", width: 390, height: 844 },
] as const;
type Viewport = (typeof VIEWPORTS)[number];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WALK_TIMEOUT = 600_000;

let server: TestServer;
let demo: DemoSummary;
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
  server = await startTestServer({ clock: fixedClock(NOW) });
  ({ summary: demo } = await loadFirstLook(server.database, {
    dossiers: 400,
    seed: 3,
    now: NOW,
    logger: createLogger("silent"),
  }));
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
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Tab {
  page: Page;
  /** Console errors and uncaught exceptions since the last check. */
  errors: string[];
}

async function openTab(context: BrowserContext): Promise<Tab> {
  const page = await context.newPage();
  const tab: Tab = { page, errors: [] };
  page.on("console", (message) => {
    if (message.type() === "error") tab.errors.push(message.text());
  });
  page.on("pageerror", (error) => tab.errors.push(String(error)));
  return tab;
}

async function signedIn(token: string, viewport: Viewport): Promise<{ context: BrowserContext; tab: Tab }> {
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    locale: "vi-VN",
    acceptDownloads: true,
  });
  const tab = await openTab(context);
  await tab.page.goto(`${server.baseUrl}/console`);
  await tab.page.getByLabel("Mã truy cập cá nhân").fill(token);
  await tab.page.getByRole("button", { name: "Đăng nhập" }).click();
  await tab.page.waitForURL(/\/console\/(dashboard|reports)/);
  return { context, tab };
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/** Serious and critical axe-core violations of the page as it stands (axe evaluated outside its CSP). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    () =>
      (
        window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResult> } }
      ).axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      }) as Promise<AxeResult>,
  );
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`,
    );
}

/**
 * The checks every page of the walk passes, then its screenshot. `expectedStatus` pages (a refusal
 * on purpose) may have the browser's one "failed to load resource" line for their own status.
 */
async function check(tab: Tab, name: string, viewport: Viewport, expectedStatus?: number): Promise<void> {
  const { page } = tab;
  await page.waitForLoadState("load");
  const overflow = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(
    overflow.scroll,
    `${name} at ${viewport.width} px is ${overflow.scroll} px wide`,
  ).toBeLessThanOrEqual(overflow.width);
  const errors = tab.errors.filter(
    (e) => !(expectedStatus && e.includes(`the server responded with a status of ${expectedStatus}`)),
  );
  expect(errors, `console errors on ${name}`).toEqual([]);
  tab.errors.length = 0;
  expect(await accessibilityProblems(page), `accessibility of ${name} at ${viewport.width} px`).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/${viewport.name}-${name}.png`, fullPage: true });
}

async function visit(tab: Tab, path: string, name: string, viewport: Viewport): Promise<void> {
  const response = await tab.page.goto(server.baseUrl + path);
  expect(response?.status(), `${path}`).toBe(200);
  await check(tab, name, viewport);
}

/** The first dossier link of a table on the page. */
async function firstDossierIn(page: Page, selector: string): Promise<string> {
  const href = await page.locator(`${selector} a[href^="/console/dossiers/"]`).first().getAttribute("href");
  if (!href) throw new Error(`no dossier in ${selector}`);
  return href;
}

async function fillApology(page: Page): Promise<void> {
  await page.getByLabel("Lý do chậm trễ").fill("Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế");
  await page.getByLabel("Họ tên người ký").fill("Lê Văn Cường");
  await page.getByLabel("Chức vụ người ký (mỗi dòng một cấp)").fill("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH");
}

describe("the walk: every page of each role at 1366×768 and 390×844", () => {
  for (const viewport of VIEWPORTS) {
    it(
      `anonymous at ${viewport.width} px: the sign-in page`,
      async () => {
        const context = await browser.newContext({
          viewport: { width: viewport.width, height: viewport.height },
        });
        const tab = await openTab(context);
        await visit(tab, "/console/login", "00-sign-in", viewport);
        await context.close();
      },
      WALK_TIMEOUT,
    );

    it(
      `officer at ${viewport.width} px: dashboard, list, dossier, apology form and confirmation, batch, violations`,
      async () => {
        const { context, tab } = await signedIn(demo.officers[0].token, viewport);
        const { page } = tab;
        await check(tab, "10-officer-dashboard", viewport);
        expect(await page.locator("#owed").innerText()).toMatch(/Quá hạn, chưa có phiếu: [1-9]/);
        const overdue = await firstDossierIn(page, "#owed-overdue + section");
        const late = await firstDossierIn(page, "#owed-late + section");
        const dueSoon = await firstDossierIn(page, "#owed-due-soon + section");
        await visit(tab, "/console/dossiers", "11-officer-dossiers", viewport);
        await visit(tab, overdue, "12-officer-dossier", viewport);
        expect(await page.locator(".timeline span").count()).toBeGreaterThan(3);
        expect(await page.locator("#due-marker").innerText()).toMatch(/^Hạn: \d\d\/\d\d\/2026 \d\d:\d\d$/);
        expect(await page.locator(".axis .tick").count()).toBe(5);
        await visit(tab, `${overdue}/apology`, "13-officer-apology-form", viewport);
        await fillApology(page);
        await page.getByRole("button", { name: "Tiếp tục: kiểm tra trước khi phát hành" }).click();
        await check(tab, "14-officer-apology-confirmation", viewport);
        expect(await page.locator(".paper").innerText()).toContain("Số: ......./PXL-");
        await visit(tab, `${dueSoon}/apology`, "15-officer-apology-form-due-soon", viewport);
        await visit(tab, `${late}/apology`, "16-officer-apology-form-after-the-fact", viewport);
        expect(await page.locator("#newDueDay").count()).toBe(0);
        await visit(
          tab,
          `/console/letters/batch?code=${overdue.split("/").pop()}`,
          "17-officer-batch",
          viewport,
        );
        await visit(tab, "/console/violations", "18-officer-violations", viewport);
        await context.close();
      },
      WALK_TIMEOUT,
    );

    it(
      `inspector at ${viewport.width} px: dashboard, dossiers, repeat lateness with its drill-down, compliance, violations, sweeps`,
      async () => {
        const { context, tab } = await signedIn(demo.tokens.inspector, viewport);
        const { page } = tab;
        await check(tab, "20-inspector-home", viewport);
        await visit(tab, "/console/dashboard", "21-inspector-dashboard", viewport);
        await visit(tab, "/console/dossiers?state=overdue", "22-inspector-dossiers", viewport);
        await visit(
          tab,
          "/console/reports/repeat-lateness?from=2025-03-01&to=2026-04-01&threshold=2",
          "23-inspector-repeat",
          viewport,
        );
        const drills = page.locator("tr.drill details");
        expect(await drills.count()).toBeGreaterThan(0);
        await drills.first().locator("summary").click();
        await check(tab, "24-inspector-repeat-drill-down", viewport);
        await visit(
          tab,
          "/console/reports/compliance?from=2025-04-01&to=2026-04-01",
          "25-inspector-compliance",
          viewport,
        );
        await visit(tab, "/console/violations", "26-inspector-violations", viewport);
        await visit(tab, "/console/sweeps", "27-inspector-sweeps", viewport);
        expect(await page.locator("#sweeps tbody tr").count()).toBeGreaterThan(0);
        await context.close();
      },
      WALK_TIMEOUT,
    );

    it(
      `admin at ${viewport.width} px: dashboard, calendar and its preview, agencies, procedures, users, reports`,
      async () => {
        const { context, tab } = await signedIn(demo.tokens.admin, viewport);
        const { page } = tab;
        await check(tab, "30-admin-dashboard", viewport);
        await visit(tab, "/console/calendar?year=2026&month=2", "31-admin-calendar", viewport);
        await page.getByLabel("Ngày (ngày/tháng/năm)").fill("18/03/2026");
        await page.getByLabel("Loại ngày").selectOption("holiday");
        await page.getByLabel("Tên (ví dụ: Tết Nguyên đán)").fill("Nghỉ đột xuất");
        await page.getByRole("button", { name: "Xem trước ảnh hưởng" }).click();
        await check(tab, "32-admin-calendar-preview", viewport);
        expect(await page.locator("#moved-dossiers tbody tr").count()).toBeGreaterThan(0);
        await visit(tab, "/console/calendar?year=2031&month=4", "33-admin-calendar-provisional", viewport);
        await visit(tab, "/console/agencies", "34-admin-agencies", viewport);
        await visit(tab, "/console/procedures", "35-admin-procedures", viewport);
        await visit(tab, "/console/users", "36-admin-users", viewport);
        await visit(tab, "/console/dossiers", "37-admin-dossiers", viewport);
        await visit(tab, "/console/reports/repeat-lateness", "38-admin-repeat", viewport);
        await visit(tab, "/console/reports/compliance", "39-admin-compliance", viewport);
        await visit(tab, "/console/sweeps", "40-admin-sweeps", viewport);
        await context.close();
      },
      WALK_TIMEOUT,
    );
  }
});

describe("flows", () => {
  const desktop = VIEWPORTS[0];
  const phone = VIEWPORTS[1];

  it(
    "an officer confirms and issues, downloads the letter, records a delivery; a tab confirmed earlier is refused once",
    async () => {
      const { context, tab } = await signedIn(demo.officers[0].token, desktop);
      const { page } = tab;
      const dossier = await firstDossierIn(page, "#owed-overdue + section");
      const code = dossier.split("/").pop() ?? "";
      const confirmAt = async (t: Tab) => {
        await t.page.goto(`${server.baseUrl}${dossier}/apology`);
        await fillApology(t.page);
        await t.page.getByRole("button", { name: "Tiếp tục: kiểm tra trước khi phát hành" }).click();
        await t.page.waitForLoadState("load");
      };
      const stale = await openTab(context);
      await confirmAt(stale);
      await confirmAt(tab);
      expect(await page.locator(".warnings").innerText()).toContain("Đã quá thời hạn gửi phiếu xin lỗi");
      await page.getByRole("button", { name: "Phát hành phiếu" }).click();
      await page.waitForURL(/\/console\/letters\/\d+\?ok=issued$/);
      await check(tab, "50-letter-issued", desktop);
      expect(await page.getByRole("status").innerText()).toContain("Đã phát hành phiếu xin lỗi");
      const number = await page.locator("#letter-number").innerText();
      expect(number).toMatch(/^0?1\/PXL-UBND-/);
      expect(await page.locator("form[action$='/apology']").count()).toBe(0);

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Tải PDF" }).click(),
      ]);
      const pdf = readFileSync((await download.path()) ?? "");
      const text = pdfFlatText(new Uint8Array(pdf));
      expect(text).toContain(`Số: ${number}`);
      expect(text).toContain(code);
      expect(text).not.toContain("DỰ THẢO");

      await page.getByLabel("Hình thức gửi").selectOption("post");
      await page.getByRole("button", { name: "Ghi nhận đã gửi" }).click();
      await page.waitForURL(/\?ok=delivered$/);
      expect(await page.locator("main").innerText()).toContain("Bưu chính");

      await stale.page.getByRole("button", { name: "Phát hành phiếu" }).click();
      await stale.page.waitForLoadState("load");
      const alerts = stale.page.getByRole("alert");
      expect(await alerts.count()).toBe(1);
      expect(await alerts.innerText()).toContain("không thể phát hành phiếu thứ hai");
      expect(await stale.page.locator("#letter-number").innerText()).toBe(number);
      await check(stale, "51-second-letter-refused", desktop, 409);
      await context.close();
    },
    WALK_TIMEOUT,
  );

  it(
    "an officer gives a dossier finished late the apology after the fact, on a phone",
    async () => {
      const { context, tab } = await signedIn(demo.officers[0].token, phone);
      const { page } = tab;
      const dossier = await firstDossierIn(page, "#owed-late + section");
      await page.goto(`${server.baseUrl}${dossier}/apology`);
      await fillApology(page);
      await page.getByRole("button", { name: "Tiếp tục: kiểm tra trước khi phát hành" }).click();
      await page.waitForLoadState("load");
      expect(await page.locator("main").innerText()).toContain(
        "không đề nghị gia hạn, không hẹn lại ngày trả",
      );
      await page.getByRole("button", { name: "Phát hành phiếu" }).click();
      await page.waitForURL(/\/console\/letters\/\d+\?ok=issued$/);
      await check(tab, "52-letter-after-the-fact", phone);
      expect(await page.locator("main").innerText()).toContain(
        "Phiếu xin lỗi sau khi trả kết quả (không hẹn lại)",
      );
      await context.close();
    },
    WALK_TIMEOUT,
  );

  it(
    "an inspector accepts a justification from the repeat-lateness drill-down",
    async () => {
      const { context, tab } = await signedIn(demo.tokens.inspector, desktop);
      const { page } = tab;
      await page.goto(
        `${server.baseUrl}/console/reports/repeat-lateness?from=2025-03-01&to=2026-04-01&threshold=2`,
      );
      await page.locator("tr.drill summary").first().click();
      await page.locator("tr.drill table a").first().click();
      await page.getByLabel("Lý do").first().fill("Chờ ý kiến của Sở Xây dựng theo văn bản số 12/SXD");
      await page.getByRole("button", { name: "Chấp nhận lý do chính đáng" }).first().click();
      await page.waitForURL(/\?ok=justified$/);
      expect(await page.locator("main").innerText()).toContain("Được chấp nhận: Chờ ý kiến của Sở Xây dựng");
      await check(tab, "53-justified", desktop);
      await context.close();
    },
    WALK_TIMEOUT,
  );

  it(
    "an admin's refused calendar edit keeps the form as typed and says what to fix",
    async () => {
      const { context, tab } = await signedIn(demo.tokens.admin, phone);
      const { page } = tab;
      await page.goto(`${server.baseUrl}/console/calendar?year=2026&month=3`);
      await page.getByLabel("Ngày (ngày/tháng/năm)").fill("18/03/2026");
      await page.getByLabel("Loại ngày").selectOption("working");
      await page.getByLabel("Tên (ví dụ: Tết Nguyên đán)").fill("Ngày hội");
      await page.getByRole("button", { name: "Xem trước ảnh hưởng" }).click();
      await page.waitForLoadState("load");
      expect(await page.getByRole("alert").innerText()).toContain(
        "Ngày làm việc bình thường không có tên hay căn cứ",
      );
      expect(await page.getByLabel("Tên (ví dụ: Tết Nguyên đán)").inputValue()).toBe("Ngày hội");
      expect(await page.getByLabel("Ngày (ngày/tháng/năm)").inputValue()).toBe("18/03/2026");
      await check(tab, "54-calendar-edit-refused", phone, 400);
      await context.close();
    },
    WALK_TIMEOUT,
  );

  it(
    "/docs renders the API reference with every request off this machine blocked",
    async () => {
      const context = await browser.newContext({
        viewport: { width: desktop.width, height: desktop.height },
      });
      const outside: string[] = [];
      await context.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === "127.0.0.1" || url.protocol === "data:") return route.continue();
        outside.push(url.href);
        return route.abort("internetdisconnected");
      });
      const tab = await openTab(context);
      await tab.page.goto(`${server.baseUrl}/docs`);
      await tab.page.locator(".swagger-ui .info .title").waitFor({ timeout: 30_000 });
      expect(await tab.page.locator(".swagger-ui .info .title").innerText()).toContain(
        "One-stop compliance monitor",
      );
      expect(await tab.page.locator(".opblock").count()).toBeGreaterThan(20);
      expect(outside).toEqual([]);
      expect(tab.errors).toEqual([]);
      await tab.page.screenshot({ path: `${ARTIFACTS}/desktop-60-docs-offline.png` });
      await context.close();
    },
    WALK_TIMEOUT,
  );
});
