// The portal protocol under every date form and value variant producers use, mixed with broken
// ones, through HTTP: never a 500, never a partial batch (each request's messages are all counted
// once, what it says it took is stored, what it refused is quarantined), and one instant written in
// any accepted form is stored as that instant.
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { ok } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

const HOUR = 3600_000;
const VN = 7 * HOUR;
let server: SeededServer;
let system: string;

beforeAll(async () => {
  server = await startSeededServer({ clock: fixedClock(new Date("2025-12-01T10:00:00+07:00")) });
  system = server.tokens.system;
});
afterAll(() => server.close());

const two = (n: number) => String(n).padStart(2, "0");

/** One instant in a form a producer writes (Vietnam wall time unless the form carries a zone). */
function written(ms: number, form: number): string {
  const l = new Date(ms + VN);
  const [y, mo, d, h, mi, s] = [
    l.getUTCFullYear(),
    two(l.getUTCMonth() + 1),
    two(l.getUTCDate()),
    two(l.getUTCHours()),
    two(l.getUTCMinutes()),
    two(l.getUTCSeconds()),
  ];
  switch (form) {
    case 0:
      return `${y}${mo}${d}${h}${mi}${s}`;
    case 1:
      return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
    case 2:
      return `${d}/${mo}/${y} ${h}:${mi}:${s}`;
    case 3:
      return `${y}-${mo}-${d}T${h}:${mi}:${s}`;
    case 4:
      return `${y}-${mo}-${d}T${h}:${mi}:${s}.000`;
    case 5:
      return `${y}-${mo}-${d}T${h}:${mi}:${s}+07:00`;
    default:
      return new Date(ms).toISOString();
  }
}

const GOOD_FORMS = 7;
/** What producers send for "no date" in optional fields. */
const NO_DATES = ["", null, undefined, "0001-01-01T00:00:00"];
/** What no producer means as a date: each must be refused with its path, not guessed. */
const BAD_DATES = [
  "20250230083000",
  "2025-13-01 08:00:00",
  "31/02/2025 08:00:00",
  "20250101",
  20250101083000,
  "hôm nay",
  "2025-01-01T08:00:00+25:00",
];

const instant = fc
  .integer({ min: Date.parse("2024-01-02T00:00:00Z"), max: Date.parse("2025-11-28T00:00:00Z") })
  .map((ms) => ms - (ms % 1000));
const dateText = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(instant, fc.nat(GOOD_FORMS - 1)).map(([ms, f]) => written(ms, f)) },
  { weight: 2, arbitrary: fc.constantFrom(...NO_DATES) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_DATES) },
);

const AGENCY_REFS = [
  "000.20.20.H47",
  "UBND xã Lâm Sơn",
  "Ủy ban nhân dân xã Lâm Sơn",
  "UBND xã Không Có",
  "",
  null,
];

const record = fc.record({
  n: fc.integer({ min: 1, max: 400 }),
  received: instant,
  receivedForm: fc.nat(GOOD_FORMS - 1),
  receivedBroken: fc.boolean(),
  due: dateText,
  status: fc.constantFrom("2", 4, "4", "9", 10, "", null, "11", "0", "x"),
  finished: dateText,
  returned: dateText,
  channel: fc.constantFrom("1", 2, "3", "", undefined, "4"),
  kind: fc.constantFrom("1", "2", 4, "", undefined, "7"),
  applicant: fc.constantFrom("Nguyễn Văn An", "", null),
  agency: fc.constantFrom(...AGENCY_REFS),
  step: fc.record({ start: dateText, end: dateText, due: dateText }),
  supplement: fc.option(fc.record({ asked: dateText, received: dateText, newDue: dateText })),
});

const progress = fc.record({
  n: fc.integer({ min: 1, max: 400 }),
  at: dateText,
  start: dateText,
  status: fc.constantFrom("4", 9, "", "x"),
});
const status = fc.record({
  n: fc.integer({ min: 1, max: 400 }),
  at: dateText,
  status: fc.constantFrom(4, "5", 9, "10", "11", ""),
});

const code = (n: number) => `000.20.20.H47-251101-${String(n).padStart(4, "0")}`;

type GeneratedRecord = typeof record extends fc.Arbitrary<infer T> ? T : never;

function recordMessage(r: GeneratedRecord) {
  return {
    MaHoSo: code(r.n),
    MaTTHC: "1.001193.000.00.00.H47",
    NgayTiepNhan: r.receivedBroken ? "20251301080000" : written(r.received, r.receivedForm),
    NgayHenTra: r.due,
    TrangThaiHoSo: r.status,
    NgayKetThucXuLy: r.finished,
    NgayTra: r.returned,
    KenhThucHien: r.channel,
    LoaiDoiTuong: r.kind,
    ChuHoSo: r.applicant,
    DonViXuLy: r.agency,
    QuaTrinhXuLy: [
      {
        NguoiXuLy: "Lê Văn Ân",
        NgayBatDau: r.step.start,
        ThoiDiemXuLy: r.step.end,
        NgayKetThucTheoQuyDinh: r.step.due,
      },
    ],
    DanhSachHoSoBoSung: r.supplement
      ? [
          {
            NgayBoSung: r.supplement.asked,
            NgayTiepNhan: r.supplement.received,
            NgayHenTraMoi: r.supplement.newDue,
          },
        ]
      : [],
  };
}

