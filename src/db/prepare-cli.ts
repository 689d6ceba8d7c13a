// `npm run db:prepare [-- --partition]`: what the Node server does at start before serving —
// migrations, calendar years, working-time tables, the ADMIN_TOKEN admin — on the configured
// database, then exits. The deploy step of the Workers target, whose isolates never migrate
// (src/worker.ts). `--partition` then partitions the big tables as docs/SCALE-OUT.md proposes
// (tables already partitioned are left alone, so it can be given on every deploy).
import { ensureAdmin } from "../auth/queries.js";
import { parseEnv } from "../env.js";
import { openDatabase } from "./client.js";
import { partitionTables } from "./partitioning.js";
import { prepareDatabase } from "./prepare.js";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--partition");
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]} (usage: db:prepare [--partition])`);
  const env = parseEnv(process.env);
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    await prepareDatabase(database);
    if (env.ADMIN_TOKEN) {
      const admin = await ensureAdmin(database.db, env.ADMIN_TOKEN);
      process.stdout.write(`db:prepare: admin ${admin.created ? "created" : "present"} (user ${admin.id})\n`);
    }
    if (args.includes("--partition")) {
      const converted = await partitionTables(database.db);
      process.stdout.write(
        `db:prepare: partitioned ${converted.length ? converted.join(", ") : "nothing new"}\n`,
      );
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
