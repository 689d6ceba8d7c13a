// The engine over many dossiers at once (a sweep over every open dossier, the benchmark): statutory
// due, binding due, apology window and state of each dossier, from typed-array columns into
// typed-array columns, with exactly the figures of deadlinesMs + dossierStateCode (a property test
// holds them together).
//
// Why it is faster than calling those per dossier: random data defeats the CPU's branch
// prediction, and a mispredicted branch costs more than the arithmetic around it. So the choices
// that depend on the data — the later of two ordinals, whether a pause counts, restart or pause,
// the earlier due, the state — are computed as arithmetic on 0/1 comparisons, and the columns are
// read in order. The branches left are the pause loop's and whether a promise was recorded; the
// rare cases (unknown processing time, an instant outside the calendar) take the per-dossier path.
// (Grouping dossiers by shape first, to make those two branches predictable too, measured slower:
// the grouping costs more than the mispredictions it saves.)
import { DAY_MS, ZONE_OFFSET_MS } from "../calendar/dates.js";
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import { CLOSED_STATUSES } from "./dossier-record.js";
import {
  APOLOGY,
  BINDING,
  deadlinesMs,
  dossierStateCode,
  type PauseColumns,
  STATUTORY,
  WORKING_DAY_MS,
} from "./due.js";

/** The dossiers, one entry per dossier in each column; NaN = none. */
export interface DossierColumns {
  receivedMs: Float64Array;
  /** NaN while the procedure's processing time is unknown. */
  processingMs: Float64Array;
  promisedMs: Float64Array;
  /** finishedAt ?? returnedAt; NaN while unfinished. */
  finishedMs: Float64Array;
  status: Uint8Array;
  /** Dossier i's pauses are pauses[pauseFrom[i] .. pauseFrom[i + 1]), sorted by start. */
  pauseFrom: Int32Array;
  pauses: PauseColumns;
}

/** Where judgeDossiers writes: the three instants (NaN = none) and the index into DOSSIER_STATES. */
export interface JudgedColumns {
  statutoryMs: Float64Array;
  bindingMs: Float64Array;
  apologyMs: Float64Array;
  state: Uint8Array;
}

const INVERSE_DAY_MS = 1 / DAY_MS;
const CLOSED_STATUS = new Float64Array(256);
for (const s of CLOSED_STATUSES) CLOSED_STATUS[s] = 1;

const scratch = new Float64Array(3);

/** One dossier the per-dossier way; instants outside the calendar leave its dues unknown. */
function judgeOne(index: WorkingTimeIndex, d: DossierColumns, i: number, asOfMs: number, out: JudgedColumns) {
  try {
    deadlinesMs(
      index,
      d.receivedMs[i],
      d.processingMs[i],
      d.pauses,
      d.pauseFrom[i],
      d.pauseFrom[i + 1],
      d.promisedMs[i],
      asOfMs,
      scratch,
    );
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    scratch.fill(Number.NaN);
  }
  out.statutoryMs[i] = scratch[STATUTORY];
  out.bindingMs[i] = scratch[BINDING];
  out.apologyMs[i] = scratch[APOLOGY];
  out.state[i] = dossierStateCode(d.status[i], scratch[BINDING], scratch[APOLOGY], d.finishedMs[i], asOfMs);
}

/**
 * Deadlines and states of dossiers [from, to) as of `asOfMs` (required: an open pause runs to it),
 * as computeDeadlines + dossierState give them one by one. The statutory due walks the pauses as
 * statutoryDueMs does, without its early exits: a pause that starts once the time has run out, or
 * after asOf, counts for nothing, and neither can any later one (they start later), so counting
 * them for nothing is the same.
 */
export function judgeDossiers(
  index: WorkingTimeIndex,
  d: DossierColumns,
  asOfMs: number,
  out: JudgedColumns,
  from = 0,
  to = d.receivedMs.length,
): void {
  if (!Number.isFinite(asOfMs)) throw new RangeError("judgeDossiers needs an asOf");
  const { receivedMs, processingMs, promisedMs, finishedMs, status, pauseFrom } = d;
  const { startMs, endMs, restarts } = d.pauses;
  const { statutoryMs, bindingMs, apologyMs, state } = out;
  let i = from;
  while (i < to) {
    try {
      for (; i < to; i++) {
        const processing = processingMs[i];
        if (Number.isNaN(processing)) {
          // Unknown processing time: judged on the promise alone. Seldom taken.
          judgeOne(index, d, i, asOfMs, out);
          continue;
        }
        const start = index.ordinalMs(receivedMs[i]);
        let target = start + processing;
        let covered = start;
        for (let p = pauseFrom[i], end = pauseFrom[i + 1]; p < end; p++) {
          const pauseStart = startMs[p];
          let pauseEnd = endMs[p];
          // Still open, or ended after asOf: the clock is stopped until asOf. Seldom taken.
          if (!(pauseEnd <= asOfMs)) pauseEnd = asOfMs;
          const ps = index.ordinalMs(pauseStart);
          const pe = index.ordinalMs(pauseEnd);
          const a = covered + +(ps > covered) * (ps - covered);
          const b = a + +(pe > a) * (pe - a);
          // It counts if it began by asOf and before the time ran out.
          const counts = +(a < target) * +(pauseStart <= asOfMs);
          const restart = restarts[p];
          const next = target + (b - a) + restart * (b + processing - target - (b - a));
          target += counts * (next - target);
          covered = b;
        }
        const statutory = index.instantAtOrdinalMs(target);
        let binding = statutory;
        let bindingOrdinal = target;
        const promised = promisedMs[i];
        if (!Number.isNaN(promised)) {
          // The earlier due, and its ordinal: ordinals grow with time, so it is the earlier ordinal.
          const earlier = +(promised < statutory);
          binding = statutory + earlier * (promised - statutory);
          bindingOrdinal = target + earlier * (index.ordinalMs(promised) - target);
        }
        const apology = index.instantAtOrdinalMs(bindingOrdinal - WORKING_DAY_MS);
        statutoryMs[i] = statutory;
        bindingMs[i] = binding;
        apologyMs[i] = apology;
        // dossierStateCode as arithmetic: comparisons with a missing finish (NaN) are all false.
        const finished = finishedMs[i];
        const isFinished = +(finished <= asOfMs);
        // Local days, truncated as the index does (instants after 1970; a missing finish gives 0,
        // which the blend below discards).
        const finishedDay = ((finished + ZONE_OFFSET_MS + 0.5) * INVERSE_DAY_MS) | 0;
        const bindingDay = ((binding + ZONE_OFFSET_MS + 0.5) * INVERSE_DAY_MS) | 0;
        const finishedCode = 5 - +(finished <= binding) - +(finishedDay < bindingDay);
        const openCode = +(asOfMs >= apology) + +(asOfMs > binding);
        const closed = CLOSED_STATUS[status[i]];
        state[i] = 6 * closed + (1 - closed) * (openCode + isFinished * (finishedCode - openCode));
      }
    } catch (error) {
      // An instant outside the calendar (a look-up threw): the per-dossier path decides.
      if (!(error instanceof RangeError)) throw error;
      judgeOne(index, d, i, asOfMs, out);
      i++;
    }
  }
}
