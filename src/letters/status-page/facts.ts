// What the public status page of a letter shows (/tra-cuu/{token}): the dossier's public facts —
// code, procedure, agency, received, due, the letter's new appointment, state, whether the result
// is ready — and the letter's verification (its file's SHA-256, its signer). Never the applicant's
// name, identity number or contact: the token is printed on paper and may be seen by anyone.
import { sql } from "drizzle-orm";
import { storedCalendar } from "../../calendar/store.js";
import { type Db, queryRows } from "../../db/client.js";
import { DONE_STATUSES } from "../../deadlines/dossier-record.js";
import { dossierState } from "../../deadlines/engine.js";
import type { DossierState } from "../../deadlines/types.js";
import { findLetterDossier } from "../dossier.js";
import { deadlinesNow } from "../issue.js";
import type { StoredSignature } from "../signed-letter.js";

export interface StatusFacts {
  dossierCode: string;
  procedureName: string;
  agencyName: string;
  agencyAddress: string | null;
  feedbackUrl: string | null;
  receivedAt: Date;
  bindingDueAt: Date | null;
  newDueAt: Date | null;
  state: DossierState;
  resultReady: boolean;
  finishedAt: Date | null;
  letter: {
    number: string;
    issuedAt: Date;
    version: number;
    sha256: string;
    signature: StoredSignature | null;
  };
}

interface LinkRow {
  dossier_code: string;
  reference: string;
  issued_at: string | Date;
  new_due_at: string | Date | null;
  current_version: number;
  sha256: string;
  signature: StoredSignature | null;
  address: string | null;
  feedback_url: string | null;
}

/** The facts behind a live token, as of `now`; null for an unknown or revoked token. */
export async function statusFacts(db: Db, token: string, now: Date): Promise<StatusFacts | null> {
  const [link] = await queryRows<LinkRow>(
    db,
    sql`SELECT l.dossier_code, l.reference, l.issued_at, l.new_due_at, l.current_version, v.sha256, v.signature,
          a.address, a.feedback_url
        FROM letter_status_links s
        JOIN apology_letters l ON l.id = s.letter_id
        JOIN letter_versions v ON v.letter_id = l.id AND v.version = l.current_version
        JOIN agencies a ON a.code = l.agency_code
        WHERE s.token = ${token} AND s.revoked_at IS NULL`,
  );
  if (!link) return null;
  const dossier = await findLetterDossier(db, link.dossier_code);
  if (!dossier) return null;
  const { deadlines } = deadlinesNow(await storedCalendar(db), dossier, now);
  return {
    dossierCode: dossier.code,
    procedureName: dossier.procedureName,
    agencyName: dossier.agency.name,
    agencyAddress: link.address,
    feedbackUrl: link.feedback_url,
    receivedAt: dossier.receivedAt,
    bindingDueAt: deadlines.bindingDueAt,
    newDueAt: link.new_due_at === null ? null : new Date(link.new_due_at),
    state: dossierState(deadlines, dossier.status, now),
    resultReady: deadlines.finishedAt !== null || DONE_STATUSES.includes(dossier.status),
    finishedAt: deadlines.finishedAt,
    letter: {
      number: link.reference,
      issuedAt: new Date(link.issued_at),
      version: Number(link.current_version),
      sha256: link.sha256,
      signature: link.signature,
    },
  };
}
