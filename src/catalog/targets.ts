// Late-rate targets per field (lĩnh vực), e.g. land dossiers under 2 % late (seeds/004); a
// procedure's own target (procedures.max_late_rate) comes with the procedure catalogue and wins.
import { eq } from "drizzle-orm";
import { type AuditActor, recordAudit } from "../audit/record.js";
import type { Db } from "../db/client.js";
import { fieldTargets } from "./schema.js";

/** Creates or replaces the field's target (a share: 0.02 = 2 %); audited. */
export async function putFieldTarget(db: Db, actor: AuditActor, fieldCode: string, maxLateRate: number) {
  return db.transaction(async (tx) => {
    const [previous] = await tx.select().from(fieldTargets).where(eq(fieldTargets.fieldCode, fieldCode));
    const [row] = await tx
      .insert(fieldTargets)
      .values({ fieldCode, maxLateRate })
      .onConflictDoUpdate({ target: fieldTargets.fieldCode, set: { maxLateRate } })
      .returning();
    await recordAudit(tx, actor, {
      action: "field_target.put",
      resourceType: "field_target",
      resourceId: fieldCode,
      details: { maxLateRate, previous: previous ? Number(previous.maxLateRate) : null },
    });
    return { target: { fieldCode: row.fieldCode, maxLateRate: Number(row.maxLateRate) }, created: !previous };
  });
}
