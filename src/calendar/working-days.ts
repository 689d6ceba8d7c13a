// The SQL side of the working-time index: working_profiles (one row per distinct set of working
// periods) and working_days (one row per profile and day of the stored calendar), read by the SQL
// functions of drizzle/0003. Maintained set-based from the stored calendar: at start, after a
// calendar edit, and when an agency's working periods name a new profile.
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows, textArray } from "../db/client.js";
import { MINUTE_MS } from "./dates.js";
import {
  DEFAULT_WORKING_PERIODS,
  parseWorkingPeriods,
  profileKeyOf,
  type WorkingPeriods,
} from "./working-periods.js";

/** The SQL functions read at most this many periods a day (the agency API accepts 6). */
export const MAX_PERIODS = 6;

/** The profile key as SQL, from an agencies.working_periods jsonb: the same text as profileKeyOf. */
const profileKeySql = (periods: SQL) =>
  sql`(SELECT string_agg((e->>0) || '-' || (e->>1), ',' ORDER BY n) FROM jsonb_array_elements(${periods}) WITH ORDINALITY AS x(e, n))`;

/**
 * Writers of working_days one at a time, inside their transaction: each recomputes rows from the
 * calendar it reads, so two at once (two day edits, an edit and a new agency profile) would each
 * miss the other's change. A table lock, not an advisory one (PGlite, Citus); readers go on.
 */
export async function lockCalendar(tx: Db): Promise<void> {
  await tx.execute(sql`LOCK TABLE calendar_days IN SHARE ROW EXCLUSIVE MODE`);
}

/** Inserts the profiles of these periods that are not stored yet; returns the keys inserted. */
export async function ensureWorkingProfiles(
  db: Db,
  periodSets: readonly WorkingPeriods[],
): Promise<string[]> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const periods of periodSets) {
    const parsed = parseWorkingPeriods(periods);
    if (parsed.startMin.length > MAX_PERIODS) {
      throw new RangeError(`at most ${MAX_PERIODS} working periods a day, got ${parsed.startMin.length}`);
    }
    let cum = 0;
    const cumEndMs = parsed.startMin.map((s, k) => (cum += (parsed.endMin[k] - s) * MINUTE_MS));
    rows.set(profileKeyOf(periods), {
      profile: profileKeyOf(periods),
      periods,
      minutes_per_day: parsed.minutesPerDay,
      start_ms: parsed.startMin.map((m) => m * MINUTE_MS),
      end_ms: parsed.endMin.map((m) => m * MINUTE_MS),
      cum_end_ms: cumEndMs,
    });
  }
  if (rows.size === 0) return [];
  const inserted = await queryRows<{ profile: string }>(
    db,
    sql`INSERT INTO working_profiles (profile, periods, minutes_per_day, start_ms, end_ms, cum_end_ms)
        SELECT p.profile, p.periods, p.minutes_per_day,
          ARRAY(SELECT jsonb_array_elements_text(p.start_ms)::int),
          ARRAY(SELECT jsonb_array_elements_text(p.end_ms)::int),
          ARRAY(SELECT jsonb_array_elements_text(p.cum_end_ms)::int)
        FROM jsonb_to_recordset(${JSON.stringify([...rows.values()])}::jsonb)
          AS p(profile text, periods jsonb, minutes_per_day integer, start_ms jsonb, end_ms jsonb, cum_end_ms jsonb)
        ON CONFLICT (profile) DO NOTHING
        RETURNING profile`,
  );
  return inserted.map((r) => r.profile);
}

/** Stores the profile of these periods with its working_days, if it is new (an agency's periods). */
export async function ensureProfileDays(tx: Db, periods: WorkingPeriods): Promise<string> {
  const inserted = await ensureWorkingProfiles(tx, [periods]);
  if (inserted.length > 0) {
    await lockCalendar(tx);
    await rebuildWorkingDays(tx, { profiles: inserted });
  }
  return profileKeyOf(periods);
}

