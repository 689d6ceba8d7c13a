// The sync API's shapes, declared once for every route that answers them.
import { z } from "@hono/zod-openapi";
import { ApiError } from "../http/errors.js";
import { MAX_RECORDS_PER_REQUEST } from "./pipeline.js";
import { DEFAULT_SOURCE_ID } from "./sources.js";

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });

export const SyncResultSchema = z
  .object({
    inserted: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    stale: z.number().openapi({ description: "older than what is stored: kept out" }),
    pending: z.number().openapi({ description: "deltas kept until their dossier's full record arrives" }),
    rejected: z.array(
      z.object({ index: z.number(), code: z.string().optional(), errors: z.array(FieldErrorSchema) }),
    ),
  })
  .openapi("SyncResult");

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

/** A request's records, refused as a whole only when there are too many of them. */
export function checkedCount(records: readonly unknown[]): void {
  if (records.length > MAX_RECORDS_PER_REQUEST) {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `A sync request may carry at most ${MAX_RECORDS_PER_REQUEST} records; this one has ${records.length}. Split it into batches.`,
      { max: MAX_RECORDS_PER_REQUEST, received: records.length },
    );
  }
}
