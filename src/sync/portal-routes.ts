// The national portal's sync protocol, served as the portal serves it, so a one-stop system can
// point its integration at the monitor: the envelope at POST /api/v1/sync/dvcqg, and each
// operation with a bare body at POST /api/v1/sync/dvcqg/{service} (docs/research/dvcqg-producers.md).
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { guard } from "../auth/guard.js";
import type { AppEnv } from "../http/context.js";
import { jsonBodyBytes } from "../http/json-guard.js";
import { createRouter, documentedBodies, errorResponses, json, ref } from "../http/openapi.js";
import { bodyRefused, SourceId, SyncResultSchema } from "./api-schemas.js";
import { syncBody } from "./pipeline.js";
import { portalAnswer, SERVICE_NAMES } from "./portal-services.js";
import { type BodyShape, PortalEnvelope, PortalMessages } from "./push-body.js";
import { DEFAULT_SOURCE_ID } from "./sources.js";

const access = guard(["system", "admin"], { scoped: false });

const PortalQuery = z.object({
  source: SourceId.optional().openapi({
    description: `The sending system's dialect; default "${DEFAULT_SOURCE_ID}"`,
  }),
  MaDinhDanhDV: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "The sending agency's code (as Hà Giang's relay sends it)" }),
  isUpdating: z
    .string()
    .max(10)
    .optional()
    .openapi({ description: "Accepted and ignored: every record is upserted" }),
});

/** The portal's envelope; each operation's bare body is posted under it, by its name. */
export const PORTAL_PATH = "/api/v1/sync/dvcqg";

const ENVELOPE = "PortalEnvelope";
const MESSAGES = "PortalMessages";

const PortalAnswer = SyncResultSchema.extend({
  error_code: z.string().openapi({ description: '"0" when every message was taken, as the portal answers' }),
  message: z.string(),
}).openapi("PortalAnswer");

const responses = {
  200: json(PortalAnswer, "The portal's answer (error_code, message) and what happened to each message"),
  ...errorResponses(400, 401, 403, 413),
};

const envelopeRoute = createRoute({
  method: "post",
  path: PORTAL_PATH,
  tags: ["Sync"],
  summary: "The portal's envelope: { service, madonvi?, isUpdating?, type?, data }",
  description: `Services: ${SERVICE_NAMES.join(", ")} (case-insensitive).`,
  ...access,
  request: {
    query: PortalQuery,
    // Documented, not validated here: the pipeline reads the body from its bytes (push-body.ts).
    body: { required: true, content: { "application/json": { schema: ref(ENVELOPE) } } },
  },
  responses,
});

const serviceRoute = createRoute({
  method: "post",
  path: `${PORTAL_PATH}/{service}`,
  tags: ["Sync"],
  summary: "One portal operation with a bare body (an array of messages, or one)",
  description: `Services: ${SERVICE_NAMES.join(", ")} (case-insensitive).`,
  ...access,
  request: {
    params: z.object({ service: z.string().max(100) }),
    query: PortalQuery,
    body: { required: true, content: { "application/json": { schema: ref(MESSAGES) } } },
  },
  responses,
});

async function apply(c: Context<AppEnv>, shape: BodyShape, query: z.infer<typeof PortalQuery>) {
  const { deps } = c.var;
  const synced = await syncBody(deps.database.db, await jsonBodyBytes(c), shape, {
    source: "push",
    now: deps.clock.now(),
    sourceId: query.source ?? DEFAULT_SOURCE_ID,
    sender: query.MaDinhDanhDV || null,
  });
  if ("refused" in synced) throw bodyRefused(synced.refused);
  const { read, result } = synced;
  deps.logger.info("sync portal", {
    kind: read.kind,
    inserted: result.inserted,
    updated: result.updated,
    unchanged: result.unchanged,
    stale: result.stale,
    pending: result.pending,
    rejected: result.rejected.length,
  });
  return portalAnswer(result);
}

export const portalRoutes = documentedBodies(createRouter(), {
  [ENVELOPE]: PortalEnvelope,
  [MESSAGES]: PortalMessages,
})
  .openapi(envelopeRoute, async (c) => {
    return c.json(await apply(c, { shape: "portal-envelope" }, c.req.valid("query")), 200);
  })
  .openapi(serviceRoute, async (c) => {
    const shape = { shape: "portal-operation", service: c.req.valid("param").service } as const;
    return c.json(await apply(c, shape, c.req.valid("query")), 200);
  });
