// What app.ts's shell does on every route, declared on each operation of the document: the errors
// its middleware answers (a route module declares what its handler decides: 404, 409, 422, never
// these), and that a route without a guard is public.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { ErrorSchema } from "../http/openapi.js";

type Registry = OpenAPIHono["openAPIRegistry"];
type RouteConfig = Extract<Registry["definitions"][number], { type: "route" }>["route"];

const retryAfter = {
  "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" as const } },
};

const errorOf = (description: string, headers?: typeof retryAfter) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema: ErrorSchema } },
});

const BAD_REQUEST = errorOf(
  "Malformed request: a parameter or body field fails its schema (details.errors names each), or the path holds U+0000",
);
const UNAUTHORIZED = errorOf("Missing, unknown, revoked or disabled bearer token");
const FORBIDDEN = errorOf("The token's role may not use this route");
const TOO_LARGE = errorOf("The body is larger than the route's limit (2 MB; sync 64 MB)");
const UNSUPPORTED = errorOf("The body's Content-Type is not one the route takes (application/json)");
const THROTTLED = errorOf(
  "Too many wrong tokens from this client address or with this token prefix: wait Retry-After seconds",
  retryAfter,
);
const INTERNAL = errorOf("An unexpected error; logged without the request's data");
const UNAVAILABLE = errorOf(
  "The database is out of reach, or a concurrent write to the same records got in the way (its transaction was rolled back): try again after Retry-After seconds",
  retryAfter,
);

/** What the shell can answer on this route besides the route's own answers. */
function serviceErrors(route: RouteConfig) {
  const api = route.path.startsWith("/api/");
  const guarded = (route.security?.length ?? 0) > 0;
  // The body limit reads any request that carries a body, whether the route takes one or not.
  const mayCarryBody = route.method !== "get" && route.method !== "head";
  return {
    ...(api ? { 400: BAD_REQUEST } : {}),
    ...(guarded ? { 401: UNAUTHORIZED, 403: FORBIDDEN, 429: THROTTLED } : {}),
    ...(api && mayCarryBody ? { 413: TOO_LARGE } : {}),
    ...(route.request?.body ? { 415: UNSUPPORTED } : {}),
    500: INTERNAL,
    // The circuit breaker stands before /api/* and /health.
    ...(api || route.path === "/health" ? { 503: UNAVAILABLE } : {}),
  };
}

/**
 * Adds to each route mounted so far the shell's answers it does not declare itself (a route's own
 * description of a status wins), and `security: []` to a route without a guard (/health), which a
 * reader would otherwise take for undocumented. Called once all routes are mounted.
 */
export function documentShell(registry: Registry): void {
  for (const definition of registry.definitions) {
    if (definition.type !== "route") continue;
    const route = definition.route;
    definition.route = {
      ...route,
      security: route.security ?? [],
      responses: { ...serviceErrors(route), ...route.responses },
    };
  }
}
