// The order of a dossier's messages, so that replays in any order end in the same dossier.
// Pure. A source that stamps its messages with an update time (canonical `sourceUpdatedAt`, the
// portal's NgayCapNhat) is ordered by that time, whatever the status did, so a status that really
// went backwards is kept and reported (inconsistent_record). Real one-stop systems send no update
// time: their messages are ordered by the dossier's lifecycle first (received < processing, with
// supplement and financial waits as detours < processed < returned; refused, withdrawn and stopped
// end it), then by the latest event the message reports; so a redelivered "processing" never
// reopens a returned dossier. The content hash breaks the last ties: two different messages never
// compare equal, whichever arrived first.
import type { DossierStatus } from "../deadlines/dossier-record.js";
import { utcIsoText } from "./formats/instant.js";

/** Lifecycle stage of a status, as statusStage (dossiers/state-sql.ts) has it in SQL. */
const STAGE: Record<DossierStatus, number> = { 1: 0, 2: 1, 4: 2, 5: 2, 6: 2, 9: 3, 10: 4, 3: 5, 7: 5, 8: 5 };

/** How a dossier's messages are ordered: set by its full record, which deltas follow. */
export type OrderMode = "stamped" | "lifecycle";

export interface OrderedMessage {
  status: DossierStatus;
  /** The source's own update time, when it sends one. */
  updatedAt: Date | null;
  /** The latest event the message reports (receipt, steps, pauses, finish, return); never a deadline. */
  eventAt: Date | null;
  contentHash: string;
}

const EPOCH = new Date(0);

/**
 * A text that sorts (as C strings) in the order of the messages. Full records of one dossier come
 * from one system, which stamps them all or none; should they mix, stamped ones sort above.
 */
export function orderKey(m: OrderedMessage, mode: OrderMode): string {
  const stage = STAGE[m.status];
  if (mode === "stamped") {
    return `1${utcIsoText(m.updatedAt ?? m.eventAt ?? EPOCH)}${stage}${m.contentHash}`;
  }
  return `0${stage}${utcIsoText(m.eventAt ?? m.updatedAt ?? EPOCH)}${m.contentHash}`;
}

/** The latest of the instants given, ignoring nulls; null when there is none. */
export function latestOf(dates: ReadonlyArray<Date | null | undefined>): Date | null {
  let latest: Date | null = null;
  for (const d of dates) if (d && (!latest || d.getTime() > latest.getTime())) latest = d;
  return latest;
}
