// A batch's rows sent with COPY … FROM STDIN (PostgreSQL through postgres.js): the server reads
// tab-separated text instead of parsing one JSON document per table and unpacking it, and the
// importer writes each value once instead of building objects and their JSON. Steps, pauses and
// history go straight into their tables (those of dossiers written before are deleted first); dossiers go
// through a temporary staging table, because an upsert needs INSERT … ON CONFLICT. The lines are
// those of encode.ts, which a worker thread writes for the records it prepares (apply-encoded.ts).

import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { type Db, queryRows } from "../db/client.js";
import { CopyLines, copyRows, copyText } from "../db/copy.js";
import type { DossierRecord } from "../deadlines/dossier-record.js";
import { copyValue, DEADLINE_COLUMNS, historyLine, pauseLine, RECORD_COLUMNS, stepLine } from "./encode.js";
import {
  codesOf,
  DOSSIER_COLUMN_DEFINITIONS,
  type DossierWrite,
  HISTORY_COLUMNS,
  type HistoryRow,
  PAUSE_COLUMNS,
  type RowWriter,
  STEP_COLUMNS,
  upsertDossiersFrom,
} from "./rows.js";

const STAGED = "sync_staged_dossiers";
/**
 * The columns of a dossier's line: the batch's time twice (computed_at, updated_at: `stampOf`),
 * those computed in the transaction, then the record's, then raw.
 */
const DOSSIER_LINE_COLUMNS = ["computed_at", "updated_at", ...DEADLINE_COLUMNS, ...RECORD_COLUMNS, "raw"];
const STAGED_DEFINITIONS = sql`computed_at timestamptz, updated_at timestamptz, ${DOSSIER_COLUMN_DEFINITIONS}`;
const UNIQUE_VIOLATION = "23505";

/** The start of each dossier line: the batch's time, as computed_at and updated_at. */
export const stampOf = (now: Date) => {
  const at = now.toISOString();
  return `${at}\t${at}\t`;
};
// The lines below give each table's columns in the order of its *_COLUMNS (rows.ts).
const STEP_NAMES = Object.keys(STEP_COLUMNS);
const PAUSE_NAMES = Object.keys(PAUSE_COLUMNS);
const HISTORY_NAMES = Object.keys(HISTORY_COLUMNS);

function dossierLines(writes: DossierWrite[], now: Date): CopyLines {
  const lines = new CopyLines();
  const stamp = stampOf(now);
  for (const { row, rawJson } of writes) {
    let line = stamp;
    for (const name of DEADLINE_COLUMNS) line += `${copyValue(row[name])}\t`;
    for (const name of RECORD_COLUMNS) line += `${copyValue(row[name])}\t`;
    lines.add(`${line}${copyText(rawJson)}\n`);
  }
  return lines;
}

function childLines(records: DossierRecord[]): { steps: CopyLines; pauses: CopyLines } {
  const steps = new CopyLines();
  const pauses = new CopyLines();
  for (const r of records) {
    const code = copyText(r.code);
    for (const s of r.steps) steps.add(stepLine(code, s));
    r.pauses.forEach((p, i) => {
      pauses.add(pauseLine(code, p, i));
    });
  }
  return { steps, pauses };
}

/**
 * Upserts dossiers given as lines of DOSSIER_LINE_COLUMNS, answering the codes it did not insert
 * (upsertDossiersFrom). When none of them was stored as the batch read them (`fresh`), they are
 * copied straight into dossiers, in a savepoint: staging them costs the server a second table's
 * write, read and delete per dossier. Should a concurrent sync have inserted one since, the key
 * refuses the copy and they take the upsert, whose answer names it: the batch is then judged again
 * (judgedAgain, apply.ts). The upsert stages them, then INSERT … SELECT … ON CONFLICT:
 * the staging table is created once per connection and emptied at each commit; the upsert consumes
 * what it reads, so a second batch in the same transaction starts from empty too.
 */
export async function upsertDossierLines(
  tx: Db,
  client: postgres.TransactionSql,
  lines: CopyLines,
  now: Date,
  options: { fresh?: boolean } = {},
): Promise<string[]> {
  if (options.fresh) {
    const copied = await client
      .savepoint((sp) => copyRows(sp, "dossiers", DOSSIER_LINE_COLUMNS, lines))
      .then(
        () => true,
        (error: unknown) => {
          if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
          throw error;
        },
      );
    if (copied) return [];
  }
  await tx.execute(
    sql`CREATE TEMP TABLE IF NOT EXISTS ${sql.raw(STAGED)} (${STAGED_DEFINITIONS}) ON COMMIT DELETE ROWS`,
  );
  await copyRows(client, STAGED, DOSSIER_LINE_COLUMNS, lines);
  const staged = sql`(DELETE FROM ${sql.raw(STAGED)} RETURNING *)`;
  return codesOf(await queryRows<{ code: string }>(tx, upsertDossiersFrom(staged, now)));
}

export const copySteps = (client: postgres.TransactionSql, lines: CopyLines) =>
  copyRows(client, "dossier_steps", STEP_NAMES, lines);

export const copyPauses = (client: postgres.TransactionSql, lines: CopyLines) =>
  copyRows(client, "dossier_pauses", PAUSE_NAMES, lines);

async function copyHistory(client: postgres.TransactionSql, rows: HistoryRow[]): Promise<void> {
  const lines = new CopyLines();
  for (const h of rows) lines.add(historyLine(h));
  await copyHistoryLines(client, lines);
}

export const copyHistoryLines = (client: postgres.TransactionSql, lines: CopyLines) =>
  copyRows(client, "dossier_history", HISTORY_NAMES, lines);

/** The COPY writer on the postgres.js transaction `client` (see `postgresTransactionOf`). */
export function copyRowWriter(client: postgres.TransactionSql): RowWriter {
  return {
    upsertDossiers: (tx, writes, now, fresh) =>
      upsertDossierLines(tx, client, dossierLines(writes, now), now, { fresh }),

    async insertChildren(_tx, records) {
      const { steps, pauses } = childLines(records);
      await copySteps(client, steps);
      await copyPauses(client, pauses);
    },

    insertHistory: (_tx, rows) => copyHistory(client, rows),
  };
}
