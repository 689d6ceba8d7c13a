// The one pipeline behind push, pull and file import: a batch of parsed records applied in one
// transaction, set-based (a handful of statements whatever the batch size), idempotent.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { postgresTransactionOf, queryRows, textArray } from "../db/client.js";
import { loadDeadlineContext } from "../dossiers/deadlines.js";
import type { DossierRecord } from "../dossiers/record.js";
import type { RecordFormat } from "./parse.js";
import { dossierRow, historyRows, type RowWriter } from "./rows.js";
import { copyRowWriter } from "./rows-copy.js";
import { jsonRowWriter } from "./rows-json.js";

/**
 * A parsed record with what can be built before the transaction: its raw payload as JSON text
 * (stored as is) and its content hash.
 */
export interface PreparedRecord {
  record: DossierRecord;
  rawJson: string;
  hash: string;
}

export interface ApplyCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
}

interface StoredState {
  code: string;
  status: number;
  promised_due_at: string | null;
  source_updated_at: string;
  content_hash: string;
}

type Verdict = "insert" | "update" | "unchanged" | "stale";

/**
 * A stable digest of what was sent: the same record twice is `unchanged`. The mapped record is a
 * pure function of (format, raw payload), so hashing the payload's JSON (already built for the
 * `raw` column) says the same as hashing the mapped record, at a fraction of the cost.
 */
export function contentHash(format: RecordFormat, rawJson: string): string {
  return createHash("sha256").update(`${format}\n${rawJson}`).digest("hex");
}

/** The latest version of each dossier in the batch; older copies of the same code are stale. */
function latestPerCode(records: PreparedRecord[]): { latest: PreparedRecord[]; staleInBatch: number } {
  const byCode = new Map<string, PreparedRecord>();
  for (const prepared of records) {
    const seen = byCode.get(prepared.record.code);
    if (!seen || seen.record.sourceUpdatedAt.getTime() <= prepared.record.sourceUpdatedAt.getTime())
      byCode.set(prepared.record.code, prepared);
  }
  return { latest: [...byCode.values()], staleInBatch: records.length - byCode.size };
}

function verdictOf(record: DossierRecord, hash: string, stored: StoredState | undefined): Verdict {
  if (!stored) return "insert";
  if (new Date(stored.source_updated_at).getTime() > record.sourceUpdatedAt.getTime()) return "stale";
  return stored.content_hash === hash ? "unchanged" : "update";
}

interface Changed extends PreparedRecord {
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

/** Applies parsed records; runs inside the caller's transaction (see `syncBatch`). */
export async function applyRecords(
  tx: Db,
  records: PreparedRecord[],
  now: Date,
  writer: RowWriter = rowWriterOf(tx),
): Promise<ApplyCounts> {
  const { latest, staleInBatch } = latestPerCode(records);
  const counts: ApplyCounts = { inserted: 0, updated: 0, unchanged: 0, stale: staleInBatch };
  if (latest.length === 0) return counts;
  // Lock the stored versions: a concurrent sync of the same dossiers waits, so history is written once.
  const stored = await queryRows<StoredState>(
    tx,
    sql`SELECT code, status, promised_due_at, source_updated_at, content_hash FROM dossiers
        WHERE code = ANY(${textArray(latest.map((p) => p.record.code))}) ORDER BY code FOR UPDATE`,
  );
  const storedByCode = new Map(stored.map((s) => [s.code, s]));
  const changed: Changed[] = [];
  for (const prepared of latest) {
    const previous = storedByCode.get(prepared.record.code);
    const verdict = verdictOf(prepared.record, prepared.hash, previous);
    if (verdict === "insert") counts.inserted++;
    else if (verdict === "update") counts.updated++;
    else if (verdict === "unchanged") counts.unchanged++;
    else counts.stale++;
    if (verdict === "insert" || verdict === "update") changed.push({ ...prepared, previous });
  }
  if (changed.length === 0) return counts;
  const changedRecords = changed.map((c) => c.record);
  await upsertCatalogue(tx, changedRecords);
  const context = await loadDeadlineContext(tx, changedRecords, now);
  const writes = changed.map(({ record, hash, rawJson }) => ({
    row: dossierRow(record, hash, context.compute(record)),
    rawJson,
  }));
  await writer.upsertDossiers(tx, writes, now);
  // Steps and pauses are replaced as a whole per dossier: the source's list is the truth. New
  // dossiers too: a concurrent sync may have inserted one since this batch read the stored state.
  const codes = textArray(changedRecords.map((r) => r.code));
  await tx.execute(sql`DELETE FROM dossier_steps WHERE dossier_code = ANY(${codes})`);
  await tx.execute(sql`DELETE FROM dossier_pauses WHERE dossier_code = ANY(${codes})`);
  await writer.insertChildren(tx, changedRecords);
  const history = historyRows(changed);
  if (history.length > 0) await writer.insertHistory(tx, history);
  return counts;
}

/** Agencies, procedures and officials met in records; the catalogue's own values are never overwritten. */
async function upsertCatalogue(tx: Db, records: DossierRecord[]): Promise<void> {
  const agencies = new Map(records.map((r) => [r.agencyCode, r.agencyName ?? r.agencyCode]));
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
  const agencyRows = [...agencies].map(([code, name]) => ({ code, name }));
  await tx.execute(sql`
    INSERT INTO agencies (code, name, short_code, path)
    SELECT a.code, a.name, a.code, '/' || a.code || '/' FROM jsonb_to_recordset(${JSON.stringify(agencyRows)}::jsonb) AS a(code text, name text)
    ON CONFLICT (code) DO UPDATE SET name = excluded.name, updated_at = now()
      WHERE NOT agencies.catalogued AND agencies.name IS DISTINCT FROM excluded.name`);
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
