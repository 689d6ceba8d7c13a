// Records prepared and encoded elsewhere (prepare-job.ts, encode.ts), applied in the batch's
// transaction on PostgreSQL: judged as parsed records are (apply.ts), then their rows sent as the
// bytes they already are, with only the deadline columns written here, from the rules read in
// this transaction. A record whose dossier has stored deltas (one that arrived before it) is read
// again from its raw payload and merged as a parsed record is: rare, and the merge needs the record.
import type { Db } from "../db/client.js";
import { postgresTransactionOf } from "../db/client.js";
import { CopyLines } from "../db/copy.js";
import type { DossierStatus } from "../deadlines/dossier-record.js";
import { type DeadlineRecord, loadDeadlineContext } from "../dossiers/deadlines.js";
import {
  type ApplyCounts,
  type DossierToWrite,
  deleteChildren,
  insertedAsJudged,
  judgedAgain,
  judgeRecords,
  type PreparedRecord,
  rowWriterOf,
  type StoredState,
  upsertCatalogue,
  upsertCatalogueRows,
  writeDossiers,
} from "./apply.js";
import { deltasOf } from "./delta-store.js";
import {
  CHANNELS,
  catalogueOf,
  compareKeys,
  deadlineCells,
  type EncodedRecords,
  FIELDS,
  Field,
  historyLine,
  KEYS,
  PAUSE_KINDS,
  rawJsonOf,
} from "./encode.js";
import { mergeDeltas } from "./merge.js";
import { historyRows } from "./rows.js";
import { copyHistoryLines, copyPauses, copySteps, stampOf, upsertDossierLines } from "./rows-copy.js";
import type { Lap } from "./timeline.js";

export interface EncodedApplyOptions {
  sourceId: string | null;
  /** The record prepared again from its raw payload's JSON (for a merge, or its catalogue rows). */
  reread(rawJson: string): PreparedRecord;
  /** Closes a span of the import's timeline at each statement answered (timeline.ts). */
  lap?: Lap;
}

/** Record i of a batch, to write, with the stored state it replaces. */
interface Write {
  i: number;
  previous?: StoredState;
}

const at = (n: number) => (Number.isNaN(n) ? null : new Date(n));

/** What the transaction needs of encoded records: their keys split once, their numbers read in place. */
class EncodedView {
  private readonly keys: string[];

  constructor(readonly encoded: EncodedRecords) {
    this.keys = encoded.keys.split("\u0000");
  }

  code = (i: number) => this.keys[i * KEYS];
  order = (i: number) => this.keys[i * KEYS + 1];
  number = (i: number, field: number) => this.encoded.numbers[i * FIELDS + field];

  /** What its deadline rules are read by. */
  rulesKey(i: number) {
    return { agencyCode: this.keys[i * KEYS + 2], procedureCode: this.keys[i * KEYS + 3] };
  }

  /** What its deadlines are computed from. */
  deadlineRecord(i: number): DeadlineRecord {
    const pauses = [];
    const from = this.number(i, Field.pauseFrom);
    for (let p = from; p < from + this.number(i, Field.pauseCount); p++) {
      const values = this.encoded.pauses;
      pauses.push({
        kind: PAUSE_KINDS[values[p * 3]],
        startedAt: new Date(values[p * 3 + 1]),
        endedAt: at(values[p * 3 + 2]),
        reason: null,
      });
    }
    return {
      agencyCode: this.keys[i * KEYS + 2],
      procedureCode: this.keys[i * KEYS + 3],
      channel: CHANNELS[this.number(i, Field.channel)],
      status: this.number(i, Field.status) as DossierStatus,
      receivedAt: new Date(this.number(i, Field.receivedAt)),
      promisedDueAt: at(this.number(i, Field.promisedDueAt)),
      finishedAt: at(this.number(i, Field.finishedAt)),
      returnedAt: at(this.number(i, Field.returnedAt)),
      pauses,
    };
  }

  /** What its history compares. */
  historyRecord(i: number) {
    return {
      code: this.code(i),
      status: this.number(i, Field.status) as DossierStatus,
      promisedDueAt: at(this.number(i, Field.promisedDueAt)),
      sourceUpdatedAt: new Date(this.number(i, Field.sourceUpdatedAt)),
    };
  }

  bytes(i: number, from: number, to: number): Uint8Array {
    return this.encoded.bytes.subarray(this.number(i, from), this.number(i, to));
  }
}

/** Applies encoded records; runs inside the caller's transaction on PostgreSQL. */
export async function applyEncodedRecords(
  tx: Db,
  encoded: EncodedRecords,
  now: Date,
  options: EncodedApplyOptions,
): Promise<ApplyCounts> {
  return judgedAgain(tx, () => applyJudged(tx, encoded, now, options));
}

