// A batch's rows as one JSON parameter per table, read by json(b)_to_recordset: works on every driver
// (PGlite has no COPY FROM STDIN through drizzle); PostgreSQL takes rows-copy.ts instead.
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import type { DossierRecord } from "../deadlines/dossier-record.js";
import {
  codesOf,
  columnDefinitions,
  DOSSIER_COLUMN_DEFINITIONS,
  type DossierWrite,
  HISTORY_COLUMNS,
  PAUSE_COLUMNS,
  type RowWriter,
  STEP_COLUMNS,
  upsertDossiersFrom,
} from "./rows.js";

/** `INSERT INTO table (columns) SELECT * FROM jsonb_to_recordset(rows)`: rows is a JSON array of objects keyed by the columns. */
function insertJsonRows(tx: Db, table: string, columns: Record<string, string>, rows: string) {
  return tx.execute(sql`INSERT INTO ${sql.raw(table)} (${sql.raw(Object.keys(columns).join(", "))})
    SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS r(${columnDefinitions(columns)})`);
}

/** A JSON value of a text or null, for the row templates below. */
const jsonText = (text: string | null) => (text === null ? "null" : JSON.stringify(text));
/** `toISOString()` never needs escaping. */
const jsonInstant = (d: Date | null) => (d ? `"${d.toISOString()}"` : "null");

/** One JSON array of row objects, each with the raw payload's JSON spliced in as it is (no re-serialising). */
function rowsWithRaw(writes: DossierWrite[]): string {
  const parts = writes.map(({ row, rawJson }) => `${JSON.stringify(row).slice(0, -1)},"raw":${rawJson}}`);
  return `[${parts.join(",")}]`;
}

/**
 * A record's step and pause rows as JSON objects (comma-joined), written as templates rather than
 * objects given to JSON.stringify: five steps a dossier made this a hot spot of the importer.
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

export const jsonRowWriter: RowWriter = {
  // json_to_recordset, not jsonb_: a json field is handed over as the very text of its value, so
  // raw is stored as sent; jsonb would reorder its keys and parse every record into a tree.
  async upsertDossiers(tx, writes, now) {
    const rows = sql`MATERIALIZED (SELECT * FROM json_to_recordset(${rowsWithRaw(writes)}::json)
      AS r(${DOSSIER_COLUMN_DEFINITIONS}))`;
    return codesOf(await queryRows<{ code: string }>(tx, upsertDossiersFrom(rows, now)));
  },

  async insertChildren(tx: Db, records: DossierRecord[]) {
    const rows = records.map(childRowsOf);
    const steps = rows.map((r) => r.stepRows).filter((r) => r !== "");
    if (steps.length > 0) await insertJsonRows(tx, "dossier_steps", STEP_COLUMNS, `[${steps.join(",")}]`);
    const pauses = rows.map((r) => r.pauseRows).filter((r) => r !== "");
    if (pauses.length > 0) await insertJsonRows(tx, "dossier_pauses", PAUSE_COLUMNS, `[${pauses.join(",")}]`);
  },

  async insertHistory(tx, rows) {
    await insertJsonRows(tx, "dossier_history", HISTORY_COLUMNS, JSON.stringify(rows));
  },
};
