// A batch prepared for PostgreSQL: its messages read (JSON text parsed here, or values already
// parsed), each prepared by the pipeline's reader and, if it is a record, encoded at once into the
// batch's COPY bytes, so that no parsed tree outlives its message. Runs in a worker thread
// (prepare-pool.ts) or, for small batches and where there are no worker threads, in the caller's.
import type { AgencyCatalogue } from "../catalog/agency-resolver.js";
import type { PreparedDelta } from "./apply-deltas.js";
import { type EncodedRecords, RecordEncoder } from "./encode.js";
import { isStringifyForm } from "./json-form.js";
import type { Rejection } from "./parse.js";
import {
  emptyBatch,
  messageReader,
  type Quarantined,
  type SyncContext,
  type SyncInput,
  syncContextOf,
} from "./prepare.js";
import { type BodyRead, type BodyRefusal, type BodyShape, readBody, splitBody } from "./push-body.js";
import type { SourceDialect } from "./sources.js";
import {
  epochMs,
  type JobTiming,
  type PhaseTimes,
  type PreparePhase,
  type ThreadCpu,
  threadCpu,
} from "./timeline.js";

/** A batch's messages as the job receives them. */
export type JobMessages =
  /** Values already parsed (a pushed request's records). */
  | { kind: "values"; values: unknown[] }
  /** JSON texts (a JSON array dump's elements), each with where it starts in the file. */
  | { kind: "texts"; texts: string[]; lines: number[]; columns: number[] }
  /**
   * UTF-8 JSON texts (an NDJSON dump's lines): message i is bytes[bounds[2i], bounds[2i+1]), on
   * line lines[i] of the file.
   */
  | { kind: "lines"; bytes: Uint8Array; bounds: Uint32Array; lines: Uint32Array }
  /** A pushed request's body as received (UTF-8 JSON), read as its route's shape says (push-body.ts). */
  | { kind: "body"; bytes: Uint8Array; shape: BodyShape };

/** Messages as they are read one by one: a body is read first (runBodyJob), then as values. */
type MessageList = Exclude<JobMessages, { kind: "body" }>;

export interface PrepareJob {
  /** The batch's input but its messages; `offset` is its first message's index in the import. */
  input: Omit<SyncInput, "raws">;
  messages: JobMessages;
  /** Time each phase (the sync benchmark's timeline). */
  timed?: boolean;
  /**
   * Memory an earlier job's rows were encoded into, lent again by the caller once it sent them:
   * written into when large enough (its bytes are then the answer's), else let go.
   */
  memory?: SharedArrayBuffer;
}

/** A message that is not JSON: where, and what JSON.parse said. */
export interface MalformedMessage {
  reason: string;
  index: number;
  line: number;
  column: number;
}

export interface PreparedJob {
  encoded: EncodedRecords;
  deltas: PreparedDelta[];
  rejected: Rejection[];
  quarantined: Quarantined[];
  /** Messages read: all of them, or those before a malformed one. */
  read: number;
  malformed?: MalformedMessage;
  /** A body's reading (format, kind, sender), which the batch is written with; or why it was refused. */
  body?: { read: Omit<BodyRead, "messages"> } | { refused: BodyRefusal };
  /** When the job was timed (`PrepareJob.timed`). */
  timing?: JobTiming;
}

/** What a thread needs to read messages: plain data, sent once per context to each worker. */
export interface ContextData {
  catalogue: AgencyCatalogue;
  dialect: SourceDialect;
}

export const contextFromData = (data: ContextData): SyncContext =>
  syncContextOf(data.catalogue, data.dialect);

interface Message {
  value?: unknown;
  text?: string;
  /** The text's UTF-8, when it was read from bytes without a replacement character. */
  bytes?: Uint8Array;
  line: number;
  column: number;
}

/** The messages one by one: the value, or the text to parse and where it is. */
function* messagesOf(messages: MessageList): Generator<Message> {
  if (messages.kind === "values") {
    for (const value of messages.values) yield { value, line: 0, column: 0 };
  } else if (messages.kind === "texts") {
    for (let i = 0; i < messages.texts.length; i++) {
      yield { text: messages.texts[i], line: messages.lines[i], column: messages.columns[i] };
    }
  } else {
    const { bounds, lines } = messages;
    const bytes = Buffer.from(messages.bytes.buffer, messages.bytes.byteOffset, messages.bytes.length);
    for (let i = 0; i < lines.length; i++) {
      const [from, to] = [bounds[2 * i], bounds[2 * i + 1]];
      const text = bytes.toString("utf8", from, to);
      // Invalid UTF-8 was replaced by U+FFFD: the text's UTF-8 is no longer the line's bytes.
      const exact = !text.includes("\uFFFD");
      yield { text, line: lines[i], column: 1, ...(exact ? { bytes: bytes.subarray(from, to) } : {}) };
    }
  }
}

