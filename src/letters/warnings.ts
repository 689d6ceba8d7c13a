// What an officer must know before issuing a letter that cannot be taken back (DOMAIN §6: one letter
// per dossier, ever): the issue would break a rule, or the letter would not say what they expect.

import type { DossierPause } from "../deadlines/dossier-record.js";
import type { Deadlines } from "../deadlines/types.js";
import type { LetterDossier } from "./dossier.js";

export type IssueWarning =
  /**
   * DOMAIN §1: the apology is owed at the latest 1 working day before the binding due; issued now, the
   * letter is recorded as `apology_after_deadline` by the next sweep.
   */
  | { kind: "after_apology_deadline"; deadline: Date }
  /**
   * A supplement or financial-obligation pause is open: the binding due keeps moving while it lasts,
   * so the letter may not be owed yet, and a new appointment set now ignores the rest of the pause.
   */
  | { kind: "paused"; pauseKind: DossierPause["kind"]; since: Date }
  /**
   * The result is ready already: the letter is the apology after the fact (DOMAIN §6, amended), with
   * no extension request and no new appointment.
   */
  | { kind: "after_the_fact"; finishedAt: Date };

/** The warnings that apply to issuing the dossier's letter at `now`, in the order a reader needs them. */
export function issueWarnings(dossier: LetterDossier, deadlines: Deadlines, now: Date): IssueWarning[] {
  const warnings: IssueWarning[] = [];
  const finishedAt = deadlines.finishedAt && deadlines.finishedAt <= now ? deadlines.finishedAt : null;
  if (finishedAt) warnings.push({ kind: "after_the_fact", finishedAt });
  const deadline = deadlines.apologyWindowStartsAt;
  if (deadline && now > deadline) warnings.push({ kind: "after_apology_deadline", deadline });
  const open = dossier.deadlineInput.pauses.find(
    (p) => p.startedAt <= now && (!p.endedAt || p.endedAt > now),
  );
  if (open && !finishedAt) warnings.push({ kind: "paused", pauseKind: open.kind, since: open.startedAt });
  return warnings;
}
