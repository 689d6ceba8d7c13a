import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

let server: SeededServer;
let tokens: Tokens;
beforeAll(async () => {
  server = await startSeededServer({ procedures: [BUILDING_PERMIT] });
  ({ tokens } = server);
});
afterAll(() => server.close());

const push = (records: unknown[], format = "canonical") =>
  server.request("/api/v1/sync/dossiers", {
    method: "POST",
    token: tokens.system,
    json: { format, records },
  });

const count = async (table: string) =>
  Number(
    (
      await queryRows<{ n: number }>(server.database.db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`))
    )[0].n,
  );

describe("push sync", () => {
  it("inserts, then finds the same record unchanged, and ignores an older one as stale", async () => {
    const record = canonicalRecord();
    expect(await ok(await push([record]))).toEqual({
      inserted: 1,
      updated: 0,
      unchanged: 0,
      stale: 0,
      pending: 0,
      rejected: [],
    });
    expect(await ok(await push([record]))).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 1,
      stale: 0,
      pending: 0,
      rejected: [],
    });
    const older = canonicalRecord({ status: 2, sourceUpdatedAt: "2025-01-24T09:00:00+07:00" });
    expect(await ok(await push([older]))).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 0,
      stale: 1,
      pending: 0,
      rejected: [],
    });
    const [row] = await queryRows<{ status: number }>(server.database.db, sql`SELECT status FROM dossiers`);
    expect(row.status).toBe(4);
  });

  it("computes the SPEC's worked example at sync: Fri 24/1/2025 10:00 + 5 working days = Fri 7/2/2025 10:00", async () => {
    const [row] = await queryRows<{
      statutory_due_at: string;
      binding_due_at: string;
      apology_window_starts_at: string;
    }>(
      server.database.db,
      sql`SELECT statutory_due_at, binding_due_at, apology_window_starts_at FROM dossiers`,
    );
    expect(new Date(row.statutory_due_at).toISOString()).toBe("2025-02-07T03:00:00.000Z");
    expect(new Date(row.binding_due_at).toISOString()).toBe("2025-02-07T03:00:00.000Z");
    // One working day earlier: Thu 6/2 10:00.
    expect(new Date(row.apology_window_starts_at).toISOString()).toBe("2025-02-06T03:00:00.000Z");
  });

  it("keeps every change of status and appointment in the history", async () => {
    await ok(
      await push([
        canonicalRecord({
          status: 5,
          promisedDueAt: "2025-02-10T10:00:00+07:00",
          sourceUpdatedAt: "2025-02-03T08:00:00+07:00",
        }),
      ]),
    );
    const history = await queryRows<{ field: string; old_value: string | null; new_value: string }>(
      server.database.db,
      sql`SELECT field, old_value, new_value FROM dossier_history ORDER BY id`,
    );
    expect(history.map((h) => [h.field, h.old_value, h.new_value])).toEqual([
      ["status", null, "4"],
      ["promised_due_at", null, "2025-02-07T03:00:00.000Z"],
      ["status", "4", "5"],
      ["promised_due_at", "2025-02-07T03:00:00.000Z", "2025-02-10T03:00:00.000Z"],
    ]);
  });

  it("applies the valid records of a batch and quarantines each rejected one with its raw payload", async () => {
    const good = canonicalRecord({ code: "000.20.20.H47-250124-0002" });
    const bad = canonicalRecord({
      code: "000.20.20.H47-250124-0003",
      receivedAt: "24/01/2025",
      channel: "fax",
    });
    const result = (await ok(await push([good, bad, 42]))) as {
      inserted: number;
      rejected: { index: number; code?: string; errors: { path: string }[] }[];
    };
    expect(result.inserted).toBe(1);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, "000.20.20.H47-250124-0003"],
      [2, undefined],
    ]);
    expect(result.rejected[0].errors.map((e) => e.path).sort()).toEqual(["channel", "receivedAt"]);
    const quarantined = (await ok(
      await server.request("/api/v1/sync/rejections", { token: tokens.admin }),
    )) as {
      items: { recordIndex: number; raw: unknown }[];
    };
    expect(quarantined.items.map((q) => q.recordIndex).sort()).toEqual([1, 2]);
    expect(quarantined.items.find((q) => q.recordIndex === 1)?.raw).toEqual(bad);
  });

  it("replaces steps and pauses as a whole", async () => {
    const code = "000.20.20.H47-250124-0002";
    const twoSteps = canonicalRecord({
      code,
      sourceUpdatedAt: "2025-01-25T10:00:00+07:00",
      steps: [
        {
          seq: 1,
          officialId: "cb-001",
          officialName: "Trần Thị Bình",
          startedAt: "2025-01-24T10:00:00+07:00",
        },
        {
          seq: 2,
          officialId: "cb-002",
          officialName: "Võ Văn Cường",
          startedAt: "2025-01-27T10:00:00+07:00",
        },
      ],
      pauses: [
        { kind: "supplement", startedAt: "2025-01-28T08:00:00+07:00", endedAt: "2025-01-28T10:00:00+07:00" },
      ],
    });
    await ok(await push([twoSteps]));
    expect(await count(`dossier_steps WHERE dossier_code = '${code}'`)).toBe(2);
    await ok(
      await push([{ ...twoSteps, sourceUpdatedAt: "2025-01-26T10:00:00+07:00", steps: [], pauses: [] }]),
    );
    expect(await count(`dossier_steps WHERE dossier_code = '${code}'`)).toBe(0);
    expect(await count(`dossier_pauses WHERE dossier_code = '${code}'`)).toBe(0);
    expect(await count("officials")).toBe(2);
  });

  it("answers 413 over 10,000 records, 400 to malformed JSON, 415 to a body not sent as JSON, and writes nothing", async () => {
    const before = await count("dossiers");
    const tooMany = await push(Array.from({ length: 10_001 }, () => ({})));
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toContain("10000");
    const malformed = await server.request("/api/v1/sync/dossiers", {
      method: "POST",
      token: tokens.system,
      headers: { "content-type": "application/json" },
      body: '{"records": [',
    });
    expect(malformed.status).toBe(400);
    const notJson = await server.request("/api/v1/sync/dossiers", {
      method: "POST",
      token: tokens.system,
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ records: [canonicalRecord({ code: "000.20.20.H47-250124-0415" })] }),
    });
    expect(notJson.status).toBe(415);
    expect(await count("dossiers")).toBe(before);
  });

  it("reads a body of megabytes (on a pool thread, on PostgreSQL) as a small one, or refuses all of it", async () => {
    const code = (i: number) => `000.20.20.H47-250301-${String(i).padStart(4, "0")}`;
    const records = Array.from({ length: 400 }, (_, i) =>
      canonicalRecord({ code: code(i), note: "Hồ sơ nộp kèm bản sao có chứng thực. ".repeat(40) }),
    );
    records[300] = { ...records[300], channel: "fax" };
    const body = JSON.stringify({ records });
    // Over the size from which the pipeline reads a body on a pool thread (POOLED_BODY_BYTES).
    expect(Buffer.byteLength(body)).toBeGreaterThan(512 * 1024);
    const send = (text: string) =>
      server.request("/api/v1/sync/dossiers", {
        method: "POST",
        token: tokens.system,
        headers: { "content-type": "application/json" },
        body: text,
      });
    const before = await count("dossiers");
    const cut = await send(body.slice(0, -2));
    expect(cut.status).toBe(400);
    expect(((await cut.json()) as { error: { message: string } }).error.message).toBe(
      "Malformed JSON in request body",
    );
    expect(await count("dossiers")).toBe(before);
    const result = (await ok(await send(body))) as {
      inserted: number;
      rejected: { index: number; code: string }[];
    };
    expect(result.inserted).toBe(399);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([[300, code(300)]]);
    expect(await count("dossiers WHERE code LIKE '000.20.20.H47-250301-%'")).toBe(399);
    expect(await count("dossier_history WHERE dossier_code LIKE '000.20.20.H47-250301-%'")).toBeGreaterThan(
      399,
    );
  });

  it("reads the national portal format", async () => {
    const dvcqg = {
      MaHoSo: "000.20.20.H47-250210-0009",
      MaTTHC: BUILDING_PERMIT.code,
      TenTTHC: BUILDING_PERMIT.name,
      KenhThucHien: 2,
      ChuHoSo: "Phạm Thị Hoa",
      SoGiayToChuHoSo: "045190000111",
      LoaiDoiTuong: 1,
      NgayTiepNhan: "20250210080000",
      NgayHenTra: "20250217080000",
      TrangThaiHoSo: 4,
      DonViXuLy: "000.20.20.H47",
      NgayCapNhat: "20250210080500",
    };
    const result = (await ok(await push([dvcqg], "dvcqg"))) as { inserted: number; rejected: unknown[] };
    expect(result).toMatchObject({ inserted: 1, rejected: [] });
    const [row] = await queryRows<{ channel: string; statutory_due_at: string }>(
      server.database.db,
      sql`SELECT channel, statutory_due_at FROM dossiers WHERE code = ${dvcqg.MaHoSo}`,
    );
    expect(row.channel).toBe("online");
    // Mon 10/2/2025 08:00 + 5 working days = Mon 17/2/2025 08:00.
    expect(new Date(row.statutory_due_at).toISOString()).toBe("2025-02-17T01:00:00.000Z");
  });
});
