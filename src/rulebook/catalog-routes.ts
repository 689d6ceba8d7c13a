import { createRoute, z } from "@hono/zod-openapi";
import { guard, READERS } from "../auth/guard.js";
import { agencyForPrincipal } from "../auth/queries.js";
import type { Role } from "../auth/schema.js";
import type { Agency as StoredAgency } from "../catalog/agencies.js";
import { listAliases, putAliases } from "../catalog/aliases.js";
import { LatenessWindowSchema } from "../catalog/lateness-window.js";
import { HttpUrl } from "../contract/wire.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { putAgency, upsertProcedures } from "./catalog-changes.js";

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM");
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

export const WorkingPeriodsSchema = z
  .array(z.tuple([HHMM, HHMM]))
  .min(1)
  .max(6)
  .refine(
    (periods) =>
      periods.every(
        ([from, to], i) =>
          minutesOf(from) < minutesOf(to) && (i === 0 || minutesOf(periods[i - 1][1]) < minutesOf(from)),
      ),
    // The working-time index counts a period's end as not working: touching periods are one period.
    "periods must be ascending and separated (merge touching periods)",
  )
  .openapi({
    example: [
      ["07:30", "11:30"],
      ["13:30", "17:30"],
    ],
  });

// A segment of the agencies' materialised path: a "/" would forge a place in the tree.
const AgencyCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((c) => !c.includes("/"), 'must not contain "/"');

const AgencyBody = z
  .object({
    name: z.string().trim().min(1).max(300),
    shortCode: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .openapi({ description: "Used in letter numbers: n/PXL-<shortCode>" }),
    parentCode: AgencyCode.nullable().optional(),
    place: z.string().trim().max(100).nullable().optional(),
    workingPeriods: WorkingPeriodsSchema.optional(),
    letterHeader: z.array(z.string().trim().min(1).max(200)).max(4).nullable().optional(),
    latenessWindow: LatenessWindowSchema.nullable().optional().openapi({
      description:
        "Repeat-lateness window: month, quarter, year or rolling_days:N; absent or null inherits the parent's (default month)",
    }),
    latenessThreshold: z.number().int().min(1).max(1000).nullable().optional().openapi({
      description:
        "Unjustified late dossiers in one window that report an official; null inherits (default 3)",
    }),
    digestWebhookUrl: HttpUrl.nullable().optional().openapi({
      description: "The daily digest is POSTed here (JSON) after each sweep; absent or null: not posted",
    }),
    address: z.string().trim().max(300).nullable().optional().openapi({
      description: "Shown on the public status page of the agency's letters (/tra-cuu/{token})",
    }),
    feedbackUrl: HttpUrl.nullable().optional().openapi({
      description: "The province's feedback page (phản ánh, kiến nghị), linked from the status page",
    }),
  })
  .openapi("AgencyInput");

const Agency = z
  .object({
    code: z.string(),
    name: z.string(),
    shortCode: z.string(),
    parentCode: z.string().nullable(),
    place: z.string().nullable(),
    workingPeriods: z.array(z.tuple([z.string(), z.string()])),
    letterHeader: z.array(z.string()).nullable(),
    latenessWindow: z.string().nullable(),
    latenessThreshold: z.number().nullable(),
    digestWebhookUrl: z.string().nullable().optional().openapi({ description: "shown to admins only" }),
    address: z.string().nullable(),
    feedbackUrl: z.string().nullable(),
  })
  .openapi("Agency");

/** The webhook URL may carry its receiver's secret: only admins see it. */
const agencyView = (a: StoredAgency, role?: Role) => ({
  code: a.code,
  name: a.name,
  shortCode: a.shortCode,
  parentCode: a.parentCode,
  place: a.place,
  workingPeriods: a.workingPeriods.map(([from, to]): [string, string] => [from, to]),
  letterHeader: a.letterHeader,
  latenessWindow: a.latenessWindow,
  latenessThreshold: a.latenessThreshold,
  address: a.address,
  feedbackUrl: a.feedbackUrl,
  ...(role === "admin" ? { digestWebhookUrl: a.digestWebhookUrl ?? null } : {}),
});

const Time = z
  .object({
    processingDays: z.number().positive().max(365).multipleOf(0.5).optional(),
    processingHours: z.number().positive().max(2000).optional(),
  })
  .refine(
    (t) => !(t.processingDays !== undefined && t.processingHours !== undefined),
    "give processingDays or processingHours, not both",
  );

const ProcedureBody = z
  .array(
    z
      .object({
        code: z.string().trim().min(1).max(64),
        name: z.string().trim().min(1).max(500),
        field: z.string().trim().max(200).nullable().optional(),
        fieldCode: z.string().trim().max(64).nullable().optional(),
        processingDays: z.number().positive().max(365).multipleOf(0.5).optional(),
        processingHours: z.number().positive().max(2000).optional(),
        perChannel: z.object({ direct: Time, online: Time, postal: Time }).partial().strict().optional(),
        supplementPolicy: z.enum(["pause", "restart"]).optional(),
        steps: z
          .array(
            z.object({
              seq: z.number().int().min(1).max(1000),
              name: z.string().trim().min(1).max(300),
              allotmentHours: z.number().positive().max(2000),
            }),
          )
          .max(50)
          .optional(),
        maxLateRate: z.number().min(0).max(1).nullable().optional(),
      })
      .refine((p) => !(p.processingDays !== undefined && p.processingHours !== undefined), {
        message: "give processingDays or processingHours, not both",
        path: ["processingDays"],
      }),
  )
  .min(1)
  .max(10_000)
  // One upsert statement per request: a code twice would make PostgreSQL refuse the whole of it (500).
  .superRefine((procedures, ctx) => {
    const seen = new Set<string>();
    procedures.forEach((p, i) => {
      if (seen.has(p.code))
        ctx.addIssue({ code: "custom", path: [i, "code"], message: `${p.code} is given twice` });
      seen.add(p.code);
    });
  })
  .openapi("ProcedureInput");

