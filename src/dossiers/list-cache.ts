import { sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import { type Db, queryRowsPrepared } from "../db/client.js";
import type { DossierSummary } from "./api-schemas.js";
import { type DossierListFilter, listDossiers } from "./list.js";

/**
 * How long a list page as of "now" is served again, in the app clock's time: the page says the
 * instant it is as of, so an answer up to this old is still true as of what it says. A list asked
 * as of a given instant is served again for the same time; the snapshot check below keeps either
 * from outliving a write.
 */
export const LIST_REUSE_MS = 1_000;
const MAX_ENTRIES = 256;

type ListPage = { items: DossierSummary[]; nextCursor: string | null };
interface Entry {
  /** pg_current_snapshot() read before the page was: equal later means no commit in between. */
  snapshot: string;
  asOf: Date;
  /** When the entry was made, by the app clock. */
  at: number;
  page: Promise<ListPage>;
}

/** One cache per database: tests open many in one process, and a page belongs to its data. */
const caches = new WeakMap<Db, Map<string, Entry>>();

/**
 * The dossier list, served again to every caller of the same scope and filters while PostgreSQL
 * has committed nothing since it was read and it is under LIST_REUSE_MS old. Inspectors of one
 * district open the same first pages all day (npm run test:reliability's load section: 100
 * connections on two pages); the page's statement costs a few milliseconds of planning and reading,
 * the snapshot check a tenth of one. Concurrent misses for one key wait for one read.
 */
export async function reusedDossierList(
  db: Db,
  principal: Principal,
  filter: Omit<DossierListFilter, "asOf">,
  asked: Date | undefined,
  now: Date,
): Promise<ListPage & { asOf: Date }> {
  const cache = caches.get(db) ?? new Map<string, Entry>();
  caches.set(db, cache);
  const key = JSON.stringify([
    principal.scopeKind,
    principal.scopeAgencyCode,
    principal.scopePath,
    asked?.toISOString() ?? null,
    filter,
  ]);
  const snapshot = await currentSnapshot(db);
  const entry = cache.get(key);
  const age = entry ? now.getTime() - entry.at : Number.POSITIVE_INFINITY;
  if (entry && entry.snapshot === snapshot && age >= 0 && age < LIST_REUSE_MS) {
    return { ...(await entry.page), asOf: entry.asOf };
  }
  const asOf = asked ?? now;
  const fresh: Entry = {
    snapshot,
    asOf,
    at: now.getTime(),
    page: listDossiers(db, principal, { ...filter, asOf }),
  };
  cache.delete(key);
  cache.set(key, fresh);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  // A failed read is not kept: the next caller reads again.
  fresh.page.catch(() => cache.get(key) === fresh && cache.delete(key));
  return { ...(await fresh.page), asOf };
}

async function currentSnapshot(db: Db): Promise<string> {
  const [row] = await queryRowsPrepared<{ s: string }>(db, sql`SELECT pg_current_snapshot()::text AS s`);
  return row.s;
}
