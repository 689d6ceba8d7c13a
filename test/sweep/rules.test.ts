// The rules of DOMAIN §7 on a crafted dataset, over HTTP with a fixed clock: every rule firing and
// not firing (one dossier per case), a violation stored once however often the sweep runs,
// resolved when its cause goes away and reopened when it comes back, kept when the dossier closes,
// and the nightly incremental sweep finding exactly what a full one finds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/runtime/clock.js";
import type { SweepCounts } from "../../src/sweep/run.js";
import type { ViolationRule } from "../../src/sweep/schema.js";
import { BUILDING_PERMIT } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";
import { APOLOGY_WINDOW, codeOf, dossier, insertLetter, utc } from "./dataset.js";

// Synced in the evening of Wed 19/3, swept at 00:30 the next night, as in production.
const clock = fixedClock(new Date("2025-03-19T20:00:00+07:00"));
const NIGHT = new Date("2025-03-20T00:30:00+07:00");
let server: SeededServer;
let tokens: Tokens;

interface Case {
  rule: ViolationRule;
  fires: boolean;
  /** What the dossier is, as the test's name says it. */
  name: string;
  code: string;
  /** Synced in order: a second version makes the history the rule reads. */
  versions: Record<string, unknown>[];
  letter?: { issuedAt: string; newDueAt: string };
  details?: Record<string, unknown>;
}

function make(
  rule: ViolationRule,
  fires: boolean,
  name: string,
  build: (code: string) => Record<string, unknown>[],
  extra: Pick<Case, "letter" | "details"> = {},
): Case {
  const code = codeOf();
  return { rule, fires, name, code, versions: build(code), ...extra };
}

const at = (local: string) => `2025-03-${local}+07:00`;
const supplement = (from: string, to: string | null) => ({
  kind: "supplement",
  startedAt: at(from),
  endedAt: to && at(to),
});

