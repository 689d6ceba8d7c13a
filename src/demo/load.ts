// `npm run demo`: a synthetic province loaded the way a real one would be — agencies through the
// catalogue (with their tree), procedures with their processing times, a year of dossiers through
// the sync pipeline on the real calendar — plus three users to try the API with.
import { sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import { createUser } from "../auth/queries.js";
import { HOUR_MS, localDayOf } from "../calendar/dates.js";
import { storedCalendar } from "../calendar/store.js";
import { putAgency } from "../catalog/agencies.js";
import { upsertProcedures } from "../catalog/procedures.js";
import { type Db, queryRows } from "../db/client.js";
import { stateAsOf } from "../dossiers/state-sql.js";
import { toCanonical } from "../sync/formats/canonical.js";
import { syncBatch } from "../sync/pipeline.js";
import { generateDossiers, generateProvince, type Province } from "./generator.js";
import { processingHoursOf } from "./lifecycle.js";

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
  tokens: { officer: string; inspector: string; admin: string };
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

async function loadDossiers(db: Db, province: Province, options: DemoOptions) {
  const index = (await storedCalendar(db)).indexFor();
  const addWorkingHours = (from: Date, hours: number) =>
    new Date(index.addWorkingMs(from.getTime(), hours * HOUR_MS));
  const records = generateDossiers(province, {
    seed: options.seed,
    count: options.dossiers,
    from: new Date(options.now.getTime() - YEAR_MS),
    to: options.now,
    asOf: options.now,
    addWorkingHours,
    dueFor: (start, procedure, channel) => addWorkingHours(start, processingHoursOf(procedure, channel)),
    isDayOff: (date) => CLOSED_KINDS.has(index.calendarEntry(localDayOf(date.getTime()))?.kind ?? ""),
  });
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
  await loadCatalogue(db, actor, province, options.now);
  const dossiers = await loadDossiers(db, province, options);
  const commune = province.agencies.find((a) => a.level === "commune")!;
  const officer = await createUser(db, {
    name: `Cán bộ Một cửa ${commune.name}`,
    role: "officer",
    scopeKind: "agency",
    scopeAgencyCode: commune.code,
  });
  const inspector = await createUser(db, {
    name: "Thanh tra (demo)",
    role: "inspector",
    scopeKind: "subtree",
    scopeAgencyCode: commune.parentCode ?? commune.code,
  });
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
    tokens: { officer: officer.token, inspector: inspector.token, admin: admin.token },
  };
}
