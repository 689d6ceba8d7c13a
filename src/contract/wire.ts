// The one form of values on the wire that several domains answer with. Instants are ISO 8601 in
// UTC with milliseconds, as Date.prototype.toISOString() writes them (`2025-02-07T03:00:00.000Z`):
// an offset, sortable as text, and what the dossier's detail always gave.
import { z } from "@hono/zod-openapi";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant as the API writes it. */
export const Instant = z.string().regex(ISO_UTC).openapi({
  format: "date-time",
  description: "ISO 8601 instant in UTC (toISOString form); Vietnam time is UTC+7",
  example: "2025-02-07T03:00:00.000Z",
});

/** A calendar day in Asia/Ho_Chi_Minh. */
export const LocalDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .openapi({ format: "date", example: "2025-02-07" });

/**
 * An instant of a row, as the API writes it: drizzle gives Dates, raw statements the server's text
 * (`2025-02-07 03:00:00+00`) or a JSON value's text, which all read back as the same instant.
 */
export const toInstant = (value: Date | string): string => new Date(value).toISOString();

/** The same, for a column that may be null. */
export const toInstantOrNull = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : toInstant(value);

/** A web address a client gives for us to call or to print: http or https only, never javascript: or file:. */
export const HttpUrl = z
  .string()
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), "expected an http(s) URL");
