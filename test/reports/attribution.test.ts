// Attribution (DOMAIN §5): the pure rule, the dossier detail's responsible[], justifications over
// HTTP, and the set-based SQL held to the same answers as the pure rule.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarYears } from "../../src/calendar/calendar-year.js";
import { WorkingTimeIndex } from "../../src/calendar/working-time.js";
import { queryRows } from "../../src/db/client.js";
import { type AttributionStep, attributeDossier, stepDueOf } from "../../src/reports/attribution.js";
import { attributionSql } from "../../src/reports/attribution-sql.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { AGENCIES, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";
import { dossier, getJson, officialOf, PERMIT_WITH_STEPS } from "./dataset.js";

const NOW = new Date("2025-03-03T10:00:00+07:00");
const index = new WorkingTimeIndex(calendarYears(2024, 2026));
const t = (local: string) => new Date(`${local}+07:00`);

const BINH = officialOf("cb-001", "Trần Thị Bình");
const CUONG = officialOf("cb-002", "Phạm Văn Cường", "Phòng Quản lý đô thị");
const DUNG = officialOf("cb-003", "Đỗ Thị Dung");
const EM = officialOf("cb-004", "Vũ Văn Em");

const ATTRIBUTED = "000.20.20.H47-250106-0001";
const NO_LATE_STEP = "000.20.20.H47-250106-0002";
const NO_STEPS = "000.20.20.H47-250106-0003";
const EARLY = "000.20.20.H47-250106-0004";
const OPEN_STEP = "000.20.20.H47-250106-0005";
const OF_B = "000.21.21.H47-250106-0001";

// Received Mon 6/1 08:00 (working time): 5 working days → binding due Mon 13/1 08:00.
const RECEIVED = "2025-01-06T08:00:00+07:00";

const records = [
  dossier(
    ATTRIBUTED,
    AGENCIES.A,
    RECEIVED,
    [
      // Due 11:30 by the record, ended 15:30: 2 working hours over (the lunch break does not count).
      {
        official: BINH,
        startedAt: RECEIVED,
        dueAt: "2025-01-06T11:30:00+07:00",
        endedAt: "2025-01-06T15:30:00+07:00",
      },
      // No due in the record: 16 h allotment from Mon 15:30 → Wed 8/1 15:30; ended Thu 10:30 → 5 h over.
      { official: CUONG, startedAt: "2025-01-06T15:30:00+07:00", endedAt: "2025-01-09T10:30:00+07:00" },
      {
        official: DUNG,
        startedAt: "2025-01-09T10:30:00+07:00",
        dueAt: "2025-01-10T10:30:00+07:00",
        endedAt: "2025-01-10T09:00:00+07:00",
      },
      // Bình again: due 11:00, ended 14:30 → 1.5 h; her total is 3.5 h, her first late step is seq 1.
      {
        official: BINH,
        startedAt: "2025-01-10T09:00:00+07:00",
        dueAt: "2025-01-10T11:00:00+07:00",
        endedAt: "2025-01-10T14:30:00+07:00",
      },
    ],
    { status: 9, finishedAt: "2025-01-14T10:00:00+07:00" },
  ),
  dossier(
    NO_LATE_STEP,
    AGENCIES.A,
    RECEIVED,
    [
      {
        official: DUNG,
        startedAt: RECEIVED,
        dueAt: "2025-01-07T08:00:00+07:00",
        endedAt: "2025-01-07T08:00:00+07:00",
      },
    ],
    { status: 9, finishedAt: "2025-01-15T10:00:00+07:00" },
  ),
  dossier(NO_STEPS, AGENCIES.A, RECEIVED, []),
  dossier(
    EARLY,
    AGENCIES.A,
    RECEIVED,
    [
      {
        official: BINH,
        startedAt: RECEIVED,
        dueAt: "2025-01-06T09:00:00+07:00",
        endedAt: "2025-01-07T09:00:00+07:00",
      },
    ],
    { status: 9, finishedAt: "2025-01-09T10:00:00+07:00" },
  ),
  // Still open at its step: late as of any time past its due.
  dossier(OPEN_STEP, AGENCIES.A, RECEIVED, [
    { official: EM, startedAt: RECEIVED, dueAt: "2025-01-07T10:00:00+07:00" },
  ]),
  dossier(OF_B, AGENCIES.B, RECEIVED, [
    {
      official: officialOf("cb-b01", "Hoàng Thị Giang"),
      startedAt: RECEIVED,
      dueAt: "2025-01-07T10:00:00+07:00",
    },
  ]),
];

