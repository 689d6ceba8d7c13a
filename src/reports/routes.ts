import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { guard } from "../auth/guard.js";
import { agencyForPrincipal } from "../auth/queries.js";
import type { Agency } from "../catalog/agencies.js";
import { LatenessWindowSchema } from "../catalog/lateness-window.js";
import { putFieldTarget } from "../catalog/targets.js";
import type { AppEnv } from "../http/context.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { AsOfQuery, asOfOr, parseInstant, parseLocalDate } from "../http/params.js";
import { ComplianceReport, FieldTarget, RepeatLatenessReport } from "./api-schemas.js";
import { COMPLIANCE_GROUPS, complianceReport } from "./compliance.js";
import { complianceExport, exportReport, type ReportExport, repeatLatenessExport } from "./exports.js";
import { repeatLatenessReport } from "./repeat-lateness.js";

/** Who reads the reports and decides justifications, here and on the console's pages. */
export const INSPECTORS = ["admin", "inspector"] as const;

/** A local date (its 00:00 in Asia/Ho_Chi_Minh) or an ISO time with offset; 2025-02-30 is no date. */
const PeriodBound = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const at = parseLocalDate(s) ? new Date(`${s}T00:00:00+07:00`) : parseInstant(s);
    if (at) return at;
    ctx.addIssue({
      code: "custom",
      message:
        "expected a date (YYYY-MM-DD, local) or an ISO time with offset, in 1990–2099 and every field in range",
    });
    return z.NEVER;
  })
  .openapi({ type: "string" });

const PeriodQuery = {
  from: PeriodBound.openapi({ description: "Start of the period (inclusive)", example: "2025-01-01" }),
  to: PeriodBound.openapi({ description: "End of the period (exclusive)", example: "2026-01-01" }),
  agency: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "This agency and its subtree (default: the caller's whole scope)" }),
  asOf: AsOfQuery,
  format: z.enum(["json", "csv", "pdf"]).default("json"),
};

// zod 4 runs an object's refinements even when a field failed (a bound that is not a date stays a
// string): that field's own error is the answer then.
const periodOrdered = <T extends { from: Date; to: Date }>(q: T) =>
  !(q.from instanceof Date && q.to instanceof Date) || q.from.getTime() < q.to.getTime();
const PERIOD_MESSAGE = { message: "from must be before to", path: ["to"] };

/** The reports' queries: the API's, and the console's report pages read theirs through them too. */
export const RepeatLatenessQuery = z
  .object({
    ...PeriodQuery,
    threshold: z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: "Overrides every agency's threshold" }),
    window: LatenessWindowSchema.optional().openapi({
      description: "Overrides every agency's window: month, quarter, year or rolling_days:N",
    }),
  })
  .refine(periodOrdered, PERIOD_MESSAGE);

export const ComplianceQuery = z
  .object({ ...PeriodQuery, groupBy: z.enum(COMPLIANCE_GROUPS).default("agency") })
  .refine(periodOrdered, PERIOD_MESSAGE);

const reportResponses = (schema: typeof RepeatLatenessReport | typeof ComplianceReport) => ({
  200: {
    description:
      "The report: JSON, CSV (UTF-8 with BOM, the JSON keys as headers) or PDF (Nghị định 30/2020 layout)",
    content: {
      "application/json": { schema },
      "text/csv": { schema: z.string() },
      "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
    },
  },
  ...errorResponses(400, 401, 403, 404),
});

const repeatLatenessRoute = createRoute({
  method: "get",
  path: "/api/v1/reports/repeat-lateness",
  tags: ["Reports"],
  summary:
    "Officials whose unjustified late dossiers reach the threshold in some window of their agency's policy within [from, to)",
  ...guard(INSPECTORS, { scoped: true }),
  request: {
    query: RepeatLatenessQuery,
  },
  responses: reportResponses(RepeatLatenessReport),
});

const complianceRoute = createRoute({
  method: "get",
  path: "/api/v1/reports/compliance",
  tags: ["Reports"],
  summary:
    "Per agency, field or procedure: early, on time, late, open overdue, rates, apology coverage, violations, QĐ 766 score",
  ...guard(INSPECTORS, { scoped: true }),
  request: {
    query: ComplianceQuery,
  },
  responses: reportResponses(ComplianceReport),
});

const fieldTargetRoute = createRoute({
  method: "put",
  path: "/api/v1/targets/fields/{fieldCode}",
  tags: ["Reports"],
  summary: "Set a field's late-rate target (0.02 = under 2 % late); compliance rows over it are flagged",
  ...guard(["admin"], { scoped: false }),
  request: {
    params: z.object({ fieldCode: z.string().trim().min(1).max(200) }),
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ maxLateRate: z.number().min(0).max(1) }) } },
    },
  },
  responses: {
    200: json(FieldTarget, "Replaced"),
    201: json(FieldTarget, "Created"),
    ...errorResponses(400, 401, 403),
  },
});

async function scopeAgency(c: Context<AppEnv>, code: string | undefined): Promise<Agency | null> {
  return code ? agencyForPrincipal(c.var.deps.database.db, c.var.principal, code) : null;
}

/** The report in the asked format, after its line in the audit trail. */
async function deliver(c: Context<AppEnv>, e: ReportExport): Promise<Response> {
  const { deps, principal } = c.var;
  const file = await exportReport(deps.database.db, principal, deps.clock.now(), e);
  if (!file) return c.json(e.report, 200);
  return c.body(file.body as string, 200, {
    "content-type": file.contentType,
    "content-disposition": file.contentDisposition,
  });
}

export const reportRoutes = createRouter()
  .openapi(repeatLatenessRoute, async (c) => {
    const { deps, principal } = c.var;
    const q = c.req.valid("query");
    const agency = await scopeAgency(c, q.agency);
    const asOf = asOfOr(q.asOf, deps.clock.now());
    const report = await repeatLatenessReport(deps.database.db, principal, { ...q, asOf, agency });
    return deliver(
      c,
      repeatLatenessExport(deps.letterFonts, report, {
        format: q.format,
        agency,
        threshold: q.threshold,
        window: q.window,
      }),
    );
  })
  .openapi(complianceRoute, async (c) => {
    const { deps, principal } = c.var;
    const q = c.req.valid("query");
    const agency = await scopeAgency(c, q.agency);
    const asOf = asOfOr(q.asOf, deps.clock.now());
    const report = await complianceReport(deps.database.db, principal, { ...q, asOf, agency });
    return deliver(c, complianceExport(deps.letterFonts, report, { format: q.format, agency }));
  })
  .openapi(fieldTargetRoute, async (c) => {
    const { deps, principal } = c.var;
    const { target, created } = await putFieldTarget(
      deps.database.db,
      principal,
      c.req.valid("param").fieldCode,
      c.req.valid("json").maxLateRate,
    );
    return c.json(target, created ? 201 : 200);
  });
