// dossiers.raw keeps the record byte for byte as it was sent (as JSON.stringify writes it), whichever
// way it was written: COPY or the JSON writer, inserted or updated, merged again with a delta, read
// from a file. jsonb would give it back with its keys reordered (by length, then bytes) and its
// spacing changed, so each case compares `raw::text` with the text sent.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/client.js";
import { applyRecords } from "../../src/sync/apply.js";
import { importFile } from "../../src/sync/file-import.js";
import { loadSyncContext, prepareBatch, syncBatch } from "../../src/sync/pipeline.js";
import { jsonRowWriter } from "../../src/sync/rows-json.js";
import { catalogueAgencies } from "../helpers/catalogue.js";
import { createTestDatabase } from "../helpers/db.js";
import { canonicalRecord } from "../helpers/records.js";
import { AGENCIES } from "../helpers/seed.js";

const NOW = new Date("2025-12-01T10:00:00+07:00");
const CODE = "000.20.20.H47-250124-0001";

/** Keys jsonb would move ("zeta" after "a"), text a jsonb rendering would respace. */
const sent = (status: number, sourceUpdatedAt: string) =>
  canonicalRecord({ status, sourceUpdatedAt, extra: { zeta: "z\ty", a: [1.5, { y: null, b: true }] } });

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await catalogueAgencies(database.db, [AGENCIES.A]);
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.execute(
    sql`TRUNCATE dossiers, dossier_steps, dossier_pauses, dossier_history, sync_deltas`,
  );
});

async function storedRaw(code: string): Promise<string | null> {
  const rows = await queryRows<{ raw: string | null }>(
    database.db,
    sql`SELECT raw::text AS raw FROM dossiers WHERE code = ${code}`,
  );
  return rows[0]?.raw ?? null;
}

describe("dossiers.raw", () => {
  it("is a json column: stored as sent, never parsed into jsonb", async () => {
    const rows = await queryRows<{ data_type: string; type: string }>(
      database.db,
      sql`SELECT c.data_type, format_type(a.atttypid, a.atttypmod) AS type
          FROM information_schema.columns c
          JOIN pg_attribute a ON a.attrelid = 'dossiers'::regclass AND a.attname = c.column_name
          WHERE c.table_name = 'dossiers' AND c.column_name = 'raw'`,
    );
    expect(rows).toEqual([{ data_type: "json", type: "json" }]);
  });

  it("keeps the text sent when a record is inserted, then updated (the database's own writer)", async () => {
    const first = sent(4, "2025-01-24T10:05:00+07:00");
    await syncBatch(database.db, { source: "push", format: "canonical", raws: [first], now: NOW });
    const inserted = await storedRaw(CODE);
    expect(inserted).toBe(JSON.stringify(first));
    expect(inserted?.indexOf('"zeta"')).toBeLessThan(inserted?.indexOf('"a":[') ?? -1);

    const later = sent(9, "2025-01-30T10:05:00+07:00");
    const result = await syncBatch(database.db, {
      source: "push",
      format: "canonical",
      raws: [later],
      now: NOW,
    });
    expect(result.updated).toBe(1);
    expect(await storedRaw(CODE)).toBe(JSON.stringify(later));
  });

  it("keeps the text sent through the JSON writer (json_to_recordset), inserted and updated", async () => {
    const context = await loadSyncContext(database.db);
    for (const record of [sent(4, "2025-01-24T10:05:00+07:00"), sent(9, "2025-01-30T10:05:00+07:00")]) {
      const { records } = prepareBatch(
        { source: "push", format: "canonical", raws: [record], now: NOW },
        context,
      );
      await database.db.transaction((tx) => applyRecords(tx, records, NOW, { writer: jsonRowWriter }));
      expect(await storedRaw(CODE)).toBe(JSON.stringify(record));
    }
  });

  it("keeps the text sent when a status row merges into the stored record", async () => {
    const record = {
      MaHoSo: "000.20.20.H47-251103-0001",
      MaTTHC: "1.001193.000.00.00.H47",
      TenTTHC: "Đăng ký khai sinh",
      KenhThucHien: "1",
      ChuHoSo: "Ngô Thị Thu Hà",
      LoaiDoiTuong: "1",
      NgayTiepNhan: "20251103080000",
      NgayHenTra: "20251106080000",
      TrangThaiHoSo: "4",
      DonViXuLy: AGENCIES.A.name,
      QuaTrinhXuLy: [],
    };
    const push = (kind: "record" | "status", message: object) =>
      syncBatch(database.db, { source: "push", format: "dvcqg", kind, raws: [message], now: NOW });
    expect((await push("record", record)).inserted).toBe(1);
    const merged = await push("status", { MaHoSo: record.MaHoSo, TrangThai: 9, NgayXuLy: "20251105080000" });
    expect(merged).toMatchObject({ updated: 1, rejected: [] });
    const [stored] = await queryRows<{ status: number }>(
      database.db,
      sql`SELECT status FROM dossiers WHERE code = ${record.MaHoSo}`,
    );
    expect(stored.status).toBe(9);
    expect(await storedRaw(record.MaHoSo)).toBe(JSON.stringify(record));
  });

  it("keeps a file's line as JSON.stringify writes it, spacing or not", async () => {
    const spaced = sent(4, "2025-01-24T10:05:00+07:00");
    const plain = { ...sent(4, "2025-01-24T10:05:00+07:00"), code: "000.20.20.H47-250124-0002" };
    const dir = await mkdtemp(join(tmpdir(), "raw-as-sent-"));
    const path = join(dir, "dump.ndjson");
    await writeFile(
      path,
      `${JSON.stringify(spaced, null, 1).replaceAll("\n", "")}\n${JSON.stringify(plain)}\n`,
    );
    const summary = await importFile(database.db, { path, format: "canonical" }).finally(() =>
      rm(dir, { recursive: true, force: true }),
    );
    expect(summary).toMatchObject({ records: 2, inserted: 2, rejected: 0 });
    expect(await storedRaw(CODE)).toBe(JSON.stringify(spaced));
    expect(await storedRaw(plain.code)).toBe(JSON.stringify(plain));
  });
});
