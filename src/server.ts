// Node entry: configuration, DATA_DIR's lock (PGlite), database and migrations, the admin token, the
// HTTP server, the nightly schedule, faults outside requests contained, and a graceful shutdown on
// SIGTERM/SIGINT.
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { ensureAdmin } from "./auth/queries.js";
import { prepareDatabase } from "./calendar/prepare-database.js";
import { openDatabase } from "./db/client.js";
import { parseEnv } from "./env.js";
import { letterRenderThread } from "./letters/render-thread.js";
import { letterServicesFromEnv } from "./letters/setup-node.js";
import { loopbackUrl, ownDataDir } from "./local/owner.js";
import { loadLetterFonts } from "./pdf/fonts.js";
import { systemClock } from "./runtime/clock.js";
import { createLogger, errorFields, type Logger } from "./runtime/logger.js";
import { runSweep } from "./sweep/run.js";
import { scheduleSweeps } from "./sweep/schedule.js";
import { pullConfigFromEnv } from "./sync/pull.js";

export async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const logger = createLogger(env.LOG_LEVEL);
  // PGlite has one owner: taken before it is opened (a second process would corrupt it).
  const owner = env.DATABASE_URL ? null : await ownDataDir(env.DATA_DIR);
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  await prepareDatabase(database);
  if (env.ADMIN_TOKEN) {
    const admin = await ensureAdmin(database.db, env.ADMIN_TOKEN);
    if (admin.created) logger.info("admin ensured from ADMIN_TOKEN", { userId: admin.id });
  }
  const letterFonts = await loadLetterFonts();
  const renderThread = letterRenderThread(letterFonts);
  const deps = {
    database,
    clock: systemClock,
    logger,
    letterFonts,
    letterRenderer: renderThread.render,
    letters: await letterServicesFromEnv(env),
    sweep: { pullSource: pullConfigFromEnv(env) },
    trustProxy: env.TRUST_PROXY,
  };
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
    logger.info("listening", { port: info.port, db: database.kind });
    process.stdout.write(
      `Console: http://${/^(0\.0\.0\.0|::)$/.test(env.HOST) ? "localhost" : env.HOST}:${info.port}/console  (API docs: /docs)\n`,
    );
    // CLIs started beside it work through its API (src/local/cli-target.ts).
    owner?.serveClis(database, loopbackUrl(env.HOST, info.port)).then(
      () => logger.info("DATA_DIR open to local CLIs", { dataDir: env.DATA_DIR }),
      (error) => logger.error("local CLI credential not written", errorFields(error)),
    );
  });
  containFaults(logger);
  const sweeps = scheduleSweeps({
    expression: env.SWEEP_CRON,
    timezone: env.SWEEP_TIMEZONE,
    logger,
    run: () => runSweep(deps, { trigger: "cron" }),
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    await sweeps?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await renderThread.close();
    await (owner ? owner.close(database) : database.close());
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

/**
 * Once serving, a fault outside any request — a driver's callback, a timer, a promise nobody
 * awaited — is logged and contained: the process stays up (no supervisor is assumed), and the
 * requests and the sweep answer for themselves (503, a failed run).
 */
function containFaults(logger: Logger): void {
  process.on("unhandledRejection", (reason) =>
    logger.error("unhandled rejection, contained", errorFields(reason)),
  );
  process.on("uncaughtException", (error) =>
    logger.error("uncaught exception, contained", errorFields(error)),
  );
}

main().catch((error: unknown) => {
  // Before serving (configuration, DATA_DIR taken, migrations): say why and stop.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
