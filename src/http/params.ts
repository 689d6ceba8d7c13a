import { z } from "@hono/zod-openapi";
import { ApiError } from "./errors.js";

/** The largest `integer` (serial) PostgreSQL holds: a bigger id is no row's, and refused as a 400. */
export const INT4_MAX = 2_147_483_647;

/** A row id in a path or query: a whole number from 1 to INT4_MAX. */
export const SqlId = z.coerce
  .number()
  .int("expected a whole number")
  .min(1)
  .max(INT4_MAX, `expected at most ${INT4_MAX}`);

/**
 * Instants the service takes from a request lie in 1990–2099, the years sync accepts and the
 * calendar covers: PostgreSQL would refuse year 0 (and JavaScript takes 2025-02-30 for 2 March).
 */
export const EARLIEST_INSTANT = new Date("1990-01-01T00:00:00+07:00");
export const END_OF_INSTANTS = new Date("2100-01-01T00:00:00+07:00");

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Whether year-month-day names a day of the Gregorian calendar (no 30 February). */
export function realDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]);
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 time with its offset, every field in range (no 30 February, no 24:00, offsets up to
 * ±14:00), within 1990–2099; null otherwise. The one parser of instants in queries and cursors.
 */
export function parseInstant(text: string): Date | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const offsetHours = Number(m[8] ?? 0);
  const offsetMinutes = Number(m[9] ?? 0);
  if (!realDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  if (offsetHours > 14 || offsetMinutes > 59) return null;
  const at = new Date(text);
  return inRange(at) ? at : null;
}

const inRange = (at: Date) => !Number.isNaN(at.getTime()) && at >= EARLIEST_INSTANT && at < END_OF_INSTANTS;

/** A local date YYYY-MM-DD that exists and lies in 1990–2099; its parts, or null. */
export function parseLocalDate(text: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1990 || year > 2099 || !realDate(year, month, day)) return null;
  return { year, month, day };
}

const INSTANT_MESSAGE =
  "expected an ISO time with offset in 1990–2099, every field in range (e.g. 2025-02-07T10:00:00+07:00)";

/** An instant of a query (ISO with offset, checked by parseInstant), as a Date. */
export const InstantQuery = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const at = parseInstant(text);
    if (at) return at;
    ctx.addIssue({ code: "custom", message: INSTANT_MESSAGE });
    return z.NEVER;
  })
  .openapi({ type: "string", format: "date-time", example: "2025-02-07T10:00:00+07:00" });

/** `asOf` on every computed view (DOMAIN §10): an ISO time with its offset; now when absent. */
export const AsOfQuery = z
  .string()
  .max(40)
  .refine((text) => parseInstant(text) !== null, INSTANT_MESSAGE)
  .optional()
  .openapi({
    description: "Compute as of this time (ISO 8601 with offset, from 1990 to a year after now); default now",
    example: "2025-02-07T10:00:00+07:00",
  });

/** How far ahead of now a view may be asked for: planning next year's deadlines is sane, 9999 is not. */
export const AS_OF_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

/**
 * `asOf` of a request, now when absent. Bounded to [1990, now + a year]: the window the calendar
 * and the data cover, named in a 400 otherwise.
 */
export function asOfOr(asOf: string | undefined, now: Date, field = "asOf"): Date {
  if (asOf === undefined) return now;
  const at = parseInstant(asOf);
  if (!at || at.getTime() > now.getTime() + AS_OF_AHEAD_MS) {
    throw new ApiError(
      "BAD_REQUEST",
      `Invalid request: ${field}: must be an ISO time with offset from 1990 to a year after now (${now.toISOString()})`,
      { errors: [{ path: field, message: "outside the window from 1990 to a year after now" }] },
    );
  }
  return at;
}

export const DossierCodeParam = z.object({
  code: z.string().min(1).max(200).openapi({ example: "000.00.20.H47-250124-0001" }),
});
