import { z } from "@hono/zod-openapi";

/** `asOf` on every computed view (SPEC §8): an ISO time with its offset; now when absent. */
export const AsOfQuery = z
  .string()
  .datetime({ offset: true, message: "expected an ISO time with offset, e.g. 2025-02-07T10:00:00+07:00" })
  .optional()
  .openapi({
    description: "Compute as of this time (ISO 8601 with offset); default now",
    example: "2025-02-07T10:00:00+07:00",
  });

export const InstantQuery = z
  .string()
  .datetime({ offset: true, message: "expected an ISO time with offset" })
  .transform((s) => new Date(s));

export const asOfOr = (asOf: string | undefined, now: Date) => (asOf ? new Date(asOf) : now);

export const DossierCodeParam = z.object({
  code: z.string().min(1).max(200).openapi({ example: "000.00.20.H47-250124-0001" }),
});
