// `npm run demo`'s loader, small, on a fresh database: the catalogue with its tree, dossiers through
// the pipeline on the real calendar, states spread as in a real province, and working tokens.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findPrincipal } from "../../src/auth/queries.js";
import { type Database, queryRows } from "../../src/db/client.js";
import { type DemoSummary, loadDemo } from "../../src/demo/load.js";
import { createTestDatabase } from "../helpers/db.js";

let database: Database;
let summary: DemoSummary;
const NOW = new Date("2026-03-16T09:00:00+07:00");
beforeAll(async () => {
  database = await createTestDatabase();
  // Only the last days' receipts are still open, so overdue ones are few: seed 5 has three of 300.
  summary = await loadDemo(database.db, { dossiers: 300, seed: 5, now: NOW, batchSize: 120 });
}, 180_000);
afterAll(() => database.close());

const count = async (query: string) =>
  (await queryRows<{ n: number }>(database.db, sql.raw(`SELECT count(*)::int AS n FROM ${query}`)))[0].n;

it("loads the catalogue with its tree and every dossier through the pipeline", async () => {
  expect(summary.dossiers).toEqual({ inserted: 300, updated: 0, unchanged: 0, stale: 0, rejected: 0 });
  expect(await count("dossiers")).toBe(300);
  expect(await count("agencies")).toBe(summary.agencies);
  expect(await count("agencies WHERE NOT catalogued")).toBe(0);
  // Communes sit three levels deep: /province/district/commune/.
  expect(await count("agencies WHERE path ~ '^/[^/]+/[^/]+/[^/]+/$'")).toBeGreaterThan(10);
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

it("hands out tokens of an officer of the first commune, an inspector and an admin", async () => {
  const officer = await findPrincipal(database.db, summary.tokens.officer);
  expect(officer).toMatchObject({ role: "officer", scopeAgencyCode: summary.commune.code });
  expect(await findPrincipal(database.db, summary.tokens.inspector)).toMatchObject({ role: "inspector" });
  expect(await findPrincipal(database.db, summary.tokens.admin)).toMatchObject({ role: "admin" });
});
