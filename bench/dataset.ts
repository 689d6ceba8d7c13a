// A synthetic province for the benchmarks, generated server-side (INSERT … SELECT generate_series):
// the client sends a handful of statements whatever the size, so its memory stays flat in the number
// of dossiers. Deterministic: every pseudo-random draw is a hash of (dossier, salt), so the dossier
// statement and the steps statement agree without a staging table.
//
// Shape (for `dossiers` = 1,000,000): 1 province → 20 districts → 200 communes; 20 officials per
// commune (4,000), one in twenty of them chronically slow; 50 procedures in 10 fields, 1–20 working
// days, five steps each (step 3 of one dossier in four carries no due: it comes from the allotment);
// receipts spread over `year`; 4 % withdrawn, 1 % stuck (never finished), the others finished when
// their steps are done — or still open at `cutAt`, the moment of the export; 5 % of dossiers have one
// step that overruns badly; letters for 60 % of the late ones; a violation for the others.
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../src/db/client.js";

export interface DatasetOptions {
  dossiers: number;
  stepsPerDossier: 5;
  /** Receipts fall in this year (local time). */
  year: number;
  /** The export's moment: what happens later is not in the data (open dossiers, open steps). */
  cutAt: Date;
}

export const DATASET_DEFAULTS: DatasetOptions = {
  dossiers: 1_000_000,
  stepsPerDossier: 5,
  year: 2025,
  cutAt: new Date("2026-01-15T00:30:00+07:00"),
};

const COMMUNES = 200;
const DISTRICTS = 20;
const OFFICIALS_PER_COMMUNE = 20;
const PROCEDURES = 50;
const FIELDS = 10;
const PROCESSING_DAYS = [1, 2, 3, 5, 7, 10, 15, 20];
/** Calendar days per working day, roughly (weekends and days off). */
const CALENDAR_PER_WORKING_DAY = 1.4;

const code = (i: string) => `'BENCH-' || lpad((${i})::text, 7, '0')`;

/**
 * Uniform in [0, 1) from (i, salt): a 32-bit integer hash (two multiply–xorshift rounds) written out
 * as one expression, so that PostgreSQL inlines it — several times cheaper than md5 per draw.
 */
function randFunction(): SQL {
  const round = (x: string) => `(((((${x}) >> 16) # (${x})) * 73244475) % 4294967296)`;
  const mixed = round(round("((i + salt::bigint * 16777619) % 4294967296)"));
  return sql.raw(`CREATE OR REPLACE FUNCTION bench_rand(i bigint, salt integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    $$ SELECT (((${mixed}) >> 16) # (${mixed}))::double precision / 4294967296.0 $$`);
}

/** Per dossier i: its commune, procedure, receipt, processing days, kind and culprit draw (relation `b`). */
function dossierBase(options: DatasetOptions): string {
  return `(SELECT i, i % ${COMMUNES} AS commune, i % ${PROCEDURES} AS procedure,
      make_timestamptz(${options.year}, 1, 2, 1, 0, 0, 'UTC')
        + floor(bench_rand(i, 1) * 355) * interval '1 day' + floor(bench_rand(i, 2) * 9) * interval '1 hour' AS received,
      (ARRAY[${PROCESSING_DAYS.join(",")}])[1 + (i % ${PROCEDURES}) % ${PROCESSING_DAYS.length}] AS days,
      bench_rand(i, 3) < 0.04 AS withdrawn,
      bench_rand(i, 3) >= 0.04 AND bench_rand(i, 3) < 0.05 AS stuck,
      bench_rand(i, 4) < 0.05 AS has_culprit
    FROM generate_series(1, ${options.dossiers}) i) b`;
}

/** The official of step k of dossier b, among the 20 of its commune (commune = i mod 200, so i / 200). */
const OFFICIAL = `((b.i / ${COMMUNES} + k) % ${OFFICIALS_PER_COMMUNE})`;
/** The duration of step k of dossier b, as a share of its allotment: culprits and chronic officials overrun. */
const FACTOR = `CASE
    WHEN b.has_culprit AND k = 1 + b.i % 5 THEN 1.5 + 2.5 * bench_rand(b.i, 10 + k)
    WHEN ${OFFICIAL} = 0 AND bench_rand(b.i, 20 + k) < 0.3 THEN 1.1 + bench_rand(b.i, 30 + k)
    ELSE 0.4 + 0.55 * bench_rand(b.i, 10 + k) END`;
