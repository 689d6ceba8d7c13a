// The deadline engine (DOMAIN §3, §4): pure functions of a working-time index and a dossier's clock
// facts. Every figure an apology letter or a discipline report shows comes from here.
import { MINUTE_MS } from "../calendar/dates.js";
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import { clockEndMs, dateOrNull, msOrNaN, pauseColumnsOf } from "./clock.js";
import type { DossierStatus } from "./dossier-record.js";
import { APOLOGY, BINDING, deadlinesMs, dossierStateCode, processingMsOf, STATUTORY } from "./due.js";
import {
  type DeadlineInput,
  type Deadlines,
  DOSSIER_STATES,
  type DossierState,
  type Lateness,
} from "./types.js";

export { clockEndMs, pauseColumnsOf } from "./clock.js";
export * from "./due.js";
export type { LedgerSegment } from "./ledger.js";
export { clockLedger } from "./ledger.js";
export type * from "./types.js";

/**
 * Start, statutory, promised and binding dues and the apology window. `asOf` (optional) makes a
 * past view reproducible and settles running pauses: pauses not begun by asOf are ignored, and a
 * pause still running at asOf is taken to end at asOf (the clock is still stopped, so the due keeps
 * moving later each day). Without asOf, an open pause makes the statutory due unknown (null) and
 * the dossier is judged on its promised due.
 */
export function computeDeadlines(index: WorkingTimeIndex, input: DeadlineInput, asOf?: Date): Deadlines {
  const receivedMs = input.receivedAt.getTime();
  const columns = pauseColumnsOf(input.pauses, input.supplementPolicy);
  const processingMs = input.processingTime ? processingMsOf(input.processingTime) : Number.NaN;
  const out = new Float64Array(3);
  const asOfMs = msOrNaN(asOf);
  const n = columns.startMs.length;
  deadlinesMs(index, receivedMs, processingMs, columns, 0, n, msOrNaN(input.promisedDueAt), asOfMs, out);
  return {
    startAt: new Date(index.snapForwardMs(receivedMs)),
    statutoryDueAt: dateOrNull(out[STATUTORY]),
    promisedDueAt: input.promisedDueAt,
    bindingDueAt: dateOrNull(out[BINDING]),
    apologyWindowStartsAt: dateOrNull(out[APOLOGY]),
    finishedAt: input.finishedAt ?? input.returnedAt,
    processingTimeKnown: input.processingTime !== null,
    clockStopped: input.pauses.some((p) => p.endedAt === null && !(p.startedAt.getTime() > asOfMs)),
  };
}

/**
 * DOMAIN §4 as of `asOf`. Closed statuses (3, 7, 8) are not judged. A dossier finished
 * after asOf is judged as open at asOf. Status 9/10 without a finish time is judged as open (the
 * sweep reports it as an inconsistent record). Without any binding due an open dossier is
 * `on_track` and a finished one `on_time`: there is nothing to be late against.
 */
export function dossierState(deadlines: Deadlines, status: DossierStatus, asOf: Date): DossierState {
  const code = dossierStateCode(
    status,
    msOrNaN(deadlines.bindingDueAt),
    msOrNaN(deadlines.apologyWindowStartsAt),
    msOrNaN(deadlines.finishedAt),
    asOf.getTime(),
  );
  return DOSSIER_STATES[code];
}

/**
 * DOMAIN §4: working time from the binding due to the finish (or asOf while open); 0 when not late.
 * A finish after the due but in the same non-working stretch (e.g. 18:00 after a 17:30 due) is late
 * by 0 working minutes.
 */
export function lateness(index: WorkingTimeIndex, deadlines: Deadlines, asOf: Date): Lateness {
  const dueMs = msOrNaN(deadlines.bindingDueAt);
  const finishedMs = msOrNaN(deadlines.finishedAt);
  const endMs = clockEndMs(finishedMs, asOf.getTime());
  if (Number.isNaN(dueMs) || !(endMs > dueMs)) return { minutes: 0, hours: 0, days: 0 };
  const minutes = index.workingMsBetween(dueMs, endMs) / MINUTE_MS;
  return {
    minutes,
    hours: Math.round((minutes / 60) * 100) / 100,
    days: Math.round((minutes / 480) * 10) / 10,
  };
}
