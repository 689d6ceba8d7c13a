// A prepared record as the COPY text PostgreSQL reads, written once where the record is prepared (a
// worker thread for file imports and pushes), with the few facts the transaction still needs: its
// code and order for the verdict, the catalogue rows it names, what its deadlines are computed from
// and what its history compares. Deadlines depend on rules the transaction reads, so their columns
// are written by the transaction in front of the rest of the dossier's line (apply-encoded.ts).
import { copyText } from "../db/copy.js";
import type {
  Channel,
  DossierPause,
  DossierRecord,
  DossierStep,
  PauseKind,
} from "../deadlines/dossier-record.js";
import type { ComputedDeadlines } from "../dossiers/deadlines.js";
import { ByteWriter } from "./byte-writer.js";
import { utcIsoText } from "./formats/instant.js";
import {
  DOSSIER_COLUMNS,
  type DossierColumn,
  type DossierRow,
  dossierRow,
  type HistoryRow,
  historyRows,
} from "./rows.js";

/** The dossier columns computed in the transaction, in the order it writes them. */
export const DEADLINE_COLUMNS = [
  "start_at",
  "statutory_due_at",
  "binding_due_at",
  "apology_window_starts_at",
  "completed_at",
  "processing_time_known",
] as const satisfies readonly DossierColumn[];

/** The other dossier columns, in the order a record's line gives them; `raw` follows. */
export const RECORD_COLUMNS = (Object.keys(DOSSIER_COLUMNS) as DossierColumn[]).filter(
  (c) => !(DEADLINE_COLUMNS as readonly string[]).includes(c),
);

export interface ProcedureRow {
  code: string;
  name: string;
  field: string | null;
  field_code: string | null;
}

export interface OfficialRow {
  id: string;
  name: string;
  title: string | null;
  department: string | null;
  agencyCode: string;
}

/** The catalogue rows a record names: its procedure and the officials of its steps. */
export interface CatalogueEntry {
  procedure: ProcedureRow;
  officials: OfficialRow[];
}

/**
 * Records encoded together, sent from a worker thread as a few buffers and strings rather than an
 * object per record (deserialised on the main thread, they cost it more than writing them did).
 */
export interface EncodedRecords {
  count: number;
  /**
   * Their rows, as COPY text: per record its dossier line, then its step lines, its pause lines,
   * and the history lines it writes if no version of its dossier is stored.
   */
  bytes: Uint8Array;
  /** Per record, each followed by NUL (which no stored text holds): code, order, agency, procedure. */
  keys: string;
  /** Per record, FIELDS numbers (see `Field`); instants in epoch milliseconds, NaN for none. */
  numbers: Float64Array;
  /** Per pause, its kind (0 supplement, 1 financial), start and end (NaN while open). */
  pauses: Float64Array;
  /** The catalogue rows the records name, as JSON arrays in key order, the last mention winning. */
  procedures: string;
  officials: string;
}

/** Where a record's numbers are in `EncodedRecords.numbers`. */
export const Field = {
  status: 0,
  channel: 1,
  receivedAt: 2,
  promisedDueAt: 3,
  finishedAt: 4,
  returnedAt: 5,
  sourceUpdatedAt: 6,
  /**
   * Byte offsets: its dossier line (the record's columns), its raw payload to the line's end, its
   * steps, its pauses, its history as a first write of the dossier has it, the end.
   */
  start: 7,
  raw: 8,
  steps: 9,
  pauses: 10,
  history: 11,
  end: 12,
  /** Its pauses in `EncodedRecords.pauses`: the first, and how many. */
  pauseFrom: 13,
  pauseCount: 14,
} as const;
export const FIELDS = 15;
export const KEYS = 4;
export const CHANNELS: readonly Channel[] = ["direct", "online", "postal"];
export const PAUSE_KINDS: readonly PauseKind[] = ["supplement", "financial"];

/** `toISOString()`'s text (utcIsoText) never needs escaping. */
export const copyInstant = (d: Date | null) => (d ? utcIsoText(d) : "\\N");

/**
 * The deadline columns of a dossier's line, each followed by a tab: what copyValue writes of
 * deadlineValues (rows.ts) in DEADLINE_COLUMNS' order, without the row between.
 */
export const deadlineCells = (d: ComputedDeadlines) =>
  `${copyInstant(d.startAt)}\t${copyInstant(d.statutoryDueAt)}\t${copyInstant(d.bindingDueAt)}\t` +
  `${copyInstant(d.apologyWindowStartsAt)}\t${copyInstant(d.completedAt)}\t${d.processingTimeKnown ? "t" : "f"}\t`;

