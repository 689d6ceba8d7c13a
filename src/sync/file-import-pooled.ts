// File import on PostgreSQL: the main thread cuts the dump into batches of bytes (dump-batches.ts),
// the pool's threads prepare and encode them (prepare-job.ts), and the main thread only sends the
// encoded rows, one transaction per batch. Batches are prepared ahead while earlier ones are
// written, and one more are written at once than there are threads (each on its own connection, so
// PostgreSQL uses every core too) as long as they name no dossier in common: two versions of one
// dossier (nor one quarantined message) are never written concurrently, and which is written last
// does not matter (src/sync/order.ts). Progress and the summary are counted in file order.
import type { Db } from "../db/client.js";
import { type DumpBatch, dumpBatches } from "./dump-batches.js";
import { MalformedDumpError } from "./dump-reader.js";
import { KEYS } from "./encode.js";
import type { ImportOptions, ImportTally } from "./file-import-tally.js";
import { applyPrepared, type SyncResult } from "./pipeline.js";
import type { SyncContext, SyncInput } from "./prepare.js";
import type { PreparedJob } from "./prepare-job.js";
import type { PreparePool } from "./prepare-pool.js";
import { addPreparedBatch, lapsInto } from "./timeline.js";

interface Preparing {
  batch: DumpBatch;
  /** Its position in the file, from 0 (the timeline's batch number). */
  position: number;
  prepared: Promise<PreparedJob>;
}

interface Writing {
  codes: Set<string>;
  /** The timeline's lane: which of the concurrent writers. */
  writer: number;
  done: Promise<unknown>;
}

export async function importPrepared(
  db: Db,
  options: ImportOptions & { batchSize: number },
  context: SyncContext,
  pool: PreparePool,
  tally: ImportTally,
): Promise<void> {
  const now = options.now ?? (() => new Date());
  const input = (offset: number): Omit<SyncInput, "raws"> => ({
    source: "file",
    format: options.format,
    sourceId: options.sourceId,
    now: new Date(0),
    offset,
  });
  const batches = dumpBatches(options.path, options.batchSize, options.kind);
  // One batch being prepared per thread: each batch in flight holds its bytes twice (read, encoded).
  const ahead = pool.size;
  const preparing: Preparing[] = [];
  const writing = new Set<Writing>();
  const results = new Map<number, { result: SyncResult; size: number }>();
  const { timeline } = options;
  let reported = 0;
  let sequence = 0;
  let positions = 0;
  let reading = true;
  let malformed: MalformedDumpError | undefined;
  let failure: unknown;

  const report = () => {
    for (let next = results.get(reported); next; next = results.get(reported)) {
      results.delete(reported++);
      tally.add(next.result, next.size);
    }
  };
  const readAhead = async () => {
    while (reading && preparing.length < ahead) {
      const next = await batches.next();
      if (next.done) {
        reading = false;
        break;
      }
      const batch = next.value;
      if (batch.error) reading = false;
      const position = positions++;
      const job = { input: input(batch.offset), messages: batch.messages, timed: Boolean(timeline) };
      const prepared = pool.prepare(job, context).then((done) => {
        if (timeline && done.timing) addPreparedBatch(timeline, position, done.timing);
        return done;
      });
      preparing.push({ batch, position, prepared });
    }
  };
  const write = (prepared: PreparedJob, size: number, codes: Set<string>, position: number) => {
    const seq = sequence++;
    const applied = { ...input(0), raws: [], now: now() };
    const busy = new Set([...writing].map((w) => w.writer));
    let writer = 1;
    while (busy.has(writer)) writer++;
    const lap = timeline ? lapsInto(timeline, position, `writer ${writer}`) : undefined;
    const entry: Writing = {
      codes,
      writer,
      done: db
        .transaction((tx) => applyPrepared(tx, applied, prepared, context, lap))
        .then(
          (result) => {
            lap?.("commit");
            results.set(seq, { result, size });
            report();
            // Its rows sent: their memory is the next jobs' (no new megabytes a batch for either thread).
            pool.lend(prepared);
          },
          (error) => {
            failure ??= error;
          },
        )
        .finally(() => writing.delete(entry)),
    };
    writing.add(entry);
  };

  try {
    await readAhead();
    while (preparing.length > 0 && failure === undefined) {
      const { batch, position, prepared: pending } = preparing.shift() as Preparing;
      const prepared = await pending;
      const codes = rowsNamed(prepared);
      while (writing.size >= WRITERS(pool.size) || [...writing].some((w) => sharesCode(w.codes, codes))) {
        await Promise.race([...writing].map((w) => w.done));
      }
      if (failure !== undefined) break;
      if (prepared.malformed) {
        const { reason, index, line, column } = prepared.malformed;
        malformed = new MalformedDumpError(reason, index, line, column);
        write(prepared, prepared.read, codes, position);
        break;
      }
      write(prepared, batch.size, codes, position);
      if (batch.error) malformed = batch.error;
      await readAhead();
    }
  } finally {
    reading = false;
    await Promise.all([...writing].map((w) => w.done));
    // Batches read ahead of a malformed record are not written; their preparation is let go.
    for (const left of preparing.splice(0)) left.prepared.catch(() => {});
    await batches.return(undefined);
  }
  if (failure !== undefined) throw failure;
  timeline?.closeCpu("main thread");
  if (malformed) tally.stop(malformed);
}

/**
 * Batches written at once: one more than the pool's threads. With one per thread the writers were
 * always waiting on PostgreSQL while the two cores were not full: a writer's statement waits on
 * more than its backend's CPU, and a third batch in flight keeps the cores busier.
 */
const WRITERS = (threads: number) => threads + 1;

/** What a batch writes that another may too: its dossiers, and its quarantined messages. */
function rowsNamed(prepared: PreparedJob): Set<string> {
  const { keys, count } = prepared.encoded;
  const rows = new Set(keys.split("\u0000", count * KEYS).filter((_, k) => k % KEYS === 0));
  for (const q of prepared.quarantined) rows.add(`\u0000${q.hash}`);
  return rows;
}

function sharesCode(a: Set<string>, b: Set<string>): boolean {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const code of small) if (large.has(code)) return true;
  return false;
}
