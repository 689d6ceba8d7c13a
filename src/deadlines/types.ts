// Inputs and outputs of the deadline engine (DOMAIN §3 and §4).
import type { DossierPause, DossierStatus } from "./dossier-record.js";

/** Thời hạn giải quyết: working days (halves allowed) or working hours. */
export interface ProcessingTime {
  unit: "days" | "hours";
  amount: number;
}

/** `pause`: time already spent still counts; `restart`: the full time starts again after a supplement. */
export type SupplementPolicy = "pause" | "restart";

export interface DeadlineInput {
  receivedAt: Date;
  /** null while the procedure's processing time is unknown: the dossier is judged on its promised due. */
  processingTime: ProcessingTime | null;
  supplementPolicy: SupplementPolicy;
  pauses: readonly DossierPause[];
  /** NgayHenTra as last synced. */
  promisedDueAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  status: DossierStatus;
}

export interface Deadlines {
  /** receivedAt snapped forward to working time. */
  startAt: Date;
  /** Start + processing time through working periods, after pauses and restarts. */
  statutoryDueAt: Date | null;
  promisedDueAt: Date | null;
  /** Hạn trả kết quả đang có hiệu lực: the earlier of promised and statutory. */
  bindingDueAt: Date | null;
  /** Binding due − 1 working day: from here an expected-late dossier owes its apology. */
  apologyWindowStartsAt: Date | null;
  /** finishedAt, else returnedAt. */
  finishedAt: Date | null;
  processingTimeKnown: boolean;
  /** A pause is still open (as of asOf): the statutory due assumes it ends at asOf. */
  clockStopped: boolean;
}

/** SPEC §3 "States", in the order the batch engine writes them by index (batch.ts). */
export const DOSSIER_STATES = [
  "on_track",
  "due_soon",
  "overdue",
  "early",
  "on_time",
  "late",
  "closed",
] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];

export interface Lateness {
  /** Working minutes past the binding due. */
  minutes: number;
  /** Working hours, two decimals. */
  hours: number;
  /** Working days of 8 h, one decimal (DOMAIN §4). */
  days: number;
}
