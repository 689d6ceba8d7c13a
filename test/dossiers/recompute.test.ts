// Stored deadlines follow what they depend on: a procedure's processing time, per-channel times and
// supplement policy (POST /api/v1/procedures), an agency's working periods (PUT /api/v1/agencies),
// and time itself for a stopped clock (the sweep's recomputeDeadlines). The set-based SQL path
// gives the engine's figures to the millisecond, and so does the SQL lateness.
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedCalendar } from "../../src/calendar/store.js";
import type { WorkingPeriods } from "../../src/calendar/working-periods.js";
import { queryRows, textArray } from "../../src/db/client.js";
import { type Deadlines, lateness } from "../../src/deadlines/engine.js";
import { recomputeDeadlines } from "../../src/dossiers/recompute.js";
import { latenessMinutesAsOf } from "../../src/dossiers/state-sql.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

let server: SeededServer;
let tokens: Tokens;
const NOW = new Date("2025-02-04T09:00:00+07:00");
const clock = fixedClock(NOW);
/** Deadlines with nothing known, for the engine's lateness of stored columns. */
const UNKNOWN: Deadlines = {
  startAt: new Date(0),
  statutoryDueAt: null,
  promisedDueAt: null,
  bindingDueAt: null,
  apologyWindowStartsAt: null,
  finishedAt: null,
  processingTimeKnown: false,
  clockStopped: false,
};
const utc = (local: string) => new Date(`${local}+07:00`).toISOString();

const PROCEDURE = "1.000001.000.00.00.H47";
/** Online, received Fri 24/1 10:00: 5 working days across Tết → Fri 7/2 10:00. */
const ONLINE = "000.20.20.H47-250124-0201";
/** Direct, with a supplement Mon 3/2 07:30 – Tue 4/2 07:30 (one working day): computed by the engine. */
const PAUSED = "000.20.20.H47-250124-0202";
/** Received Mon 3/2 07:15, before 07:30 but after 07:00. */
const EARLY_BIRD = "000.20.20.H47-250203-0203";
/** A supplement requested Mon 3/2 08:00 and not yet back: its due moves with asOf. */
const STOPPED = "000.20.20.H47-250124-0204";

beforeAll(async () => {
  const record = (overrides: Record<string, unknown>) =>
    canonicalRecord({ procedureCode: PROCEDURE, promisedDueAt: null, steps: [], ...overrides });
  const supplement = (endedAt: string | null) => ({
    kind: "supplement",
    startedAt: "2025-02-03T07:30:00+07:00",
    endedAt,
    reason: "Thiếu giấy tờ",
  });
  server = await startSeededServer({
    clock,
    records: [
      record({ code: ONLINE, channel: "online" }),
      record({ code: PAUSED, pauses: [supplement("2025-02-04T07:30:00+07:00")] }),
      record({ code: EARLY_BIRD, receivedAt: "2025-02-03T07:15:00+07:00" }),
      record({
        code: STOPPED,
        status: 5,
        pauses: [{ ...supplement(null), startedAt: "2025-02-03T08:00:00+07:00" }],
      }),
    ],
  });
  ({ tokens } = server);
});
afterAll(() => server.close());

interface Stored {
  start_at: string | null;
  statutory_due_at: string | null;
  binding_due_at: string | null;
  apology_window_starts_at: string | null;
  processing_time_known: boolean;
}

async function stored(): Promise<Record<string, Stored>> {
  const rows = await queryRows<Stored & { code: string }>(
    server.database.db,
    sql`SELECT code, start_at, statutory_due_at, binding_due_at, apology_window_starts_at, processing_time_known
        FROM dossiers ORDER BY code`,
  );
  const iso = (x: string | null) => (x === null ? null : new Date(x).toISOString());
  return Object.fromEntries(
    rows.map((r) => [
      r.code,
      {
        start_at: iso(r.start_at),
        statutory_due_at: iso(r.statutory_due_at),
        binding_due_at: iso(r.binding_due_at),
        apology_window_starts_at: iso(r.apology_window_starts_at),
        processing_time_known: r.processing_time_known,
      },
    ]),
  );
}

/** The stored columns agree with the engine's live view of the same dossier as of now. */
async function expectStoredIsEngine(): Promise<void> {
  const all = await stored();
  for (const [code, s] of Object.entries(all)) {
    const view = (await ok(
      await server.request(`/api/v1/dossiers/${code}?asOf=${encodeURIComponent(clock.now().toISOString())}`, {
        token: tokens.admin,
      }),
    )) as Record<string, unknown>;
    expect(
      {
        start_at: view.startAt,
        statutory_due_at: view.statutoryDueAt,
        binding_due_at: view.bindingDueAt,
        apology_window_starts_at: view.apologyWindowStartsAt,
        processing_time_known: view.processingTimeKnown,
      },
      code,
    ).toEqual(s);
  }
}

const postProcedure = async (body: Record<string, unknown>) =>
  (await ok(
    await server.request("/api/v1/procedures", {
      method: "POST",
      token: tokens.admin,
      json: [{ code: PROCEDURE, name: "Cấp giấy phép xây dựng", ...body }],
    }),
  )) as { dossiersRecomputed: number };

