// The one pipeline behind push, pull and file import: a batch of parsed records applied in one
// transaction, set-based (a handful of statements whatever the batch size), idempotent.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { postgresTransactionOf, queryRows } from "../db/client.js";
import { ConcurrentWriteConflict } from "../db/errors.js";
import type { DossierRecord } from "../deadlines/dossier-record.js";
import { loadDeadlineContext } from "../dossiers/deadlines.js";
import { deltasOf } from "./delta-store.js";
import { type CatalogueEntry, catalogueOf, compareKeys, inKeyOrder, type OfficialRow } from "./encode.js";
import { mergeDeltas } from "./merge.js";
import { dossierRow, historyRows, type RowWriter } from "./rows.js";
import { copyRowWriter } from "./rows-copy.js";
import { jsonRowWriter } from "./rows-json.js";

/**
 * A parsed record with what can be built before the transaction: its raw payload as JSON text
 * (stored as is), its content hash and its place among the dossier's messages.
 */
export interface PreparedRecord {
  record: DossierRecord;
  rawJson: string;
  /** rawJson's UTF-8, when the reader had it (a dump's line): encoded as it is. */
  rawBytes?: Uint8Array;
  hash: string;
  /** src/sync/order.ts: compared with the stored record's to tell newer from stale. */
  order: string;
}

export interface ApplyCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  /** Deltas kept for a dossier whose full record has not arrived yet. */
  pending: number;
}

export const noCounts = (): ApplyCounts => ({ inserted: 0, updated: 0, unchanged: 0, stale: 0, pending: 0 });

/** What is stored of a dossier before a batch changes it: for the verdict and the history. */
export interface StoredState {
  code: string;
  status: number;
  promised_due_at: string | null;
  source_order: string;
}

type Verdict = "insert" | "update" | "unchanged" | "stale";

/** A record's identity for the verdict: its dossier and its place among the dossier's messages. */
export interface Versioned {
  code: string;
  order: string;
}

/** The latest version of each dossier in the batch; older copies of the same code are stale. */
function latestPerCode<T>(records: T[], versionOf: (record: T) => Versioned) {
  const byCode = new Map<string, { record: T; order: string }>();
  for (const record of records) {
    const { code, order } = versionOf(record);
    const seen = byCode.get(code);
    if (!seen || seen.order < order) byCode.set(code, { record, order });
  }
  return { latest: [...byCode.values()].map((v) => v.record), staleInBatch: records.length - byCode.size };
}

function verdictOf(order: string, stored: StoredState | undefined): Verdict {
  if (!stored) return "insert";
  if (stored.source_order > order) return "stale";
  return stored.source_order === order ? "unchanged" : "update";
}

/** A dossier to write: the record as merged, and what identifies the full record it came from. */
export interface DossierToWrite {
  record: DossierRecord;
  rawJson: string;
  hash: string;
  order: string;
  sourceId: string | null;
  previous?: StoredState;
}

/**
 * COPY on PostgreSQL, JSON parameters elsewhere (PGlite): the same rows either way
 * (test/sync/row-writers.test.ts compares the two on PostgreSQL).
 */
export function rowWriterOf(tx: Db): RowWriter {
  const client = postgresTransactionOf(tx);
  return client ? copyRowWriter(client) : jsonRowWriter;
}

/**
 * Deltas for a dossier that is being created in another transaction would see neither its row
 * nor be seen by it: record batches hold this lock shared, a delta batch that finds dossiers
 * missing holds it exclusively while it looks again (src/sync/apply-deltas.ts).
 */
export const DELTA_LOCK = sql`hashtextextended('osm:sync:pending-deltas', 0)`;

/**
 * A dossier the batch judged new was met stored by its write: a concurrent sync inserted it after
 * the judgment read the stored versions, and its insert waited for that sync's commit.
 */
export class InsertedMeanwhile extends ConcurrentWriteConflict {
  constructor(readonly codes: string[]) {
    super(
      `dossiers inserted by a concurrent sync since this batch judged them new: ${codes.slice(0, 3).join(", ")}`,
    );
    this.name = "InsertedMeanwhile";
  }
}

/** Throws InsertedMeanwhile when the upsert did not insert (`replaced`) a dossier judged new. */
export function insertedAsJudged(replaced: string[], judgedNew: () => Iterable<string>): void {
  if (replaced.length === 0) return;
  const stored = new Set(replaced);
  const meanwhile = [...judgedNew()].filter((code) => stored.has(code));
  if (meanwhile.length > 0) throw new InsertedMeanwhile(meanwhile);
}

