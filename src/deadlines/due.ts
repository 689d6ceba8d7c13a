// The numeric hot path of the engine: epoch milliseconds in, epoch milliseconds out, NaN for
// "none", no allocation. computeDeadlines wraps it with Dates; the nightly sweep and the benchmark
// call it directly.
import { HOUR_MS, localDayOf } from "../calendar/dates.js";
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import type { ProcessingTime } from "./types.js";

/** DOMAIN §2: 8 working hours = 1 working day, whatever the agency's periods. */
export const WORKING_DAY_MS = 8 * HOUR_MS;

/** Processing time in working ms; rejects zero, negative and non-finite amounts. */
export function processingMsOf(time: ProcessingTime): number {
  if (!(Number.isFinite(time.amount) && time.amount > 0)) {
    throw new RangeError(`processing time must be a positive number of ${time.unit}, got ${time.amount}`);
  }
  return Math.round(time.amount * (time.unit === "days" ? WORKING_DAY_MS : HOUR_MS));
}

/**
 * Pauses as parallel columns, sorted by start. `endMs` NaN = still open. `restarts[p]` = 1 when the
 * pause is a supplement under the `restart` policy (financial waits always pause).
 */
export interface PauseColumns {
  startMs: ArrayLike<number>;
  endMs: ArrayLike<number>;
  restarts: ArrayLike<number>;
}

/** Filled by statutoryDueMs when asked: the ordinal the last restart started from (NaN if none). */
export interface DueTrace {
  restartOrdinalMs: number;
}

/**
 * Statutory due (DOMAIN §3.3): start + processing time through working periods, where a pause stops the
 * clock from its start to its end (only the part after the start counts; overlapping pauses count
 * once) and a restarting supplement starts the full time again from its end. A pause that begins
 * once the time has already run out changes nothing: a late dossier stays late.
 * Pauses are pauses[from..to). With an `asOfMs`, pauses not started by then are ignored and an open
 * pause is taken to end at asOf; without one (NaN), an open pause makes the due unknown (NaN).
 * The receipt need not be snapped first: an instant and its snapped start have the same ordinal.
 */
export function statutoryDueMs(
  index: WorkingTimeIndex,
  receivedMs: number,
  processingMs: number,
  pauses: PauseColumns,
  from: number,
  to: number,
  asOfMs: number,
  trace?: DueTrace,
): number {
  const due = statutoryDueOrdinal(index, receivedMs, processingMs, pauses, from, to, asOfMs, trace);
  return Number.isNaN(due) ? due : index.instantAtOrdinalMs(due);
}

/** statutoryDueMs as a working-time ordinal (NaN when unknown). */
function statutoryDueOrdinal(
  index: WorkingTimeIndex,
  receivedMs: number,
  processingMs: number,
  pauses: PauseColumns,
  from: number,
  to: number,
  asOfMs: number,
  trace?: DueTrace,
): number {
  const startOrdinal = index.ordinalMs(receivedMs);
  let target = startOrdinal + processingMs;
  let covered = startOrdinal;
  if (trace) trace.restartOrdinalMs = Number.NaN;
  for (let p = from; p < to; p++) {
    const ps = pauses.startMs[p];
    if (ps > asOfMs) break;
    let pe = pauses.endMs[p];
    if (Number.isNaN(pe) || pe > asOfMs) {
      if (Number.isNaN(asOfMs)) return Number.NaN;
      pe = asOfMs;
    }
    // Comparisons rather than Math.max/min, whose NaN and −0 handling costs more than the look-up.
    const pauseStart = index.ordinalMs(ps);
    const a = pauseStart > covered ? pauseStart : covered;
    if (a >= target) break;
    const pauseEnd = index.ordinalMs(pe);
    const b = pauseEnd > a ? pauseEnd : a;
    if (pauses.restarts[p] === 1) {
      target = b + processingMs;
      if (trace) trace.restartOrdinalMs = b;
    } else {
      target += b - a;
    }
    covered = b;
  }
  return target;
}

/** Where deadlinesMs writes: statutory, binding and apology-window instants (NaN = none). */
export const STATUTORY = 0;
export const BINDING = 1;
export const APOLOGY = 2;

/**
 * The hot path of computeDeadlines: statutory due (processingMs NaN = unknown), binding due and the
 * apology window into `out` (a reusable Float64Array of 3), without allocating. Reuses the binding
 * due's ordinal when it is the statutory one.
 */
export function deadlinesMs(
  index: WorkingTimeIndex,
  receivedMs: number,
  processingMs: number,
  pauses: PauseColumns,
  from: number,
  to: number,
  promisedMs: number,
  asOfMs: number,
  out: Float64Array,
): void {
  const dueOrdinal = Number.isNaN(processingMs)
    ? Number.NaN
    : statutoryDueOrdinal(index, receivedMs, processingMs, pauses, from, to, asOfMs);
  const statutory = Number.isNaN(dueOrdinal) ? Number.NaN : index.instantAtOrdinalMs(dueOrdinal);
  const binding = bindingDueMs(promisedMs, statutory);
  out[STATUTORY] = statutory;
  out[BINDING] = binding;
  if (Number.isNaN(binding)) {
    out[APOLOGY] = Number.NaN;
    return;
  }
  const bindingOrdinal = binding === statutory ? dueOrdinal : index.ordinalMs(binding);
  out[APOLOGY] = index.instantAtOrdinalMs(bindingOrdinal - WORKING_DAY_MS);
}

/** DOMAIN §3.6: the earlier of promised and statutory; either alone when the other is missing (NaN). */
export function bindingDueMs(promisedMs: number, statutoryMs: number): number {
  if (Number.isNaN(promisedMs)) return statutoryMs;
  if (Number.isNaN(statutoryMs)) return promisedMs;
  return promisedMs < statutoryMs ? promisedMs : statutoryMs;
}

/** DOMAIN §1 (NĐ 61/2018, NĐ 118/2025): the apology is owed at the latest 1 working day before the due. */
export function apologyWindowStartMs(index: WorkingTimeIndex, bindingMs: number): number {
  return index.instantAtOrdinalMs(index.ordinalMs(bindingMs) - WORKING_DAY_MS);
}

/**
 * Index into DOSSIER_STATES (DOMAIN §4). `finishedMs` is NaN while unfinished; a finish after
 * asOf is treated as not yet happened, so that any past asOf is reproducible.
 */
export function dossierStateCode(
  status: number,
  bindingMs: number,
  apologyMs: number,
  finishedMs: number,
  asOfMs: number,
): number {
  if (status === 3 || status === 7 || status === 8) return 6;
  if (finishedMs <= asOfMs) {
    if (Number.isNaN(bindingMs)) return 4; // nothing to be late against
    if (localDayOf(finishedMs) < localDayOf(bindingMs)) return 3;
    return finishedMs <= bindingMs ? 4 : 5;
  }
  if (Number.isNaN(bindingMs)) return 0;
  if (asOfMs > bindingMs) return 2;
  return asOfMs >= apologyMs ? 1 : 0;
}
