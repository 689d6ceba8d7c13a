// The calendar over HTTP: a year's days, one day's edit previewed (nothing changes) then confirmed
// (the open dossiers it moves are recomputed, set-based, and the edit audited), and the confirmation
// of a generated year.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../src/audit/schema.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

let server: SeededServer;
let tokens: Tokens;

// All received Fri 24/1/2025 10:00 with 5 working days: due Fri 7/2 10:00 across Tết (DOMAIN §3.3).
const OPEN = "000.20.20.H47-250124-0101";
/** A supplement Mon 3/2 07:30 – Tue 4/2 07:30 stops the clock one working day: due Mon 10/2 10:00. */
const PAUSED = "000.20.20.H47-250124-0102";
const FINISHED = "000.20.20.H47-250124-0103";
/** Received after the edited day: its deadlines do not depend on it. */
const LATER = "000.20.20.H47-250206-0104";
/** Agency B works 07:00–11:30, 13:30–17:00 (its own SQL profile). */
const OF_B = "000.21.21.H47-250124-0105";

const NOW = new Date("2025-02-06T12:00:00+07:00");
const utc = (local: string) => new Date(`${local}+07:00`).toISOString();

beforeAll(async () => {
  const workingPeriods = [
    ["07:00", "11:30"],
    ["13:30", "17:00"],
  ];
  const records = [
    canonicalRecord({ code: OPEN }),
    canonicalRecord({
      code: PAUSED,
      promisedDueAt: null,
      status: 4,
      pauses: [
        {
          kind: "supplement",
          startedAt: "2025-02-03T07:30:00+07:00",
          endedAt: "2025-02-04T07:30:00+07:00",
          reason: "Thiếu bản vẽ",
        },
      ],
    }),
    canonicalRecord({ code: FINISHED, status: 9, finishedAt: "2025-02-06T09:00:00+07:00" }),
    canonicalRecord({
      code: LATER,
      receivedAt: "2025-02-06T09:00:00+07:00",
      promisedDueAt: null,
      steps: [],
    }),
    canonicalRecord({ code: OF_B, agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
  ];
  server = await startSeededServer({
    clock: fixedClock(NOW),
    agencies: Object.values(AGENCIES).map((a) => (a === AGENCIES.B ? { ...a, workingPeriods } : a)),
    procedures: [BUILDING_PERMIT],
    records,
  });
  ({ tokens } = server);
});
afterAll(() => server.close());

interface Moved {
  old: string | null;
  new: string | null;
  shiftHours: number | null;
}
interface Outcome {
  applied: boolean;
  old: { kind: string };
  new: { kind: string; name: string | null };
  dossiers: {
    moved: number;
    listed: { code: string; statutoryDueAt: Moved; bindingDueAt: Moved; apologyWindowStartsAt: Moved }[];
  };
}

const putDay = async (date: string, json: Record<string, unknown>, expected = [200]) =>
  (await ok(
    await server.request(`/api/v1/calendar/days/${date}`, { method: "PUT", token: tokens.admin, json }),
    expected,
  )) as Outcome;

/** The stored statutory due of each dossier, as the list (SQL over stored columns) shows it. */
async function storedStatutory(): Promise<Record<string, string | null>> {
  const page = (await ok(await server.request("/api/v1/dossiers?limit=50", { token: tokens.admin }))) as {
    items: { code: string; statutoryDueAt: string | null }[];
  };
  return Object.fromEntries(page.items.map((i) => [i.code, i.statutoryDueAt]));
}

const calendarActions = async () =>
  (await server.database.db.select().from(auditLog))
    .filter((r) => r.action.startsWith("calendar."))
    .map((r) => ({ action: r.action, resourceId: r.resourceId, details: r.details }));

const DAY_OFF = { kind: "holiday", name: "Nghỉ đột xuất", legalRef: "Quyết định thử nghiệm" };

describe("a day's edit", () => {
  it("previews the open dossiers it moves, with old and new values and the shift, and changes nothing", async () => {
    const before = await storedStatutory();
    const preview = await putDay("2025-02-05", DAY_OFF);
    expect(preview).toMatchObject({ applied: false, old: { kind: "working" }, new: { kind: "holiday" } });
    expect(preview.dossiers.moved).toBe(3);
    const byCode = Object.fromEntries(preview.dossiers.listed.map((d) => [d.code, d]));
    expect(Object.keys(byCode).sort()).toEqual([OF_B, OPEN, PAUSED].sort());
    // Its statutory due moves a working day later; the promise (7/2 10:00) stays binding.
    expect(byCode[OPEN]).toMatchObject({
      statutoryDueAt: { old: utc("2025-02-07T10:00:00"), new: utc("2025-02-10T10:00:00"), shiftHours: 8 },
      bindingDueAt: { old: utc("2025-02-07T10:00:00"), new: utc("2025-02-07T10:00:00"), shiftHours: 0 },
    });
    // Computed by the engine (it has a pause): nothing promised, so the binding due moves too.
    expect(byCode[PAUSED]).toMatchObject({
      statutoryDueAt: { old: utc("2025-02-10T10:00:00"), new: utc("2025-02-11T10:00:00"), shiftHours: 8 },
      bindingDueAt: { new: utc("2025-02-11T10:00:00"), shiftHours: 8 },
      apologyWindowStartsAt: {
        old: utc("2025-02-07T10:00:00"),
        new: utc("2025-02-10T10:00:00"),
        shiftHours: 8,
      },
    });
    expect(byCode[OF_B].statutoryDueAt).toMatchObject({ new: utc("2025-02-10T10:00:00"), shiftHours: 8 });
    expect(await storedStatutory()).toEqual(before);
    const year = (await ok(await server.request("/api/v1/calendar/2025", { token: tokens.admin }))) as {
      days: { date: string }[];
    };
    expect(year.days.some((d) => d.date === "2025-02-05")).toBe(false);
    expect(await calendarActions()).toEqual([]);
  });

  it("applies on confirmation: stored deadlines recomputed, the engine's views see the new calendar, audited", async () => {
    const applied = await putDay("2025-02-05", { ...DAY_OFF, confirm: true });
    expect(applied.applied).toBe(true);
    expect(applied.dossiers.moved).toBe(3);
    const stored = await storedStatutory();
    expect(stored).toMatchObject({
      [OPEN]: utc("2025-02-10T10:00:00"),
      [PAUSED]: utc("2025-02-11T10:00:00"),
      [OF_B]: utc("2025-02-10T10:00:00"),
      [FINISHED]: utc("2025-02-07T10:00:00"),
      [LATER]: utc("2025-02-13T09:00:00"),
    });
    // The detail is computed live from the stored calendar: its memo saw the edit.
    const detail = (await ok(
      await server.request(`/api/v1/dossiers/${OPEN}`, { token: tokens.officerA }),
    )) as {
      statutoryDueAt: string;
    };
    expect(detail.statutoryDueAt).toBe(utc("2025-02-10T10:00:00"));
    const year = (await ok(await server.request("/api/v1/calendar/2025", { token: tokens.officerB }))) as {
      workingDays: number;
      days: { date: string; kind: string; name: string; legalRef: string }[];
    };
    expect(year.days.find((d) => d.date === "2025-02-05")).toEqual({ date: "2025-02-05", ...DAY_OFF });
    const [audit] = await calendarActions();
    expect(audit).toMatchObject({
      action: "calendar.day.update",
      resourceId: "2025-02-05",
      details: { old: { kind: "working" }, new: DAY_OFF, dossiersMoved: 3 },
    });
  });

  it("reverts with kind working: the deadlines come back", async () => {
    const reverted = await putDay("2025-02-05", { kind: "working", confirm: true });
    expect(reverted.dossiers.moved).toBe(3);
    expect(await storedStatutory()).toMatchObject({
      [OPEN]: utc("2025-02-07T10:00:00"),
      [PAUSED]: utc("2025-02-10T10:00:00"),
      [OF_B]: utc("2025-02-07T10:00:00"),
    });
  });

  it("moves only the dossiers whose span covers the day: a make-up Saturday after a due moves nothing of it", async () => {
    const preview = await putDay("2025-02-08", { kind: "makeup_working", name: "Làm bù" });
    expect(preview.dossiers.listed.map((d) => d.code).sort()).toEqual([LATER, PAUSED].sort());
    const paused = preview.dossiers.listed.find((d) => d.code === PAUSED)!;
    expect(paused.statutoryDueAt).toMatchObject({ new: utc("2025-02-08T10:00:00"), shiftHours: -8 });
  });

  it("refuses a kind that does not fit the day, a date outside the calendar and malformed input", async () => {
    const refused = async (date: string, json: unknown, status: number) => {
      const res = await server.request(`/api/v1/calendar/days/${date}`, {
        method: "PUT",
        token: tokens.admin,
        json,
      });
      expect(res.status, `${date} ${JSON.stringify(json)}`).toBe(status);
      return ((await res.json()) as { error: { details?: { field?: string; errors?: { path: string }[] } } })
        .error.details;
    };
    expect(await refused("2025-02-05", { kind: "weekend" }, 422)).toEqual({ field: "kind" });
    expect(await refused("2025-02-05", { kind: "makeup_working" }, 422)).toEqual({ field: "kind" });
    expect(await refused("2025-02-08", { kind: "working" }, 422)).toEqual({ field: "kind" });
    expect(await refused("1989-05-05", { kind: "holiday" }, 422)).toEqual({ field: "date" });
    expect((await refused("2025-02-30", { kind: "holiday" }, 400))?.errors?.[0].path).toBe("date");
    expect((await refused("2025-02-05", { kind: "working", name: "x" }, 400))?.errors?.[0].path).toBe("name");
    expect((await refused("2025-02-05", { kind: "nghỉ" }, 400))?.errors?.[0].path).toBe("kind");
  });
});

describe("a year", () => {
  it("shows its days, whether it is provisional and who confirmed it", async () => {
    const y2025 = (await ok(await server.request("/api/v1/calendar/2025", { token: tokens.inspectorA }))) as {
      provisional: boolean;
      confirmedBy: unknown;
      workingDays: number;
      days: { date: string; kind: string; name: string | null }[];
    };
    expect(y2025).toMatchObject({ provisional: false, confirmedBy: null });
    expect(y2025.days.find((d) => d.date === "2025-01-29")).toMatchObject({
      kind: "holiday",
      name: "Tết Nguyên đán",
    });
    expect(y2025.days.find((d) => d.date === "2025-04-26")).toMatchObject({ kind: "makeup_working" });
    expect((await server.request("/api/v1/calendar/1989", { token: tokens.admin })).status).toBe(404);
    expect((await server.request("/api/v1/calendar/2101", { token: tokens.admin })).status).toBe(404);
    expect((await server.request("/api/v1/calendar/20x5", { token: tokens.admin })).status).toBe(400);
  });

  it("is confirmed once by an admin, audited; a shipped or confirmed year answers 409", async () => {
    const before = (await ok(await server.request("/api/v1/calendar/2027", { token: tokens.admin }))) as {
      provisional: boolean;
    };
    expect(before.provisional).toBe(true);
    const confirmed = await ok(
      await server.request("/api/v1/calendar/2027/confirm", { method: "POST", token: tokens.admin }),
    );
    expect(confirmed).toMatchObject({
      year: 2027,
      provisional: false,
      confirmedBy: { name: "Quản trị hệ thống" },
      confirmedAt: NOW.toISOString(),
    });
    for (const year of [2027, 2025]) {
      const again = await server.request(`/api/v1/calendar/${year}/confirm`, {
        method: "POST",
        token: tokens.admin,
      });
      expect(again.status).toBe(409);
    }
    expect(
      (await server.request("/api/v1/calendar/2101/confirm", { method: "POST", token: tokens.admin })).status,
    ).toBe(404);
    expect((await calendarActions()).filter((a) => a.action === "calendar.year.confirm")).toEqual([
      { action: "calendar.year.confirm", resourceId: "2027", details: {} },
    ]);
  });
});
