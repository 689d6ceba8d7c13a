// One synthetic dossier's life: receipt, steps with officials, pauses, outcome, and what the
// one-stop software would show of it as of a given time.
import { ZONE_OFFSET_MS } from "../calendar/dates.js";
import type {
  Applicant,
  Channel,
  DossierPause,
  DossierRecord,
  DossierStatus,
  DossierStep,
} from "../deadlines/dossier-record.js";
import { address, organizationName, personName } from "./names.js";
import type { DemoAgency, DemoOfficial, DemoProcedure } from "./province.js";
import type { Random } from "./random.js";

export interface WorkingTime {
  /** The statutory due of a dossier received (or restarted) at `start`. */
  dueFor(start: Date, procedure: DemoProcedure, channel: Channel): Date;
  addWorkingHours(from: Date, hours: number): Date;
}

export interface DossierDraft {
  index: number;
  agency: DemoAgency;
  procedure: DemoProcedure;
  /** Officials of the agency by role (and sector for specialists). */
  officials: (procedure: DemoProcedure, role: DemoProcedure["demo"]["stepRoles"][number]) => DemoOfficial[];
  receivedAt: Date;
  asOf: Date;
  /** "xã Lâm Sơn", where applicants of this agency live. */
  locality: string;
  provinceName: string;
}

type Outcome = "processed" | "rejected" | "withdrawn" | "stopped";

interface PlannedPause extends DossierPause {
  hours: number;
}

const hoursOf = (p: DemoProcedure, channel: Channel) => {
  const own = p.perChannel?.[channel];
  if (own?.processingHours !== undefined) return own.processingHours;
  if (own?.processingDays !== undefined) return own.processingDays * 8;
  return p.processingHours ?? (p.processingDays ?? 1) * 8;
};

export const processingHoursOf = hoursOf;

function channelOf(random: Random): Channel {
  const r = random.float();
  return r < 0.45 ? "online" : r < 0.95 ? "direct" : "postal";
}

function outcomeOf(random: Random): Outcome {
  const r = random.float();
  return r < 0.02 ? "rejected" : r < 0.035 ? "withdrawn" : r < 0.04 ? "stopped" : "processed";
}

function applicantOf(random: Random, draft: DossierDraft, channel: Channel): Applicant {
  const p = draft.procedure;
  const orgShare = p.demo.department === "STC" ? 1 : p.field === "Đất đai" ? 0.1 : 0.03;
  const kind = random.chance(orgShare) ? "organization" : "citizen";
  // CCCD: province of birth 058, century/sex digit, birth year, six digits; a tax code for organisations.
  const idNumber =
    kind === "organization"
      ? `45${random.digits(8)}`
      : random.chance(0.85)
        ? `058${random.int(0, 3)}${random.digits(2)}${random.digits(6)}`
        : null;
  return {
    name: kind === "organization" ? organizationName(random) : personName(random),
    idNumber,
    address: random.chance(0.9) ? address(random, draft.locality, draft.provinceName) : null,
    phone: random.chance(0.9) ? `09${random.digits(8)}` : null,
    email: random.chance(channel === "online" ? 0.6 : 0.1) ? `hoso${draft.index}@example.vn` : null,
    kind,
  };
}

/** How long an official takes on a step: mostly early, sometimes well over (their lateness rate). */
function durationOf(random: Random, official: DemoOfficial | null, allotment: number): number {
  const late = random.chance(official?.latenessRate ?? 0.02);
  return allotment * (late ? random.between(1.15, 3) : random.between(0.25, 0.95));
}

export function simulateDossier(random: Random, draft: DossierDraft, time: WorkingTime): DossierRecord {
  const { procedure, receivedAt } = draft;
  const channel = channelOf(random);
  const outcome = outcomeOf(random);
  const scale = hoursOf(procedure, channel) / procedure.steps.reduce((s, x) => s + x.allotmentHours, 0);
  const supplements = random.chance(0.12) ? (random.chance(0.2) ? 2 : 1) : 0;
  const financial = procedure.demo.financialObligation && random.chance(0.6);
  const roles = procedure.demo.stepRoles;
  const firstSpecialist = roles.indexOf("specialist");
  const beforeLeader = Math.max(roles.indexOf("leader") - 1, firstSpecialist);
  const stepCount = outcome === "rejected" ? 1 : procedure.steps.length;

  const steps: DossierStep[] = [];
  const pauses: PlannedPause[] = [];
  let cursor = receivedAt;
  for (let k = 0; k < stepCount; k++) {
    const template = procedure.steps[k];
    const candidates = draft.officials(procedure, roles[k]);
    const official = candidates.length ? random.pick(candidates) : null;
    const allotment = template.allotmentHours * scale;
    let pausedHours = 0;
    const pauseHere = (kind: DossierPause["kind"], count: number, minHours: number, maxHours: number) => {
      for (let n = 0; n < count; n++) {
        const start = time.addWorkingHours(cursor, allotment * random.between(0.1, 0.5) + pausedHours);
        const hours = Math.round(random.between(minHours, maxHours));
        const reason =
          kind === "supplement"
            ? "Yêu cầu bổ sung giấy tờ theo quy định"
            : "Chờ thực hiện nghĩa vụ tài chính";
        pauses.push({ kind, startedAt: start, endedAt: time.addWorkingHours(start, hours), reason, hours });
        pausedHours += hours;
      }
    };
    if (outcome !== "rejected" && k === firstSpecialist) pauseHere("supplement", supplements, 4, 80);
    if (financial && k === beforeLeader) pauseHere("financial", 1, 8, 120);
    const duration =
      outcome === "rejected" ? random.between(0.5, 2) : durationOf(random, official, allotment);
    const endedAt = time.addWorkingHours(cursor, duration + pausedHours);
    steps.push({
      seq: k + 1,
      officialId: official?.id ?? null,
      officialName: official?.name ?? null,
      title: official?.title ?? null,
      department: official?.department ?? null,
      startedAt: cursor,
      // Some vendors leave NgayKetThucTheoQuyDinh empty: the engine then uses the allotment.
      dueAt: random.chance(0.9) ? time.addWorkingHours(cursor, allotment + pausedHours) : null,
      endedAt,
      note: outcome === "rejected" ? "Hồ sơ không đủ điều kiện tiếp nhận" : template.name,
    });
    cursor = endedAt;
  }
  return asSeenAt(random, draft, time, { channel, outcome, steps, pauses, finishedAt: cursor });
}

