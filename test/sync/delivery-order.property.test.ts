// Replays in any order give the same dossier: any permutation of a dossier's deliveries — full
// records at several stages of its life, progress rows, status rows, some sent twice — ends in the
// same stored dossier, steps, pauses and deadlines as delivering them in the order they happened.
// Messages as real producers send them: no update time (docs/research/dvcqg-producers.md).
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/client.js";
import { upsertProcedures } from "../../src/rulebook/catalog-changes.js";
import type { MessageKind } from "../../src/sync/parse.js";
import { syncBatch } from "../../src/sync/pipeline.js";
import { catalogueAgencies } from "../helpers/catalogue.js";
import { createTestDatabase, onPostgres } from "../helpers/db.js";

const AGENCY = { code: "000.20.20.H47", name: "UBND xã Lâm Sơn" };
const PROCEDURE = "1.001193.000.00.00.H47";
const NOW = new Date("2025-12-01T10:00:00+07:00");
const HOUR = 3600_000;
const RECEIVED = Date.parse("2025-11-03T08:00:00+07:00");

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await catalogueAgencies(database.db, [AGENCY]);
  const admin = { userId: null, name: "test", role: "admin", scope: null } as never;
  await upsertProcedures(
    database.db,
    admin,
    [{ code: PROCEDURE, name: "Đăng ký khai sinh", processingDays: 5 }],
    NOW,
  );
});
afterAll(() => database.close());

