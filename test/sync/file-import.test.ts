// File import through the one pipeline: both layouts and both formats, idempotent on a second run,
// a malformed record stops the import after committing what came before; and the CLI as a process.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prepareDatabase } from "../../src/calendar/prepare-database.js";
import { type Database, openDatabase, queryRows } from "../../src/db/client.js";
import { generateDossiers, generateProvince, writeDump } from "../../src/demo/generator.js";
import { importFile } from "../../src/sync/file-import.js";
import { toCanonical } from "../../src/sync/formats/canonical.js";
import { PREPARE_PHASES, Timeline } from "../../src/sync/timeline.js";
import { catalogueAgencies } from "../helpers/catalogue.js";
import { createTestDatabase, onPostgres } from "../helpers/db.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const COUNT = 300;
const province = generateProvince(11);
const records = () =>
  generateDossiers(province, {
    seed: 11,
    count: COUNT,
    from: new Date("2025-03-01T00:00:00+07:00"),
    to: new Date("2025-06-30T00:00:00+07:00"),
    asOf: new Date("2025-07-01T08:00:00+07:00"),
  });

let dir: string;
let database: Database;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sync-file-"));
  database = await createTestDatabase();
  await catalogueAgencies(database.db, province.agencies);
});
afterAll(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await database.db.execute(
    sql`TRUNCATE dossiers, dossier_steps, dossier_pauses, dossier_history, sync_rejections`,
  );
});

const count = async (table: string) =>
  (await queryRows<{ n: number }>(database.db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0].n;

describe("importFile", () => {
  it.each([
    ["canonical", true],
    ["canonical", false],
    ["dvcqg", true],
    ["dvcqg", false],
  ] as const)("imports %s (ndjson: %s), then finds every record unchanged", async (format, ndjson) => {
    const path = join(dir, `dump-${format}-${ndjson}.json`);
    await writeDump(path, records(), { format, ndjson });
    const progress: number[] = [];
    const first = await importFile(database.db, {
      path,
      format,
      batchSize: 128,
      onProgress: (p) => progress.push(p.records),
    });
    expect(first).toMatchObject({ records: COUNT, inserted: COUNT, rejected: 0 });
    expect(first.malformed).toBeUndefined();
    expect(progress).toEqual([128, 256, 300]);
    expect(await count("dossiers")).toBe(COUNT);
    const steps = [...records()].reduce((n, r) => n + r.steps.length, 0);
    expect(await count("dossier_steps")).toBe(steps);

    const second = await importFile(database.db, { path, format, batchSize: 128 });
    expect(second).toMatchObject({ records: COUNT, inserted: 0, updated: 0, unchanged: COUNT });
  });

  it("stops at malformed JSON, naming record, line and column, after committing what came before", async () => {
    const lines = [...records()].map((r) => JSON.stringify(toCanonical(r)));
    lines.splice(250, 0, '{"code": "broken", "status": 4,,}');
    const path = join(dir, "broken.ndjson");
    await writeFile(path, `${lines.join("\n")}\n`);
    const summary = await importFile(database.db, { path, format: "canonical", batchSize: 100 });
    expect(summary.records).toBe(250);
    expect(summary.malformed).toMatchObject({ index: 250, line: 251, column: 1 });
    expect(summary.malformed?.message).toMatch(/record 250 \(line 251, column 1\)/);
    expect(await count("dossiers")).toBe(250);
  });

  it("counts and histories a dossier once when it comes again in the next batch", async () => {
    // Each run of 50 dossiers, then the same 50 in reverse: neighbouring batches, which the pooled
    // path would write at once (it writes three) but for the dossiers they share: the later waits
    // for the earlier, and either way (judgedAgain) finds them stored.
    const lines = [...records()].map((r) => JSON.stringify(toCanonical(r)));
    const twice: string[] = [];
    for (let at = 0; at < lines.length; at += 50) {
      const run = lines.slice(at, at + 50);
      twice.push(...run, ...[...run].reverse());
    }
    const path = join(dir, "twice.ndjson");
    await writeFile(path, `${twice.join("\n")}\n`);
    const summary = await importFile(database.db, { path, format: "canonical", batchSize: 50 });
    expect(summary).toMatchObject({ records: 2 * COUNT, inserted: COUNT, unchanged: COUNT, rejected: 0 });
    const history = await count("dossier_history");
    await database.db.execute(sql`TRUNCATE dossiers, dossier_steps, dossier_pauses, dossier_history`);
    await writeFile(path, `${lines.join("\n")}\n`);
    await importFile(database.db, { path, format: "canonical", batchSize: 50 });
    expect(history).toBe(await count("dossier_history"));
  });

  it("quarantines invalid records with their position in the file and goes on", async () => {
    const lines = [...records()].slice(0, 10).map((r) => toCanonical(r) as Record<string, unknown>);
    lines[3] = { ...lines[3], channel: "fax" };
    const path = join(dir, "one-invalid.json");
    await writeFile(path, JSON.stringify(lines));
    const summary = await importFile(database.db, { path, format: "canonical", batchSize: 4 });
    expect(summary).toMatchObject({ records: 10, inserted: 9, rejected: 1 });
    const rows = await queryRows<{ source: string; record_index: number }>(
      database.db,
      sql`SELECT source, record_index FROM sync_rejections`,
    );
    expect(rows).toEqual([{ source: "file", record_index: 3 }]);
  });
});

function runCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/sync/cli.ts", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
}