const request = fc.oneof(
  fc
    .array(record, { minLength: 1, maxLength: 12 })
    .map((rs) => ({ service: "DongBoHoSoMC", rs, data: rs.map(recordMessage) })),
  fc.array(progress, { minLength: 1, maxLength: 8 }).map((ps) => ({
    service: "CapNhatTienDoHoSoMC",
    rs: [],
    data: ps.map((p) => ({
      MaHoSo: code(p.n),
      NguoiXuLy: "Trần Thị Bình",
      ThoiDiemXuLy: p.at,
      NgayBatDau: p.start,
      TrangThai: p.status,
    })),
  })),
  fc.array(status, { minLength: 1, maxLength: 8 }).map((ss) => ({
    service: "DongBoTrangThaiHoSo",
    rs: [],
    data: ss.map((s) => ({ MaHoSo: code(s.n), TrangThai: s.status, NgayXuLy: s.at })),
  })),
);

const counts = async () =>
  (
    await queryRows<{ dossiers: number; deltas: number; rejections: number }>(
      server.database.db,
      sql`SELECT (SELECT count(*)::int FROM dossiers) AS dossiers, (SELECT count(*)::int FROM sync_deltas) AS deltas,
            (SELECT coalesce(sum(seen), 0)::int FROM sync_rejections) AS rejections`,
    )
  )[0];

it("answers every generated request with 200, counting each message once and storing what it took", async () => {
  const seen = new Set<number>();
  await fc.assert(
    fc.asyncProperty(request, fc.boolean(), async ({ service, rs, data }, withSender) => {
      const before = await counts();
      const response = await server.request("/api/v1/sync/dvcqg", {
        method: "POST",
        token: system,
        json: { service, data, ...(withSender ? { madonvi: "000.20.20.H47" } : {}) },
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as Record<string, number> & { rejected: { index: number }[] };
      const taken = answer.inserted + answer.updated + answer.unchanged + answer.stale + answer.pending;
      expect(taken + answer.rejected.length).toBe(data.length);
      expect(new Set(answer.rejected.map((r) => r.index)).size).toBe(answer.rejected.length);
      const after = await counts();
      expect(after.rejections - before.rejections).toBe(answer.rejected.length);
      if (service === "DongBoHoSoMC") {
        expect(after.dossiers - before.dossiers).toBe(answer.inserted);
        // Whatever form the receipt time was written in, it is stored as the same instant.
        // A dossier seen once, here, for the first time was inserted from this very record; a
        // later version may be stale by the dossier's order, so those are not compared.
        const refused = new Set(answer.rejected.map((r) => r.index));
        const once = (n: number) => rs.filter((x) => x.n === n).length === 1;
        const takenRecords = rs.filter((r, i) => !refused.has(i) && once(r.n) && !seen.has(r.n));
        for (const r of rs) seen.add(r.n);
        for (const r of takenRecords) {
          const [row] = await queryRows<{ received_at: string }>(
            server.database.db,
            sql`SELECT received_at FROM dossiers WHERE code = ${code(r.n)}`,
          );
          expect(new Date(row.received_at).getTime()).toBe(r.received);
        }
      } else {
        expect(after.deltas - before.deltas).toBeLessThanOrEqual(taken);
      }
    }),
    { numRuns: 150 },
  );
}, 300_000);

it("refuses a record in a batch without touching its neighbours, and the whole request only for its shape", async () => {
  const good = {
    MaHoSo: code(999),
    MaTTHC: "1.001193.000.00.00.H47",
    NgayTiepNhan: "2025-11-03 08:00:00",
    DonViXuLy: "UBND xã Lâm Sơn",
  };
  const bad = { ...good, MaHoSo: code(998), NgayTiepNhan: "2025-02-30 08:00:00" };
  const answer = (await ok(
    await server.request("/api/v1/sync/dvcqg", {
      method: "POST",
      token: system,
      json: { service: "DongBoHoSoMC", data: [bad, good] },
    }),
  )) as { inserted: number; rejected: { index: number; errors: { path: string }[] }[] };
  expect(answer.inserted).toBe(1);
  expect(answer.rejected).toEqual([
    { index: 0, code: code(998), errors: [{ path: "NgayTiepNhan", message: expect.any(String) }] },
  ]);
  const before = await counts();
  const malformed = await server.request("/api/v1/sync/dvcqg", {
    method: "POST",
    token: system,
    json: { data: [good] },
  });
  expect(malformed.status).toBe(400);
  expect(await counts()).toEqual(before);
});
