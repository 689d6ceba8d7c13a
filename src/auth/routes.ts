import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../http/context.js";
import { ApiError } from "../http/errors.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { SqlId } from "../http/params.js";
import { CreatedUser, IssuedToken, RevokedToken, UserList, UserState } from "./api-schemas.js";
import { guard } from "./guard.js";
import { issueToken, revokeToken, rotateToken, setUserDisabled, tokensOf } from "./lifecycle.js";
import { principalCacheOf } from "./principal-cache.js";
import { listUsers, type NewUser, registerUser } from "./queries.js";
import { ROLES } from "./schema.js";

const UserBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: z.enum(ROLES as [string, ...string[]]).transform((r) => r as NewUser["role"]),
    agencyCode: z.string().trim().min(1).max(64).optional(),
    scope: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: '"all" or an agency code whose subtree the inspector covers' }),
  })
  .superRefine((u, ctx) => {
    if (u.role === "officer" && !u.agencyCode)
      ctx.addIssue({ code: "custom", path: ["agencyCode"], message: "officers need agencyCode" });
    if (u.role === "inspector" && !u.scope)
      ctx.addIssue({
        code: "custom",
        path: ["scope"],
        message: 'inspectors need a scope: "all" or an agency code',
      });
  })
  .openapi("UserInput");

const createUserRoute = createRoute({
  method: "post",
  path: "/api/v1/users",
  tags: ["Access"],
  summary: "Create a user and its bearer token (shown once)",
  ...guard(["admin"], { scoped: false }),
  request: { body: { content: { "application/json": { schema: UserBody } }, required: true } },
  responses: {
    201: json(CreatedUser, "Created; keep the token, it is not shown again"),
    ...errorResponses(400, 401, 403, 422),
  },
});

const IdParam = z.object({ id: SqlId.openapi({ example: 12 }) });

const adminAccess = guard(["admin"], { scoped: false });

const listUsersRoute = createRoute({
  method: "get",
  path: "/api/v1/users",
  tags: ["Access"],
  summary: "Every user with their tokens (ids and dates; a token itself is never shown again)",
  ...adminAccess,
  responses: {
    200: json(UserList, "Users"),
    ...errorResponses(401, 403),
  },
});

const userStateRoute = (action: "disable" | "enable") =>
  createRoute({
    method: "post",
    path: `/api/v1/users/{id}/${action}`,
    tags: ["Access"],
    summary:
      action === "disable"
        ? "Disable a user: every token of theirs stops working and their console sessions end, at once"
        : "Enable a disabled user again: their unrevoked tokens work again",
    ...adminAccess,
    request: { params: IdParam },
    responses: {
      200: json(UserState, "The user's state"),
      ...errorResponses(400, 401, 403, 404, 422),
    },
  });

const issueTokenRoute = createRoute({
  method: "post",
  path: "/api/v1/users/{id}/tokens",
  tags: ["Access"],
  summary: "Issue a user one more token (shown once)",
  ...adminAccess,
  request: { params: IdParam },
  responses: { 201: json(IssuedToken, "The new token"), ...errorResponses(400, 401, 403, 404) },
});

const revokeTokenRoute = createRoute({
  method: "post",
  path: "/api/v1/tokens/{id}/revoke",
  tags: ["Access"],
  summary: "Revoke a token: it stops working and the console sessions opened with it end, at once",
  ...adminAccess,
  request: { params: IdParam },
  responses: {
    200: json(RevokedToken, "The revoked token"),
    ...errorResponses(400, 401, 403, 404),
  },
});

const rotateTokenRoute = createRoute({
  method: "post",
  path: "/api/v1/tokens/{id}/rotate",
  tags: ["Access"],
  summary: "Replace a token by a new one for the same user: the old one is revoked at once",
  ...adminAccess,
  request: { params: IdParam },
  responses: { 201: json(IssuedToken, "The new token"), ...errorResponses(400, 401, 403, 404, 422) },
});

const rotateOwnTokenRoute = createRoute({
  method: "post",
  path: "/api/v1/me/token/rotate",
  tags: ["Access"],
  summary: "Replace the token this request carries by a new one (e.g. after it was seen by someone)",
  ...guard(ROLES, { scoped: false }),
  responses: { 201: json(IssuedToken, "The new token"), ...errorResponses(401) },
});

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/** The old token stops at once in this process; the cache would otherwise trust it for its moment. */
const forgetUser = (c: Context<AppEnv>, userId: number) => principalCacheOf(c.var.deps).forgetUser(userId);

export const authRoutes = createRouter()
  .openapi(createUserRoute, async (c) => {
    const created = await registerUser(c.var.deps.database.db, c.var.principal, c.req.valid("json"));
    return c.json(created, 201);
  })
  .openapi(listUsersRoute, async (c) => {
    const db = c.var.deps.database.db;
    const users = await listUsers(db);
    const tokens = await tokensOf(
      db,
      users.map((u) => u.id),
    );
    const items = users.map((u) => ({
      id: u.id,
      name: u.name,
      role: u.role,
      scopeKind: u.scopeKind,
      scopeAgencyCode: u.scopeAgencyCode,
      createdAt: u.createdAt.toISOString(),
      disabledAt: iso(u.disabledAt),
      tokens: tokens
        .filter((t) => t.userId === u.id)
        .map((t) => ({ id: t.id, createdAt: t.createdAt.toISOString(), revokedAt: iso(t.revokedAt) })),
    }));
    return c.json({ items }, 200);
  })
  .openapi(userStateRoute("disable"), async (c) => {
    const { id } = c.req.valid("param");
    const user = await setUserDisabled(c.var.deps.database.db, c.var.principal, id, true);
    forgetUser(c, id);
    return c.json({ id: user.id, disabledAt: iso(user.disabledAt) }, 200);
  })
  .openapi(userStateRoute("enable"), async (c) => {
    const { id } = c.req.valid("param");
    const user = await setUserDisabled(c.var.deps.database.db, c.var.principal, id, false);
    return c.json({ id: user.id, disabledAt: iso(user.disabledAt) }, 200);
  })
  .openapi(issueTokenRoute, async (c) => {
    const issued = await issueToken(c.var.deps.database.db, c.var.principal, c.req.valid("param").id);
    return c.json(issued, 201);
  })
  .openapi(revokeTokenRoute, async (c) => {
    const token = await revokeToken(c.var.deps.database.db, c.var.principal, c.req.valid("param").id);
    forgetUser(c, token.userId);
    return c.json(
      {
        id: token.id,
        userId: token.userId,
        createdAt: token.createdAt.toISOString(),
        revokedAt: iso(token.revokedAt),
      },
      200,
    );
  })
  .openapi(rotateTokenRoute, async (c) => {
    const rotated = await rotateToken(c.var.deps.database.db, c.var.principal, c.req.valid("param").id);
    forgetUser(c, rotated.userId);
    return c.json({ id: rotated.id, userId: rotated.userId, token: rotated.token }, 201);
  })
  .openapi(rotateOwnTokenRoute, async (c) => {
    const { principal } = c.var;
    if (principal.tokenId === undefined) throw new ApiError("BAD_REQUEST", "This request carries no token");
    const rotated = await rotateToken(c.var.deps.database.db, principal, principal.tokenId);
    forgetUser(c, rotated.userId);
    return c.json({ id: rotated.id, userId: rotated.userId, token: rotated.token }, 201);
  });
