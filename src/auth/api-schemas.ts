// What the access routes answer: users and their tokens (a token itself only once, when issued).
import { z } from "@hono/zod-openapi";
import { Instant } from "../contract/wire.js";
import { ROLES } from "./schema.js";

const tokenShape = {
  id: z.number().int(),
  createdAt: Instant,
  revokedAt: Instant.nullable().openapi({ description: "null while it works" }),
};
const ApiToken = z.object(tokenShape).openapi("ApiToken");
export const RevokedToken = z.object({ ...tokenShape, userId: z.number().int() }).openapi("RevokedToken");
export const CreatedUser = z
  .object({
    id: z.number().int(),
    token: z.string().openapi({ description: "The bearer token, shown once" }),
  })
  .openapi("CreatedUser");
export const UserState = z
  .object({ id: z.number().int(), disabledAt: Instant.nullable().openapi({ description: "null: enabled" }) })
  .openapi("UserState");
const User = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: z.enum(ROLES as [string, ...string[]]),
    scopeKind: z.enum(["all", "subtree", "agency"]).openapi({
      description: "all: the province; subtree: an inspector's agency and below; agency: an officer's own",
    }),
    scopeAgencyCode: z.string().nullable(),
    createdAt: Instant,
    disabledAt: Instant.nullable(),
    tokens: z.array(ApiToken),
  })
  .openapi("User");
export const IssuedToken = z
  .object({ id: z.number().int(), userId: z.number().int(), token: z.string() })
  .openapi("IssuedToken", { description: "The token is shown once: keep it" });

export const UserList = z.object({ items: z.array(User) }).openapi("UserList");
