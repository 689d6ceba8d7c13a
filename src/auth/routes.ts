import { createRoute, z } from "@hono/zod-openapi";
import { recordAudit } from "../audit/record.js";
import { findAgency } from "../catalog/agencies.js";
import { ApiError } from "../http/errors.js";
import { createRouter, errorResponses, guard, json } from "../http/openapi.js";
import { createUser, type NewUser } from "./queries.js";
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
    201: json(
      z.object({ id: z.number(), token: z.string() }),
      "Created; keep the token, it is not shown again",
    ),
    ...errorResponses(400, 401, 403, 422),
  },
});

function scopeOf(input: z.infer<typeof UserBody>): Pick<NewUser, "scopeKind" | "scopeAgencyCode"> {
  if (input.role === "officer") return { scopeKind: "agency", scopeAgencyCode: input.agencyCode ?? null };
  if (input.role === "inspector" && input.scope !== "all")
    return { scopeKind: "subtree", scopeAgencyCode: input.scope ?? null };
  return { scopeKind: "all", scopeAgencyCode: null };
}

export const authRoutes = createRouter().openapi(createUserRoute, async (c) => {
  const input = c.req.valid("json");
  const scope = scopeOf(input);
  const db = c.var.deps.database.db;
  if (scope.scopeAgencyCode && !(await findAgency(db, scope.scopeAgencyCode))) {
    const field = input.role === "officer" ? "agencyCode" : "scope";
    throw new ApiError("UNPROCESSABLE", `Agency ${scope.scopeAgencyCode} is unknown`, { field });
  }
  const created = await db.transaction(async (tx) => {
    const user = await createUser(tx, { name: input.name, role: input.role, ...scope });
    await recordAudit(tx, c.var.principal, {
      action: "user.create",
      resourceType: "user",
      resourceId: String(user.id),
      agencyCode: scope.scopeAgencyCode,
      details: { name: input.name, role: input.role, ...scope },
    });
    return user;
  });
  return c.json(created, 201);
});
