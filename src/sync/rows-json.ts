// A batch's rows as one JSON parameter per table, read by jsonb_to_recordset: works on every driver
// (PGlite has no COPY FROM STDIN through drizzle); PostgreSQL takes rows-copy.ts instead.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import type { DossierRecord } from "../dossiers/record.js";
import { DOSSIER_COLUMN_DEFINITIONS, type DossierWrite, type RowWriter, upsertDossiersFrom } from "./rows.js";

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
  async upsertDossiers(tx, writes, now) {
    const source = sql`jsonb_to_recordset(${rowsWithRaw(writes)}::jsonb) AS d(${DOSSIER_COLUMN_DEFINITIONS})`;
    await tx.execute(upsertDossiersFrom(source, now));
  },

  async insertChildren(tx: Db, records: DossierRecord[]) {
    const rows = records.map(childRowsOf);
    const steps = rows.map((r) => r.stepRows).filter((r) => r !== "");
    if (steps.length > 0) {
      await tx.execute(sql`
        INSERT INTO dossier_steps (dossier_code, seq, official_id, official_name, title, department, started_at, due_at, ended_at, note)
        SELECT * FROM jsonb_to_recordset(${`[${steps.join(",")}]`}::jsonb) AS s(dossier_code text, seq integer,
          official_id text, official_name text, title text, department text, started_at timestamptz, due_at timestamptz,
          ended_at timestamptz, note text)`);
    }
    const pauses = rows.map((r) => r.pauseRows).filter((r) => r !== "");
    if (pauses.length > 0) {
      await tx.execute(sql`
        INSERT INTO dossier_pauses (dossier_code, seq, kind, started_at, ended_at, reason)
        SELECT * FROM jsonb_to_recordset(${`[${pauses.join(",")}]`}::jsonb) AS p(dossier_code text, seq integer,
          kind text, started_at timestamptz, ended_at timestamptz, reason text)`);
    }
  },

  async insertHistory(tx, rows) {
    await tx.execute(sql`
      INSERT INTO dossier_history (dossier_code, field, old_value, new_value, source_updated_at)
      SELECT h.dossier_code, h.field, h.old_value, h.new_value, h.at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS h(dossier_code text, field text, old_value text, new_value text, at timestamptz)`);
  },
};
