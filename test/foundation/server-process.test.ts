// `npm start` as a user runs it: a real process, a real port, PGlite under DATA_DIR by default,
// PostgreSQL when DATABASE_URL is set, and a clean exit on SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { onPostgres } from "../helpers/db.js";

const ROOT = new URL("../..", import.meta.url).pathname;
let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  child?.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startServer(env: Record<string, string>): Promise<{ port: number; output: () => string }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  let output = "";
  child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: String(port), HOST: "127.0.0.1", ...env },
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  for (let i = 0; i < 900; i++) {
    if (output.includes('"msg":"listening"')) return { port, output: () => output };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${output}`);
}

async function stopGracefully(): Promise<number | null> {
  const proc = child!;
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  proc.kill("SIGTERM");
  return exited;
}

it("serves /health on PGlite under DATA_DIR with no configuration, and stops on SIGTERM", async () => {
  dataDir = await mkdtemp(join(tmpdir(), "osm-data-"));
  const { port } = await startServer({ DATA_DIR: dataDir });
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  expect(await res.json()).toEqual({ status: "ok", db: "pglite" });
  expect((await readdir(dataDir)).length).toBeGreaterThan(0);
  expect(await stopGracefully()).toBe(0);
}, 120_000);

it.runIf(onPostgres())(
  "says postgres when DATABASE_URL is set",
  async () => {
    const { port } = await startServer({ DATABASE_URL: process.env.TEST_DATABASE_URL! });
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await res.json()).toEqual({ status: "ok", db: "postgres" });
    expect(await stopGracefully()).toBe(0);
  },
  60_000,
);

it("refuses to start on invalid configuration, naming the setting", async () => {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: "not-a-port", DATA_DIR: "memory://" },
  });
  let output = "";
  proc.stderr.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
  expect(code).not.toBe(0);
  expect(output).toContain("PORT");
}, 120_000);
