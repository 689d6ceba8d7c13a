// GET /tra-cuu/{token}: public, no sign-in. Rate-limited per client address with the limiter of
// src/auth/rate-limit.ts — every lookup counts against a generous budget, and unknown tokens
// against a small one, so the tokens cannot be enumerated and the page cannot be scraped.
import { Hono } from "hono";
import { clientAddress, createFailureLimiter, type FailureLimiter } from "../../auth/rate-limit.js";
import type { AppDeps, AppEnv } from "../../http/context.js";
import { isStatusToken, STATUS_PAGE_PREFIX } from "../status-links.js";
import { statusFacts } from "./facts.js";
import { NotFoundPage, StatusPage, TooManyPage } from "./page.js";

/** Per address and minute: lookups of any kind, and lookups of tokens that do not exist. */
export const STATUS_PAGE_LIMITS = { lookups: 60, misses: 10, windowMs: 60_000 } as const;

interface Limiters {
  lookups: FailureLimiter;
  misses: FailureLimiter;
}

/** One pair per app (per process), like the token limiter. */
const limitersOf = new WeakMap<AppDeps, Limiters>();

function limiters(deps: AppDeps): Limiters {
  let found = limitersOf.get(deps);
  if (!found) {
    const windowMs = STATUS_PAGE_LIMITS.windowMs;
    found = {
      lookups: createFailureLimiter({ maxFailures: STATUS_PAGE_LIMITS.lookups, windowMs }),
      misses: createFailureLimiter({ maxFailures: STATUS_PAGE_LIMITS.misses, windowMs }),
    };
    limitersOf.set(deps, found);
  }
  return found;
}

/** The page's own policy: no script at all, the console's stylesheet, nothing framed. */
const POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const statusPageRoutes = new Hono<AppEnv>().get(`${STATUS_PAGE_PREFIX}:token`, async (c) => {
  const { deps } = c.var;
  c.header("content-security-policy", POLICY);
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
  const keys = [`status-page:${clientAddress(c, deps.trustProxy)}`];
  const { lookups, misses } = limiters(deps);
  const wait = Math.max(lookups.retryAfter(keys), misses.retryAfter(keys));
  if (wait > 0) {
    c.header("retry-after", String(wait));
    return c.html(<TooManyPage seconds={wait} />, 429);
  }
  lookups.recordFailure(keys);
  const token = c.req.param("token");
  const facts = isStatusToken(token) ? await statusFacts(deps.database.db, token, deps.clock.now()) : null;
  if (!facts) {
    misses.recordFailure(keys);
    return c.html(<NotFoundPage />, 404);
  }
  return c.html(<StatusPage facts={facts} />, 200);
});
