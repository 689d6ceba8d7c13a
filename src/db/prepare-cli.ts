// `npm run db:prepare`: what the Node server does at start before serving — migrations, calendar
// years, working-time tables, the ADMIN_TOKEN admin — on the configured database, then exits.
// The deploy step of the Workers target, whose isolates never migrate (src/worker.ts).
import { ensureAdmin } from "../auth/queries.js";
import { parseEnv } from "../env.js";
import { openDatabase } from "./client.js";
import { prepareDatabase } from "./prepare.js";

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    await prepareDatabase(database);
    if (env.ADMIN_TOKEN) {
      const admin = await ensureAdmin(database.db, env.ADMIN_TOKEN);
      process.stdout.write(`db:prepare: admin ${admin.created ? "created" : "present"} (user ${admin.id})\n`);
    }
    process.stdout.write(`db:prepare: ${database.kind} ready\n`);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  process.stderr.write(`db:prepare: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
