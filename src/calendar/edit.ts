// The stored calendar as admins see and edit it (DOMAIN §2): a year's days, one day's change with
// a preview of the open dossiers whose deadlines it moves, and the confirmation of a generated year.
import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import { type Db, queryRows } from "../db/client.js";
import { type RecomputeResult, recomputeDeadlines } from "../dossiers/recompute.js";
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

export interface DayChangeOutcome {
  date: string;
  applied: boolean;
  asOf: string;
  old: DayEntry;
  new: DayEntry;
  dossiers: RecomputeResult;
}

export interface DayChangeOptions {
  asOf: Date;
  confirm: boolean;
  /** How many moved dossiers to list (see RecomputeOptions). */
  listLimit?: number;
  /** By new binding due (default) or by the size of the move (the console's preview). */
  listOrder?: "due" | "shift";
}

/** Rolls the preview's transaction back while carrying its outcome out. */
class PreviewOnly extends Error {
  constructor(readonly outcome: DayChangeOutcome) {
    super("preview only");
  }
}

async function applyDayChange(
  tx: Db,
  date: string,
  change: DayChange,
  options: DayChangeOptions,
): Promise<DayChangeOutcome> {
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
  const dossiers = await recomputeDeadlines(tx, {
    coveringDate: date,
    asOf: options.asOf,
    listLimit: options.listLimit,
    listOrder: options.listOrder,
  });
  return { date, applied: options.confirm, asOf: options.asOf.toISOString(), old, new: next, dossiers };
}

/**
 * PUT of one calendar day. Without `confirm`, a preview: the change and the recomputation run in a
 * transaction that is rolled back, so the preview is exactly what confirming would do and nothing
 * changes. With it, the same, committed and audited.
 */
export async function changeCalendarDay(
  db: Db,
  actor: Principal,
  date: string,
  change: DayChange,
  options: DayChangeOptions,
): Promise<DayChangeOutcome> {
  if (!options.confirm) {
    try {
      await db.transaction(async (tx) => {
        throw new PreviewOnly(await applyDayChange(tx, date, change, options));
      });
    } catch (error) {
      if (error instanceof PreviewOnly) return error.outcome;
      throw error;
    }
  }
  const committed = await db.transaction(async (tx) => {
    const outcome = await applyDayChange(tx, date, change, options);
    await recordAudit(tx, actor, {
      action: "calendar.day.update",
      resourceType: "calendar_day",
      resourceId: date,
      details: {
        old: outcome.old,
        new: outcome.new,
        asOf: outcome.asOf,
        dossiersMoved: outcome.dossiers.moved,
        dossiersUpdated: outcome.dossiers.updated,
      },
    });
    return outcome;
  });
  forgetCalendarFingerprint(db);
  return committed;
}

/** An admin confirms a generated (provisional) year: from then on it is the official calendar. */
export async function confirmCalendarYear(
  db: Db,
  actor: Principal,
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
