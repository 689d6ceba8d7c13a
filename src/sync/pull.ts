// The pull connector: pages through the one-stop software's export with a cursor. Each page is
// applied through the one pipeline and the next cursor is written in the same transaction, so a
// crash between pages resumes exactly where it stopped: nothing lost, nothing applied twice.
//
// Protocol (what a source must answer):
//   GET <sourceUrl>?cursor=<cursor>&limit=<n>   (no `cursor` on the very first pull)
//   Authorization: Bearer <token>               (when a token is configured)
//   200 { "records": [ ... ], "nextCursor": "<opaque>" | null }
// `nextCursor` is the position after this page; null means "nothing more for now". The stored
// cursor is then left at the last page's own cursor, so the next pull asks for that page again
// and gets whatever was appended to it (records already applied come back `unchanged`).
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import type { Env } from "../env.js";
import type { Logger } from "../runtime/logger.js";
import type { RecordFormat } from "./parse.js";
import { type SyncResult, syncBatchIn } from "./pipeline.js";
import { syncCursors } from "./schema.js";

export interface PullConfig {
  sourceUrl: string;
  token?: string;
  format: RecordFormat;
  /** Records asked per page (`limit`). */
  pageSize?: number;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  /** Retries of one page after a timeout, a network error, 429 or 5xx. */
  retries?: number;
  /** First backoff; doubled each retry, with jitter, capped at 30 s. */
  backoffMs?: number;
  /** Stops after this many pages (the rest is pulled next time); unbounded by default. */
  maxPages?: number;
}

export interface PullDeps {
  db: Db;
  now?: () => Date;
  logger?: Logger;
  /** Injected in tests to skip real waiting. */
  sleep?: (ms: number) => Promise<void>;
}

export interface PullResult {
  pages: number;
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: number;
  /** The stored cursor after this pull. */
  cursor: string | null;
}

/** The source answered something that retrying will not fix (4xx, not a page). */
export class PullError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "PullError";
  }
}

/** A failure worth retrying: timeout, network error, 429, 5xx. */
class TransientError extends Error {}

export const PULL_DEFAULTS = { pageSize: 1000, timeoutMs: 30_000, retries: 5, backoffMs: 500 } as const;
const MAX_BACKOFF_MS = 30_000;

/** The connector's configuration from the service's, or null when no source is configured. */
export function pullConfigFromEnv(env: Env): PullConfig | null {
  if (!env.SYNC_SOURCE_URL) return null;
  return { sourceUrl: env.SYNC_SOURCE_URL, token: env.SYNC_SOURCE_TOKEN, format: env.SYNC_SOURCE_FORMAT };
}

interface Page {
  records: unknown[];
  nextCursor: string | null;
}

function pageUrl(sourceUrl: string, cursor: string | null, limit: number): string {
  const url = new URL(sourceUrl);
  if (cursor !== null) url.searchParams.set("cursor", cursor);
  url.searchParams.set("limit", String(limit));
  return url.toString();
}

/** Where the sync_cursors row keeps this source's position: the URL without credentials. */
export function cursorKey(sourceUrl: string): string {
  const url = new URL(sourceUrl);
  url.username = "";
  url.password = "";
  return `pull:${url.toString()}`;
}

function readPage(body: unknown): Page {
  const page = body as Partial<Page> | null;
  if (typeof page !== "object" || page === null || !Array.isArray(page.records)) {
    throw new PullError('the source did not answer a page: expected { "records": [...], "nextCursor": ... }');
  }
  const next = page.nextCursor ?? null;
  if (next !== null && typeof next !== "string") {
    throw new PullError(`the source's nextCursor must be a string or null, got ${typeof next}`);
  }
  return { records: page.records, nextCursor: next };
}