const putAgencyRoute = createRoute({
  method: "put",
  path: "/api/v1/agencies/{code}",
  tags: ["Catalogue"],
  summary: "Create or replace an agency (its place in the tree, working periods, letter header)",
  ...guard(["admin"], { scoped: false }),
  request: {
    params: z.object({ code: AgencyCode }),
    body: { content: { "application/json": { schema: AgencyBody } }, required: true },
  },
  responses: {
    200: json(Agency, "Updated"),
    201: json(Agency, "Created"),
    ...errorResponses(400, 401, 403, 422),
  },
});

const getAgencyRoute = createRoute({
  method: "get",
  path: "/api/v1/agencies/{code}",
  tags: ["Catalogue"],
  summary: "One agency, within the caller's scope",
  ...guard(READERS, { scoped: true }),
  request: { params: z.object({ code: AgencyCode }) },
  responses: { 200: json(Agency, "The agency"), ...errorResponses(401, 403, 404) },
});

const Aliases = z
  .object({
    aliases: z
      .array(z.string().trim().min(1).max(300))
      .max(50)
      .openapi({ example: ["UBND xã Ninh Sơn", "Bộ phận Một cửa xã Ninh Sơn"] }),
  })
  .openapi("AgencyAliases");

const putAliasesRoute = createRoute({
  method: "put",
  path: "/api/v1/agencies/{code}/aliases",
  tags: ["Catalogue"],
  summary: "Replace the other names under which one-stop systems send this agency (DonViXuLy)",
  description:
    "Names are compared ignoring case, spacing, punctuation and tone-mark placement, with UBND = Ủy ban nhân dân. A name that is another agency's name or alias is refused (409). Then replay the quarantined records (POST /api/v1/sync/rejections/replay).",
  ...guard(["admin"], { scoped: false }),
  request: {
    params: z.object({ code: AgencyCode }),
    body: { content: { "application/json": { schema: Aliases } }, required: true },
  },
  responses: { 200: json(Aliases, "The agency's aliases"), ...errorResponses(400, 401, 403, 404, 409) },
});

const getAliasesRoute = createRoute({
  method: "get",
  path: "/api/v1/agencies/{code}/aliases",
  tags: ["Catalogue"],
  summary: "The other names of an agency, within the caller's scope",
  ...guard(READERS, { scoped: true }),
  request: { params: z.object({ code: AgencyCode }) },
  responses: { 200: json(Aliases, "The agency's aliases"), ...errorResponses(401, 403, 404) },
});

const postProceduresRoute = createRoute({
  method: "post",
  path: "/api/v1/procedures",
  tags: ["Catalogue"],
  summary: "Bulk upsert of the procedure catalogue (processing times, supplement policy, step allotments)",
  ...guard(["admin"], { scoped: false }),
  request: { body: { content: { "application/json": { schema: ProcedureBody } }, required: true } },
  responses: {
    200: json(
      z
        .object({
          inserted: z.number().int(),
          updated: z.number().int(),
          dossiersRecomputed: z
            .number()
            .int()
            .openapi({ description: "dossiers whose stored deadlines changed with the procedures' rules" }),
        })
        .openapi("ProcedureUpsert"),
      "Upserted",
    ),
    ...errorResponses(400, 401, 403),
  },
});

export const catalogRoutes = createRouter()
  .openapi(putAgencyRoute, async (c) => {
    const { agency, created } = await putAgency(
      c.var.deps.database.db,
      c.var.principal,
      c.req.valid("param").code,
      c.req.valid("json"),
      c.var.deps.clock.now(),
    );
    return c.json(agencyView(agency, c.var.principal.role), created ? 201 : 200);
  })
  .openapi(getAgencyRoute, async (c) => {
    const agency = await agencyForPrincipal(
      c.var.deps.database.db,
      c.var.principal,
      c.req.valid("param").code,
    );
    return c.json(agencyView(agency, c.var.principal.role), 200);
  })
  .openapi(putAliasesRoute, async (c) => {
    const { code } = c.req.valid("param");
    const aliases = await putAliases(
      c.var.deps.database.db,
      c.var.principal,
      code,
      c.req.valid("json").aliases,
    );
    return c.json({ aliases }, 200);
  })
  .openapi(getAliasesRoute, async (c) => {
    const { db } = c.var.deps.database;
    const agency = await agencyForPrincipal(db, c.var.principal, c.req.valid("param").code);
    return c.json({ aliases: await listAliases(db, agency.code) }, 200);
  })
  .openapi(postProceduresRoute, async (c) => {
    const result = await upsertProcedures(
      c.var.deps.database.db,
      c.var.principal,
      c.req.valid("json"),
      c.var.deps.clock.now(),
    );
    return c.json(result, 200);
  });
