// The demo's first look: a few dossiers of each demo officer's agency placed, as of the demo's clock,
// where an officer has work to do — overdue, due within the day, paused for a supplement, finished
// late without a letter — and one on track. The year of generated dossiers around them is random;
// these are not, so that every demo opens on something to act on.
import { MINUTE_MS } from "../calendar/dates.js";
import type { Channel, DossierRecord, DossierStep } from "../deadlines/dossier-record.js";
import { personName } from "./names.js";
import type { DemoAgency, DemoOfficial, DemoProcedure, Province, StepRole } from "./province.js";
import { Random } from "./random.js";

export interface ShowcaseTime {
  /** The statutory due of a dossier received at `start` (the real calendar). */
  dueFor(start: Date, procedure: DemoProcedure, channel: Channel): Date;
  addWorkingHours(from: Date, hours: number): Date;
}

/** Where a showcase dossier stands as of now, in working hours relative to now. */
type Scenario =
  | { kind: "open"; dueIn: number; pausedFor?: number }
  | { kind: "finished_late"; dueIn: number; finishedIn: number };

/** Negative: before now. Two of each that an officer acts on, one on track. */
const SCENARIOS: Scenario[] = [
  { kind: "open", dueIn: -6 },
  { kind: "open", dueIn: -20 },
  { kind: "open", dueIn: 3 },
  { kind: "open", dueIn: 6 },
  { kind: "open", dueIn: 5, pausedFor: 6 },
  { kind: "open", dueIn: 30, pausedFor: 10 },
  { kind: "finished_late", dueIn: -16, finishedIn: -4 },
  { kind: "finished_late", dueIn: -30, finishedIn: -12 },
  { kind: "open", dueIn: 40 },
];

const SEARCH_DAYS_MS = 400 * 86_400_000;

/** The latest instant t ≤ `before` with f(t) ≤ target, f non-decreasing: a binary search to the minute. */
function latestWith(f: (t: number) => number, target: number, before: number): number {
  let lo = before - SEARCH_DAYS_MS;
  let hi = before;
  while (hi - lo > MINUTE_MS) {
    const mid = Math.floor((lo + hi) / 2);
    if (f(mid) <= target) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo / MINUTE_MS) * MINUTE_MS;
}

/** `hours` of working time from now (negative: back from now). */
function workingFromNow(time: ShowcaseTime, now: Date, hours: number): Date {
  if (hours >= 0) return time.addWorkingHours(now, hours);
  const t = latestWith(
    (x) => time.addWorkingHours(new Date(x), -hours).getTime(),
    now.getTime(),
    now.getTime(),
  );
  return new Date(t);
}

/** A procedure of the agency's level that takes days (so steps and a pause have room). */
function procedureFor(province: Province, agency: DemoAgency, random: Random): DemoProcedure {
  const fits = province.procedures.filter(
    (p) =>
      p.demo.level === agency.level &&
      (agency.level !== "department" || p.demo.department === agency.shortCode) &&
      (p.processingDays ?? 0) >= 3,
  );
  return random.pick(fits.length ? fits : province.procedures);
}

function officialFor(
  province: Province,
  agency: DemoAgency,
  role: StepRole,
  random: Random,
): DemoOfficial | null {
  const staff = province.officials.filter((o) => o.agencyCode === agency.code && o.role === role);
  return staff.length ? random.pick(staff) : null;
}

/** yyMMdd in local time, as dossier codes carry it. */
function localDay(date: Date): string {
  const local = new Date(date.getTime() + 7 * 3600_000);
  const two = (n: number) => String(n).padStart(2, "0");
  return two(local.getUTCFullYear() % 100) + two(local.getUTCMonth() + 1) + two(local.getUTCDate());
}

/**
 * The steps up to now: each ended well inside its allotment until the specialist's, which is still
 * open (open dossiers) or overran (finished late); the rest follow quickly to the finish.
 */
