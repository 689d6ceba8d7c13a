// Local-date arithmetic for Asia/Ho_Chi_Minh: UTC+7 all year, no DST (DOMAIN §2), so a local day is
// a plain integer and no time-zone database is needed on the hot path.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Asia/Ho_Chi_Minh has been UTC+7 without DST since 1975. */
export const ZONE_OFFSET_MS = 7 * HOUR_MS;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a local calendar date "YYYY-MM-DD". */
export function dayNumberOf(isoDate: string): number {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(isoDate)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`no such date: ${isoDate}`);
  }
  return ms / DAY_MS;
}

/** The "YYYY-MM-DD" of a day number. */
export function isoDateOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The local day (days since 1970-01-01, local) containing the instant. */
export function localDayOf(ms: number): number {
  return Math.floor((ms + ZONE_OFFSET_MS) / DAY_MS);
}

/** The instant at which a local day starts (00:00 +07). */
export function localDayStartMs(dayNumber: number): number {
  return dayNumber * DAY_MS - ZONE_OFFSET_MS;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isWeekendDay(dayNumber: number): boolean {
  const w = weekdayOf(dayNumber);
  return w === 0 || w === 6;
}

/** The local date of an instant, "YYYY-MM-DD". */
export function localIsoDateOf(ms: number): string {
  return isoDateOf(localDayOf(ms));
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * Wall-clock parts of an instant in Asia/Ho_Chi_Minh: the fixed offset is exact and avoids Intl's
 * per-call cost on the rendering hot path (letters, report PDFs, the console).
 */
export function localParts(at: Date): LocalParts {
  const local = new Date(at.getTime() + ZONE_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}
