import { sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { type CircuitBreaker, createBreaker } from "../db/breaker.js";
import type { Database } from "../db/client.js";
import { databaseUnavailable } from "../db/errors.js";
import type { AppDeps, AppEnv } from "./context.js";
import { databaseUnreachable } from "./errors.js";

/** The app's breaker, made on first use: one per app (per process, per Workers isolate). */
export function breakerOf(deps: AppDeps): CircuitBreaker {
  deps.breaker ??= createBreaker();
  return deps.breaker;
}

/** Whether the database answers now; a failure that is not "unreachable" is the request's to report. */
async function probe(database: Database, breaker: CircuitBreaker): Promise<void> {
  try {
    await database.db.execute(sql`select 1`);
  } catch (error) {
    if (!databaseUnavailable(error)) throw error;
    breaker.failed();
    throw databaseUnreachable();
  }
  breaker.succeeded();
}

/**
 * 503 at once while the database is known to be unreachable (src/db/breaker.ts); one request per
 * probe interval checks it first and, when it answers, goes on and closes the breaker for all.
 * Failures open it from app.onError, where every unreachable-database error passes.
 */
export const databaseBreaker = createMiddleware<AppEnv>(async (c, next) => {
  const { deps } = c.var;
  const breaker = breakerOf(deps);
  const decision = breaker.decide();
  if (decision === "refuse") throw databaseUnreachable();
  if (decision === "probe") await probe(deps.database, breaker);
  await next();
});
