// What real one-stop systems send, in their wire form (test/fixtures/sync/producers/, each citing
// the public code it was written from), through HTTP: each message taken and stored as its source
// meant it, or refused with the field's path and kept for replay once an admin mends the cause.
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { ok } from "../helpers/seed.js";
import { ADMIN_TOKEN, type SeededServer, startSeededServer } from "../helpers/server.js";

const NOW = new Date("2025-11-20T10:00:00+07:00");

interface Fixture {
  path: string;
  body?: unknown;
  bodies?: unknown[];
}
const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../fixtures/sync/producers/${name}`, import.meta.url), "utf8"));

/** The agencies the producers name, by code or by name, in three provinces and a ministry. */
const CATALOGUE = [
  { code: "000.00.00.H47", name: "UBND tỉnh Ninh Thuận", shortCode: "UBND-H47" },
  { code: "000.00.01.H47", name: "Sở Xây dựng", shortCode: "SXD-H47", parentCode: "000.00.00.H47" },
  { code: "G09.20", name: "Vụ Chính quyền địa phương", shortCode: "G09-CQDP" },
  { code: "000.00.00.H56", name: "UBND tỉnh Thanh Hóa", shortCode: "UBND-H56" },
  { code: "H56.23.10", name: "UBND xã Đông Tiến", shortCode: "UBND-DT", parentCode: "000.00.00.H56" },
  { code: "000.00.01.H22", name: "Sở Giáo dục và Đào tạo Hà Giang", shortCode: "SGDDT-H22" },
  {
    code: "H22.03.24.000",
    name: "Trường Trung học phổ thông Chuyên Hà Giang",
    shortCode: "THPTC-HG",
    parentCode: "000.00.01.H22",
  },
];

let server: SeededServer<"system">;
let system: string;

beforeAll(async () => {
  server = await startSeededServer({ clock: fixedClock(NOW), agencies: CATALOGUE, users: ["system"] });
  system = server.tokens.system;
});
afterAll(() => server.close());

interface Answer {
  error_code: string;
  message: string;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  pending: number;
  rejected: { index: number; code?: string; errors: { path: string; message: string }[] }[];
}

async function send(path: string, body: unknown, token = system): Promise<Answer> {
  return (await ok(await server.request(path, { method: "POST", token, json: body }))) as Answer;
}

const sendFixture = (name: string) => {
  const f = fixture(name);
  return send(f.path, f.body);
};

interface Detail {
  agency: { code: string };
  status: number;
  channel: string;
  applicant: { name: string; kind: string };
  receivedAt: string;
  promisedDueAt: string | null;
  finishedAt: string | null;
  returnedAt: string | null;
  sync: {
    sourceId: string | null;
    sourceStatus: string | null;
    flags: string[];
    deliveries: { kind: string; status: number | null }[];
  };
  steps: {
    seq: number;
    officialId: string | null;
    officialName: string | null;
    startedAt: string | null;
    dueAt: string | null;
    endedAt: string | null;
  }[];
}

const dossier = async (code: string) =>
  (await ok(
    await server.request(`/api/v1/dossiers/${encodeURIComponent(code)}`, { token: ADMIN_TOKEN }),
  )) as Detail;

const agencyCount = async () =>
  (await queryRows<{ n: number }>(server.database.db, sql`SELECT count(*)::int AS n FROM agencies`))[0].n;

describe("OpenCPS: full record, progress rows, a remapped status row", () => {
  const CODE = "000.00.01.H47-251103-0007";

  it("takes the envelope, resolving the agency from its name, and answers as the portal does", async () => {
    const answer = await sendFixture("opencps-dongbohosomc.json");
    expect(answer).toMatchObject({ error_code: "0", message: "Thành công", inserted: 1, rejected: [] });
    const d = await dossier(CODE);
    expect(d.agency.code).toBe("000.00.01.H47");
    expect(d.applicant).toMatchObject({ name: "Công ty TNHH Xây dựng Phước Thành", kind: "organization" });
    expect(d.channel).toBe("direct");
    expect(d.sync.flags).toEqual(["channel_defaulted"]);
    expect(d.status).toBe(4);
    expect(d.receivedAt).toBe("2025-11-03T01:30:00.000Z");
    expect(d.promisedDueAt).toBe("2025-11-17T10:00:00.000Z");
    // The portal session in the envelope is a credential of the vendor's: never stored, never logged.
    const [{ n }] = await queryRows<{ n: number }>(
      server.database.db,
      sql`SELECT count(*)::int AS n FROM dossiers WHERE raw::text LIKE '%portal-session%'`,
    );
    expect(n).toBe(0);
    expect(server.logs.join("\n")).not.toContain("portal-session");
  });

  it("merges each progress row as a step, the late one with its overrun, and a redelivery changes nothing", async () => {
    const { path, bodies } = fixture("opencps-capnhattiendohosomc.json");
    for (const body of bodies ?? [])
      expect(await send(path, body)).toMatchObject({ error_code: "0", updated: 1 });
    const d = await dossier(CODE);
    expect(d.steps.map((s) => [s.seq, s.officialId, s.endedAt, s.dueAt])).toEqual([
      [1, "ten:000.00.01.H47:trần thị bình", "2025-11-04T03:15:00.000Z", "2025-11-05T10:00:00.000Z"],
      [2, "ten:000.00.01.H47:lê văn cường", "2025-11-12T09:00:00.000Z", "2025-11-10T10:00:00.000Z"],
    ]);
    expect(await send(path, (bodies ?? [])[1])).toMatchObject({ unchanged: 1, updated: 0 });
  });

  it("keeps DongBoTrangThaiHoSo's single object, but its '2' (OpenCPS's code for 4/6/9/10 there) never moves the dossier back", async () => {
    const answer = await sendFixture("opencps-dongbotrangthaihoso.json");
    expect(answer).toMatchObject({ error_code: "0", stale: 1 });
    const d = await dossier(CODE);
    expect(d.status).toBe(4);
    // Every delivery is kept and shown, the one that was not applied too.
    expect(d.sync.deliveries.map((x) => [x.kind, x.status])).toEqual([
      ["progress", 4],
      ["progress", 4],
      ["status", 2],
    ]);
  });
});

describe("iGate and DvcSync: deltas before the record, a status row with no time, a unit by code", () => {
  const CODE = "G09.20-20251110-0000123";

  it("keeps progress and status rows for a dossier not held yet, then merges them when the record arrives", async () => {
    expect(await sendFixture("igate-capnhatientrinh.json")).toMatchObject({ error_code: "0", pending: 2 });
    expect(await sendFixture("igate-capnhattrangthai.json")).toMatchObject({ error_code: "0", pending: 1 });
    expect(await sendFixture("dvcsync-createdossier.json")).toMatchObject({ error_code: "0", inserted: 1 });
    const d = await dossier(CODE);
    expect(d.agency.code).toBe("G09.20");
    expect(d.receivedAt).toBe("2025-11-10T07:20:00.000Z");
    // Returned, as the status row said; it carried no time, so the time it arrived stands for it.
    expect(d.status).toBe(10);
    expect(d.returnedAt).toBe(NOW.toISOString());
    expect(d.sync.flags).toEqual(["channel_defaulted", "status_inferred"]);
    expect(d.steps.map((s) => [s.officialName, s.startedAt, s.endedAt])).toEqual([
      // .NET's unset DateTime (0001-01-01T00:00:00) is no start.
      ["Nguyễn Thị Hoa", null, "2025-11-10T07:20:00.000Z"],
      ["Phạm Văn Dũng", "2025-11-11T01:00:00.000Z", "2025-11-14T02:05:00.000Z"],
    ]);
  });
});

describe("Thanh Hóa: names in the old spelling, organisations, supplements folded into 9, refusals as 11", () => {
  it("takes the returned dossier and refuses the '9' that has no finish time, with the field's path", async () => {
    const answer = await sendFixture("thanhhoa-hosodongbodvc.json");
    expect(answer.error_code).toBe("-1");
    expect(answer.inserted).toBe(1);
    expect(answer.rejected).toEqual([
      {
        index: 1,
        code: "H56.23.10-251105-0002",
        errors: [
          { path: "NgayKetThucXuLy", message: expect.stringContaining("TrangThaiHoSo 9 (processed)") },
        ],
      },
    ]);
    const d = await dossier("H56.23.10-251105-0001");
    expect(d.agency.code).toBe("H56.23.10"); // "Uỷ ban nhân dân xã Đông Tiến" = "UBND xã Đông Tiến"
    expect(d.applicant.kind).toBe("organization"); // LoaiDoiTuong "4"
    expect(d.channel).toBe("online");
    expect(d.sync.sourceId).toBe("thanhhoa");
    expect(d.finishedAt).toBe("2025-11-06T07:00:00.000Z");
  });

  it("quarantines the same refused message once however often it is sent, and replays it after the source's 9 is mapped", async () => {
    await sendFixture("thanhhoa-hosodongbodvc.json");
    const rows = await queryRows<{ id: number; seen: number }>(
      server.database.db,
      sql`SELECT id::int AS id, seen FROM sync_rejections WHERE code = 'H56.23.10-251105-0002'`,
    );
    expect(rows).toEqual([{ id: expect.any(Number), seen: 2 }]);
    await ok(
      await server.request("/api/v1/sync/sources/thanhhoa", {
        method: "PUT",
        token: ADMIN_TOKEN,
        json: { name: "Một cửa Thanh Hóa", statusMap: { "9": 5 } },
      }),
    );
    const replay = await ok(
      await server.request(`/api/v1/sync/rejections/${rows[0].id}/replay`, {
        method: "POST",
        token: ADMIN_TOKEN,
      }),
    );
    expect(replay).toEqual({ taken: 1, refused: 0, items: [{ id: rows[0].id, outcome: "taken" }] });
    const d = await dossier("H56.23.10-251105-0002");
    expect(d.status).toBe(5);
    expect(d.sync.sourceStatus).toBe("9");
    const open = (await ok(
      await server.request("/api/v1/sync/rejections?open=true", { token: ADMIN_TOKEN }),
    )) as { items: unknown[] };
    expect(open.items).toEqual([]);
  });

  it("reads '11' as refused, holding it until the dossier's record comes", async () => {
    expect(await sendFixture("thanhhoa-tbkm-trangthai.json")).toMatchObject({ error_code: "0", pending: 1 });
    const template = (fixture("thanhhoa-hosodongbodvc.json").body as Record<string, unknown>[])[1];
    const record = { ...template, MaHoSo: "H56.23.10-251105-0003", TrangThaiHoSo: "4" };
    expect(await send("/api/v1/sync/dvcqg/DongBoHoSoMC?source=thanhhoa", [record])).toMatchObject({
      inserted: 1,
    });
    const d = await dossier("H56.23.10-251105-0003");
    expect(d.status).toBe(3);
    expect(d.sync.sourceStatus).toBe("11");
  });
});

describe("Hà Giang: a school by a name the catalogue does not have, through the relay and the envelope", () => {
  it("refuses the unknown name without creating an agency, then takes it after an alias and a bulk replay", async () => {
    const before = await agencyCount();
    const answer = await sendFixture("hagiang-relay-dongbohosomc.json");
    expect(answer.error_code).toBe("-1");
    expect(answer.rejected[0].errors).toEqual([
      { path: "DonViXuLy", message: expect.stringContaining('unknown agency "THPT Chuyên Hà Giang"') },
    ]);
    expect(await agencyCount()).toBe(before);

    await ok(
      await server.request("/api/v1/agencies/H22.03.24.000/aliases", {
        method: "PUT",
        token: ADMIN_TOKEN,
        json: { aliases: ["THPT Chuyên Hà Giang"] },
      }),
    );
    const replay = (await ok(
      await server.request("/api/v1/sync/rejections/replay", {
        method: "POST",
        token: ADMIN_TOKEN,
        json: { all: true },
      }),
    )) as { taken: number };
    expect(replay.taken).toBe(1);
    const d = await dossier("H22.03.24.000-250610-0001");
    expect(d.agency.code).toBe("H22.03.24.000");
    expect(d.promisedDueAt).toBeNull();
    expect(d.status).toBe(2);
    expect(await agencyCount()).toBe(before);
  });

  it("takes the envelope the relay forwarded to the portal, as the portal answered it", async () => {
    expect(await sendFixture("hagiang-portal-envelope.json")).toMatchObject({
      error_code: "0",
      message: "Thành công",
      inserted: 1,
    });
  });
});

describe("the protocol's edges", () => {
  it("refuses an unknown service with 400 naming it", async () => {
    const response = await server.request("/api/v1/sync/dvcqg", {
      method: "POST",
      token: system,
      json: { service: "XoaHoSo", data: [] },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("XoaHoSo");
  });

  it("reads a literal Z as Vietnam time for a source configured so, and as UTC for the others", async () => {
    await ok(
      await server.request("/api/v1/sync/sources/z-local", {
        method: "PUT",
        token: ADMIN_TOKEN,
        json: { literalZ: "local" },
      }),
    );
    const record = (code: string) => ({
      MaHoSo: code,
      MaTTHC: "1.005129",
      NgayTiepNhan: "2025-11-03T08:00:00Z",
      DonViXuLy: "G09.20",
    });
    await send("/api/v1/sync/dvcqg/DongBoHoSoMC?source=z-local", [record("G09.20-Z-LOCAL")]);
    await send("/api/v1/sync/dvcqg/DongBoHoSoMC", [record("G09.20-Z-UTC")]);
    expect((await dossier("G09.20-Z-LOCAL")).receivedAt).toBe("2025-11-03T01:00:00.000Z");
    expect((await dossier("G09.20-Z-UTC")).receivedAt).toBe("2025-11-03T08:00:00.000Z");
  });

  it("refuses an alias that is another agency's name", async () => {
    const response = await server.request("/api/v1/agencies/G09.20/aliases", {
      method: "PUT",
      token: ADMIN_TOKEN,
      json: { aliases: ["Sở Xây dựng"] },
    });
    expect(response.status).toBe(409);
  });
});