describe("a procedure's deadline rules", () => {
  it("give unknown procedures' dossiers their statutory due once the catalogue gives the time", async () => {
    expect((await stored())[ONLINE]).toMatchObject({ statutory_due_at: null, processing_time_known: false });
    expect((await postProcedure({ processingDays: 5 })).dossiersRecomputed).toBe(4);
    expect((await stored())[ONLINE]).toMatchObject({
      statutory_due_at: utc("2025-02-07T10:00:00"),
      binding_due_at: utc("2025-02-07T10:00:00"),
      apology_window_starts_at: utc("2025-02-06T10:00:00"),
      processing_time_known: true,
    });
    expect((await stored())[PAUSED].statutory_due_at).toBe(utc("2025-02-10T10:00:00"));
    await expectStoredIsEngine();
  });

  it("recompute nothing when the rules do not change (a renamed procedure)", async () => {
    const before = await stored();
    expect(
      (await postProcedure({ processingDays: 5, name: "Cấp giấy phép xây dựng (sửa tên)" }))
        .dossiersRecomputed,
    ).toBe(0);
    expect(await stored()).toEqual(before);
  });

  it("move every dossier of the procedure with its processing time, and only the channel's with a per-channel time", async () => {
    expect((await postProcedure({ processingDays: 10 })).dossiersRecomputed).toBe(4);
    expect((await stored())[ONLINE].statutory_due_at).toBe(utc("2025-02-14T10:00:00"));
    await postProcedure({ processingDays: 5, perChannel: { online: { processingHours: 4 } } });
    const after = await stored();
    // Fri 24/1 10:00 + 4 working hours: 11:30, then 13:30–16:00.
    expect(after[ONLINE].statutory_due_at).toBe(utc("2025-01-24T16:00:00"));
    expect(after[PAUSED].statutory_due_at).toBe(utc("2025-02-10T10:00:00"));
    await expectStoredIsEngine();
  });

  it("restart the clock of a paused dossier when the supplement policy becomes restart", async () => {
    const result = await postProcedure({
      processingDays: 5,
      perChannel: { online: { processingHours: 4 } },
      supplementPolicy: "restart",
    });
    // Only the dossiers with a supplement move: the full 5 days again from Tue 4/2 07:30.
    expect(result.dossiersRecomputed).toBe(2);
    expect((await stored())[PAUSED].statutory_due_at).toBe(utc("2025-02-10T17:30:00"));
    await expectStoredIsEngine();
    await postProcedure({ processingDays: 5, perChannel: { online: { processingHours: 4 } } });
  });
});

describe("an agency's working periods", () => {
  it("move its dossiers' start and dues, through a new SQL profile", async () => {
    const before = await stored();
    expect(before[EARLY_BIRD].start_at).toBe(utc("2025-02-03T07:30:00"));
    await ok(
      await server.request(`/api/v1/agencies/${AGENCIES.A.code}`, {
        method: "PUT",
        token: tokens.admin,
        json: {
          ...AGENCIES.A,
          code: undefined,
          workingPeriods: [
            ["07:00", "11:30"],
            ["13:30", "17:00"],
          ],
        },
      }),
    );
    const after = await stored();
    expect(after[EARLY_BIRD]).toMatchObject({
      start_at: utc("2025-02-03T07:15:00"),
      // Mon 3/2 07:15 to Fri 7/2 17:00 is 39 h 45 of the 40 h: the last 15 min from Mon 10/2 07:00.
      statutory_due_at: utc("2025-02-10T07:15:00"),
    });
    const [profile] = await queryRows<{ working_profile: string; days: number }>(
      server.database.db,
      sql`SELECT a.working_profile, (SELECT count(*) FROM working_days w WHERE w.profile = a.working_profile)::integer AS days
          FROM agencies a WHERE a.code = ${AGENCIES.A.code}`,
    );
    expect(profile.working_profile).toBe("07:00-11:30,13:30-17:00");
    expect(profile.days).toBeGreaterThan(20_000);
    await expectStoredIsEngine();
  });

  it("refuses touching periods (the index counts a period's end as not working): send them merged", async () => {
    const res = await server.request(`/api/v1/agencies/${AGENCIES.A.code}`, {
      method: "PUT",
      token: tokens.admin,
      json: {
        ...AGENCIES.A,
        code: undefined,
        workingPeriods: [
          ["07:00", "11:30"],
          ["11:30", "17:00"],
        ],
      },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { errors: { path: string }[] } } };
    expect(body.error.details.errors.map((e) => e.path)).toEqual(["workingPeriods"]);
  });
});

