// `npm run bench -- letters`: apology letters per second, rendered by renderApologyLetter (pdfkit,
// fonts loaded once), then rendered and signed as issuing does (PAdES-B-B with an RSA 2048 key of a
// throw-away CA, QR code, PDF/A metadata: letterFile) and, for comparison, the same letter as HTML
// printed by a warm headless Chromium (one browser, one page, setContent + pdf in a loop).
// LETTERS_BENCH_QUICK=1 runs a few letters of each, to check that it works (figures meaningless).
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { chromium } from "playwright-core";
import {
  type ApologyLetterInput,
  type LetterContent,
  letterContent,
  renderApologyLetter,
} from "../src/letters/render.js";
import { renderInCallerThread } from "../src/letters/renderer.js";
import { letterFile } from "../src/letters/signed-letter.js";
import { identityFromPkcs12, type SigningIdentity } from "../src/letters/signing/identity.js";
import { type LetterFonts, loadLetterFonts } from "../src/pdf/fonts.js";
import { createTestCa } from "../test/letters/helpers/test-ca.js";

const QUICK = process.env.LETTERS_BENCH_QUICK === "1";
const PDFKIT_ROUNDS = QUICK ? 1 : 5;
const PDFKIT_LETTERS_PER_ROUND = QUICK ? 20 : 300;
const CHROMIUM_LETTERS = QUICK ? 5 : 60;

const APPLICANTS = [
  "Nguyễn Văn An",
  "Trần Thị Bích Ngọc",
  "Lê Hoàng Phúc",
  "Phạm Thị Thu Hương",
  "Đặng Quốc Việt",
];
const REASONS = [
  "Hồ sơ cần lấy ý kiến thẩm định của Phòng Tài nguyên và Môi trường về quy hoạch sử dụng đất",
  "Cơ quan phối hợp chưa có văn bản trả lời theo thời hạn quy định",
  "Cần xác minh thực địa ranh giới thửa đất trước khi cấp giấy chứng nhận",
];

/** Varied letters (names, codes, reasons, both forms), so no cache sees one letter over and over. */
function sampleLetter(i: number): ApologyLetterInput {
  const day = 1 + (i % 28);
  const month = i % 2 === 0 ? "02" : "08"; // both forms: 2018 until 30/6/2025, 2025 after
  return {
    number: 1 + i,
    agency: {
      name: "Ủy ban nhân dân xã Ninh Sơn",
      shortCode: "NS",
      parentName: "UBND tỉnh Khánh Hòa",
      place: "Ninh Sơn",
    },
    issuedAt: new Date(`2025-${month}-${String(day).padStart(2, "0")}T09:00:00+07:00`),
    dossier: {
      code: `000.00.20.H47-2501${String(day).padStart(2, "0")}-${String(i).padStart(4, "0")}`,
      receivedAt: new Date("2025-01-24T10:00:00+07:00"),
      procedureName:
        "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
      applicantName: APPLICANTS[i % APPLICANTS.length],
      promisedDueAt: new Date("2025-02-07T10:00:00+07:00"),
    },
    reason: REASONS[i % REASONS.length],
    newDueAt: new Date("2025-09-12T16:00:00+07:00"),
    signerName: "Lê Văn Cường",
    signerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    statusUrl: `https://motcua.khanhhoa.gov.vn/tra-cuu/${String(i).padStart(22, "A")}`,
  };
}

interface Rate {
  wall: number;
  cpu: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Letters per second over `count` calls, by wall clock and by this process's CPU time. */
async function measure(count: number, render: (i: number) => Promise<unknown> | unknown): Promise<Rate> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    await render(i);
    // Let stream clean-up scheduled by pdfkit run, as it would between requests in a server.
    if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall: count / seconds, cpu: count / ((cpu.user + cpu.system) / 1e6) };
}

/** Median rates over rounds of `render`, after a warm-up; and the size of the last file. */
async function roundsOf(
  render: (i: number) => Promise<Uint8Array> | Uint8Array,
): Promise<{ rate: Rate; bytes: number }> {
  let bytes = 0;
  await measure(QUICK ? 5 : 100, render); // JIT warm-up
  const rounds: Rate[] = [];
  for (let r = 0; r < PDFKIT_ROUNDS; r++) {
    rounds.push(
      await measure(PDFKIT_LETTERS_PER_ROUND, async (i) => {
        bytes = (await render(r * PDFKIT_LETTERS_PER_ROUND + i)).length;
      }),
    );
  }
  return { rate: { wall: median(rounds.map((x) => x.wall)), cpu: median(rounds.map((x) => x.cpu)) }, bytes };
}

const pdfkitRate = (fonts: LetterFonts) => roundsOf((i) => renderApologyLetter(fonts, sampleLetter(i)));

/** Rendered and signed as issuing does: the signer block's stamp, the QR, PAdES-B-B with RSA 2048. */
const signedRate = (fonts: LetterFonts, identity: SigningIdentity) =>
  roundsOf(async (i) => (await letterFile(renderInCallerThread(fonts), sampleLetter(i), identity)).pdf);

async function benchIdentity(): Promise<SigningIdentity> {
  const ca = createTestCa("CA benchmark");
  const p12 = ca.issue({ commonName: "Lê Văn Cường", organization: "Ủy ban nhân dân xã Ninh Sơn" }, "bench", {
    bits: 2048,
  });
  return identityFromPkcs12(p12, "bench", "bench.p12");
}