/** Reads, prepares and encodes every message of the job, stopping at one that is not JSON. */
export function runPrepareJob(job: PrepareJob, context: SyncContext): PreparedJob {
  const { messages } = job;
  if (messages.kind === "body") return runBodyJob(job, messages, context);
  const input: SyncInput = { ...job.input, raws: [] };
  const batch = emptyBatch(input);
  const started = epochMs();
  const phases: PhaseTimes | undefined = job.timed
    ? { parse: 0, validate: 0, map: 0, hash: 0, encode: 0 }
    : undefined;
  let clock = performance.now();
  const lap = phases
    ? (phase: PreparePhase) => {
        const now = performance.now();
        phases[phase] += now - clock;
        clock = now;
      }
    : undefined;
  const read = messageReader(batch, context, lap);
  const encoder = new RecordEncoder(input.sourceId ?? null, initialCapacity(messages), job.memory);
  const offset = input.offset ?? 0;
  let count = 0;
  let malformed: MalformedMessage | undefined;
  for (const message of messagesOf(messages)) {
    let value = message.value;
    if (message.text !== undefined) {
      try {
        value = JSON.parse(message.text);
      } catch (error) {
        const at = { index: offset + count, line: message.line, column: message.column };
        malformed = { reason: (error as Error).message, ...at };
        break;
      }
      lap?.("parse");
    }
    const json =
      message.text !== undefined && isStringifyForm(message.text)
        ? { text: message.text, ...(message.bytes ? { bytes: message.bytes } : {}) }
        : undefined;
    read(value, offset + count, json);
    count++;
    // Encoded as soon as it is prepared: the batch keeps bytes, not parsed records.
    for (const record of batch.records) encoder.add(record);
    batch.records.length = 0;
    lap?.("encode");
  }
  return {
    encoded: encoder.take(),
    deltas: batch.deltas,
    rejected: batch.rejected,
    quarantined: batch.quarantined,
    read: count,
    ...(malformed ? { malformed } : {}),
    ...(phases ? { timing: { thread: threadNumber(), start: started, phases, ...cpuOf(threadCpu()) } } : {}),
  };
}

/**
 * A body read first (its format, kind and sender are the batch's), then its messages: from their
 * bytes, as a dump's lines are, where the body can be split (splitBody); else parsed whole, then
 * taken as values, which is also how a body that is not JSON is refused.
 */
function runBodyJob(
  job: PrepareJob,
  body: JobMessages & { kind: "body" },
  context: SyncContext,
): PreparedJob {
  const split = splitBody(body.bytes, body.shape);
  if (split) {
    const { bytes } = body;
    const lines = new Uint32Array(split.bounds.length / 2);
    const messages: JobMessages = { kind: "lines", bytes, bounds: split.bounds, lines };
    const prepared = runPrepareJob({ ...job, input: bodyInput(job, split.read), messages }, context);
    // A message that is not JSON makes the body not JSON: read whole below, it is refused.
    if (!prepared.malformed) return { ...prepared, body: { read: split.read } };
  }
  const reading = readBody(body.bytes, body.shape);
  if ("refused" in reading) {
    const nothing = new RecordEncoder(null, 0).take();
    return { encoded: nothing, deltas: [], rejected: [], quarantined: [], read: 0, body: reading };
  }
  const { messages, ...read } = reading.read;
  const values: JobMessages = { kind: "values", values: messages };
  const prepared = runPrepareJob({ ...job, input: bodyInput(job, read), messages: values }, context);
  return { ...prepared, body: { read } };
}

/** The batch as the body says: its format, kind and sender. */
const bodyInput = (job: PrepareJob, read: Omit<BodyRead, "messages">): PrepareJob["input"] => ({
  ...job.input,
  format: read.format,
  kind: read.kind,
  sender: read.sender ?? job.input.sender,
});

const cpuOf = (cpu: ThreadCpu | undefined) => (cpu ? { cpu } : {});

/** The worker thread's id (0 on the main thread), read as the pool reaches node:worker_threads. */
const threadNumber = () => process.getBuiltinModule?.("node:worker_threads")?.threadId ?? 0;

/** Encoded rows take about twice what their JSON did (a record's five step lines repeat its instants). */
function initialCapacity(messages: MessageList): number {
  if (messages.kind === "lines") return Math.max(1 << 16, messages.bytes.length * 2);
  if (messages.kind === "texts") {
    let chars = 0;
    for (const text of messages.texts) chars += text.length;
    return Math.max(1 << 16, chars * 2);
  }
  return Math.max(1 << 16, messages.values.length * 4096);
}
