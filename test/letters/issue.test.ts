// Issuing apology letters over real HTTP with a fixed clock (DOMAIN §6): eligibility edges, the new
// appointment, the one-letter cap, numbering per agency and year, the stored PDF read back, scope.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { renderApologyLetter } from "../../src/letters/render.js";
import { type LetterRenderThread, letterRenderThread } from "../../src/letters/render-thread.js";
import { fromStoredSnapshot } from "../../src/letters/snapshot.js";
import { loadLetterFonts } from "../../src/pdf/fonts.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { assertPopplerInstalled, pdfFlatText, pdfFonts, pdfInfo } from "../helpers/pdf.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

// Received Fri 24/1/2025 10:00, 5 working days, promised Fri 7/2 10:00 (Tết 25/1–2/2 skipped):
// binding due Fri 7/2 10:00, apology window from Thu 6/2 10:00.
const code = (n: number) => `000.20.20.H47-250124-${String(n).padStart(4, "0")}`;
const IN_WINDOW = code(1);
const BEFORE_WINDOW = code(2);
const OVERDUE = code(3);
const FINISHED_LATE = code(4);
const FINISHED_ON_TIME = code(5);
const CLOSED = code(6);
const BATCH = [code(7), code(8)];
const OF_B = "000.21.21.H47-250124-0001";
// Received Mon 2/2/2026 10:00, promised Fri 6/2/2026 10:00: overdue in February 2026, before Tết 14/2–22/2.
const OF_2026 = "000.20.20.H47-260202-0001";

const at = (local: string) => new Date(`${local}+07:00`);
const clock = fixedClock(at("2025-02-06T14:00:00"));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let server: SeededServer;
let tokens: Tokens;
/** Letters are drawn on a thread of their own, as the service on Node draws them. */
let renderThread: LetterRenderThread;
/** The letters issued by the eligibility tests, which the later tests read, correct and deliver. */
let first: Letter;
let overdue: Letter;
/** "/api/v1/letters/<id of the overdue dossier's letter><suffix>". */
const overduePath = (suffix = "") => `/api/v1/letters/${overdue.id}${suffix}`;

