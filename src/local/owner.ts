// The service as DATA_DIR's owner (PGlite): the lock is taken before the database is opened and
// released after it is closed; once the service listens, the lock file also says where it is and
// holds a fresh local admin token, so that `npm run sync` and `npm run sweep` started beside it
// work through its API (cli-target.ts). The token is revoked when the service stops; a service
// killed outright leaves it in a stale lock file, and the next start revokes it.
import { renewLocalCliToken, revokeLocalCliTokens } from "../auth/lifecycle.js";
import type { Database } from "../db/client.js";
import { acquireDataDirLock, type DataDirLock, DataDirLocked } from "./data-dir-lock.js";

export interface DataDirOwner {
  /** Publishes the service's loopback URL and a new local admin token in the lock file. */
  serveClis(database: Database, url: string): Promise<void>;
  /** Revokes the local token, closes the database, then releases the lock, in that order. */
  close(database: Database): Promise<void>;
}

/** DATA_DIR is held by another live process: the service does not start (exit 1, this message). */
export class DataDirTaken extends Error {
  constructor(locked: DataDirLocked) {
    const { holder } = locked;
    super(
      `DATA_DIR ${locked.dataDir} is in use by ${holder.command} (pid ${holder.pid}, since ${holder.since}). ` +
        "The embedded database (PGlite) has one owner at a time: a second process opening it would " +
        "corrupt it. Stop that process first, or start this one with another DATA_DIR (or a DATABASE_URL).",
    );
    this.name = "DataDirTaken";
  }
}

/** An embedded database in a folder (not `memory://`) is owned; null otherwise. */
export async function ownDataDir(dataDir: string, command = "npm start"): Promise<DataDirOwner | null> {
  if (dataDir.includes("://")) return null;
  let lock: DataDirLock;
  try {
    lock = await acquireDataDirLock(dataDir, command);
  } catch (error) {
    throw error instanceof DataDirLocked ? new DataDirTaken(error) : error;
  }
  // A process that exits without closing (process.exit elsewhere) still frees DATA_DIR.
  const onExit = () => lock.releaseSync();
  process.once("exit", onExit);
  return {
    async serveClis(database, url) {
      const { token } = await renewLocalCliToken(database.db);
      await lock.update({ url, token });
    },
    async close(database) {
      await revokeLocalCliTokens(database.db).catch(() => undefined);
      await database.close();
      await lock.release();
      process.removeListener("exit", onExit);
    },
  };
}

/** The URL a CLI on this machine reaches the service at: loopback when it listens on every interface. */
export function loopbackUrl(host: string, port: number): string {
  if (host === "0.0.0.0" || host === "" || host === "::") return `http://127.0.0.1:${port}`;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
