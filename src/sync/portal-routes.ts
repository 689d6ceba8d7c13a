// The national portal's sync protocol, served as the portal serves it, so a one-stop system can
// point its integration at the monitor: the envelope at POST /api/v1/sync/dvcqg, and each
// operation with a bare body at POST /api/v1/sync/dvcqg/{service} (docs/research/dvcqg-producers.md).
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { guard } from "../auth/guard.js";
import type { AppEnv } from "../http/context.js";
import { ApiError } from "../http/errors.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { checkedCount, SourceId, SyncResultSchema } from "./api-schemas.js";
import type { MessageKind } from "./parse.js";
import { syncBatch } from "./pipeline.js";
import { kindOfService, portalAnswer, SERVICE_NAMES } from "./portal-services.js";
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

const Records = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

const Envelope = z
  .object({
    service: z.string().trim().min(1).max(100).openapi({ example: "DongBoHoSoMC" }),
    isUpdating: z.union([z.string().max(10), z.boolean()]).optional(),
    madonvi: z.string().trim().max(100).optional().openapi({ description: "The sending agency's code" }),
    type: z.union([z.string().max(10), z.number()]).optional(),
    // The portal's login session: the monitor does not need it, and never stores or logs it.
    session: z.string().optional(),
    data: Records.openapi({ description: "An array of messages, or one message" }),
  })
  .openapi("PortalEnvelope");

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
  path: "/api/v1/sync/dvcqg",
  tags: ["Sync"],
  summary: "The portal's envelope: { service, madonvi?, isUpdating?, type?, data }",
  description: `Services: ${SERVICE_NAMES.join(", ")} (case-insensitive).`,
  ...access,
  request: {
    query: PortalQuery,
    body: { required: true, content: { "application/json": { schema: Envelope } } },
  },
  responses,
});

const serviceRoute = createRoute({
  method: "post",
  path: "/api/v1/sync/dvcqg/{service}",
  tags: ["Sync"],
  summary: "One portal operation with a bare body (an array of messages, or one)",
  description: `Services: ${SERVICE_NAMES.join(", ")} (case-insensitive).`,
  ...access,
  request: {
    params: z.object({ service: z.string().max(100) }),
    query: PortalQuery,
    body: { required: true, content: { "application/json": { schema: Records } } },
  },
  responses,
});

function kindOf(service: string): MessageKind {
  const kind = kindOfService(service);
  if (kind) return kind;
  throw new ApiError(
    "BAD_REQUEST",
    `Unknown service ${JSON.stringify(service)}; expected one of ${SERVICE_NAMES.join(", ")}`,
    {
      path: "service",
    },
  );
}

async function apply(
  c: Context<AppEnv>,
  kind: MessageKind,
  data: unknown,
  query: z.infer<typeof PortalQuery>,
  madonvi?: string,
) {
  const raws = Array.isArray(data) ? data : [data];
  checkedCount(raws);
  const { deps } = c.var;
  const result = await syncBatch(deps.database.db, {
    source: "push",
    format: "dvcqg",
    kind,
    raws,
    now: deps.clock.now(),
    sourceId: query.source ?? DEFAULT_SOURCE_ID,
    sender: madonvi || query.MaDinhDanhDV || null,
  });
  deps.logger.info("sync portal", {
    kind,
    inserted: result.inserted,
    updated: result.updated,
    unchanged: result.unchanged,
    stale: result.stale,
    pending: result.pending,
    rejected: result.rejected.length,
  });
  return portalAnswer(result);
}

export const portalRoutes = createRouter()
  .openapi(envelopeRoute, async (c) => {
    const envelope = c.req.valid("json");
    const answer = await apply(
      c,
      kindOf(envelope.service),
      envelope.data,
      c.req.valid("query"),
      envelope.madonvi,
    );
    return c.json(answer, 200);
  })
  .openapi(serviceRoute, async (c) => {
    const kind = kindOf(c.req.valid("param").service);
    return c.json(await apply(c, kind, c.req.valid("json"), c.req.valid("query")), 200);
  });