describe("attributeDossier (pure)", () => {
  const step = (s: Partial<AttributionStep>): AttributionStep => ({
    seq: 1,
    officialId: "x",
    officialName: "X",
    title: null,
    department: null,
    startedAt: null,
    dueAt: null,
    endedAt: null,
    ...s,
  });
  const input = (steps: AttributionStep[], state: "late" | "overdue" | "on_time" = "late") => ({
    agencyCode: "A",
    state,
    steps,
    allotments: PERMIT_WITH_STEPS.steps,
    justifications: [],
  });

  it("takes the step due from the allotment in working time when the record has none", () => {
    // Fri 10/1 16:30 + 4 h: 1 h on Friday, the weekend skipped, 3 h on Monday → Mon 13/1 10:30.
    expect(stepDueOf(index, step({ startedAt: t("2025-01-10T16:30:00") }), PERMIT_WITH_STEPS.steps)).toEqual(
      t("2025-01-13T10:30:00"),
    );
    expect(
      stepDueOf(index, step({ seq: 9, startedAt: t("2025-01-10T16:30:00") }), PERMIT_WITH_STEPS.steps),
    ).toBeNull();
    const recorded = t("2025-01-10T17:00:00");
    expect(stepDueOf(index, step({ dueAt: recorded, startedAt: t("2025-01-10T08:00:00") }), [])).toBe(
      recorded,
    );
  });

  it("attributes to the officials of late steps, the largest overrun primary", () => {
    const out = attributeDossier(
      index,
      input([
        step({ seq: 1, officialId: "a", dueAt: t("2025-01-06T11:30:00"), endedAt: t("2025-01-06T14:30:00") }),
        step({ seq: 2, officialId: "b", dueAt: t("2025-01-07T08:00:00"), endedAt: t("2025-01-07T12:00:00") }),
        step({ seq: 3, officialId: "c", dueAt: t("2025-01-08T08:00:00"), endedAt: t("2025-01-08T08:00:00") }),
      ]),
      t("2025-02-01T00:00:00"),
    );
    expect(out.map((r) => (r.kind === "official" ? [r.officialId, r.overrunHours, r.primary] : r))).toEqual([
      ["b", 3.5, true],
      ["a", 1, false],
    ]);
  });

  it("is unattributed without a late step or without steps, and empty when the dossier is not late", () => {
    const onTime = step({ dueAt: t("2025-01-07T08:00:00"), endedAt: t("2025-01-07T08:00:00") });
    expect(attributeDossier(index, input([onTime]), NOW)).toEqual([
      { kind: "unattributed", agencyCode: "A" },
    ]);
    expect(attributeDossier(index, input([], "overdue"), NOW)).toEqual([
      { kind: "unattributed", agencyCode: "A" },
    ]);
    // A late step without an official cannot be anyone's.
    const anonymous = step({
      officialId: null,
      dueAt: t("2025-01-07T08:00:00"),
      endedAt: t("2025-01-08T08:00:00"),
    });
    expect(attributeDossier(index, input([anonymous]), NOW)).toEqual([
      { kind: "unattributed", agencyCode: "A" },
    ]);
    const late = step({ dueAt: t("2025-01-07T08:00:00"), endedAt: t("2025-01-08T08:00:00") });
    expect(attributeDossier(index, input([late], "on_time"), NOW)).toEqual([]);
  });

  it("judges a step as of asOf: one ending later is still open, one not started is not judged", () => {
    const s = step({
      startedAt: t("2025-01-06T08:00:00"),
      dueAt: t("2025-01-07T08:00:00"),
      endedAt: t("2025-01-20T08:00:00"),
    });
    const [r] = attributeDossier(index, input([s], "overdue"), t("2025-01-07T10:00:00"));
    expect(r).toMatchObject({ kind: "official", officialId: "x", overrunHours: 2 });
    const notStarted = step({ startedAt: t("2025-01-08T08:00:00"), dueAt: t("2025-01-07T08:00:00") });
    expect(attributeDossier(index, input([notStarted], "overdue"), t("2025-01-07T10:00:00"))).toEqual([
      { kind: "unattributed", agencyCode: "A" },
    ]);
  });
});

