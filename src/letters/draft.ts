// What the apology form starts from for one dossier: whether a letter may be issued now, the
// suggested new appointment, the common reasons and the agency's usual signer.
import { desc, eq } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import { storedCalendar } from "../calendar/store.js";
import type { Db } from "../db/client.js";
import { loadLetterDossier } from "./dossier.js";
import { apologyEligibility } from "./eligibility.js";
import { deadlinesNow } from "./issue.js";
import { apologyLetters } from "./schema.js";
import { REASON_TEMPLATES, SUGGESTION_RULE, suggestAppointment } from "./suggestion.js";
import type { LetterKind } from "./view.js";
import { issueWarnings } from "./warnings.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The agency's usual signer: the one of its latest letter (agencies keep no signer of their own;
 * the head or deputy who signs changes rarely, and the officer can always overwrite it).
 */
async function latestSigner(db: Db, agencyCode: string) {
  const [row] = await db
    .select({ name: apologyLetters.signerName, title: apologyLetters.signerTitle })
    .from(apologyLetters)
    .where(eq(apologyLetters.agencyCode, agencyCode))
    .orderBy(desc(apologyLetters.issuedAt), desc(apologyLetters.id))
    .limit(1);
  return row ?? null;
}

export async function apologyDraft(db: Db, principal: Principal, code: string, now: Date) {
  const dossier = await loadLetterDossier(db, principal, code);
  const { index, deadlines } = deadlinesNow(await storedCalendar(db), dossier, now);
  const eligibility = apologyEligibility(deadlines, dossier.status, now);
  // DOMAIN §6 (amended): a dossier that finished late gets the apology after the fact, no appointment.
  const kind: LetterKind = eligibility.state === "late" ? "after_the_fact" : "reappointment";
  let newDueAt: Date | null = null;
  try {
    if (kind === "reappointment") {
      newDueAt = suggestAppointment(index, {
        now,
        bindingDueAt: deadlines.bindingDueAt,
        processingTime: dossier.deadlineInput.processingTime,
      });
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error; // beyond the calendar: no suggestion
  }
  return {
    dossierCode: dossier.code,
    asOf: now.toISOString(),
    eligible: eligibility.eligible && dossier.letterId === null,
    state: eligibility.state,
    kind,
    ineligibility: eligibility.eligible ? null : { reason: eligibility.reason, message: eligibility.message },
    existingLetterId: dossier.letterId,
    bindingDueAt: iso(deadlines.bindingDueAt),
    apologyWindowStartsAt: iso(deadlines.apologyWindowStartsAt),
    newDueAt: iso(newDueAt),
    finishedAt: iso(deadlines.finishedAt),
    warnings: issueWarnings(dossier, deadlines, now),
    rule: SUGGESTION_RULE,
    reasons: [...REASON_TEMPLATES],
    signer: await latestSigner(db, dossier.agency.code),
  };
}
