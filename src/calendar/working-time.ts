// Working-time arithmetic over a range of calendar years (DOMAIN §2, §3). Every working day has the same
// periods (a make-up day too), so the k-th working day and the working minutes before any day are
// table look-ups: each query below is O(1) in the number of days. Internally every quantity is in
// integer milliseconds so that sums are exact; the minute-based methods wrap them.
//
// The "ordinal" of an instant is the working time elapsed from the start of the index's first day
// up to it. It is flat through non-working time, so an instant in the lunch break has the ordinal
// of 11:30, and the instant of an ordinal that lands on a period's end is that end (DOMAIN §3.3: a due
// that runs out at 11:30 is 11:30, not 13:30).
//
// Instants and ordinals are whole milliseconds (as Dates are): the look-ups divide by multiplying
// with a reciprocal, offset by half a millisecond, and truncate to an integer, which is exact for
// whole numbers in the index's range and several times faster than a division and a floor on the
// nightly sweep's hot path (anything outside the range fails the range check instead).
import { DAY_MS, dayNumberOf, isoDateOf, localIsoDateOf, MINUTE_MS, ZONE_OFFSET_MS } from "./dates.js";
import type { CalendarDay, CalendarDayKind, CalendarYear } from "./types.js";
import {
  DEFAULT_WORKING_PERIODS,
  type ParsedPeriods,
  parseWorkingPeriods,
  type WorkingPeriods,
} from "./working-periods.js";

/** What a day is, for display: an ordinary working weekday is `working`. */
export interface DayInfo {
  date: string;
  kind: CalendarDayKind | "working";
  name: string | null;
  legalRef: string | null;
  workingMinutes: number;
}

/** One row per day, so that the same arithmetic can live in a SQL table. */
export interface DayRow extends DayInfo {
  /** Working minutes from the index's first day up to the start of this day. */
  cumMinutesBefore: number;
}

export class WorkingTimeIndex {
  /** Day number (days since 1970-01-01, local) of the first indexed day. */
  readonly firstDay: number;
  readonly dayCount: number;
  readonly periods: ParsedPeriods;
  /** Working time of a working day, in ms. */
  readonly dayWorkMs: number;
  /** Period bounds in ms from local midnight. */
  readonly periodStartMs: Float64Array;
  readonly periodEndMs: Float64Array;
  /**
   * [2m] = working ms of a working day before minute m of the local day, [2m + 1] = 1 when minute m
   * lies in a working period, else 0: interleaved, so that a look-up reads one cache line.
   */
  private readonly minuteTable: Float64Array;
  /** workMinuteEndMs[j] = ms from local midnight at which the j-th working minute ends (j ≥ 1). */
  private readonly workMinuteEndMs: Float64Array;
  /** workDaysBefore[i] = working days among days [0, i); length dayCount + 1. */
  private readonly workDaysBefore: Int32Array;
  /** workDayAt[k] = index of the k-th working day. */
  private readonly workDayAt: Int32Array;
  /** workDayStartMs[k] = the instant the k-th working day starts (local midnight). */
  private readonly workDayStartMs: Float64Array;
  private readonly inverseDayWorkMs: number;
  private readonly minutesPerDay: number;
  /** [2i] = ordinal at the start of day i, [2i + 1] = 1 when day i is working (one cache line). */
  private readonly dayTable: Float64Array;
  /** The ordinal at the end of the last working day. */
  private readonly lastOrdinalMs: number;
  private readonly entries: ReadonlyMap<number, CalendarDay>;

