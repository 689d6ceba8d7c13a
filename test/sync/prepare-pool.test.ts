// The prepare pool's threads give what the caller's thread gives: the same encoded rows, the same
// rejections and quarantine copies, the same malformed position, the same error; and a thread that
// dies with a batch in hand loses nothing and doubles nothing (the batch is prepared again).
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { generateDossiers, generateProvince } from "../../src/demo/generator.js";
import { toCanonical } from "../../src/sync/formats/canonical.js";
import { syncContextOf } from "../../src/sync/prepare.js";
import { type PrepareJob, runPrepareJob } from "../../src/sync/prepare-job.js";
import { createPreparePool, type PreparePool, type SpawnWorker } from "../../src/sync/prepare-pool.js";
import { defaultDialect } from "../../src/sync/sources.js";

const province = generateProvince(5);
const context = syncContextOf(
  {
    agencies: province.agencies.map((a) => ({ code: a.code, name: a.name, path: `/${a.code}/` })),
    aliases: [],
  },
  defaultDialect("test"),
);
const records = [
  ...generateDossiers(province, {
    seed: 5,
    count: 120,
    from: new Date("2025-02-01T00:00:00+07:00"),
    to: new Date("2025-05-31T00:00:00+07:00"),
    asOf: new Date("2025-06-01T08:00:00+07:00"),
  }),
].map((r) => toCanonical(r) as unknown as Record<string, unknown>);

/** Valid records, refused ones (a field, an agency, U+0000, JSON.stringify's own form or not), as NDJSON. */
const LINES = [
  ...records.slice(0, 40).map((r) => JSON.stringify(r)),
  JSON.stringify({ ...records[40], status: 11 }),
  JSON.stringify({ ...records[41], agencyCode: "KHONG-CO" }),
  JSON.stringify({ ...records[42], applicant: { ...(records[42].applicant as object), name: "a\u0000b" } }),
  JSON.stringify(records[43], null, 1).replaceAll("\n", " "),
  JSON.stringify({ ...records[44], extra: { note: "tab\there \\ back\\slash é" } }),
  "[1, 2]",
  ...records.slice(45, 100).map((r) => JSON.stringify(r)),
];

const input = { source: "file" as const, format: "canonical" as const, now: new Date(0), offset: 7 };

function linesJob(lines: string[]): PrepareJob {
  const bytes = new Uint8Array(new SharedArrayBuffer(Buffer.byteLength(lines.join("\n"))));
  const bounds: number[] = [];
  let at = 0;
  for (const line of lines) {
    const written = Buffer.from(line);
    bytes.set(written, at);
    bounds.push(at, at + written.length);
    at += written.length + 1;
  }
  const numbers = Uint32Array.from(lines.map((_, i) => i + 1));
  return { input, messages: { kind: "lines", bytes, bounds: Uint32Array.from(bounds), lines: numbers } };
}

const valuesJob = (values: unknown[]): PrepareJob => ({ input, messages: { kind: "values", values } });

/** A pushed body ({ records }) as received: read on the thread, its format and kind given back. */
const bodyJob = (text: string): PrepareJob => ({
  input,
  messages: { kind: "body", bytes: new TextEncoder().encode(text), shape: { shape: "push" } },
});

/** Real prepare threads; `onPost` is called with each one's worker after it is sent a job. */
function spawning(onPost: (worker: Worker, posted: number) => void): SpawnWorker {
  let posted = 0;
  return () => {
    const worker = new Worker(new URL("../../src/runtime/thread-boot.mjs", import.meta.url), {
      workerData: { entry: new URL("../../src/sync/prepare-worker.ts", import.meta.url).href },
    });
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, transfer) => {
      post(message, transfer);
      onPost(worker, ++posted);
    };
    return worker;
  };
}

