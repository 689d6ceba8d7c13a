// The embedded database (PGlite under DATA_DIR) as a user drives it (issue 15, item 1): the demo
// loads a province with DATA_DIR free, the service starts, `npm run sync -- --file` and
// `npm run sweep` run beside it (through its API), `npm run demo` beside it refuses, then the
// service is killed with SIGKILL in the middle of pushes and started again — several times. After
// each start every record a CLI or a push was told is stored must be there: 0 losses.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCK_FILE } from "../../src/local/data-dir-lock.js";
import { ADMIN_TOKEN, check, fmt, log, report, syncRecords } from "./harness.js";
import { ROOT, type ServerProcess, sleep, startServer } from "./infra.js";

export interface EmbeddedOptions {
  rounds: number;
  /** Records imported from a file by `npm run sync` beside the service, per round. */
  fileRecords: number;
  /** Records per push while the service is killed. */
  pushBatch: number;
}

async function cli(script: string, dataDir: string, args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, LOG_LEVEL: "warn" },
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, output };
}

/** The service on DATA_DIR, once its lock file says where CLIs reach it. */
async function startEmbedded(dataDir: string): Promise<ServerProcess> {
  const server = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN });
  for (let waited = 0; waited < 30_000; waited += 100) {
    const holder = JSON.parse(await readFile(join(dataDir, LOCK_FILE), "utf8").catch(() => "{}")) as {
      pid?: number;
      url?: string;
    };
    if (holder.pid === server.child.pid && holder.url) return server;
    await sleep(100);
  }
  throw new Error(`the service did not publish its URL in ${LOCK_FILE}`);
}

async function post(server: ServerProcess, records: unknown[]): Promise<number> {
  const response = await fetch(`${server.baseUrl}/api/v1/sync/dossiers`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ format: "canonical", records }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Dossiers of a prefix as the service lists them (pages of 500). */
async function stored(server: ServerProcess, prefix: string): Promise<number> {
  let total = 0;
  let cursor: string | null = null;
  do {
    const query = `q=${encodeURIComponent(prefix)}&limit=500${cursor ? `&cursor=${cursor}` : ""}`;
    const response = await fetch(`${server.baseUrl}/api/v1/dossiers?${query}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const page = (await response.json()) as { items: unknown[]; nextCursor: string | null };
    total += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return total;
}

interface Round {
  sync: number | null;
  sweep: number | null;
  demo: number | null;
  fromFile: number;
  acknowledged: number;
  atRestart: number;
  lost: number;
}

async function round(dataDir: string, i: number, options: EmbeddedOptions): Promise<Round> {
  let server = await startEmbedded(dataDir);
  const dump = join(dataDir, "..", `embedded-${i}.ndjson`);
  const fileRecords = syncRecords(options.fileRecords, 100 + i, `RLEMB${i}F`).flat();
  await writeFile(dump, `${fileRecords.map((r) => JSON.stringify(r)).join("\n")}\n`);
  const sync = await cli("src/sync/cli.ts", dataDir, ["--file", dump]);
  await rm(dump, { force: true });
  const sweep = await cli("src/sweep/cli.ts", dataDir, []);
  const demo = await cli("src/demo/cli.ts", dataDir, ["--dossiers", "10"]);
  // Pushes until SIGKILL lands in one of them.
  const prefix = `RLEMB${i}K`;
  const batches = syncRecords(options.pushBatch * 40, 200 + i, prefix).flat();
  let acknowledged = 0;
  let killed = false;
  const pushing = (async () => {
    for (let at = 0; at < batches.length && !killed; at += options.pushBatch) {
      const status = await post(server, batches.slice(at, at + options.pushBatch)).catch(() => 0);
      if (status !== 200) return;
      acknowledged += options.pushBatch;
    }
  })();
  while (acknowledged < options.pushBatch * 3) await sleep(10);
  await sleep(Math.random() * 200);
  await server.kill9();
  killed = true;
  await pushing;
  server = await startEmbedded(dataDir);
  const fromFile = await stored(server, `RLEMB${i}F`);
  const atRestart = await stored(server, prefix);
  await server.stop();
  return {
    sync: sync.code,
    sweep: sweep.code,
    demo: demo.code,
    fromFile,
    acknowledged,
    atRestart,
    lost: Math.max(0, options.fileRecords - fromFile) + Math.max(0, acknowledged - atRestart),
  };
}

export async function embeddedDatabaseSection(options: EmbeddedOptions): Promise<void> {
  log(`embedded database: ${options.rounds} rounds of CLIs beside the service and kill -9 during pushes`);
  const dataDir = await mkdtemp(join(tmpdir(), "osm-reliability-pglite-"));
  try {
    const demo = await cli("src/demo/cli.ts", dataDir, ["--dossiers", "200"]);
    if (demo.code !== 0) throw new Error(`npm run demo failed:\n${demo.output}`);
    const rounds: Round[] = [];
    for (let i = 0; i < options.rounds; i++) {
      rounds.push(await round(dataDir, i, options));
      log(`  round ${i + 1}: ${JSON.stringify(rounds[i])}`);
    }
    const lost = rounds.reduce((sum, r) => sum + r.lost, 0);
    report.push(
      "## Embedded database: CLIs beside the service, kill -9",
      "",
      `PGlite under a fresh DATA_DIR: \`npm run demo\` with DATA_DIR free, then ${options.rounds} rounds of: \`npm start\`; \`npm run sync -- --file\` (${fmt(options.fileRecords)} records), \`npm run sweep\` and \`npm run demo\` beside it; pushes of ${options.pushBatch} records until SIGKILL lands in one (after at least 3 were acknowledged); \`npm start\` again and count.`,
      "",
      "| round | sync | sweep | demo | from the file | pushes acknowledged | stored after restart |",
      "|---:|---:|---:|---:|---:|---:|---:|",
      ...rounds.map(
        (r, i) =>
          `| ${i + 1} | exit ${r.sync} | exit ${r.sweep} | exit ${r.demo} | ${fmt(r.fromFile)} | ${fmt(r.acknowledged)} | ${fmt(r.atRestart)} |`,
      ),
      "",
      check(
        rounds.every((r) => r.sync === 0 && r.sweep === 0),
        "npm run sync and npm run sweep beside the service succeed, through it",
      ),
      check(
        rounds.every((r) => r.demo === 75),
        "npm run demo beside the service refuses at once (exit 75)",
      ),
      check(
        rounds.every((r) => r.atRestart % options.pushBatch === 0),
        "a push is stored whole or not at all across the kill",
      ),
      check(
        lost === 0,
        `0 losses: every record a CLI or a push was told is stored is there after the restart (${lost} lost)`,
      ),
      "",
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
