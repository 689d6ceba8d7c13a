// `npm run sweep -- [--as-of ISO] [--full]`: one sweep on the configured database (DATABASE_URL,
// or PGlite under DATA_DIR, exactly as the server opens it), with the same pull source; the
// summary on stdout. Exit codes: see command.ts.
import { openDatabase } from "../db/client.js";
import { prepareDatabase } from "../db/prepare.js";
import { parseEnv } from "../env.js";
import { systemClock } from "../http/clock.js";
import { createLogger } from "../http/logger.js";
import { pullConfigFromEnv } from "../sync/pull.js";
import { readArguments, type SweepArguments, sweepCommand, USAGE } from "./command.js";

async function main(): Promise<number> {
  let args: SweepArguments;
  try {
    args = readArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`sweep: ${(error as Error).message}\n${USAGE}\n`);
    return 64;
  }
  const env = parseEnv(process.env);
  // The summary is the output; the log says only what went wrong, on stderr.
  const logger = createLogger(env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL, (line) =>
    process.stderr.write(`${line}\n`),
  );
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    await prepareDatabase(database);
    return await sweepCommand(
      args,
      { database, clock: systemClock, logger, sweep: { pullSource: pullConfigFromEnv(env) } },
      { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) },
    );
  } finally {
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`sweep: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