const pools: PreparePool[] = [];
const pool = (options: Parameters<typeof createPreparePool>[0] = {}) => {
  const created = createPreparePool({ size: 2, ...options });
  if (!created) throw new Error("worker threads are not available");
  pools.push(created);
  return created;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe("prepare pool", () => {
  it("prepares what the caller's thread prepares: rows, rejections, quarantine, in order", async () => {
    const threads = pool();
    const jobs = [
      linesJob(LINES),
      valuesJob(LINES.slice(0, 60).map((l) => JSON.parse(l))),
      bodyJob(`{"format":"canonical","records":[${LINES.slice(0, 60).join(",")}]}`),
    ];
    for (const job of jobs) {
      const here = runPrepareJob(job, context);
      const there = await threads.prepare(job, context);
      expect(there.encoded.count).toBeGreaterThan(40);
      expect(there.rejected.map((r) => r.index)).toEqual([47, 48, 49, 52]);
      expect(Buffer.from(there.encoded.bytes).equals(Buffer.from(here.encoded.bytes))).toBe(true);
      expect(there).toEqual(here);
    }
  });

  it("reads a body as the caller's thread reads it, and refuses it alike", async () => {
    const threads = pool();
    const read = await threads.prepare(bodyJob(`{"records":[${LINES.slice(0, 3).join(",")}]}`), context);
    expect(read.body).toEqual({ read: { format: "canonical", kind: "record" } });
    expect(read.encoded.count).toBe(3);
    for (const text of ['{"records": [', '{"records": {}}']) {
      const here = runPrepareJob(bodyJob(text), context);
      expect(here.body).toMatchObject({ refused: { status: 400 } });
      expect(here.encoded.count).toBe(0);
      expect(await threads.prepare(bodyJob(text), context)).toEqual(here);
    }
  });

  it("reads a body's records from their bytes as it reads them parsed: the same rows, rejections, quarantine", () => {
    const parsed = LINES.map((l) => JSON.parse(l));
    const asValues = runPrepareJob(valuesJob(parsed), context);
    // Compact, as JSON.stringify writes it (the records' own bytes stored), and spaced (serialised).
    for (const text of [`{"records":[${LINES.join(",")}]}`, JSON.stringify({ records: parsed }, null, 2)]) {
      const { body, ...fromBytes } = runPrepareJob(bodyJob(text), context);
      expect(body).toEqual({ read: { format: "canonical", kind: "record" } });
      expect(Buffer.from(fromBytes.encoded.bytes).equals(Buffer.from(asValues.encoded.bytes))).toBe(true);
      expect(fromBytes).toEqual(asValues);
    }
    // A record that is not JSON makes the body not JSON: refused whole, nothing prepared.
    const broken = runPrepareJob(bodyJob(`{"records":[${LINES[0]},{"code":]}`), context);
    expect(broken.body).toEqual({ refused: { status: 400, message: "Malformed JSON in request body" } });
    expect(broken.encoded.count).toBe(0);
  });

  it("writes a later job's rows into memory lent back, and gives the same rows", async () => {
    const threads = pool({ size: 1 });
    const first = await threads.prepare(linesJob(LINES), context);
    const lent = first.encoded.bytes.buffer;
    expect(lent).toBeInstanceOf(SharedArrayBuffer);
    const firstRows = Buffer.from(first.encoded.bytes);
    threads.lend(first);
    const job = linesJob(LINES.slice(50, 90));
    const second = await threads.prepare(job, context);
    expect(second.encoded.bytes).toEqual(runPrepareJob(job, context).encoded.bytes);
    // The lent memory, seen through the first job's view of it, now holds the second job's rows.
    const seen = new Uint8Array(lent, 0, second.encoded.bytes.length);
    expect(Buffer.from(seen).equals(Buffer.from(second.encoded.bytes))).toBe(true);
    expect(Buffer.from(seen).equals(firstRows.subarray(0, seen.length))).toBe(false);
  });

  it("stops where the caller's thread stops: at the first text that is not JSON", async () => {
    const job = linesJob([...LINES.slice(0, 5), '{"code": "x",', ...LINES.slice(5, 10)]);
    const here = runPrepareJob(job, context);
    expect(here.read).toBe(5);
    expect(here.malformed).toMatchObject({ index: 12, line: 6, column: 1 });
    expect(await pool().prepare(job, context)).toEqual(here);
  });

  it("refuses a job with the error the caller's thread throws", async () => {
    const broken = { input, messages: { kind: "lines" } } as unknown as PrepareJob;
    const thrown = (() => {
      try {
        runPrepareJob(broken, context);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(thrown).toBeTruthy();
    await expect(pool().prepare(broken, context)).rejects.toThrow(thrown);
  });

  it("prepares a batch again on a new thread when its thread dies with it, once", async () => {
    const job = linesJob(LINES);
    const here = runPrepareJob(job, context);
    // The first thread is ended just after it is sent its job.
    const threads = pool({
      size: 1,
      spawn: spawning((worker, posted) => posted === 1 && void worker.terminate()),
    });
    const results = await Promise.all([
      threads.prepare(job, context),
      threads.prepare(valuesJob([]), context),
    ]);
    expect(results[0]).toEqual(here);
    expect(results[1].encoded.count).toBe(0);
    expect(await threads.prepare(job, context)).toEqual(here);
  });

  it("refuses a batch that ends every thread it is given", async () => {
    const threads = pool({ size: 1, spawn: spawning((worker) => void worker.terminate()) });
    await expect(threads.prepare(linesJob(LINES), context)).rejects.toThrow(/ended 3 worker threads/);
  });
});
