// kill -9 an import midway, run it again, and the database equals a clean import: same counts and
// the same checksum over every row (wall-clock columns left out). 20,000 records by default when the
// suite runs on PostgreSQL (TEST_DATABASE_URL), CRASH_RECORDS to choose; 3,000 on PGlite, whose single-threaded WASM engine would
// take many minutes over 200,000 (the property is the same: batches commit whole or not at all).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prepareDatabase } from "../../src/calendar/prepare-database.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { generateDossiers, generateProvince, writeDump } from "../../src/demo/generator.js";
import { importFile } from "../../src/sync/file-import.js";
import { catalogueAgencies } from "../helpers/catalogue.js";
import { createTestDatabase, onPostgres } from "../helpers/db.js";
import { fingerprint } from "../helpers/fingerprint.js";

const ROOT = new URL("../..", import.meta.url).pathname;
// The 200,000: `CRASH_RECORDS=200000 TEST_DATABASE_URL=… npx vitest run test/sync/crash.test.ts`.
// The default keeps the suite's time bounded on a shared 2-core CI machine.
const COUNT = Number(process.env.CRASH_RECORDS ?? (onPostgres() ? 20_000 : 3_000));
const BATCH = COUNT >= 100_000 ? 5_000 : COUNT >= 10_000 ? 1_000 : 250;
const TABLES = [
  "dossiers",
  "dossier_steps",
  "dossier_pauses",
  "dossier_history",
  "officials",
  "agencies",
  "procedures",
  "sync_rejections",
];

const province = generateProvince(21);
let dir: string;
let dump: string;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sync-crash-"));
  dump = join(dir, "dump.ndjson");
  await writeDump(
    dump,
    generateDossiers(province, {
      seed: 21,
      count: COUNT,
      from: new Date("2025-01-01T00:00:00+07:00"),
      to: new Date("2025-12-31T00:00:00+07:00"),
      asOf: new Date("2026-01-05T08:00:00+07:00"),
    }),
    { format: "canonical", ndjson: true },
  );
}, 300_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** Where the CLI child writes: a new database on the test server, or a PGlite directory. */
async function childTarget(): Promise<{ env: Record<string, string>; open: () => Promise<Database> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = join(dir, "pglite");
    return { env: { DATA_DIR: dataDir }, open: () => openDatabase({ dataDir }) };
  }
  const name = `osm_crash_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  cleanups.push(async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, open: () => openDatabase({ databaseUrl: url.toString() }) };
}

function startImport(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/sync/cli.ts", "--file", dump, "--batch", String(BATCH)],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env } },
  );
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

/** A migrated database with the province's agencies: sync refuses records of unknown agencies. */
async function catalogued(database: Database): Promise<Database> {
  await prepareDatabase(database);
  await catalogueAgencies(database.db, province.agencies);
  return database;
}

it(`equals a clean import after kill -9 midway and a second run (${COUNT.toLocaleString("en-US")} records)`, async () => {
  const target = await childTarget();
  await (await catalogued(await target.open())).close();

  const first = startImport(target.env);
  const firstExit = exited(first.child);
  for (let waited = 0; !/sync: [\d,]+ records/.test(first.output()); waited += 50) {
    if (first.child.exitCode !== null || waited > 240_000) throw new Error(`no progress:\n${first.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  first.child.kill("SIGKILL");
  expect((await firstExit).signal).toBe("SIGKILL");
  expect(first.output()).not.toContain(" in "); // killed before its summary

  const second = startImport(target.env);
  const secondExit = await exited(second.child);
  expect(secondExit.code, second.output()).toBe(0);
  // The second run found the first run's committed batches already there.
  expect(second.output()).toMatch(/[1-9][\d,]* unchanged/);

  const resumed = await target.open();
  const clean = await createTestDatabase();
  await catalogueAgencies(clean.db, province.agencies);
  try {
    const summary = await importFile(clean.db, { path: dump, format: "canonical", batchSize: BATCH });
    expect(summary.inserted).toBe(COUNT);
    const [expected, actual] = [await fingerprint(clean, TABLES), await fingerprint(resumed, TABLES)];
    expect(expected.dossiers.rows).toBe(COUNT);
    expect(expected.dossier_steps.rows).toBeGreaterThan(2 * COUNT);
    expect(actual).toEqual(expected);
  } finally {
    await resumed.close();
    await clean.close();
  }
}, 1_200_000);
