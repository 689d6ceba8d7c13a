import { boolean, date, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "../db/columns.js";

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
    kind: text("kind")
      .$type<"weekend" | "holiday" | "substitute" | "swap_off" | "makeup_working">()
      .notNull(),
    name: text("name"),
    legalRef: text("legal_ref"),
  },
  (t) => [index("calendar_days_kind_idx").on(t.kind)],
);
