import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "../db/columns.js";
import type { CalendarDayKind } from "./types.js";

/** Years loaded into the calendar; generated years stay provisional until an admin confirms them. */
export const calendarYears = pgTable("calendar_years", {
  year: integer("year").primaryKey(),
  provisional: boolean("provisional").notNull(),
  confirmedBy: integer("confirmed_by"),
  confirmedAt: instant("confirmed_at"),
});

/** Every day that is not an ordinary working weekday: weekends, days off, make-up working days. */
export const calendarDays = pgTable(
  "calendar_days",
  {
    date: date("date", { mode: "string" }).primaryKey(),
    kind: text("kind").$type<CalendarDayKind>().notNull(),
    name: text("name"),
    legalRef: text("legal_ref"),
  },
  (t) => [index("calendar_days_kind_idx").on(t.kind)],
);

/**
 * A set of working periods as the SQL arithmetic reads it (DOMAIN §2), keyed by its canonical text
 * ("07:30-11:30,13:30-17:30"): agencies name theirs in `agencies.working_profile`.
 * Bounds are in ms from local midnight; `cum_end_ms[k]` is the working ms at the end of period k.
 */
export const workingProfiles = pgTable("working_profiles", {
  profile: text("profile").primaryKey(),
  periods: jsonb("periods").$type<Array<[string, string]>>().notNull(),
  minutesPerDay: integer("minutes_per_day").notNull(),
  startMs: integer("start_ms").array().notNull(),
  endMs: integer("end_ms").array().notNull(),
  cumEndMs: integer("cum_end_ms").array().notNull(),
});

/**
 * The working-time index of src/calendar/working-time.ts as a table, one row per profile and local
 * day of the stored calendar years, so that reports compute working time set-based in SQL
 * (functions working_ordinal_of, working_instant_of and their scalar forms, drizzle/0003).
 * `cum_minutes_before`: working minutes from the first calendar day up to this day's start.
 */
export const workingDays = pgTable(
  "working_days",
  {
    profile: text("profile").notNull(),
    date: date("date", { mode: "string" }).notNull(),
    cumMinutesBefore: integer("cum_minutes_before").notNull(),
    workingMinutes: integer("working_minutes").notNull(),
  },
  (t) => [
    primaryKey({ name: "working_days_pk", columns: [t.profile, t.date] }),
    // The k-th working day of a profile: the day whose cum_minutes_before is k × minutes_per_day.
    index("working_days_ordinal_idx").on(t.profile, t.cumMinutesBefore).where(sql`${t.workingMinutes} > 0`),
  ],
);
