import type { MiddlewareHandler } from "hono";
import type { Principal } from "../auth/principal.js";
import type { PrincipalCache } from "../auth/principal-cache.js";
import type { FailureLimiter } from "../auth/rate-limit.js";
import type { CircuitBreaker } from "../db/breaker.js";
import type { Database } from "../db/client.js";
import type { LetterFonts } from "../pdf/fonts.js";
import type { Clock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";

/**
 * What the app needs from the outside world, injected by server.ts, worker.ts or a test. A domain
 * above http adds its own slot where it declares its type (`declare module "../http/context.js"`):
 * `letters` in letters/services.ts, `sweep` in sweep/run.ts.
 */
export interface AppDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** The letter typeface, read and parsed once per process and shared by every render. */
  letterFonts: LetterFonts;
  /** Failed token checks per client address and token prefix; createApp makes one when absent. */
  authFailures?: FailureLimiter;
  /** Principals of valid tokens, remembered for a moment; createApp makes one when absent. */
  principals?: PrincipalCache;
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

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
  };
}
