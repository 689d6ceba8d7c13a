import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";

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
  await db.execute(auditInsert(actor, entry));
}

/**
 * The INSERT of recordAudit's row, to run inside another statement (as one of its WITH queries):
 * for a write that holds a lock until commit, one round trip fewer while it holds it. With `from`
 * (a relation of that statement) the row is written once for each of its rows: none, none written.
 */
export function auditInsert(actor: AuditActor | null, entry: AuditEntry, from?: SQL): SQL {
  // Cast one by one: in INSERT … SELECT the parameters do not take the columns' types.
  return sql`INSERT INTO audit_log (actor_user_id, actor_name, action, resource_type, resource_id, agency_code, details)
    SELECT ${actor?.userId ?? null}::integer, ${actor?.name ?? "system"}::text, ${entry.action}::text,
      ${entry.resourceType}::text, ${entry.resourceId ?? null}::text, ${entry.agencyCode ?? null}::text,
      ${JSON.stringify(entry.details ?? {})}::jsonb ${from === undefined ? sql`` : sql`FROM ${from}`}`;
}
