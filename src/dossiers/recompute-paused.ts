// The engine's path of a recomputation: dossiers with pauses (restarts, a clock stopped at asOf)
// are loaded in one query and computed by the pure engine; recompute.ts writes them back with the rest.
import { type SQL, sql } from "drizzle-orm";
import { storedCalendar } from "../calendar/store.js";
import { DEFAULT_WORKING_PROFILE, type WorkingPeriods } from "../calendar/working-periods.js";
import { type Db, queryRows } from "../db/client.js";
import type { Channel, DossierPause, DossierStatus } from "../deadlines/dossier-record.js";
import {
  type ComputedDeadlines,
  deadlineInputOf,
  type ProcedureRules,
  storedDeadlines,
  unknownDeadlines,
} from "./deadlines.js";

export const hasPauses = sql`EXISTS (SELECT 1 FROM dossier_pauses x WHERE x.dossier_code = d.code)`;

interface PausedRow {
  code: string;
  agency_code: string;
  profile: string;
  working_periods: WorkingPeriods | null;
  channel: Channel;
  status: DossierStatus;
  received_at: string;
  promised_due_at: string | null;
  finished_at: string | null;
  returned_at: string | null;
  processing_time: ProcedureRules["processing_time"];
  per_channel: ProcedureRules["per_channel"];
  supplement_policy: ProcedureRules["supplement_policy"];
  pauses: { kind: DossierPause["kind"]; startedAt: string; endedAt: string | null; reason: string | null }[];
}

const dateOf = (x: string | null) => (x === null ? null : new Date(x));
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The engine's figures for dossiers with pauses: loaded in one query. */
export async function computePaused(db: Db, selection: SQL, asOf: Date) {
  const rows = await queryRows<PausedRow>(
    db,
    sql`SELECT d.code, d.agency_code, coalesce(a.working_profile, ${DEFAULT_WORKING_PROFILE}) AS profile,
          a.working_periods, d.channel, d.status, d.received_at, d.promised_due_at, d.finished_at, d.returned_at,
          p.processing_time, p.per_channel, coalesce(p.supplement_policy, 'pause') AS supplement_policy,
          (SELECT jsonb_agg(jsonb_build_object('kind', x.kind, 'startedAt', x.started_at, 'endedAt', x.ended_at,
                    'reason', x.reason) ORDER BY x.seq)
           FROM dossier_pauses x WHERE x.dossier_code = d.code) AS pauses
        FROM dossiers d
        LEFT JOIN agencies a ON a.code = d.agency_code
        LEFT JOIN procedures p ON p.code = d.procedure_code
        WHERE ${selection} AND ${hasPauses}`,
  );
  if (rows.length === 0) return [];
  const calendar = await storedCalendar(db);
  return rows.map((r) => {
    const input = deadlineInputOf(
      {
        receivedAt: new Date(r.received_at),
        channel: r.channel,
        status: Number(r.status) as DossierStatus,
        promisedDueAt: dateOf(r.promised_due_at),
        finishedAt: dateOf(r.finished_at),
        returnedAt: dateOf(r.returned_at),
        pauses: r.pauses.map((p) => ({
          kind: p.kind,
          startedAt: new Date(p.startedAt),
          endedAt: dateOf(p.endedAt),
          reason: p.reason,
        })),
      },
      r,
    );
    let computed: ComputedDeadlines;
    try {
      computed = storedDeadlines(calendar.indexFor(r.working_periods ?? undefined), input, asOf);
    } catch (error) {
      // Periods the engine refuses: unknown, as the SQL path has them (no stored profile).
      if (!(error instanceof RangeError)) throw error;
      computed = unknownDeadlines(input);
    }
    return {
      code: r.code,
      agency_code: r.agency_code,
      profile: r.profile,
      new_start: iso(computed.startAt),
      new_statutory: iso(computed.statutoryDueAt),
      new_binding: iso(computed.bindingDueAt),
      new_apology: iso(computed.apologyWindowStartsAt),
      new_completed: iso(computed.completedAt),
      new_known: computed.processingTimeKnown,
    };
  });
}

export function pausedPathResult(computed: Awaited<ReturnType<typeof computePaused>>): SQL {
  return sql`result AS (
      SELECT r.*, d.start_at AS old_start, d.statutory_due_at AS old_statutory, d.binding_due_at AS old_binding,
        d.apology_window_starts_at AS old_apology, d.completed_at AS old_completed,
        d.processing_time_known AS old_known
      FROM jsonb_to_recordset(${JSON.stringify(computed)}::jsonb) AS r(code text, agency_code text, profile text,
        new_start timestamptz, new_statutory timestamptz, new_binding timestamptz, new_apology timestamptz,
        new_completed timestamptz, new_known boolean)
      JOIN dossiers d ON d.code = r.code)`;
}
