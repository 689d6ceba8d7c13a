import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { databaseUnreachable } from "./errors.js";
import { createRouter, json } from "./openapi.js";

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Service"],
  summary: "Liveness and which database the service runs on",
  responses: {
    200: json(z.object({ status: z.literal("ok"), db: z.enum(["pglite", "postgres"]) }), "Healthy"),
  },
});

export const healthRoutes = createRouter().openapi(healthRoute, async (c) => {
  const { database } = c.var.deps;
  try {
    await database.db.execute(sql`select 1`);
  } catch {
    throw databaseUnreachable();
  }
  return c.json({ status: "ok" as const, db: database.kind }, 200);
});
