import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "./context.js";
import { ApiError } from "./errors.js";
import { invalidRequest, zodProblems } from "./field-path.js";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "NOT_FOUND" }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

const DESCRIPTIONS: Record<number, string> = {
  400: "Malformed request",
  401: "Missing or invalid bearer token",
  403: "Role not allowed",
  404: "Unknown or out of scope",
  409: "Conflict",
  413: "Body too large",
  422: "Rule not met",
};

export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: DESCRIPTIONS[s] ?? "Error", content: { "application/json": { schema: ErrorSchema } } },
    ]),
  );
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/** Every router is made here so that zod failures become the one error shape, naming each field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const { message, details } = invalidRequest(zodProblems(result.error.issues));
      throw new ApiError("BAD_REQUEST", message, details);
    },
  });
}

type SchemaComponent = Parameters<OpenAPIHono["openAPIRegistry"]["registerComponent"]>[2];

/** A schema the document names, referred to where a route's body is documented but not validated. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * Bodies a router's routes read themselves (the sync routes read theirs from bytes), registered
 * so that the document still describes them: a route given a zod schema would validate with it.
 */
export function documentedBodies<R extends OpenAPIHono<AppEnv>>(
  router: R,
  schemas: Record<string, z.ZodType>,
): R {
  for (const [name, schema] of Object.entries(schemas)) {
    // As JSON Schema: a plain zod schema may come from another copy of zod than the registry extends.
    const json = z.toJSONSchema(schema, { io: "input", target: "openapi-3.0" });
    router.openAPIRegistry.registerComponent("schemas", name, json as SchemaComponent);
  }
  return router;
}
