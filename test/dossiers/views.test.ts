import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

let server: SeededServer;
let tokens: Tokens;

const OPEN = "000.20.20.H47-250124-0001";
const FINISHED_LATE = "000.20.20.H47-250124-0002";
const FINISHED_EARLY = "000.20.20.H47-250124-0003";
const OF_B = "000.21.21.H47-250124-0001";

beforeAll(async () => {
  server = await startSeededServer({
    procedures: [BUILDING_PERMIT],
    records: [
      canonicalRecord({ code: OPEN }),
      // Finished Mon 10/2 15:20: the due was Fri 7/2 10:00, so 9 h 50 working minutes... see the lateness test.
      canonicalRecord({ code: FINISHED_LATE, status: 9, finishedAt: "2025-02-10T15:20:00+07:00" }),
      canonicalRecord({
        code: FINISHED_EARLY,
        status: 10,
        finishedAt: "2025-02-05T09:00:00+07:00",
        returnedAt: "2025-02-06T09:00:00+07:00",
      }),
      canonicalRecord({ code: OF_B, agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
    ],
  });
  ({ tokens } = server);
});
afterAll(() => server.close());

const get = async (path: string, token: string) =>
  ok(await server.request(path, { token })) as Promise<Record<string, unknown>>;

describe("dossier detail", () => {
  it("shows the deadline fields of SPEC §8 and moves through the states with asOf", async () => {
    const at = (asOf: string) =>
      get(`/api/v1/dossiers/${OPEN}?asOf=${encodeURIComponent(asOf)}`, tokens.officerA);
    const early = await at("2025-02-05T10:00:00+07:00");
    expect(early).toMatchObject({
      statutoryDueAt: "2025-02-07T03:00:00.000Z",
      promisedDueAt: "2025-02-07T03:00:00.000Z",
      bindingDueAt: "2025-02-07T03:00:00.000Z",
      apologyWindowStartsAt: "2025-02-06T03:00:00.000Z",
      reappointedDueAt: null,
      state: "on_track",
      lateness: { hours: 0, days: 0 },
      asOf: "2025-02-05T03:00:00.000Z",
    });
    expect((await at("2025-02-06T10:00:00+07:00")).state).toBe("due_soon");
    // Fri 7/2 10:00 → Mon 10/2 10:00 is 8 working hours: 1.0 working day late.
    const late = await at("2025-02-10T10:00:00+07:00");
    expect(late).toMatchObject({ state: "overdue", lateness: { hours: 8, days: 1 } });
  });

  it("judges finished dossiers: late by working time, early on an earlier date", async () => {
    // Fri 7/2 10:00–11:30 (1.5 h) + 13:30–17:30 (4 h) + Mon 10/2 07:30–11:30 (4 h) + 13:30–15:20 (1 h 50) = 11 h 20.
    const late = await get(`/api/v1/dossiers/${FINISHED_LATE}`, tokens.officerA);
    expect(late).toMatchObject({ state: "late", lateness: { hours: 11.33, days: 1.4 } });
    const early = await get(`/api/v1/dossiers/${FINISHED_EARLY}`, tokens.inspectorA);
    expect(early).toMatchObject({ state: "early", finishedAt: "2025-02-05T02:00:00.000Z" });
  });

  it("explains every minute in the ledger: Tết is non-working, counted minutes sum to the elapsed working time", async () => {
    const ledger = (await get(
      `/api/v1/dossiers/${OPEN}/ledger?asOf=2025-02-07T10:00:00%2B07:00`,
      tokens.officerA,
    )) as {
      countedMinutes: number;
      segments: { kind: string; dayKind?: string; dayName?: string; minutes: number }[];
    };
    expect(ledger.countedMinutes).toBe(5 * 8 * 60);
    expect(ledger.segments.reduce((s, x) => s + x.minutes, 0)).toBe(2400);
    const tet = ledger.segments.find((s) => s.kind === "non_working" && s.dayKind === "holiday");
    expect(tet?.dayName).toContain("Tết");
  });

  it("answers 404 to an officer of another agency and for an unknown code", async () => {
    expect((await server.request(`/api/v1/dossiers/${OF_B}`, { token: tokens.officerA })).status).toBe(404);
    expect((await server.request(`/api/v1/dossiers/nope`, { token: tokens.admin })).status).toBe(404);
  });

  it("answers 400 to an asOf without an offset", async () => {
    const res = await server.request(`/api/v1/dossiers/${OPEN}?asOf=2025-02-05T10:00:00`, {
      token: tokens.admin,
    });
    expect(res.status).toBe(400);
    expect(
      ((await res.json()) as { error: { details: { errors: { path: string }[] } } }).error.details.errors[0]
        .path,
    ).toBe("asOf");
  });
});

describe("dossier list", () => {
  const codes = async (query: string, token: string) =>
    ((await get(`/api/v1/dossiers?${query}`, token)) as { items: { code: string }[] }).items
      .map((i) => i.code)
      .sort();

  it("filters by state as of a time, within the caller's scope", async () => {
    // Tue 11/2: the late one finished on Mon 10/2 15:20.
    const asOf = encodeURIComponent("2025-02-11T10:00:00+07:00");
    expect(await codes(`state=overdue&asOf=${asOf}`, tokens.officerA)).toEqual([OPEN]);
    expect(await codes(`state=late&asOf=${asOf}`, tokens.officerA)).toEqual([FINISHED_LATE]);
    expect(await codes(`state=overdue&asOf=${asOf}`, tokens.inspectorAll)).toEqual([OPEN, OF_B]);
    expect(await codes(`state=early&asOf=${asOf}`, tokens.officerA)).toEqual([FINISHED_EARLY]);
    // As of 8/2 the late one was not finished yet: it was overdue then.
    expect(
      await codes(`state=overdue&asOf=${encodeURIComponent("2025-02-08T10:00:00+07:00")}`, tokens.officerA),
    ).toEqual([OPEN, FINISHED_LATE]);
  });

  it("searches by code or applicant and pages with a cursor", async () => {
    expect(await codes("q=nguy%E1%BB%85n%20v%C4%83n", tokens.officerA)).toHaveLength(3);
    const first = (await get("/api/v1/dossiers?limit=2", tokens.inspectorAll)) as {
      items: unknown[];
      nextCursor: string;
    };
    expect(first.items).toHaveLength(2);
    const second = (await get(
      `/api/v1/dossiers?limit=2&cursor=${first.nextCursor}`,
      tokens.inspectorAll,
    )) as {
      items: unknown[];
      nextCursor: string | null;
    };
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect((await server.request("/api/v1/dossiers?cursor=garbage", { token: tokens.admin })).status).toBe(
      400,
    );
  });

  it("answers 404 for another agency's filter", async () => {
    expect(
      (await server.request(`/api/v1/dossiers?agency=${AGENCIES.B.code}`, { token: tokens.officerA })).status,
    ).toBe(404);
  });
});

describe("one rule for states", () => {
  it("gives the same state in SQL (lists) as the engine (detail) at every hour around the dues", async () => {
    const start = Date.parse("2025-02-05T00:00:00+07:00");
    for (let h = 0; h < 24 * 7; h += 5) {
      const asOf = encodeURIComponent(new Date(start + h * 3_600_000).toISOString());
      const list = (await get(`/api/v1/dossiers?asOf=${asOf}&limit=10`, tokens.admin)) as {
        items: { code: string; state: string }[];
      };
      for (const item of list.items) {
        const detail = await get(`/api/v1/dossiers/${item.code}?asOf=${asOf}`, tokens.admin);
        expect(item.state, `${item.code} at ${decodeURIComponent(asOf)}`).toBe(detail.state);
      }
    }
  });
});