async function fetchOnce(config: PullConfig, url: string): Promise<Page> {
  const doFetch = config.fetch ?? fetch;
  const headers: Record<string, string> = { accept: "application/json" };
  if (config.token) headers.authorization = `Bearer ${config.token}`;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, {
      headers,
      signal: AbortSignal.timeout(config.timeoutMs ?? PULL_DEFAULTS.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const reason = name === "TimeoutError" ? "timed out" : `failed: ${(error as Error).message ?? error}`;
    throw new TransientError(`GET ${redact(url)} ${reason}`);
  }
  if (response.status === 429 || response.status >= 500) {
    throw new TransientError(`GET ${redact(url)} answered ${response.status}`);
  }
  if (!response.ok) {
    throw new PullError(
      `GET ${redact(url)} answered ${response.status}: ${text.slice(0, 200)}`,
      response.status,
    );
  }
  try {
    return readPage(JSON.parse(text));
  } catch (error) {
    if (error instanceof PullError) throw error;
    throw new PullError(`GET ${redact(url)} answered malformed JSON: ${(error as Error).message}`);
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

async function fetchPage(config: PullConfig, deps: PullDeps, url: string): Promise<Page> {
  const retries = config.retries ?? PULL_DEFAULTS.retries;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(config, url);
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
      if (attempt >= retries) throw new PullError(`${error.message}; gave up after ${retries + 1} attempts`);
      const delay = backoffDelay(attempt, config.backoffMs ?? PULL_DEFAULTS.backoffMs);
      deps.logger?.warn("sync pull retry", { reason: error.message, attempt: attempt + 1, delayMs: delay });
      await sleep(delay);
    }
  }
}

export async function storedCursor(db: Db, key: string): Promise<string | null> {
  const [row] = await db.select().from(syncCursors).where(eq(syncCursors.source, key));
  return row?.cursor ?? null;
}

async function saveCursor(tx: Db, key: string, cursor: string | null, now: Date): Promise<void> {
  await tx.execute(sql`
    INSERT INTO sync_cursors (source, cursor, updated_at) VALUES (${key}, ${cursor}, ${now.toISOString()}::timestamptz)
    ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`);
}

/**
 * Pulls every page available now, from the stored cursor on. A page that cannot be fetched after
 * the retries stops the pull with a PullError; the pages before it stay committed, and the next
 * pull starts at the page that failed.
 */
export async function pullOnce(deps: PullDeps, config: PullConfig): Promise<PullResult> {
  const now = deps.now ?? (() => new Date());
  const key = cursorKey(config.sourceUrl);
  const limit = config.pageSize ?? PULL_DEFAULTS.pageSize;
  const total: PullResult = {
    pages: 0,
    records: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    stale: 0,
    rejected: 0,
    cursor: await storedCursor(deps.db, key),
  };
  while (total.pages < (config.maxPages ?? Number.POSITIVE_INFINITY)) {
    const cursor = total.cursor;
    const page = await fetchPage(config, deps, pageUrl(config.sourceUrl, cursor, limit));
    const next = page.nextCursor ?? cursor;
    const result = await deps.db.transaction(async (tx): Promise<SyncResult> => {
      const applied = await syncBatchIn(tx, {
        source: "pull",
        format: config.format,
        raws: page.records,
        now: now(),
        offset: total.records,
      });
      if (next !== cursor) await saveCursor(tx, key, next, now());
      return applied;
    });
    total.pages++;
    total.records += page.records.length;
    total.inserted += result.inserted;
    total.updated += result.updated;
    total.unchanged += result.unchanged;
    total.stale += result.stale;
    total.rejected += result.rejected.length;
    total.cursor = next;
    deps.logger?.info("sync pull page", {
      page: total.pages,
      records: page.records.length,
      inserted: result.inserted,
      updated: result.updated,
      rejected: result.rejected.length,
    });
    // A source that hands back the cursor it was given would loop forever: stop, it is caught up.
    if (page.nextCursor === null || page.nextCursor === cursor) break;
  }
  return total;
}