const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The same letter as HTML/CSS, with the same typeface and the decree's margins and sizes. */
function letterHtml(c: LetterContent): string {
  const lines = (xs: string[]) => xs.map(html).join("<br>");
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@font-face { font-family: Tinos; src: url(https://fonts.bench/Tinos-Regular.ttf); }
@font-face { font-family: Tinos; font-weight: bold; src: url(https://fonts.bench/Tinos-Bold.ttf); }
@font-face { font-family: Tinos; font-style: italic; src: url(https://fonts.bench/Tinos-Italic.ttf); }
@font-face { font-family: Tinos; font-weight: bold; font-style: italic; src: url(https://fonts.bench/Tinos-BoldItalic.ttf); }
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: Tinos; font-size: 14pt; margin: 0; }
.header { display: grid; grid-template-columns: 45% 55%; text-align: center; font-size: 13pt; }
.agency b, .nation b { display: block; } .rule { width: 40%; margin: 2pt auto; border-top: 0.6pt solid; }
h1 { font-size: 14pt; text-align: center; margin: 18pt 0 12pt; }
p { text-align: justify; text-indent: 12.7mm; margin: 0 0 6pt; line-height: 1.25; }
.closing { display: grid; grid-template-columns: 50% 50%; margin-top: 10pt; }
.recipients { font-size: 11pt; } .recipients b { font-size: 12pt; font-style: italic; }
.signer { text-align: center; font-weight: bold; } .signer .space { height: 24mm; }
</style></head><body>
<div class="header">
  <div class="agency">${c.agencyLines.slice(0, -1).map(html).join("<br>")}<b>${html(c.agencyLines.at(-1) ?? "")}</b><div class="rule"></div>${html(c.numberLine)}</div>
  <div class="nation"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><b>Độc lập - Tự do - Hạnh phúc</b><div class="rule" style="width:60%"></div><i>${html(c.placeAndDate)}</i></div>
</div>
<h1>${html(c.title)}</h1>
<p style="text-align:center;text-indent:0">${html(c.addressee)}</p>
${c.paragraphs.map((p) => `<p${p.italic ? ' style="font-style:italic"' : ""}>${html(p.text)}</p>`).join("\n")}
<div class="closing">
  <div class="recipients"><b>${html(c.recipientsTitle)}</b><br>${lines(c.recipients.map((r) => `- ${r};`))}</div>
  <div class="signer">${lines(c.signerTitleLines)}<div class="space"></div>${html(c.signerName)}</div>
</div></body></html>`;
}

async function chromiumRate(): Promise<Rate> {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    const fontDir = new URL("../templates/fonts/", import.meta.url);
    // The fonts are served from memory, cacheable, so a warm browser keeps them (as a real
    // deployment would with local fonts); only layout and printing are measured.
    await page.route("https://fonts.bench/*", async (route) => {
      const file = new URL(route.request().url()).pathname.slice(1);
      await route.fulfill({
        body: await readFile(new URL(file, fontDir)),
        contentType: "font/ttf",
        headers: { "access-control-allow-origin": "*", "cache-control": "max-age=3600" },
      });
    });
    const print = async (i: number) => {
      await page.setContent(letterHtml(letterContent(sampleLetter(i))), { waitUntil: "load" });
      await page.pdf({ format: "A4", preferCSSPageSize: true });
    };
    await measure(10, print); // warm-up: browser caches, fonts, JIT
    return await measure(CHROMIUM_LETTERS, print);
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<string> {
  const load = loadavg()[0];
  const fonts = await loadLetterFonts();
  const pdfkit = await pdfkitRate(fonts);
  const signed = await signedRate(fonts, await benchIdentity());
  const browser = await chromiumRate();
  const f = (n: number) => n.toFixed(0);
  return `## Apology letters (\`letters\`)

\`npm run bench -- letters\` — one A4 apology letter (two-column header, 8 body paragraphs, closing;
four Tinos faces embedded and subset; PDF 1.7, PDF/A-2b metadata), varied names, codes, reasons and both forms.
Signed: as issuing writes it — the visible signature in the signer block, the QR code to the status
page, and a PAdES-B-B signature (CMS by pkijs, RSA 2048 / SHA-256 by WebCrypto) with a throw-away CA's key.

| renderer | letters/s (wall clock) | letters/s (per CPU second) |
|---|---:|---:|
| \`renderApologyLetter\` (pdfkit, fonts loaded once), unsigned, median of ${PDFKIT_ROUNDS} × ${PDFKIT_LETTERS_PER_ROUND} | ${f(pdfkit.rate.wall)} | ${f(pdfkit.rate.cpu)} |
| \`letterFile\`: rendered **and signed** (RSA 2048), median of ${PDFKIT_ROUNDS} × ${PDFKIT_LETTERS_PER_ROUND} | ${f(signed.rate.wall)} | ${f(signed.rate.cpu)} |
| headless Chromium, warm (\`setContent\` + \`page.pdf\`), ${CHROMIUM_LETTERS} letters, unsigned | ${f(browser.wall)} | — (work is in the browser's processes) |
| **ratio signed pdfkit / Chromium** (wall clock) | **${(signed.rate.wall / browser.wall).toFixed(1)}×** | |

Targets: ≥ 100 signed letters/s per core (the CPU-second column) and ≥ 5× Chromium. A signed letter
is about ${Math.round(signed.bytes / 1024)} KB (unsigned ${Math.round(pdfkit.bytes / 1024)} KB: the
signature's /Contents holds the certificate chain).
The render runs on one thread; the CPU-second rate counts this process's CPU time (garbage
collector threads and WebCrypto's signing included), so it is the figure least disturbed by other
load on the machine (1-minute load average at the start: ${load.toFixed(1)}).`;
}