beforeAll(async () => {
  assertPopplerInstalled();
  const records = [
    canonicalRecord({ code: IN_WINDOW }),
    canonicalRecord({ code: BEFORE_WINDOW }),
    canonicalRecord({ code: OVERDUE, applicant: { ...applicant(), name: "Đặng Thị Ánh Tuyết" } }),
    canonicalRecord({ code: FINISHED_LATE, status: 9, finishedAt: "2025-02-10T15:20:00+07:00" }),
    canonicalRecord({ code: FINISHED_ON_TIME, status: 10, finishedAt: "2025-02-07T09:00:00+07:00" }),
    canonicalRecord({ code: CLOSED, status: 3 }),
    ...BATCH.map((c) => canonicalRecord({ code: c })),
    canonicalRecord({ code: OF_B, agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
    canonicalRecord({
      code: OF_2026,
      receivedAt: "2026-02-02T10:00:00+07:00",
      promisedDueAt: "2026-02-06T10:00:00+07:00",
    }),
  ];
  renderThread = letterRenderThread(await loadLetterFonts());
  server = await startSeededServer({
    clock,
    procedures: [BUILDING_PERMIT],
    records,
    deps: { letterRenderer: renderThread.render },
  });
  ({ tokens } = server);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await renderThread?.close();
});

function applicant() {
  return (canonicalRecord().applicant ?? {}) as Record<string, unknown>;
}

const apology = (overrides: Record<string, unknown> = {}) => ({
  reason: "Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế về quy hoạch sử dụng đất",
  newDueAt: "2025-02-12T16:30:00+07:00",
  signerName: "Lê Văn Cường",
  signerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
  ...overrides,
});

interface Letter {
  id: number;
  number: string;
  sequence: number;
  year: number;
  dossierCode: string;
  form: string;
  kind: string;
  issuedAt: string;
  newDueAt: string | null;
  reason: string;
  signer: { name: string; title: string };
  version: number;
  sha256: string;
  pdfUrl: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function issue(dossier: string, body: Record<string, unknown> = apology(), token = tokens.officerA) {
  return server.request(`/api/v1/dossiers/${dossier}/apology`, { method: "POST", token, json: body });
}
async function issued(dossier: string, body?: Record<string, unknown>): Promise<Letter> {
  return (await ok(await issue(dossier, body), [201])) as Letter;
}
async function refused(response: Response, status: number): Promise<ErrorBody> {
  const body = (await response.json()) as ErrorBody;
  expect(response.status, JSON.stringify(body)).toBe(status);
  return body;
}
async function download(
  path: string,
  token = tokens.officerA,
): Promise<{ bytes: Uint8Array; res: Response }> {
  const res = await server.request(path, { token });
  expect(res.status).toBe(200);
  return { bytes: new Uint8Array(await res.arrayBuffer()), res };
}

describe("eligibility (SPEC §5 When), as of the fixed clock", () => {
  it("refuses an open dossier before its apology window, naming the window", async () => {
    clock.set(at("2025-02-05T10:00:00"));
    const body = await refused(await issue(BEFORE_WINDOW), 422);
    expect(body.error.code).toBe("NOT_ELIGIBLE");
    expect(body.error.details).toMatchObject({
      reason: "before_apology_window",
      state: "on_track",
      bindingDueAt: "2025-02-07T03:00:00.000Z",
      apologyWindowStartsAt: "2025-02-06T03:00:00.000Z",
    });
  });

  it("issues inside the window (due soon): 201 with number, form, dates, version 1 and hash", async () => {
    clock.set(at("2025-02-06T14:00:00"));
    const letter = await issued(IN_WINDOW);
    first = letter;
    expect(letter).toMatchObject({
      number: "01/PXL-LS",
      sequence: 1,
      year: 2025,
      dossierCode: IN_WINDOW,
      form: "tt01-2018-mau04",
      issuedAt: "2025-02-06T07:00:00.000Z",
      newDueAt: "2025-02-12T09:30:00.000Z",
      signer: { name: "Lê Văn Cường", title: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" },
      version: 1,
      pdfUrl: `/api/v1/letters/${letter.id}/pdf`,
    });
    expect(letter.sha256).toMatch(/^[0-9a-f]{64}$/);
    const detail = await server.request(`/api/v1/dossiers/${IN_WINDOW}`, { token: tokens.officerA });
    // The dossier shows the number as printed on the letter.
    expect(((await detail.json()) as { letter: unknown }).letter).toMatchObject({
      id: letter.id,
      number: "01/PXL-LS",
    });
  });

  it("issues for an overdue dossier and for one finished late", async () => {
    clock.set(at("2025-02-11T09:00:00"));
    overdue = await issued(OVERDUE);
    expect(overdue).toMatchObject({ sequence: 2, kind: "reappointment" });
    // DOMAIN §6 (amended): the dossier finished late gets the apology after the fact, no appointment.
    const offered = await refused(await issue(FINISHED_LATE), 422);
    expect(offered.error.details).toMatchObject({ field: "newDueAt", problem: "after_the_fact" });
    const late = await issued(FINISHED_LATE, apology({ newDueAt: undefined }));
    expect(late).toMatchObject({ sequence: 3, kind: "after_the_fact", newDueAt: null });
    const text = pdfFlatText((await download(late.pdfUrl)).bytes);
    expect(text).toContain("PHIẾU XIN LỖI Kính gửi");
    expect(text).toContain("Số: 03/PXL-LS");
    expect(text).toContain("kết quả giải quyết hồ sơ có vào lúc 15 giờ 20 phút, ngày 10/02/2025.");
    for (const appointment of ["HẸN LẠI", "hẹn lại", "gia hạn", "đồng ý"]) {
      expect(text).not.toContain(appointment);
    }
    const detail = await server.request(`/api/v1/dossiers/${FINISHED_LATE}`, { token: tokens.officerA });
    expect(await detail.json()).toMatchObject({ reappointedDueAt: null, letter: { number: "03/PXL-LS" } });
  });

  it("refuses an open dossier's letter without its new appointment (422), drawing no number", async () => {
    const body = await refused(await issue(BATCH[0], apology({ newDueAt: undefined })), 422);
    expect(body.error.details).toMatchObject({ field: "newDueAt", problem: "required" });
  });

  it("refuses a dossier finished on time and a closed one", async () => {
    const onTime = await refused(await issue(FINISHED_ON_TIME), 422);
    expect(onTime.error).toMatchObject({
      code: "NOT_ELIGIBLE",
      details: { reason: "finished_on_time", finishedAt: "2025-02-07T02:00:00.000Z" },
    });
    const closed = await refused(await issue(CLOSED), 422);
    expect(closed.error).toMatchObject({ code: "NOT_ELIGIBLE", details: { reason: "closed", status: 3 } });
  });
});

describe("the suggestion (GET …/apology/suggestion)", () => {
  interface Draft {
    eligible: boolean;
    state: string;
    ineligibility: { reason: string } | null;
    bindingDueAt: string;
    newDueAt: string;
    reasons: string[];
    signer: { name: string; title: string } | null;
  }
  const draftOf = async (dossier: string, token = tokens.inspectorA) =>
    (await ok(await server.request(`/api/v1/dossiers/${dossier}/apology/suggestion`, { token }))) as Draft;

  it("proposes the binding due plus the processing time, common reasons and the agency's usual signer", async () => {
    clock.set(at("2025-02-06T14:00:00"));
    const draft = await draftOf(BATCH[0]);
    // Due soon: from the binding due, Fri 7/2 10:00, + 5 working days = Fri 14/2 10:00.
    expect(draft).toMatchObject({
      eligible: true,
      state: "due_soon",
      ineligibility: null,
      bindingDueAt: "2025-02-07T03:00:00.000Z",
      newDueAt: "2025-02-14T03:00:00.000Z",
      signer: { name: "Lê Văn Cường", title: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" },
    });
    expect(draft.reasons.length).toBeGreaterThan(3);
    expect(draft.reasons.every((r) => r === r.normalize("NFC"))).toBe(true);
  });

  it("says why a letter cannot be issued yet", async () => {
    clock.set(at("2025-02-05T10:00:00"));
    expect(await draftOf(BEFORE_WINDOW)).toMatchObject({
      eligible: false,
      state: "on_track",
      ineligibility: { reason: "before_apology_window" },
    });
  });
});

describe("the new appointment", () => {
  it("must be working time: not in the lunch break, not on a day off (Tết)", async () => {
    clock.set(at("2025-02-11T09:00:00"));
    const lunch = await refused(
      await issue(BATCH[0], apology({ newDueAt: "2025-02-12T12:00:00+07:00" })),
      422,
    );
    expect(lunch.error.details).toMatchObject({ field: "newDueAt", problem: "not_working_time" });
    clock.set(at("2026-02-10T09:00:00"));
    const tet = await refused(await issue(OF_2026, apology({ newDueAt: "2026-02-17T09:00:00+07:00" })), 422);
    expect(tet.error.details).toMatchObject({ field: "newDueAt", problem: "not_working_time" });
    expect(JSON.stringify(tet.error.details?.day)).toContain("Tết");
  });

  it("must be after now and after the binding due", async () => {
    clock.set(at("2025-02-06T14:00:00"));
    const beforeDue = await refused(
      await issue(BATCH[0], apology({ newDueAt: "2025-02-07T09:00:00+07:00" })),
      422,
    );
    expect(beforeDue.error.details).toMatchObject({ field: "newDueAt", problem: "not_after_due" });
    const past = await refused(
      await issue(BATCH[0], apology({ newDueAt: "2025-02-06T08:00:00+07:00" })),
      422,
    );
    expect(past.error.details).toMatchObject({ field: "newDueAt", problem: "not_after_now" });
  });

  it("answers 400 naming the fields for an empty reason and a time without offset", async () => {
    const body = await refused(
      await issue(BATCH[0], apology({ reason: " ", newDueAt: "2025-02-12T16:30" })),
      400,
    );
    const paths = ((body.error.details?.errors ?? []) as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(["newDueAt", "reason"]);
  });
});

describe("the cap: one letter per dossier, ever", () => {
  it("answers 409 with the existing letter's id, and the dossier shows the letter", async () => {
    clock.set(at("2025-02-11T09:00:00"));
    const again = await refused(
      await issue(IN_WINDOW, apology({ newDueAt: "2025-02-14T09:00:00+07:00" })),
      409,
    );
    expect(again.error).toMatchObject({ code: "LETTER_EXISTS", details: { letterId: first.id } });
    const draft = (await ok(
      await server.request(`/api/v1/dossiers/${IN_WINDOW}/apology/suggestion`, { token: tokens.officerA }),
    )) as { eligible: boolean; existingLetterId: number };
    expect(draft).toMatchObject({ eligible: false, existingLetterId: first.id });
  });
});

describe("numbering: per agency and per year, no gaps", () => {
  it("gives another agency its own sequence and restarts at 1 in a new year", async () => {
    clock.set(at("2025-02-11T09:00:00"));
    const ofB = (await ok(
      await issue(OF_B, apology({ newDueAt: "2025-02-13T09:00:00+07:00" }), tokens.officerB),
      [201],
    )) as Letter;
    expect(ofB).toMatchObject({ number: "01/PXL-PB", sequence: 1 });
    clock.set(at("2026-02-10T09:00:00"));
    const next = await issued(OF_2026, apology({ newDueAt: "2026-02-12T16:00:00+07:00" }));
    expect(next).toMatchObject({ number: "01/PXL-LS", sequence: 1, year: 2026, form: "tt03-2025" });
    const counters = await queryRows<{ agency_code: string; year: number; last_number: number }>(
      server.database.db,
      sql`SELECT agency_code, year, last_number FROM letter_counters ORDER BY agency_code, year`,
    );
    expect(counters.map((c) => [c.agency_code, Number(c.year), Number(c.last_number)])).toEqual([
      [AGENCIES.A.code, 2025, 3],
      [AGENCIES.A.code, 2026, 1],
      [AGENCIES.B.code, 2025, 1],
    ]);
  });
});

describe("the stored PDF", () => {
  it("reads back with the exact Vietnamese text: applicant, code, number, dates, reason", async () => {
    const { bytes, res } = await download(overduePath("/pdf"));
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const text = pdfFlatText(bytes);
    for (const expected of [
      "UBND HUYỆN NINH SƠN",
      "UBND XÃ LÂM SƠN",
      "Số: 02/PXL-LS",
      "Lâm Sơn, ngày 11 tháng 02 năm 2025",
      "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
      "Kính gửi: Ông/Bà Đặng Thị Ánh Tuyết.",
      `Mã hồ sơ: ${OVERDUE}.`,
      "“Cấp giấy phép xây dựng”",
      "Thời gian hẹn trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 07/02/2025.",
      "Lý do: Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế về quy hoạch sử dụng đất.",
      "vào lúc 16 giờ 30 phút, ngày 12/02/2025.",
      "Lê Văn Cường",
    ]) {
      expect(text).toContain(expected);
    }
    const info = pdfInfo(bytes);
    expect(info["Page size"]).toMatch(/^595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(info).toMatchObject({ Author: "UBND xã Lâm Sơn", Subject: OVERDUE });
    expect(pdfFonts(bytes).every((f) => f.embedded && f.name.includes("Tinos"))).toBe(true);
  });

  it("is byte-identical on every download, with the stored SHA-256 as ETag and a file name", async () => {
    const letter = (await ok(await server.request(overduePath(), { token: tokens.inspectorA }))) as Letter;
    const one = await download(overduePath("/pdf"));
    const two = await download(overduePath("/pdf"), tokens.inspectorAll);
    expect(Buffer.compare(one.bytes, two.bytes)).toBe(0);
    expect(sha256(one.bytes)).toBe(letter.sha256);
    expect(one.res.headers.get("etag")).toBe(`"${letter.sha256}"`);
    expect(one.res.headers.get("content-disposition")).toContain('filename="PXL-2-LS-2025.pdf"');
    const cached = await server.request(overduePath("/pdf"), {
      token: tokens.officerA,
      headers: { "if-none-match": `"${letter.sha256}"` },
    });
    expect(cached.status).toBe(304);
  });

  it("is what the stored input renders to, so a print of several letters shows the same letters", async () => {
    const [row] = await queryRows<{ input: unknown; sha256: string }>(
      server.database.db,
      sql`SELECT input, sha256 FROM letter_versions WHERE letter_id = ${overdue.id} AND version = 1`,
    );
    const again = renderApologyLetter(await loadLetterFonts(), fromStoredSnapshot(row.input));
    expect(sha256(again)).toBe(row.sha256);
  });

  it("is stored out of line and never run through PostgreSQL's compression, which a deflated PDF defeats", async () => {
    const [column] = await queryRows<{ storage: string }>(
      server.database.db,
      sql`SELECT attstorage AS storage FROM pg_attribute
          WHERE attrelid = 'letter_versions'::regclass AND attname = 'pdf'`,
    );
    expect(column.storage).toBe("e");
  });
});

describe("corrections", () => {
  it("make a new version with the same number and new appointment; the old one stays downloadable", async () => {
    clock.set(at("2025-02-12T08:00:00"));
    const before = (await ok(await server.request(overduePath(), { token: tokens.officerA }))) as Letter;
    const oldPdf = await download(overduePath("/pdf"));
    const corrected = (await ok(
      await server.request(overduePath("/corrections"), {
        method: "POST",
        token: tokens.officerA,
        json: {
          reason: "Sửa lỗi chính tả ở lý do",
          changes: { reason: "Cần xác minh thực địa ranh giới thửa đất", signerName: "Lê Văn Cương" },
        },
      }),
      [201],
    )) as Letter;
    expect(corrected).toMatchObject({
      id: overdue.id,
      number: before.number,
      newDueAt: before.newDueAt,
      issuedAt: before.issuedAt,
      version: 2,
      reason: "Cần xác minh thực địa ranh giới thửa đất",
      signer: { name: "Lê Văn Cương" },
    });
    const current = await download(overduePath("/pdf"));
    expect(sha256(current.bytes)).toBe(corrected.sha256);
    const text = pdfFlatText(current.bytes);
    expect(text).toContain("Lý do: Cần xác minh thực địa ranh giới thửa đất.");
    expect(text).toContain("Số: 02/PXL-LS");
    expect(text).toContain("vào lúc 16 giờ 30 phút, ngày 12/02/2025.");
    const v1 = await download(overduePath("/pdf?version=1"));
    expect(Buffer.compare(v1.bytes, oldPdf.bytes)).toBe(0);
    expect(v1.res.headers.get("content-disposition")).toContain('filename="PXL-2-LS-2025.pdf"');
    const detail = (await ok(await server.request(overduePath(), { token: tokens.officerA }))) as {
      versions: { version: number; correctionReason: string | null; sha256: string }[];
    };
    expect(detail.versions.map((v) => [v.version, v.correctionReason])).toEqual([
      [2, "Sửa lỗi chính tả ở lý do"],
      [1, null],
    ]);
  });

  it("never change the new appointment (422), refuse a correction that changes nothing (422) or an unknown field (400)", async () => {
    const correct = (changes: Record<string, unknown>) =>
      server.request(overduePath("/corrections"), {
        method: "POST",
        token: tokens.officerA,
        json: { reason: "Sửa", changes },
      });
    const moved = await refused(await correct({ newDueAt: "2025-02-20T09:00:00+07:00" }), 422);
    expect(moved.error.details).toMatchObject({ field: "changes.newDueAt" });
    await refused(await correct({ signerName: "Lê Văn Cương" }), 422);
    await refused(await correct({ applicantName: "X" }), 400);
  });
});

describe("deliveries", () => {
  it("are logged with channel and time and listed on the letter", async () => {
    clock.set(at("2025-02-12T10:00:00"));
    const post = (await ok(
      await server.request(overduePath("/deliveries"), {
        method: "POST",
        token: tokens.officerA,
        json: { channel: "post", deliveredAt: "2025-02-11T15:00:00+07:00", note: "Bưu điện xã" },
      }),
      [201],
    )) as { id: number; channel: string; deliveredAt: string };
    expect(post).toMatchObject({ channel: "post", deliveredAt: "2025-02-11T08:00:00.000Z" });
    await ok(
      await server.request(overduePath("/deliveries"), {
        method: "POST",
        token: tokens.admin,
        json: { channel: "sms" },
      }),
      [201],
    );
    const detail = (await ok(await server.request(overduePath(), { token: tokens.officerA }))) as {
      deliveries: { channel: string; deliveredAt: string; note: string | null }[];
    };
    expect(detail.deliveries.map((d) => [d.channel, d.deliveredAt, d.note])).toEqual([
      ["post", "2025-02-11T08:00:00.000Z", "Bưu điện xã"],
      ["sms", "2025-02-12T03:00:00.000Z", null],
    ]);
  });

  it("refuse a time in the future or before the issue (422) and an unknown channel (400)", async () => {
    const deliver = (json: Record<string, unknown>) =>
      server.request(overduePath("/deliveries"), { method: "POST", token: tokens.officerA, json });
    await refused(await deliver({ channel: "email", deliveredAt: "2025-02-13T09:00:00+07:00" }), 422);
    await refused(await deliver({ channel: "email", deliveredAt: "2025-02-01T09:00:00+07:00" }), 422);
    await refused(await deliver({ channel: "fax" }), 400);
  });
});

describe("batch", () => {
  it("issues each selected dossier in its own transaction, reports refusals, and prints them in one PDF", async () => {
    clock.set(at("2025-02-11T14:00:00"));
    const item = (dossierCode: string, extra: Record<string, unknown> = {}) => ({
      dossierCode,
      ...apology({ newDueAt: undefined }),
      ...extra,
    });
    const result = (await ok(
      await server.request("/api/v1/letters/batch", {
        method: "POST",
        token: tokens.officerA,
        json: {
          items: [item(BATCH[0]), item(IN_WINDOW), item(BATCH[1], { newDueAt: "2025-02-14T15:00:00+07:00" })],
        },
      }),
      [200],
    )) as {
      issued: number;
      items: { status: number; letter?: Letter; error?: ErrorBody["error"] }[];
      combinedPdfUrl: string;
    };
    expect(result.items.map((i) => i.status)).toEqual([201, 409, 201]);
    expect(result.items[1].error).toMatchObject({ code: "LETTER_EXISTS", details: { letterId: first.id } });
    const [batchFirst, , batchThird] = result.items.map((i) => i.letter as Letter);
    // The suggestion: now (Tue 11/2 14:00) + 5 working days = Tue 18/2 14:00.
    expect(batchFirst).toMatchObject({ sequence: 4, newDueAt: "2025-02-18T07:00:00.000Z" });
    expect(batchThird).toMatchObject({ sequence: 5, newDueAt: "2025-02-14T08:00:00.000Z" });
    expect(result.combinedPdfUrl).toBe(`/api/v1/letters/combined?ids=${batchFirst.id},${batchThird.id}`);

    const combined = await download(result.combinedPdfUrl);
    const pages = async (path: string) => Number(pdfInfo((await download(path)).bytes).Pages);
    expect(Number(pdfInfo(combined.bytes).Pages)).toBe(
      (await pages(batchFirst.pdfUrl)) + (await pages(batchThird.pdfUrl)),
    );
    const text = pdfFlatText(combined.bytes);
    expect(text).toContain(`Mã hồ sơ: ${BATCH[0]}.`);
    expect(text).toContain(`Mã hồ sơ: ${BATCH[1]}.`);
    expect(text).toContain("Số: 05/PXL-LS");
  });

  it("answers 404 and issues nothing when a dossier is outside the caller's scope", async () => {
    const body = await refused(
      await server.request("/api/v1/letters/batch", {
        method: "POST",
        token: tokens.officerB,
        json: {
          items: [
            { dossierCode: OF_B, ...apology() },
            { dossierCode: BEFORE_WINDOW, ...apology() },
          ],
        },
      }),
      404,
    );
    expect(body.error.details).toEqual({ dossierCodes: [BEFORE_WINDOW] });
  });
});

describe("combined PDF ids", () => {
  it("refuses ids no bigint can hold (400 naming ids), rather than failing in PostgreSQL", async () => {
    const body = await refused(
      await server.request("/api/v1/letters/combined?ids=1,99999999999999999999", { token: tokens.officerA }),
      400,
    );
    expect(JSON.stringify(body.error)).toContain("ids");
  });
});

describe("scope", () => {
  it("hides agency A's dossiers and letters from an officer of B (404), and lets no inspector issue (403)", async () => {
    await refused(await issue(BATCH[0], apology(), tokens.officerB), 404);
    for (const path of [overduePath(), overduePath("/pdf"), `/api/v1/letters/combined?ids=${overdue.id}`]) {
      await refused(await server.request(path, { token: tokens.officerB }), 404);
    }
    await refused(
      await server.request(overduePath("/corrections"), {
        method: "POST",
        token: tokens.officerB,
        json: { reason: "x", changes: { reason: "y" } },
      }),
      404,
    );
    await refused(await issue(BEFORE_WINDOW, apology(), tokens.inspectorA), 403);
  });
});

describe("audit", () => {
  it("records every issue, correction and delivery with its actor, and no applicant data", async () => {
    const rows = await queryRows<{
      action: string;
      resource_id: string;
      actor_name: string;
      details: unknown;
    }>(
      server.database.db,
      sql`SELECT action, resource_id, actor_name, details FROM audit_log WHERE resource_type = 'letter' ORDER BY id`,
    );
    const count = (action: string) => rows.filter((r) => r.action === action).length;
    expect([count("letter.issue"), count("letter.correct"), count("letter.deliver")]).toEqual([7, 1, 2]);
    expect(rows.find((r) => r.action === "letter.correct")).toMatchObject({
      resource_id: String(overdue.id),
      actor_name: "Nguyễn Thị Một Cửa",
      details: { version: 2, correctionReason: "Sửa lỗi chính tả ở lý do", number: "02/PXL-LS" },
    });
    expect(JSON.stringify(rows)).not.toContain("Đặng Thị Ánh Tuyết");
    expect(JSON.stringify(rows)).not.toContain("001090001234");
  });
});
