// The console's query strings, read through the API's own zod schemas (issue 18): one parse decides
// what is valid. What a form adds is a small preprocessing step over the same schema — a field left
// empty means "none", a day typed as dd/mm/yyyy is the same day — never a second parser. A value the
// schema refuses is the console's 400 page naming the field, not the API's JSON.
import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ApiError } from "../http/errors.js";

export type RawQuery = Record<string, string>;

/** The query as a GET form sends it: each name's first value, NFC, trimmed; empty fields are absent. */
export function formQuery(c: Context): RawQuery {
  const out: RawQuery = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    const value = values[0]?.normalize("NFC").trim();
    if (value) out[name] = value;
  }
  return out;
}

/** dd/mm/yyyy (as officials type a day) to yyyy-mm-dd (as URLs and the API carry it); else as typed. */
export function isoDayOf(text: string): string {
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  return vn ? `${vn[3]}-${vn[2].padStart(2, "0")}-${vn[1].padStart(2, "0")}` : text;
}

/** A day as the API's instant: 00:00 of that day in Viet Nam; anything else as typed (the schema judges). */
export function dayStartOf(text: string): string {
  const day = isoDayOf(text);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00+07:00` : text;
}

export interface QueryOptions {
  /** Per field, how the console's form writes what the API's schema reads (applied when present). */
  lax?: Record<string, (value: string) => string>;
  /** Values of fields the form left out (the console's defaults, e.g. a report's period). */
  defaults?: RawQuery;
}

/** A zod schema by what it gives (zod 4's generics do not narrow well through a helper's type parameter). */
export type QuerySchema<T> = Pick<z.ZodType<T>, "safeParse">;

const pathOf = (path: readonly PropertyKey[]) => path.map(String).join(".") || "query";

/**
 * The query of a console page through `schema` (the API's): its output, or a 400 page whose message
 * names the field and says what the schema expected.
 */
export function consoleQuery<T>(c: Context, schema: QuerySchema<T>, options: QueryOptions = {}): T {
  const raw = { ...options.defaults, ...formQuery(c) };
  for (const [name, lax] of Object.entries(options.lax ?? {})) {
    if (raw[name] !== undefined) raw[name] = lax(raw[name]);
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
  throw new ApiError(
    "BAD_REQUEST",
    `Địa chỉ trang có giá trị không hợp lệ ở “${errors[0].path}”: ${errors[0].message}.`,
    { errors },
  );
}
