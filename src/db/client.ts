// Loaded by the app on Node and on Workers: PGlite, the file system and the migrations folder are
// reached only when the Node path opens PGlite or migrates, never when the module loads.
import { is, type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres, PostgresJsSession } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "../schema.js";

export type Schema = typeof schema;
/** One type for both drivers: every query function takes a `Db` (or a transaction of one). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = "pglite" | "postgres";

export interface Database {
  db: Db;
  kind: DbKind;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** drizzle/ beside src/, as a path (the migrators read it with node:fs). */
async function migrationsFolder(): Promise<string> {
  const { fileURLToPath } = await import("node:url");
  return fileURLToPath(new URL("../../drizzle", import.meta.url));
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** PGlite directory; `memory://` (or undefined with no url) keeps it in memory. */
  dataDir?: string;
  maxConnections?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, { max: options.maxConnections ?? 10 });
  return openPglite(options.dataDir ?? "memory://");
}

const CONNECT_TIMEOUT_SECONDS = 5;

/** 50 ms, doubling up to half a second: a down server costs a refused connect per request, no more. */
const reconnectDelaySeconds = (retries: number) => Math.min(0.05 * 2 ** retries, 0.5);

export interface PostgresOptions {
  max: number;
  /** postgres.js looks up the array types of non-built-in types on connect: a round trip per connection. */
  fetchTypes?: boolean;
}

/** postgres.js on a URL: the Node pool, or one Worker invocation's client through Hyperdrive. */
export function openPostgres(url: string, { max, fetchTypes = true }: PostgresOptions): Database {
  // Notices (e.g. "relation already exists, skipping") are not errors; keep them out of the logs.
  // connect_timeout: a server that does not answer fails the request in seconds (503), not the
  // driver's default 30 s; the pool opens new connections by itself once the server is back.
  // backoff: the driver waits this long before reconnecting a connection that closed on an error,
  // holding the queries that wait for it; its default grows to 20 s while the server is down, so
  // every request hung for seconds instead of answering 503 at once.
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connection: { TimeZone: "UTC" },
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    backoff: reconnectDelaySeconds,
    fetch_types: fetchTypes,
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    migrate: async () => {
      const { migrate } = await import("drizzle-orm/postgres-js/migrator");
      await migrate(db as never, { migrationsFolder: await migrationsFolder() });
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const [{ PGlite }, { drizzle }, { mkdir }, { pg_trgm }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("node:fs/promises"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
  ]);
  if (!dataDir.includes("://")) await mkdir(dataDir, { recursive: true });
  // pg_trgm: the dossier search's index (migration 0014), as on PostgreSQL.
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    migrate: async () => {
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      await migrate(db as never, { migrationsFolder: await migrationsFolder() });
    },
    close: () => client.close(),
  };
}

/**
 * The postgres.js transaction under a drizzle transaction, for what drizzle cannot send (COPY …
 * FROM STDIN); undefined on PGlite and outside a transaction, where statements may each take a
 * different pooled connection and a temporary table would not be seen by the next one.
 */
export function postgresTransactionOf(db: Db): postgres.TransactionSql | undefined {
  const session: unknown = db._.session;
  if (!is(session, PostgresJsSession)) return undefined;
  const client: postgres.Sql | postgres.TransactionSql = session.client;
  return isTransaction(client) ? client : undefined;
}

const isTransaction = (client: postgres.Sql | postgres.TransactionSql): client is postgres.TransactionSql =>
  "savepoint" in client;

/**
 * The rows of a hot read (the dossier list) as a named prepared statement on postgres.js: its text is
 * sent and parsed once per connection, and PostgreSQL may keep a generic plan, where drizzle's
 * `execute` sends and plans every statement anew (at 100 connections that was most of the list's
 * database time). The statement's text must not embed values (they are parameters), or every call
 * would prepare a new one. PGlite, one connection in process, runs it as `queryRows` does.
 */
export async function queryRowsPrepared<T>(
  db: Db,
  query: SQL,
  options: { plannedEachTime?: boolean } = {},
): Promise<T[]> {
  const session: unknown = db._.session;
  if (!is(session, PostgresJsSession)) return queryRows<T>(db, query);
  const client: postgres.Sql | postgres.TransactionSql = session.client;
  const { sql: text, params } = (db as unknown as { dialect: PgDialectLike }).dialect.sqlToQuery(query);
  // A named statement's plan may become generic after five runs; an unnamed one is planned with
  // its values every time — what a statement whose best plan depends on them needs.
  const prepare = !options.plannedEachTime;
  return (await client.unsafe(text, params as never[], { prepare })) as unknown as T[];
}

interface PgDialectLike {
  sqlToQuery(query: SQL): { sql: string; params: unknown[] };
}

/** `db.execute` answers an array on postgres.js and `{ rows }` on PGlite; this gives the rows on both. */
export async function queryRows<T>(db: Pick<Db, "execute">, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/**
 * A text[] of the values, sent as one JSON parameter: drizzle would expand a JS array into one
 * parameter per element, and both drivers accept one JSON string the same way.
 */
export function textArray(values: readonly string[]): SQL {
  return sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}
