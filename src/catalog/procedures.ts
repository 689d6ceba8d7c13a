import { asc, sql } from "drizzle-orm";
import { type Db, queryRows, textArray } from "../db/client.js";
import type { Channel } from "../deadlines/dossier-record.js";
import { type ProcessingTimeSpec, procedures, type StepAllotment, type SupplementPolicy } from "./schema.js";

/** Either processingDays or processingHours, as the catalogue (POST /api/v1/procedures) gives it. */
export interface ProcessingTimeInput {
  processingDays?: number;
  processingHours?: number;
}

export interface ProcedureInput extends ProcessingTimeInput {
  code: string;
  name: string;
  field?: string | null;
  fieldCode?: string | null;
  perChannel?: Partial<Record<Channel, ProcessingTimeInput>>;
  supplementPolicy?: SupplementPolicy;
  steps?: StepAllotment[];
  maxLateRate?: number | null;
}

export function processingTimeOf(input: ProcessingTimeInput): ProcessingTimeSpec | null {
  if (input.processingDays !== undefined) return { unit: "days", amount: input.processingDays };
  if (input.processingHours !== undefined) return { unit: "hours", amount: input.processingHours };
  return null;
}

function perChannelOf(input: ProcedureInput["perChannel"]) {
  if (!input) return null;
  const entries = Object.entries(input).flatMap(([channel, time]) => {
    const spec = time ? processingTimeOf(time) : null;
    return spec ? [[channel, spec] as const] : [];
  });
  return Object.fromEntries(entries) as Partial<Record<Channel, ProcessingTimeSpec>>;
}

interface DeadlineRules {
  code: string;
  processing_time: unknown;
  per_channel: unknown;
  supplement_policy: string;
}

/** The procedures among `before`'s codes (and new ones) whose deadline rules the upsert changed. */
async function rulesChanged(tx: Db, codes: string[], before: DeadlineRules[]): Promise<string[]> {
  const changed = await queryRows<{ code: string }>(
    tx,
    sql`SELECT p.code FROM procedures p
        LEFT JOIN jsonb_to_recordset(${JSON.stringify(before)}::jsonb)
          AS o(code text, processing_time jsonb, per_channel jsonb, supplement_policy text) ON o.code = p.code
        WHERE p.code = ANY(${textArray(codes)})
          AND (o.code IS NULL OR (p.processing_time, p.per_channel, p.supplement_policy)
            IS DISTINCT FROM (o.processing_time, o.per_channel, o.supplement_policy))`,
  );
  return changed.map((r) => r.code);
}

/** What an upsert of the catalogue did. */
export interface StoredProcedures {
  /** The codes given, in their order. */
  codes: string[];
  inserted: number;
  updated: number;
  /** The procedures whose processing time, per-channel times or supplement policy changed. */
  rulesChanged: string[];
}

/**
 * Bulk upsert of the procedure catalogue in one statement, inside the caller's transaction. The
 * edit that calls it recomputes the deadlines of the procedures whose rules changed
 * (src/rulebook/catalog-changes.ts).
 */
export async function storeProcedures(tx: Db, items: ProcedureInput[]): Promise<StoredProcedures> {
  const codes = [...new Set(items.map((p) => p.code))];
  const before = await queryRows<DeadlineRules>(
    tx,
    sql`SELECT code, processing_time, per_channel, supplement_policy FROM procedures
        WHERE code = ANY(${textArray(codes)}) ORDER BY code FOR UPDATE`,
  );
  const rows = items.map((p) => ({
    code: p.code,
    name: p.name,
    field: p.field ?? null,
    fieldCode: p.fieldCode ?? p.field ?? null,
    processingTime: processingTimeOf(p),
    perChannel: perChannelOf(p.perChannel),
    supplementPolicy: p.supplementPolicy ?? "pause",
    steps: p.steps ?? [],
    maxLateRate: p.maxLateRate ?? null,
    updatedAt: new Date(),
  }));
  const result = await tx
    .insert(procedures)
    .values(rows)
    .onConflictDoUpdate({
      target: procedures.code,
      set: {
        name: sql`excluded.name`,
        field: sql`excluded.field`,
        fieldCode: sql`excluded.field_code`,
        processingTime: sql`excluded.processing_time`,
        perChannel: sql`excluded.per_channel`,
        supplementPolicy: sql`excluded.supplement_policy`,
        steps: sql`excluded.steps`,
        maxLateRate: sql`excluded.max_late_rate`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    // xmax = 0 only on rows this statement inserted: tells created from updated without a second query.
    .returning({ code: procedures.code, inserted: sql<boolean>`(xmax = 0)` });
  const inserted = result.filter((r) => r.inserted).length;
  return {
    codes: rows.map((r) => r.code),
    inserted,
    updated: result.length - inserted,
    rulesChanged: await rulesChanged(tx, codes, before),
  };
}

/** The catalogue, by code. */
export async function listProcedures(db: Db) {
  return db.select().from(procedures).orderBy(asc(procedures.code));
}
