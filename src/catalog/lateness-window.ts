// Repeat-lateness policy (DOMAIN §5): a window — calendar month, quarter, year, or any N consecutive
// days — and a threshold of unjustified late dossiers. Each agency inherits each of the two from the
// nearest agency up its tree that sets it (itself, its district, the province: the province's is
// the provincial default), else month and 3.
import { z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import type { LatenessWindow } from "./schema.js";

export const DEFAULT_WINDOW: LatenessWindow = "month";
export const DEFAULT_THRESHOLD = 3;
export const MAX_ROLLING_DAYS = 366;

const ROLLING = /^rolling_days:([1-9]\d{0,2})$/;

export function isLatenessWindow(value: string): value is LatenessWindow {
  if (value === "month" || value === "quarter" || value === "year") return true;
  const m = ROLLING.exec(value);
  return m !== null && Number(m[1]) <= MAX_ROLLING_DAYS;
}

export const LatenessWindowSchema = z
  .string()
  .refine(
    isLatenessWindow,
    `expected month, quarter, year or rolling_days:N (N from 1 to ${MAX_ROLLING_DAYS})`,
  )
  .transform((s) => s as LatenessWindow)
  .openapi({ example: "month" });

/**
 * The effective policy of every agency, as a relation `(agency_code, lateness_window, threshold,
 * window_unit, window_length)`: window_unit is the date_trunc unit of a calendar window, null for a
 * rolling one; window_length is the window's length.
 * `override` (the report's parameters) replaces either part for every agency.
 */
export function policySql(override: { window?: LatenessWindow; threshold?: number }): SQL {
  // The nearest setting up the tree: the first non-null value of the agency's ancestors (itself
  // included), deepest first — one join of the agencies with their ancestors, not a look-up per agency.
  const inherited = (column: SQL) =>
    sql`(array_agg(${column} ORDER BY length(anc.path) DESC) FILTER (WHERE ${column} IS NOT NULL))[1]`;
  const window = sql`coalesce(${override.window ?? null}::text, ${inherited(sql`anc.lateness_window`)}, ${DEFAULT_WINDOW})`;
  const threshold = sql`coalesce(${override.threshold ?? null}::int, ${inherited(sql`anc.lateness_threshold`)}, ${DEFAULT_THRESHOLD})`;
  return sql`SELECT agency_code, lateness_window, threshold,
      CASE WHEN lateness_window IN ('month', 'quarter', 'year') THEN lateness_window END AS window_unit,
      CASE lateness_window WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months'
        WHEN 'year' THEN interval '1 year'
        ELSE split_part(lateness_window, ':', 2)::int * interval '1 day' END AS window_length
    FROM (SELECT pa.code AS agency_code, ${window} AS lateness_window, ${threshold} AS threshold
          FROM agencies pa JOIN agencies anc ON left(pa.path, length(anc.path)) = anc.path
          GROUP BY pa.code) policy`;
}

/** "tháng", "quý", "năm", "30 ngày liên tục": a window as a Vietnamese report names it. */
export function windowLabel(window: LatenessWindow): string {
  if (window === "month") return "tháng";
  if (window === "quarter") return "quý";
  if (window === "year") return "năm";
  return `${window.slice("rolling_days:".length)} ngày liên tục`;
}

/** "một tháng", "30 ngày liên tục": the window in a sentence. */
export const windowPhrase = (window: LatenessWindow) =>
  window.startsWith("rolling_days:") ? windowLabel(window) : `một ${windowLabel(window)}`;
