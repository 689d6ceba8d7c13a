// The justification decisions of one dossier, as its detail and attribution show them.
import { asc, eq } from "drizzle-orm";
import { users } from "../auth/schema.js";
import type { Db } from "../db/client.js";
import type { JustificationDecision } from "./attribution.js";
import { justifications } from "./schema.js";

/** The decisions taken on one dossier, with the deciding user's name. */
export async function justificationsOf(db: Db, dossierCode: string): Promise<JustificationDecision[]> {
  const rows = await db
    .select({
      officialId: justifications.officialId,
      accepted: justifications.accepted,
      reason: justifications.reason,
      decidedAt: justifications.decidedAt,
      decidedById: justifications.decidedBy,
      decidedByName: users.name,
    })
    .from(justifications)
    .leftJoin(users, eq(users.id, justifications.decidedBy))
    .where(eq(justifications.dossierCode, dossierCode))
    .orderBy(asc(justifications.officialId));
  return rows.map(({ decidedById, decidedByName, ...r }) => ({
    ...r,
    decidedBy: { id: decidedById, name: decidedByName ?? "" },
  }));
}
