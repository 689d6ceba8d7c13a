import { sql } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/client.js";
import type { Channel } from "../dossiers/record.js";
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

/** Bulk upsert of the procedure catalogue in one statement; returns how many were new. */
export async function upsertProcedures(db: Db, actor: Principal, items: ProcedureInput[]) {
  return db.transaction(async (tx) => {
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
    await recordAudit(tx, actor, {
      action: "procedure.upsert",
      resourceType: "procedure",
      details: { codes: rows.map((r) => r.code) },
    });
    const inserted = result.filter((r) => r.inserted).length;
    return { inserted, updated: result.length - inserted };
  });
}