  constructor(years: readonly CalendarYear[], periods: WorkingPeriods = DEFAULT_WORKING_PERIODS) {
    if (years.length === 0) throw new RangeError("a working-time index needs at least one calendar year");
    const sorted = [...years].sort((a, b) => a.year - b.year);
    sorted.forEach((y, k) => {
      if (k > 0 && y.year !== sorted[k - 1].year + 1)
        throw new RangeError(`calendar years must be contiguous: ${y.year}`);
    });
    this.periods = parseWorkingPeriods(periods);
    this.dayWorkMs = this.periods.minutesPerDay * MINUTE_MS;
    this.periodStartMs = Float64Array.from(this.periods.startMin, (m) => m * MINUTE_MS);
    this.periodEndMs = Float64Array.from(this.periods.endMin, (m) => m * MINUTE_MS);
    this.minuteTable = new Float64Array(2 * 1440);
    this.workMinuteEndMs = new Float64Array(this.periods.minutesPerDay + 1);
    for (let m = 0, j = 0, cum = 0; m < 1440; m++) {
      const working = this.periods.startMin.some((start, k) => m >= start && m < this.periods.endMin[k]);
      this.minuteTable[2 * m] = cum;
      this.minuteTable[2 * m + 1] = working ? 1 : 0;
      if (working) {
        cum += MINUTE_MS;
        this.workMinuteEndMs[++j] = (m + 1) * MINUTE_MS;
      }
    }
    this.firstDay = dayNumberOf(`${sorted[0].year}-01-01`);
    this.dayCount = dayNumberOf(`${sorted.at(-1)!.year + 1}-01-01`) - this.firstDay;

    const entries = new Map<number, CalendarDay>();
    for (const day of sorted.flatMap((y) => y.days)) entries.set(dayNumberOf(day.date), day);
    this.entries = entries;

    this.workDaysBefore = new Int32Array(this.dayCount + 1);
    const workDays: number[] = [];
    for (let i = 0; i < this.dayCount; i++) {
      const working = isWorkingKind(entries.get(this.firstDay + i)?.kind);
      if (working) workDays.push(i);
      this.workDaysBefore[i + 1] = this.workDaysBefore[i] + (working ? 1 : 0);
    }
    this.workDayAt = Int32Array.from(workDays);
    this.workDayStartMs = Float64Array.from(workDays, (i) => this.dayStartMs(i));
    this.inverseDayWorkMs = 1 / this.dayWorkMs;
    this.minutesPerDay = this.periods.minutesPerDay;
    this.lastOrdinalMs = workDays.length * this.dayWorkMs;
    this.dayTable = new Float64Array(2 * this.dayCount);
    for (let i = 0; i < this.dayCount; i++) {
      this.dayTable[2 * i] = this.workDaysBefore[i] * this.dayWorkMs;
      this.dayTable[2 * i + 1] = this.workDaysBefore[i + 1] - this.workDaysBefore[i];
    }
  }

  /**
   * Working ms from the index origin up to instant t (flat through non-working time). Table
   * look-ups without branches on the day or the period: random instants would defeat the CPU's
   * branch prediction, and this runs several times per dossier in the nightly sweep.
   */
  ordinalMs(t: number): number {
    const local = t + ZONE_OFFSET_MS;
    // The day and the minute are found independently (not the minute from the day), so that the
    // two look-ups overlap instead of waiting on each other.
    const day = ((local + 0.5) * INVERSE_DAY_MS) | 0;
    const minute = ((local + 0.5) * INVERSE_MINUTE_MS) | 0;
    const i = day - this.firstDay;
    if (!(i >= 0 && i < this.dayCount)) throw this.outOfRange(t);
    const m = minute - day * MINUTES_PER_DAY;
    const withinDay = this.minuteTable[2 * m] + this.minuteTable[2 * m + 1] * (local - minute * MINUTE_MS);
    return this.dayTable[2 * i] + this.dayTable[2 * i + 1] * withinDay;
  }

  /** The instant at which `o` working ms have elapsed; at a period's end, that end. */
  instantAtOrdinalMs(o: number): number {
    if (o === 0 && this.workDayAt.length > 0)
      return this.dayStartMs(this.workDayAt[0]) + this.periodStartMs[0];
    // k: the working day holding ordinals (k·D, (k+1)·D]; jAbs: the working minute o falls in,
    // counted from the origin, 1-based (ceil(x) = floor(x − ½) + 1 for whole x).
    const k = ((o - 0.5) * this.inverseDayWorkMs) | 0;
    const jAbs = (((o - 0.5) * INVERSE_MINUTE_MS) | 0) + 1;
    if (!(o > 0 && o <= this.lastOrdinalMs)) {
      throw new RangeError(
        `working time ${o / MINUTE_MS} min is outside the calendar index (${this.describeRange()})`,
      );
    }
    const j = jAbs - k * this.minutesPerDay; // the day's working minute, 1-based
    return this.workDayStartMs[k] + this.workMinuteEndMs[j] - (jAbs * MINUTE_MS - o);
  }

