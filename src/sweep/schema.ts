import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant } from "../db/columns.js";

/** The rules of DOMAIN §7. */
export const VIOLATION_RULES = [
  "late_without_apology",
  "apology_after_deadline",
  "late_after_reappointment",
  "multiple_supplement_requests",
  "appointment_beyond_statutory",
  "appointment_moved_silently",
  "inconsistent_record",
] as const;
export type ViolationRule = (typeof VIOLATION_RULES)[number];

/** One row per (dossier, rule), however often the sweep runs; resolved when the cause goes away. */
export const violations = pgTable(
  "violations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    dossierCode: text("dossier_code").notNull(),
    agencyCode: text("agency_code").notNull(),
    rule: text("rule").$type<ViolationRule>().notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    detectedAt: instant("detected_at").notNull(),
    resolvedAt: instant("resolved_at"),
    sweepId: integer("sweep_id"),
  },
  (t) => [
    uniqueIndex("violations_dossier_rule_uq").on(t.dossierCode, t.rule),
    index("violations_open_agency_idx").on(t.agencyCode, t.rule).where(sql`${t.resolvedAt} IS NULL`),
    // Each rule's open violations, compared with its cause at every sweep.
    index("violations_open_rule_idx").on(t.rule, t.dossierCode).where(sql`${t.resolvedAt} IS NULL`),
  ],
);

export type SweepTrigger = "cron" | "cli" | "api" | "worker";
export type SweepStatus = "running" | "succeeded" | "failed";

/** What each sweep did: counts per state and rule, duration, errors. */
export const sweeps = pgTable(
  "sweeps",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    trigger: text("trigger").$type<SweepTrigger>().notNull(),
    asOf: instant("as_of").notNull(),
    startedAt: instant("started_at").notNull(),
    finishedAt: instant("finished_at"),
    status: text("status").$type<SweepStatus>().notNull(),
    counts: jsonb("counts").$type<Record<string, unknown>>().notNull().default({}),
    errors: jsonb("errors").$type<string[]>().notNull().default([]),
    durationMs: integer("duration_ms"),
  },
  (t) => [index("sweeps_started_idx").on(t.startedAt)],
);

/**
 * A lease row per job: one run at a time across processes. Advisory locks do not work on PGlite
 * or behind transaction poolers, and a lease expires by itself if its holder dies.
 */
export const jobLeases = pgTable("job_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  acquiredAt: instant("acquired_at").notNull(),
  expiresAt: instant("expires_at").notNull(),
});
