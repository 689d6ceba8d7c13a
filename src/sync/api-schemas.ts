// The sync API's shapes, declared once for every route that answers them.
import { z } from "@hono/zod-openapi";
import { Instant } from "../contract/wire.js";
import { ApiError } from "../http/errors.js";
import type { BodyRefusal } from "./push-body.js";
import { DEFAULT_SOURCE_ID } from "./sources.js";

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });

export const SyncResultSchema = z
  .object({
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    stale: z.number().int().openapi({ description: "older than what is stored: kept out" }),
    pending: z
      .number()
      .int()
      .openapi({ description: "deltas kept until their dossier's full record arrives" }),
    rejected: z.array(
      z.object({ index: z.number(), code: z.string().optional(), errors: z.array(FieldErrorSchema) }),
    ),
  })
  .openapi("SyncResult");

export const SyncRejection = z
  .object({
    id: z.number().int(),
    source: z.enum(["push", "pull", "file", "demo"]).openapi({ description: "How the message came in" }),
    format: z.enum(["canonical", "dvcqg"]),
    kind: z.string().openapi({ description: "record, progress or status" }),
    sourceId: z.string().nullable().openapi({ description: "The sending system (?source=)" }),
    sender: z.string().nullable().openapi({ description: "The sending agency (MaDinhDanhDV, madonvi)" }),
    recordIndex: z.number().int().openapi({ description: "Its place in the request's records" }),
    code: z.string().nullable().openapi({ description: "The dossier's code, when it could be read" }),
    errors: z.array(FieldErrorSchema),
    // Deliberately any JSON: a refused message is kept exactly as it came, whatever it holds.
    raw: z
      .unknown()
      .openapi({ description: "The message as sent (any JSON; U+0000 and lone surrogates as U+FFFD)" }),
    seen: z.number().int().openapi({ description: "times this same message was sent and refused" }),
    receivedAt: Instant,
    lastSeenAt: Instant,
    resolvedAt: Instant.nullable().openapi({ description: "when a replay took it" }),
  })
  .openapi("SyncRejection");

export const SyncRejectionPage = z
  .object({
    items: z.array(SyncRejection),
    nextCursor: z.number().int().nullable().openapi({ description: "Pass as before for the next page" }),
  })
  .openapi("SyncRejectionPage");

export const SyncSource = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    statusMap: z.record(z.string(), z.number().int()).openapi({
      description: "The source's status codes and the portal code (TrangThaiHoSo) each means",
    }),
    literalZ: z.enum(["utc", "local"]),
  })
  .openapi("SyncSource");

export const SyncSourceList = z.object({ items: z.array(SyncSource) }).openapi("SyncSourceList");

/** A source id: a key, like an agency code. */
export const SourceId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' and '-' only");

export const SourceQuery = z.object({
  source: SourceId.optional().openapi({
    description: `The one-stop system sending (PUT /api/v1/sync/sources/{id} sets its dialect); default "${DEFAULT_SOURCE_ID}"`,
  }),
});

/** A pushed body refused before any of it was read as records (push-body.ts), as the API answers. */
export function bodyRefused(refusal: BodyRefusal): ApiError {
  const code = refusal.status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
  return new ApiError(code, refusal.message, refusal.details);
}