interface Simulated {
  channel: Channel;
  outcome: Outcome;
  steps: DossierStep[];
  pauses: PlannedPause[];
  finishedAt: Date;
}

function promisedDue(
  random: Random,
  draft: DossierDraft,
  time: WorkingTime,
  s: Simulated,
  pauses: PlannedPause[],
) {
  const { procedure, receivedAt } = draft;
  const done = pauses.filter((p) => p.endedAt !== null);
  const lastSupplement = done.filter((p) => p.kind === "supplement").at(-1);
  const restart = procedure.supplementPolicy === "restart" && lastSupplement?.endedAt;
  // NĐ 61/2018: the appointment is re-set when the complete supplement arrives (pause or restart).
  const start = restart ? lastSupplement.endedAt! : receivedAt;
  const extra = done.filter((p) => !restart || p.kind === "financial").reduce((sum, p) => sum + p.hours, 0);
  const statutory = time.dueFor(start, procedure, s.channel);
  const due = extra > 0 ? time.addWorkingHours(statutory, extra) : statutory;
  // A few appointments are set beyond the statutory time (appointment_beyond_statutory).
  return random.chance(0.015) ? time.addWorkingHours(due, random.int(4, 24)) : due;
}

/** What the one-stop software shows as of `asOf`: later steps and pauses are not there yet. */
function asSeenAt(random: Random, draft: DossierDraft, time: WorkingTime, s: Simulated): DossierRecord {
  const { asOf, agency, procedure, receivedAt } = draft;
  const known = (d: Date | null) => (d && d <= asOf ? d : null);
  // Withdrawn and stopped dossiers end when one of their later steps would have begun.
  const cut =
    s.outcome === "processed" || s.outcome === "rejected"
      ? s.finishedAt
      : s.steps[random.int(1, s.steps.length - 1)].startedAt!;
  const closed = cut <= asOf;
  const clip = (d: Date | null) => known(d && d > cut ? cut : d);
  const steps = s.steps
    .filter((st) => st.startedAt! <= asOf && (st.startedAt! < cut || st.seq === 1))
    .map((st) => ({ ...st, endedAt: clip(st.endedAt) }));
  const pauses = s.pauses
    .filter((p) => p.startedAt <= asOf && p.startedAt < cut)
    .map((p) => ({ ...p, endedAt: clip(p.endedAt) }));
  const openPause = pauses.find((p) => p.endedAt === null);
  let status: DossierStatus;
  let finishedAt: Date | null = null;
  let returnedAt: Date | null = null;
  if (closed && s.outcome !== "processed")
    status = s.outcome === "rejected" ? 3 : s.outcome === "withdrawn" ? 7 : 8;
  else if (closed) {
    finishedAt = s.finishedAt;
    const pickUp = time.addWorkingHours(finishedAt, s.channel === "online" ? 0.5 : random.between(1, 24));
    returnedAt = known(pickUp);
    status = returnedAt ? 10 : 9;
    // Some vendors fill only NgayTra (DOMAIN §3.7: finished falls back to returned).
    if (returnedAt && random.chance(0.03)) finishedAt = null;
  } else if (openPause) status = openPause.kind === "supplement" ? 5 : 6;
  else status = steps.length > 1 ? 4 : 2;
  const events = [
    receivedAt,
    finishedAt,
    returnedAt,
    ...steps.flatMap((st) => [st.startedAt, st.endedAt]),
    ...pauses.flatMap((p) => [p.startedAt, p.endedAt]),
  ];
  const latest = Math.max(...events.filter((d): d is Date => d !== null).map((d) => d.getTime()));
  const synced = Math.min(asOf.getTime(), latest + random.int(1, 30) * 60_000);
  return {
    code: `${agency.code}-${localDay(receivedAt)}-${String(draft.index + 1).padStart(6, "0")}`,
    procedureCode: procedure.code,
    procedureName: procedure.name,
    fieldCode: procedure.fieldCode,
    field: procedure.field,
    agencyCode: agency.code,
    agencyName: agency.name,
    channel: s.channel,
    applicant: applicantOf(random, draft, s.channel),
    receivedAt,
    promisedDueAt: status === 3 ? null : promisedDue(random, draft, time, s, pauses),
    finishedAt,
    returnedAt,
    status,
    steps,
    pauses: pauses.map(({ hours: _hours, ...p }) => p),
    sourceUpdatedAt: new Date(Math.max(synced, receivedAt.getTime())),
    raw: null,
  };
}

/** yyMMdd in local time, as dossier codes carry it. */
function localDay(date: Date): string {
  const local = new Date(date.getTime() + ZONE_OFFSET_MS);
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return two(local.getUTCFullYear() % 100) + two(local.getUTCMonth() + 1) + two(local.getUTCDate());
}