/**
 * Recomputes working_days of the given profiles (all when omitted) from the stored calendar, in one
 * statement: a running sum of each day's working minutes. Only rows that change are written (a
 * start with nothing new costs a read), with plain INSERT and UPDATE: ON CONFLICT would check every
 * row, and writers are serialised by lockCalendar, which the caller takes. `fromDate` limits the
 * writes to that day and later (an edit of one day changes nothing before it).
 */
export async function rebuildWorkingDays(
  db: Db,
  options: { profiles?: readonly string[]; fromDate?: string } = {},
): Promise<number> {
  const profiles = options.profiles ? sql`p.profile = ANY(${textArray(options.profiles)})` : sql`TRUE`;
  const from = options.fromDate ? sql`${options.fromDate}::date` : sql`'-infinity'::date`;
  const [written] = await queryRows<{ updated: number; inserted: number }>(
    db,
    sql`WITH span AS (
          SELECT make_date(min(year), 1, 1) AS first_day, make_date(max(year), 12, 31) AS last_day FROM calendar_years
        ), days AS (
          SELECT p.profile, g.day::date AS date,
            CASE WHEN c.kind IS NULL OR c.kind = 'makeup_working' THEN p.minutes_per_day ELSE 0 END AS minutes
          FROM working_profiles p
          CROSS JOIN span
          CROSS JOIN generate_series(span.first_day, span.last_day, interval '1 day') AS g(day)
          LEFT JOIN calendar_days c ON c.date = g.day::date
          WHERE ${profiles}
        ), running AS (
          SELECT profile, date, minutes,
            (sum(minutes) OVER (PARTITION BY profile ORDER BY date) - minutes)::integer AS cum_before
          FROM days
        ), wanted AS (
          SELECT * FROM running WHERE date >= ${from}
        ), updated AS (
          UPDATE working_days w SET cum_minutes_before = r.cum_before, working_minutes = r.minutes
          FROM wanted r
          WHERE w.profile = r.profile AND w.date = r.date
            AND (w.cum_minutes_before, w.working_minutes) IS DISTINCT FROM (r.cum_before, r.minutes)
          RETURNING 1
        ), inserted AS (
          INSERT INTO working_days (profile, date, cum_minutes_before, working_minutes)
          SELECT r.profile, r.date, r.cum_before, r.minutes FROM wanted r
          WHERE NOT EXISTS (SELECT 1 FROM working_days w WHERE w.profile = r.profile AND w.date = r.date)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM updated)::integer AS updated, (SELECT count(*) FROM inserted)::integer AS inserted`,
  );
  return Number(written?.updated ?? 0) + Number(written?.inserted ?? 0);
}

/**
 * What every start does after seeding the calendar: agencies' profile keys agree with their
 * periods, every profile in use (and the default) is stored, and working_days matches the calendar.
 */
export async function prepareWorkingDays(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await lockCalendar(tx);
    await tx.execute(sql`
      UPDATE agencies SET working_profile = ${profileKeySql(sql`working_periods`)}
      WHERE working_profile IS DISTINCT FROM ${profileKeySql(sql`working_periods`)}`);
    const inUse = await queryRows<{ working_periods: WorkingPeriods }>(
      tx,
      sql`SELECT DISTINCT ON (working_profile) working_periods FROM agencies
          WHERE working_profile NOT IN (SELECT profile FROM working_profiles)`,
    );
    // Periods the engine refuses (stored before validation was strict) get no profile: their SQL
    // figures are NULL, as the engine's are unknown.
    const valid = inUse.map((r) => r.working_periods).filter(isValidPeriods);
    await ensureWorkingProfiles(tx, [DEFAULT_WORKING_PERIODS, ...valid]);
    await rebuildWorkingDays(tx);
  });
}

function isValidPeriods(periods: WorkingPeriods): boolean {
  try {
    return parseWorkingPeriods(periods).startMin.length <= MAX_PERIODS;
  } catch {
    return false;
  }
}