async function applyJudged(
  tx: Db,
  encoded: EncodedRecords,
  now: Date,
  options: EncodedApplyOptions,
): Promise<ApplyCounts> {
  const view = new EncodedView(encoded);
  const indexes = Array.from({ length: encoded.count }, (_, i) => i);
  const lap = options.lap ?? (() => {});
  const judged = await judgeRecords(tx, indexes, (i) => ({ code: view.code(i), order: view.order(i) }));
  lap("read stored versions");
  const changed: Write[] = judged.changed.map((c) => ({ i: c.record, previous: c.previous }));
  if (changed.length === 0) return judged.counts;
  const deltas = await deltasOf(
    tx,
    changed.map((c) => view.code(c.i)),
  );
  lap("read stored deltas");
  const merged = new Map<number, DossierToWrite>();
  for (const { i, previous } of changed) {
    const stored = deltas.get(view.code(i));
    if (!stored) continue;
    const prepared = options.reread(rawJsonOf(encoded, i));
    const withDeltas = mergeDeltas(prepared.record, prepared.hash, stored);
    merged.set(i, { ...prepared, record: withDeltas, sourceId: options.sourceId, previous });
  }
  await upsertCatalogueOf(tx, view, changed, merged, options);
  lap("upsert procedures, officials");
  const plain = changed.filter((c) => !merged.has(c.i));
  if (plain.length > 0) await writeEncoded(tx, view, plain, now, lap);
  if (merged.size > 0) {
    await writeDossiers(tx, [...merged.values()], now, rowWriterOf(tx), { catalogued: true });
    lap("write merged records");
  }
  return judged.counts;
}

/**
 * One upsert of the catalogue for every record written, as for parsed records (the last mention
 * wins): the rows the encoder gathered when all of the batch is written as it was read, else each
 * written record's own, read again.
 */
async function upsertCatalogueOf(
  tx: Db,
  view: EncodedView,
  changed: Write[],
  merged: Map<number, DossierToWrite>,
  options: EncodedApplyOptions,
): Promise<void> {
  const { encoded } = view;
  if (changed.length === encoded.count && merged.size === 0) {
    const officials = encoded.officials === "[]" ? null : encoded.officials;
    await upsertCatalogueRows(tx, { procedures: encoded.procedures, officials });
    return;
  }
  const entries = changed.map(({ i }) => {
    const record = merged.get(i)?.record ?? options.reread(rawJsonOf(encoded, i)).record;
    return catalogueOf(record);
  });
  await upsertCatalogue(tx, entries);
}

/** The same rows writeDossiers writes, from their bytes. */
async function writeEncoded(tx: Db, view: EncodedView, writes: Write[], now: Date, lap: Lap): Promise<void> {
  const client = postgresTransactionOf(tx);
  if (!client) throw new Error("encoded records are written with COPY, on a postgres.js transaction");
  const deadlines = await loadDeadlineContext(
    tx,
    writes.map((w) => view.rulesKey(w.i)),
    now,
  );
  lap("read deadline rules");
  const dossiers = new CopyLines();
  const stamp = stampOf(now);
  // Each record's deadline input is made as it is computed: kept for the whole transaction, a
  // batch's inputs outlive young-generation collections and fill the main thread's old space.
  // Dossiers in key order (compareKeys); their children's lines keep the batch's order, whose
  // neighbours join into one range of the encoded bytes.
  for (const { i } of inCodeOrder(view, writes)) {
    dossiers.add(stamp + deadlineCells(deadlines.compute(view.deadlineRecord(i))));
    dossiers.addBytes(view.bytes(i, Field.start, Field.steps));
  }
  lap("compute deadlines");
  const fresh = writes.every((w) => w.previous === undefined);
  const replaced = await upsertDossierLines(tx, client, dossiers, now, { fresh });
  dossiers.release();
  insertedAsJudged(replaced, () => writes.filter((w) => !w.previous).map((w) => view.code(w.i)));
  lap("COPY + upsert dossiers");
  await deleteChildren(tx, replaced);
  lap("delete old steps, pauses");
  await copySteps(client, runsOf(view, writes, Field.steps, Field.pauses));
  lap("COPY steps");
  await copyPauses(client, runsOf(view, writes, Field.pauses, Field.history));
  lap("COPY pauses");
  await copyHistoryLines(client, historyLines(view, writes));
  lap("COPY history");
}

const inCodeOrder = (view: EncodedView, writes: Write[]) =>
  [...writes].sort((a, b) => compareKeys(view.code(a.i), view.code(b.i)));

/**
 * The history rows historyRows gives, as lines: a dossier written for the first time has its lines
 * encoded with the record; one that replaces a stored version compares with it here.
 */
function historyLines(view: EncodedView, writes: Write[]): CopyLines {
  if (writes.every((w) => w.previous === undefined)) return runsOf(view, writes, Field.history, Field.end);
  const lines = new CopyLines();
  for (const { i, previous } of writes) {
    if (previous === undefined) {
      lines.addBytes(view.bytes(i, Field.history, Field.end));
      continue;
    }
    for (const h of historyRows([{ record: view.historyRecord(i), previous }])) lines.add(historyLine(h));
  }
  return lines;
}

/** The records' [from, to) byte ranges, neighbours joined (a batch's records mostly all change). */
function runsOf(view: EncodedView, writes: Write[], from: number, to: number): CopyLines {
  const lines = new CopyLines();
  const { bytes } = view.encoded;
  let start = -1;
  let end = -1;
  for (const { i } of writes) {
    const a = view.number(i, from);
    const b = view.number(i, to);
    if (a === b) continue;
    if (a !== end) {
      if (end > start) lines.addBytes(bytes.subarray(start, end));
      start = a;
    }
    end = b;
  }
  if (end > start) lines.addBytes(bytes.subarray(start, end));
  return lines;
}
