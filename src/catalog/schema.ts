import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, numeric, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import {
  DEFAULT_WORKING_PERIODS,
  DEFAULT_WORKING_PROFILE,
  type WorkingPeriods,
} from "../calendar/working-periods.js";
import { createdAt, instant } from "../db/columns.js";

/** How repeat lateness is counted (DOMAIN §5): a window and a threshold of unjustified late dossiers. */
export type LatenessWindow = "month" | "quarter" | "year" | `rolling_days:${number}`;

/** Cơ quan, đơn vị: the handling agencies, as a tree (province → department/district → commune). */
export const agencies = pgTable(
  "agencies",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    shortCode: text("short_code").notNull(),
    parentCode: text("parent_code"),
    /** Materialised path "/root/…/code/" so that a subtree scope is one LIKE prefix match. */
    path: text("path").notNull(),
    /** The town named on letters ("Ninh Sơn, ngày … tháng … năm …"). */
    place: text("place"),
    workingPeriods: jsonb("working_periods")
      .$type<WorkingPeriods>()
      .notNull()
      .default(DEFAULT_WORKING_PERIODS),
    /** The key of working_periods in working_profiles / working_days (the SQL working-time arithmetic). */
    workingProfile: text("working_profile").notNull().default(DEFAULT_WORKING_PROFILE),
    /** Lines above the agency name on letters (the parent authority), when not derived from the tree. */
    letterHeader: jsonb("letter_header").$type<string[]>(),
    latenessWindow: text("lateness_window").$type<LatenessWindow>(),
    latenessThreshold: integer("lateness_threshold"),
    digestWebhookUrl: text("digest_webhook_url"),
    /** Shown on letters' public status pages (/tra-cuu): where the citizen goes, and where to give feedback. */
    address: text("address"),
    feedbackUrl: text("feedback_url"),
    /** false while the agency is only known from synced records. */
    catalogued: boolean("catalogued").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("agencies_parent_idx").on(t.parentCode),
    index("agencies_path_idx").using("btree", sql`${t.path} text_pattern_ops`),
    // Letter numbers read "n/PXL-<short code>": two agencies with one short code would print the
    // same number, so the province's letters would no longer be told apart.
    uniqueIndex("agencies_short_code_key").on(t.shortCode),
  ],
);

/**
 * Other names of an agency, as one-stop systems send them in DonViXuLy ("UBND xã Ninh Sơn",
 * "Bộ phận Một cửa xã Ninh Sơn"). Keyed by the compared form (`agencyNameKey`), so one spelling
 * names one agency only.
 */
export const agencyAliases = pgTable(
  "agency_aliases",
  {
    key: text("key").primaryKey(),
    alias: text("alias").notNull(),
    agencyCode: text("agency_code").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("agency_aliases_agency_idx").on(t.agencyCode)],
);

export type ProcessingUnit = "days" | "hours";
export interface ProcessingTimeSpec {
  unit: ProcessingUnit;
  amount: number;
}
export type SupplementPolicy = "pause" | "restart";
export interface StepAllotment {
  seq: number;
  name: string;
  allotmentHours: number;
}

/** Thủ tục hành chính, with its processing time (thời hạn giải quyết) and internal process. */
export const procedures = pgTable(
  "procedures",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    fieldCode: text("field_code"),
    field: text("field"),
    /** null until the procedure catalogue gives it: dossiers are then judged on their promised due. */
    processingTime: jsonb("processing_time").$type<ProcessingTimeSpec>(),
    perChannel:
      jsonb("per_channel").$type<Partial<Record<"direct" | "online" | "postal", ProcessingTimeSpec>>>(),
    supplementPolicy: text("supplement_policy").$type<SupplementPolicy>().notNull().default("pause"),
    steps: jsonb("steps").$type<StepAllotment[]>().notNull().default([]),
    /** Late-rate target as a share (0.02 = 2 %), per procedure; falls back to the field's target. */
    maxLateRate: numeric("max_late_rate", { mode: "number" }),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [index("procedures_field_idx").on(t.fieldCode)],
);

/** Late-rate targets per field (lĩnh vực), e.g. land dossiers under 2 % late (seeds/004). */
export const fieldTargets = pgTable("field_targets", {
  fieldCode: text("field_code").primaryKey(),
  maxLateRate: numeric("max_late_rate", { mode: "number" }).notNull(),
});

/** Công chức met in processing histories. */
export const officials = pgTable(
  "officials",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    title: text("title"),
    department: text("department"),
    agencyCode: text("agency_code").notNull(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [index("officials_agency_idx").on(t.agencyCode)],
);
