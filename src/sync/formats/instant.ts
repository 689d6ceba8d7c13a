// Reading and writing the two date notations of the sync formats. Pure; no time-zone database:
// the portal's local time is Asia/Ho_Chi_Minh, a fixed offset (calendar/dates.ts).
import { ZONE_OFFSET_MS } from "../../calendar/dates.js";

/**
 * Plausible years for a dossier date. Vendors sometimes send 0001-01-01 or 19000101000000 for
 * "no date"; rejecting those (instead of guessing they mean null) keeps them from being mis-read.
 */
const MIN_YEAR = 1990;
const MAX_YEAR = 2099;

/** Either the instant or an English message saying what is wrong with the text. */
export type InstantResult = { ok: true; date: Date } | { ok: false; message: string };

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const DATE_ONLY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const PORTAL_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1];
}

/** Checks the calendar parts (20250230 is not a date) and returns the wall-clock time as if UTC. */
function wallClock(parts: number[]): InstantResult {
  const [year, month, day, hour, minute, second, ms] = parts;
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return {
      ok: false,
      message: `year ${year} is outside the plausible range ${MIN_YEAR}–${MAX_YEAR}; send null or omit the field when there is no date`,
    };
  }
  if (month < 1 || month > 12) return { ok: false, message: `month ${month} does not exist` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, message: `day ${day} does not exist in ${year}-${String(month).padStart(2, "0")}` };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `time ${hour}:${minute}:${second} does not exist` };
  }
  return { ok: true, date: new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms)) };
}

function offsetMs(text: string): number | null {
  if (text === "Z") return 0;
  const sign = text[0] === "-" ? -1 : 1;
  const digits = text.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** The `count` digits from `from` as a number, or NaN: fixed-width fields read without a regex. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
}

/** The instant of valid wall-clock parts, or NaN when any part is out of range (the slow path explains). */
function validWallMs(year: number, month: number, day: number, hour: number, minute: number, second: number) {
  if (!(year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12)) return Number.NaN;
  if (!(day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59)) {
    return Number.NaN;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * "2025-01-24T10:00:00+07:00" and "2025-01-24T03:00:00Z", the shapes nearly every record uses (and
 * `formatIsoInstant` writes), read without a regex or allocation; NaN sends anything else, valid
 * or not, to the general parser.
 */
function fastIsoMs(text: string): number {
  const n = text.length;
  if ((n !== 25 && n !== 20) || text[4] !== "-" || text[7] !== "-" || text[10] !== "T") return Number.NaN;
  if (text[13] !== ":" || text[16] !== ":") return Number.NaN;
  let offset = 0;
  if (n === 20) {
    if (text[19] !== "Z") return Number.NaN;
  } else {
    const sign = text[19] === "+" ? 1 : text[19] === "-" ? -1 : 0;
    const hours = digits(text, 20, 2);
    const minutes = digits(text, 23, 2);
    if (sign === 0 || text[22] !== ":" || !(hours <= 14 && minutes <= 59)) return Number.NaN;
    offset = sign * (hours * 60 + minutes) * 60_000;
  }
  const wall = validWallMs(
    digits(text, 0, 4),
    digits(text, 5, 2),
    digits(text, 8, 2),
    digits(text, 11, 2),
    digits(text, 14, 2),
    digits(text, 17, 2),
  );
  return wall - offset;
}

/** ISO-8601 date-time with a required offset: "2025-01-24T10:00:00+07:00" or "…Z". */
export function parseIsoInstant(text: string): InstantResult {
  const fast = fastIsoMs(text);
  if (!Number.isNaN(fast)) return { ok: true, date: new Date(fast) };
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) {
    if (DATE_ONLY_PATTERN.test(text.trim())) {
      return {
        ok: false,
        message: "expected a date-time with time and offset, e.g. 2025-01-24T10:00:00+07:00",
      };
    }
    return {
      ok: false,
      message: "expected an ISO-8601 date-time with offset, e.g. 2025-01-24T10:00:00+07:00",
    };
  }
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  if (zone === undefined) {
    return {
      ok: false,
      message:
        "date-time has no UTC offset and could be read in the wrong zone; write e.g. 2025-01-24T10:00:00+07:00",
    };
  }
  const offset = offsetMs(zone);
  if (offset === null) return { ok: false, message: `offset ${zone} does not exist` };
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
  const wall = wallClock([+y, +mo, +d, +h, +mi, s ? +s : 0, ms]);
  return wall.ok ? { ok: true, date: new Date(wall.date.getTime() - offset) } : wall;
}

/** What a literal "Z" on a portal date means: UTC as ISO says, or local time (a known vendor bug). */
export type LiteralZ = "utc" | "local";

/** "2025-01-24 10:00:00", "2025-01-24T10:00:00.123", with an optional zone: the ISO family. */
const DASHED_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** "24/01/2025 10:00:00" or "24/01/2025 10:00", day first as Vietnamese write it. */
const SLASHED_PATTERN = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DATE_WITHOUT_TIME = /^(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4}|\d{8})$/;

