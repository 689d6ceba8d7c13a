// Worker threads, one per core, that prepare sync batches (prepare-job.ts) while the main thread
// moves ready bytes to PostgreSQL: parsing, validating, hashing and encoding a record costs ten
// times what sending it does, and on one thread the server waited for the importer and the
// importer for the server. node:worker_threads is reached through process.getBuiltinModule, not
// imported, so that the Workers bundle (src/worker.ts, which imports the sync routes) never loads
// it; there, and wherever a thread cannot be started, batches are prepared in the caller's thread.
import { createHash } from "node:crypto";
import type { Worker } from "node:worker_threads";
import type { SyncContext } from "./prepare.js";
import { type ContextData, type PreparedJob, type PrepareJob, runPrepareJob } from "./prepare-job.js";

export interface PreparePool {
  readonly size: number;
  /** The job prepared on a worker; run again on a new one if its worker dies meanwhile. */
  prepare(job: PrepareJob, context: SyncContext): Promise<PreparedJob>;
  /**
   * Takes back the memory a prepared job's rows were encoded into, once its caller has sent them
   * (its transaction committed): a later job writes into it. Shared memory is not counted by the
   * heap of the thread holding it, so nothing would hurry its collection: megabytes a batch, left
   * to wait (the service's peak memory under pushes is in docs/BENCHMARKS.md).
   */
  lend(prepared: PreparedJob): void;
  close(): Promise<void>;
}

/** Messages between the pool and a worker (prepare-worker.ts). */
export interface JobRequest {
  id: number;
  job: PrepareJob;
  context: { key: string; data?: ContextData };
}
export type JobAnswer = { id: number; result: PreparedJob } | { id: number; error: string };

/** A job is tried on at most this many workers: one that kills every worker it meets is refused. */
const MAX_ATTEMPTS = 3;

export type SpawnWorker = () => Worker;

interface Pending {
  id: number;
  job: PrepareJob;
  context: SyncContext;
  attempts: number;
  resolve(result: PreparedJob): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** Context keys this worker was sent. */
  contexts: Set<string>;
  job?: Pending;
  /** Why it ended, when an uncaught error ended it. */
  error?: Error;
}

type WorkerThreads = typeof import("node:worker_threads");

