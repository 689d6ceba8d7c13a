// docs/SCALE-OUT.md, checked: on a database whose big tables are partitioned as the document
// proposes (src/db/partitioning.ts) — every migration after the first applied unchanged on top of
// the partitioned tables — the same synthetic province gives the same answers as on the plain schema
// to every report, the sweep's rule detection, the violation list and the dossier list, through the
// app. Also what the document claims cannot be done (dossiers by time) and what Citus would refuse.
import { readdir, readFile } from "node:fs/promises";
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { prepareDatabase } from "../../src/calendar/prepare-database.js";
import { type Database, type Db, queryRows } from "../../src/db/client.js";
import { partitionTables, SCALE_OUT_PARTITIONS } from "../../src/db/partitioning.js";
import { type DemoSummary, loadDemo } from "../../src/demo/load.js";
import { loadLetterFonts } from "../../src/pdf/fonts.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { createLogger } from "../../src/runtime/logger.js";
import { serviceContract } from "../helpers/contract.js";
import { createTestDatabase } from "../helpers/db.js";

const ROOT = new URL("../..", import.meta.url);
const NOW = new Date("2026-03-16T09:00:00+07:00");
const DEMO = { dossiers: 400, seed: 11, now: NOW, batchSize: 200 };

/** The tables Citus would distribute on the dossier code, with that column (docs/SCALE-OUT.md). */
const DISTRIBUTED: Record<string, string> = {
  dossiers: "code",
  dossier_steps: "dossier_code",
  dossier_pauses: "dossier_code",
  dossier_history: "dossier_code",
  apology_letters: "dossier_code",
  violations: "dossier_code",
  justifications: "dossier_code",
  sync_deltas: "dossier_code",
};
/** Unique keys of those tables without the dossier code: the schema changes the document lists. */
const CITUS_KEY_CHANGES = [
  "apology_letters: apology_letters_number_uq (agency_code, year, number)",
  "apology_letters: apology_letters_pkey (id)",
  "dossier_history: dossier_history_pkey (id)",
  "justifications: justifications_pkey (id)",
  "sync_deltas: sync_deltas_pkey (id)",
  "violations: violations_pkey (id)",
];

/**
 * SQL constructs Citus plans through the coordinator or refuses, where they are in src/ today; each
 * has its line in docs/SCALE-OUT.md ("Which queries stay on one shard, which fan out").
 */
