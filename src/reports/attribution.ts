// Who made a dossier late (DOMAIN §5): the officials of its late steps, each with their overrun in
// working time, the largest overrun primary; the handling agency, `unattributed`, when no step is
// late. Pure: the dossier detail calls it for one dossier; attribution-sql.ts is the same rule,
// set-based, for the reports (a test holds the two to the same answers).
import { HOUR_MS, MINUTE_MS } from "../calendar/dates.js";
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import type { StepAllotment } from "../catalog/schema.js";
import type { DossierStep } from "../deadlines/dossier-record.js";
import type { DossierState } from "../deadlines/types.js";

/** A step of the processing history as attribution reads it: the record's step, its note aside. */
export type AttributionStep = Omit<DossierStep, "note">;

export interface JustificationDecision {
  officialId: string;
  accepted: boolean;
  reason: string;
  decidedAt: Date;
  decidedBy: { id: number; name: string };
}

export interface AttributionInput {
  agencyCode: string;
  /** The dossier's state as of asOf: only `late` and `overdue` dossiers are attributed. */
  state: DossierState;
  steps: readonly AttributionStep[];
  /** The procedure's internal process (quy trình nội bộ): allotment per step seq. */
  allotments: readonly StepAllotment[];
  justifications: readonly JustificationDecision[];
}

export interface OfficialAttribution {
  kind: "official";
  officialId: string;
  officialName: string | null;
  title: string | null;
  department: string | null;
  /** The official's first late step on this dossier (the moment they became late). */
  stepSeq: number;
  stepDueAt: Date;
  /** Working hours past the step dues, summed over the official's late steps, two decimals. */
  overrunHours: number;
  overrunMinutes: number;
  primary: boolean;
  justification: Omit<JustificationDecision, "officialId"> | null;
}

export interface UnattributedLateness {
  kind: "unattributed";
  agencyCode: string;
}

export type Responsible = OfficialAttribution | UnattributedLateness;

export const isLateState = (state: DossierState) => state === "late" || state === "overdue";

/** Step due: the record's, else the step's start + its allotment in working time; null when neither. */
export function stepDueOf(
  index: WorkingTimeIndex,
  step: Pick<AttributionStep, "seq" | "startedAt" | "dueAt">,
  allotments: readonly StepAllotment[],
): Date | null {
  if (step.dueAt) return step.dueAt;
  const allotment = allotments.find((a) => a.seq === step.seq);
  if (!step.startedAt || !allotment) return null;
  return new Date(
    index.addWorkingMs(step.startedAt.getTime(), Math.round(allotment.allotmentHours * HOUR_MS)),
  );
}

interface LateStep {
  step: AttributionStep;
  dueAt: Date;
  overrunMinutes: number;
}

/**
 * A step is late when it ended after its due, or is still open past it as of asOf (a step that
 * ends after asOf is open as of asOf; one not started by asOf is not judged).
 */
export function lateStepsOf(
  index: WorkingTimeIndex,
  steps: readonly AttributionStep[],
  allotments: readonly StepAllotment[],
  asOf: Date,
): LateStep[] {
  const asOfMs = asOf.getTime();
  return steps.flatMap((step) => {
    if (step.startedAt && step.startedAt.getTime() > asOfMs) return [];
    const dueAt = stepDueOf(index, step, allotments);
    if (!dueAt) return [];
    const endMs = step.endedAt && step.endedAt.getTime() <= asOfMs ? step.endedAt.getTime() : asOfMs;
    if (!(endMs > dueAt.getTime())) return [];
    const overrunMinutes = index.workingMsBetween(dueAt.getTime(), endMs) / MINUTE_MS;
    return [{ step, dueAt, overrunMinutes }];
  });
}

const hoursOf = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/**
 * The dossier's responsible list as of asOf: [] when it is not late; one entry per official of its
 * late steps (most overrun first, the first primary); or one `unattributed` entry for the agency.
 */
export function attributeDossier(
  index: WorkingTimeIndex,
  input: AttributionInput,
  asOf: Date,
): Responsible[] {
  if (!isLateState(input.state)) return [];
  const byOfficial = new Map<string, LateStep[]>();
  for (const late of lateStepsOf(index, input.steps, input.allotments, asOf)) {
    const id = late.step.officialId;
    if (!id) continue;
    byOfficial.set(id, [...(byOfficial.get(id) ?? []), late]);
  }
  if (byOfficial.size === 0) return [{ kind: "unattributed", agencyCode: input.agencyCode }];
  const entries = [...byOfficial].map(([officialId, lates]): OfficialAttribution => {
    const first = lates.reduce((a, b) => (earlier(b, a) ? b : a));
    const overrunMinutes = lates.reduce((sum, l) => sum + l.overrunMinutes, 0);
    const decision = input.justifications.find((j) => j.officialId === officialId);
    return {
      kind: "official",
      officialId,
      officialName: first.step.officialName,
      title: first.step.title,
      department: first.step.department,
      stepSeq: first.step.seq,
      stepDueAt: first.dueAt,
      overrunMinutes,
      overrunHours: hoursOf(overrunMinutes),
      primary: false,
      justification: decision
        ? {
            accepted: decision.accepted,
            reason: decision.reason,
            decidedAt: decision.decidedAt,
            decidedBy: decision.decidedBy,
          }
        : null,
    };
  });
  entries.sort(
    (a, b) =>
      b.overrunMinutes - a.overrunMinutes ||
      a.stepDueAt.getTime() - b.stepDueAt.getTime() ||
      a.stepSeq - b.stepSeq,
  );
  entries[0].primary = true;
  return entries;
}

function earlier(a: LateStep, b: LateStep): boolean {
  const diff = a.dueAt.getTime() - b.dueAt.getTime();
  return diff < 0 || (diff === 0 && a.step.seq < b.step.seq);
}
