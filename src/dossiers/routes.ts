import { createRoute, z } from "@hono/zod-openapi";
import { guard, READERS } from "../auth/guard.js";
import { agencyForPrincipal } from "../auth/queries.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { AsOfQuery, asOfOr, InstantQuery } from "../http/params.js";
import { DossierPage, DossierStateSchema } from "./api-schemas.js";
import { reusedDossierList } from "./list-cache.js";

/** The list's filters: the API's, and the console's dossier list reads its query through it too. */
export const DossierListQuery = z.object({
  state: DossierStateSchema.optional(),
  agency: z.string().min(1).max(64).optional(),
  procedure: z.string().min(1).max(64).optional(),
  from: InstantQuery.optional().openapi({ description: "received at or after" }),
  to: InstantQuery.optional().openapi({ description: "received before" }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "dossier code or applicant name contains" }),
  asOf: AsOfQuery,
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/dossiers",
  tags: ["Dossiers"],
  summary: "Dossiers within the caller's scope, newest received first, with their state as of asOf",
  ...guard(READERS, { scoped: true }),
  request: {
    query: DossierListQuery,
  },
  responses: {
    200: json(DossierPage, "A page, newest received first"),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const dossierRoutes = createRouter().openapi(listRoute, async (c) => {
  const { deps, principal } = c.var;
  const query = c.req.valid("query");
  if (query.agency) await agencyForPrincipal(deps.database.db, principal, query.agency);
  const { asOf: askedAsOf, ...filter } = query;
  const now = deps.clock.now();
  const asked = askedAsOf === undefined ? undefined : asOfOr(askedAsOf, now);
  const page = await reusedDossierList(deps.database.db, principal, filter, asked, now);
  return c.json({ ...page, asOf: page.asOf.toISOString() }, 200);
});
