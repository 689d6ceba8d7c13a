// The bridge from stored dossiers to the pure deadline engine: which processing time, which
// supplement policy, which working periods and calendar apply to a record.
import { sql } from "drizzle-orm";
import { storedCalendar } from "../calendar/store.js";
import type { WorkingPeriods } from "../calendar/working-periods.js";
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import type { ProcessingTimeSpec, SupplementPolicy } from "../catalog/schema.js";
import { type Db, queryRows, textArray } from "../db/client.js";
import type { Channel, DossierRecord } from "../deadlines/dossier-record.js";
import { computeDeadlines } from "../deadlines/engine.js";
import type { DeadlineInput, Deadlines } from "../deadlines/types.js";

export interface ProcedureRules {
  processing_time: ProcessingTimeSpec | null;
  per_channel: Partial<Record<Channel, ProcessingTimeSpec>> | null;
  supplement_policy: SupplementPolicy;
}

export interface ComputedDeadlines {
  startAt: Date | null;
  statutoryDueAt: Date | null;
  bindingDueAt: Date | null;
  apologyWindowStartsAt: Date | null;
  completedAt: Date | null;
  processingTimeKnown: boolean;
}

/** Per channel when the procedure sets one (DOMAIN §3.1), else its processing time; null while unknown. */
export function processingTimeFor(
  rules: ProcedureRules | undefined,
  channel: Channel,
): ProcessingTimeSpec | null {
  return rules?.per_channel?.[channel] ?? rules?.processing_time ?? null;
}

export function deadlineInputOf(
  record: Pick<
    DossierRecord,
    "receivedAt" | "pauses" | "promisedDueAt" | "finishedAt" | "returnedAt" | "status" | "channel"
  >,
  rules: ProcedureRules | undefined,
): DeadlineInput {
  return {
    receivedAt: record.receivedAt,
    processingTime: processingTimeFor(rules, record.channel),
    supplementPolicy: rules?.supplement_policy ?? "pause",
    pauses: record.pauses,
    promisedDueAt: record.promisedDueAt,
    finishedAt: record.finishedAt,
    returnedAt: record.returnedAt,
    status: record.status,
  };
}

/** What is stored when the deadlines cannot be computed (a date outside the calendar's years). */
export function unknownDeadlines(input: Pick<DeadlineInput, "finishedAt" | "returnedAt">): ComputedDeadlines {
  return {
    startAt: null,
    statutoryDueAt: null,
    bindingDueAt: null,
    apologyWindowStartsAt: null,
    completedAt: input.finishedAt ?? input.returnedAt,
    processingTimeKnown: false,
  };
}

/** The stored columns; a date outside the calendar's years leaves the deadlines unknown rather than failing the batch. */
export function storedDeadlines(
  index: WorkingTimeIndex,
  input: DeadlineInput,
  asOf: Date,
): ComputedDeadlines {
  let d: Deadlines;
  try {
    d = computeDeadlines(index, input, asOf);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return unknownDeadlines(input);
  }
  return {
    startAt: d.startAt,
    statutoryDueAt: d.statutoryDueAt,
    bindingDueAt: d.bindingDueAt,
    apologyWindowStartsAt: d.apologyWindowStartsAt,
    completedAt: d.finishedAt,
    processingTimeKnown: d.processingTimeKnown,
  };
}

/** What a record's deadlines are computed from. */
export type DeadlineRecord = Pick<
  DossierRecord,
  | "agencyCode"
  | "procedureCode"
  | "channel"
  | "status"
  | "receivedAt"
  | "promisedDueAt"
  | "finishedAt"
  | "returnedAt"
  | "pauses"
>;

export interface DeadlineContext {
  compute(record: DeadlineRecord): ComputedDeadlines;
}

/** Loads, once per batch, the rules of the procedures and agencies the records name. */
export async function loadDeadlineContext(
  db: Db,
  records: Pick<DossierRecord, "procedureCode" | "agencyCode">[],
  asOf: Date,
): Promise<DeadlineContext> {
  const procedureCodes = [...new Set(records.map((r) => r.procedureCode))];
  const agencyCodes = [...new Set(records.map((r) => r.agencyCode))];
  const [rules, periods, calendar] = await Promise.all([
    queryRows<ProcedureRules & { code: string }>(
      db,
      sql`SELECT code, processing_time, per_channel, supplement_policy FROM procedures WHERE code = ANY(${textArray(procedureCodes)})`,
    ),
    queryRows<{ code: string; working_periods: WorkingPeriods }>(
      db,
      sql`SELECT code, working_periods FROM agencies WHERE code = ANY(${textArray(agencyCodes)})`,
    ),
    storedCalendar(db),
  ]);
  const rulesByCode = new Map(rules.map((r) => [r.code, r]));
  const periodsByAgency = new Map(periods.map((p) => [p.code, p.working_periods]));
  return {
    compute(record) {
      const index = calendar.indexFor(periodsByAgency.get(record.agencyCode));
      return storedDeadlines(index, deadlineInputOf(record, rulesByCode.get(record.procedureCode)), asOf);
    },
  };
}
