import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { guard, READERS } from "../auth/guard.js";
import { agencyForPrincipal } from "../auth/queries.js";
import { localIsoDateOf } from "../calendar/dates.js";
import { Instant, LocalDay } from "../contract/wire.js";
import { scopeCondition } from "../dossiers/list.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { AsOfQuery, asOfOr, parseLocalDate } from "../http/params.js";
import { buildDigests } from "./digest.js";

const DigestItem = z
  .object({
    code: z.string(),
    procedureCode: z.string(),
    procedureName: z.string().nullable(),
    receivedAt: Instant,
    bindingDueAt: Instant.nullable(),
    apologyWindowStartsAt: Instant.nullable(),
    newDueAt: Instant.nullable().openapi({
      description: "The letter's new appointment (lateAfterReappointment only; null in the other lists)",
    }),
  })
  .openapi("DigestDossier");
const DigestList = z
  .object({
    total: z.number().int().openapi({ description: "All such dossiers; items holds the most urgent 200" }),
    items: z.array(DigestItem),
  })
  .openapi("DigestList");

const AgencyDigest = z
  .object({
    agency: z.object({ code: z.string(), name: z.string() }),
    date: LocalDay,
    nextWorkingDay: LocalDay,
    asOf: Instant,
    enteringApologyWindow: DigestList,
    overdueWithoutLetter: DigestList,
    lateAfterReappointment: DigestList,
  })
  // Said here: a description beside a registered schema's reference is dropped or wrapped in allOf.
  .openapi("AgencyDigest", {
    description:
      "enteringApologyWindow: open, no letter, apology window starting on the next working day; overdueWithoutLetter; lateAfterReappointment: unfinished past the letter's new appointment",
  });

const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD")
  .refine((s) => parseLocalDate(s) !== null, "not a calendar date in 1990–2099 (no 30 February)");

const digestRoute = createRoute({
  method: "get",
  path: "/api/v1/digest",
  tags: ["Sweeps"],
  summary:
    "The daily digest per agency: entering the apology window tomorrow, overdue without letter, late after re-appointment",
  ...guard(READERS, { scoped: true }),
  request: {
    query: z.object({
      agency: z.string().min(1).max(64).optional().openapi({
        description:
          "one agency; default every agency in scope with something to report (an officer: their own)",
      }),
      date: LocalDate.optional().openapi({
        description: "the digest's local date; default the local date of asOf",
        example: "2025-02-06",
      }),
      asOf: AsOfQuery,
    }),
  },
  responses: {
    200: json(
      z.object({ asOf: Instant, date: LocalDay, agencies: z.array(AgencyDigest) }).openapi("Digests"),
      "The digests",
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const digestRoutes = createRouter().openapi(digestRoute, async (c) => {
  const { deps, principal } = c.var;
  const query = c.req.valid("query");
  const db = deps.database.db;
  const asOf = asOfOr(query.asOf, deps.clock.now());
  const date = query.date ?? localIsoDateOf(asOf.getTime());
  const agency = query.agency ? await agencyForPrincipal(db, principal, query.agency) : null;
  const own =
    principal.scopeKind === "agency" && principal.scopeAgencyCode ? [principal.scopeAgencyCode] : [];
  const agencies = await buildDigests(db, {
    asOf,
    date,
    where: agency ? sql`d.agency_code = ${agency.code}` : scopeCondition(principal),
    always: agency ? [agency.code] : own,
  });
  return c.json({ asOf: asOf.toISOString(), date, agencies }, 200);
});
