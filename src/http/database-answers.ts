// Errors the database raises that are not faults of the code: the database out of reach (503, the
// client may retry; the breaker opens), a write that lost to a concurrent one (503, the client may
// send it again; the database is fine) and text PostgreSQL cannot store (400, the request's fault).
// Each such transaction wrote nothing. The API's onError and the console's answer them the same way.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import { concurrentWriteConflict, databaseUnavailable, unstorableText } from "../db/errors.js";
import { errorFields } from "../runtime/logger.js";
import { breakerOf } from "./breaker.js";
import type { AppEnv } from "./context.js";
import { ApiError, concurrentWriteRetry, databaseUnreachable } from "./errors.js";

/** The answer to a database error that is not a bug, or null for any other error. */
export function databaseAnswer(error: unknown, c: Context): ApiError | null {
  if (error instanceof HTTPException) return null;
  if (databaseUnavailable(error)) {
    // The pool reconnects by itself; until then the breaker answers 503 without waiting.
    const { deps } = c.var as Partial<AppEnv["Variables"]>;
    if (deps) breakerOf(deps).failed();
    deps?.logger.warn("database unavailable", {
      route: routePath(c, -1),
      method: c.req.method,
      ...errorFields(error),
    });
    return databaseUnreachable();
  }
  if (concurrentWriteConflict(error)) return concurrentWriteRetry();
  if (unstorableText(error)) {
    return new ApiError("BAD_REQUEST", "The request holds text that cannot be stored (U+0000)");
  }
  return null;
}
