// The stored calendar as admins see and edit it (DOMAIN §2): a year's days, one day's change, and
// the confirmation of a generated year. The change of a day, with its preview of the open dossiers
// whose deadlines it moves and their recomputation, is src/rulebook/calendar-changes.ts.
import { sql } from "drizzle-orm";
import { type AuditActor, recordAudit } from "../audit/record.js";
import { type Db, queryRows } from "../db/client.js";
import { ApiError, notFound } from "../http/errors.js";
import { dayNumberOf, isWeekendDay } from "./dates.js";
import { forgetCalendarFingerprint } from "./store.js";
import type { CalendarDayKind } from "./types.js";
import { lockCalendar, rebuildWorkingDays } from "./working-days.js";
import { WEEKEND_REF } from "./year-builder.js";

/** An entry's kind, or `working` for an ordinary working weekday (no entry). */
export type DayKindOrWorking = CalendarDayKind | "working";

export interface DayEntry {
  kind: DayKindOrWorking;
  name: string | null;
  legalRef: string | null;
}

export interface CalendarYearView {
  year: number;
  provisional: boolean;
  confirmedBy: { userId: number; name: string | null } | null;
  confirmedAt: string | null;
  workingDays: number;
  days: { date: string; kind: CalendarDayKind; name: string | null; legalRef: string | null }[];
}

interface YearRow {
  year: number;
  provisional: boolean;
  confirmed_by: number | null;
  confirmed_at: string | null;
  confirmed_by_name: string | null;
}

const yearRowSql = (year: number) =>
  sql`SELECT y.year, y.provisional, y.confirmed_by, y.confirmed_at, u.name AS confirmed_by_name
      FROM calendar_years y LEFT JOIN users u ON u.id = y.confirmed_by WHERE y.year = ${year}`;

const daysInYear = (year: number) => dayNumberOf(`${year + 1}-01-01`) - dayNumberOf(`${year}-01-01`);

/** A stored year with every non-ordinary day, or null when the year is not in the calendar. */
export async function calendarYearView(db: Db, year: number): Promise<CalendarYearView | null> {
  const [row] = await queryRows<YearRow>(db, yearRowSql(year));
  if (!row) return null;
  const days = await queryRows<{
    date: string;
    kind: CalendarDayKind;
    name: string | null;
    legal_ref: string | null;
  }>(
    db,
    sql`SELECT date::text AS date, kind, name, legal_ref FROM calendar_days
        WHERE date BETWEEN make_date(${year}, 1, 1) AND make_date(${year}, 12, 31) ORDER BY date`,
  );
  return {
    year: Number(row.year),
    provisional: row.provisional,
    confirmedBy: row.confirmed_by === null ? null : { userId: row.confirmed_by, name: row.confirmed_by_name },
    confirmedAt: row.confirmed_at === null ? null : new Date(row.confirmed_at).toISOString(),
    workingDays: daysInYear(year) - days.filter((d) => d.kind !== "makeup_working").length,
    days: days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, legalRef: d.legal_ref })),
  };
}

/** QĐ 188/1999: Saturday and Sunday are the weekly rest; only a decree makes one working. */
function checkKindFitsDay(date: string, kind: DayKindOrWorking): void {
  const weekend = isWeekendDay(dayNumberOf(date));
  if ((kind === "weekend" || kind === "makeup_working") && !weekend) {
    throw new ApiError("UNPROCESSABLE", `${date} is not a Saturday or Sunday: it cannot be ${kind}`, {
      field: "kind",
    });
  }
  if (kind === "working" && weekend) {
    throw new ApiError(
      "UNPROCESSABLE",
      `${date} is a Saturday or Sunday: use makeup_working for a decreed make-up day, or weekend`,
      { field: "kind" },
    );
  }
}

export interface DayChange {
  kind: DayKindOrWorking;
  name?: string | null;
  legalRef?: string | null;
}

/** One day's entry before and after a change. */
export interface DayEntryChange {
  old: DayEntry;
  new: DayEntry;
}

/**
 * Sets one calendar day, inside the caller's transaction (the calendar locked): the entry written
 * or removed and the working-day tables rebuilt from that date. The stored deadlines it moves are
 * the caller's to recompute.
 */
export async function setCalendarDay(tx: Db, date: string, change: DayChange): Promise<DayEntryChange> {
  await lockCalendar(tx);
  const [year] = await queryRows<YearRow>(tx, yearRowSql(Number(date.slice(0, 4))));
  if (!year) {
    throw new ApiError("UNPROCESSABLE", `${date} is outside the calendar's years`, { field: "date" });
  }
  checkKindFitsDay(date, change.kind);
  const [stored] = await queryRows<{ kind: CalendarDayKind; name: string | null; legal_ref: string | null }>(
    tx,
    sql`SELECT kind, name, legal_ref FROM calendar_days WHERE date = ${date}::date`,
  );
  const old: DayEntry = stored
    ? { kind: stored.kind, name: stored.name, legalRef: stored.legal_ref }
    : { kind: "working", name: null, legalRef: null };
  const next: DayEntry =
    change.kind === "working"
      ? { kind: "working", name: null, legalRef: null }
      : {
          kind: change.kind,
          name: change.name ?? null,
          legalRef: change.legalRef ?? (change.kind === "weekend" ? WEEKEND_REF : null),
        };
  if (next.kind === "working") {
    await tx.execute(sql`DELETE FROM calendar_days WHERE date = ${date}::date`);
  } else {
    await tx.execute(sql`
      INSERT INTO calendar_days (date, kind, name, legal_ref) VALUES (${date}::date, ${next.kind}, ${next.name}, ${next.legalRef})
      ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name, legal_ref = excluded.legal_ref`);
  }
  await rebuildWorkingDays(tx, { fromDate: date });
  return { old, new: next };
}

/** An admin confirms a generated (provisional) year: from then on it is the official calendar. */
export async function confirmCalendarYear(
  db: Db,
  actor: AuditActor,
  year: number,
  at: Date,
): Promise<CalendarYearView> {
  await db.transaction(async (tx) => {
    const [row] = await queryRows<YearRow>(tx, sql`${yearRowSql(year)} FOR UPDATE OF y`);
    if (!row) throw notFound(`Calendar year ${year}`);
    if (!row.provisional) {
      throw new ApiError("CONFLICT", `Calendar year ${year} is not provisional`, {
        confirmedAt: row.confirmed_at === null ? null : new Date(row.confirmed_at).toISOString(),
      });
    }
    await tx.execute(sql`
      UPDATE calendar_years SET provisional = false, confirmed_by = ${actor.userId}, confirmed_at = ${at.toISOString()}::timestamptz
      WHERE year = ${year}`);
    await recordAudit(tx, actor, {
      action: "calendar.year.confirm",
      resourceType: "calendar_year",
      resourceId: String(year),
    });
  });
  forgetCalendarFingerprint(db);
  return (await calendarYearView(db, year))!;
}
