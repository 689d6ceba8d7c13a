import type { MiddlewareHandler } from "hono";
import type { CircuitBreaker } from "../db/breaker.js";
import type { Database } from "../db/client.js";
import type { LetterFonts } from "../pdf/fonts.js";
import type { Clock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";

/**
 * What the app needs from the outside world, injected by server.ts, worker.ts or a test. A domain
 * above http adds its own slot where it declares its type (`declare module "../http/context.js"`):
 * auth's failure limiter and principal cache in auth/context.ts, `letters` in letters/services.ts,
 * `sweep` in sweep/run.ts: this plumbing knows nothing of them.
 */
export interface AppDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** The letter typeface, read and parsed once per process and shared by every render. */
  letterFonts: LetterFonts;
  /** Open while the database is unreachable: requests answer 503 at once; createApp makes one when absent. */
  breaker?: CircuitBreaker;
  /** Behind a reverse proxy (TRUST_PROXY): the client is the last X-Forwarded-For hop. */
  trustProxy?: boolean;
  /**
   * Tests only: runs around every request, outermost, so it sees each final answer (errors
   * included); the suite's check of every answer against the OpenAPI document (test/helpers/contract.ts).
   */
  responseContract?: MiddlewareHandler<AppEnv>;
}

/** A request's variables; src/auth/context.ts adds the principal the guard resolved. */
export interface AppVariables {
  deps: AppDeps;
}

export interface AppEnv {
  Variables: AppVariables;
}
