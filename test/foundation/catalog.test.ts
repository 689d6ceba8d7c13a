import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../src/audit/schema.js";
import { agencies, procedures } from "../../src/catalog/schema.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { ADMIN_TOKEN, type SeededServer, startSeededServer } from "../helpers/server.js";

let server: SeededServer;
let tokens: Tokens;
beforeAll(async () => {
  server = await startSeededServer();
  ({ tokens } = server);
});
afterAll(() => server.close());

const put = (code: string, json: unknown) =>
  server.request(`/api/v1/agencies/${code}`, { method: "PUT", token: ADMIN_TOKEN, json });

describe("agencies", () => {
  it("keeps the tree as a path and re-roots a moved subtree", async () => {
    const paths = async () =>
      Object.fromEntries(
        (await server.database.db.select({ code: agencies.code, path: agencies.path }).from(agencies)).map(
          (a) => [a.code, a.path],
        ),
      );
    expect((await paths())[AGENCIES.A.code]).toBe(
      `/${AGENCIES.province.code}/${AGENCIES.districtA.code}/${AGENCIES.A.code}/`,
    );
    const moved = await put(AGENCIES.districtA.code, {
      ...AGENCIES.districtA,
      parentCode: AGENCIES.districtB.code,
    });
    expect(moved.status).toBe(200);
    expect((await paths())[AGENCIES.A.code]).toBe(
      `/${AGENCIES.province.code}/${AGENCIES.districtB.code}/${AGENCIES.districtA.code}/${AGENCIES.A.code}/`,
    );
    await ok(await put(AGENCIES.districtA.code, AGENCIES.districtA));
    expect((await paths())[AGENCIES.A.code]).toBe(
      `/${AGENCIES.province.code}/${AGENCIES.districtA.code}/${AGENCIES.A.code}/`,
    );
  });

  it("refuses a cycle and an unknown parent with 422 naming the field", async () => {
    const cycle = await put(AGENCIES.districtA.code, { ...AGENCIES.districtA, parentCode: AGENCIES.A.code });
    expect(cycle.status).toBe(422);
    expect(((await cycle.json()) as { error: { details: { field: string } } }).error.details.field).toBe(
      "parentCode",
    );
    const unknown = await put("X", { name: "X", shortCode: "X", parentCode: "nope" });
    expect(unknown.status).toBe(422);
  });

  it("validates working periods and answers 400 with every failing path", async () => {
    const res = await put("Y", { name: "", shortCode: "Y", workingPeriods: [["13:30", "11:30"]] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { errors: { path: string }[] } } };
    expect(body.error.code).toBe("BAD_REQUEST");
    expect(body.error.details.errors.map((e) => e.path).sort()).toEqual(["name", "workingPeriods"]);
  });

  it("answers 400 to malformed JSON", async () => {
    const res = await server.request(`/api/v1/agencies/Z`, {
      method: "PUT",
      token: ADMIN_TOKEN,
      headers: { "content-type": "application/json" },
      body: "{ not json",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");
  });

  it("shows an officer their own agency and 404 for another", async () => {
    const own = await server.request(`/api/v1/agencies/${AGENCIES.A.code}`, { token: tokens.officerA });
    expect(((await own.json()) as { name: string }).name).toBe("UBND xã Lâm Sơn");
    const parent = await server.request(`/api/v1/agencies/${AGENCIES.districtA.code}`, {
      token: tokens.officerA,
    });
    expect(parent.status).toBe(404);
    const subtree = await server.request(`/api/v1/agencies/${AGENCIES.A.code}`, { token: tokens.inspectorA });
    expect(subtree.status).toBe(200);
    const all = await server.request(`/api/v1/agencies/${AGENCIES.B.code}`, { token: tokens.inspectorAll });
    expect(all.status).toBe(200);
  });
});

describe("procedures", () => {
  const land = {
    code: "1.004227.000.00.00.H47",
    name: "Đăng ký biến động quyền sử dụng đất",
    field: "Đất đai",
    processingDays: 10,
    perChannel: { online: { processingDays: 8.5 } },
    supplementPolicy: "restart",
    steps: [{ seq: 1, name: "Thẩm định hồ sơ", allotmentHours: 24 }],
  };

  it("bulk upserts and tells inserted from updated", async () => {
    const hours = { code: "2.000001", name: "Chứng thực bản sao", field: "Chứng thực", processingHours: 4 };
    expect(
      await ok(
        await server.request("/api/v1/procedures", {
          method: "POST",
          token: ADMIN_TOKEN,
          json: [land, hours],
        }),
      ),
    ).toEqual({
      inserted: 2,
      updated: 0,
      dossiersRecomputed: 0,
    });
    expect(
      await ok(
        await server.request("/api/v1/procedures", {
          method: "POST",
          token: ADMIN_TOKEN,
          json: [{ ...land, processingDays: 12 }],
        }),
      ),
    ).toEqual({ inserted: 0, updated: 1, dossiersRecomputed: 0 });
    const [row] = await server.database.db.select().from(procedures).where(eq(procedures.code, land.code));
    expect(row.processingTime).toEqual({ unit: "days", amount: 12 });
    expect(row.perChannel).toEqual({ online: { unit: "days", amount: 8.5 } });
    expect(row.supplementPolicy).toBe("restart");
  });

  it("rejects both processingDays and processingHours, and quarter days, naming the record", async () => {
    const res = await server.request("/api/v1/procedures", {
      method: "POST",
      token: ADMIN_TOKEN,
      json: [land, { ...land, code: "b", processingHours: 3 }, { ...land, code: "c", processingDays: 0.25 }],
    });
    expect(res.status).toBe(400);
    const paths = (
      (await res.json()) as { error: { details: { errors: { path: string }[] } } }
    ).error.details.errors.map((e) => e.path);
    expect(paths).toContain("[1].processingDays");
    expect(paths).toContain("[2].processingDays");
  });
});

describe("users and the audit trail", () => {
  it("needs an agency for an officer and a known one", async () => {
    const noAgency = await server.request("/api/v1/users", {
      method: "POST",
      token: ADMIN_TOKEN,
      json: { name: "A", role: "officer" },
    });
    expect(noAgency.status).toBe(400);
    const unknown = await server.request("/api/v1/users", {
      method: "POST",
      token: ADMIN_TOKEN,
      json: { name: "A", role: "officer", agencyCode: "nope" },
    });
    expect(unknown.status).toBe(422);
  });

  it("stores only the token's hash, and the token works once returned", async () => {
    const created = (await ok(
      await server.request("/api/v1/users", {
        method: "POST",
        token: ADMIN_TOKEN,
        json: { name: "Phạm Thanh Tra", role: "inspector", scope: "all" },
      }),
    )) as { id: number; token: string };
    const stored = JSON.stringify(
      await server.database.db.select().from((await import("../../src/auth/schema.js")).apiTokens),
    );
    expect(stored).not.toContain(created.token);
    const res = await server.request(`/api/v1/agencies/${AGENCIES.B.code}`, { token: created.token });
    expect(res.status).toBe(200);
  });

  it("records every write with its actor", async () => {
    const rows = await server.database.db.select().from(auditLog);
    const actions = new Set(rows.map((r) => r.action));
    expect(actions).toEqual(new Set(["agency.create", "agency.update", "user.create", "procedure.upsert"]));
    expect(rows.every((r) => r.actorName === "Quản trị hệ thống")).toBe(true);
  });

  it("never logs a token", () => {
    const logs = server.logs.join("\n");
    expect(server.logs.some((l) => l.includes('"msg":"request"') && l.includes("/api/v1/users"))).toBe(true);
    expect(logs).not.toContain(ADMIN_TOKEN);
    for (const token of Object.values(tokens)) expect(logs).not.toContain(token);
  });
});
