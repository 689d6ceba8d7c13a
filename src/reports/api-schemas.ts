// What the report routes answer as JSON (DOMAIN §8); the CSV has the same
// columns, the PDF the same figures.
import { z } from "@hono/zod-openapi";
import { Instant } from "../contract/wire.js";
import { COMPLIANCE_GROUPS } from "./compliance.js";

const Window = z.string().openapi({
  description: "month, quarter, year or rolling_days:N (local time, Asia/Ho_Chi_Minh)",
  example: "month",
});

const LateDossier = z.object({
  code: z.string(),
  stepSeq: z.number().int().openapi({ description: "The official's first late step on it" }),
  stepDueAt: Instant.openapi({ description: "That step's due: the dossier counts in the window holding it" }),
  overrunHours: z.number(),
  justified: z.boolean().openapi({ description: "An inspector accepted the reason (lý do chính đáng)" }),
});

export const RepeatLatenessReport = z
  .object({
    from: Instant,
    to: Instant.openapi({ description: "Exclusive" }),
    asOf: Instant,
    threshold: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The override, or null: each agency's policy" }),
    window: Window.nullable().openapi({ description: "The override, or null: each agency's policy" }),
    officials: z.array(
      z.object({
        officialId: z.string(),
        officialName: z.string(),
        title: z.string().nullable(),
        department: z.string().nullable(),
        agencyCode: z.string(),
        lateCount: z.number().int().openapi({ description: "Unjustified late dossiers in the period" }),
        justifiedCount: z.number().int(),
        overrunHours: z.number().openapi({ description: "Working hours of overrun of the unjustified ones" }),
        policy: z.object({ window: Window, threshold: z.number().int() }),
        peakWindow: z
          .object({ from: Instant, to: Instant, lateCount: z.number().int() })
          .openapi({ description: "The window (inside the period) with the most unjustified late dossiers" }),
        dossiers: z.array(LateDossier),
      }),
    ),
  })
  .openapi("RepeatLatenessReport", {
    description: "Officials whose unjustified late dossiers reach the threshold in a window, most late first",
  });

const Rate = z.number().min(0).max(1).nullable();

const ComplianceRow = z
  .object({
    key: z.string().nullable().openapi({ description: "Agency, field or procedure code; null in totals" }),
    name: z.string().nullable(),
    received: z.number().int(),
    early: z.number().int(),
    onTime: z.number().int(),
    late: z.number().int(),
    openOverdue: z.number().int(),
    openNotDue: z.number().int().openapi({ description: "Open, not yet due: counted, not judged" }),
    closed: z.number().int().openapi({ description: "Refused, withdrawn, stopped: counted, not judged" }),
    lateWithLetter: z.number().int(),
    violations: z.number().int().openapi({ description: "Violations open as of asOf on these dossiers" }),
    onTimeRate: Rate.openapi({ description: "(early + on time) / judged; null when nothing was judged" }),
    lateRate: Rate,
    apologyCoverage: Rate.openapi({ description: "Late or overdue with a letter / late or overdue" }),
    progressScore: z
      .number()
      .min(0)
      .max(20)
      .nullable()
      .openapi({ description: "QĐ 766/QĐ-TTg: onTimeRate × 20" }),
    maxLateRate: Rate.openapi({
      description: "The target: the procedure's, else its field's; none for agencies",
    }),
    overTarget: z.boolean(),
  })
  .openapi("ComplianceRow");

export const ComplianceReport = z
  .object({
    from: Instant,
    to: Instant.openapi({ description: "Exclusive" }),
    asOf: Instant,
    groupBy: z.enum(COMPLIANCE_GROUPS),
    rows: z.array(ComplianceRow),
    totals: ComplianceRow,
  })
  .openapi("ComplianceReport", {
    description:
      "Dossiers whose binding due falls in [from, to), judged as of asOf, per agency, field or procedure",
  });

export const FieldTarget = z
  .object({ fieldCode: z.string(), maxLateRate: z.number().min(0).max(1) })
  .openapi("FieldTarget");
