// The rows a batch writes, built once whichever way they travel to the server (rows-json.ts for
// PGlite, rows-copy.ts for PostgreSQL): both writers take these, so both store the same values.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import type { DossierRecord } from "../deadlines/dossier-record.js";
import type { ComputedDeadlines } from "../dossiers/deadlines.js";
import { utcIsoText } from "./formats/instant.js";

const iso = (d: Date | null) => (d ? utcIsoText(d) : null);

/** Columns of `dossiers` a sync writes, with their types (`raw` travels apart: its JSON is already text). */
export const DOSSIER_COLUMNS = {
  code: "text",
  agency_code: "text",
  procedure_code: "text",
  field_code: "text",
  channel: "text",
  status: "smallint",
  applicant_name: "text",
  applicant_id_number: "text",
  applicant_kind: "text",
  applicant_contact: "jsonb",
  received_at: "timestamptz",
  promised_due_at: "timestamptz",
  finished_at: "timestamptz",
  returned_at: "timestamptz",
  source_updated_at: "timestamptz",
  content_hash: "text",
  source_order: "text",
  source_id: "text",
  source_status: "text",
  sync_flags: "jsonb",
  start_at: "timestamptz",
  statutory_due_at: "timestamptz",
  binding_due_at: "timestamptz",
  apology_window_starts_at: "timestamptz",
  completed_at: "timestamptz",
  processing_time_known: "boolean",
} as const;

/** Columns of the child tables a sync writes, in the order both writers give them. */
export const STEP_COLUMNS = {
  dossier_code: "text",
  seq: "integer",
  official_id: "text",
  official_name: "text",
  title: "text",
  department: "text",
  started_at: "timestamptz",
  due_at: "timestamptz",
  ended_at: "timestamptz",
  note: "text",
} as const;
export const PAUSE_COLUMNS = {
  dossier_code: "text",
  seq: "integer",
  kind: "text",
  started_at: "timestamptz",
  ended_at: "timestamptz",
  reason: "text",
} as const;
export const HISTORY_COLUMNS = {
  dossier_code: "text",
  field: "text",
  old_value: "text",
  new_value: "text",
  source_updated_at: "timestamptz",
} as const;

/** `name type, …`: a record set's or a table's definition. */
export const columnDefinitions = (columns: Record<string, string>) =>
  sql.raw(
    Object.entries(columns)
      .map(([name, type]) => `${name} ${type}`)
      .join(", "),
  );

export type DossierColumn = keyof typeof DOSSIER_COLUMNS;
export type DossierRow = Record<DossierColumn, string | number | boolean | object | null>;

export interface DossierWrite {
  row: DossierRow;
  /** The raw payload's JSON text, stored as is. */
  rawJson: string;
}

export interface HistoryRow {
  dossier_code: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  source_updated_at: string | null;
}

/** How a batch's rows reach the tables; `rowWriterOf` (apply.ts) picks one per transaction. */
export interface RowWriter {
  /**
   * Inserts or updates the dossiers (a stored newer version is kept), stamping `now`; resolves to
   * the codes of those it did not insert, the only ones that can have steps and pauses stored.
   * `fresh`: none of them was stored when the batch read them (a writer may insert them plainly).
   */
  upsertDossiers(tx: Db, writes: DossierWrite[], now: Date, fresh?: boolean): Promise<string[]>;
  /** Inserts the records' steps and pauses (applyRecords has deleted the old ones). */
  insertChildren(tx: Db, records: DossierRecord[]): Promise<void>;
  insertHistory(tx: Db, rows: HistoryRow[]): Promise<void>;
}

/** What identifies the full record a dossier row was written from. */
export interface RecordIdentity {
  hash: string;
  /** Its place among the dossier's messages (src/sync/order.ts). */
  order: string;
  /** The one-stop system that sent it. */
  sourceId: string | null;
}

/** The dossier columns the deadline engine gives. */
export function deadlineValues(d: ComputedDeadlines) {
  return {
    start_at: iso(d.startAt),
    statutory_due_at: iso(d.statutoryDueAt),
    binding_due_at: iso(d.bindingDueAt),
    apology_window_starts_at: iso(d.apologyWindowStartsAt),
    completed_at: iso(d.completedAt),
    processing_time_known: d.processingTimeKnown,
  } satisfies Partial<DossierRow>;
}

