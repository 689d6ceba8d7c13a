import { createRoute, z } from "@hono/zod-openapi";
import { desc, lt } from "drizzle-orm";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../http/errors.js";
import { createRouter, errorResponses, guard, json } from "../http/openapi.js";
import { MAX_RECORDS_PER_REQUEST, syncBatch } from "./pipeline.js";
import { syncRejections } from "./schema.js";

/** 10,000 records of a few kilobytes each; the record count is the contract, this only stops abuse. */
export const SYNC_BODY_LIMIT = 64 * 1024 * 1024;

const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });
const SyncResultSchema = z
  .object({
    inserted: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    stale: z.number(),
    rejected: z.array(
      z.object({ index: z.number(), code: z.string().optional(), errors: z.array(FieldErrorSchema) }),
    ),
  })
  .openapi("SyncResult");

const syncBodyLimit = bodyLimit({
  maxSize: SYNC_BODY_LIMIT,
  onError: () => {
    throw new ApiError("PAYLOAD_TOO_LARGE", `A sync request may carry at most ${SYNC_BODY_LIMIT} bytes`);
  },
});
const pushAccess = guard(["system", "admin"], { scoped: false });

const pushRoute = createRoute({
  method: "post",
  path: "/api/v1/sync/dossiers",
  tags: ["Sync"],
  summary: `Push up to ${MAX_RECORDS_PER_REQUEST} dossier records; valid ones are applied, the others quarantined`,
  ...pushAccess,
  middleware: [pushAccess.middleware, syncBodyLimit] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            format: z.enum(["canonical", "dvcqg"]).default("canonical"),
            records: z.array(z.unknown()).openapi({ description: "Records in the chosen format (SPEC §7)" }),
          }),
        },
      },
    },
  },
  responses: {
    200: json(SyncResultSchema, "What happened to each record"),
    ...errorResponses(400, 401, 403, 413),
  },
});

const rejectionsRoute = createRoute({
  method: "get",
  path: "/api/v1/sync/rejections",
  tags: ["Sync"],
  summary: "Quarantined records, newest first, with their errors and raw payload",
  ...guard(["admin"], { scoped: false }),
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce
        .number()
        .int()
        .positive()
        .optional()
        .openapi({ description: "cursor: the last id of the previous page" }),
    }),
  },
  responses: {
    200: json(
      z.object({
        items: z.array(
          z.object({
            id: z.number(),
            source: z.string(),
            format: z.string(),
            recordIndex: z.number(),
            code: z.string().nullable(),
            errors: z.array(FieldErrorSchema),
            raw: z.unknown(),
            receivedAt: z.string(),
          }),
        ),
        nextCursor: z.number().nullable(),
      }),
      "Quarantined records",
    ),
    ...errorResponses(401, 403),
  },
});

export const syncRoutes = createRouter()
  .openapi(pushRoute, async (c) => {
    const { format, records } = c.req.valid("json");
    if (records.length > MAX_RECORDS_PER_REQUEST) {
      throw new ApiError(
        "PAYLOAD_TOO_LARGE",
        `A sync request may carry at most ${MAX_RECORDS_PER_REQUEST} records; this one has ${records.length}. Split it into batches.`,
        { max: MAX_RECORDS_PER_REQUEST, received: records.length },
      );
    }
    const { deps } = c.var;
    const result = await syncBatch(deps.database.db, {
      source: "push",
      format,
      raws: records,
      now: deps.clock.now(),
    });
    deps.logger.info("sync push", {
      inserted: result.inserted,
      updated: result.updated,
      unchanged: result.unchanged,
      stale: result.stale,
      rejected: result.rejected.length,
    });
    return c.json(result, 200);
  })
  .openapi(rejectionsRoute, async (c) => {
    const { limit, before } = c.req.valid("query");
    const rows = await c.var.deps.database.db
      .select()
      .from(syncRejections)
      .where(before ? lt(syncRejections.id, before) : undefined)
      .orderBy(desc(syncRejections.id))
      .limit(limit);
    const items = rows.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() }));
    return c.json({ items, nextCursor: rows.length === limit ? rows[rows.length - 1].id : null }, 200);
  });
