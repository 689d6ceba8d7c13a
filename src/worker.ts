// Cloudflare Workers entry (wrangler.toml): the same app and the same sweep as src/server.ts, on
// PostgreSQL through Hyperdrive. An isolate serves many requests but may not keep sockets between
// them, so each invocation opens its own postgres.js client on the binding's connection string and
// closes it after the response (Hyperdrive pools the real connections). Migrations, the calendar
// seed and the admin token are not run here: `npm run db:prepare` does them once per deploy, from
// Node, against the same database (every isolate racing to migrate would be wrong).

import tinosBold from "../templates/fonts/Tinos-Bold.ttf";
import tinosBoldItalic from "../templates/fonts/Tinos-BoldItalic.ttf";
import tinosItalic from "../templates/fonts/Tinos-Italic.ttf";
import tinosRegular from "../templates/fonts/Tinos-Regular.ttf";
import { createApp } from "./app.js";
import { createPrincipalCache } from "./auth/principal-cache.js";
import { createFailureLimiter } from "./auth/rate-limit.js";
import { createBreaker } from "./db/breaker.js";
import { type Database, openPostgres } from "./db/client.js";
import { parseEnv } from "./env.js";
import type { AppDeps } from "./http/context.js";
import { letterServicesFromWorkerEnv } from "./letters/setup-worker.js";
import { createLetterFonts, type LetterFonts } from "./pdf/fonts.js";
import { systemClock } from "./runtime/clock.js";
import { createLogger } from "./runtime/logger.js";
import { runSweep } from "./sweep/run.js";
import { pullConfigFromEnv } from "./sync/pull.js";

/** What wrangler.toml binds: Hyperdrive, and [vars] / secrets as strings. */
export interface WorkerEnv {
  HYPERDRIVE: { connectionString: string };
  [name: string]: unknown;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

interface ScheduledController {
  scheduledTime: number;
  cron: string;
}

/** Connections per invocation: a request runs its queries in order, a transaction holds one. */
const MAX_CONNECTIONS = 3;

/** The same schema as Node (src/env.ts), on the Worker's string variables; bindings are not config. */
export function parseWorkerEnv(env: WorkerEnv) {
  const strings = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  return parseEnv(strings);
}

/** Failed token checks, counted per isolate (src/auth/rate-limit.ts says what that means). */
const authFailures = createFailureLimiter();
/** Valid tokens' principals and the database breaker, per isolate too: deps are per invocation. */
const principals = createPrincipalCache();
const breaker = createBreaker();

let fonts: LetterFonts | undefined;

/** Parsed once per isolate, from the TTFs bundled as Data modules. */
function letterFonts(): LetterFonts {
  fonts ??= createLetterFonts({
    regular: new Uint8Array(tinosRegular),
    bold: new Uint8Array(tinosBold),
    italic: new Uint8Array(tinosItalic),
    boldItalic: new Uint8Array(tinosBoldItalic),
  });
  return fonts;
}

function invocationDeps(env: WorkerEnv): AppDeps {
  const config = parseWorkerEnv(env);
  // Hyperdrive already pools; the array-type lookup would be one more round trip per invocation.
  const database: Database = openPostgres(env.HYPERDRIVE.connectionString, {
    max: MAX_CONNECTIONS,
    fetchTypes: false,
  });
  return {
    database,
    clock: systemClock,
    logger: createLogger(config.LOG_LEVEL),
    letterFonts: letterFonts(),
    sweep: { pullSource: pullConfigFromEnv(config) },
    authFailures,
    principals,
    breaker,
  };
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    // The app is built per request around this invocation's client (≈ 1.5 ms of routing tables).
    const deps = invocationDeps(env);
    try {
      deps.letters = await letterServicesFromWorkerEnv(parseWorkerEnv(env));
      return await createApp(deps).fetch(request);
    } finally {
      ctx.waitUntil(deps.database.close());
    }
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const deps = invocationDeps(env);
    const sweep = runSweep(deps, { trigger: "worker" })
      .then((outcome) =>
        deps.logger.info("scheduled sweep", {
          cron: controller.cron,
          ran: outcome.ran,
          sweepId: outcome.ran ? outcome.run.id : outcome.runningSweepId,
        }),
      )
      .finally(() => deps.database.close());
    ctx.waitUntil(sweep);
  },
};
