// The SQL working-time arithmetic (working_days + the functions of drizzle/0003) against the JS
// index built from the same stored calendar: same ordinals, instants, sums and differences, over
// random instants of 2024–2026 (to the millisecond, and on the periods' bounds) and four profiles.
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, MINUTE_MS } from "../../src/calendar/dates.js";
import { storedCalendar } from "../../src/calendar/store.js";
import { ensureProfileDays } from "../../src/calendar/working-days.js";
import {
  DEFAULT_WORKING_PERIODS,
  parseWorkingPeriods,
  profileKeyOf,
  type WorkingPeriods,
} from "../../src/calendar/working-periods.js";
import type { WorkingTimeIndex } from "../../src/calendar/working-time.js";
import { type Database, queryRows } from "../../src/db/client.js";
import { createTestDatabase } from "../helpers/db.js";
import { ms } from "./local-time.js";

const PROFILES: WorkingPeriods[] = [
  DEFAULT_WORKING_PERIODS,
  [
    ["07:00", "11:30"],
    ["13:30", "17:00"],
  ],
  [
    ["06:00", "07:00"],
    ["08:00", "09:30"],
    ["10:00", "11:00"],
    ["13:00", "14:15"],
    ["15:00", "16:00"],
    ["18:00", "19:45"],
  ],
  [["00:00", "24:00"]],
];

const FROM = ms("2024-01-01 00:00");
const TO = ms("2027-01-01 00:00");

let database: Database;
let indexes: WorkingTimeIndex[];
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.transaction(async (tx) => {
    for (const periods of PROFILES.slice(1)) await ensureProfileDays(tx, periods);
  });
  const calendar = await storedCalendar(database.db);
  indexes = PROFILES.map((p) => calendar.indexFor(p));
});
afterAll(() => database.close());

/** Any millisecond, or a period's bound of any day (± 1 ms), of 2024–2026. */
function instants(periods: WorkingPeriods) {
  const { startMin, endMin } = parseWorkingPeriods(periods);
  const bounds = [...startMin, ...endMin].map((m) => m * MINUTE_MS);
  const anyMs = fc.integer({ min: FROM, max: TO - 1 });
  const onBound = fc
    .tuple(
      fc.integer({ min: 0, max: (TO - FROM) / DAY_MS - 1 }),
      fc.constantFrom(...bounds),
      fc.constantFrom(-1, 0, 1),
    )
    .map(([day, bound, nudge]) => Math.min(TO - 1, Math.max(FROM, FROM + day * DAY_MS + bound + nudge)));
  return fc.oneof(anyMs, onBound);
}

interface Answer {
  ordinal_ms: string | number;
  instant: string | Date | null;
  added: string | Date | null;
  minutes: number | null;
}

async function askSql(profile: string, samples: { at: number; other: number; addMs: number }[]) {
  const rows = samples.map((s, i) => ({
    i,
    at: new Date(s.at).toISOString(),
    other: new Date(s.other).toISOString(),
    add_ms: s.addMs,
  }));
  return queryRows<Answer>(
    database.db,
    sql`SELECT o.ordinal_ms, i.at AS instant,
          working_add(${profile}, s.at, s.add_ms) AS added,
          working_minutes_between(${profile}, s.at, s.other) AS minutes
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS s(i integer, at timestamptz, other timestamptz, add_ms bigint)
        LEFT JOIN LATERAL working_ordinal_of(${profile}, s.at) o ON true
        LEFT JOIN LATERAL working_instant_of(${profile}, o.ordinal_ms) i ON true
        ORDER BY s.i`,
  );
}

const msOf = (x: string | Date | null) => (x === null ? null : new Date(x).getTime());

describe.each(PROFILES.map((p, k) => [profileKeyOf(p), k] as const))("profile %s", (profile, k) => {
  it("gives the JS index's ordinals, instants, sums and differences", async () => {
    const index = indexes[k];
    const sample = fc.record({
      at: instants(PROFILES[k]),
      other: instants(PROFILES[k]),
      // Up to 30 working days either way, to the minute or to the ms; 0 leaves the instant as it is.
      addMs: fc.oneof(
        fc.integer({ min: -30 * 480, max: 30 * 480 }).map((m) => m * MINUTE_MS),
        fc.integer({ min: -30 * 480 * MINUTE_MS, max: 30 * 480 * MINUTE_MS }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(sample, { minLength: 40, maxLength: 40 }), async (samples) => {
        const answers = await askSql(profile, samples);
        samples.forEach((s, i) => {
          const ordinal = index.ordinalMs(s.at);
          const label = `${new Date(s.at).toISOString()} (+${s.addMs} ms, to ${new Date(s.other).toISOString()})`;
          expect(Number(answers[i].ordinal_ms), label).toBe(ordinal);
          expect(msOf(answers[i].instant), label).toBe(index.instantAtOrdinalMs(ordinal));
          expect(msOf(answers[i].added), label).toBe(index.addWorkingMs(s.at, s.addMs));
          expect(answers[i].minutes, label).toBe(index.workingMinutesBetween(s.at, s.other));
        });
      }),
      { numRuns: 12 },
    );
  });

  it("gives the instant of any ordinal, at a period's end that end", async () => {
    const index = indexes[k];
    const lo = index.ordinalMs(FROM);
    const hi = index.ordinalMs(TO - 1);
    const day = parseWorkingPeriods(PROFILES[k]).minutesPerDay * MINUTE_MS;
    const ordinal = fc.oneof(
      fc.integer({ min: lo, max: hi }),
      fc.integer({ min: Math.ceil(lo / day), max: Math.floor(hi / day) }).map((d) => d * day),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(ordinal, { minLength: 40, maxLength: 40 }), async (ordinals) => {
        const rows = await queryRows<{ at: string | Date }>(
          database.db,
          sql`SELECT working_instant_at(${profile}, o.v::bigint) AS at
              FROM jsonb_array_elements_text(${JSON.stringify(ordinals)}::jsonb) WITH ORDINALITY AS o(v, n)
              ORDER BY o.n`,
        );
        ordinals.forEach((o, i) => {
          expect(msOf(rows[i].at), String(o)).toBe(index.instantAtOrdinalMs(o));
        });
      }),
      { numRuns: 5 },
    );
  });
});

describe("outside the calendar", () => {
  it("has no ordinal, instant or difference (NULL), as the engine has none", async () => {
    const [row] = await queryRows<Record<string, unknown>>(
      database.db,
      sql`SELECT working_ordinal_ms(${profileKeyOf(DEFAULT_WORKING_PERIODS)}, '1989-12-31T12:00:00+07:00') AS before,
            working_ordinal_ms(${profileKeyOf(DEFAULT_WORKING_PERIODS)}, '2101-01-01T12:00:00+07:00') AS after,
            working_instant_at(${profileKeyOf(DEFAULT_WORKING_PERIODS)}, -1) AS negative,
            working_ordinal_ms('08:00-12:00', '2025-01-24T10:00:00+07:00') AS unknown_profile,
            working_minutes_between(${profileKeyOf(DEFAULT_WORKING_PERIODS)}, '2025-01-24T10:00:00+07:00', NULL) AS open_end`,
    );
    expect(row).toEqual({ before: null, after: null, negative: null, unknown_profile: null, open_end: null });
    expect(() => indexes[0].ordinalMs(ms("2101-01-01 12:00"))).toThrow(RangeError);
  });
});
