import type { Db } from "../db/client.js";
import { auditLog } from "./schema.js";

/** Who made the change, as the trail names them (a Principal is one); null is the system. */
export interface AuditActor {
  userId: number;
  name: string;
}

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  agencyCode?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit trail; call it inside the transaction of the write it records. */
export async function recordAudit(db: Db, actor: AuditActor | null, entry: AuditEntry): Promise<void> {
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
