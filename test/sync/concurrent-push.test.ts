// Two one-stop systems, or a system and its own retry, pushing the same dossiers at once: neither
// request fails (their new dossiers used to be inserted in each one's order, and two pushes in
// opposite orders deadlocked), and each dossier is counted, and its history written, once.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { ok } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

let server: SeededServer;
beforeAll(async () => {
  server = await startSeededServer({ procedures: [BUILDING_PERMIT] });
});
afterAll(() => server.close());

interface Counts {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
}

const push = async (records: unknown[]) =>
  (await ok(
    await server.request("/api/v1/sync/dossiers", {
      method: "POST",
      token: server.tokens.system,
      json: { format: "canonical", records },
    }),
  )) as Counts;

const DOSSIERS = 400;
const dossiers = (prefix: string, overrides: Record<string, unknown> = {}) =>
  Array.from({ length: DOSSIERS }, (_, i) =>
    canonicalRecord({ code: `${prefix}-${String(i).padStart(4, "0")}`, ...overrides }),
  );

const sum = (answers: Counts[]) =>
  answers.reduce(
    (a, b) => ({
      inserted: a.inserted + b.inserted,
      updated: a.updated + b.updated,
      unchanged: a.unchanged + b.unchanged,
      stale: a.stale + b.stale,
    }),
    { inserted: 0, updated: 0, unchanged: 0, stale: 0 },
  );

/** Rows per dossier of `prefix` in each table written from records. */
async function rowsOf(prefix: string) {
  const [row] = await queryRows<{ dossiers: number; steps: number; history: number; twice: number }>(
    server.database.db,
    sql`SELECT
      (SELECT count(*)::int FROM dossiers WHERE code LIKE ${`${prefix}-%`}) AS dossiers,
      (SELECT count(*)::int FROM dossier_steps WHERE dossier_code LIKE ${`${prefix}-%`}) AS steps,
      (SELECT count(*)::int FROM dossier_history WHERE dossier_code LIKE ${`${prefix}-%`}) AS history,
      (SELECT count(*)::int FROM (
         SELECT FROM dossier_history WHERE dossier_code LIKE ${`${prefix}-%`}
         GROUP BY dossier_code, field, new_value HAVING count(*) > 1) t) AS twice`,
  );
  return row;
}

const steps = (canonicalRecord().steps as unknown[]).length;

describe("concurrent pushes of the same dossiers", () => {
  it("insert new dossiers sent in opposite orders once: one push inserts each, the other finds it unchanged", async () => {
    for (const round of [1, 2, 3]) {
      const records = dossiers(`NEW${round}`);
      const answers = await Promise.all([push(records), push([...records].reverse())]);
      expect(sum(answers)).toEqual({ inserted: DOSSIERS, updated: 0, unchanged: DOSSIERS, stale: 0 });
      // Status and appointment, each set once.
      expect(await rowsOf(`NEW${round}`)).toEqual({
        dossiers: DOSSIERS,
        steps: DOSSIERS * steps,
        history: DOSSIERS * 2,
        twice: 0,
      });
    }
  });

  it("update the stored half and insert the new half once, whichever push commits first", async () => {
    const stored = dossiers("MIX").slice(0, DOSSIERS / 2);
    await push(stored);
    const newer = dossiers("MIX", { status: 5, sourceUpdatedAt: "2025-02-10T09:00:00+07:00" });
    const answers = await Promise.all([push(newer), push([...newer].reverse())]);
    expect(sum(answers)).toEqual({
      inserted: DOSSIERS / 2,
      updated: DOSSIERS / 2,
      unchanged: DOSSIERS,
      stale: 0,
    });
    // The stored half: status and appointment, then the new status; the new half: both, once.
    expect(await rowsOf("MIX")).toEqual({
      dossiers: DOSSIERS,
      steps: DOSSIERS * steps,
      history: (DOSSIERS / 2) * 3 + (DOSSIERS / 2) * 2,
      twice: 0,
    });
  });
});
