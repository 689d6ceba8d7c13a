// The sync API: push (canonical or portal records), the portal's own protocol (portal-routes.ts),
// the quarantine and its replay, and the sources' dialects.
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { guard } from "../auth/guard.js";
import { notFound } from "../http/errors.js";
import { jsonBodyBytes } from "../http/json-guard.js";
import { createRouter, documentedBodies, errorResponses, json, ref } from "../http/openapi.js";
import { SqlId } from "../http/params.js";
import {
  bodyRefused,
  FieldErrorSchema,
  SourceId,
  SourceQuery,
  SyncRejectionPage,
  SyncResultSchema,
  SyncSource,
  SyncSourceList,
} from "./api-schemas.js";
import { syncBody } from "./pipeline.js";
import { PORTAL_PATH, portalRoutes } from "./portal-routes.js";
import { MAX_RECORDS_PER_REQUEST, PushBody } from "./push-body.js";
import { MAX_REPLAY, rejectionById, replayRejections } from "./replay.js";
import { syncRejections } from "./schema.js";
import { DEFAULT_SOURCE_ID, listSources, putSource } from "./sources.js";

/** 10,000 records of a few kilobytes each; the record count is the contract, this only stops abuse. */
export const SYNC_BODY_LIMIT = 64 * 1024 * 1024;

const PUSH_BODY = "SyncPush";

/**
 * The routes whose bodies carry records: read by the pipeline from their bytes, each record
 * judged on its own (one bad record is quarantined, not its batch's refusal).
 */
export const carriesRecords = (path: string) =>
  path === PUSH_PATH || path === PORTAL_PATH || path.startsWith(`${PORTAL_PATH}/`);

const PUSH_PATH = "/api/v1/sync/dossiers";

const pushAccess = guard(["system", "admin"], { scoped: false });
const adminOnly = guard(["admin"], { scoped: false });

const pushRoute = createRoute({
  method: "post",
  path: PUSH_PATH,
  tags: ["Sync"],
  summary: `Push up to ${MAX_RECORDS_PER_REQUEST} dossier records; valid ones are applied, the others quarantined`,
  ...pushAccess,
  request: {
    query: SourceQuery,
    // Documented, not validated here: the pipeline reads the body from its bytes (push-body.ts).
    body: { required: true, content: { "application/json": { schema: ref(PUSH_BODY) } } },
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
  summary: "Quarantined messages, newest first, with their errors and raw payload",
  ...adminOnly,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: SqlId.optional().openapi({ description: "cursor: the last id of the previous page" }),
      open: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "true: only those no replay has taken yet" }),
    }),
  },
  responses: {
    200: json(SyncRejectionPage, "Quarantined messages"),
    ...errorResponses(400, 401, 403),
  },
});

const ReplaySummary = z
  .object({
    taken: z.number(),
    refused: z.number(),
    items: z.array(
      z.object({
        id: z.number(),
        outcome: z.enum(["taken", "refused", "altered"]),
        errors: z.array(FieldErrorSchema).optional(),
        message: z.string().optional(),
      }),
    ),
  })
  .openapi("ReplaySummary");

const replayOneRoute = createRoute({
  method: "post",
  path: "/api/v1/sync/rejections/{id}/replay",
  tags: ["Sync"],
  summary:
    "Replay one quarantined message, as it was first sent, after its agency, alias or status mapping was added",
  ...adminOnly,
  request: { params: z.object({ id: SqlId }) },
  responses: { 200: json(ReplaySummary, "What the replay did"), ...errorResponses(400, 401, 403, 404) },
});

const replayManyRoute = createRoute({
  method: "post",
  path: "/api/v1/sync/rejections/replay",
  tags: ["Sync"],
  summary: `Replay the open quarantined messages (oldest first, at most ${MAX_REPLAY} a call), all or those of one dossier or source`,
  ...adminOnly,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              code: z.string().trim().min(1).max(200).optional(),
              source: SourceId.optional(),
              all: z.literal(true).optional(),
            })
            .refine((b) => b.all || b.code || b.source, "say which: code, source, or all: true"),
        },
      },
    },
  },
  responses: { 200: json(ReplaySummary, "What the replay did"), ...errorResponses(400, 401, 403) },
});