const CASES: Case[] = [
  make("late_without_apology", true, "open past its due, no letter", (c) => [dossier(c)], {
    details: { state: "overdue", bindingDueAt: utc("2025-03-10T08:00:00+07:00") },
  }),
  make(
    "late_without_apology",
    true,
    "finished late, no letter",
    (c) => [dossier(c, { status: 9, finishedAt: at("12T10:00:00") })],
    { details: { state: "late", bindingDueAt: utc("2025-03-10T08:00:00+07:00") } },
  ),
  make("late_without_apology", false, "finished early", (c) => [
    dossier(c, { status: 10, finishedAt: at("06T09:00:00"), returnedAt: at("07T09:00:00") }),
  ]),
  make("late_without_apology", false, "overdue with a letter", (c) => [dossier(c)], {
    letter: { issuedAt: APOLOGY_WINDOW, newDueAt: at("25T08:00:00") },
  }),
  make("late_without_apology", false, "open, not due yet", (c) => [
    dossier(c, {
      receivedAt: at("17T08:00:00"),
      promisedDueAt: at("24T08:00:00"),
      sourceUpdatedAt: at("17T08:05:00"),
    }),
  ]),
  make("late_without_apology", false, "overdue but stopped (closed)", (c) => [dossier(c, { status: 8 })]),
  make(
    "apology_after_deadline",
    true,
    "letter issued two hours into the apology window",
    (c) => [dossier(c)],
    {
      letter: { issuedAt: at("07T10:00:00"), newDueAt: at("25T08:00:00") },
      details: { issuedAt: utc(at("07T10:00:00")), apologyDeadline: utc(APOLOGY_WINDOW) },
    },
  ),
  make("apology_after_deadline", false, "letter issued as the apology window opens", (c) => [dossier(c)], {
    letter: { issuedAt: APOLOGY_WINDOW, newDueAt: at("25T08:00:00") },
  }),
  make("late_after_reappointment", true, "unfinished past the letter's new date", (c) => [dossier(c)], {
    letter: { issuedAt: APOLOGY_WINDOW, newDueAt: at("14T08:00:00") },
    details: { newDueAt: utc(at("14T08:00:00")), finishedAt: null },
  }),
  make(
    "late_after_reappointment",
    true,
    "finished after the letter's new date",
    (c) => [dossier(c, { status: 9, finishedAt: at("17T09:00:00") })],
    {
      letter: { issuedAt: APOLOGY_WINDOW, newDueAt: at("14T08:00:00") },
      details: { newDueAt: utc(at("14T08:00:00")), finishedAt: utc(at("17T09:00:00")) },
    },
  ),
  make(
    "late_after_reappointment",
    false,
    "finished by the letter's new date",
    (c) => [dossier(c, { status: 9, finishedAt: at("13T09:00:00") })],
    { letter: { issuedAt: APOLOGY_WINDOW, newDueAt: at("14T08:00:00") } },
  ),
  make(
    "late_after_reappointment",
    false,
    "unfinished, the letter's new date still ahead",
    (c) => [dossier(c)],
    {
      letter: { issuedAt: APOLOGY_WINDOW, newDueAt: at("25T08:00:00") },
    },
  ),
  make(
    "multiple_supplement_requests",
    true,
    "two supplement requests",
    (c) => [
      dossier(c, {
        pauses: [supplement("04T08:00:00", "05T08:00:00"), supplement("11T08:00:00", "12T08:00:00")],
      }),
    ],
    { details: { requests: 2 } },
  ),
  make("multiple_supplement_requests", false, "one supplement request and one financial wait", (c) => [
    dossier(c, {
      pauses: [
        supplement("04T08:00:00", "05T08:00:00"),
        { kind: "financial", startedAt: at("11T08:00:00"), endedAt: at("12T08:00:00") },
      ],
    }),
  ]),
  make(
    "appointment_beyond_statutory",
    true,
    "promised two days after the statutory due",
    (c) => [dossier(c, { promisedDueAt: at("12T08:00:00") })],
    { details: { promisedDueAt: utc(at("12T08:00:00")), statutoryDueAt: utc("2025-03-10T08:00:00+07:00") } },
  ),
  // Received Mon 17/3, statutory Mon 24/3 08:00, paused since Wed 19/3 08:00: as of Thu 20/3 00:30
  // the statutory due is Mon 24/3 17:30 and still moving, so the promise of 26/3 is not judged yet.
  make("appointment_beyond_statutory", false, "promised beyond the statutory due while a pause runs", (c) => [
    dossier(c, {
      receivedAt: at("17T08:00:00"),
      promisedDueAt: at("26T08:00:00"),
      status: 5,
      pauses: [supplement("19T08:00:00", null)],
      sourceUpdatedAt: at("19T08:05:00"),
    }),
  ]),
  make(
    "appointment_beyond_statutory",
    false,
    "promised at the apology letter's new date (copied by the one-stop software)",
    (c) => [dossier(c, { promisedDueAt: at("14T08:00:00") })],
    { letter: { issuedAt: APOLOGY_WINDOW, newDueAt: at("14T08:00:00") } },
  ),
  make("appointment_moved_silently", true, "promise moved two days later with nothing to explain it", (c) => [
    dossier(c),
    dossier(c, { promisedDueAt: at("12T08:00:00"), sourceUpdatedAt: at("06T10:00:00") }),
  ]),
  make("appointment_moved_silently", false, "promise moved by the supplement pause in between", (c) => [
    dossier(c),
    dossier(c, {
      promisedDueAt: at("11T08:00:00"),
      pauses: [supplement("04T08:00:00", "05T08:00:00")],
      sourceUpdatedAt: at("06T10:00:00"),
    }),
  ]),
  make("appointment_moved_silently", false, "promise moved earlier", (c) => [
    dossier(c),
    dossier(c, { promisedDueAt: at("07T08:00:00"), sourceUpdatedAt: at("06T10:00:00") }),
  ]),
  make(
    "appointment_moved_silently",
    false,
    "promise moved to the date of the apology letter issued before",
    (c) => [dossier(c), dossier(c, { promisedDueAt: at("14T08:00:00"), sourceUpdatedAt: at("06T10:00:00") })],
    { letter: { issuedAt: at("06T09:00:00"), newDueAt: at("14T08:00:00") } },
  ),
  make(
    "inconsistent_record",
    true,
    "finished the day before it was received",
    (c) => [
      dossier(c, { status: 10, finishedAt: "2025-03-02T09:00:00+07:00", returnedAt: at("03T09:00:00") }),
    ],
    { details: { checks: ["finished_before_received"] } },
  ),
  make(
    "inconsistent_record",
    true,
    "processed (status 9) without a finish time",
    (c) => [dossier(c, { status: 9 })],
    { details: { checks: ["done_without_finish_time"] } },
  ),
  make(
    "inconsistent_record",
    true,
    "status back from processed (9) to processing (4)",
    (c) => [
      dossier(c, { status: 9, finishedAt: at("07T09:00:00"), sourceUpdatedAt: at("07T09:05:00") }),
      dossier(c, { status: 4, sourceUpdatedAt: at("08T10:00:00") }),
    ],
    { details: { checks: ["status_backwards"] } },
  ),
  make(
    "inconsistent_record",
    true,
    "received on Saturday 8/3 (no make-up decree)",
    (c) => [
      dossier(c, {
        receivedAt: at("08T09:00:00"),
        promisedDueAt: at("14T09:00:00"),
        status: 10,
        finishedAt: at("12T09:00:00"),
        returnedAt: at("12T10:00:00"),
        sourceUpdatedAt: at("12T10:05:00"),
      }),
    ],
    { details: { checks: ["received_on_day_off"] } },
  ),
  make(
    "inconsistent_record",
    true,
    "received on New Year's Day 2025 and finished the day before",
    (c) => [
      dossier(c, {
        receivedAt: "2025-01-01T09:00:00+07:00",
        status: 10,
        finishedAt: "2024-12-31T09:00:00+07:00",
        returnedAt: "2025-01-02T09:00:00+07:00",
        steps: [],
      }),
    ],
    { details: { checks: ["finished_before_received", "received_on_day_off"] } },
  ),
  make("inconsistent_record", false, "received on the decreed make-up Saturday 4/5/2024", (c) => [
    dossier(c, {
      receivedAt: "2024-05-04T09:00:00+07:00",
      promisedDueAt: "2024-05-10T09:00:00+07:00",
      status: 10,
      finishedAt: "2024-05-08T09:00:00+07:00",
      returnedAt: "2024-05-08T10:00:00+07:00",
      steps: [],
      sourceUpdatedAt: "2024-05-08T10:05:00+07:00",
    }),
  ]),
  make(
    "inconsistent_record",
    true,
    "a step that ends before it starts",
    (c) => [
      dossier(c, {
        steps: [
          {
            seq: 1,
            officialId: "cb-001",
            officialName: "Trần Thị Bình",
            title: "Chuyên viên",
            department: "Phòng Kinh tế",
            startedAt: at("04T08:00:00"),
            dueAt: at("07T08:00:00"),
            endedAt: at("03T09:00:00"),
          },
        ],
      }),
    ],
    { details: { checks: ["step_ends_before_start"] } },
  ),
  make("inconsistent_record", false, "finished early, every date in order", (c) => [
    dossier(c, { status: 10, finishedAt: at("07T09:00:00"), returnedAt: at("07T10:00:00") }),
  ]),
];