function workerThreads(): WorkerThreads | undefined {
  // workerd (nodejs_compat) lists node:worker_threads, but a Worker isolate cannot start threads.
  if ((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers") {
    return undefined;
  }
  try {
    const threads = process.getBuiltinModule?.("node:worker_threads");
    return typeof threads?.Worker === "function" ? threads : undefined;
  } catch {
    return undefined;
  }
}

/** One thread per core (node:os reached as node:worker_threads is, for the same reason). */
const cores = () => process.getBuiltinModule?.("node:os")?.availableParallelism() ?? 2;

/** Workers running prepare-worker.ts, which runtime/thread-boot.mjs loads through tsx. */
function spawnPrepareWorker(threads: WorkerThreads): SpawnWorker {
  const boot = new URL("../runtime/thread-boot.mjs", import.meta.url);
  const entry = new URL("./prepare-worker.ts", import.meta.url).href;
  return () => new threads.Worker(boot, { workerData: { entry } });
}

const contextKeys = new WeakMap<SyncContext, string>();

/** Names a context by its content, so that each worker is sent each catalogue once. */
function contextKey(context: SyncContext, data: ContextData): string {
  let key = contextKeys.get(context);
  if (!key) {
    key = createHash("sha256").update(JSON.stringify(data)).digest("base64");
    contextKeys.set(context, key);
  }
  return key;
}

/** A pool of `size` workers; undefined where worker threads cannot be started. */
export function createPreparePool(
  options: { size?: number; spawn?: SpawnWorker } = {},
): PreparePool | undefined {
  const threads = workerThreads();
  if (!options.spawn && !threads) return undefined;
  const spawn = options.spawn ?? spawnPrepareWorker(threads as WorkerThreads);
  const size = options.size ?? cores();
  const queue: Pending[] = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;
  // Batches in flight are a few a thread: more spare memory than this would only be kept.
  const spares: SharedArrayBuffer[] = [];
  const withSpare = (job: PrepareJob): PrepareJob => {
    const memory = job.memory ?? spares.pop();
    return memory ? { ...job, memory } : job;
  };
  // Workers lost in a row with no answer between: past a few per slot, threads cannot run here.
  let losses = 0;

  const start = (): Slot => {
    const slot: Slot = { worker: spawn(), contexts: new Set() };
    slot.worker.on("message", (answer: JobAnswer) => finish(slot, answer));
    // An uncaught error ends the thread too: both are handled once, at its exit.
    slot.worker.on("error", (error) => {
      slot.error = error;
    });
    slot.worker.once("exit", () => lost(slot));
    slot.worker.unref();
    return slot;
  };

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.job || queue.length === 0) continue;
      const pending = queue.shift() as Pending;
      slot.job = pending;
      const data = { catalogue: pending.context.catalogue!, dialect: pending.context.dialect };
      const key = contextKey(pending.context, data);
      const request: JobRequest = {
        id: pending.id,
        job: pending.job,
        context: slot.contexts.has(key) ? { key } : { key, data },
      };
      slot.contexts.add(key);
      // Busy workers keep the process alive; idle ones do not (a CLI ends when its work does).
      slot.worker.ref();
      slot.worker.postMessage(request);
    }
  };

  const finish = (slot: Slot, answer: JobAnswer) => {
    const pending = slot.job;
    if (!pending || pending.id !== answer.id) return;
    slot.job = undefined;
    losses = 0;
    slot.worker.unref();
    if ("error" in answer) pending.reject(new Error(answer.error));
    else pending.resolve(answer.result);
    dispatch();
  };

  /** A worker ended: its job, if it had one, goes back to the queue for a new worker. */
  const lost = (slot: Slot) => {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    const pending = slot.job;
    const reason = slot.error ? `: ${slot.error.message}` : "";
    losses++;
    if (closed || losses > MAX_ATTEMPTS * size) {
      slots.splice(index, 1);
      const refused = closed ? "the prepare pool was closed" : `worker threads keep ending${reason}`;
      for (const job of [...(pending ? [pending] : []), ...(closed ? [] : queue.splice(0))]) {
        job.reject(new Error(refused));
      }
      closed = true;
      return;
    }
    slots[index] = start();
    if (pending) {
      pending.attempts++;
      if (pending.attempts >= MAX_ATTEMPTS) {
        pending.reject(new Error(`a sync batch ended ${MAX_ATTEMPTS} worker threads in a row${reason}`));
      } else {
        queue.unshift(pending);
      }
    }
    dispatch();
  };

  for (let i = 0; i < size; i++) slots.push(start());

  return {
    size,
    prepare(job, context) {
      if (closed) return Promise.reject(new Error("the prepare pool was closed"));
      if (!context.catalogue) return Promise.resolve(runPrepareJob(withSpare(job), context));
      return new Promise<PreparedJob>((resolve, reject) => {
        queue.push({ id: nextId++, job: withSpare(job), context, attempts: 0, resolve, reject });
        dispatch();
      });
    },
    lend(prepared) {
      const memory = prepared.encoded.bytes.buffer;
      if (memory instanceof SharedArrayBuffer && spares.length < 2 * size) spares.push(memory);
    },
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error("the prepare pool was closed"));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}

let shared: PreparePool | null | undefined;

/**
 * The process's pool, started on first use. One per process, sized to its cores, whatever asks:
 * the file import and every request share the threads, as they share the cores. Null where there
 * are no worker threads.
 */
export function sharedPreparePool(): PreparePool | null {
  if (shared === undefined) {
    try {
      shared = createPreparePool() ?? null;
    } catch {
      // A runtime that has node:worker_threads but cannot start a thread (workerd's is a stub).
      shared = null;
    }
  }
  return shared;
}
