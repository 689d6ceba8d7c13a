// The case file over HTTP: one dossier's detail and clock ledger as of a moment, and an inspector's
// justification decision on the officials its lateness is attributed to.
import { createRoute, z } from "@hono/zod-openapi";
import { guard, READERS } from "../auth/guard.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { AsOfQuery, asOfOr, DossierCodeParam } from "../http/params.js";
import { INSPECTORS } from "../reports/routes.js";
import { DossierDetail, DossierLedger, Justification } from "./api-schemas.js";
import { decideJustification } from "./justifications.js";
import { dossierDetail, dossierLedger } from "./view.js";

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

const justificationRoute = createRoute({
  method: "post",
  path: "/api/v1/justifications",
  tags: ["Reports"],
  summary:
    "Accept or refuse an official's lateness on a dossier (lý do chính đáng); replaces an earlier decision",
  ...guard(INSPECTORS, { scoped: true }),
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              dossierCode: z.string().trim().min(1).max(200),
              officialId: z.string().trim().min(1).max(200),
              accepted: z.boolean(),
              reason: z.string().trim().min(1).max(2000),
            })
            .openapi("JustificationInput"),
        },
      },
    },
  },
  responses: {
    201: json(Justification, "Recorded"),
    ...errorResponses(400, 401, 403, 404, 422),
  },
});

export const casefileRoutes = createRouter()
  .openapi(detailRoute, async (c) => {
    const { deps, principal } = c.var;
    const asOf = asOfOr(c.req.valid("query").asOf, deps.clock.now());
    return c.json(await dossierDetail(deps.database.db, principal, c.req.valid("param").code, asOf), 200);
  })
  .openapi(ledgerRoute, async (c) => {
    const { deps, principal } = c.var;
    const asOf = asOfOr(c.req.valid("query").asOf, deps.clock.now());
    return c.json(await dossierLedger(deps.database.db, principal, c.req.valid("param").code, asOf), 200);
  })
  .openapi(justificationRoute, async (c) => {
    const { deps, principal } = c.var;
    const decision = await decideJustification(
      deps.database.db,
      principal,
      c.req.valid("json"),
      deps.clock.now(),
    );
    return c.json(
      {
        dossierCode: decision.dossierCode,
        officialId: decision.officialId,
        accepted: decision.accepted,
        reason: decision.reason,
        decidedAt: decision.decidedAt.toISOString(),
        decidedBy: decision.decidedBy,
        replaced: decision.replaced,
      },
      201,
    );
  });