const CITUS_CONSTRUCTS: Record<string, RegExp> = {
  "correlated LATERAL with LIMIT": /LATERAL\s*\([^;]{0,400}?\bLIMIT\b/,
  "OFFSET 0 fence": /\bOFFSET 0\b/,
  "temporary table": /CREATE TEMP(ORARY)? TABLE/i,
  "advisory lock": /pg_(try_)?advisory/,
};
const CITUS_CONSTRUCTS_IN_SRC = [
  "src/dossiers/list.ts: correlated LATERAL with LIMIT",
  "src/reports/attribution-sql.ts: OFFSET 0 fence",
  "src/reports/compliance.ts: OFFSET 0 fence",
  "src/sweep/rules/appointment-moved-silently.ts: OFFSET 0 fence",
  "src/sweep/rules/inconsistent-record.ts: correlated LATERAL with LIMIT",
  "src/sweep/rules/sql.ts: correlated LATERAL with LIMIT",
  "src/sweep/scope.ts: correlated LATERAL with LIMIT",
  "src/sweep/scope.ts: temporary table",
  "src/sync/apply-deltas.ts: advisory lock",
  "src/sync/apply.ts: advisory lock",
  "src/sync/rows-copy.ts: temporary table",
];

interface Side {
  database: Database;
  summary: DemoSummary;
  request(path: string, init?: { method?: string; json?: unknown }): Promise<unknown>;
}

/** The migrations in the journal's order, statement by statement, as drizzle applies them. */
async function migrationFiles(): Promise<{ tag: string; statements: string[] }[]> {
  const journal = JSON.parse(await readFile(new URL("drizzle/meta/_journal.json", ROOT), "utf8")) as {
    entries: { tag: string }[];
  };
  return Promise.all(
    journal.entries.map(async ({ tag }) => ({
      tag,
      statements: (await readFile(new URL(`drizzle/${tag}.sql`, ROOT), "utf8"))
        .split("--> statement-breakpoint")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    })),
  );
}

/** The first migration (which creates the tables), the partitioning, then every later one unchanged. */
async function migratePartitioned(db: Db): Promise<void> {
  const [first, ...later] = await migrationFiles();
  for (const statement of first.statements) await db.execute(sql.raw(statement));
  expect(await partitionTables(db)).toEqual(SCALE_OUT_PARTITIONS.map((p) => p.table));
  for (const { statements } of later) {
    for (const statement of statements) await db.execute(sql.raw(statement));
  }
}

async function side(partitioned: boolean): Promise<Side> {
  const database = await createTestDatabase(
    partitioned ? { prepare: (d) => prepareDatabase({ ...d, migrate: () => migratePartitioned(d.db) }) } : {},
  );
  const summary = await loadDemo(database.db, DEMO);
  const app = createApp({
    database,
    clock: fixedClock(NOW),
    logger: createLogger("silent"),
    letterFonts: await loadLetterFonts(),
    responseContract: serviceContract(),
  });
  const request = async (path: string, init: { method?: string; json?: unknown } = {}) => {
    const res = await app.request(path, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${summary.tokens.admin}`, "content-type": "application/json" },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    const body = await res.json();
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  return { database, summary, request };
}

/** PostgreSQL's message for a statement that fails (drizzle wraps it as the cause). */
async function failure(db: Db, query: SQL): Promise<string> {
  try {
    await db.execute(query);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : String(error);
  }
  return "no error";
}

let plain: Side;
let partitioned: Side;
beforeAll(async () => {
  plain = await side(false);
  partitioned = await side(true);
}, 600_000);
afterAll(async () => {
  await plain?.database.close();
  await partitioned?.database.close();
});

const both = async (query: (s: Side) => Promise<unknown>) => [await query(plain), await query(partitioned)];

describe("the partitioned schema", () => {
  it("is partitioned as planned, its rows spread over the partitions", async () => {
    const partitions = await queryRows<{ parent: string; n: number }>(
      partitioned.database.db,
      sql`SELECT p.relname AS parent, count(*)::int AS n FROM pg_inherits i
          JOIN pg_class p ON p.oid = i.inhparent WHERE p.relkind = 'p' GROUP BY p.relname ORDER BY p.relname`,
    );
    expect(Object.fromEntries(partitions.map((p) => [p.parent, p.n]))).toEqual(
      Object.fromEntries(
        [...SCALE_OUT_PARTITIONS]
          .sort((a, b) => a.table.localeCompare(b.table))
          .map((p) => [p.table, p.partitions.length]),
      ),
    );
    const filled = await queryRows<{ n: number }>(
      partitioned.database.db,
      sql`SELECT count(DISTINCT tableoid)::int AS n FROM dossiers`,
    );
    expect(filled[0].n).toBe(8);
    const [counts] = await both((s) =>
      queryRows(
        s.database.db,
        sql`SELECT (SELECT count(*) FROM dossiers)::int AS d, (SELECT count(*) FROM dossier_steps)::int AS s,
        (SELECT count(*) FROM dossier_history)::int AS h`,
      ),
    );
    expect(
      await queryRows(
        partitioned.database.db,
        sql`SELECT (SELECT count(*) FROM dossiers)::int AS d,
      (SELECT count(*) FROM dossier_steps)::int AS s, (SELECT count(*) FROM dossier_history)::int AS h`,
      ),
    ).toEqual(counts);
  });

  it("loads the same province", () => {
    // Tokens are random; everything else the two loads report must agree.
    const withoutTokens = ({ tokens: _, officers, ...rest }: DemoSummary) => ({
      ...rest,
      officers: officers.map(({ token: _token, ...officer }) => officer),
    });
    const [a, b] = [withoutTokens(plain.summary), withoutTokens(partitioned.summary)];
    expect(b).toEqual(a);
    expect(a.dossiers.inserted).toBe(DEMO.dossiers + a.showcase);
  });
});

describe("the same answers on both", () => {
  const period = "from=2025-03-01&to=2026-04-01&asOf=2026-03-16T09:00:00%2B07:00";

  it("compliance, by agency, field and procedure", async () => {
    for (const groupBy of ["agency", "field", "procedure"]) {
      const [a, b] = await both((s) => s.request(`/api/v1/reports/compliance?${period}&groupBy=${groupBy}`));
      expect((a as { rows: unknown[] }).rows.length).toBeGreaterThan(1);
      expect(b).toEqual(a);
    }
  });

  it("repeat lateness, under the agencies' policies and with a threshold of 1", async () => {
    for (const extra of ["", "&threshold=1", "&window=rolling_days:30&threshold=2"]) {
      const [a, b] = await both((s) => s.request(`/api/v1/reports/repeat-lateness?${period}${extra}`));
      if (extra === "&threshold=1")
        expect((a as { officials: unknown[] }).officials.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    }
  });

  it("a full sweep, then an incremental one after a resync that moves appointments", async () => {
    const sweep = async (s: Side) => {
      const run = (await s.request("/api/v1/sweeps", { method: "POST", json: { full: true } })) as {
        counts: Record<string, unknown>;
      };
      // phaseMs: how long each phase took, which no two runs share.
      const { calendarVersion: _, phaseMs: __, ...counts } = run.counts;
      return counts;
    };
    const [a, b] = await both(sweep);
    expect(b).toEqual(a);
    expect(
      Object.values((a as { rules: Record<string, { open: number }> }).rules).some((r) => r.open > 0),
    ).toBe(true);

    // The first twenty (or fewer) open dossiers come back with a later appointment and nothing to explain it: history rows.
    const resync = async (s: Side) => {
      const rows = await queryRows<{ raw: Record<string, unknown> }>(
        s.database.db,
        sql`SELECT raw FROM dossiers WHERE completed_at IS NULL AND promised_due_at IS NOT NULL ORDER BY code LIMIT 20`,
      );
      const records = rows.map(({ raw }) => ({
        ...raw,
        promisedDueAt: new Date(new Date(String(raw.promisedDueAt)).getTime() + 2 * 86_400_000).toISOString(),
        sourceUpdatedAt: new Date(new Date(String(raw.sourceUpdatedAt)).getTime() + 3_600_000).toISOString(),
      }));
      return s.request("/api/v1/sync/dossiers", { method: "POST", json: { records } });
    };
    const [syncedA, syncedB] = await both(resync);
    expect(syncedA).toMatchObject({ inserted: 0, unchanged: 0, stale: 0, rejected: [] });
    expect((syncedA as { updated: number }).updated).toBeGreaterThan(10);
    expect(syncedB).toEqual(syncedA);
    const incremental = async (s: Side) => {
      const run = (await s.request("/api/v1/sweeps", { method: "POST", json: {} })) as {
        counts: Record<string, unknown>;
      };
      const { calendarVersion: _, baselineSweepId: __, phaseMs: ___, ...counts } = run.counts;
      return counts;
    };
    const [c, d] = await both(incremental);
    expect(c).toMatchObject({ mode: "incremental" });
    expect(
      (c as { rules: Record<string, { open: number }> }).rules.appointment_moved_silently.open,
    ).toBeGreaterThan(0);
    expect(d).toEqual(c);
  });

  it("the violations, page by page", async () => {
    const all = async (s: Side) => {
      const out: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page = (await s.request(
          `/api/v1/violations?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        )) as { items: Record<string, unknown>[]; nextCursor: string | null };
        out.push(
          ...page.items.map(({ dossierCode, rule, details, resolvedAt }) => ({
            dossierCode,
            rule,
            details,
            resolvedAt,
          })),
        );
        cursor = page.nextCursor;
      } while (cursor);
      // Newest first is by id, and ids follow the order rows came out of the partitions.
      const key = (v: unknown) => JSON.stringify(v);
      return out.sort((x, y) => key(x).localeCompare(key(y)));
    };
    const [a, b] = await both(all);
    expect((a as unknown[]).length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it("the dossier list, by state and page by page", async () => {
    for (const filter of ["", "&state=overdue", "&state=late", "&q=Nguy"]) {
      const all = async (s: Side) => {
        const out: unknown[] = [];
        let cursor: string | null = null;
        do {
          const page = (await s.request(
            `/api/v1/dossiers?limit=150&asOf=2026-03-16T09:00:00%2B07:00${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          )) as { items: unknown[]; nextCursor: string | null };
          out.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        return out;
      };
      const [a, b] = await both(all);
      // The demo's year of dossiers and the showcase it places for each officer's agency.
      if (filter === "") expect((a as unknown[]).length).toBe(DEMO.dossiers + plain.summary.showcase);
      expect(b).toEqual(a);
    }
  });
});

describe("what the document rules out", () => {
  it("dossiers by time: a partitioned table cannot keep the code unique, which sync's upsert needs", async () => {
    const db = partitioned.database.db;
    await db.execute(sql`CREATE TABLE scratch_by_time (code text NOT NULL, received_at timestamptz NOT NULL,
      PRIMARY KEY (code, received_at)) PARTITION BY RANGE (received_at)`);
    await db.execute(sql`CREATE TABLE scratch_by_time_all PARTITION OF scratch_by_time DEFAULT`);
    expect(await failure(db, sql`CREATE UNIQUE INDEX scratch_code_uq ON scratch_by_time (code)`)).toMatch(
      /must include all partitioning columns/,
    );
    expect(
      await failure(db, sql`INSERT INTO scratch_by_time VALUES ('x', now()) ON CONFLICT (code) DO NOTHING`),
    ).toMatch(/no unique or exclusion constraint matching the ON CONFLICT specification/);
    await db.execute(sql`DROP TABLE scratch_by_time`);
  });

  it("Citus: the constructs it plans through the coordinator or refuses are the ones the document lists", async () => {
    const files = (await readdir(new URL("src", ROOT), { recursive: true }))
      .filter((f) => /\.tsx?$/.test(f))
      .sort();
    const found: string[] = [];
    for (const file of files) {
      const text = await readFile(new URL(`src/${file}`, ROOT), "utf8");
      for (const [construct, pattern] of Object.entries(CITUS_CONSTRUCTS)) {
        if (pattern.test(text)) found.push(`src/${file}: ${construct}`);
      }
    }
    expect(found).toEqual(CITUS_CONSTRUCTS_IN_SRC);
  });

  it("Citus: no foreign keys; every unique key of a distributed table holds the dossier code, but those listed", async () => {
    const db = plain.database.db;
    const foreignKeys = await queryRows(db, sql`SELECT conname FROM pg_constraint WHERE contype = 'f'`);
    expect(foreignKeys).toEqual([]);
    const unique = await queryRows<{ table: string; index: string; columns: string[] }>(
      db,
      sql`SELECT t.relname AS table, c.relname AS index,
            ARRAY(SELECT a.attname::text FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k) AS columns
          FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class c ON c.oid = i.indexrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE i.indisunique AND n.nspname = 'public' ORDER BY 1, 2`,
    );
    const missing = unique
      .filter((u) => DISTRIBUTED[u.table] && !u.columns.includes(DISTRIBUTED[u.table]))
      .map((u) => `${u.table}: ${u.index} (${u.columns.join(", ")})`);
    expect(missing).toEqual(CITUS_KEY_CHANGES);
  });
});
