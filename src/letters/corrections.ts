// Correcting a letter (DOMAIN §6): a typo in the reason or the signer makes a new version of the same
// letter — same number, same date, same new appointment — re-rendered from the stored input.
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/client.js";
import { ApiError } from "../http/errors.js";
import type { IssueDeps } from "./issue.js";
import { findLetter } from "./queries.js";
import { rendererOf } from "./renderer.js";
import { apologyLetters, letterVersions } from "./schema.js";
import { NO_LETTER_SERVICES } from "./services.js";
import { letterFile } from "./signed-letter.js";
import { signerFor } from "./signing/keys.js";
import { fromStoredSnapshot, toStoredSnapshot } from "./snapshot.js";
import { createStatusLink, liveStatusToken, revokeStatusLinks, statusUrlOf } from "./status-links.js";
import { type LetterSummary, letterSummary } from "./view.js";

/** The fields a correction may change; the new appointment is not one of them, ever. */
export interface LetterChanges {
  reason?: string;
  signerName?: string;
  signerTitle?: string;
}

export interface Correction {
  reason: string;
  changes: LetterChanges & { newDueAt?: unknown };
  /**
   * Revoke the status page link the earlier versions print (a letter shown around, a token leaked):
   * it answers 404 from now on, and the new version prints a new one.
   */
  revokeStatusLink?: boolean;
}

/** The status link the new version prints: the live one, or a new one (revoked, or none yet). */
async function statusLinkFor(tx: Db, id: number, now: Date, revoke: boolean): Promise<string> {
  if (revoke) await revokeStatusLinks(tx, id, now);
  return (await liveStatusToken(tx, id)) ?? (await createStatusLink(tx, id, now));
}

export async function correctLetter(
  db: Db,
  deps: IssueDeps,
  principal: Principal,
  id: number,
  correction: Correction,
): Promise<LetterSummary> {
  const { newDueAt, ...changes } = correction.changes;
  return db.transaction(async (tx) => {
    // Locked: two corrections of one letter make versions n + 1 and n + 2, never two n + 1.
    const letter = await findLetter(tx, principal, id, { forUpdate: true });
    if (newDueAt !== undefined) {
      // ND 61/2018, ND 118/2025: the appointment is re-set no more than once — by the letter itself.
      throw new ApiError("UNPROCESSABLE", "The new appointment of a letter can never change after issue", {
        field: "changes.newDueAt",
        newDueAt: letter.newDueAt?.toISOString() ?? null,
      });
    }
    const [current] = await tx
      .select({ input: letterVersions.input })
      .from(letterVersions)
      .where(and(eq(letterVersions.letterId, id), eq(letterVersions.version, letter.version)));
    const before = fromStoredSnapshot(current.input);
    const changed = Object.fromEntries(
      Object.entries(changes).filter(
        ([field, value]) => value !== undefined && value !== before[field as keyof LetterChanges],
      ),
    ) as LetterChanges;
    if (Object.keys(changed).length === 0) {
      throw new ApiError("UNPROCESSABLE", "The correction changes nothing", { field: "changes" });
    }
    const version = letter.version + 1;
    const services = deps.letters ?? NO_LETTER_SERVICES;
    const now = deps.clock.now();
    const token = await statusLinkFor(tx, id, now, correction.revokeStatusLink === true);
    const statusUrl = statusUrlOf(services.publicBaseUrl, token) ?? before.statusUrl;
    const next = { ...before, ...changed, version, ...(statusUrl ? { statusUrl } : {}) };
    // Each version is signed anew, as of the correction (the letter keeps its issue date).
    const identity = signerFor(services.signing, letter.agencyPath ?? "");
    const { pdf, sha256, signature } = await letterFile(rendererOf(deps), next, identity, now);
    await tx.insert(letterVersions).values({
      letterId: id,
      version,
      pdf,
      sha256,
      correctionReason: correction.reason,
      input: toStoredSnapshot(next),
      createdBy: principal.userId,
      signature,
    });
    await tx
      .update(apologyLetters)
      .set({
        reason: next.reason,
        signerName: next.signerName,
        signerTitle: next.signerTitle,
        currentVersion: sql`${apologyLetters.currentVersion} + 1`,
      })
      .where(eq(apologyLetters.id, id));
    await recordAudit(tx, principal, {
      action: "letter.correct",
      resourceType: "letter",
      resourceId: String(id),
      agencyCode: letter.agencyCode,
      details: {
        dossierCode: letter.dossierCode,
        number: letter.reference,
        version,
        correctionReason: correction.reason,
        changes: Object.fromEntries(
          Object.entries(changed).map(([field, to]) => [
            field,
            { from: before[field as keyof LetterChanges], to },
          ]),
        ),
        sha256,
        signedBy: signature?.signerName ?? null,
        statusLinkRevoked: correction.revokeStatusLink === true,
      },
    });
    return letterSummary({
      ...letter,
      reason: next.reason,
      signerName: next.signerName,
      signerTitle: next.signerTitle,
      version,
      sha256,
      signature,
      statusToken: token,
    });
  });
}
