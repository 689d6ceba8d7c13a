// An agency's working periods (giờ làm việc), DOMAIN §2: default 07:30–11:30 and 13:30–17:30,
// configurable per agency (e.g. 07:00–11:30, 13:30–17:00).

/** Local "HH:MM" pairs, e.g. [["07:30","11:30"],["13:30","17:30"]]. */
export type WorkingPeriods = ReadonlyArray<readonly [string, string]>;

export const DEFAULT_WORKING_PERIODS: WorkingPeriods = [
  ["07:30", "11:30"],
  ["13:30", "17:30"],
];

/** The canonical key of a set of periods, e.g. "07:30-11:30,13:30-17:30" (agencies.working_profile). */
export function profileKeyOf(periods: WorkingPeriods): string {
  return periods.map(([from, to]) => `${from}-${to}`).join(",");
}

export const DEFAULT_WORKING_PROFILE = profileKeyOf(DEFAULT_WORKING_PERIODS);

/** Periods as minutes of the local day, ascending and disjoint. */
export interface ParsedPeriods {
  startMin: readonly number[];
  endMin: readonly number[];
  minutesPerDay: number;
}

const HH_MM = /^(\d{2}):(\d{2})$/;

function minutesOf(hhmm: string): number {
  const m = HH_MM.exec(hhmm);
  const h = m ? Number(m[1]) : Number.NaN;
  const min = m ? Number(m[2]) : Number.NaN;
  if (!(h <= 24 && min <= 59) || (h === 24 && min !== 0)) {
    throw new RangeError(
      `working period time must be "HH:MM" between 00:00 and 24:00, got ${JSON.stringify(hhmm)}`,
    );
  }
  return h * 60 + min;
}

/** Parses and validates: at least one period, each start < end, periods ascending and separated. */
export function parseWorkingPeriods(periods: WorkingPeriods): ParsedPeriods {
  if (periods.length === 0) throw new RangeError("at least one working period is required");
  const startMin: number[] = [];
  const endMin: number[] = [];
  for (const [from, to] of periods) {
    const s = minutesOf(from);
    const e = minutesOf(to);
    if (s >= e) throw new RangeError(`working period ${from}–${to} must end after it starts`);
    const previousEnd = endMin.at(-1);
    if (previousEnd !== undefined && s <= previousEnd) {
      throw new RangeError(
        `working period ${from}–${to} must start after the previous one ends (merge touching periods)`,
      );
    }
    startMin.push(s);
    endMin.push(e);
  }
  const minutesPerDay = startMin.reduce((sum, s, k) => sum + endMin[k] - s, 0);
  return { startMin, endMin, minutesPerDay };
}
