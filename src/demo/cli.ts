// `npm run demo [-- --dossiers N] [--seed S]`: loads a synthetic province into the configured
// database (DATABASE_URL, or PGlite under DATA_DIR, as the server opens it), runs a sweep as of now
// so that violations and the sweep history have content, and prints how to open the console with
// the tokens of its officers, an inspector and an admin (`npm start` on the same database).
// Beside a running service on PGlite it refuses at once (exit 75): only one process may open DATA_DIR.
import { parseArgs } from "node:util";
import { prepareDatabase } from "../calendar/prepare-database.js";
import { parseEnv } from "../env.js";
import { CliRefusal, cliTarget } from "../local/cli-target.js";
import { createLogger } from "../runtime/logger.js";
import { loadFirstLook } from "./first-look.js";
import { demoReport, n } from "./report.js";

const USAGE = `usage: npm run demo [-- --dossiers N] [--seed S]
  Loads a synthetic two-tier province (the province, its departments, its communes and wards) into
  the configured database — DATABASE_URL, or PGlite under DATA_DIR (./data) as npm start opens it —
  with a year of dossiers up to now, runs a sweep, and prints the console's address and sign-in tokens.
  --dossiers  dossiers over the year, default 20000
  --seed      seed of the synthetic data, default 1
  --help      this text
Then: npm start, and open http://localhost:3000/console`;

class UsageError extends Error {}

function readArguments(argv: string[]) {
  let values: { dossiers?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dossiers: { type: "string", default: "20000" },
        seed: { type: "string", default: "1" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  const dossiers = Number(values.dossiers);
  const seed = Number(values.seed);
  if (!Number.isInteger(dossiers) || dossiers < 0) throw new UsageError("--dossiers must be a whole number");
  if (!Number.isInteger(seed)) throw new UsageError("--seed must be an integer");
  return { dossiers, seed };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof readArguments>;
  try {
    args = readArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`demo: ${error.message}\n${USAGE}\n`);
    return 64;
  }
  if (args === null) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = parseEnv(process.env);
  const target = await cliTarget(env, { command: "npm run demo", throughService: false });
  if (target.kind !== "database") throw new Error("npm run demo works on the database only");
  const { database } = target;
  try {
    await prepareDatabase(database);
    const started = performance.now();
    const now = new Date();
    const { summary, sweep: outcome } = await loadFirstLook(database, {
      ...args,
      now,
      logger: createLogger("warn", (line) => process.stderr.write(`${line}\n`)),
      onProgress: (count) => process.stderr.write(`demo: ${n(count)} dossiers\n`),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const sweep = outcome.ran
      ? `sweep ${outcome.run.id} ${outcome.run.status} in ${n(outcome.run.durationMs ?? 0)} ms`
      : "a sweep is already running; run npm run sweep later";
    process.stdout.write(`${demoReport(summary, seconds, sweep)}\n`);
    return 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const refused = error instanceof CliRefusal;
    process.stderr.write(
      `demo: ${refused ? "" : "failed: "}${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = refused ? error.exitCode : 1;
  },
);
