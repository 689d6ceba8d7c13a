// Where a CLI (npm run sync, sweep, demo, db:prepare) does its work. On PostgreSQL: the database,
// shared by any number of processes. On PGlite: DATA_DIR has one owner (data-dir-lock.ts); a CLI
// takes it when it is free, works through the running service when the service holds it and the
// command can (its API, with the local admin token the service wrote for it), and otherwise
// refuses at once, saying what to do — never opening a PGlite that another process has open.
import { type Database, openDatabase } from "../db/client.js";
import type { Env } from "../env.js";
import { acquireDataDirLock, DataDirLocked, type LockHolder } from "./data-dir-lock.js";
import { type LocalService, localService } from "./service-client.js";

export type CliTarget =
  | { kind: "database"; database: Database; close(): Promise<void> }
  | { kind: "service"; service: LocalService; close(): Promise<void> };

/** The CLI cannot run now; exit code 75 (EX_TEMPFAIL: try again later). */
export class CliRefusal extends Error {
  readonly exitCode = 75;
  constructor(message: string) {
    super(message);
    this.name = "CliRefusal";
  }
}

export interface CliTargetOptions {
  /** `npm run sync`, … : named in the lock file while this CLI holds DATA_DIR. */
  command: string;
  /** Whether the command can do its work through the service's API. */
  throughService: boolean;
}

const servesClis = (holder: LockHolder): holder is LockHolder & { url: string; token: string } =>
  typeof holder.url === "string" && typeof holder.token === "string";

function refusal(dataDir: string, holder: LockHolder, options: CliTargetOptions): CliRefusal {
  const who = `${holder.command} (pid ${holder.pid}, since ${holder.since})`;
  if (servesClis(holder)) {
    return new CliRefusal(
      `DATA_DIR ${dataDir} belongs to the running service, ${who}, and ${options.command} cannot work ` +
        "through its API. Stop the service (Ctrl-C in its terminal, or kill " +
        `${holder.pid}), run ${options.command} again, then start the service again.`,
    );
  }
  // The service writes where CLIs reach it once it listens: until then it is starting.
  const wait =
    holder.command === "npm start" ? "Wait until it listens" : "Wait for it to finish (or stop it)";
  return new CliRefusal(
    `DATA_DIR ${dataDir} is in use by ${who}; the embedded database has one owner at a time. ` +
      `${wait}, then run ${options.command} again.`,
  );
}

export async function cliTarget(env: Env, options: CliTargetOptions): Promise<CliTarget> {
  if (env.DATABASE_URL) {
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL });
    return { kind: "database", database, close: () => database.close() };
  }
  try {
    const lock = await acquireDataDirLock(env.DATA_DIR, options.command);
    try {
      const database = await openDatabase({ dataDir: env.DATA_DIR });
      return {
        kind: "database",
        database,
        close: async () => {
          await database.close();
          await lock.release();
        },
      };
    } catch (error) {
      await lock.release();
      throw error;
    }
  } catch (error) {
    if (!(error instanceof DataDirLocked)) throw error;
    const { holder } = error;
    if (!options.throughService || !servesClis(holder)) throw refusal(env.DATA_DIR, holder, options);
    return { kind: "service", service: localService(holder), close: async () => {} };
  }
}
