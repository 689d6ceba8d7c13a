import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { prepareDatabase } from "../../src/calendar/prepare-database.js";
import { type Database, openDatabase } from "../../src/db/client.js";

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server named by
 * TEST_DATABASE_URL (dropped afterwards), or else an in-memory PGlite. The suite runs once each way.
 * `prepare` replaces prepareDatabase (migrations, calendar, working time), e.g. to migrate differently;
 * `serverUrl` names another server than TEST_DATABASE_URL's (the benchmarks').
 */
export async function createTestDatabase(
  options: { prepare?: (database: Database) => Promise<void>; serverUrl?: string } = {},
): Promise<Database> {
  const prepare = options.prepare ?? prepareDatabase;
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ dataDir: "memory://" });
    await prepare(database);
    return database;
  }
  const name = `osm_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), maxConnections: 20 });
  await prepare(database);
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export const onPostgres = () => Boolean(process.env.TEST_DATABASE_URL);
