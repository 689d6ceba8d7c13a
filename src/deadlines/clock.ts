// Small conversions shared by the engine and the ledger: Dates to epoch ms (NaN = none), and
// pauses to the sorted columns the hot path reads.
import type { DossierPause } from "./dossier-record.js";
import type { PauseColumns } from "./due.js";
import type { SupplementPolicy } from "./types.js";

export const msOrNaN = (d: Date | null | undefined): number => (d ? d.getTime() : Number.NaN);
export const dateOrNull = (ms: number): Date | null => (Number.isNaN(ms) ? null : new Date(ms));

/** Where the clock stops being looked at: the finish if it happened by asOf, else asOf. */
export function clockEndMs(finishedMs: number, asOfMs: number): number {
  return Number.isNaN(finishedMs) ? asOfMs : Math.min(finishedMs, asOfMs);
}

/** Pauses sorted by start, as the columns statutoryDueMs reads. */
export function pauseColumnsOf(pauses: readonly DossierPause[], policy: SupplementPolicy): PauseColumns {
  const sorted = [...pauses].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  return {
    startMs: sorted.map((p) => p.startedAt.getTime()),
    endMs: sorted.map((p) => msOrNaN(p.endedAt)),
    // DOMAIN §3.4: only supplements follow the procedure's policy; a financial wait always pauses.
    restarts: sorted.map((p) => (p.kind === "supplement" && policy === "restart" ? 1 : 0)),
  };
}
