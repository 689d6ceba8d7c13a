// Lý do chính đáng (DOMAIN §5): an inspector accepts or refuses an official's lateness on a dossier.
// One decision per (dossier, official): a later one replaces it, and the audit trail keeps both.
// An accepted one takes the dossier out of the official's discipline counts.
// The decision stands here, above reports/ that keeps the table, because it asks the case file whom
// the dossier's lateness is attributed to as of now.
import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import { storedCalendar } from "../calendar/store.js";
import type { Db } from "../db/client.js";
import { computeDeadlines, dossierState } from "../deadlines/engine.js";
import { ApiError } from "../http/errors.js";
import { justifications } from "../reports/schema.js";
import { loadDossier } from "./detail.js";
import { responsibleOf } from "./responsible.js";
import { engineInputOf } from "./view.js";

export interface JustificationInput {
  dossierCode: string;
  officialId: string;
  accepted: boolean;
  reason: string;
}

/**
 * Records the decision: 404 when the dossier is unknown or outside the caller's scope, 422 when the
 * official is not among those the dossier's lateness is attributed to as of `now`.
 */
export async function decideJustification(db: Db, actor: Principal, input: JustificationInput, now: Date) {
  const loaded = await loadDossier(db, actor, input.dossierCode);
  const calendar = await storedCalendar(db);
  const index = calendar.indexFor(loaded.agency.workingPeriods);
  const state = dossierState(computeDeadlines(index, engineInputOf(loaded), now), loaded.dossier.status, now);
  const responsible = responsibleOf(loaded, index, now, state);
  const attributed = responsible.find((r) => r.kind === "official" && r.officialId === input.officialId);
  if (!attributed) {
    throw new ApiError(
      "UNPROCESSABLE",
      `Official ${input.officialId} is not attributed any lateness on dossier ${input.dossierCode}`,
      {
        field: "officialId",
        attributed: responsible.flatMap((r) => (r.kind === "official" ? [r.officialId] : [])),
      },
    );
  }
  const reason = input.reason.normalize("NFC").trim();
  return db.transaction(async (tx) => {
    const [previous] = await tx
      .select({ accepted: justifications.accepted, reason: justifications.reason })
      .from(justifications)
      .where(
        sql`${justifications.dossierCode} = ${input.dossierCode} AND ${justifications.officialId} = ${input.officialId}`,
      );
    const values = {
      dossierCode: input.dossierCode,
      officialId: input.officialId,
      accepted: input.accepted,
      reason,
      decidedBy: actor.userId,
      decidedAt: now,
    };
    const [row] = await tx
      .insert(justifications)
      .values(values)
      .onConflictDoUpdate({
        target: [justifications.dossierCode, justifications.officialId],
        set: { accepted: values.accepted, reason, decidedBy: actor.userId, decidedAt: now },
      })
      .returning();
    await recordAudit(tx, actor, {
      action: input.accepted ? "justification.accept" : "justification.refuse",
      resourceType: "dossier",
      resourceId: input.dossierCode,
      agencyCode: loaded.agency.code,
      details: { officialId: input.officialId, accepted: input.accepted, reason, replaces: previous ?? null },
    });
    return { ...row, decidedBy: { id: actor.userId, name: actor.name }, replaced: Boolean(previous) };
  });
}
