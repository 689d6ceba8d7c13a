// What every section of npm run test:reliability shares: the report it writes and its checks, the
// server process and database under test (replaced when a section restarts the server), the API as
// the admin, the letters' invariants, and synthetic sync batches.
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../src/db/client.js";
import { generateDossiers, generateProvince } from "../../src/demo/generator.js";
import { stateAsOf } from "../../src/dossiers/state-sql.js";
import { toCanonical } from "../../src/sync/formats/canonical.js";
import { type LoadResult, pool, type ServerProcess, sleep, startServer } from "./infra.js";

export const CONNECTIONS = 100;
export const BATCH = 2_000;
export const ADMIN_TOKEN = `osm_reliability_${randomBytes(16).toString("hex")}`;

/** The server and database under test; sections that restart the server replace `server`. */
export const under = {
  db: undefined as unknown as Database["db"],
  server: undefined as unknown as ServerProcess,
  serverEnv: {} as Record<string, string>,
  /**
   * The server-side generator's letters (bench/dataset.ts) are rows written for the reports, without
   * PDFs: the PDF checks are over the letters the service issued (ids above the last generated one);
   * the numbering checks over every letter, since the service numbers after the generated ones.
   */
  lastGeneratedLetterId: 0,
};

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
export const log = (line: string) => console.log(`reliability: ${line}`);
export const report: string[] = [];
export const failures: string[] = [];
export function check(ok: boolean, what: string): string {
  if (!ok) failures.push(what);
  log(`${ok ? "ok  " : "FAIL"} ${what}`);
  return `${ok ? "✅" : "❌"} ${what}`;
}

export async function restart(reason: string) {
  log(`restart after ${reason}`);
  under.server = await startServer(under.serverEnv);
}

