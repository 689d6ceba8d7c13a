// Quarantined messages replayed once what refused them is mended (an agency or an alias added, a
// status mapped): each is read again as it was first sent — its format, kind, source and sender —
// and either taken (its quarantine row is marked resolved, never deleted) or refused again (the
// same row gets the new errors).
import { and, asc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/client.js";
import { applyBatch, loadSyncContext, prepareBatch, type SyncResult } from "./pipeline.js";
import { syncRejections } from "./schema.js";

export const MAX_REPLAY = 1000;

export type ReplayOutcome =
  | { id: number; outcome: "taken" }
  | { id: number; outcome: "refused"; errors: { path: string; message: string }[] }
  | { id: number; outcome: "altered"; message: string };

export interface ReplaySummary {
  taken: number;
  refused: number;
  items: ReplayOutcome[];
}

type Row = typeof syncRejections.$inferSelect;

const ALTERED =
  "the payload kept is not the one sent (text PostgreSQL cannot store was replaced, or a too-deep part cut): the one-stop system must send the record again";

/** Rows of one way of reading: replayed together. */
function groupsOf(rows: Row[]): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const c = row.context;
    const key = JSON.stringify([row.format, c?.kind ?? "record", c?.sourceId ?? null, c?.sender ?? null]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()];
}

async function replayGroup(tx: Db, rows: Row[], now: Date): Promise<ReplayOutcome[]> {
  const { format, context } = rows[0];
  const sourceId = context?.sourceId ?? undefined;
  const input = {
    source: rows[0].source,
    format,
    kind: context?.kind ?? "record",
    raws: rows.map((r) => r.raw),
    now,
    sourceId,
    sender: context?.sender ?? null,
  };
  const result: SyncResult = await applyBatch(tx, prepareBatch(input, await loadSyncContext(tx, sourceId)));
  const refused = new Map(result.rejected.map((r) => [r.index, r.errors]));
  const taken = rows.filter((_, i) => !refused.has(i)).map((r) => r.id);
  if (taken.length > 0) {
    await tx.update(syncRejections).set({ resolvedAt: now }).where(inArray(syncRejections.id, taken));
  }
  return rows.map((row, i): ReplayOutcome => {
    const errors = refused.get(i);
    return errors ? { id: row.id, outcome: "refused", errors } : { id: row.id, outcome: "taken" };
  });
}

/**
 * Replays the unresolved quarantined messages `where` selects (oldest first, at most MAX_REPLAY),
 * in one transaction, audited.
 */
export async function replayRejections(
  db: Db,
  actor: Principal,
  where: SQL | undefined,
  now: Date,
): Promise<ReplaySummary> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(syncRejections)
      .where(and(isNull(syncRejections.resolvedAt), where))
      .orderBy(asc(syncRejections.id))
      .limit(MAX_REPLAY);
    // Nothing to replay writes nothing: not even an audit entry of a request that did nothing.
    if (rows.length === 0) return { taken: 0, refused: 0, items: [] };
    const items: ReplayOutcome[] = rows
      .filter((r) => r.context?.altered)
      .map((r) => ({ id: r.id, outcome: "altered", message: ALTERED }));
    for (const group of groupsOf(rows.filter((r) => !r.context?.altered))) {
      items.push(...(await replayGroup(tx, group, now)));
    }
    items.sort((a, b) => a.id - b.id);
    const taken = items.filter((i) => i.outcome === "taken").length;
    await recordAudit(tx, actor, {
      action: "sync.replay",
      resourceType: "sync_rejection",
      resourceId: rows.length === 1 ? String(rows[0].id) : null,
      details: { ids: rows.map((r) => r.id), taken },
    });
    return { taken, refused: items.length - taken, items };
  });
}

export const rejectionById = (id: number) => eq(syncRejections.id, id);
