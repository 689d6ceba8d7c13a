// What the API shows of one dossier: the record, and the engine's figures as of `asOf`.
import type { z } from "@hono/zod-openapi";
import type { Principal } from "../auth/principal.js";
import { storedCalendar } from "../calendar/store.js";
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import type { Db } from "../db/client.js";
import type { DossierStatus } from "../deadlines/dossier-record.js";
import { clockLedger, computeDeadlines, dossierState, lateness } from "../deadlines/engine.js";
import type { DeadlineInput } from "../deadlines/types.js";
import { deadlineInputOf } from "../dossiers/deadlines.js";
import type { ViolationDetails } from "../sweep/api-schemas.js";
import type { DossierDetail, DossierLedger } from "./api-schemas.js";
import { type LoadedDossier, loadDossier } from "./detail.js";
import { responsibleOf, responsibleView } from "./responsible.js";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function engineInputOf(loaded: LoadedDossier): DeadlineInput {
  const { dossier, procedure } = loaded;
  return deadlineInputOf(
    {
      receivedAt: dossier.receivedAt,
      channel: dossier.channel,
      pauses: loaded.pauses.map((p) => ({
        kind: p.kind,
        startedAt: p.startedAt,
        endedAt: p.endedAt,
        reason: p.reason,
      })),
      promisedDueAt: dossier.promisedDueAt,
      finishedAt: dossier.finishedAt,
      returnedAt: dossier.returnedAt,
      status: dossier.status as DossierStatus,
    },
    procedure
      ? {
          processing_time: procedure.processingTime,
          per_channel: procedure.perChannel,
          supplement_policy: procedure.supplementPolicy,
        }
      : undefined,
  );
}

export function dossierView(
  loaded: LoadedDossier,
  index: WorkingTimeIndex,
  asOf: Date,
): z.infer<typeof DossierDetail> {
  const { dossier, agency, procedure, letter } = loaded;
  const deadlines = computeDeadlines(index, engineInputOf(loaded), asOf);
  const late = lateness(index, deadlines, asOf);
  const state = dossierState(deadlines, dossier.status as DossierStatus, asOf);
  return {
    code: dossier.code,
    agency: { code: agency.code, name: agency.name },
    procedure: {
      code: dossier.procedureCode,
      name: procedure?.name ?? null,
      field: procedure?.field ?? null,
    },
    channel: dossier.channel,
    status: dossier.status,
    applicant: {
      name: dossier.applicantName,
      idNumber: dossier.applicantIdNumber,
      kind: dossier.applicantKind,
      ...(dossier.applicantContact ?? { address: null, phone: null, email: null }),
    },
    receivedAt: dossier.receivedAt.toISOString(),
    startAt: iso(deadlines.startAt),
    finishedAt: iso(dossier.finishedAt),
    returnedAt: iso(dossier.returnedAt),
    sourceUpdatedAt: dossier.sourceUpdatedAt.toISOString(),
    // What the one-stop system sent that is not in the fields above: its own status code, and what
    // sync assumed or could not read (src/sync/flags.ts).
    sync: {
      sourceId: dossier.sourceId,
      sourceStatus: dossier.sourceStatus,
      flags: dossier.syncFlags ?? [],
      // Every progress and status row delivered, applied or not (an older one never moves it back).
      deliveries: loaded.deliveries,
    },
    processingTimeKnown: deadlines.processingTimeKnown,
    clockStopped: deadlines.clockStopped,
    statutoryDueAt: iso(deadlines.statutoryDueAt),
    promisedDueAt: iso(deadlines.promisedDueAt),
    bindingDueAt: iso(deadlines.bindingDueAt),
    reappointedDueAt: iso(letter?.newDueAt),
    apologyWindowStartsAt: iso(deadlines.apologyWindowStartsAt),
    state,
    lateness: { hours: late.hours, days: late.days },
    asOf: asOf.toISOString(),
    steps: loaded.steps.map((s) => ({
      seq: s.seq,
      officialId: s.officialId,
      officialName: s.officialName,
      title: s.title,
      department: s.department,
      startedAt: iso(s.startedAt),
      dueAt: iso(s.dueAt),
      endedAt: iso(s.endedAt),
    })),
    pauses: loaded.pauses.map((p) => ({
      kind: p.kind,
      startedAt: p.startedAt.toISOString(),
      endedAt: iso(p.endedAt),
      reason: p.reason,
    })),
    letter: letter
      ? {
          id: letter.id,
          // As printed on the letter ("05/PXL-LS"), stored when it was issued.
          number: letter.reference ?? `${letter.number}/PXL-${agency.shortCode}`,
          issuedAt: letter.issuedAt.toISOString(),
          newDueAt: iso(letter.newDueAt),
        }
      : null,
    responsible: responsibleView(responsibleOf(loaded, index, asOf, state)),
    violations: loaded.violations.map((v) => ({
      rule: v.rule,
      // Written by the rule's cause statement in its shape (src/sweep/rules/); the column is any JSON.
      details: v.details as z.infer<typeof ViolationDetails>,
      detectedAt: v.detectedAt.toISOString(),
      resolvedAt: iso(v.resolvedAt),
    })),
  };
}

export function ledgerView(
  loaded: LoadedDossier,
  index: WorkingTimeIndex,
  asOf: Date,
): z.infer<typeof DossierLedger> {
  const segments = clockLedger(index, engineInputOf(loaded), asOf);
  const countedMinutes = segments.reduce(
    (sum, s) => (s.kind === "counted" && !s.voidedByRestart ? sum + s.minutes : sum),
    0,
  );
  return {
    code: loaded.dossier.code,
    asOf: asOf.toISOString(),
    countedMinutes,
    segments: segments.map((s) => ({ ...s, from: s.from.toISOString(), to: s.to.toISOString() })),
  };
}

/** The dossier and its agency's working time; the calendar is read beside it, not after it. */
async function loadWithIndex(db: Db, principal: Principal, code: string) {
  const [loaded, calendar] = await Promise.all([loadDossier(db, principal, code), storedCalendar(db)]);
  return { loaded, index: calendar.indexFor(loaded.agency.workingPeriods) };
}

/** The dossier's detail as of `asOf` on its agency's working time; 404 out of scope. */
export async function dossierDetail(db: Db, principal: Principal, code: string, asOf: Date) {
  const { loaded, index } = await loadWithIndex(db, principal, code);
  return dossierView(loaded, index, asOf);
}

/** The dossier's clock ledger as of `asOf`; 404 out of scope. */
export async function dossierLedger(db: Db, principal: Principal, code: string, asOf: Date) {
  const { loaded, index } = await loadWithIndex(db, principal, code);
  return ledgerView(loaded, index, asOf);
}

/** The dossier's detail and its ledger as of `asOf` (the console shows both); 404 out of scope. */
export async function dossierViews(db: Db, principal: Principal, code: string, asOf: Date) {
  const { loaded, index } = await loadWithIndex(db, principal, code);
  return { detail: dossierView(loaded, index, asOf), ledger: ledgerView(loaded, index, asOf) };
}
