// What the sweep's routes answer, and the violation (DOMAIN §7) as every route shows it.
import { z } from "@hono/zod-openapi";
import { Instant } from "../contract/wire.js";
import { DOSSIER_STATES } from "../deadlines/types.js";
import { VIOLATION_RULES } from "./schema.js";

/** `details` of each rule, as its cause statement writes them (src/sweep/rules/). */
const VIOLATION_DETAILS = [
  z.object({ state: z.enum(DOSSIER_STATES), bindingDueAt: Instant }).openapi({
    title: "late_without_apology",
    description: "Overdue or finished late with no letter: the state and the binding due it passed",
  }),
  z.object({ letterId: z.number().int(), issuedAt: Instant, apologyDeadline: Instant }).openapi({
    title: "apology_after_deadline",
    description: "The letter came after the apology deadline (binding due − 1 working day)",
  }),
  z
    .object({ letterId: z.number().int(), newDueAt: Instant.nullable(), finishedAt: Instant.nullable() })
    .openapi({
      title: "late_after_reappointment",
      description: "Unfinished past, or finished (finishedAt) after, the letter's new appointment",
    }),
  z.object({ requests: z.number().int(), requestedAt: z.array(Instant) }).openapi({
    title: "multiple_supplement_requests",
    description: "How many supplement requests (yêu cầu bổ sung), and when each started",
  }),
  z.object({ promisedDueAt: Instant, statutoryDueAt: Instant }).openapi({
    title: "appointment_beyond_statutory",
    description: "The appointment (NgayHenTra) later than the statutory due",
  }),
  z.object({ moves: z.array(z.object({ from: Instant, to: Instant, recordedAt: Instant })) }).openapi({
    title: "appointment_moved_silently",
    description: "Each unexplained move of the appointment to a later date, and when sync recorded it",
  }),
  z
    .object({
      checks: z.array(
        z.enum([
          "finished_before_received",
          "returned_before_finished",
          "done_without_finish_time",
          "promised_before_received",
          "status_backwards",
          "received_on_day_off",
          "step_ends_before_start",
        ]),
      ),
    })
    .openapi({ title: "inconsistent_record", description: "Each impossible fact of the record" }),
] as const;

export const ViolationDetails = z.union(VIOLATION_DETAILS).openapi("ViolationDetails", {
  description: "What the rule found; its shape depends on `rule` (each variant's title names its rule)",
});

export const ViolationRuleSchema = z.enum(VIOLATION_RULES).openapi({ description: "The rule of DOMAIN §7" });

export const Violation = z
  .object({
    id: z.number().int(),
    dossierCode: z.string(),
    agencyCode: z.string(),
    rule: ViolationRuleSchema,
    details: ViolationDetails,
    detectedAt: Instant,
    resolvedAt: Instant.nullable().openapi({ description: "null while open" }),
    sweepId: z.number().int().nullable().openapi({ description: "The sweep that last found it" }),
  })
  .openapi("Violation");

export const ViolationPage = z
  .object({ items: z.array(Violation), nextCursor: z.string().nullable() })
  .openapi("ViolationPage");

const RuleCounts = z.object({
  new: z.number().int(),
  reopened: z.number().int(),
  resolved: z.number().int(),
  open: z.number().int(),
});

/** `sweeps.counts` (SweepCounts in run.ts); a failed run keeps what it got to, so every key may be absent. */
const SweepCounts = z
  .object({
    mode: z.enum(["full", "incremental"]),
    baselineSweepId: z.number().int().nullable(),
    evaluated: z.number().int(),
    pulled: z
      .object({
        pages: z.number().int(),
        records: z.number().int(),
        inserted: z.number().int(),
        updated: z.number().int(),
        unchanged: z.number().int(),
        stale: z.number().int(),
        rejected: z.number().int(),
        cursor: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: "The pull from SYNC_SOURCE_URL; null when none is configured or it failed" }),
    recomputed: z.object({ selected: z.number().int(), moved: z.number().int() }),
    states: z.partialRecord(z.enum(DOSSIER_STATES), z.number().int()),
    rules: z.record(z.enum(VIOLATION_RULES), RuleCounts),
    digests: z.object({ posted: z.number().int(), failed: z.number().int() }),
    calendarVersion: z.string(),
    phaseMs: z.object({
      pull: z.number(),
      recompute: z.number(),
      scope: z.number(),
      rules: z.number(),
      states: z.number(),
      digests: z.number(),
    }),
  })
  .partial()
  .openapi("SweepCounts");

export const Sweep = z
  .object({
    id: z.number().int(),
    trigger: z.enum(["cron", "cli", "api", "worker"]),
    status: z.enum(["running", "succeeded", "failed"]),
    asOf: Instant,
    startedAt: Instant,
    finishedAt: Instant.nullable(),
    durationMs: z.number().nullable(),
    counts: SweepCounts,
    errors: z.array(z.string()),
  })
  .openapi("Sweep");

export const SweepList = z.object({ items: z.array(Sweep) }).openapi("SweepList");

export const SweepRunning = z
  .object({
    error: z.object({
      code: z.literal("SWEEP_RUNNING"),
      message: z.string(),
      details: z.object({ sweepId: z.number().int().nullable() }),
    }),
  })
  .openapi("SweepRunning");