/** A batch whose judgment another sync keeps overtaking this often is failed, not retried forever. */
const MAX_JUDGMENTS = 5;

/**
 * Judges and writes a batch in a savepoint, again while a write meets a dossier judged new
 * (InsertedMeanwhile): judged again, it is an update, unchanged or stale as it stands now, so each
 * dossier is counted, and its history written, once whichever of two syncs of it commits first.
 */
export async function judgedAgain<T>(tx: Db, apply: () => Promise<T>): Promise<T> {
  for (let judgment = 1; ; judgment++) {
    await tx.execute(sql`SAVEPOINT sync_judgment`);
    try {
      const result = await apply();
      await tx.execute(sql`RELEASE SAVEPOINT sync_judgment`);
      return result;
    } catch (error) {
      if (!(error instanceof InsertedMeanwhile) || judgment === MAX_JUDGMENTS) throw error;
      await tx.execute(sql`ROLLBACK TO SAVEPOINT sync_judgment`);
    }
  }
}

/**
 * The batch's latest version of each dossier, judged against the stored one (locked for the rest
 * of the transaction): counts, and the records to write with the stored state they replace.
 */
export async function judgeRecords<T>(
  tx: Db,
  records: T[],
  versionOf: (record: T) => Versioned,
): Promise<{ counts: ApplyCounts; changed: { record: T; previous?: StoredState }[] }> {
  const { latest, staleInBatch } = latestPerCode(records, versionOf);
  const counts = { ...noCounts(), stale: staleInBatch };
  const changed: { record: T; previous?: StoredState }[] = [];
  if (latest.length === 0) return { counts, changed };
  const stored = await lockStored(
    tx,
    latest.map((r) => versionOf(r).code),
  );
  for (const record of latest) {
    const { code, order } = versionOf(record);
    const previous = stored.get(code);
    const verdict = verdictOf(order, previous);
    if (verdict === "insert") counts.inserted++;
    else if (verdict === "update") counts.updated++;
    else if (verdict === "unchanged") counts.unchanged++;
    else counts.stale++;
    if (verdict === "insert" || verdict === "update") changed.push({ record, previous });
  }
  return { counts, changed };
}

/**
 * How a sync transaction runs, set for it alone. Its statements find dossiers by code; the dossier
 * search's trigram index (GIN: bitmap scans only) answers `code = …` too, and while dossiers are
 * loaded its statistics make it look free, where each probe reads its whole pending list: seconds
 * a batch. Without bitmap scans, codes are looked up in the primary key. Large raw payloads are
 * compressed with lz4 where the server has it (far cheaper than pglz; PGlite has not).
 */
export const SYNC_SETTINGS = sql`set_config('enable_bitmapscan', 'off', true),
  (SELECT set_config('default_toast_compression', CASE WHEN 'lz4' = ANY(enumvals) THEN 'lz4' ELSE setting END, true)
   FROM pg_settings WHERE name = 'default_toast_compression')`;

/**
 * Takes the record batches' shared lock and locks the stored versions of `codes`: a concurrent
 * sync of the same dossiers waits, so history is written once.
 */
