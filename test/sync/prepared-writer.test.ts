// Batches prepared for COPY (prepare-job.ts: encoded rows, deadlines written in the transaction)
// store exactly what parsed records written with the JSON writer store: the same batches (inserts,
// updates, stale and unchanged records, the same dossier twice, text COPY must escape, a dump line
// not in JSON.stringify's form), read from NDJSON lines on the pool's threads or from values in the
// caller's, give the same counts and the same checksum over every table.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { generateDossiers, generateProvince } from "../../src/demo/generator.js";
import { type ApplyCounts, applyRecords } from "../../src/sync/apply.js";
import { toCanonical } from "../../src/sync/formats/canonical.js";
import { applyPrepared, prepareBatch } from "../../src/sync/pipeline.js";
import { syncContextOf } from "../../src/sync/prepare.js";
import { type PreparedJob, runPrepareJob } from "../../src/sync/prepare-job.js";
import { createPreparePool } from "../../src/sync/prepare-pool.js";
import { jsonRowWriter } from "../../src/sync/rows-json.js";
import { defaultDialect } from "../../src/sync/sources.js";
import { createTestDatabase, onPostgres } from "../helpers/db.js";
import { fingerprint } from "../helpers/fingerprint.js";
import { canonicalRecord } from "../helpers/records.js";

const TABLES = ["dossiers", "dossier_steps", "dossier_pauses", "dossier_history", "procedures", "officials"];
const NOT_FROM_RECORDS = ["id", "created_at", "updated_at"];
const NOW = new Date("2026-01-05T01:00:00Z");

type Raw = Record<string, unknown>;

const generated: Raw[] = [
  ...generateDossiers(generateProvince(9), {
    seed: 9,
    count: 120,
    from: new Date("2025-03-01T00:00:00+07:00"),
    to: new Date("2025-09-30T00:00:00+07:00"),
    asOf: new Date("2025-10-01T08:00:00+07:00"),
  }),
].map((r) => toCanonical(r) as unknown as Raw);

const tricky = (n: number, at: string): Raw =>
  canonicalRecord({
    code: `TRICKY-${n}`,
    procedureName: "Thủ tục\tcó tab",
    applicant: {
      name: `\\N ${n}`,
      idNumber: "\\.",
      address: "Dòng 1\nDòng 2",
      phone: null,
      email: null,
      kind: "citizen",
    },
    extra: { kept: "in raw\t\\ \n as sent", number: 1.5 },
    sourceUpdatedAt: at,
  });

const changed = (raw: Raw, i: number): Raw => ({
  ...raw,
  status: ((raw.status as number) % 10) + 1,
  promisedDueAt: i % 2 === 0 ? "2025-12-01T10:00:00+07:00" : null,
  pauses:
    i % 3 === 0
      ? [{ kind: "financial", startedAt: "2025-11-01T10:00:00+07:00", endedAt: null, reason: null }]
      : [],
  sourceUpdatedAt: "2025-12-31T10:00:00+07:00",
});

const BATCHES: Raw[][] = [
  [...generated, tricky(1, "2025-01-24T10:05:00+07:00"), tricky(2, "2025-01-24T10:05:00+07:00")],
  [
    ...generated.slice(0, 50).map(changed),
    tricky(1, "2025-02-01T10:05:00+07:00"),
    tricky(2, "2025-01-01T10:05:00+07:00"),
    changed(generated[100], 1),
    changed({ ...generated[100], sourceUpdatedAt: "2025-12-30T10:00:00+07:00" }, 2),
  ],
  [...generated, tricky(1, "2025-02-01T10:05:00+07:00")],
];

const agencyCodes = [...new Set(BATCHES.flat().map((r) => String(r.agencyCode)))];
const context = syncContextOf(
  { agencies: agencyCodes.map((code) => ({ code, name: code, path: `/${code}/` })), aliases: [] },
  defaultDialect("test"),
);

