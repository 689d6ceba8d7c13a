// The one pipeline behind push, pull and file import: a batch of parsed records applied in one
// transaction, set-based (a handful of statements whatever the batch size), idempotent.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { postgresTransactionOf, queryRows, textArray } from "../db/client.js";
import { loadDeadlineContext } from "../dossiers/deadlines.js";
import type { DossierRecord } from "../dossiers/record.js";
import { deltasOf } from "./delta-store.js";
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

/**
 * A stable digest of what was sent: the same message twice is `unchanged`. The mapped record is a
 * pure function of (format, raw payload), so hashing the payload's JSON (already built for the
 * `raw` column) says the same as hashing the mapped record, at a fraction of the cost.
 */
export function contentHash(format: string, rawJson: string): string {
  return createHash("sha256").update(`${format}\n${rawJson}`).digest("hex");
}

/** The latest version of each dossier in the batch; older copies of the same code are stale. */
function latestPerCode(records: PreparedRecord[]): { latest: PreparedRecord[]; staleInBatch: number } {
  const byCode = new Map<string, PreparedRecord>();
  for (const prepared of records) {
    const seen = byCode.get(prepared.record.code);
    if (!seen || seen.order < prepared.order) byCode.set(prepared.record.code, prepared);
  }
  return { latest: [...byCode.values()], staleInBatch: records.length - byCode.size };
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

/** Applies parsed records; runs inside the caller's transaction (see `syncBatch`). */
export async function applyRecords(
  tx: Db,
  records: PreparedRecord[],
  now: Date,
  options: { sourceId?: string | null; writer?: RowWriter } = {},
): Promise<ApplyCounts> {
  const { latest, staleInBatch } = latestPerCode(records);
  const counts = { ...noCounts(), stale: staleInBatch };
  if (latest.length === 0) return counts;
  await tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${DELTA_LOCK})`);
  // Lock the stored versions: a concurrent sync of the same dossiers waits, so history is written once.
  const stored = await queryRows<StoredState>(
    tx,
    sql`SELECT code, status, promised_due_at, source_order FROM dossiers
        WHERE code = ANY(${textArray(latest.map((p) => p.record.code))}) ORDER BY code FOR UPDATE`,
  );
  const storedByCode = new Map(stored.map((s) => [s.code, s]));
  const changed: DossierToWrite[] = [];
  for (const prepared of latest) {
    const previous = storedByCode.get(prepared.record.code);
    const verdict = verdictOf(prepared.order, previous);
    if (verdict === "insert") counts.inserted++;
    else if (verdict === "update") counts.updated++;
    else if (verdict === "unchanged") counts.unchanged++;
    else counts.stale++;
    if (verdict === "insert" || verdict === "update") {
      changed.push({ ...prepared, sourceId: options.sourceId ?? null, previous });
    }
  }
  if (changed.length === 0) return counts;
  const deltas = await deltasOf(
    tx,
    changed.map((c) => c.record.code),
  );
  const merged = changed.map((c) => ({
    ...c,
    record: mergeDeltas(c.record, c.hash, deltas.get(c.record.code) ?? []),
  }));
  await writeDossiers(tx, merged, now, options.writer ?? rowWriterOf(tx));
  return counts;
}

/**
 * Writes dossiers as records and deltas made them: the catalogue they name, their deadlines, the
 * dossier rows, their steps and pauses (replaced: the merged lists are the truth) and the history
 * of their status and appointment.
 */
export async function writeDossiers(tx: Db, dossiers: DossierToWrite[], now: Date, writer: RowWriter) {
  const records = dossiers.map((d) => d.record);
  await upsertCatalogue(tx, records);
  const context = await loadDeadlineContext(tx, records, now);
  const writes = dossiers.map((d) => ({
    row: dossierRow(
      d.record,
      { hash: d.hash, order: d.order, sourceId: d.sourceId },
      context.compute(d.record),
    ),
    rawJson: d.rawJson,
  }));
  await writer.upsertDossiers(tx, writes, now);
  // New dossiers too: a concurrent sync may have inserted one since this batch read the stored state.
  const codes = textArray(records.map((r) => r.code));
  await tx.execute(sql`DELETE FROM dossier_steps WHERE dossier_code = ANY(${codes})`);
  await tx.execute(sql`DELETE FROM dossier_pauses WHERE dossier_code = ANY(${codes})`);
  await writer.insertChildren(tx, records);
  const history = historyRows(dossiers);
  if (history.length > 0) await writer.insertHistory(tx, history);
}

/**
 * Procedures and officials met in records; the catalogue's own values are never overwritten.
 * Agencies are not: a record names a catalogued agency or is refused (src/catalog/agency-resolver.ts).
 */
async function upsertCatalogue(tx: Db, records: DossierRecord[]): Promise<void> {
  const procedures = new Map(records.map((r) => [r.procedureCode, r]));
  const officials = new Map<
    string,
    { id: string; name: string; title: string | null; department: string | null; agencyCode: string }
  >();
  for (const r of records) {
    for (const s of r.steps) {
      if (s.officialId) {
        officials.set(s.officialId, {
          id: s.officialId,
          name: s.officialName ?? s.officialId,
          title: s.title,
          department: s.department,
          agencyCode: r.agencyCode,
        });
      }
    }
  }
  const procedureRows = [...procedures.values()].map((r) => ({
    code: r.procedureCode,
    name: r.procedureName ?? r.procedureCode,
    field: r.field,
    field_code: r.fieldCode ?? r.field,
  }));
  await tx.execute(sql`
    INSERT INTO procedures (code, name, field, field_code)
    SELECT p.code, p.name, p.field, p.field_code
    FROM jsonb_to_recordset(${JSON.stringify(procedureRows)}::jsonb) AS p(code text, name text, field text, field_code text)
    ON CONFLICT (code) DO NOTHING`);
  if (officials.size === 0) return;
  await tx.execute(sql`
    INSERT INTO officials (id, name, title, department, agency_code)
    SELECT o.id, o.name, o.title, o.department, o."agencyCode"
    FROM jsonb_to_recordset(${JSON.stringify([...officials.values()])}::jsonb)
      AS o(id text, name text, title text, department text, "agencyCode" text)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, title = excluded.title, department = excluded.department,
      agency_code = excluded.agency_code, updated_at = now()
    WHERE (officials.name, officials.title, officials.department, officials.agency_code)
      IS DISTINCT FROM (excluded.name, excluded.title, excluded.department, excluded.agency_code)`);
}
