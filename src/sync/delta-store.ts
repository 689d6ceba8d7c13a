// Where deltas are kept (sync_deltas): written once each, read back whole per dossier whenever its
// full record or another delta arrives, so that the merge always sees every message.
import { sql } from "drizzle-orm";
import { type Db, queryRows, textArray } from "../db/client.js";
import {
  type DossierDelta,
  deltaFromStored,
  type ProgressDelta,
  type StatusDelta,
  storedDelta,
} from "./deltas.js";

/** Every stored delta of the dossiers, by dossier code. */
export async function deltasOf(tx: Db, codes: readonly string[]): Promise<Map<string, DossierDelta[]>> {
  const byCode = new Map<string, DossierDelta[]>();
  if (codes.length === 0) return byCode;
  const rows = await queryRows<{
    dossier_code: string;
    delta: Record<string, unknown>;
    content_hash: string;
  }>(
    tx,
    sql`SELECT dossier_code, delta, content_hash FROM sync_deltas WHERE dossier_code = ANY(${textArray(codes)})`,
  );
  for (const row of rows) {
    const list = byCode.get(row.dossier_code) ?? [];
    list.push(deltaFromStored(row.delta, row.content_hash));
    byCode.set(row.dossier_code, list);
  }
  return byCode;
}

export interface DeltaToStore {
  delta: ProgressDelta | StatusDelta;
  hash: string;
  rawJson: string;
}

/** Stores the deltas not stored yet; returns the (code, hash) of those it stored. */
export async function storeDeltas(
  tx: Db,
  deltas: DeltaToStore[],
  sourceId: string | null,
): Promise<Set<string>> {
  if (deltas.length === 0) return new Set();
  // Each row's raw payload is spliced in as the JSON text it already is, not parsed and written again.
  const rows = deltas.map((d) => {
    const row = {
      dossier_code: d.delta.code,
      kind: d.delta.kind,
      delta: storedDelta(d.delta),
      content_hash: d.hash,
    };
    return `${JSON.stringify(row).slice(0, -1)},"raw":${d.rawJson}}`;
  });
  const stored = await queryRows<{ dossier_code: string; content_hash: string }>(
    tx,
    sql`INSERT INTO sync_deltas (dossier_code, kind, delta, content_hash, source_id, raw)
        SELECT d.dossier_code, d.kind, d.delta, d.content_hash, ${sourceId}::text, d.raw
        FROM jsonb_to_recordset(${`[${rows.join(",")}]`}::jsonb)
          AS d(dossier_code text, kind text, delta jsonb, content_hash text, raw jsonb)
        ON CONFLICT (dossier_code, content_hash) DO NOTHING
        RETURNING dossier_code, content_hash`,
  );
  return new Set(stored.map((s) => deltaKey(s.dossier_code, s.content_hash)));
}

export const deltaKey = (code: string, hash: string) => `${code}\u0000${hash}`;
