// Field schemas shared by both sync formats: codes, free text, instants, limits.
import { z } from "zod";
import { type InstantResult, type LiteralZ, parseIsoInstant, parsePortalDate } from "./instant.js";

/** Limits that reject garbage (a megabyte "name") before it reaches the database or a letter. */
export const LIMITS = {
  code: 100,
  text: 500,
  note: 10_000,
  steps: 500,
  pauses: 100,
} as const;

/**
 * A key: dossier, procedure or agency code. Trimmed; NFC so that codes typed on different
 * keyboards compare equal. Numbers are refused rather than converted: a code such as "0012"
 * sent as 12 has already lost its leading zeros.
 */
export const code = () =>
  z
    .string()
    .trim()
    .normalize("NFC")
    .min(1, "must not be empty")
    .max(LIMITS.code, `must be at most ${LIMITS.code} characters`);

/**
 * An agency's code: a key, and a segment of the agency's materialised path ("/province/district/"),
 * so a "/" in it would forge a place in the tree (and another agency's scope).
 */
export const agencyCode = () => code().refine((c) => !c.includes("/"), 'must not contain "/"');

/** A required human-readable text (applicant name). */
export const requiredText = (max: number = LIMITS.text) =>
  z
    .string()
    .trim()
    .normalize("NFC")
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`);

/** Optional free text: null, absent and blank all mean "not given". */
export const optionalText = (max: number = LIMITS.text) =>
  z
    .string()
    .trim()
    .normalize("NFC")
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : null));

function instantOf(parse: (text: string) => InstantResult) {
  return z.string().transform((text, ctx) => {
    const result = parse(text);
    if (result.ok) return result.date;
    ctx.addIssue({ code: "custom", message: result.message });
    return z.NEVER;
  });
}

/** ISO-8601 with offset (canonical format). */
export const isoInstant = () => instantOf(parseIsoInstant);
export const optionalIsoInstant = () =>
  isoInstant()
    .nullish()
    .transform((value) => value ?? null);

/**
 * "No date" as .NET writes an unset DateTime (DateTime.MinValue): iGate's progress rows carry
 * non-nullable DateTime fields, so an unknown start arrives as this rather than as null.
 */
const DOTNET_NO_DATE = /^0001-01-01T00:00:00(\.0+)?Z?$/;

/** Blank, null and .NET's unset DateTime mean "no date"; anything else must be a date. */
const isNoDate = (text: string | null | undefined) =>
  text == null || text.trim() === "" || DOTNET_NO_DATE.test(text.trim());

/** A portal date in any form real producers send (parsePortalDate), read as `literalZ` says. */
export const portalDate = (literalZ: LiteralZ = "utc") =>
  instantOf((text) => parsePortalDate(text, literalZ));
/** The portal sends "" as often as null for "no date". */
export const optionalPortalDate = (literalZ: LiteralZ = "utc") =>
  z
    .string()
    .nullish()
    .transform((text, ctx) => {
      if (isNoDate(text)) return null;
      const result = parsePortalDate(text as string, literalZ);
      if (result.ok) return result.date;
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    });

/**
 * A portal enumeration sent as a number or a digit string ("2" and 2 alike), checked against the
 * known codes.
 */
export const portalCode = <T extends number>(known: readonly T[], label: string) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const text = typeof value === "string" ? value.trim() : String(value);
    const found = known.find((k) => String(k) === text);
    if (found !== undefined) return found;
    ctx.addIssue({
      code: "custom",
      message: `unknown ${label} ${JSON.stringify(value)}; expected ${known.join(", ")}`,
    });
    return z.NEVER;
  });

/**
 * A portal code sent as a number, a digit string, "" or null: the trimmed text, or null for none.
 * What the code means is the caller's (a source's status map, a list of known codes).
 */
export const portalCodeText = () =>
  z
    .union([z.number(), z.string()])
    .nullish()
    .transform((value) => {
      const text = value == null ? "" : String(value).trim();
      return text === "" ? null : text;
    });