const SourceBody = z
  .object({
    name: z.string().trim().max(200).nullable().optional(),
    statusMap: z
      .record(
        z.string().trim().min(1).max(20),
        z.number().int().min(1).max(10).openapi({ description: "the portal's TrangThaiHoSo" }),
      )
      .default({})
      .openapi({
        description: 'The source\'s status codes and the portal code each means, e.g. { "11": 3 }',
      }),
    literalZ: z.enum(["utc", "local"]).default("utc").openapi({
      description: '"local": a "Z" on this source\'s dates is Vietnam local time (a known vendor bug)',
    }),
  })
  .openapi("SyncSourceInput");

const putSourceRoute = createRoute({
  method: "put",
  path: "/api/v1/sync/sources/{id}",
  tags: ["Sync"],
  summary: "Set a sending system's dialect: its status codes and what a literal Z on its dates means",
  ...adminOnly,
  request: {
    params: z.object({ id: SourceId }),
    body: { required: true, content: { "application/json": { schema: SourceBody } } },
  },
  responses: { 200: json(SyncSource, "The source"), ...errorResponses(400, 401, 403) },
});

const listSourcesRoute = createRoute({
  method: "get",
  path: "/api/v1/sync/sources",
  tags: ["Sync"],
  summary: "The sending systems an admin configured",
  ...adminOnly,
  responses: { 200: json(SyncSourceList, "Sources"), ...errorResponses(401, 403) },
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const syncRoutes = documentedBodies(createRouter(), { [PUSH_BODY]: PushBody })
  .openapi(pushRoute, async (c) => {
    const { deps } = c.var;
    const synced = await syncBody(
      deps.database.db,
      await jsonBodyBytes(c),
      { shape: "push" },
      {
        source: "push",
        now: deps.clock.now(),
        sourceId: c.req.valid("query").source ?? DEFAULT_SOURCE_ID,
      },
    );
    if ("refused" in synced) throw bodyRefused(synced.refused);
    const { result } = synced;
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
    const { limit, before, open } = c.req.valid("query");
    const rows = await c.var.deps.database.db
      .select()
      .from(syncRejections)
      .where(
        and(
          before ? lt(syncRejections.id, before) : undefined,
          open === "true" ? isNull(syncRejections.resolvedAt) : undefined,
        ),
      )
      .orderBy(desc(syncRejections.id))
      .limit(limit);
    const items = rows.map(({ context, contentHash: _, ...r }) => ({
      ...r,
      kind: context?.kind ?? "record",
      sourceId: context?.sourceId ?? null,
      sender: context?.sender ?? null,
      receivedAt: r.receivedAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
      resolvedAt: iso(r.resolvedAt),
    }));
    return c.json({ items, nextCursor: rows.length === limit ? rows[rows.length - 1].id : null }, 200);
  })
  .openapi(replayOneRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { deps, principal } = c.var;
    const summary = await replayRejections(deps.database.db, principal, rejectionById(id), deps.clock.now());
    if (summary.items.length === 0) throw notFound(`Open quarantined message ${id}`);
    return c.json(summary, 200);
  })
  .openapi(replayManyRoute, async (c) => {
    const body = c.req.valid("json");
    const { deps, principal } = c.var;
    const where = and(
      body.code ? eq(syncRejections.code, body.code) : undefined,
      body.source ? sourceIs(body.source) : undefined,
    );
    return c.json(await replayRejections(deps.database.db, principal, where, deps.clock.now()), 200);
  })
  .openapi(putSourceRoute, async (c) => {
    const { deps, principal } = c.var;
    const row = await putSource(deps.database.db, principal, c.req.valid("param").id, c.req.valid("json"));
    return c.json({ id: row.id, name: row.name, statusMap: row.statusMap, literalZ: row.literalZ }, 200);
  })
  .openapi(listSourcesRoute, async (c) => {
    const rows = await listSources(c.var.deps.database.db);
    const items = rows.map((r) => ({ id: r.id, name: r.name, statusMap: r.statusMap, literalZ: r.literalZ }));
    return c.json({ items }, 200);
  })
  .route("/", portalRoutes);

/** Quarantined messages of one sending system (its id is kept in the row's context). */
const sourceIs = (source: string) => eq(sql`${syncRejections.context}->>'sourceId'`, source);
