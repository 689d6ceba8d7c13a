// The one pipeline behind push, pull and file import: a batch of parsed records applied in one
// transaction, set-based (a handful of statements whatever the batch size), idempotent.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { queryRows, textArray } from "../db/client.js";
import { type DeadlineContext, loadDeadlineContext } from "../dossiers/deadlines.js";
import type { DossierRecord } from "../dossiers/record.js";
import type { RecordFormat } from "./parse.js";

/**
 * A parsed record with what can be built before the transaction: its raw payload as JSON text
 * (stored as is), its content hash, and its step and pause rows as JSON (comma-joined objects).
 */
export interface PreparedRecord {
  record: DossierRecord;
  rawJson: string;
  hash: string;
  stepRows: string;
  pauseRows: string;
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

const iso = (d: Date | null) => (d ? d.toISOString() : null);

interface Changed extends PreparedRecord {
  previous?: StoredState;
}

/** Applies parsed records; runs inside the caller's transaction (see `syncBatch`). */
export async function applyRecords(tx: Db, records: PreparedRecord[], now: Date): Promise<ApplyCounts> {
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
  await upsertDossiers(tx, changed, context, now);
  await replaceChildren(tx, changed);
  await recordHistory(tx, changed);
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

/** One JSON array of row objects, each with the raw payload's JSON spliced in as it is (no re-serialising). */
function rowsWithRaw<T extends PreparedRecord>(items: T[], row: (item: T) => object): string {
  const parts = items.map((item) => {
    const json = JSON.stringify(row(item));
    return `${json.slice(0, -1)},"raw":${item.rawJson}}`;
  });
  return `[${parts.join(",")}]`;
}

async function upsertDossiers(
  tx: Db,
  changed: Changed[],
  context: DeadlineContext,
  now: Date,
): Promise<void> {
  const rows = rowsWithRaw(changed, ({ record: r, hash }) => {
    const d = context.compute(r);
    return {
      code: r.code,
      agency_code: r.agencyCode,
      procedure_code: r.procedureCode,
      field_code: r.fieldCode ?? r.field,
      channel: r.channel,
      status: r.status,
      applicant_name: r.applicant.name,
      applicant_id_number: r.applicant.idNumber,
      applicant_kind: r.applicant.kind,
      applicant_contact: { address: r.applicant.address, phone: r.applicant.phone, email: r.applicant.email },
      received_at: iso(r.receivedAt),
      promised_due_at: iso(r.promisedDueAt),
      finished_at: iso(r.finishedAt),
      returned_at: iso(r.returnedAt),
      source_updated_at: iso(r.sourceUpdatedAt),
      content_hash: hash,
      start_at: iso(d.startAt),
      statutory_due_at: iso(d.statutoryDueAt),
      binding_due_at: iso(d.bindingDueAt),
      apology_window_starts_at: iso(d.apologyWindowStartsAt),
      completed_at: iso(d.completedAt),
      processing_time_known: d.processingTimeKnown,
    };
  });
  await tx.execute(sql`
    INSERT INTO dossiers (code, agency_code, procedure_code, field_code, channel, status, applicant_name,
      applicant_id_number, applicant_kind, applicant_contact, received_at, promised_due_at, finished_at, returned_at,
      source_updated_at, content_hash, raw, start_at, statutory_due_at, binding_due_at, apology_window_starts_at,
      completed_at, processing_time_known, computed_at, updated_at)
    SELECT d.code, d.agency_code, d.procedure_code, d.field_code, d.channel, d.status, d.applicant_name,
      d.applicant_id_number, d.applicant_kind, d.applicant_contact, d.received_at, d.promised_due_at, d.finished_at,
      d.returned_at, d.source_updated_at, d.content_hash, d.raw, d.start_at, d.statutory_due_at, d.binding_due_at,
      d.apology_window_starts_at, d.completed_at, d.processing_time_known, ${now.toISOString()}::timestamptz,
      ${now.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${rows}::jsonb) AS d(code text, agency_code text, procedure_code text,
      field_code text, channel text, status smallint, applicant_name text, applicant_id_number text, applicant_kind text,
      applicant_contact jsonb, received_at timestamptz, promised_due_at timestamptz, finished_at timestamptz,
      returned_at timestamptz, source_updated_at timestamptz, content_hash text, raw jsonb, start_at timestamptz,
      statutory_due_at timestamptz, binding_due_at timestamptz, apology_window_starts_at timestamptz,
      completed_at timestamptz, processing_time_known boolean)
    ON CONFLICT (code) DO UPDATE SET
      agency_code = excluded.agency_code, procedure_code = excluded.procedure_code, field_code = excluded.field_code,
      channel = excluded.channel, status = excluded.status, applicant_name = excluded.applicant_name,
      applicant_id_number = excluded.applicant_id_number, applicant_kind = excluded.applicant_kind,
      applicant_contact = excluded.applicant_contact, received_at = excluded.received_at,
      promised_due_at = excluded.promised_due_at, finished_at = excluded.finished_at, returned_at = excluded.returned_at,
      source_updated_at = excluded.source_updated_at, content_hash = excluded.content_hash, raw = excluded.raw,
      start_at = excluded.start_at, statutory_due_at = excluded.statutory_due_at, binding_due_at = excluded.binding_due_at,
      apology_window_starts_at = excluded.apology_window_starts_at, completed_at = excluded.completed_at,
      processing_time_known = excluded.processing_time_known, computed_at = excluded.computed_at,
      updated_at = excluded.updated_at
    WHERE dossiers.source_updated_at <= excluded.source_updated_at`);
}

/** Steps and pauses are replaced as a whole per dossier: the source's list is the truth. */
async function replaceChildren(tx: Db, changed: Changed[]): Promise<void> {
  // New dossiers too: a concurrent sync may have inserted one since this batch read the stored state.
  const codes = textArray(changed.map((c) => c.record.code));
  await tx.execute(sql`DELETE FROM dossier_steps WHERE dossier_code = ANY(${codes})`);
  await tx.execute(sql`DELETE FROM dossier_pauses WHERE dossier_code = ANY(${codes})`);
  const steps = changed.map((c) => c.stepRows).filter((rows) => rows !== "");
  if (steps.length > 0) {
    await tx.execute(sql`
      INSERT INTO dossier_steps (dossier_code, seq, official_id, official_name, title, department, started_at, due_at, ended_at, note)
      SELECT * FROM jsonb_to_recordset(${`[${steps.join(",")}]`}::jsonb) AS s(dossier_code text, seq integer,
        official_id text, official_name text, title text, department text, started_at timestamptz, due_at timestamptz,
        ended_at timestamptz, note text)`);
  }
  const pauses = changed.map((c) => c.pauseRows).filter((rows) => rows !== "");
  if (pauses.length > 0) {
    await tx.execute(sql`
      INSERT INTO dossier_pauses (dossier_code, seq, kind, started_at, ended_at, reason)
      SELECT * FROM jsonb_to_recordset(${`[${pauses.join(",")}]`}::jsonb) AS p(dossier_code text, seq integer,
        kind text, started_at timestamptz, ended_at timestamptz, reason text)`);
  }
}

/** A JSON value of a text or null, for the row templates below. */
const jsonText = (text: string | null) => (text === null ? "null" : JSON.stringify(text));
/** `toISOString()` never needs escaping. */
const jsonInstant = (d: Date | null) => (d ? `"${d.toISOString()}"` : "null");

/**
 * A record's step and pause rows as JSON, ready to be joined into a batch's insert. Written as
 * templates rather than objects given to JSON.stringify: five steps a dossier made this one of the
 * importer's hot spots (the keys are the columns of `replaceChildren`'s jsonb_to_recordset).
 */
export function childRowsOf(r: DossierRecord): { stepRows: string; pauseRows: string } {
  const code = JSON.stringify(r.code);
  const steps = r.steps.map(
    (s) =>
      `{"dossier_code":${code},"seq":${s.seq},"official_id":${jsonText(s.officialId)},` +
      `"official_name":${jsonText(s.officialName)},"title":${jsonText(s.title)},` +
      `"department":${jsonText(s.department)},"started_at":${jsonInstant(s.startedAt)},` +
      `"due_at":${jsonInstant(s.dueAt)},"ended_at":${jsonInstant(s.endedAt)},"note":${jsonText(s.note)}}`,
  );
  const pauses = r.pauses.map(
    (p, i) =>
      `{"dossier_code":${code},"seq":${i + 1},"kind":${JSON.stringify(p.kind)},` +
      `"started_at":${jsonInstant(p.startedAt)},"ended_at":${jsonInstant(p.endedAt)},"reason":${jsonText(p.reason)}}`,
  );
  return { stepRows: steps.join(","), pauseRows: pauses.join(",") };
}

/** Every change of status or appointment, with the source time it happened at. */
async function recordHistory(tx: Db, changed: Changed[]): Promise<void> {
  const rows = changed.flatMap(({ record: r, previous }) => {
    const at = iso(r.sourceUpdatedAt);
    const entries: {
      dossier_code: string;
      field: string;
      old_value: string | null;
      new_value: string | null;
      at: string | null;
    }[] = [];
    const oldStatus = previous ? String(previous.status) : null;
    if (oldStatus !== String(r.status)) {
      entries.push({
        dossier_code: r.code,
        field: "status",
        old_value: oldStatus,
        new_value: String(r.status),
        at,
      });
    }
    const oldDue = previous?.promised_due_at ? new Date(previous.promised_due_at).toISOString() : null;
    if (oldDue !== iso(r.promisedDueAt)) {
      entries.push({
        dossier_code: r.code,
        field: "promised_due_at",
        old_value: oldDue,
        new_value: iso(r.promisedDueAt),
        at,
      });
    }
    return entries;
  });
  if (rows.length === 0) return;
  await tx.execute(sql`
    INSERT INTO dossier_history (dossier_code, field, old_value, new_value, source_updated_at)
    SELECT h.dossier_code, h.field, h.old_value, h.new_value, h.at
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS h(dossier_code text, field text, old_value text, new_value text, at timestamptz)`);
}
