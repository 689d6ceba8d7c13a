import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/context.js";
import { ApiError } from "../http/errors.js";
import { hasRole } from "./principal.js";
import { principalCacheOf } from "./principal-cache.js";
import { findPrincipal } from "./queries.js";
import { throttledCheck } from "./rate-limit.js";
import { ROLES, type Role } from "./schema.js";

const BEARER = /^Bearer\s+(\S+)$/i;

/** 401 without a valid token, 403 when the role may not call the route. Runs before body validation. */
export function requireRoles(roles: readonly Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const match = BEARER.exec(c.req.header("authorization") ?? "");
    if (!match)
      throw new ApiError("UNAUTHORIZED", "A bearer token is required (Authorization: Bearer <token>)");
    const token = match[1];
    const { deps } = c.var;
    const cache = principalCacheOf(deps);
    const principal = await throttledCheck(c, token, () => findPrincipal(deps.database.db, token, cache));
    if (!principal) throw new ApiError("UNAUTHORIZED", "The bearer token is not valid");
    if (!hasRole(principal, roles)) {
      throw new ApiError("FORBIDDEN", `The role ${principal.role} may not do this`, { allowed: [...roles] });
    }
    c.set("principal", principal);
    await next();
  });
}

/**
 * Access of a route, in one place: the middleware that enforces it and the `x-access` extension
 * from which the security test generates its 401/403/404 cases, so no route can skip them.
 * `scoped` routes answer 404 for resources outside the caller's agency scope.
 */
export function guard(roles: readonly Role[], access: { scoped: boolean }) {
  return {
    middleware: requireRoles(roles),
    security: [{ bearer: [] as string[] }],
    "x-access": { roles: [...roles], scoped: access.scoped },
  };
}

/** Who may read dossiers and their agencies through the API: every role (the console leaves out `system`, which never signs in). */
export const READERS = ROLES;
