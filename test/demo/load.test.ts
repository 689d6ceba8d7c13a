// `npm run demo`'s loader, small, on a fresh database: the two-tier catalogue (province → departments
// and communes, no district since 1 July 2025), dossiers through the pipeline on the real calendar,
// states spread as in a real province, each demo officer's agency with work as of the demo's clock,
// a sweep run at the end, and working tokens.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPrincipal } from "../../src/auth/queries.js";
import { type Database, queryRows } from "../../src/db/client.js";
import { loadFirstLook } from "../../src/demo/first-look.js";
import type { DemoSummary } from "../../src/demo/load.js";
import { demoReport } from "../../src/demo/report.js";
import { stateAsOf } from "../../src/dossiers/state-sql.js";
import { createLogger } from "../../src/runtime/logger.js";
import type { SweepOutcome } from "../../src/sweep/run.js";
import { createTestDatabase } from "../helpers/db.js";

let database: Database;
let summary: DemoSummary;
let sweep: SweepOutcome;
const NOW = new Date("2026-03-16T09:00:00+07:00");
beforeAll(async () => {
  database = await createTestDatabase();
  ({ summary, sweep } = await loadFirstLook(database, {
    dossiers: 300,
    seed: 5,
    now: NOW,
    batchSize: 120,
    logger: createLogger("silent"),
  }));
}, 180_000);
afterAll(() => database.close());

const count = async (query: string) =>
  (await queryRows<{ n: number }>(database.db, sql.raw(`SELECT count(*)::int AS n FROM ${query}`)))[0].n;

it("loads the catalogue with its two-tier tree, then every dossier through the pipeline", async () => {
  expect(summary.dossiers).toEqual({
    inserted: 300 + summary.showcase,
    updated: 0,
    unchanged: 0,
    stale: 0,
    rejected: 0,
  });
  expect(await count("dossiers")).toBe(300 + summary.showcase);
  expect(await count("agencies")).toBe(summary.agencies);
  expect(await count("agencies WHERE NOT catalogued")).toBe(0);
  // Province → departments and communes: two levels, no district between the province and a commune.
  expect(await count("agencies WHERE path ~ '^/[^/]+/[^/]+/$' AND name LIKE 'UBND xã %'")).toBeGreaterThan(
    10,
  );
  expect(await count("agencies WHERE path ~ '^/[^/]+/[^/]+/[^/]+/'")).toBe(0);
  expect(await count("agencies WHERE name LIKE '%huyện%'")).toBe(0);
  expect(await count("procedures WHERE processing_time IS NOT NULL")).toBe(summary.procedures);
  expect(await count("officials")).toBeGreaterThan(20);
  expect(await count("dossier_steps")).toBeGreaterThan(600);
  expect(await count("dossier_pauses")).toBeGreaterThan(0);
  expect(await count("dossiers WHERE NOT processing_time_known")).toBe(0);
});

it("spreads states as a real province would: early, on time, late, overdue, closed", () => {
  for (const state of ["early", "late", "overdue", "closed"])
    expect(summary.states[state] ?? 0).toBeGreaterThan(0);
  expect(summary.states.early).toBeGreaterThan(summary.states.late);
});

describe("a first look with work in it", () => {
  it("gives each demo officer's agency open dossiers overdue, due soon and paused, and some finished late without a letter", async () => {
    expect(summary.officers.map((o) => o.agency.name)).toEqual([
      expect.stringMatching(/^UBND xã /),
      expect.stringMatching(/^Sở /),
    ]);
    for (const { agency } of summary.officers) {
      const states = await queryRows<{ state: string; paused: boolean; n: number }>(
        database.db,
        sql`SELECT ${stateAsOf(NOW)} AS state,
              EXISTS (SELECT 1 FROM dossier_pauses p WHERE p.dossier_code = d.code AND p.ended_at IS NULL) AS paused,
              count(*)::int AS n
            FROM dossiers d WHERE d.agency_code = ${agency.code}
              AND NOT EXISTS (SELECT 1 FROM apology_letters l WHERE l.dossier_code = d.code)
            GROUP BY 1, 2`,
      );
      const n = (state: string, paused?: boolean) =>
        states
          .filter((s) => s.state === state && (paused === undefined || s.paused === paused))
          .reduce((sum, s) => sum + s.n, 0);
      expect(n("overdue"), agency.name).toBeGreaterThanOrEqual(2);
      expect(n("due_soon"), agency.name).toBeGreaterThanOrEqual(2);
      expect(
        states.filter((s) => s.paused && ["on_track", "due_soon", "overdue"].includes(s.state)).length,
      ).toBeGreaterThan(0);
      expect(n("late"), agency.name).toBeGreaterThanOrEqual(2);
    }
  });

  it("runs a sweep as of the demo's clock, so violations and the sweep history have content", async () => {
    expect(sweep.ran).toBe(true);
    expect(await count("sweeps WHERE status = 'succeeded'")).toBe(1);
    expect(await count("violations WHERE resolved_at IS NULL")).toBeGreaterThan(0);
    const [commune] = summary.officers;
    expect(
      await count(
        `violations v WHERE v.agency_code = '${commune.agency.code}' AND v.rule = 'late_without_apology'`,
      ),
    ).toBeGreaterThan(0);
  });

  it("hands out tokens of every officer, a province-wide inspector and an admin", async () => {
    for (const officer of summary.officers) {
      expect(await findPrincipal(database.db, officer.token)).toMatchObject({
        role: "officer",
        scopeAgencyCode: officer.agency.code,
      });
    }
    expect(summary.tokens.officer).toBe(summary.officers[0].token);
    expect(await findPrincipal(database.db, summary.tokens.inspector)).toMatchObject({
      role: "inspector",
      scopeKind: "all",
    });
    expect(await findPrincipal(database.db, summary.tokens.admin)).toMatchObject({ role: "admin" });
  });
});

it("prints what it loaded in the words and figures `npm run sync` uses, then each token", () => {
  const printed = demoReport(summary, "1.0", "sweep 1 succeeded in 9 ms").split("\n");
  const loaded = 300 + summary.showcase;
  expect(printed[1]).toBe(
    `demo: ${loaded} dossiers in 1.0 s: ${loaded} inserted, 0 updated, 0 unchanged, 0 stale, 0 rejected ` +
      `(${summary.showcase} placed for the demo officers)`,
  );
  // Thousands grouped in every count, and a stale or rejected dossier counted where the total has it.
  const large = { inserted: 19_870, updated: 1_204, unchanged: 0, stale: 3, rejected: 1_001 };
  expect(demoReport({ ...summary, dossiers: large }, "9.9", "")).toContain(
    "demo: 22,078 dossiers in 9.9 s: 19,870 inserted, 1,204 updated, 0 unchanged, 3 stale, 1,001 rejected",
  );
  for (const officer of summary.officers) expect(printed.some((l) => l.endsWith(officer.token))).toBe(true);
  expect(printed.some((l) => l.startsWith("  admin") && l.endsWith(summary.tokens.admin))).toBe(true);
});
