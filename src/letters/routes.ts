import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { guard, READERS } from "../auth/guard.js";
import type { AppEnv } from "../http/context.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { DossierCodeParam } from "../http/params.js";
import {
  ApologyBody,
  BatchBody,
  BatchResultSchema,
  CorrectionBody,
  DeliveryBody,
  DeliveryHeaders,
  DeliverySchema,
  DraftSchema,
  IdsQuery,
  LetterDetailSchema,
  LetterIdParam,
  LetterSchema,
  PdfQuery,
  pdfResponse,
} from "./api-schemas.js";
import { issueBatch } from "./batch.js";
import { correctLetter } from "./corrections.js";
import { recordDelivery } from "./deliveries.js";
import { apologyDraft } from "./draft.js";
import { deliverByEmail } from "./email/deliver.js";
import { issueLetter } from "./issue.js";
import { currentSnapshots, letterDetail, letterPdf } from "./queries.js";
import { renderCombinedLetters } from "./render.js";
import { deliveryView, pdfContentDisposition } from "./view.js";

/** DOMAIN §6 "Who": an officer of the handling agency, or an admin (the console's pages too). */
export const ISSUERS = ["admin", "officer"] as const;

const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

const issueRoute = createRoute({
  method: "post",
  path: "/api/v1/dossiers/{code}/apology",
  tags: ["Letters"],
  summary: "Issue the dossier's apology letter (at most one per dossier, ever): number, PDF, audit",
  ...guard(ISSUERS, { scoped: true }),
  request: { params: DossierCodeParam, ...body(ApologyBody) },
  responses: {
    201: json(LetterSchema, "Issued"),
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

const draftRoute = createRoute({
  method: "get",
  path: "/api/v1/dossiers/{code}/apology/suggestion",
  tags: ["Letters"],
  summary:
    "Whether a letter may be issued now, a suggested new appointment, common reasons, the usual signer",
  ...guard(READERS, { scoped: true }),
  request: { params: DossierCodeParam },
  responses: { 200: json(DraftSchema, "The draft"), ...errorResponses(400, 401, 403, 404) },
});

const batchRoute = createRoute({
  method: "post",
  path: "/api/v1/letters/batch",
  tags: ["Letters"],
  summary:
    "Issue letters for several dossiers, each in its own transaction; per-item 201/409/422 and one combined PDF",
  description:
    "404 (and nothing issued) when a dossier is unknown or outside the caller's scope. Items without newDueAt get the suggested appointment.",
  ...guard(ISSUERS, { scoped: true }),
  request: body(BatchBody),
  responses: { 200: json(BatchResultSchema, "Per-item results"), ...errorResponses(400, 401, 403, 404) },
});

const combinedRoute = createRoute({
  method: "get",
  path: "/api/v1/letters/combined",
  tags: ["Letters"],
  summary: "Several letters in one PDF to print, each from a new page (their current versions)",
  ...guard(READERS, { scoped: true }),
  request: { query: IdsQuery },
  responses: { 200: pdfResponse("The letters, in the order asked"), ...errorResponses(400, 401, 403, 404) },
});

const detailRoute = createRoute({
  method: "get",
  path: "/api/v1/letters/{id}",
  tags: ["Letters"],
  summary: "A letter's metadata, its versions and its deliveries",
  ...guard(READERS, { scoped: true }),
  request: { params: LetterIdParam },
  responses: { 200: json(LetterDetailSchema, "The letter"), ...errorResponses(400, 401, 403, 404) },
});

const pdfRoute = createRoute({
  method: "get",
  path: "/api/v1/letters/{id}/pdf",
  tags: ["Letters"],
  summary:
    "The stored PDF of the current version (or ?version=n), identical bytes every time; ETag = SHA-256",
  ...guard(READERS, { scoped: true }),
  request: { params: LetterIdParam, query: PdfQuery },
  responses: {
    200: pdfResponse("The stored PDF"),
    304: { description: "Not modified (If-None-Match matched the ETag)" },
    ...errorResponses(400, 401, 403, 404),
  },
});

const correctionRoute = createRoute({
  method: "post",
  path: "/api/v1/letters/{id}/corrections",
  tags: ["Letters"],
  summary: "Correct the reason or the signer: a new version, same number, same new appointment",
  ...guard(ISSUERS, { scoped: true }),
  request: { params: LetterIdParam, ...body(CorrectionBody) },
  responses: { 201: json(LetterSchema, "The new version"), ...errorResponses(400, 401, 403, 404, 422) },
});

const deliveryRoute = createRoute({
  method: "post",
  path: "/api/v1/letters/{id}/deliveries",
  tags: ["Letters"],
  summary:
    "Deliver the letter: e-mail sends the signed PDF (retried on transient failures, once per Idempotency-Key); in person, post, SMS, portal are logged",
  ...guard(ISSUERS, { scoped: true }),
  request: { params: LetterIdParam, headers: DeliveryHeaders, ...body(DeliveryBody) },
  responses: {
    201: json(DeliverySchema, "Logged, or e-mailed (status sent or failed)"),
    200: json(DeliverySchema, "The delivery this Idempotency-Key already made (nothing sent again)"),
    ...errorResponses(400, 401, 403, 404, 422),
  },
});

function pdfBody(c: Context<AppEnv>, pdf: Uint8Array, headers: Record<string, string>) {
  return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/pdf", ...headers });
}

export const letterRoutes = createRouter()
  .openapi(issueRoute, async (c) => {
    const { deps, principal } = c.var;
    const letter = await issueLetter(
      deps.database.db,
      deps,
      principal,
      c.req.valid("param").code,
      c.req.valid("json"),
    );
    deps.logger.info("letter issued", { letterId: letter.id, dossierCode: letter.dossierCode });
    return c.json(letter, 201);
  })
  .openapi(draftRoute, async (c) => {
    const { deps, principal } = c.var;
    return c.json(
      await apologyDraft(deps.database.db, principal, c.req.valid("param").code, deps.clock.now()),
      200,
    );
  })
  .openapi(batchRoute, async (c) => {
    const { deps, principal } = c.var;
    const result = await issueBatch(deps.database.db, deps, principal, c.req.valid("json").items);
    deps.logger.info("letter batch", { issued: result.issued, refused: result.refused });
    return c.json(result, 200);
  })
  // Before /letters/{id}, which would otherwise take "combined" for an id.
  .openapi(combinedRoute, async (c) => {
    const { deps, principal } = c.var;
    const { ids } = c.req.valid("query");
    const inputs = await currentSnapshots(deps.database.db, principal, ids);
    const pdf = renderCombinedLetters(deps.letterFonts, inputs);
    return pdfBody(c, pdf, { "content-disposition": `inline; filename="PXL-${ids.length}-phieu.pdf"` });
  })
  .openapi(detailRoute, async (c) => {
    const { deps, principal } = c.var;
    return c.json(await letterDetail(deps.database.db, principal, c.req.valid("param").id), 200);
  })
  .openapi(pdfRoute, async (c) => {
    const { deps, principal } = c.var;
    const { version } = c.req.valid("query");
    const stored = await letterPdf(deps.database.db, principal, c.req.valid("param").id, version);
    const etag = `"${stored.sha256}"`;
    const headers = {
      etag,
      // A numbered version never changes; "the current one" does when the letter is corrected.
      "cache-control": version === undefined ? "private, no-cache" : "private, max-age=31536000, immutable",
    };
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    return pdfBody(c, stored.pdf, {
      ...headers,
      "content-disposition": pdfContentDisposition(stored, stored.version),
    });
  })
  .openapi(correctionRoute, async (c) => {
    const { deps, principal } = c.var;
    const letter = await correctLetter(
      deps.database.db,
      deps,
      principal,
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json(letter, 201);
  })
  .openapi(deliveryRoute, async (c) => {
    const { deps, principal } = c.var;
    const input = c.req.valid("json");
    const { id } = c.req.valid("param");
    if (input.channel === "email") {
      const idempotencyKey = c.req.valid("header")["idempotency-key"] ?? crypto.randomUUID();
      const { row, replayed } = await deliverByEmail(deps.database.db, deps, principal, id, {
        ...input,
        idempotencyKey,
      });
      deps.logger.info("letter e-mailed", { letterId: id, deliveryId: row.id, status: row.status, replayed });
      return c.json(deliveryView(row), replayed ? 200 : 201);
    }
    const delivery = await recordDelivery(deps.database.db, deps.clock.now(), principal, id, input);
    return c.json(delivery, 201);
  });