/** Processing span and step allotment in calendar time (synthetic: the stored dues are not recomputed). */
const SPAN = `(b.days * ${CALENDAR_PER_WORKING_DAY} * interval '1 day')`;
const ALLOT = `(${SPAN} / 5)`;

/** Short codes are the agencies' own codes: unique (0012) beside the demo province the reliability harness loads too. */
async function loadCatalogue(db: Db): Promise<void> {
  await db.execute(
    sql.raw(`
    INSERT INTO agencies (code, name, short_code, parent_code, path, place, catalogued)
    SELECT 'B.P', 'UBND tỉnh Thử Nghiệm', 'B.P', NULL, '/B.P/', 'Thử Nghiệm', true
    UNION ALL
    SELECT 'B.D' || d, 'UBND huyện ' || d, 'B.D' || d, 'B.P', '/B.P/B.D' || d || '/', 'Huyện ' || d, true
    FROM generate_series(0, ${DISTRICTS - 1}) d
    UNION ALL
    SELECT 'B.C' || c, 'UBND xã ' || c, 'B.C' || c, 'B.D' || (c % ${DISTRICTS}),
      '/B.P/B.D' || (c % ${DISTRICTS}) || '/B.C' || c || '/', 'Xã ' || c, true
    FROM generate_series(0, ${COMMUNES - 1}) c`),
  );
  await db.execute(
    sql.raw(`
    INSERT INTO officials (id, name, title, department, agency_code)
    SELECT 'O' || c || '-' || o, 'Công chức ' || c || '-' || o, 'Chuyên viên', 'Phòng ' || (o % 4), 'B.C' || c
    FROM generate_series(0, ${COMMUNES - 1}) c, generate_series(0, ${OFFICIALS_PER_COMMUNE - 1}) o`),
  );
  await db.execute(
    sql.raw(`
    INSERT INTO procedures (code, name, field_code, field, processing_time, steps)
    SELECT 'P' || p, 'Thủ tục ' || p, 'F' || (p % ${FIELDS}), 'Lĩnh vực ' || (p % ${FIELDS}),
      jsonb_build_object('unit', 'days', 'amount', days),
      (SELECT jsonb_agg(jsonb_build_object('seq', k, 'name', 'Bước ' || k, 'allotmentHours', days * 8 / 5.0) ORDER BY k)
       FROM generate_series(1, 5) k)
    FROM generate_series(0, ${PROCEDURES - 1}) p,
      LATERAL (SELECT (ARRAY[${PROCESSING_DAYS.join(",")}])[1 + p % ${PROCESSING_DAYS.length}] AS days) x`),
  );
  // Land (field F0) under 2 % late, as the provincial plans ask.
  await db.execute(sql`INSERT INTO field_targets (field_code, max_late_rate) VALUES ('F0', 0.02)`);
}

const cut = (options: DatasetOptions) => `'${options.cutAt.toISOString()}'::timestamptz`;

async function loadDossiers(db: Db, options: DatasetOptions): Promise<void> {
  const finished = `(NOT b.withdrawn AND NOT b.stuck AND f.completed <= ${cut(options)})`;
  await db.execute(
    sql.raw(`
    INSERT INTO dossiers (code, agency_code, procedure_code, field_code, channel, status, applicant_name, applicant_kind,
      received_at, promised_due_at, finished_at, source_updated_at, content_hash, source_order, start_at, statutory_due_at,
      binding_due_at, apology_window_starts_at, completed_at, processing_time_known, computed_at)
    SELECT ${code("b.i")}, 'B.C' || b.commune, 'P' || b.procedure, 'F' || (b.procedure % ${FIELDS}), 'direct',
      CASE WHEN b.withdrawn THEN 7 WHEN ${finished} THEN 10 ELSE 4 END,
      'Người nộp ' || b.i, 'citizen', b.received, b.received + ${SPAN},
      CASE WHEN ${finished} THEN f.completed END, b.received, md5(b.i::text), '1' || md5(b.i::text),
      b.received, b.received + ${SPAN}, b.received + ${SPAN}, b.received + ${SPAN} - interval '1 day',
      CASE WHEN ${finished} THEN f.completed END, true, now()
    FROM ${dossierBase(options)}
    CROSS JOIN LATERAL (SELECT b.received + ${ALLOT} * sum(${FACTOR}) AS completed FROM generate_series(1, 5) k) f`),
  );
}

