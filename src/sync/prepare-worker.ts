// A worker thread of the prepare pool (prepare-pool.ts): jobs in, prepared batches out, their
// encoded bytes shared (byte-writer.ts) or transferred rather than copied. Each context (catalogue
// and dialect) is sent once and kept under its key; a thread keeps the last few.
import { parentPort } from "node:worker_threads";
import type { SyncContext } from "./prepare.js";
import { contextFromData, runPrepareJob } from "./prepare-job.js";
import type { JobAnswer, JobRequest } from "./prepare-pool.js";

const KEPT_CONTEXTS = 4;
const contexts = new Map<string, SyncContext>();

function contextOf(request: JobRequest): SyncContext {
  const { key, data } = request.context;
  let context = contexts.get(key);
  if (!context) {
    if (!data) throw new Error(`context ${key} was never sent to this thread`);
    context = contextFromData(data);
    if (contexts.size >= KEPT_CONTEXTS) contexts.delete(contexts.keys().next().value as string);
    contexts.set(key, context);
  }
  return context;
}

const port = parentPort;
if (!port) throw new Error("prepare-worker.ts runs as a worker thread");
port.on("message", (request: JobRequest) => {
  let answer: JobAnswer;
  try {
    answer = { id: request.id, result: runPrepareJob(request.job, contextOf(request)) };
  } catch (error) {
    answer = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  const transfer: ArrayBuffer[] = [];
  if ("result" in answer) {
    const { bytes, numbers, pauses } = answer.result.encoded;
    for (const { buffer } of [bytes, numbers, pauses]) {
      // Shared memory is posted as it is (a SharedArrayBuffer cannot be transferred, nor needs to be).
      if (buffer instanceof ArrayBuffer) transfer.push(buffer);
    }
  }
  port.postMessage(answer, transfer);
});