const TO_CLOSE = codeOf();
const OF_B = "000.21.21.H47-250303-0001";

interface ViolationItem {
  id: number;
  dossierCode: string;
  agencyCode: string;
  rule: ViolationRule;
  details: Record<string, unknown>;
  detectedAt: string;
  resolvedAt: string | null;
  sweepId: number | null;
}

/** Pushes records as the system user; a rejected one fails the test. */
const sync = (records: Record<string, unknown>[]) => server.sync(records);

async function sweep(body: Record<string, unknown> = {}) {
  return (await ok(
    await server.request("/api/v1/sweeps", { method: "POST", token: tokens.system, json: body }),
    [201],
  )) as { id: number; status: string; errors: string[]; counts: SweepCounts };
}

async function allViolations(): Promise<ViolationItem[]> {
  const items: ViolationItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : "";
    const page = (await ok(
      await server.request(`/api/v1/violations?limit=7${query}`, { token: tokens.inspectorAll }),
    )) as { items: ViolationItem[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items.sort((a, b) => a.id - b.id);
}

const openOf = (items: ViolationItem[], code: string) =>
  items.filter((v) => v.dossierCode === code && v.resolvedAt === null).map((v) => v.rule);

let first: Awaited<ReturnType<typeof sweep>>;
let afterFirst: ViolationItem[];

beforeAll(async () => {
  server = await startSeededServer({
    clock,
    procedures: [BUILDING_PERMIT],
    records: [
      ...CASES.map((c) => c.versions[0]),
      dossier(TO_CLOSE),
      dossier(OF_B, { agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
    ],
  });
  ({ tokens } = server);
  await sync(CASES.filter((c) => c.versions[1]).map((c) => c.versions[1]));
  for (const c of CASES) {
    if (c.letter)
      await insertLetter(server, { dossierCode: c.code, agencyCode: AGENCIES.A.code, ...c.letter });
  }
  clock.set(NIGHT);
  first = await sweep();
  afterFirst = await allViolations();
});
afterAll(() => server.close());

describe("each rule fires on its case and only there", () => {
  it.each(CASES.map((c) => [`${c.rule} ${c.fires ? "fires" : "does not fire"}: ${c.name}`, c] as const))(
    "%s",
    (_name, c) => {
      const found = afterFirst.find((v) => v.dossierCode === c.code && v.rule === c.rule);
      if (!c.fires) {
        expect(found).toBeUndefined();
        return;
      }
      expect(found).toBeDefined();
      expect(found).toMatchObject({ agencyCode: AGENCIES.A.code, resolvedAt: null, sweepId: first.id });
      if (c.details) expect(found?.details).toMatchObject(c.details);
    },
  );

  it("names every failed check of an inconsistent record, and records nothing for a clean dossier", () => {
    const clean = CASES.find((c) => c.name === "finished early, every date in order")!;
    expect(afterFirst.filter((v) => v.dossierCode === clean.code)).toEqual([]);
    const makeup = CASES.find((c) => c.name.startsWith("received on the decreed make-up"))!;
    expect(afterFirst.filter((v) => v.dossierCode === makeup.code)).toEqual([]);
  });

  it("records the run: a full first sweep, counts per state and per rule", async () => {
    expect(first).toMatchObject({ status: "succeeded", errors: [] });
    expect(first.counts.mode).toBe("full");
    const firing = CASES.filter((c) => c.fires);
    for (const rule of new Set(firing.map((c) => c.rule))) {
      expect(first.counts.rules[rule].new, rule).toBeGreaterThanOrEqual(
        firing.filter((c) => c.rule === rule).length,
      );
    }
    const total = Object.values(first.counts.states).reduce((a, b) => a + b, 0);
    expect(total).toBe(CASES.length + 2);
    expect(first.counts.states.closed).toBe(1);
    const stored = (await ok(
      await server.request(`/api/v1/sweeps/${first.id}`, { token: tokens.admin }),
    )) as Record<string, unknown>;
    expect(stored).toMatchObject({
      id: first.id,
      trigger: "api",
      status: "succeeded",
      asOf: NIGHT.toISOString(),
    });
  });
});

describe("a violation is stored once", () => {
  it("a second sweep changes nothing: same rows, same ids", async () => {
    const second = await sweep();
    expect(second.counts.mode).toBe("incremental");
    for (const counts of Object.values(second.counts.rules)) {
      expect(counts).toMatchObject({ new: 0, reopened: 0, resolved: 0 });
    }
    expect(await allViolations()).toEqual(afterFirst);
  });

  it("is resolved when its cause goes away, and reopened (same id) when it comes back", async () => {
    const two = CASES.find((c) => c.name === "two supplement requests")!;
    const before = afterFirst.find(
      (v) => v.dossierCode === two.code && v.rule === "multiple_supplement_requests",
    )!;
    const pauses = (two.versions[0].pauses as unknown[]).slice(0, 1);
    clock.set(new Date("2025-03-20T09:00:00+07:00"));
    await sync([{ ...two.versions[0], pauses, sourceUpdatedAt: at("19T09:00:00") }]);
    const resolving = await sweep();
    expect(resolving.counts.rules.multiple_supplement_requests.resolved).toBe(1);
    const resolved = (await allViolations()).find((v) => v.id === before.id)!;
    expect(resolved.resolvedAt).toBe(clock.now().toISOString());

    await sync([{ ...two.versions[0], sourceUpdatedAt: at("19T10:00:00") }]);
    const reopening = await sweep();
    expect(reopening.counts.rules.multiple_supplement_requests).toMatchObject({ new: 0, reopened: 1 });
    const reopened = (await allViolations()).find((v) => v.id === before.id)!;
    expect(reopened).toMatchObject({ resolvedAt: null, detectedAt: before.detectedAt });
  });

  it("stays on record when the dossier closes (withdrawn): closed dossiers are not judged", async () => {
    expect(openOf(afterFirst, TO_CLOSE)).toEqual(["late_without_apology"]);
    clock.set(new Date("2025-03-20T10:00:00+07:00"));
    await sync([dossier(TO_CLOSE, { status: 7, sourceUpdatedAt: at("19T11:00:00") })]);
    await sweep();
    expect(openOf(await allViolations(), TO_CLOSE)).toEqual(["late_without_apology"]);
    const detail = (await ok(
      await server.request(`/api/v1/dossiers/${TO_CLOSE}`, { token: tokens.officerA }),
    )) as {
      state: string;
      violations: { rule: string; resolvedAt: string | null }[];
    };
    expect(detail.state).toBe("closed");
    expect(detail.violations).toEqual([
      expect.objectContaining({ rule: "late_without_apology", resolvedAt: null }),
    ]);
  });
});

describe("the nightly incremental sweep", () => {
  it("finds what a full sweep finds, after syncs, a letter and time passing", async () => {
    // A week later: the letters' new dates of 25/3 pass, the paused dossier's due keeps moving.
    clock.set(new Date("2025-03-27T00:30:00+07:00"));
    const overdue = CASES.find((c) => c.name === "open past its due, no letter")!;
    await insertLetter(server, {
      dossierCode: overdue.code,
      agencyCode: AGENCIES.A.code,
      issuedAt: "2025-03-26T15:00:00+07:00",
      newDueAt: "2025-04-02T08:00:00+07:00",
    });
    const fresh = codeOf();
    const finishedBefore = CASES.find((c) => c.name === "finished by the letter's new date")!;
    await sync([
      dossier(fresh, { status: 9, sourceUpdatedAt: at("26T16:00:00") }),
      { ...finishedBefore.versions[0], finishedAt: at("15T09:00:00"), sourceUpdatedAt: at("26T17:00:00") },
    ]);
    const incremental = await sweep();
    expect(incremental.counts.mode).toBe("incremental");
    expect(incremental.counts.evaluated).toBeLessThan(CASES.length);
    const byIncremental = await allViolations();
    expect(openOf(byIncremental, overdue.code)).toEqual(["apology_after_deadline"]);
    expect(openOf(byIncremental, fresh)).toEqual(["late_without_apology", "inconsistent_record"]);
    const notYet = CASES.find((c) => c.name === "unfinished, the letter's new date still ahead")!;
    expect(openOf(byIncremental, notYet.code)).toEqual(["late_after_reappointment"]);
    expect(openOf(byIncremental, finishedBefore.code)).toEqual(["late_after_reappointment"]);

    const full = await sweep({ full: true });
    expect(full.counts.mode).toBe("full");
    for (const counts of Object.values(full.counts.rules)) {
      expect(counts).toMatchObject({ new: 0, reopened: 0, resolved: 0 });
    }
    expect(await allViolations()).toEqual(byIncremental);
  });
});
