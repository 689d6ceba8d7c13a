// A batch's rows sent with COPY … FROM STDIN (PostgreSQL through postgres.js): the server reads
// tab-separated text instead of parsing one JSON document per table and unpacking it, and the
// importer writes each value once instead of building objects and their JSON. Steps, pauses and
// history go straight into their tables (the old steps and pauses are deleted first); dossiers go
// through a temporary staging table, because an upsert needs INSERT … ON CONFLICT.

import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { CopyLines, copyRows, copyText } from "../db/copy.js";
import type { DossierRecord } from "../dossiers/record.js";
import {
  DOSSIER_COLUMN_DEFINITIONS,
  DOSSIER_COLUMNS,
  type DossierRow,
  type DossierWrite,
  HISTORY_COLUMNS,
  PAUSE_COLUMNS,
  type RowWriter,
  STEP_COLUMNS,
  upsertDossiersFrom,
} from "./rows.js";

const STAGED = "sync_staged_dossiers";
const DOSSIER_NAMES = Object.keys(DOSSIER_COLUMNS) as (keyof DossierRow)[];
// The lines below give each table's columns in the order of its *_COLUMNS (rows.ts).
const STEP_NAMES = Object.keys(STEP_COLUMNS);
const PAUSE_NAMES = Object.keys(PAUSE_COLUMNS);
const HISTORY_NAMES = Object.keys(HISTORY_COLUMNS);

/** `toISOString()` never needs escaping. */
const copyInstant = (d: Date | null) => (d ? d.toISOString() : "\\N");

function copyValue(value: DossierRow[keyof DossierRow]): string {
  if (value === null) return "\\N";
  if (typeof value === "string") return copyText(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return copyText(JSON.stringify(value));
}

function dossierLines(writes: DossierWrite[]): CopyLines {
  const lines = new CopyLines();
  for (const { row, rawJson } of writes) {
    let line = "";
    for (const name of DOSSIER_NAMES) line += `${copyValue(row[name])}\t`;
    lines.add(`${line}${copyText(rawJson)}\n`);
  }
  return lines;
}

function childLines(records: DossierRecord[]): { steps: CopyLines; pauses: CopyLines } {
  const steps = new CopyLines();
  const pauses = new CopyLines();
  for (const r of records) {
    const code = copyText(r.code);
    for (const s of r.steps) {
      steps.add(
        `${code}\t${s.seq}\t${copyText(s.officialId)}\t${copyText(s.officialName)}\t${copyText(s.title)}\t` +
          `${copyText(s.department)}\t${copyInstant(s.startedAt)}\t${copyInstant(s.dueAt)}\t` +
          `${copyInstant(s.endedAt)}\t${copyText(s.note)}\n`,
      );
    }
    r.pauses.forEach((p, i) => {
      pauses.add(
        `${code}\t${i + 1}\t${copyText(p.kind)}\t${copyInstant(p.startedAt)}\t${copyInstant(p.endedAt)}\t` +
          `${copyText(p.reason)}\n`,
      );
    });
  }
  return { steps, pauses };
}

/** The COPY writer on the postgres.js transaction `client` (see `postgresTransactionOf`). */
export function copyRowWriter(client: postgres.TransactionSql): RowWriter {
  return {
    async upsertDossiers(tx, writes, now) {
      // Created once per connection, emptied at each commit; the upsert consumes what it reads, so
      // a second batch in the same transaction starts from an empty table too.
      await tx.execute(
        sql`CREATE TEMP TABLE IF NOT EXISTS ${sql.raw(STAGED)} (${DOSSIER_COLUMN_DEFINITIONS}) ON COMMIT DELETE ROWS`,
      );
      await copyRows(client, STAGED, [...DOSSIER_NAMES, "raw"], dossierLines(writes));
      await tx.execute(
        sql`WITH staged AS (DELETE FROM ${sql.raw(STAGED)} RETURNING *) ${upsertDossiersFrom(sql`staged AS d`, now)}`,
      );
    },

    async insertChildren(_tx, records) {
      const { steps, pauses } = childLines(records);
      await copyRows(client, "dossier_steps", STEP_NAMES, steps);
      await copyRows(client, "dossier_pauses", PAUSE_NAMES, pauses);
    },

    async insertHistory(_tx, rows) {
      const lines = new CopyLines();
      for (const h of rows) {
        lines.add(
          `${copyText(h.dossier_code)}\t${copyText(h.field)}\t${copyText(h.old_value)}\t` +
            `${copyText(h.new_value)}\t${copyText(h.source_updated_at)}\n`,
        );
      }
      await copyRows(client, "dossier_history", HISTORY_NAMES, lines);
    },
  };
}