function stepsOf(
  province: Province,
  agency: DemoAgency,
  procedure: DemoProcedure,
  random: Random,
  time: ShowcaseTime,
  from: Date,
  end: { now: Date; finishedAt: Date | null },
): DossierStep[] {
  const slow = procedure.demo.stepRoles.indexOf("specialist");
  const steps: DossierStep[] = [];
  let cursor = from;
  for (const [k, template] of procedure.steps.entries()) {
    if (cursor > end.now) break;
    const official = officialFor(province, agency, procedure.demo.stepRoles[k], random);
    const dueAt = time.addWorkingHours(cursor, template.allotmentHours);
    let endedAt: Date | null = time.addWorkingHours(cursor, template.allotmentHours * 0.5);
    if (k === slow) endedAt = end.finishedAt ? time.addWorkingHours(dueAt, 2) : null;
    if (end.finishedAt && (k === procedure.steps.length - 1 || (endedAt && endedAt > end.finishedAt)))
      endedAt = end.finishedAt;
    steps.push({
      seq: k + 1,
      officialId: official?.id ?? null,
      officialName: official?.name ?? null,
      title: official?.title ?? null,
      department: official?.department ?? null,
      startedAt: cursor,
      dueAt,
      endedAt,
      note: template.name,
    });
    if (!endedAt || (end.finishedAt && endedAt >= end.finishedAt)) break;
    cursor = endedAt;
  }
  return steps;
}

function showcaseRecord(
  province: Province,
  agency: DemoAgency,
  scenario: Scenario,
  index: number,
  context: { random: Random; time: ShowcaseTime; now: Date },
): DossierRecord {
  const { random, time, now } = context;
  const procedure = procedureFor(province, agency, random);
  const channel: Channel = "direct";
  const target = workingFromNow(time, now, scenario.dueIn);
  // The latest receipt due by the target; its statutory due is the promise, as the software sets it.
  const receivedAt = new Date(
    latestWith(
      (t) => time.dueFor(new Date(t), procedure, channel).getTime(),
      target.getTime(),
      now.getTime(),
    ),
  );
  const due = time.dueFor(receivedAt, procedure, channel);
  const finishedAt =
    scenario.kind === "finished_late" ? workingFromNow(time, now, scenario.finishedIn) : null;
  const pausedSince =
    scenario.kind === "open" && scenario.pausedFor ? workingFromNow(time, now, -scenario.pausedFor) : null;
  const steps = stepsOf(province, agency, procedure, random, time, receivedAt, { now, finishedAt });
  const status = finishedAt ? 10 : pausedSince ? 5 : 4;
  return {
    code: `${agency.code}-${localDay(receivedAt)}-${String(900001 + index)}`,
    procedureCode: procedure.code,
    procedureName: procedure.name,
    fieldCode: procedure.fieldCode,
    field: procedure.field,
    agencyCode: agency.code,
    agencyName: agency.name,
    channel,
    applicant: {
      name: personName(random),
      idNumber: `058${random.int(0, 3)}${String(random.int(10, 99))}${String(random.int(100000, 999999))}`,
      address: `${agency.name.replace(/^UBND /, "")}, tỉnh ${province.name}`,
      phone: `09${String(random.int(10_000_000, 99_999_999))}`,
      email: null,
      kind: "citizen",
    },
    receivedAt,
    promisedDueAt: due,
    finishedAt,
    returnedAt: finishedAt ? time.addWorkingHours(finishedAt, 1) : null,
    status,
    steps,
    pauses: pausedSince
      ? [
          {
            kind: "supplement",
            startedAt: pausedSince,
            endedAt: null,
            reason: "Yêu cầu bổ sung giấy tờ theo quy định",
          },
        ]
      : [],
    sourceUpdatedAt: now,
    raw: null,
  };
}

/** The showcase dossiers of the agencies (each demo officer's), as of `now`. */
export function showcaseDossiers(
  province: Province,
  agencies: readonly DemoAgency[],
  options: { seed: number; now: Date; time: ShowcaseTime },
): DossierRecord[] {
  const random = new Random(options.seed * 7919 + 17);
  const context = { random, time: options.time, now: options.now };
  return agencies.flatMap((agency, a) =>
    SCENARIOS.map((scenario, s) =>
      showcaseRecord(province, agency, scenario, a * SCENARIOS.length + s, context),
    ),
  );
}
