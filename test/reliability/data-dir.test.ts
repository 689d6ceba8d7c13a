// The embedded database has one owner (issue 15, item 1). DATA_DIR's lock file: taken exclusively,
// stale when its process is gone (or its pid was recycled). Real processes, as a user types them:
// a second `npm start` refuses at once; `npm run sync` and `npm run sweep` beside the service work
// through its API with the local admin token it wrote (mode 0600); `npm run demo` refuses with what
// to do; a service killed with SIGKILL in the middle of writes leaves a database the next start
// opens, with every acknowledged batch in it. PGlite only: the suite's PostgreSQL run skips it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acquireDataDirLock,
  DataDirLocked,
  LOCK_FILE,
  type LockHolder,
  processStart,
} from "../../src/local/data-dir-lock.js";
import { onPostgres } from "../helpers/db.js";
import { canonicalRecord } from "../helpers/records.js";
import { AGENCIES } from "../helpers/seed.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const ADMIN = "osm_data_dir_test_admin_token_0123456789";

describe("the lock file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "osm-lock-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("is taken once, readable by its owner only, and released", async () => {
    const lock = await acquireDataDirLock(dir, "test");
    expect((await stat(lock.path)).mode & 0o777).toBe(0o600);
    const second = await acquireDataDirLock(dir, "test again").catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DataDirLocked);
    expect((second as DataDirLocked).holder.pid).toBe(process.pid);
    await lock.release();
    const again = await acquireDataDirLock(dir, "test");
    await again.release();
  });

  it("is taken over from a process that is gone", async () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    const stale: LockHolder = {
      pid: gone,
      pidStart: null,
      command: "npm start",
      since: "2025-01-01T00:00:00Z",
    };
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(stale));
    const lock = await acquireDataDirLock(dir, "test");
    expect(lock.holder.pid).toBe(process.pid);
    await lock.release();
  });

  it("is taken over when its pid now belongs to another process (recycled)", async () => {
    const recycled: LockHolder = {
      pid: process.pid,
      pidStart: `${processStart(process.pid)}0`,
      command: "npm start",
      since: "2025-01-01T00:00:00Z",
    };
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(recycled));
    const lock = await acquireDataDirLock(dir, "test");
    await lock.release();
  });
});

interface Running {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
}

function node(script: string, env: Record<string, string>, args: string[] = []) {
  return spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", SWEEP_CRON: "", ...env },
  });
}

