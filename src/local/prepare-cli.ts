// `npm run db:prepare [-- --partition]`: what the Node server does at start before serving —
// migrations, calendar years, working-time tables, the ADMIN_TOKEN admin — on the configured
// database, then exits. The deploy step of the Workers target, whose isolates never migrate
// (src/worker.ts). `--partition` then partitions the big tables as docs/SCALE-OUT.md proposes
// (tables already partitioned are left alone, so it can be given on every deploy).
import { ensureAdmin } from "../auth/queries.js";
import { prepareDatabase } from "../calendar/prepare-database.js";
import { partitionTables } from "../db/partitioning.js";
import { parseEnv } from "../env.js";
import { CliRefusal, cliTarget } from "./cli-target.js";

const USAGE = `usage: npm run db:prepare [-- --partition]
  migrations, calendar years, working-time tables and the ADMIN_TOKEN admin on the configured
  database (DATABASE_URL, else PGlite under DATA_DIR), as the service does at start
  --partition  then partition the big tables as docs/SCALE-OUT.md proposes
  --help       this text`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const unknown = args.filter((a) => a !== "--partition");
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]}\n${USAGE}`);
  const env = parseEnv(process.env);
  // Beside a running service on PGlite: refused (the service prepared it when it started).
  const target = await cliTarget(env, { command: "npm run db:prepare", throughService: false });
  if (target.kind !== "database") throw new Error("db:prepare works on the database only");
  const { database } = target;
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
    await target.close();
  }
}

main().catch((error) => {
  const refused = error instanceof CliRefusal;
  process.stderr.write(
    `db:prepare: ${refused ? "" : "failed: "}${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = refused ? error.exitCode : 1;
});