const PORTAL_FORMS =
  "yyyyMMddHHmmss, yyyy-MM-dd HH:mm:ss, dd/MM/yyyy HH:mm:ss or ISO 8601 (no offset means Vietnam time)";

/** Wall-clock parts read in a zone: `offset` null is Vietnam local time. */
function zoned(parts: number[], offset: number | null): InstantResult {
  const wall = wallClock(parts);
  if (!wall.ok) return wall;
  return { ok: true, date: new Date(wall.date.getTime() - (offset ?? ZONE_OFFSET_MS)) };
}

const fractionMs = (fraction: string | undefined) =>
  fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;

/**
 * A portal date in any of the forms real one-stop systems send: the portal's `yyyyMMddHHmmss`,
 * `yyyy-MM-dd HH:mm:ss`, `dd/MM/yyyy HH:mm:ss`, ISO 8601 with or without milliseconds and offset.
 * Without an offset it is Vietnam local time, as the portal's own format is. A date without a time
 * is refused: midnight would be a guess, and a deadline read at midnight is a day early.
 */
export function parsePortalDate(text: string, literalZ: LiteralZ = "utc"): InstantResult {
  if (text.length === 14) {
    const wall = validWallMs(
      digits(text, 0, 4),
      digits(text, 4, 2),
      digits(text, 6, 2),
      digits(text, 8, 2),
      digits(text, 10, 2),
      digits(text, 12, 2),
    );
    if (!Number.isNaN(wall)) return { ok: true, date: new Date(wall - ZONE_OFFSET_MS) };
  }
  const trimmed = text.trim();
  const portal = PORTAL_PATTERN.exec(trimmed);
  if (portal) return zoned(portal.slice(1).map(Number).concat(0), null);
  const dashed = DASHED_PATTERN.exec(trimmed);
  if (dashed) {
    const [, y, mo, d, h, mi, s, fraction, zone] = dashed;
    const parts = [+y, +mo, +d, +h, +mi, s ? +s : 0, fractionMs(fraction)];
    if (zone === undefined || (zone.toUpperCase() === "Z" && literalZ === "local")) return zoned(parts, null);
    const offset = offsetMs(zone.toUpperCase());
    return offset === null ? { ok: false, message: `offset ${zone} does not exist` } : zoned(parts, offset);
  }
  const slashed = SLASHED_PATTERN.exec(trimmed);
  if (slashed) {
    const [, d, mo, y, h, mi, s] = slashed;
    return zoned([+y, +mo, +d, +h, +mi, s ? +s : 0, 0], null);
  }
  if (DATE_WITHOUT_TIME.test(trimmed)) {
    return { ok: false, message: `a date without its time; expected ${PORTAL_FORMS}` };
  }
  return { ok: false, message: `expected ${PORTAL_FORMS}, e.g. 20250124100000` };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Local wall-clock parts in Asia/Ho_Chi_Minh. */
function localParts(date: Date) {
  const local = new Date(date.getTime() + ZONE_OFFSET_MS);
  return {
    date: `${local.getUTCFullYear()}${pad(local.getUTCMonth() + 1)}${pad(local.getUTCDate())}`,
    iso: `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    time: [local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()].map((n) => pad(n)),
    ms: local.getUTCMilliseconds(),
  };
}

/** "2025-01-24T10:00:00+07:00" (milliseconds only when present): what a Vietnamese officer reads. */
export function formatIsoInstant(date: Date): string {
  const parts = localParts(date);
  const ms = parts.ms ? `.${pad(parts.ms, 3)}` : "";
  return `${parts.iso}T${parts.time.join(":")}${ms}+07:00`;
}

/** "20250124100000". The portal format has no milliseconds: they are dropped. */
export function formatPortalDate(date: Date): string {
  const parts = localParts(date);
  return `${parts.date}${parts.time.join("")}`;
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => pad(n));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => pad(n, 3));
/** "YYYY-MM-DDT" of the days met; a batch's instants fall on a few hundred days. */
const dayPrefixes = new Map<number, string>();
const KEPT_DAYS = 8192;

/**
 * Exactly `date.toISOString()`, without its cost: an import writes about twenty instants a record,
 * and Date's own formatter takes more than the rest of their encoding. The day's text is written
 * by toISOString once and kept; the time of day is put together from ready digits. A year outside
 * 0000–9999 (six-digit form) and an invalid date (RangeError) are left to toISOString.
 */
export function utcIsoText(date: Date): string {
  const ms = date.getTime();
  const day = Math.floor(ms / DAY_MS);
  const prefix = dayPrefixes.get(day);
  if (prefix === undefined) return firstOfDay(date, day);
  let rest = ms - day * DAY_MS;
  const milliseconds = rest % 1000;
  rest = (rest - milliseconds) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[milliseconds]}Z`;
}

function firstOfDay(date: Date, day: number): string {
  const text = date.toISOString();
  if (text.length !== 24) return text;
  if (dayPrefixes.size >= KEPT_DAYS) dayPrefixes.clear();
  dayPrefixes.set(day, text.slice(0, 11));
  return text;
}