  /**
   * t itself inside a working period, else the start of the next one (DOMAIN §3.2: start snaps forward).
   * One millisecond of working time after t, less that millisecond, is exactly that.
   */
  snapForwardMs(t: number): number {
    return this.instantAtOrdinalMs(this.ordinalMs(t) + 1) - 1;
  }

  /** t moved by `ms` of working time (negative walks backwards); adding 0 leaves t as it is. */
  addWorkingMs(t: number, ms: number): number {
    if (ms === 0) return t;
    return this.instantAtOrdinalMs(this.ordinalMs(t) + ms);
  }

  /** Working ms from a to b (negative when b is before a). */
  workingMsBetween(a: number, b: number): number {
    return this.ordinalMs(b) - this.ordinalMs(a);
  }

  ordinalAt(t: number): number {
    return this.ordinalMs(t) / MINUTE_MS;
  }

  instantAtOrdinal(minutes: number): number {
    return this.instantAtOrdinalMs(Math.round(minutes * MINUTE_MS));
  }

  snapForward(t: number): number {
    return this.snapForwardMs(t);
  }

  addWorking(t: number, minutes: number): number {
    return this.addWorkingMs(t, Math.round(minutes * MINUTE_MS));
  }

  workingMinutesBetween(a: number, b: number): number {
    return this.workingMsBetween(a, b) / MINUTE_MS;
  }

  /** Inside a working period of a working day ([start, end): the end itself is not working). */
  isWorkingInstant(t: number): boolean {
    return this.snapForwardMs(t) === t;
  }

  /** Whether the local day `dayNumber` is a working day. */
  isWorkingDay(dayNumber: number): boolean {
    const i = dayNumber - this.firstDay;
    if (!(i >= 0 && i < this.dayCount))
      throw new RangeError(`${isoDateOf(dayNumber)} is outside the calendar index (${this.describeRange()})`);
    return this.workDaysBefore[i + 1] !== this.workDaysBefore[i];
  }

  /** The calendar entry of a local day, or null for an ordinary working weekday. */
  calendarEntry(dayNumber: number): CalendarDay | null {
    this.isWorkingDay(dayNumber);
    return this.entries.get(dayNumber) ?? null;
  }

  dayInfo(date: string): DayInfo {
    const d = dayNumberOf(date);
    const entry = this.calendarEntry(d);
    return {
      date,
      kind: entry?.kind ?? "working",
      name: entry?.name ?? null,
      legalRef: entry?.legalRef ?? null,
      workingMinutes: this.isWorkingDay(d) ? this.periods.minutesPerDay : 0,
    };
  }

  dayRows(): DayRow[] {
    const rows: DayRow[] = [];
    for (let i = 0; i < this.dayCount; i++) {
      rows.push({
        ...this.dayInfo(isoDateOf(this.firstDay + i)),
        cumMinutesBefore: this.workDaysBefore[i] * this.periods.minutesPerDay,
      });
    }
    return rows;
  }

  private dayStartMs(i: number): number {
    return (this.firstDay + i) * DAY_MS - ZONE_OFFSET_MS;
  }

  private describeRange(): string {
    return `${isoDateOf(this.firstDay)} to ${isoDateOf(this.firstDay + this.dayCount - 1)}`;
  }

  private outOfRange(t: number): RangeError {
    const when = Number.isFinite(t) ? `${localIsoDateOf(t)} (local)` : String(t);
    return new RangeError(`${when} is outside the calendar index (${this.describeRange()})`);
  }
}

const INVERSE_DAY_MS = 1 / DAY_MS;
const INVERSE_MINUTE_MS = 1 / MINUTE_MS;
const MINUTES_PER_DAY = 1440;

function isWorkingKind(kind: CalendarDayKind | undefined): boolean {
  return kind === undefined || kind === "makeup_working";
}

/** Convenience: an index over the given years with the given periods. */
export function createWorkingTimeIndex(
  years: readonly CalendarYear[],
  periods: WorkingPeriods = DEFAULT_WORKING_PERIODS,
): WorkingTimeIndex {
  return new WorkingTimeIndex(years, periods);
}
