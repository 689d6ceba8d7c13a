// The nightly schedule: node-cron registered at SWEEP_CRON in SWEEP_TIMEZONE (00:30
// Asia/Ho_Chi_Minh by default), and stopped on shutdown — tested without waiting for 00:30.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScheduledTask, TaskFn, TaskOptions } from "node-cron";
import { afterEach, describe, expect, it } from "vitest";
import { parseEnv } from "../../src/env.js";
import { createLogger } from "../../src/runtime/logger.js";
import { scheduleSweeps } from "../../src/sweep/schedule.js";
import { onPostgres } from "../helpers/db.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const logger = createLogger("silent");
const { SWEEP_CRON, SWEEP_TIMEZONE } = parseEnv({});

describe("scheduleSweeps", () => {
  it("registers the default 00:30 Asia/Ho_Chi_Minh with node-cron, and stops it", async () => {
    const schedule = scheduleSweeps({
      expression: SWEEP_CRON,
      timezone: SWEEP_TIMEZONE,
      run: async () => {},
      logger,
    });
    expect(schedule).not.toBeNull();
    const task = schedule!.task;
    try {
      expect(task.getPattern()).toBe("30 0 * * *");
      const next = task.getNextRuns(2);
      // 00:30 at UTC+7 is 17:30 UTC the day before, one day apart.
      for (const at of next)
        expect([at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()]).toEqual([17, 30, 0]);
      expect(next[1].getTime() - next[0].getTime()).toBe(86_400_000);
    } finally {
      await schedule!.stop();
    }
    expect(task.getStatus()).toBe("stopped");
  });

  it("passes the expression and time zone through, runs the sweep on a tick, and waits for it when stopped", async () => {
    const registered: { expression: string; options: TaskOptions; fire: TaskFn }[] = [];
    let stopped = false;
    const scheduler = (expression: string, fire: TaskFn, options: TaskOptions) => {
      registered.push({ expression, options, fire });
      const stop = () => {
        stopped = true;
      };
      return { stop, getNextRun: () => null } as unknown as ScheduledTask;
    };
    let finish = () => {};
    let runs = 0;
    const run = () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    const schedule = scheduleSweeps({
      expression: "0 2 * * 1-5",
      timezone: "Asia/Bangkok",
      run,
      logger,
      scheduler,
    })!;
    expect(registered).toMatchObject([
      { expression: "0 2 * * 1-5", options: { timezone: "Asia/Bangkok", noOverlap: true } },
    ]);
    const tick = registered[0].fire({} as never);
    expect(runs).toBe(1);
    let stopResolved = false;
    const stopping = schedule.stop().then(() => (stopResolved = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(true);
    expect(stopResolved).toBe(false);
    finish();
    await Promise.all([tick, stopping]);
    expect(stopResolved).toBe(true);
  });

  it("schedules nothing when SWEEP_CRON is empty, and refuses a malformed expression naming the setting", () => {
    expect(
      scheduleSweeps({ expression: "", timezone: SWEEP_TIMEZONE, run: async () => {}, logger }),
    ).toBeNull();
    expect(() =>
      scheduleSweeps({ expression: "every night", timezone: SWEEP_TIMEZONE, run: async () => {}, logger }),
    ).toThrow(/SWEEP_CRON/);
  });
});

describe("npm start", () => {
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    child?.kill("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("schedules the nightly sweep at start and stops the schedule on SIGTERM before closing", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "osm-cron-"));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const database: Record<string, string> = onPostgres()
      ? { DATABASE_URL: process.env.TEST_DATABASE_URL! }
      : { DATA_DIR: dataDir };
    child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", PORT: String(port), HOST: "127.0.0.1", ...database },
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    for (let i = 0; i < 1200 && !output.includes('"msg":"listening"'); i++) {
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lines = () =>
      output
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
    expect(lines().find((l) => l.msg === "nightly sweep scheduled")).toMatchObject({
      expression: "30 0 * * *",
      timezone: "Asia/Ho_Chi_Minh",
      nextRun: expect.stringMatching(/T17:30:00\.000Z$/),
    });
    const proc = child;
    const exited = new Promise<number | null>((resolve) => proc.once("exit", resolve));
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    const messages = lines().map((l) => l.msg);
    expect(messages.indexOf("nightly sweep schedule stopped")).toBeGreaterThan(
      messages.indexOf("shutting down"),
    );
  }, 180_000);
});
