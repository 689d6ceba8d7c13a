// `npm run sweep -- [--as-of ISO] [--full]`: one sweep on the configured database (DATABASE_URL,
// or PGlite under DATA_DIR, exactly as the server opens it), with the same pull source; the
// summary on stdout. Beside a service that owns DATA_DIR, the service runs it (POST /api/v1/sweeps
// with the local admin token, src/local/). Exit codes: see command.ts; 75 also when DATA_DIR is
// held by a process that is not a service.

import { prepareDatabase } from "../calendar/prepare-database.js";
import { parseEnv } from "../env.js";
import { CliRefusal, cliTarget } from "../local/cli-target.js";
import { systemClock } from "../runtime/clock.js";
import { createLogger } from "../runtime/logger.js";
import { pullConfigFromEnv } from "../sync/pull.js";
import { readArguments, reportSweep, type SweepArguments, sweepCommand, USAGE } from "./command.js";
import { sweepThroughService } from "./through-service.js";

const output = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

async function main(): Promise<number> {
  if (process.argv.slice(2).includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
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
  const target = await cliTarget(env, { command: "npm run sweep", throughService: true });
  try {
    if (target.kind === "service") {
      process.stderr.write(
        `sweep: run by the service that owns DATA_DIR (pid ${target.service.holder.pid})\n`,
      );
      return reportSweep(await sweepThroughService(target.service, args), output);
    }
    await prepareDatabase(target.database);
    return await sweepCommand(
      args,
      {
        database: target.database,
        clock: systemClock,
        logger,
        sweep: { pullSource: pullConfigFromEnv(env) },
      },
      output,
    );
  } finally {
    await target.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `sweep: ${error instanceof CliRefusal ? "" : "failed: "}${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = error instanceof CliRefusal ? error.exitCode : 1;
  },
);
