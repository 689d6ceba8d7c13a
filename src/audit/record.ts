import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/client.js";
import { auditLog } from "./schema.js";

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  agencyCode?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit trail; call it inside the transaction of the write it records. */
export async function recordAudit(db: Db, actor: Principal | null, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: actor?.userId ?? null,
    actorName: actor?.name ?? "system",
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    agencyCode: entry.agencyCode ?? null,
    details: entry.details ?? {},
  });
}
