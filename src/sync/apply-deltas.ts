// Progress and status rows applied: each is stored once (a redelivery is `unchanged`), then every
// dossier they name that is held is merged again from its full record and all its deltas, its
// deadlines recomputed and its history written, in the batch's transaction. A delta for a dossier
// not held yet stays stored (`pending`) and is merged when the full record arrives (apply.ts).
import { sql } from "drizzle-orm";
import { type Db, queryRows, textArray } from "../db/client.js";
import {
  type ApplyCounts,
  DELTA_LOCK,
  type DossierToWrite,
  noCounts,
  rowWriterOf,
  type StoredState,
  SYNC_SETTINGS,
  writeDossiers,
} from "./apply.js";
import { type DeltaToStore, deltaKey, deltasOf, storeDeltas } from "./delta-store.js";
import type { DossierDelta } from "./deltas.js";
import { stepsOfAgency } from "./formats/dvcqg.js";
import { mergeDeltas, olderThanRecord } from "./merge.js";
import { parseRecord, type RecordFormat } from "./parse.js";
import { defaultDialect, findDialect, type SourceDialect } from "./sources.js";

export interface PreparedDelta extends DeltaToStore {
  delta: DossierDelta;
}

interface StoredBase extends StoredState {
  raw: string | null;
  agency_code: string;
  content_hash: string;
  source_id: string | null;
}

/** The format a stored raw payload was sent in: each has its own required key. */
const formatOfRaw = (raw: Record<string, unknown>): RecordFormat => ("MaHoSo" in raw ? "dvcqg" : "canonical");

async function dialectsOf(tx: Db, ids: Iterable<string | null>): Promise<Map<string | null, SourceDialect>> {
  const dialects = new Map<string | null, SourceDialect>();
  for (const id of new Set(ids)) dialects.set(id, id ? await findDialect(tx, id) : defaultDialect("default"));
  return dialects;
}

/**
 * The stored full record, read again as it was read when it came (its source's dialect), with the
 * agency it was resolved to then. Undefined when it cannot be read again (a raw payload the
 * service did not keep): its deltas then wait, as if the record had not arrived.
 */
function baseRecordOf(stored: StoredBase, dialect: SourceDialect) {
  if (stored.raw === null) return undefined;
  const raw = JSON.parse(stored.raw) as unknown;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const format = formatOfRaw(raw as Record<string, unknown>);
  const parsed = parseRecord(format, raw, 0, dialect);
  if (!parsed.ok) return undefined;
  const { record, agency } = parsed;
  const steps =
    format === "dvcqg"
      ? stepsOfAgency(record.steps, agency?.value ?? null, stored.agency_code)
      : record.steps;
  return { ...record, agencyCode: stored.agency_code, steps };
}

/** The stored dossiers of `codes`, locked; missing ones are waited for if another batch is creating them. */
async function lockStored(tx: Db, codes: string[]): Promise<Map<string, StoredBase>> {
  const select = () =>
    queryRows<StoredBase>(
      tx,
      sql`SELECT code, status, promised_due_at, source_order, raw::text AS raw, agency_code, content_hash, source_id
          FROM dossiers WHERE code = ANY(${textArray(codes)}) ORDER BY code FOR UPDATE`,
    );
  const held = await queryRows<{ code: string }>(
    tx,
    sql`SELECT code FROM dossiers WHERE code = ANY(${textArray(codes)})`,
  );
  if (held.length < codes.length) await tx.execute(sql`SELECT pg_advisory_xact_lock(${DELTA_LOCK})`);
  return new Map((await select()).map((s) => [s.code, s]));
}

/** Applies prepared deltas; runs inside the caller's transaction. */
export async function applyDeltas(
  tx: Db,
  deltas: PreparedDelta[],
  now: Date,
  sourceId: string | null,
): Promise<ApplyCounts> {
  const counts = noCounts();
  if (deltas.length === 0) return counts;
  await tx.execute(sql`SELECT ${SYNC_SETTINGS}`);
  const unique = [...new Map(deltas.map((d) => [deltaKey(d.delta.code, d.hash), d])).values()];
  counts.unchanged += deltas.length - unique.length;
  const stored = await storeDeltas(tx, unique, sourceId);
  const fresh = unique.filter((d) => stored.has(deltaKey(d.delta.code, d.hash)));
  counts.unchanged += unique.length - fresh.length;
  if (fresh.length === 0) return counts;
  const held = await lockStored(tx, [...new Set(fresh.map((d) => d.delta.code))].sort());
  const dialects = await dialectsOf(
    tx,
    [...held.values()].map((s) => s.source_id),
  );
  const bases = new Map<string, DossierToWrite>();
  for (const [code, s] of held) {
    const record = baseRecordOf(s, dialects.get(s.source_id) ?? defaultDialect("default"));
    if (record && s.raw !== null) {
      bases.set(code, {
        record,
        rawJson: s.raw,
        hash: s.content_hash,
        order: s.source_order,
        sourceId: s.source_id,
        previous: s,
      });
    }
  }
  for (const d of fresh) {
    const base = bases.get(d.delta.code);
    if (!base) counts.pending++;
    else if (olderThanRecord(d.delta, base.record, base.hash)) counts.stale++;
    else counts.updated++;
  }
  if (bases.size === 0) return counts;
  const all = await deltasOf(tx, [...bases.keys()]);
  const merged = [...bases.values()].map((b) => ({
    ...b,
    record: mergeDeltas(b.record, b.hash, all.get(b.record.code) ?? []),
  }));
  await writeDossiers(tx, merged, now, rowWriterOf(tx));
  return counts;
}