/** One column's value of a dossier row in COPY text. */
export function copyValue(value: DossierRow[DossierColumn]): string {
  if (value === null) return "\\N";
  if (typeof value === "string") return copyText(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return copyText(JSON.stringify(value));
}

/** A step's line of dossier_steps, its columns in STEP_COLUMNS' order (rows.ts). */
export const stepLine = (code: string, s: DossierStep) =>
  `${code}\t${s.seq}\t${copyText(s.officialId)}\t${copyText(s.officialName)}\t${copyText(s.title)}\t` +
  `${copyText(s.department)}\t${copyInstant(s.startedAt)}\t${copyInstant(s.dueAt)}\t` +
  `${copyInstant(s.endedAt)}\t${copyText(s.note)}\n`;

/** A pause's line of dossier_pauses (its seq is its place in the record), in PAUSE_COLUMNS' order. */
export const pauseLine = (code: string, p: DossierPause, i: number) =>
  `${code}\t${i + 1}\t${copyText(p.kind)}\t${copyInstant(p.startedAt)}\t${copyInstant(p.endedAt)}\t` +
  `${copyText(p.reason)}\n`;

/** A line of dossier_history, in HISTORY_COLUMNS' order (rows.ts). */
export const historyLine = (h: HistoryRow) =>
  `${copyText(h.dossier_code)}\t${copyText(h.field)}\t${copyText(h.old_value)}\t` +
  `${copyText(h.new_value)}\t${copyText(h.source_updated_at)}\n`;

/** Procedures and officials a record names; the catalogue's own values are never overwritten by them. */
export function catalogueOf(r: DossierRecord): CatalogueEntry {
  const officials: OfficialRow[] = [];
  for (const s of r.steps) {
    if (!s.officialId) continue;
    officials.push({
      id: s.officialId,
      name: s.officialName ?? s.officialId,
      title: s.title,
      department: s.department,
      agencyCode: r.agencyCode,
    });
  }
  const procedure = {
    code: r.procedureCode,
    name: r.procedureName ?? r.procedureCode,
    field: r.field,
    field_code: r.fieldCode ?? r.field,
  };
  return { procedure, officials };
}

/** dossierRow's deadline columns are written by the transaction: these stand in, unread. */
const NO_DEADLINES = {
  startAt: null,
  statutoryDueAt: null,
  bindingDueAt: null,
  apologyWindowStartsAt: null,
  completedAt: null,
  processingTimeKnown: false,
};

/** A prepared record: its raw payload's JSON, its hash, its place in the dossier's order. */
export interface RecordToEncode {
  record: DossierRecord;
  rawJson: string;
  /** rawJson's UTF-8, when at hand. */
  rawBytes?: Uint8Array;
  hash: string;
  order: string;
}

const ms = (d: Date | null) => (d ? d.getTime() : Number.NaN);

/** Growable numbers. */
class Numbers {
  values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  take(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

/** Records appended one by one (each as soon as it is prepared), then taken together. */
export class RecordEncoder {
  private readonly out: ByteWriter;
  private keys = "";
  private readonly numbers = new Numbers();
  private readonly pauses = new Numbers();
  private readonly procedures = new Map<string, ProcedureRow>();
  private readonly officials = new Map<string, OfficialRow>();
  private count = 0;

  constructor(
    private readonly sourceId: string | null,
    capacity?: number,
    memory?: SharedArrayBuffer,
  ) {
    this.out = new ByteWriter(capacity, memory);
  }

  add(p: RecordToEncode): void {
    const r = p.record;
    const out = this.out;
    const row = dossierRow(r, { hash: p.hash, order: p.order, sourceId: this.sourceId }, NO_DEADLINES);
    const start = out.length;
    let line = "";
    for (const name of RECORD_COLUMNS) line += `${copyValue(row[name])}\t`;
    out.write(line);
    const raw = out.length;
    if (p.rawBytes) out.writeCopyBytes(p.rawBytes);
    else out.write(copyText(p.rawJson));
    out.writeNewline();
    const steps = out.length;
    const code = copyText(r.code);
    let children = "";
    for (const s of r.steps) children += stepLine(code, s);
    out.write(children);
    const pauses = out.length;
    children = "";
    r.pauses.forEach((pause, i) => {
      children += pauseLine(code, pause, i);
    });
    if (children) out.write(children);
    const history = out.length;
    // Written on the worker for the usual case, a dossier seen for the first time (apply-encoded.ts).
    children = "";
    for (const h of historyRows([{ record: r }])) children += historyLine(h);
    out.write(children);
    this.keys += `${r.code}\0${p.order}\0${r.agencyCode}\0${r.procedureCode}\0`;
    const n = this.numbers;
    n.push(r.status);
    n.push(CHANNELS.indexOf(r.channel));
    n.push(ms(r.receivedAt));
    n.push(ms(r.promisedDueAt));
    n.push(ms(r.finishedAt));
    n.push(ms(r.returnedAt));
    n.push(ms(r.sourceUpdatedAt));
    n.push(start);
    n.push(raw);
    n.push(steps);
    n.push(pauses);
    n.push(history);
    n.push(out.length);
    n.push(this.pauses.length / 3);
    n.push(r.pauses.length);
    for (const pause of r.pauses) {
      this.pauses.push(PAUSE_KINDS.indexOf(pause.kind));
      this.pauses.push(ms(pause.startedAt));
      this.pauses.push(ms(pause.endedAt));
    }
    const catalogue = catalogueOf(r);
    this.procedures.set(catalogue.procedure.code, catalogue.procedure);
    for (const o of catalogue.officials) this.officials.set(o.id, o);
    this.count++;
  }

  take(): EncodedRecords {
    return {
      count: this.count,
      bytes: this.out.bytes(),
      keys: this.keys,
      numbers: this.numbers.take(),
      pauses: this.pauses.take(),
      procedures: JSON.stringify(inKeyOrder(this.procedures)),
      officials: JSON.stringify(inKeyOrder(this.officials)),
    };
  }
}

/**
 * The one order a sync writes keyed rows in (catalogue rows, dossiers): two transactions inserting
 * the same new keys then meet at the first they share, and one waits for the other to end. In
 * different orders each could hold a key the other waits for, a deadlock that fails one of them.
 */
export const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const inKeyOrder = <T>(rows: Map<string, T>): T[] =>
  [...rows.entries()].sort(([a], [b]) => compareKeys(a, b)).map(([, row]) => row);

/** Record i's raw payload's JSON as it was encoded (COPY escapes only backslashes in JSON text). */
export function rawJsonOf(encoded: EncodedRecords, i: number): string {
  const from = encoded.numbers[i * FIELDS + Field.raw];
  const to = encoded.numbers[i * FIELDS + Field.steps] - 1;
  const { bytes } = encoded;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString();
  return text.replace(/\\([\\tnr])/g, (_, c: string) => UNESCAPED[c]);
}

const UNESCAPED: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r" };
