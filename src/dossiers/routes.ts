import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../auth/guard.js";
import { agencyForPrincipal } from "../auth/queries.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { AsOfQuery, asOfOr, DossierCodeParam, InstantQuery } from "../http/params.js";
import { DossierDetail, DossierLedger, DossierPage, DossierStateSchema } from "./api-schemas.js";
import { listDossiers } from "./list.js";
import { dossierDetail, dossierLedger } from "./view.js";

const READERS = ["admin", "system", "inspector", "officer"] as const;

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

const detailRoute = createRoute({
  method: "get",
  path: "/api/v1/dossiers/{code}",
  tags: ["Dossiers"],
  summary: "One dossier with its deadlines, state, lateness, letter and violations as of asOf",
  ...guard(READERS, { scoped: true }),
  request: { params: DossierCodeParam, query: z.object({ asOf: AsOfQuery }) },
  responses: {
    200: json(DossierDetail, "The dossier"),
    ...errorResponses(400, 401, 403, 404),
  },
});

const ledgerRoute = createRoute({
  method: "get",
  path: "/api/v1/dossiers/{code}/ledger",
  tags: ["Dossiers"],
  summary: "The clock ledger: counted, non-working and paused stretches from receipt to finish (or asOf)",
  ...guard(READERS, { scoped: true }),
  request: { params: DossierCodeParam, query: z.object({ asOf: AsOfQuery }) },
  responses: {
    200: json(DossierLedger, "The ledger"),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const dossierRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { deps, principal } = c.var;
    const query = c.req.valid("query");
    if (query.agency) await agencyForPrincipal(deps.database.db, principal, query.agency);
    const asOf = asOfOr(query.asOf, deps.clock.now());
    const page = await listDossiers(deps.database.db, principal, { ...query, asOf });
    return c.json({ ...page, asOf: asOf.toISOString() }, 200);
  })
  .openapi(detailRoute, async (c) => {
    const { deps, principal } = c.var;
    const asOf = asOfOr(c.req.valid("query").asOf, deps.clock.now());
    return c.json(await dossierDetail(deps.database.db, principal, c.req.valid("param").code, asOf), 200);
  })
  .openapi(ledgerRoute, async (c) => {
    const { deps, principal } = c.var;
    const asOf = asOfOr(c.req.valid("query").asOf, deps.clock.now());
    return c.json(await dossierLedger(deps.database.db, principal, c.req.valid("param").code, asOf), 200);
  });