async function loadSteps(db: Db, options: DatasetOptions): Promise<void> {
  // OFFSET 0 keeps the factor a column, drawn once per step, below the running sum. A step not
  // started by the cut has no start (nor due); one not ended by it (or a stuck dossier's last) is open.
  await db.execute(
    sql.raw(`
    INSERT INTO dossier_steps (dossier_code, seq, official_id, official_name, title, department, started_at, due_at, ended_at)
    SELECT ${code("t.i")}, t.k, t.official, 'Công chức ' || substr(t.official, 2), 'Chuyên viên', 'Phòng ' || (t.k % 4),
      CASE WHEN t.started <= ${cut(options)} THEN t.started END,
      CASE WHEN t.started <= ${cut(options)} AND NOT (t.k = 3 AND t.i % 4 = 0) THEN t.due END,
      CASE WHEN t.ended <= ${cut(options)} AND NOT (t.stuck AND t.k = 5) THEN t.ended END
    FROM (
      SELECT s.i, s.k, s.official, s.stuck, s.received + s.allot * (s.cum - s.factor) AS started,
        s.received + s.allot * (s.cum - s.factor + 1) AS due, s.received + s.allot * s.cum AS ended
      FROM (
        SELECT f.*, sum(f.factor) OVER (PARTITION BY f.i ORDER BY f.k) AS cum
        FROM (
          SELECT b.i, b.received, b.stuck, k, ${ALLOT} AS allot, ${FACTOR} AS factor,
            'O' || b.commune || '-' || ${OFFICIAL} AS official
          FROM ${dossierBase(options)}
          CROSS JOIN generate_series(1, ${options.stepsPerDossier}) k
          OFFSET 0
        ) f
      ) s
    ) t`),
  );
}

/** Letters for 60 % of late or overdue dossiers (issued on their due), a violation for the others. */
async function loadLettersAndViolations(db: Db, options: DatasetOptions): Promise<void> {
  const late = sql`d.code LIKE 'BENCH-%' AND d.status <> 7 AND d.binding_due_at < ${sql.raw(cut(options))}
    AND (d.completed_at IS NULL OR d.completed_at > d.binding_due_at)`;
  await db.execute(sql`
    INSERT INTO apology_letters (dossier_code, agency_code, year, number, reference, form, reason, new_due_at,
      signer_name, signer_title, issued_at, issued_by)
    SELECT d.code, d.agency_code, 2025, row_number() OVER (PARTITION BY d.agency_code ORDER BY d.code),
      NULL, 'tt01-2018-mau04', 'Hồ sơ phức tạp', d.binding_due_at + interval '5 days', 'Người ký', 'Chủ tịch',
      d.binding_due_at - interval '1 day', 1
    FROM dossiers d WHERE ${late} AND bench_rand(substr(d.code, 7)::bigint, 40) < 0.6`);
  await db.execute(sql`
    INSERT INTO violations (dossier_code, agency_code, rule, details, detected_at)
    SELECT d.code, d.agency_code, 'late_without_apology', '{}'::jsonb, d.binding_due_at + interval '1 day'
    FROM dossiers d WHERE ${late} AND NOT EXISTS (SELECT 1 FROM apology_letters l WHERE l.dossier_code = d.code)`);
}

export interface DatasetCounts {
  dossiers: number;
  steps: number;
  letters: number;
  violations: number;
}

/** What is loaded, or null when the database holds no dataset yet. */
export async function datasetCounts(db: Db): Promise<DatasetCounts | null> {
  const [counts] = await queryRows<DatasetCounts>(
    db,
    sql`SELECT (SELECT count(*) FROM dossiers)::int AS dossiers, (SELECT count(*) FROM dossier_steps)::int AS steps,
      (SELECT count(*) FROM apology_letters)::int AS letters, (SELECT count(*) FROM violations)::int AS violations`,
  );
  return counts.dossiers > 0 ? counts : null;
}

/** Loads the dataset into an empty database (migrated and prepared); returns the row counts. */
export async function loadDataset(
  db: Db,
  options: DatasetOptions = DATASET_DEFAULTS,
): Promise<DatasetCounts> {
  await db.execute(randFunction());
  await loadCatalogue(db);
  await loadDossiers(db, options);
  await loadSteps(db, options);
  await loadLettersAndViolations(db, options);
  await db.execute(sql`VACUUM ANALYZE`);
  return (await datasetCounts(db)) as DatasetCounts;
}