let server: SeededServer;
let tokens: Tokens;

beforeAll(async () => {
  server = await startSeededServer({ clock: fixedClock(NOW), procedures: [PERMIT_WITH_STEPS], records });
  ({ tokens } = server);
});
afterAll(() => server.close());

interface Detail {
  state: string;
  responsible: Record<string, unknown>[];
}
const detail = (code: string, token = tokens.inspectorA, asOf?: string) =>
  getJson<Detail>(
    server,
    `/api/v1/dossiers/${code}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ""}`,
    token,
  );

describe("responsible[] in GET /api/v1/dossiers/:code", () => {
  it("lists the officials of the late steps with their overrun, the largest primary", async () => {
    const d = await detail(ATTRIBUTED);
    expect(d.state).toBe("late");
    expect(d.responsible).toEqual([
      {
        kind: "official",
        officialId: "cb-002",
        officialName: "Phạm Văn Cường",
        title: "Chuyên viên",
        department: "Phòng Quản lý đô thị",
        stepSeq: 2,
        stepDueAt: "2025-01-08T08:30:00.000Z",
        overrunHours: 5,
        primary: true,
        justification: null,
      },
      {
        kind: "official",
        officialId: "cb-001",
        officialName: "Trần Thị Bình",
        title: "Chuyên viên",
        department: "Phòng Kinh tế",
        stepSeq: 1,
        stepDueAt: "2025-01-06T04:30:00.000Z",
        overrunHours: 3.5,
        primary: false,
        justification: null,
      },
    ]);
  });

  it("is the agency, unattributed, when no step is late or there are no steps; empty when not late", async () => {
    const unattributed = [{ kind: "unattributed", agencyCode: AGENCIES.A.code }];
    expect((await detail(NO_LATE_STEP)).responsible).toEqual(unattributed);
    expect((await detail(NO_STEPS)).responsible).toEqual(unattributed);
    expect((await detail(EARLY)).responsible).toEqual([]);
    // Before its binding due the dossier is not late, whatever its steps.
    expect((await detail(OPEN_STEP, tokens.inspectorA, "2025-01-10T10:00:00+07:00")).responsible).toEqual([]);
  });

  it("counts an open step's overrun up to asOf", async () => {
    // Tue 7/1 10:00 → Tue 14/1 09:00: 5.5 h + 3 × 8 h + 8 h + 1.5 h = 39 h.
    const d = await detail(OPEN_STEP, tokens.inspectorA, "2025-01-14T09:00:00+07:00");
    expect(d.responsible).toMatchObject([{ officialId: "cb-004", overrunHours: 39, primary: true }]);
  });
});

