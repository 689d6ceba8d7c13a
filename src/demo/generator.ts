// Synthetic dossiers for a synthetic province: deterministic for a seed, one record at a time so
// that a million of them never sit in memory together.
import { DAY_MS, HOUR_MS, MINUTE_MS, ZONE_OFFSET_MS } from "../calendar/dates.js";
import type { Channel, DossierRecord } from "../deadlines/dossier-record.js";
import { type DossierDraft, processingHoursOf, simulateDossier, type WorkingTime } from "./lifecycle.js";
import type { DemoAgency, DemoOfficial, DemoProcedure, Province, StepRole } from "./province.js";
import { Random, WeightedTable } from "./random.js";
import { addWorkingHours } from "./working-time.js";

export { writeDump } from "./dump.js";
export type {
  DemoAgency,
  DemoOfficial,
  DemoProcedure,
  Province,
  ProvinceOptions,
  StepRole,
} from "./province.js";
export { generateProvince } from "./province.js";

export interface DossierOptions {
  seed: number;
  count: number;
  /** Receipts are spread evenly over [from, to]. */
  from: Date;
  to: Date;
  /** Records show what the one-stop software knew at this time; must not be before `to`. */
  asOf: Date;
  /** The statutory due; the default skips weekends only (inject src/deadlines for the real calendar). */
  dueFor?: (receivedAt: Date, procedure: DemoProcedure, channel: Channel) => Date;
  /** Working-time arithmetic for steps and pauses; the default skips weekends only. */
  addWorkingHours?: (from: Date, hours: number) => Date;
  /** Official days off (holidays) on which the desk receives nothing. */
  isDayOff?: (date: Date) => boolean;
}

/** A receipt time: a working day (a few Saturday-morning desks), inside working periods mostly. */
function receiptTime(random: Random, day: number, isDayOff: (d: Date) => boolean): Date {
  let localDay = day;
  for (let tries = 0; tries < 14; tries++) {
    const weekday = (localDay + 4) % 7; // 0 = Sunday; 1970-01-01 was a Thursday
    const saturdayDesk = weekday === 6 && random.chance(0.05);
    const off =
      weekday === 0 ||
      (weekday === 6 && !saturdayDesk) ||
      isDayOff(new Date(localDay * DAY_MS - ZONE_OFFSET_MS + 12 * HOUR_MS));
    if (!off) break;
    localDay += 1;
  }
  const minute = random.int(0, 479);
  // 2 % are logged just outside the periods (early desk, late closing).
  const minuteOfDay = random.chance(0.02)
    ? random.pick([random.int(420, 449), random.int(1050, 1080)])
    : minute < 240
      ? 450 + minute
      : 810 + minute - 240;
  return new Date(localDay * DAY_MS + minuteOfDay * MINUTE_MS - ZONE_OFFSET_MS);
}

function officialIndex(province: Province) {
  const byKey = new Map<string, DemoOfficial[]>();
  for (const o of province.officials) {
    for (const key of [`${o.agencyCode}|${o.role}|${o.sector}`, `${o.agencyCode}|${o.role}`]) {
      const list = byKey.get(key) ?? [];
      list.push(o);
      byKey.set(key, list);
    }
  }
  return (agency: DemoAgency) => (procedure: DemoProcedure, role: StepRole) =>
    byKey.get(`${agency.code}|${role}|${procedure.demo.sector}`) ??
    // An office serving several sectors has one head, filed under its first sector: any head of the agency.
    byKey.get(`${agency.code}|${role}`) ??
    [];
}

function agenciesFor(province: Province, procedure: DemoProcedure): DemoAgency[] {
  return province.agencies.filter(
    (a) =>
      a.level === procedure.demo.level &&
      (a.level !== "department" || a.shortCode === procedure.demo.department),
  );
}

function localityOf(province: Province, agency: DemoAgency, random: Random): string {
  if (agency.level === "commune") return agency.name.replace(/^UBND /, "");
  const communes = province.agencies.filter((a) => a.level === "commune");
  return communes.length ? random.pick(communes).name.replace(/^UBND /, "") : province.name;
}

export function* generateDossiers(province: Province, options: DossierOptions): Generator<DossierRecord> {
  const { seed, count, from, to, asOf } = options;
  if (to < from || asOf < to) throw new RangeError("generateDossiers needs from <= to <= asOf");
  const random = new Random(seed);
  const add = options.addWorkingHours ?? addWorkingHours;
  const time: WorkingTime = {
    addWorkingHours: add,
    dueFor:
      options.dueFor ?? ((start, procedure, channel) => add(start, processingHoursOf(procedure, channel))),
  };
  const isDayOff = options.isDayOff ?? (() => false);
  const procedures = province.procedures
    .map((p) => ({ procedure: p, agencies: agenciesFor(province, p) }))
    .filter((p) => p.agencies.length > 0);
  const table = new WeightedTable(procedures, (p) => p.procedure.demo.weight);
  const officialsOf = officialIndex(province);
  const firstDay = Math.floor((from.getTime() + ZONE_OFFSET_MS) / DAY_MS);
  const days = Math.floor((to.getTime() + ZONE_OFFSET_MS) / DAY_MS) - firstDay + 1;
  for (let index = 0; index < count; index++) {
    const { procedure, agencies } = table.pick(random);
    const agency = random.pick(agencies);
    const day = firstDay + Math.floor(((index + random.float()) / count) * days);
    let receivedAt = receiptTime(random, day, isDayOff);
    if (receivedAt > to) receivedAt = new Date(to.getTime() - random.int(1, 480) * 60_000);
    if (receivedAt < from) receivedAt = from;
    const draft: DossierDraft = {
      index,
      agency,
      procedure,
      officials: officialsOf(agency),
      receivedAt,
      asOf,
      locality: localityOf(province, agency, random),
      provinceName: province.name,
    };
    yield simulateDossier(random, draft, time);
  }
}
