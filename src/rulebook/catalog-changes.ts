// Changes of the catalogue that move deadlines (DOMAIN §3): an agency's working periods, a
// procedure's processing time, per-channel times or supplement policy. Each is stored, the stored
// deadlines of the dossiers it touches recomputed as of `asOf`, and audited, in one transaction.
import { type AuditActor, recordAudit } from "../audit/record.js";
import { type AgencyInput, storeAgency } from "../catalog/agencies.js";
import { type ProcedureInput, storeProcedures } from "../catalog/procedures.js";
import type { Db } from "../db/client.js";
import { recomputeDeadlines } from "../dossiers/recompute.js";

/** PUT of an agency (see storeAgency); new working periods recompute its dossiers' deadlines. */
export async function putAgency(
  db: Db,
  actor: AuditActor,
  code: string,
  input: AgencyInput,
  asOf = new Date(),
) {
  return db.transaction(async (tx) => {
    const { agency, existing, periodsChanged } = await storeAgency(tx, code, input);
    const recomputed = periodsChanged
      ? await recomputeDeadlines(tx, { agencies: [code], asOf, listLimit: 0 })
      : null;
    await recordAudit(tx, actor, {
      action: existing ? "agency.update" : "agency.create",
      resourceType: "agency",
      resourceId: code,
      agencyCode: code,
      // A webhook URL may carry its receiver's secret: the trail says only whether one is set.
      details: {
        ...input,
        digestWebhookUrl: input.digestWebhookUrl ? "(set)" : (input.digestWebhookUrl ?? null),
        ...(recomputed ? { dossiersRecomputed: recomputed.updated } : {}),
      },
    });
    return { agency, created: !existing };
  });
}

/**
 * Bulk upsert of the procedure catalogue (see storeProcedures); returns how many were new. Dossiers
 * of the procedures whose deadline rules changed get their stored deadlines recomputed.
 */
export async function upsertProcedures(
  db: Db,
  actor: AuditActor,
  items: ProcedureInput[],
  asOf = new Date(),
) {
  return db.transaction(async (tx) => {
    const stored = await storeProcedures(tx, items);
    const changed = stored.rulesChanged;
    const recomputed =
      changed.length > 0 ? await recomputeDeadlines(tx, { procedures: changed, asOf, listLimit: 0 }) : null;
    await recordAudit(tx, actor, {
      action: "procedure.upsert",
      resourceType: "procedure",
      details: {
        codes: stored.codes,
        deadlineRulesChanged: changed,
        dossiersRecomputed: recomputed?.updated ?? 0,
      },
    });
    return {
      inserted: stored.inserted,
      updated: stored.updated,
      dossiersRecomputed: recomputed?.updated ?? 0,
    };
  });
}