export async function api(path: string, init: RequestInit & { json?: unknown; token?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${init.token ?? ADMIN_TOKEN}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const response = await fetch(under.server.baseUrl + path, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (a PDF)
  }
  return { status: response.status, body: body as Record<string, unknown> };
}

export const ms = (x: number) => x.toFixed(1);
export const latencyRow = (name: string, r: LoadResult) =>
  `| ${name} | ${fmt(r.requests)} | ${fmt(r.rps)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.non2xx + r.errors} |`;
export const LATENCY_HEAD = [
  "| load | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx + errors |",
  "|---|---:|---:|---:|---:|---:|---:|---:|",
];

/** The 1, 5 and 15 minute load averages: other work on the machine weighs on every latency here. */
export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

export interface LetterInvariants {
  letters: number;
  unnumbered: number;
  withoutPdf: number;
  shaMismatch: number;
  seriesWithGaps: number;
  countersAhead: number;
}

export async function letterInvariants(): Promise<LetterInvariants> {
  const [row] = await queryRows<LetterInvariants>(
    under.db,
    sql`WITH every AS (
          SELECT l.id, l.agency_code, l.year, l.number FROM apology_letters l),
        l AS (
          SELECT e.*, v.letter_id AS v_id, v.sha256, encode(sha256(v.pdf), 'hex') AS actual
          FROM every e LEFT JOIN letter_versions v ON v.letter_id = e.id AND v.version = 1
          WHERE e.id > ${under.lastGeneratedLetterId}),
        series AS (
          SELECT agency_code, year, count(*) AS n, count(DISTINCT number) AS d, min(number) AS lo, max(number) AS hi
          FROM every WHERE number IS NOT NULL GROUP BY 1, 2)
        SELECT (SELECT count(*)::int FROM l) AS letters,
               (SELECT count(*)::int FROM l WHERE number IS NULL) AS unnumbered,
               (SELECT count(*)::int FROM l WHERE v_id IS NULL) AS "withoutPdf",
               (SELECT count(*)::int FROM l WHERE v_id IS NOT NULL AND sha256 <> actual) AS "shaMismatch",
               (SELECT count(*)::int FROM series WHERE lo <> 1 OR hi <> n OR d <> n) AS "seriesWithGaps",
               (SELECT count(*)::int FROM letter_counters c JOIN series s USING (agency_code, year)
                 WHERE c.last_number <> s.hi) AS "countersAhead"`,
  );
  return row;
}

export function letterChecks(label: string, inv: LetterInvariants): string[] {
  return [
    check(inv.unnumbered === 0, `${label}: every letter numbered (${inv.unnumbered} without a number)`),
    check(inv.withoutPdf === 0, `${label}: every letter has its PDF (${inv.withoutPdf} without)`),
    check(
      inv.shaMismatch === 0,
      `${label}: every PDF's SHA-256 matches the stored one (${inv.shaMismatch} differ)`,
    ),
    check(
      inv.seriesWithGaps === 0 && inv.countersAhead === 0,
      `${label}: numbers 1…n without gap or duplicate in every agency's series, counters at n (${inv.seriesWithGaps} series with gaps, ${inv.countersAhead} counters ahead)`,
    ),
  ];
}

/** Dossiers without a letter that may get one now (due soon, overdue, finished late), with their suggested appointment. */
export async function eligibleDossiers(count: number): Promise<{ code: string; newDueAt: string }[]> {
  const now = new Date();
  const candidates = await queryRows<{ code: string }>(
    under.db,
    sql`SELECT d.code FROM dossiers d
        WHERE ${stateAsOf(now)} IN ('overdue', 'due_soon', 'late')
          AND NOT EXISTS (SELECT 1 FROM apology_letters l WHERE l.dossier_code = d.code)
        ORDER BY md5(d.code) LIMIT ${count * 4}`,
  );
  const found: { code: string; newDueAt: string }[] = [];
  for (let i = 0; i < candidates.length && found.length < count; i += 20) {
    const drafts = await pool(
      10,
      candidates.slice(i, i + 20).map(({ code }) => async () => {
        const { status, body } = await api(`/api/v1/dossiers/${encodeURIComponent(code)}/apology/suggestion`);
        return status === 200 && body.eligible === true && typeof body.newDueAt === "string"
          ? { code, newDueAt: body.newDueAt }
          : null;
      }),
    );
    for (const d of drafts) if (d.ok && d.value && found.length < count) found.push(d.value);
  }
  return found;
}

export const apology = (newDueAt: string) => ({
  reason: "Hồ sơ cần xác minh thêm với cơ quan phối hợp",
  newDueAt,
  signerName: "Lê Văn Cường",
  signerTitle: "CHỦ TỊCH",
});

/** Canonical records of the demo province in batches, coded `${prefix}-${i}`; the same for one seed and `now`. */
export function syncRecords(
  count: number,
  seed: number,
  prefix: string,
  now = new Date(),
): Record<string, unknown>[][] {
  const province = generateProvince(1);
  const records = generateDossiers(province, {
    seed,
    count,
    from: new Date(now.getTime() - 180 * 86_400_000),
    to: now,
    asOf: now,
  });
  const batches: Record<string, unknown>[][] = [[]];
  let i = 0;
  for (const record of records) {
    const raw = toCanonical(record) as Record<string, unknown>;
    raw.code = `${prefix}-${i++}`;
    if (batches[batches.length - 1].length >= BATCH) batches.push([]);
    batches[batches.length - 1].push(raw);
  }
  return batches;
}

/** A push; retried on a network error (a kept-alive socket the busy server closed): sync is idempotent. */
export async function push(batch: unknown[], attempts = 3): Promise<SyncResult> {
  try {
    return await pushOnce(batch);
  } catch (error) {
    if (attempts <= 1 || !(error instanceof TypeError)) throw error;
    await sleep(500);
    return push(batch, attempts - 1);
  }
}

export interface SyncResult {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: unknown[];
}

export async function pushOnce(batch: unknown[]): Promise<SyncResult> {
  const { status, body } = await api("/api/v1/sync/dossiers", {
    method: "POST",
    json: { format: "canonical", records: batch },
  });
  if (status !== 200) throw new Error(`sync push answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body as unknown as SyncResult;
}

export async function counts(prefix: string) {
  const [row] = await queryRows<{ dossiers: number; steps: number; codes: number }>(
    under.db,
    sql`SELECT (SELECT count(*)::int FROM dossiers WHERE code LIKE ${`${prefix}-%`}) AS dossiers,
               (SELECT count(DISTINCT code)::int FROM dossiers WHERE code LIKE ${`${prefix}-%`}) AS codes,
               (SELECT count(*)::int FROM dossier_steps WHERE dossier_code LIKE ${`${prefix}-%`}) AS steps`,
  );
  return row;
}

export const stepsOf = (batches: Record<string, unknown>[][]) =>
  batches.flat().reduce((sum, r) => sum + ((r.steps as unknown[] | undefined)?.length ?? 0), 0);
