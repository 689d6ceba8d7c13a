// Every value is checked before it reaches SQL (issue 15, item 7): each case below was a 500 from
// PostgreSQL, or a silent misreading (2025-02-30 taken as 2 March). Each answers 400 naming its
// field, and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalRecord } from "../helpers/records.js";
import { ADMIN_TOKEN, type SeededServer, startSeededServer } from "../helpers/server.js";
import { tableVersions } from "./written.js";

let server: SeededServer;
const DOSSIER = "000.20.20.H47-250124-0001";

beforeAll(async () => {
  server = await startSeededServer({ records: [canonicalRecord({ code: DOSSIER })] });
});
afterAll(() => server.close());

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function expectRefused(path: string, field: string, init: { method?: string; json?: unknown } = {}) {
  const before = await tableVersions(server.database.db);
  const response = await server.request(path, { token: ADMIN_TOKEN, ...init });
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
  expect(body.error.code).toBe("BAD_REQUEST");
  expect(body.error.message, path).toContain(field);
  expect(await tableVersions(server.database.db), `${path} wrote while refused`).toBe(before);
}

describe("instants in queries", () => {
  it.each([
    ["/api/v1/dossiers?asOf=0000-01-01T00:00:00Z", "asOf"],
    ["/api/v1/dossiers?asOf=9999-12-31T00:00:00Z", "asOf"],
    ["/api/v1/dossiers?asOf=2025-02-30T10:00:00%2B07:00", "asOf"],
    [`/api/v1/dossiers/${DOSSIER}?asOf=9999-01-01T00:00:00Z`, "asOf"],
    [`/api/v1/dossiers/${DOSSIER}/ledger?asOf=0001-01-01T00:00:00Z`, "asOf"],
    ["/api/v1/dossiers?from=0000-01-01T00:00:00Z", "from"],
    ["/api/v1/dossiers?to=2025-02-30T00:00:00Z", "to"],
    ["/api/v1/digest?date=2025-02-30", "date"],
    ["/api/v1/digest?asOf=9999-01-01T00:00:00Z", "asOf"],
    ["/api/v1/reports/compliance?from=2025-02-30&to=2025-04-01", "from"],
    ["/api/v1/reports/repeat-lateness?from=2025-01-01&to=9999-01-01", "to"],
    ["/api/v1/reports/compliance?from=2025-01-01&to=2025-04-01&asOf=0000-01-01T00:00:00Z", "asOf"],
  ])("%s → 400 naming %s", (path, field) => expectRefused(path, field));

  it("takes asOf up to a year ahead of now, not more", async () => {
    const inAYear = new Date(Date.now() + 300 * 86_400_000).toISOString();
    expect((await server.request(`/api/v1/dossiers?asOf=${inAYear}`, { token: ADMIN_TOKEN })).status).toBe(
      200,
    );
    const inTwo = new Date(Date.now() + 2 * 366 * 86_400_000).toISOString();
    await expectRefused(`/api/v1/dossiers?asOf=${inTwo}`, "asOf");
  });
});

describe("cursors, ids and integers", () => {
  it.each([
    [
      "a list cursor on 30 February",
      `/api/v1/dossiers?cursor=${cursorOf(["2025-02-30T00:00:00.000Z", "x"])}`,
      "cursor",
    ],
    [
      "a list cursor in year 0",
      `/api/v1/dossiers?cursor=${cursorOf(["0000-01-01T00:00:00.000Z", "x"])}`,
      "cursor",
    ],
    ["a list cursor holding a huge number", `/api/v1/dossiers?cursor=${cursorOf([1e300, "x"])}`, "cursor"],
    [
      "a list cursor holding a code of 5,000 characters",
      `/api/v1/dossiers?cursor=${cursorOf(["2025-01-01T00:00:00.000Z", "x".repeat(5000)])}`,
      "cursor",
    ],
    [
      "a violations cursor beyond 2^53",
      `/api/v1/violations?cursor=${Buffer.from("99999999999999999999999").toString("base64url")}`,
      "cursor",
    ],
    ["a letter version beyond an integer", "/api/v1/letters/1/pdf?version=99999999999", "version"],
    ["a letter id beyond 2^53", "/api/v1/letters/99999999999999999999", "id"],
    ["a year 0 calendar", "/api/v1/calendar/0", "year"],
    ["a year 9999 calendar", "/api/v1/calendar/9999", "year"],
  ])("%s → 400", (_what, path, field) => expectRefused(path, field));

  it.each([
    ["/api/v1/users/99999999999/disable", "id"],
    ["/api/v1/tokens/2147483648/revoke", "id"],
  ])("POST %s → 400 naming %s", (path, field) => expectRefused(path, field, { method: "POST" }));
});

describe("bodies", () => {
  it("refuses one procedure code twice in one request", () =>
    expectRefused("/api/v1/procedures", "[1].code", {
      method: "POST",
      json: [
        { code: "1.000001", name: "Thủ tục A", processingDays: 5 },
        { code: "1.000001", name: "Thủ tục A lần hai", processingDays: 6 },
      ],
    }));

  it.each([
    ["U+0000", "Lý do\u0000"],
    ["a lone surrogate", "Lý do \ud800"],
  ])("refuses %s in any text of any JSON body, naming the field", (_what, reason) =>
    expectRefused(`/api/v1/dossiers/${DOSSIER}/apology`, "reason", {
      method: "POST",
      json: {
        reason,
        newDueAt: "2025-02-10T10:00:00+07:00",
        signerName: "Lê Văn Cường",
        signerTitle: "CHỦ TỊCH",
      },
    }),
  );

  it("refuses U+0000 in a key", () =>
    expectRefused("/api/v1/procedures", "key", {
      method: "POST",
      json: [{ code: "1.000002", name: "Thủ tục", processingDays: 5, "x\u0000": 1 }],
    }));

  // The sync routes that carry records judge each one (and quarantine it); the others do not.
  it("refuses an unpaired surrogate in a sync source's name", () =>
    expectRefused("/api/v1/sync/sources/thanhhoa", "surrogate", {
      method: "PUT",
      json: { name: "\udfffa" },
    }));

  it("refuses a body nested 10,000 deep with a 400, not a stack overflow", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const before = await tableVersions(server.database.db);
    const response = await server.request("/api/v1/procedures", {
      method: "POST",
      token: ADMIN_TOKEN,
      headers: { "content-type": "application/json" },
      body: `[{"code":"1.000003","name":"Thủ tục","processingDays":5,"extra":${deep}}]`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /\[0\]\.extra.*deeper/,
    );
    expect(await tableVersions(server.database.db)).toBe(before);
  });

  it("refuses an array wider than 10,000 elements", () =>
    expectRefused("/api/v1/procedures", "more than 10000", {
      method: "POST",
      json: Array.from({ length: 10_001 }, (_, i) => i),
    }));

  it.each([
    ["0000-01-01T00:00:00Z"],
    ["9999-01-01T00:00:00Z"],
    [new Date(Date.now() + 2 * 86_400_000).toISOString()],
  ])("refuses a sweep as of %s", (asOf) =>
    expectRefused("/api/v1/sweeps", "asOf", { method: "POST", json: { asOf } }),
  );
});