describe.runIf(onPostgres())("importFile's timeline (PostgreSQL: the pooled path)", () => {
  it("holds, for every batch, its five phases on a pool thread and its statements on a writer, committed after it was encoded", async () => {
    const path = join(dir, "timed.ndjson");
    await writeDump(path, records(), { format: "canonical", ndjson: true });
    const timeline = new Timeline();
    const summary = await importFile(database.db, { path, format: "canonical", batchSize: 50, timeline });
    expect(summary).toMatchObject({ records: COUNT, inserted: COUNT });
    const batches = COUNT / 50;
    for (let batch = 0; batch < batches; batch++) {
      const spans = timeline.spans.filter((s) => s.batch === batch);
      const prepared = spans.filter((s) => s.lane.startsWith("thread "));
      const written = spans.filter((s) => s.lane.startsWith("writer "));
      expect(prepared.map((s) => s.phase)).toEqual([...PREPARE_PHASES]);
      expect(new Set(prepared.map((s) => s.lane)).size).toBe(1);
      expect(written.map((s) => s.phase)).toEqual(
        expect.arrayContaining(["read stored versions", "COPY + upsert dossiers", "COPY steps", "commit"]),
      );
      const encoded = Math.max(...prepared.map((s) => s.end));
      expect(Math.min(...written.map((s) => s.start))).toBeGreaterThanOrEqual(encoded - 1);
      for (const span of spans) expect(span.end).toBeGreaterThanOrEqual(span.start);
    }
    // Where Linux tells each thread's CPU: the main thread's, each pool thread's, and the process's,
    // which holds theirs and more (V8's own threads).
    if (existsSync("/proc/thread-self/schedstat")) {
      const pool = new Set(timeline.spans.filter((s) => s.lane.startsWith("thread ")).map((s) => s.lane));
      expect([...timeline.cpu.keys()].sort()).toEqual(["main thread", "process", ...pool].sort());
      const threads = [...timeline.cpu].filter(([lane]) => lane !== "process").map(([, used]) => used);
      for (const used of threads) expect(used.cpuMs).toBeGreaterThan(0);
      const ours = threads.reduce((sum, used) => sum + used.cpuMs, 0);
      expect(timeline.cpu.get("process")?.cpuMs).toBeGreaterThan(ours);
      const last = timeline.toNdjson().trim().split("\n").at(-1) ?? "";
      expect(JSON.parse(last)).toMatchObject({ lane: expect.any(String), cpuMs: expect.any(Number) });
    }
    const lines = timeline.toNdjson().trim().split("\n");
    expect(lines).toHaveLength(timeline.spans.length + timeline.cpu.size);
    expect(JSON.parse(lines[0])).toMatchObject({ batch: expect.any(Number), lane: expect.any(String) });
  });
});

describe("npm run sync -- --file", () => {
  it("imports into PGlite under DATA_DIR, prints a summary; exit 2 with the position on malformed JSON", async () => {
    const dataDir = join(dir, "pglite");
    const target = await openDatabase({ dataDir });
    await prepareDatabase(target);
    await catalogueAgencies(target.db, province.agencies);
    await target.close();
    const good = join(dir, "cli.ndjson");
    await writeDump(good, [...records()].slice(0, 40), { format: "dvcqg", ndjson: true });
    const done = await runCli(["--file", good, "--format", "dvcqg", "--batch", "16"], { DATA_DIR: dataDir });
    expect(done.code, done.stderr).toBe(0);
    // Progress lines (at most one a second) go to stderr, the summary to stdout.
    expect(done.stderr.split("\n").filter((l) => l && !l.startsWith("sync: "))).toEqual([]);
    expect(done.stdout).toMatch(/40 records .*40 inserted, 0 updated, 0 unchanged, 0 stale, 0 rejected/);

    const bad = join(dir, "cli-bad.json");
    await writeFile(bad, '[{"code": 1},\n {"code": oops}]');
    const stopped = await runCli(["--file", bad], { DATA_DIR: dataDir });
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain("record 1 (line 2, column 2)");

    const usage = await runCli(["--format", "xml"], { DATA_DIR: dataDir });
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain("usage: npm run sync");
  }, 120_000);
});
