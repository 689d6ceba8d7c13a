// The calendar as stored: shipped official years and generated provisional ones, seeded once,
// then edited by admins. Indexes are built from the stored rows and memoised by their content, so
// an edit made by any process is seen by every process at its next computation.
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import { calendarYear } from "./calendar-year.js";
import type { CalendarDay, CalendarYear } from "./types.js";
import { DEFAULT_WORKING_PERIODS, type WorkingPeriods } from "./working-periods.js";
import { WorkingTimeIndex } from "./working-time.js";

/**
 * Years the service can compute deadlines in: every year sync accepts (1990–2099), and 2100 for the
 * dues of dossiers received at the end of 2099. Generated (provisional) where none is shipped, at
 * start, so a dossier of 1995 or 2070 has a calendar; dates outside are rejected at sync.
 */
export const CALENDAR_FIRST_YEAR = 1990;
export const CALENDAR_LAST_YEAR = 2100;

/** Inserts every missing year of the range (official when shipped, else provisional); idempotent. */
export async function seedCalendar(
  db: Db,
  from = CALENDAR_FIRST_YEAR,
  to = CALENDAR_LAST_YEAR,
): Promise<number> {
  const present = new Set(
    (await queryRows<{ year: number }>(db, sql`SELECT year FROM calendar_years`)).map((r) => Number(r.year)),
  );
  const missing: CalendarYear[] = [];
  for (let year = from; year <= to; year++) if (!present.has(year)) missing.push(calendarYear(year));
  if (missing.length === 0) return 0;
  const years = missing.map((y) => ({ year: y.year, provisional: y.provisional }));
  const days = missing.flatMap((y) => y.days);
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO calendar_years (year, provisional)
      SELECT y.year, y.provisional FROM jsonb_to_recordset(${JSON.stringify(years)}::jsonb) AS y(year integer, provisional boolean)
      ON CONFLICT (year) DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO calendar_days (date, kind, name, legal_ref)
      SELECT d.date, d.kind, d.name, d."legalRef"
      FROM jsonb_to_recordset(${JSON.stringify(days)}::jsonb) AS d(date date, kind text, name text, "legalRef" text)
      ON CONFLICT (date) DO NOTHING`);
  });
  forgetCalendarFingerprint(db);
  return missing.length;
}

interface StoredCalendar {
  fingerprint: string;
  /** Shared while it loads: a cold process under load read and indexed the calendar once per request. */
  years: Promise<CalendarYear[]>;
  indexes: Map<string, WorkingTimeIndex>;
}

/** The last two calendars seen: a previewed edit (rolled back) does not evict the stored one. */
const memo = new Map<string, StoredCalendar>();
const MEMO_SIZE = 2;

/**
 * Changes whenever a day or a year is inserted, updated or deleted, by any process: the row count
 * and the newest row version (xmin) of both tables. Read on every request that computes deadlines,
 * so it must be cheap: an md5 over every field of the 7,000 days took 35 ms of PostgreSQL per
 * request and capped dossier pages at a few dozen a second. A previewed edit, rolled back, leaves
 * the rows it touched as they were, so the fingerprint returns to the stored calendar's.
 */
async function fingerprintOf(db: Db): Promise<string> {
  const [row] = await queryRows<{ fp: string | null }>(
    db,
    sql`SELECT current_database() || ':' ||
               (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM calendar_days) || ':' ||
               (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM calendar_years) AS fp`,
  );
  return row?.fp ?? "";
}

async function loadYears(db: Db): Promise<CalendarYear[]> {
  const years = await queryRows<{ year: number; provisional: boolean }>(
    db,
    sql`SELECT year, provisional FROM calendar_years ORDER BY year`,
  );
  const days = await queryRows<{
    date: string;
    kind: CalendarDay["kind"];
    name: string | null;
    legal_ref: string | null;
  }>(db, sql`SELECT date::text AS date, kind, name, legal_ref FROM calendar_days ORDER BY date`);
  const byYear = new Map<number, CalendarDay[]>();
  for (const d of days) {
    const year = Number(d.date.slice(0, 4));
    const list = byYear.get(year) ?? [];
    list.push({ date: d.date, kind: d.kind, name: d.name, legalRef: d.legal_ref });
    byYear.set(year, list);
  }
  return years.map((y) => ({
    year: Number(y.year),
    provisional: y.provisional,
    days: byYear.get(Number(y.year)) ?? [],
  }));
}

/**
 * How long a read fingerprint is trusted per database handle. Even cheap, the fingerprint scans the
 * 7,000 days: 1.5–12 ms of PostgreSQL per dossier page, the largest part of a page's database time
 * (npm run test:reliability, 1,000,000 dossiers). An edit made through this process is seen at once
 * (forgetCalendarFingerprint after its commit); one made by another process within this time.
 * Transactions are other handles and always read it: a preview sees its own uncommitted edit.
 */
const FINGERPRINT_TTL_MS = 1_000;
const fingerprints = new WeakMap<Db, { value: Promise<string>; readAt: number }>();

function recentFingerprint(db: Db, now = Date.now()): Promise<string> {
  const known = fingerprints.get(db);
  if (known && now - known.readAt < FINGERPRINT_TTL_MS) return known.value;
  const value = fingerprintOf(db);
  fingerprints.set(db, { value, readAt: now });
  // A failed read is not trusted.
  value.catch(() => fingerprints.get(db)?.value === value && fingerprints.delete(db));
  return value;
}

/** After a committed calendar edit: this process's next computation reads the calendar again. */
export function forgetCalendarFingerprint(db: Db): void {
  fingerprints.delete(db);
}

/** The stored calendar, as of now, and a working-time index per set of working periods. */
export async function storedCalendar(db: Db) {
  const fingerprint = await recentFingerprint(db);
  let stored = memo.get(fingerprint);
  if (!stored) {
    const loading: StoredCalendar = { fingerprint, years: loadYears(db), indexes: new Map() };
    // A failed read is not remembered.
    loading.years.catch(() => memo.get(fingerprint) === loading && memo.delete(fingerprint));
    if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
    stored = loading;
  }
  memo.delete(fingerprint);
  memo.set(fingerprint, stored);
  const current = stored;
  const years = await current.years;
  return {
    years,
    indexFor(periods: WorkingPeriods = DEFAULT_WORKING_PERIODS): WorkingTimeIndex {
      const key = JSON.stringify(periods);
      let index = current.indexes.get(key);
      if (!index) {
        index = new WorkingTimeIndex(years, periods);
        current.indexes.set(key, index);
      }
      return index;
    },
  };
}

export type StoredCalendarView = Awaited<ReturnType<typeof storedCalendar>>;