/** The batch as NDJSON lines, one of them written with spaces (not JSON.stringify's form). */
function lines(raws: Raw[]) {
  const texts = raws.map((r, i) =>
    i === 3 ? JSON.stringify(r, null, 1).replaceAll("\n", " ") : JSON.stringify(r),
  );
  const bytes = Buffer.from(texts.join("\n"));
  const bounds: number[] = [];
  let at = 0;
  for (const text of texts) {
    bounds.push(at, at + Buffer.byteLength(text));
    at += Buffer.byteLength(text) + 1;
  }
  return {
    kind: "lines" as const,
    bytes: new Uint8Array(bytes),
    bounds: Uint32Array.from(bounds),
    lines: Uint32Array.from(texts.map((_, i) => i + 1)),
  };
}

describe.skipIf(!onPostgres())("rows prepared for COPY", () => {
  const databases: Database[] = [];
  const threads = createPreparePool({ size: 2 });
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) databases.push(await createTestDatabase());
  });
  afterAll(async () => {
    await threads?.close();
    for (const database of databases) await database.close();
  });

  it("store what parsed records store, read from lines on threads or from values here", async () => {
    const [viaJson, viaLines, viaValues] = databases;
    const input = { source: "file" as const, format: "canonical" as const, now: NOW };
    const counts: ApplyCounts[][] = [];
    for (const raws of BATCHES) {
      const parsed = prepareBatch({ ...input, raws }, context);
      expect(parsed.rejected).toEqual([]);
      const json = await viaJson.db.transaction((tx) =>
        applyRecords(tx, parsed.records, NOW, { writer: jsonRowWriter }),
      );
      const job = { input, messages: lines(raws) };
      const onThreads: PreparedJob = threads
        ? await threads.prepare(job, context)
        : runPrepareJob(job, context);
      const here = runPrepareJob({ input, messages: { kind: "values", values: raws } }, context);
      const apply = (database: Database, prepared: PreparedJob) =>
        database.db.transaction((tx) => applyPrepared(tx, { ...input, raws: [] }, prepared, context));
      const [fromLines, fromValues] = [await apply(viaLines, onThreads), await apply(viaValues, here)];
      const { rejected: _, ...linesCounts } = fromLines;
      expect(linesCounts).toEqual(json);
      expect(fromValues).toEqual(fromLines);
      counts.push([json]);
    }
    expect(counts.flat()).toEqual([
      { inserted: 122, updated: 0, unchanged: 0, stale: 0, pending: 0 },
      { inserted: 0, updated: 52, unchanged: 0, stale: 2, pending: 0 },
      { inserted: 0, updated: 0, unchanged: 70, stale: 51, pending: 0 },
    ]);
    const [json, fromLines, fromValues] = await Promise.all(
      databases.map((d) => fingerprint(d, TABLES, NOT_FROM_RECORDS)),
    );
    expect(json.dossiers.rows).toBe(122);
    expect(json.dossier_history.rows).toBeGreaterThan(122);
    expect(fromLines).toEqual(json);
    expect(fromValues).toEqual(json);
  });

  it("store what parsed records store when a batch mixes dossiers seen before and new ones", async () => {
    const mixed = [generated.slice(0, 60), [...generated.slice(0, 30).map(changed), ...generated.slice(60)]];
    const [viaJson, viaLines] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    databases.push(viaJson, viaLines);
    const input = { source: "file" as const, format: "canonical" as const, now: NOW };
    for (const raws of mixed) {
      const parsed = prepareBatch({ ...input, raws }, context);
      const json = await viaJson.db.transaction((tx) =>
        applyRecords(tx, parsed.records, NOW, { writer: jsonRowWriter }),
      );
      const prepared = runPrepareJob({ input, messages: lines(raws) }, context);
      const { rejected: _, ...counts } = await viaLines.db.transaction((tx) =>
        applyPrepared(tx, { ...input, raws: [] }, prepared, context),
      );
      expect(counts).toEqual(json);
    }
    const [json, fromLines] = await Promise.all(
      [viaJson, viaLines].map((d) => fingerprint(d, TABLES, NOT_FROM_RECORDS)),
    );
    expect(json.dossier_history.rows).toBeGreaterThan(120);
    expect(fromLines).toEqual(json);
  });
});
