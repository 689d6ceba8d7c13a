// The PostgreSQL servers the benchmarks and the reliability harness run on: a throw-away one from
// .ci/pg.sh (loopback, fsync off), which the harness can also stop and start in place, or the one
// a reader already has.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";

export const ROOT = new URL("..", import.meta.url).pathname;

export interface Postgres {
  url: string;
  stop(): void;
  start(): void;
  /** The same without blocking the caller's event loop (its requests go on while pg_ctl waits). */
  stopAsync(): Promise<void>;
  startAsync(): Promise<void>;
  down(): void;
}

function pgShell(command: string, env: Record<string, string>): string {
  return execFileSync("bash", ["-c", `source .ci/pg.sh && ${command}`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  })
    .toString()
    .trim();
}

const execFileAsync = promisify(execFile);

async function pgShellAsync(command: string, env: Record<string, string>): Promise<void> {
  await execFileAsync("bash", ["-c", `source .ci/pg.sh && ${command}`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
}

/** A throw-away server on `port`; `down()` stops and removes it. */
export function startPostgres(port: string): Postgres {
  const [url, dir] = pgShell('pg_up >&2 && echo "$TEST_DATABASE_URL $PG_DIR"', { PG_PORT: port }).split(" ");
  const env = { PG_PORT: port, PG_DIR: dir };
  return {
    url,
    stop: () => pgShell("pg_stop", env),
    start: () => pgShell("pg_start", env),
    stopAsync: () => pgShellAsync("pg_stop", env),
    startAsync: () => pgShellAsync("pg_start", env),
    down: () => pgShell("pg_down", env),
  };
}

/**
 * The server a benchmark runs on: BENCH_DATABASE_URL or TEST_DATABASE_URL when set (left as it
 * is), else a throw-away one on PG_PORT (`defaultPort` unless set), removed by `down()`.
 */
export function benchPostgres(defaultPort: string): { url: string; throwAway: boolean; down(): void } {
  const given = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (given) return { url: given, throwAway: false, down: () => {} };
  const pg = startPostgres(process.env.PG_PORT ?? defaultPort);
  console.log(`bench: throw-away PostgreSQL at ${pg.url}`);
  return { url: pg.url, throwAway: true, down: pg.down };
}

/** The server's version line, e.g. "postgres (PostgreSQL) 15.18". */
export function postgresVersion(): string {
  return pgShell("$(pg_bin)/postgres --version", {});
}
