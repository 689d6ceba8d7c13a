import type { Context } from "hono";

export type FormBody = Record<string, string | File | (string | File)[]>;

export const readForm = (c: Context) => c.req.parseBody({ all: true }) as Promise<FormBody>;

/** A text field's value, trimmed and NFC-normalised ("" when absent). */
export function field(body: FormBody, name: string): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first.normalize("NFC").trim() : "";
}

/** Every value of a repeated field (checkboxes). */
export function fields(body: FormBody, name: string): string[] {
  const value = body[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === "string" && v.length > 0);
}