/** yyyyMMddHHmmss in Vietnam time, as the portal writes dates. */
const portal = (ms: number) => {
  const d = new Date(ms + 7 * HOUR);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}00`;
};

interface Delivery {
  kind: MessageKind;
  message: Record<string, unknown>;
}

interface Life {
  code: string;
  steps: { official: string; start: number; end: number; due: number }[];
  finished: number;
  returned: number;
  supplement: { asked: number; received: number } | null;
  stages: number[];
  statusRows: { status: number; timed: boolean }[];
  repeats: number[];
}

/** A dossier's life: steps one after another, a supplement perhaps, finished then returned. */
const life: fc.Arbitrary<Life> = fc
  .record({
    n: fc.integer({ min: 1, max: 9999 }),
    durations: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
    overrun: fc.integer({ min: -8, max: 30 }),
    supplement: fc.boolean(),
    stages: fc.subarray([2, 4, 9, 10], { minLength: 1 }),
    statusRows: fc.array(fc.record({ status: fc.constantFrom(4, 5, 9, 10), timed: fc.boolean() }), {
      maxLength: 3,
    }),
    repeats: fc.array(fc.nat(20), { maxLength: 3 }),
  })
  .map(({ n, durations, overrun, supplement, stages, statusRows, repeats }) => {
    let t = RECEIVED;
    const names = ["Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Võ Minh Em"];
    const steps = durations.map((hours, i) => {
      const start = t;
      t += hours * HOUR;
      return { official: names[i], start, end: t + (i === 0 ? overrun * HOUR : 0), due: start + 8 * HOUR };
    });
    const last = Math.max(...steps.map((s) => s.end));
    return {
      code: `000.20.20.H47-251103-${String(n).padStart(4, "0")}`,
      steps,
      finished: last + HOUR,
      returned: last + 5 * HOUR,
      supplement: supplement ? { asked: RECEIVED + 2 * HOUR, received: RECEIVED + 30 * HOUR } : null,
      stages,
      statusRows,
      repeats,
    };
  });

/** The full record at one stage of the life: what the source would have sent then. */
function fullRecord(l: Life, status: number): Record<string, unknown> {
  const done = status >= 9;
  return {
    MaHoSo: l.code,
    MaTTHC: PROCEDURE,
    TenTTHC: "Đăng ký khai sinh",
    KenhThucHien: "1",
    ChuHoSo: "Ngô Thị Thu Hà",
    LoaiDoiTuong: "1",
    NgayTiepNhan: portal(RECEIVED),
    NgayHenTra: portal(RECEIVED + 72 * HOUR),
    TrangThaiHoSo: String(status),
    NgayKetThucXuLy: done ? portal(l.finished) : "",
    NgayTra: status === 10 ? portal(l.returned) : "",
    DonViXuLy: AGENCY.name,
    // Steps the record already knew; the others come as progress rows.
    QuaTrinhXuLy:
      status >= 4
        ? l.steps.slice(0, 1).map((s) => ({
            NguoiXuLy: s.official,
            NgayBatDau: portal(s.start),
            ThoiDiemXuLy: portal(s.end),
            NgayKetThucTheoQuyDinh: portal(s.due),
            NoiDungXuLy: "Xử lý hồ sơ",
          }))
        : [],
    DanhSachHoSoBoSung:
      l.supplement && status >= 4
        ? [{ NgayBoSung: portal(l.supplement.asked), NgayTiepNhanBoSung: portal(l.supplement.received) }]
        : [],
  };
}

function deliveries(l: Life): Delivery[] {
  const records = l.stages.map((status): Delivery => ({ kind: "record", message: fullRecord(l, status) }));
  const progress = l.steps.map(
    (s): Delivery => ({
      kind: "progress",
      message: {
        MaHoSo: l.code,
        NguoiXuLy: s.official,
        ChucDanh: "",
        ThoiDiemXuLy: portal(s.end),
        PhongBanXuLy: "Tư pháp - Hộ tịch",
        NoiDungXuLy: "Xử lý hồ sơ",
        TrangThai: "4",
        NgayBatDau: portal(s.start),
        NgayKetThucTheoQuyDinh: portal(s.due),
      },
    }),
  );
  const statuses = l.statusRows.map(
    (r, i): Delivery => ({
      kind: "status",
      message: {
        MaHoSo: l.code,
        TrangThai: r.status,
        ...(r.timed ? { NgayXuLy: portal(l.finished + i * HOUR) } : {}),
      },
    }),
  );
  const inOrder = [...records.slice(0, 1), ...progress, ...records.slice(1), ...statuses];
  // Some messages delivered twice, as a vendor's retries do.
  return [...inOrder, ...l.repeats.map((r) => inOrder[r % inOrder.length])];
}

async function deliver(list: Delivery[]): Promise<void> {
  for (const d of list) {
    const result = await syncBatch(database.db, {
      source: "push",
      format: "dvcqg",
      kind: d.kind,
      raws: [d.message],
      now: NOW,
    });
    expect(result.rejected).toEqual([]);
  }
}

/** Everything stored of the dossier but the times rows were written at. */
async function stored(code: string) {
  const [dossier] = await queryRows<Record<string, unknown>>(
    database.db,
    sql`SELECT code, agency_code, status, source_status, sync_flags, received_at, promised_due_at, finished_at,
          returned_at, source_updated_at, source_order, content_hash, start_at, statutory_due_at, binding_due_at,
          apology_window_starts_at, completed_at, processing_time_known, raw
        FROM dossiers WHERE code = ${code}`,
  );
  const steps = await queryRows(
    database.db,
    sql`SELECT seq, official_id, official_name, started_at, due_at, ended_at, note FROM dossier_steps
        WHERE dossier_code = ${code} ORDER BY seq`,
  );
  const pauses = await queryRows(
    database.db,
    sql`SELECT seq, kind, started_at, ended_at FROM dossier_pauses WHERE dossier_code = ${code} ORDER BY seq`,
  );
  return JSON.parse(JSON.stringify({ dossier, steps, pauses }));
}

/** The lifecycle stage of a status (src/sync/order.ts): the furthest any delivery reported must be the dossier's. */
const STAGE: Record<number, number> = { 1: 0, 2: 1, 4: 2, 5: 2, 6: 2, 9: 3, 10: 4 };
const furthestStage = (list: Delivery[]) =>
  Math.max(
    ...list.map((d) => STAGE[Number(d.kind === "record" ? d.message.TrangThaiHoSo : d.message.TrangThai)]),
  );

const reset = () =>
  database.db.execute(sql`TRUNCATE dossiers, dossier_steps, dossier_pauses, dossier_history, sync_deltas`);

it("any permutation of a dossier's deliveries ends in the dossier the in-order delivery gives", async () => {
  await fc.assert(
    fc.asyncProperty(
      life.chain((l) =>
        fc.tuple(fc.constant(l), fc.shuffledSubarray(deliveries(l), { minLength: deliveries(l).length })),
      ),
      async ([l, shuffled]) => {
        await reset();
        await deliver(deliveries(l));
        const expected = await stored(l.code);
        expect(STAGE[expected.dossier.status]).toBe(furthestStage(deliveries(l)));
        // Officials known by name are named per agency: the one the name "UBND xã Lâm Sơn" resolves to.
        for (const step of expected.steps) expect(step.official_id).toMatch(/^ten:000\.20\.20\.H47:/);
        await reset();
        await deliver(shuffled);
        expect(await stored(l.code)).toEqual(expected);
      },
    ),
    // Each delivery is its own transaction; fewer runs on a server, where each costs more round trips.
    { numRuns: onPostgres() ? 15 : 40 },
  );
}, 300_000);