describe("a stopped clock", () => {
  it("moves its due with asOf when the sweep recomputes the open dossiers with an open pause, and only those", async () => {
    const before = await stored();
    const later = new Date("2025-02-05T09:00:00+07:00");
    clock.set(later);
    const result = await recomputeDeadlines(server.database.db, {
      openOnly: true,
      withOpenPause: true,
      asOf: later,
    });
    expect(result).toMatchObject({ selected: 1, updated: 1, moved: 1 });
    expect(result.listed[0]).toMatchObject({ code: STOPPED, statutoryDueAt: { shiftHours: 8 } });
    const after = await stored();
    expect(after[STOPPED].statutory_due_at).not.toBe(before[STOPPED].statutory_due_at);
    expect({ ...after, [STOPPED]: before[STOPPED] }).toEqual(before);
    await expectStoredIsEngine();
    clock.set(NOW);
  });
});

describe("the SQL path", () => {
  const minute = (from: string, to: string) =>
    fc.integer({ min: Date.parse(from) / 60_000, max: Date.parse(to) / 60_000 }).map((m) => m * 60_000);
  const local = (ms: number) => `${new Date(ms + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
  const dossier = fc
    .record({
      received: minute("2024-01-01T00:00:00+07:00", "2026-10-31T00:00:00+07:00"),
      channel: fc.constantFrom("direct", "online", "postal"),
      agency: fc.constantFrom(AGENCIES.A, AGENCIES.B),
      procedure: fc.constantFrom(PROCEDURE, "1.000002.000.00.00.H47", "unknown.procedure"),
      promisedAfter: fc.option(fc.integer({ min: -2 * 1440, max: 40 * 1440 }), { nil: null }),
      finishedAfter: fc.option(fc.integer({ min: 0, max: 40 * 1440 }), { nil: null }),
      status: fc.constantFrom(4, 4, 9, 10, 3, 7),
    })
    .map((d) => ({
      procedureCode: d.procedure,
      agencyCode: d.agency.code,
      agencyName: d.agency.name,
      channel: d.channel,
      receivedAt: local(d.received),
      promisedDueAt: d.promisedAfter === null ? null : local(d.received + d.promisedAfter * 60_000),
      finishedAt: d.finishedAfter === null ? null : local(d.received + d.finishedAfter * 60_000),
      status: d.status,
      steps: [],
      pauses: [],
    }));

  it("gives the engine's stored deadlines to the ms, for random dossiers without pauses", async () => {
    await postProcedure({
      processingDays: 3,
      perChannel: { online: { processingDays: 0.5 }, postal: { processingHours: 7.5 } },
    });
    await ok(
      await server.request("/api/v1/procedures", {
        method: "POST",
        token: tokens.admin,
        json: [{ code: "1.000002.000.00.00.H47", name: "Đăng ký khai sinh", processingHours: 2 }],
      }),
    );
    let batch = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(dossier, { minLength: 40, maxLength: 40 }), async (records) => {
        batch++;
        const coded = records.map((r, i) => canonicalRecord({ ...r, code: `SQL-${batch}-${i}` }));
        await server.sync(coded);
        const codes = coded.map((r) => r.code as string);
        // The sync computed them with the engine: the SQL path finds nothing to change…
        const again = await recomputeDeadlines(server.database.db, { codes, asOf: NOW });
        expect(again).toMatchObject({ selected: 40, updated: 0 });
        // …and, from scratch, writes back exactly what the engine had stored.
        const engine = await stored();
        await server.database.db.execute(sql`
          UPDATE dossiers SET start_at = NULL, statutory_due_at = NULL, binding_due_at = NULL,
            apology_window_starts_at = NULL, processing_time_known = NOT processing_time_known
          WHERE code = ANY(${textArray(codes)})`);
        const fresh = await recomputeDeadlines(server.database.db, { codes, asOf: NOW });
        expect(fresh.updated).toBe(40);
        expect(await stored()).toEqual(engine);
      }),
      // Each run syncs a batch: report the failing batch rather than shrink through more syncs.
      { numRuns: 3, endOnFailure: true },
    );
  });

  it("gives the engine's lateness for stored dossiers, in working minutes", async () => {
    const calendar = await storedCalendar(server.database.db);
    for (const asOf of [
      "2025-02-04T09:00:00+07:00",
      "2025-06-30T16:45:30.250+07:00",
      "2026-12-01T08:00:00+07:00",
    ]) {
      const at = new Date(asOf);
      const rows = await queryRows<{
        code: string;
        binding_due_at: string | null;
        completed_at: string | null;
        working_periods: WorkingPeriods;
        minutes: number | null;
      }>(
        server.database.db,
        sql`SELECT d.code, d.binding_due_at, d.completed_at, a.working_periods, ${latenessMinutesAsOf(at)} AS minutes
            FROM dossiers d JOIN agencies a ON a.code = d.agency_code ORDER BY d.code`,
      );
      expect(rows.filter((r) => (r.minutes ?? 0) > 0).length).toBeGreaterThan(10);
      for (const row of rows) {
        const stored = {
          ...UNKNOWN,
          bindingDueAt: row.binding_due_at === null ? null : new Date(row.binding_due_at),
          finishedAt: row.completed_at === null ? null : new Date(row.completed_at),
        };
        const engine = lateness(calendar.indexFor(row.working_periods), stored, at);
        expect(row.minutes, `${row.code} at ${asOf}`).toBe(engine.minutes);
      }
    }
  });
});