async function lockStored(tx: Db, codes: string[]): Promise<Map<string, StoredState>> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${DELTA_LOCK}), ${SYNC_SETTINGS}`);
  const stored = await queryRows<StoredState>(
    tx,
    sql`SELECT d.code, d.status, d.promised_due_at, d.source_order
        FROM jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) AS c(code)
        JOIN dossiers d ON d.code = c.code ORDER BY d.code FOR UPDATE OF d`,
  );
  return new Map(stored.map((s) => [s.code, s]));
}

/** Applies parsed records; runs inside the caller's transaction (see `syncBatch`). */
export async function applyRecords(
  tx: Db,
  records: PreparedRecord[],
  now: Date,
  options: { sourceId?: string | null; writer?: RowWriter } = {},
): Promise<ApplyCounts> {
  return judgedAgain(tx, async () => {
    const { counts, changed } = await judgeRecords(tx, records, (p) => ({
      code: p.record.code,
      order: p.order,
    }));
    if (changed.length === 0) return counts;
    const deltas = await deltasOf(
      tx,
      changed.map((c) => c.record.record.code),
    );
    const merged = changed.map(({ record: p, previous }) => ({
      ...p,
      sourceId: options.sourceId ?? null,
      previous,
      record: mergeDeltas(p.record, p.hash, deltas.get(p.record.code) ?? []),
    }));
    await writeDossiers(tx, merged, now, options.writer ?? rowWriterOf(tx));
    return counts;
  });
}

/**
 * Writes dossiers as records and deltas made them: the catalogue they name, their deadlines, the
 * dossier rows, their steps and pauses (replaced: the merged lists are the truth) and the history
 * of their status and appointment.
 */
export async function writeDossiers(
  tx: Db,
  dossiers: DossierToWrite[],
  now: Date,
  writer: RowWriter,
  options: { catalogued?: boolean } = {},
) {
  const records = dossiers.map((d) => d.record);
  if (!options.catalogued) await upsertCatalogue(tx, records.map(catalogueOf));
  const context = await loadDeadlineContext(tx, records, now);
  const writes = [...dossiers]
    .sort((a, b) => compareKeys(a.record.code, b.record.code))
    .map((d) => ({
      row: dossierRow(
        d.record,
        { hash: d.hash, order: d.order, sourceId: d.sourceId },
        context.compute(d.record),
      ),
      rawJson: d.rawJson,
    }));
  const fresh = dossiers.every((d) => d.previous === undefined);
  const replaced = await writer.upsertDossiers(tx, writes, now, fresh);
  insertedAsJudged(replaced, () => dossiers.filter((d) => !d.previous).map((d) => d.record.code));
  await deleteChildren(tx, replaced);
  await writer.insertChildren(tx, records);
  const history = historyRows(dossiers);
  if (history.length > 0) await writer.insertHistory(tx, history);
}

/**
 * The steps and pauses of the dossiers about to be written again: those the upsert did not insert
 * (a dossier new to this batch's read of the stored state is among them when a concurrent sync
 * inserted it since). Joined to the codes, like the lock (`lockStored`), so that each is an index
 * probe whatever the planner guesses; nothing is sent when every dossier was new.
 */
export async function deleteChildren(tx: Db, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  await tx.execute(sql`
    WITH c AS MATERIALIZED (SELECT jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) AS code),
      steps AS (DELETE FROM dossier_steps s USING c WHERE s.dossier_code = c.code)
    DELETE FROM dossier_pauses p USING c WHERE p.dossier_code = c.code`);
}

/**
 * Procedures and officials met in records; the catalogue's own values are never overwritten.
 * Agencies are not: a record names a catalogued agency or is refused (src/catalog/agency-resolver.ts).
 */
export async function upsertCatalogue(tx: Db, entries: CatalogueEntry[]): Promise<void> {
  const procedures = new Map(entries.map((e) => [e.procedure.code, e.procedure]));
  const officials = new Map<string, OfficialRow>();
  for (const e of entries) for (const o of e.officials) officials.set(o.id, o);
  await upsertCatalogueRows(tx, {
    procedures: JSON.stringify(inKeyOrder(procedures)),
    officials: officials.size > 0 ? JSON.stringify(inKeyOrder(officials)) : null,
  });
}

/**
 * The catalogue rows as JSON arrays, each row once, in key order: two batches upserting the same
 * new rows then take their locks in the same order and cannot deadlock.
 */
export async function upsertCatalogueRows(
  tx: Db,
  rows: { procedures: string; officials: string | null },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO procedures (code, name, field, field_code)
    SELECT p.code, p.name, p.field, p.field_code
    FROM jsonb_to_recordset(${rows.procedures}::jsonb) AS p(code text, name text, field text, field_code text)
    ON CONFLICT (code) DO NOTHING`);
  if (rows.officials === null) return;
  // Officials as stored are left alone, unlocked: ON CONFLICT DO UPDATE locks the row it meets even
  // when its WHERE then writes nothing, and every batch names hundreds of the same officials.
  await tx.execute(sql`
    INSERT INTO officials (id, name, title, department, agency_code)
    SELECT o.id, o.name, o.title, o.department, o."agencyCode"
    FROM jsonb_to_recordset(${rows.officials}::jsonb)
      AS o(id text, name text, title text, department text, "agencyCode" text)
    WHERE NOT EXISTS (
      SELECT FROM officials s WHERE s.id = o.id
        AND (s.name, s.title, s.department, s.agency_code)
          IS NOT DISTINCT FROM (o.name, o.title, o.department, o."agencyCode"))
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, title = excluded.title, department = excluded.department,
      agency_code = excluded.agency_code, updated_at = now()
    WHERE (officials.name, officials.title, officials.department, officials.agency_code)
      IS DISTINCT FROM (excluded.name, excluded.title, excluded.department, excluded.agency_code)`);
}