async function startService(dataDir: string): Promise<Running> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = node("src/server.ts", {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    ADMIN_TOKEN: ADMIN,
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  for (let i = 0; i < 1200; i++) {
    // Listening, and the lock file says where (not a killed predecessor's): CLIs can come.
    const text = await readFile(join(dataDir, LOCK_FILE), "utf8").catch(() => "{}");
    const holder = JSON.parse(text) as Partial<LockHolder>;
    if (holder.pid === child.pid && holder.url) {
      return { child, baseUrl: `http://127.0.0.1:${port}`, output: () => output };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not start:\n${output}`);
}

async function run(script: string, env: Record<string, string>, args: string[] = []) {
  const child = node(script, env, args);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once("exit", r));

describe.skipIf(onPostgres())("processes sharing DATA_DIR", () => {
  let dataDir: string;
  let service: Running | undefined;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${service?.baseUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...init.headers },
    });
  const dossierCount = async () =>
    (((await (await api("/api/v1/dossiers?limit=500")).json()) as { items: unknown[] }).items ?? []).length;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "osm-data-dir-"));
    service = await startService(dataDir);
    for (const { code, ...agency } of Object.values(AGENCIES)) {
      const put = await api(`/api/v1/agencies/${code}`, { method: "PUT", body: JSON.stringify(agency) });
      expect([200, 201]).toContain(put.status);
    }
  }, 180_000);
  afterAll(async () => {
    service?.child.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  });

  it("writes a local admin token for CLIs in a file only its user reads", async () => {
    const holder = JSON.parse(await readFile(join(dataDir, LOCK_FILE), "utf8")) as LockHolder;
    expect((await stat(join(dataDir, LOCK_FILE))).mode & 0o777).toBe(0o600);
    expect(holder).toMatchObject({ pid: service?.child.pid, command: "npm start", url: service?.baseUrl });
    expect(
      (await api("/api/v1/users", { headers: { authorization: `Bearer ${holder.token}` } })).status,
    ).toBe(200);
  });

  it("refuses a second service at once, naming the holder", async () => {
    const second = await run("src/server.ts", { DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1" });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`in use by npm start (pid ${service?.child.pid}`);
    expect((await api("/health")).status).toBe(200);
  }, 60_000);

  it("imports a file through the service", async () => {
    const dump = join(dataDir, "..", `dump-${process.pid}.ndjson`);
    const lines = [1, 2, 3].map((i) => JSON.stringify(canonicalRecord({ code: `DD-FILE-${i}` })));
    await writeFile(dump, `${lines.join("\n")}\n`);
    const sync = await run("src/sync/cli.ts", { DATA_DIR: dataDir }, ["--file", dump]);
    await rm(dump, { force: true });
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toContain("through the service");
    expect(sync.stdout).toContain("3 inserted");
    expect(await dossierCount()).toBe(3);
  }, 60_000);

  it("runs a sweep through the service", async () => {
    const sweep = await run("src/sweep/cli.ts", { DATA_DIR: dataDir }, ["--full"]);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).toMatch(/^sweep \d+ succeeded/);
  }, 60_000);

  it("refuses the demo with what to do, touching nothing", async () => {
    const demo = await run("src/demo/cli.ts", { DATA_DIR: dataDir }, ["--dossiers", "10"]);
    expect(demo.code).toBe(75);
    expect(demo.stderr).toContain("Stop the service");
    expect(await dossierCount()).toBe(3);
  }, 60_000);

  it("survives SIGKILL during writes: the next start opens it, every acknowledged batch there", async () => {
    let acknowledged = 0;
    let stop = false;
    const pushing = (async () => {
      for (let batch = 0; !stop; batch++) {
        const records = Array.from({ length: 50 }, (_, i) =>
          canonicalRecord({ code: `DD-KILL-${batch}-${i}` }),
        );
        const answer = await api("/api/v1/sync/dossiers", {
          method: "POST",
          body: JSON.stringify({ records }),
        }).catch(() => null);
        if (answer?.status !== 200) return;
        await answer.arrayBuffer();
        acknowledged += records.length;
      }
    })();
    while (acknowledged < 200) await new Promise((r) => setTimeout(r, 20));
    service?.child.kill("SIGKILL");
    await exited(service?.child as ChildProcess);
    stop = true;
    await pushing;
    service = await startService(dataDir);
    const stored = (
      ((await (await api("/api/v1/dossiers?limit=500&q=DD-KILL")).json()) as { items: unknown[] }).items ?? []
    ).length;
    expect(stored).toBeGreaterThanOrEqual(Math.min(acknowledged, 500));
    expect(stored % 50).toBe(0);
    expect(await dossierCount()).toBeGreaterThan(3);
  }, 180_000);

  it("frees DATA_DIR and revokes the CLI token when stopped", async () => {
    const holder = JSON.parse(await readFile(join(dataDir, LOCK_FILE), "utf8")) as LockHolder;
    service?.child.kill("SIGTERM");
    expect(await exited(service?.child as ChildProcess)).toBe(0);
    await expect(stat(join(dataDir, LOCK_FILE))).rejects.toThrow();
    // The sweep CLI now owns DATA_DIR itself, and the token the service wrote is dead.
    const sweep = await run("src/sweep/cli.ts", { DATA_DIR: dataDir });
    expect(sweep.code, sweep.stderr).toBe(0);
    service = await startService(dataDir);
    expect(
      (await api("/api/v1/dossiers", { headers: { authorization: `Bearer ${holder.token}` } })).status,
    ).toBe(401);
  }, 180_000);
});
