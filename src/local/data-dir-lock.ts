// The embedded database has one owner. PGlite is PostgreSQL in one process with no lock of its own:
// two processes opening the same DATA_DIR both write its files, and the folder is lost (e.g.
// `npm run demo` beside `npm start`, then `RuntimeError: Aborted()` at the next start). Whoever
// opens it first — the service or a CLI — holds DATA_DIR/osm.lock, created exclusively, holding
// its pid; a lock whose process is gone (kill -9, a crash, a reboot) is stale and taken over.
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const LOCK_FILE = "osm.lock";

/** What the lock file says about its holder; the service adds how to reach it once it listens. */
export interface LockHolder {
  pid: number;
  /** The pid's start time (Linux: clock ticks since boot), so that a recycled pid is not taken for the holder. */
  pidStart: string | null;
  /** `npm start`, `npm run sync`, … */
  command: string;
  since: string;
  /** The service's base URL for CLIs (loopback), once it listens. */
  url?: string;
  /** A local admin token for CLIs that work through the service; the file is readable by its owner only. */
  token?: string;
}

export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(`${dataDir} is in use by ${holder.command} (pid ${holder.pid}, since ${holder.since})`);
    this.name = "DataDirLocked";
  }
}

export interface DataDirLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Rewrites the holder's details (the service's URL and token once it listens). */
  update(details: Pick<LockHolder, "url" | "token">): Promise<void>;
  /** Removes the lock file if it is still this process's. */
  release(): Promise<void>;
  /** The same, synchronously, for process exit handlers. */
  releaseSync(): void;
}

/** A process's start time from /proc, or null where there is none (not Linux). */
export function processStart(pid: number): string | null {
  try {
    // Field 22 (starttime), counted after the command name, which may itself hold spaces and ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the holder's process still runs: its pid answers and, where known, started when it did. */
export function holderAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: a process of another user holds that pid; it exists.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (holder.pidStart === null) return true;
  const started = processStart(holder.pid);
  return started === null || started === holder.pidStart;
}

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<LockHolder>;
    return typeof parsed.pid === "number" ? (parsed as LockHolder) : null;
  } catch {
    return null;
  }
}

/** The current holder of DATA_DIR's lock, if a live process holds it. */
export async function lockHolder(dataDir: string): Promise<LockHolder | null> {
  const holder = await readHolder(join(dataDir, LOCK_FILE));
  return holder && holderAlive(holder) ? holder : null;
}

async function createExclusively(path: string, holder: LockHolder): Promise<boolean> {
  try {
    const file = await open(path, "wx", 0o600);
    try {
      await file.writeFile(`${JSON.stringify(holder)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Takes DATA_DIR's lock for this process, or throws DataDirLocked naming the live holder. A stale
 * lock is moved aside by rename — atomic, so of two processes finding it stale only one removes it,
 * and neither removes a lock the other has just created.
 */
export async function acquireDataDirLock(dataDir: string, command: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    pidStart: processStart(process.pid),
    command,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusively(path, holder)) return heldLock(path, holder);
    const current = await readHolder(path);
    // Unreadable: being written this instant by its creator; look again.
    if (current === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (holderAlive(current)) throw new DataDirLocked(dataDir, current);
    const aside = `${path}.stale-${randomBytes(4).toString("hex")}`;
    try {
      await rename(path, aside);
      await rm(aside, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  throw new Error(`${path}: could not take the lock (it keeps changing hands)`);
}

function heldLock(path: string, initial: LockHolder): DataDirLock {
  let holder = initial;
  const ours = (text: string) => {
    try {
      return (JSON.parse(text) as LockHolder).pid === process.pid;
    } catch {
      return false;
    }
  };
  return {
    path,
    get holder() {
      return holder;
    },
    async update(details) {
      holder = { ...holder, ...details };
      // Written beside and renamed over, so that a reader never sees half a file.
      const next = `${path}.${process.pid}`;
      await writeFile(next, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
      await rename(next, path);
    },
    async release() {
      const text = await readFile(path, "utf8").catch(() => "");
      if (ours(text)) await rm(path, { force: true });
    },
    releaseSync() {
      try {
        if (ours(readFileSync(path, "utf8"))) rmSync(path, { force: true });
      } catch {
        // Gone already, or unreadable: nothing of ours to remove.
      }
    },
  };
}