describe("POST /api/v1/justifications", () => {
  const post = (token: string, json: unknown) =>
    server.request("/api/v1/justifications", { method: "POST", token, json });
  const body = (over: Record<string, unknown> = {}) => ({
    dossierCode: ATTRIBUTED,
    officialId: "cb-002",
    accepted: true,
    reason: "Chờ ý kiến của Sở Xây dựng theo quy định",
    ...over,
  });

  it("records an accepted reason, shows it on the dossier, and a later refusal replaces it; both audited", async () => {
    const first = await post(tokens.inspectorA, body());
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      dossierCode: ATTRIBUTED,
      officialId: "cb-002",
      accepted: true,
      replaced: false,
    });
    const shown = (await detail(ATTRIBUTED)).responsible.find((r) => r.officialId === "cb-002");
    expect(shown?.justification).toMatchObject({
      accepted: true,
      reason: "Chờ ý kiến của Sở Xây dựng theo quy định",
      decidedAt: NOW.toISOString(),
      decidedBy: { name: "Thanh tra huyện Ninh Sơn" },
    });

    const second = await post(
      tokens.inspectorAll,
      body({ accepted: false, reason: "Không có văn bản chứng minh" }),
    );
    expect(second.status).toBe(201);
    expect(await second.json()).toMatchObject({ accepted: false, replaced: true });
    const replaced = (await detail(ATTRIBUTED)).responsible.find((r) => r.officialId === "cb-002");
    expect(replaced?.justification).toMatchObject({
      accepted: false,
      decidedBy: { name: "Thanh tra Sở Nội vụ" },
    });

    const audit = await queryRows<{ action: string; details: { accepted: boolean; officialId: string } }>(
      server.database.db,
      sql`SELECT action, details FROM audit_log WHERE resource_id = ${ATTRIBUTED} ORDER BY id`,
    );
    expect(audit.map((a) => [a.action, a.details.officialId, a.details.accepted])).toEqual([
      ["justification.accept", "cb-002", true],
      ["justification.refuse", "cb-002", false],
    ]);
  });

  it("answers 422 for an official not attributed on the dossier, and on an unattributed dossier", async () => {
    const notLate = await post(tokens.inspectorA, body({ officialId: "cb-003" }));
    expect(notLate.status).toBe(422);
    expect(
      ((await notLate.json()) as { error: { details: { attributed: string[] } } }).error.details.attributed,
    ).toEqual(["cb-002", "cb-001"]);
    expect(
      (await post(tokens.inspectorA, body({ dossierCode: NO_STEPS, officialId: "cb-001" }))).status,
    ).toBe(422);
  });

  it("answers 404 out of scope or unknown, 403 to an officer, 400 without a reason", async () => {
    expect((await post(tokens.inspectorB, body())).status).toBe(404);
    expect((await post(tokens.inspectorA, body({ dossierCode: OF_B, officialId: "cb-b01" }))).status).toBe(
      404,
    );
    expect((await post(tokens.inspectorA, body({ dossierCode: "nope" }))).status).toBe(404);
    expect((await post(tokens.officerA, body())).status).toBe(403);
    const blank = await post(tokens.inspectorA, body({ reason: "  " }));
    expect(blank.status).toBe(400);
    expect(
      ((await blank.json()) as { error: { details: { errors: { path: string }[] } } }).error.details.errors[0]
        .path,
    ).toBe("reason");
  });
});

describe("attribution in SQL", () => {
  it("gives the same officials, first late steps, dues and overruns as the pure rule", async () => {
    for (const asOf of [NOW, t("2025-01-14T09:00:00")]) {
      const rows = await queryRows<{
        dossier_code: string;
        official_id: string;
        step_seq: number;
        step_due_at: string;
        overrun_minutes: string;
      }>(server.database.db, sql`${attributionSql(asOf, sql`TRUE`)} ORDER BY dossier_code, official_id`);
      const fromSql = rows.map((r) => [
        r.dossier_code,
        r.official_id,
        Number(r.step_seq),
        new Date(r.step_due_at).toISOString(),
        Math.round((Number(r.overrun_minutes) / 60) * 100) / 100,
      ]);
      const fromDetail: unknown[] = [];
      for (const r of records) {
        const code = r.code as string;
        const d = await detail(code, tokens.inspectorAll, asOf.toISOString());
        for (const x of d.responsible) {
          if (x.kind === "official")
            fromDetail.push([code, x.officialId, x.stepSeq, x.stepDueAt, x.overrunHours]);
        }
      }
      const byKey = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
      expect(fromSql.sort(byKey)).toEqual(fromDetail.sort(byKey));
      expect(fromSql.length).toBeGreaterThan(2);
    }
  });
});
