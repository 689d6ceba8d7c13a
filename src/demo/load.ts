// `npm run demo`: a synthetic province loaded the way a real one would be — agencies through the
// catalogue (with their tree) before any record names them, procedures with their processing
// times, a year of dossiers through the sync pipeline on the real calendar, and the showcase
// dossiers of each demo officer's agency (showcase.ts) — plus the users to try it with.
import { sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import { createUser } from "../auth/queries.js";
import { HOUR_MS, localDayOf } from "../calendar/dates.js";
import { storedCalendar } from "../calendar/store.js";
import { type Db, queryRows } from "../db/client.js";
import type { Channel, DossierRecord } from "../deadlines/dossier-record.js";
import { stateAsOf } from "../dossiers/state-sql.js";
import { putAgency, upsertProcedures } from "../rulebook/catalog-changes.js";
import { toCanonical } from "../sync/formats/canonical.js";
import { syncBatch } from "../sync/pipeline.js";
import {
  type DemoAgency,
  type DemoProcedure,
  generateDossiers,
  generateProvince,
  type Province,
} from "./generator.js";
import { processingHoursOf } from "./lifecycle.js";
import { showcaseDossiers } from "./showcase.js";

export interface DemoOptions {
  dossiers: number;
  seed: number;
  /** The demo's "now": dossiers are received over the year before it. */
  now: Date;
  batchSize?: number;
  onProgress?: (loaded: number) => void;
}

export interface DemoSummary {
  province: string;
  agencies: number;
  procedures: number;
  dossiers: { inserted: number; updated: number; unchanged: number; stale: number; rejected: number };
  states: Record<string, number>;
  commune: { code: string; name: string };
  /** The commune officer's, a province-wide inspector's and an admin's. */
  tokens: { officer: string; inspector: string; admin: string };
  /** Every demo officer: the commune's first, then a department's. */
  officers: { name: string; agency: { code: string; name: string }; token: string }[];
  /** Showcase dossiers loaded (overdue, due soon, paused, finished late for each officer's agency). */
  showcase: number;
}

const YEAR_MS = 365 * 24 * HOUR_MS;
/** Days the desk is shut besides weekends: holidays, their substitutes and swapped days. */
const CLOSED_KINDS = new Set(["holiday", "substitute", "swap_off"]);

/** Parents before children: the catalogue refuses an agency whose parent it does not know yet. */
function inTreeOrder(province: Province) {
  const depth = (code: string | null): number =>
    code ? 1 + depth(province.agencies.find((a) => a.code === code)?.parentCode ?? null) : 0;
  return [...province.agencies].sort((a, b) => depth(a.parentCode) - depth(b.parentCode));
}

async function loadCatalogue(db: Db, actor: Principal, province: Province, now: Date): Promise<void> {
  for (const agency of inTreeOrder(province)) {
    const { code, level: _, ...input } = agency;
    await putAgency(db, actor, code, input, now);
  }
  const procedures = province.procedures.map(({ demo: _, ...procedure }) => procedure);
  await upsertProcedures(db, actor, procedures, now);
}

async function workingTime(db: Db) {
  const index = (await storedCalendar(db)).indexFor();
  const addWorkingHours = (from: Date, hours: number) =>
    new Date(index.addWorkingMs(from.getTime(), hours * HOUR_MS));
  return {
    index,
    addWorkingHours,
    dueFor: (start: Date, procedure: DemoProcedure, channel: Channel) =>
      addWorkingHours(start, processingHoursOf(procedure, channel)),
  };
}

async function loadDossiers(
  db: Db,
  province: Province,
  options: DemoOptions,
  showcase: readonly DossierRecord[],
) {
  const { index, addWorkingHours, dueFor } = await workingTime(db);
  const generated = generateDossiers(province, {
    seed: options.seed,
    count: options.dossiers,
    from: new Date(options.now.getTime() - YEAR_MS),
    to: options.now,
    asOf: options.now,
    addWorkingHours,
    dueFor,
    isDayOff: (date) => CLOSED_KINDS.has(index.calendarEntry(localDayOf(date.getTime()))?.kind ?? ""),
  });
  const records = (function* () {
    yield* generated;
    yield* showcase;
  })();
  const total = { inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0 };
  let raws: unknown[] = [];
  const flush = async () => {
    const result = await syncBatch(db, { source: "demo", format: "canonical", raws, now: options.now });
    total.inserted += result.inserted;
    total.updated += result.updated;
    total.unchanged += result.unchanged;
    total.stale += result.stale;
    total.rejected += result.rejected.length;
    raws = [];
    options.onProgress?.(total.inserted + total.updated + total.unchanged + total.stale + total.rejected);
  };
  for (const record of records) {
    raws.push(toCanonical(record));
    if (raws.length >= (options.batchSize ?? 2000)) await flush();
  }
  if (raws.length > 0) await flush();
  return total;
}

/** The demo officers' agencies: the first commune (xã), and the department with most procedures. */
function demoAgencies(province: Province): DemoAgency[] {
  const commune = province.agencies.find((a) => a.level === "commune" && a.name.startsWith("UBND xã"))!;
  const departments = province.agencies.filter((a) => a.level === "department");
  const procedures = (a: DemoAgency) =>
    province.procedures.filter((p) => p.demo.department === a.shortCode).length;
  const department = departments.reduce((best, a) => (procedures(a) > procedures(best) ? a : best));
  return [commune, department];
}

export async function loadDemo(db: Db, options: DemoOptions): Promise<DemoSummary> {
  const province = generateProvince(options.seed);
  const admin = await createUser(db, {
    name: "Quản trị (demo)",
    role: "admin",
    scopeKind: "all",
    scopeAgencyCode: null,
  });
  const actor: Principal = {
    userId: admin.id,
    name: "Quản trị (demo)",
    role: "admin",
    scopeKind: "all",
    scopeAgencyCode: null,
    scopePath: null,
  };
  // Every agency the records name is catalogued before the first record is synced: sync never creates one.
  await loadCatalogue(db, actor, province, options.now);
  const agencies = demoAgencies(province);
  const showcase = showcaseDossiers(province, agencies, {
    seed: options.seed,
    now: options.now,
    time: await workingTime(db),
  });
  const dossiers = await loadDossiers(db, province, options, showcase);
  const officers = [];
  for (const agency of agencies) {
    const name = `Cán bộ Một cửa (${agency.name.replace(/^UBND /, "")})`;
    const user = await createUser(db, {
      name,
      role: "officer",
      scopeKind: "agency",
      scopeAgencyCode: agency.code,
    });
    officers.push({ name, agency: { code: agency.code, name: agency.name }, token: user.token });
  }
  // Sở Nội vụ inspects the whole province (DOMAIN §10: inspectors review lateness across agencies).
  const inspector = await createUser(db, {
    name: "Thanh tra Sở Nội vụ (demo)",
    role: "inspector",
    scopeKind: "all",
    scopeAgencyCode: null,
  });
  const commune = agencies[0];
  const states = await queryRows<{ state: string; n: number }>(
    db,
    sql`SELECT ${stateAsOf(options.now)} AS state, count(*)::int AS n FROM dossiers d GROUP BY 1 ORDER BY 1`,
  );
  return {
    province: province.name,
    agencies: province.agencies.length,
    procedures: province.procedures.length,
    dossiers,
    states: Object.fromEntries(states.map((s) => [s.state, s.n])),
    commune: { code: commune.code, name: commune.name },
    tokens: { officer: officers[0].token, inspector: inspector.token, admin: admin.token },
    officers,
    showcase: showcase.length,
  };
}