export function dossierRow(r: DossierRecord, id: RecordIdentity, d: ComputedDeadlines): DossierRow {
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
    content_hash: id.hash,
    source_order: id.order,
    source_id: id.sourceId,
    source_status: r.sourceStatus ?? null,
    sync_flags: r.syncFlags?.length ? r.syncFlags : null,
    ...deadlineValues(d),
  };
}

const NAMES = [...Object.keys(DOSSIER_COLUMNS), "raw"];

/**
 * `WITH d AS <rows> … INSERT INTO dossiers … SELECT … FROM d … ON CONFLICT`, where `rows` (a CTE's
 * body) yields the columns of DOSSIER_COLUMNS and raw: the one upsert both writers run. It answers
 * the codes of the rows it did not insert — updated, or kept because a newer version is stored —
 * whose old steps and pauses are to be replaced: a dossier it inserted has none, and the batch's
 * delete of children skips it. Inserted is told by `created_at` (never updated) being this
 * transaction's `now()`: `xmax = 0` would say it too, but a partitioned or distributed `dossiers`
 * (docs/SCALE-OUT.md) cannot return a system column. Only a concurrent transaction started in the
 * same microsecond could be mistaken for this one, and its steps would then meet ours on their
 * primary key and fail the batch whole. Each code is written once per statement (judgeRecords
 * keeps a batch's latest version of each). `rows` come in key order (compareKeys, encode.ts), which
 * a scan of them keeps, so that concurrent batches insert new dossiers in the same order.
 */
export function upsertDossiersFrom(rows: SQL, now: Date): SQL {
  const columns = sql.raw(NAMES.join(", "));
  const selected = sql.raw(NAMES.map((c) => `d.${c}`).join(", "));
  const updates = sql.raw(
    [...NAMES.filter((c) => c !== "code"), "computed_at", "updated_at"]
      .map((c) => `${c} = excluded.${c}`)
      .join(", "),
  );
  const at = now.toISOString();
  return sql`
    WITH d AS ${rows},
    written AS (
      INSERT INTO dossiers (${columns}, computed_at, updated_at)
      SELECT ${selected}, ${at}::timestamptz, ${at}::timestamptz FROM d
      ON CONFLICT (code) DO UPDATE SET ${updates}
      WHERE dossiers.source_order COLLATE "C" <= excluded.source_order COLLATE "C"
      RETURNING dossiers.code, dossiers.created_at = now() AS inserted)
    SELECT d.code FROM d WHERE NOT EXISTS (SELECT FROM written w WHERE w.inserted AND w.code = d.code)`;
}

/** The codes an upsert answered (upsertDossiersFrom). */
export const codesOf = (rows: { code: string }[]) => rows.map((r) => r.code);

/**
 * `name type, …` of DOSSIER_COLUMNS and raw, for a record set's or a table's definition. raw is
 * json, as in `dossiers`: its text travels and is stored as it is, never parsed into jsonb.
 */
export const DOSSIER_COLUMN_DEFINITIONS = columnDefinitions({ ...DOSSIER_COLUMNS, raw: "json" });

/** Every change of status or appointment, with the source time it happened at. */
export function historyRows(
  changed: {
    record: Pick<DossierRecord, "code" | "status" | "promisedDueAt" | "sourceUpdatedAt">;
    previous?: { status: number; promised_due_at: string | null };
  }[],
): HistoryRow[] {
  return changed.flatMap(({ record: r, previous }) => {
    const sourceUpdatedAt = iso(r.sourceUpdatedAt);
    const entries: HistoryRow[] = [];
    const oldStatus = previous ? String(previous.status) : null;
    if (oldStatus !== String(r.status)) {
      entries.push({
        dossier_code: r.code,
        field: "status",
        old_value: oldStatus,
        new_value: String(r.status),
        source_updated_at: sourceUpdatedAt,
      });
    }
    const oldDue = previous?.promised_due_at ? new Date(previous.promised_due_at).toISOString() : null;
    if (oldDue !== iso(r.promisedDueAt)) {
      entries.push({
        dossier_code: r.code,
        field: "promised_due_at",
        old_value: oldDue,
        new_value: iso(r.promisedDueAt),
        source_updated_at: sourceUpdatedAt,
      });
    }
    return entries;
  });
}
