import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, errorResponses, guard, json } from "../http/openapi.js";
import { type NewUser, registerUser } from "./queries.js";
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

export const authRoutes = createRouter().openapi(createUserRoute, async (c) => {
  const created = await registerUser(c.var.deps.database.db, c.var.principal, c.req.valid("json"));
  return c.json(created, 201);
});
