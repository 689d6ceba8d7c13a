// The moving parts of npm run test:reliability: a throw-away PostgreSQL that can be stopped and
// started in place (.ci/pg.sh), the real server process (src/server.ts, as npm start runs it) that
// can be killed with SIGKILL and started again, autocannon, and a bounded pool of fetches.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import autocannon from "autocannon";

import { ROOT } from "../postgres.js";

export { type Postgres, ROOT, startPostgres } from "../postgres.js";

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface ServerProcess {
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** src/server.ts in its own process, as `npm start` runs it; resolves once /health answers. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      SWEEP_CRON: "",
      LOG_LEVEL: "warn",
      ...env,
    },
  });
  let output = "";
  child.stdout?.on("data", (d) => (output = (output + d).slice(-200_000)));
  child.stderr?.on("data", (d) => (output = (output + d).slice(-200_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    if (waited > 180_000) throw new Error(`server did not answer in 3 minutes:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return {
    baseUrl,
    child,
    output: () => output,
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

/**
 * autocannon at `connections` for `seconds` on paths chosen per request. p95 is read from the
 * histogram (autocannon reports p97.5 and p99 but not p95).
 */
export async function load(options: {
  baseUrl: string;
  token: string;
  connections: number;
  seconds: number;
  paths: () => string;
  /** Stops early when this settles. */
  until?: Promise<unknown>;
}): Promise<LoadResult & { statuses: Record<string, number> }> {
  const samples: number[] = [];
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.seconds,
    headers: { authorization: `Bearer ${options.token}` },
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: options.paths() }) }],
  });
  instance.on("response", (_client, _status, _bytes, ms: number) => samples.push(ms));
  options.until?.then(
    () => instance.stop(),
    () => instance.stop(),
  );
  const result = await instance;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: samples[samples.length - 1] ?? 0,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

/** Runs `tasks` with at most `width` in flight; each result or error in order. */
export async function pool<T>(
  width: number,
  tasks: (() => Promise<T>)[],
): Promise<({ ok: true; value: T } | { ok: false; error: unknown })[]> {
  const results: ({ ok: true; value: T } | { ok: false; error: unknown })[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        try {
          results[i] = { ok: true, value: await tasks[i]() };
        } catch (error) {
          results[i] = { ok: false, error };
        }
      }
    }),
  );
  return results;
}
