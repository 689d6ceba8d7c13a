import { asc, eq } from "drizzle-orm";
import { agencyInScope, type Principal } from "../auth/principal.js";
import { agencies, procedures } from "../catalog/schema.js";
import type { Db } from "../db/client.js";
import { notFound } from "../http/errors.js";
import { apologyLetters } from "../letters/schema.js";
import { justificationsOf } from "../reports/decisions.js";
import { violations } from "../sweep/schema.js";
import { dossierPauses, dossierSteps, dossiers } from "./schema.js";

/** One dossier with what its views need, or 404 when unknown or outside the caller's scope. */
export async function loadDossier(db: Db, principal: Principal, code: string) {
  const [row] = await db
    .select({ dossier: dossiers, agency: agencies, procedure: procedures })
    .from(dossiers)
    .innerJoin(agencies, eq(agencies.code, dossiers.agencyCode))
    .leftJoin(procedures, eq(procedures.code, dossiers.procedureCode))
    .where(eq(dossiers.code, code))
    .limit(1);
  if (!row || !agencyInScope(principal, row.agency.path)) throw notFound(`Dossier ${code}`);
  const [steps, pauses, letters, found, decisions] = await Promise.all([
    db.select().from(dossierSteps).where(eq(dossierSteps.dossierCode, code)).orderBy(asc(dossierSteps.seq)),
    db
      .select()
      .from(dossierPauses)
      .where(eq(dossierPauses.dossierCode, code))
      .orderBy(asc(dossierPauses.seq)),
    db.select().from(apologyLetters).where(eq(apologyLetters.dossierCode, code)),
    db.select().from(violations).where(eq(violations.dossierCode, code)).orderBy(asc(violations.detectedAt)),
    justificationsOf(db, code),
  ]);
  return { ...row, steps, pauses, letter: letters[0] ?? null, violations: found, justifications: decisions };
}

export type LoadedDossier = Awaited<ReturnType<typeof loadDossier>>;
