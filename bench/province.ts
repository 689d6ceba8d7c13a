// The sweep benchmark's province, generated server-side (INSERT … SELECT generate_series): a few
// statements whatever the size, so the client's memory stays flat. Every pseudo-random draw is a
// hash of (dossier, salt), so the statements for dossiers, steps, pauses, history and letters agree
// without a staging table, and a run is reproducible.
//
// Shape, per 1,000,000 dossiers: 200 communes under 20 districts; 50 procedures of 1–20 working
// days; receipts over 2025 (working days, a few on weekends); 4 % withdrawn, the rest finished
// except the recent ones and 1.5 % stuck open; ~17 % finished late, 3 % very late; 15 % with a
// supplement pause (2 % a second one), 3 % with a financial wait, open pauses on open dossiers in
// supplement; 5 steps each; history: receipt, processing, finish, appointment (1 % moved later);
// letters for 60 % of the late (70 % on time, the rest after the apology deadline); a few
// impossible records (finished before received, done without finish time, status backwards).
import { sql } from "drizzle-orm";
import type { Db } from "../src/db/client.js";

/** The night the benchmark sweeps: every dossier is judged as of it. */
export const BENCH_AS_OF = new Date("2025-12-20T00:30:00+07:00");
/** When the dataset was synced (updated_at), the evening before. */
export const BENCH_LOADED_AT = new Date("2025-12-19T20:00:00+07:00");

const COMMUNES = 200;
const DISTRICTS = 20;
const PROCEDURES = 50;
const DAYS = [1, 2, 3, 5, 7, 10, 15, 20];

const asOf = `'${BENCH_AS_OF.toISOString()}'::timestamptz`;
const loadedAt = `'${BENCH_LOADED_AT.toISOString()}'::timestamptz`;
const codeOf = (i: string) => `'S-' || lpad((${i})::text, 8, '0')`;

/**
 * Uniform in [0, 1) from (i, salt): a 32-bit integer hash (two multiply–xorshift rounds) written
 * out as one expression without FROM, so that PostgreSQL inlines it (a function call per draw would
 * cost more than the rest of the row).
 */
function randFunction() {
  const round = (x: string) => `(((((${x}) >> 16) # (${x})) * 73244475) % 4294967296)`;
  const mixed = round(round("((i * 2654435761 + salt::bigint * 16777619) % 4294967296)"));
  return sql.raw(`CREATE OR REPLACE FUNCTION sweep_rand(i bigint, salt integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    $$ SELECT (((${mixed}) >> 16) # (${mixed}))::double precision / 4294967296.0 $$`);
}

// OFFSET 0 below keeps each derived column computed once per row: flattened, every use of a column
// would repeat its expression, hash draws included.

/**
 * Per dossier i (relation `b`): where, what, when received (local working hours, weekend receipts
 * moved to Monday but for 0.5 % of them), the processing span in calendar time and the finish
 * factor (the share of the span taken; > 1 is late).
 */
function base(n: number): string {
  return `(SELECT i, i % ${COMMUNES} AS commune, i % ${PROCEDURES} AS procedure, r.received,
      (ARRAY[${DAYS.join(",")}])[1 + (i % ${PROCEDURES}) % ${DAYS.length}] * 1.4 * interval '1 day' AS span,
      CASE WHEN sweep_rand(i, 6) < 0.03 THEN 1.1 + 2 * sweep_rand(i, 7) ELSE 0.45 + 0.65 * sweep_rand(i, 7) END AS factor,
      sweep_rand(i, 5) AS kind, sweep_rand(i, 8) AS pause_draw, sweep_rand(i, 9) AS letter_draw
    FROM generate_series(1, ${n}) i
    CROSS JOIN LATERAL (SELECT '2025-01-02'::date + floor(sweep_rand(i, 1) * 350)::int AS day) d0
    CROSS JOIN LATERAL (SELECT CASE WHEN extract(isodow FROM d0.day) >= 6 AND sweep_rand(i, 3) >= 0.005
        THEN d0.day + (8 - extract(isodow FROM d0.day))::int ELSE d0.day END AS day) d1
    CROSS JOIN LATERAL (SELECT (d1.day + make_interval(hours => 8 + floor(sweep_rand(i, 2) * 8)::int))
        AT TIME ZONE 'Asia/Ho_Chi_Minh' AS received) r
    OFFSET 0) b`;
}

/** Derived per dossier (relation `x`): statutory and promised dues, completion, status. */
function derived(n: number): string {
  return `(SELECT b.*, b.received + b.span AS statutory,
      b.received + b.span + CASE WHEN sweep_rand(b.i, 4) < 0.01 THEN interval '2 days' ELSE interval '0' END AS promised,
      CASE WHEN b.kind < 0.04 THEN NULL
           WHEN b.kind < 0.055 THEN NULL  -- stuck open, overdue
           WHEN b.kind < 0.057 THEN b.received - interval '1 day'  -- finished before received
           WHEN b.kind < 0.058 THEN NULL  -- done without finish time
           WHEN b.received + b.span * b.factor > ${asOf} THEN NULL
           ELSE b.received + b.span * b.factor END AS completed,
      CASE WHEN b.kind < 0.04 THEN 7 WHEN b.kind < 0.055 THEN 4 WHEN b.kind < 0.057 THEN 10 WHEN b.kind < 0.058 THEN 9
           WHEN b.received + b.span * b.factor > ${asOf} THEN CASE WHEN b.pause_draw < 0.2 THEN 5 ELSE 4 END
           ELSE 10 END AS status
    FROM ${base(n)}
    OFFSET 0) x`;
}

/**
 * When the one-stop software last changed the record (its source time): its latest event, but not
 * after the sync that exported it. Every history row is at or before it, as sync writes them.
 */
const syncedAt = `greatest(x.received, least(${loadedAt}, greatest(x.received + interval '3 hours', x.completed,
  CASE WHEN sweep_rand(x.i, 12) < 0.01 THEN x.received + x.span * 0.3 END)))`;

export async function loadSweepDataset(db: Db, n: number): Promise<void> {
  await db.execute(randFunction());
  await db.execute(
    sql.raw(`INSERT INTO agencies (code, name, short_code, parent_code, path, catalogued)
    SELECT 'S.P', 'UBND tỉnh Thử Nghiệm', 'UBND', NULL, '/S.P/', true
    UNION ALL SELECT 'S.D' || d, 'UBND huyện ' || d, 'H' || d, 'S.P', '/S.P/S.D' || d || '/', true
      FROM generate_series(0, ${DISTRICTS - 1}) d
    UNION ALL SELECT 'S.C' || c, 'UBND xã ' || c, 'X' || c, 'S.D' || (c % ${DISTRICTS}),
      '/S.P/S.D' || (c % ${DISTRICTS}) || '/S.C' || c || '/', true
      FROM generate_series(0, ${COMMUNES - 1}) c`),
  );
  await db.execute(
    sql.raw(`INSERT INTO procedures (code, name, field_code, field, processing_time)
    SELECT 'P' || p, 'Thủ tục ' || p, 'F' || (p % 10), 'Lĩnh vực ' || (p % 10),
      jsonb_build_object('unit', 'days', 'amount', (ARRAY[${DAYS.join(",")}])[1 + p % ${DAYS.length}])
    FROM generate_series(0, ${PROCEDURES - 1}) p`),
  );
  await db.execute(
    sql.raw(`INSERT INTO dossiers (code, agency_code, procedure_code, field_code, channel, status, applicant_name,
      applicant_kind, received_at, promised_due_at, finished_at, returned_at, source_updated_at, content_hash,
      source_order, start_at, statutory_due_at, binding_due_at, apology_window_starts_at, completed_at, processing_time_known,
      computed_at, updated_at, created_at)
    SELECT ${codeOf("x.i")}, 'S.C' || x.commune, 'P' || x.procedure, 'F' || (x.procedure % 10), 'direct', x.status,
      'Người nộp ' || x.i, 'citizen', x.received, x.promised, x.completed, x.completed + interval '1 hour',
      ${syncedAt}, md5(x.i::text), '1' || md5(x.i::text), x.received, x.statutory, least(x.promised, x.statutory),
      least(x.promised, x.statutory) - interval '1 day', x.completed, true, ${loadedAt}, ${loadedAt}, ${loadedAt}
    FROM ${derived(n)}`),
  );
  await db.execute(
    sql.raw(`INSERT INTO dossier_steps (dossier_code, seq, official_id, official_name, title, department,
      started_at, due_at, ended_at)
    SELECT ${codeOf("x.i")}, k, 'O' || x.commune || '-' || ((x.i + k) % 20), 'Công chức ' || ((x.i + k) % 20),
      'Chuyên viên', 'Phòng ' || (k % 4),
      x.received + x.span * x.factor * (k - 1) / 5, x.received + x.span * k / 5,
      CASE WHEN x.completed IS NULL AND k = 5 THEN NULL
           WHEN sweep_rand(x.i, 20 + k) < 0.0001 THEN x.received - interval '1 hour'
           ELSE x.received + x.span * x.factor * k / 5 END
    FROM ${derived(n)} CROSS JOIN generate_series(1, 5) k`),
  );
  // Supplement pauses (15 %, a second for 2 %), financial waits (3 %), and the open supplement of
  // every open dossier in status 5.
  await db.execute(
    sql.raw(`INSERT INTO dossier_pauses (dossier_code, seq, kind, started_at, ended_at)
    SELECT ${codeOf("x.i")}, p.seq, p.kind, p.started, p.ended
    FROM ${derived(n)}
    CROSS JOIN LATERAL (
      SELECT 1 AS seq, 'supplement' AS kind, x.received + x.span * 0.2 AS started,
        x.received + x.span * 0.2 + interval '2 days' AS ended WHERE x.pause_draw < 0.15
      UNION ALL SELECT 2, 'supplement', x.received + x.span * 0.5, x.received + x.span * 0.5 + interval '1 day'
        WHERE x.pause_draw < 0.02
      UNION ALL SELECT 3, 'financial', x.received + x.span * 0.7, x.received + x.span * 0.7 + interval '1 day'
        WHERE sweep_rand(x.i, 10) < 0.03
      UNION ALL SELECT 4, 'supplement', ${asOf} - interval '2 days', NULL WHERE x.status = 5) p`),
  );
  // History: receipt, processing, finish (1 in 1,000 goes back to processing), the appointment and,
  // for 1 %, a move later (a third of them during a pause).
  await db.execute(
    sql.raw(`INSERT INTO dossier_history (dossier_code, field, old_value, new_value, source_updated_at, created_at)
    SELECT ${codeOf("x.i")}, h.field, h.old_value, h.new_value, least(h.at, ${syncedAt}), ${loadedAt}
    FROM ${derived(n)}
    CROSS JOIN LATERAL (
      SELECT 'status' AS field, NULL AS old_value, '2' AS new_value, x.received AS at
      UNION ALL SELECT 'status', '2', '4', x.received + interval '1 hour' WHERE x.status <> 7
      UNION ALL SELECT 'status', '4', x.status::text, coalesce(x.completed, x.received + interval '2 hours')
        WHERE x.status IN (5, 7, 9, 10)
      UNION ALL SELECT 'status', '10', '4', x.received + interval '3 hours' WHERE x.status = 4 AND sweep_rand(x.i, 11) < 0.001
      UNION ALL SELECT 'promised_due_at', NULL,
        to_char((CASE WHEN sweep_rand(x.i, 12) < 0.01 THEN x.promised - interval '2 days' ELSE x.promised END)
          AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), x.received
      UNION ALL SELECT 'promised_due_at',
        to_char((x.promised - interval '2 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        to_char(x.promised AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), x.received + x.span * 0.3
        WHERE sweep_rand(x.i, 12) < 0.01) h`),
  );
  // Letters for 60 % of the late: 70 % issued as the apology window opens, the rest on the due.
  await db.execute(
    sql.raw(`INSERT INTO apology_letters (dossier_code, agency_code, year, number, reference, form, reason, new_due_at,
      signer_name, signer_title, issued_at, issued_by)
    SELECT d.code, d.agency_code, 2025, row_number() OVER (PARTITION BY d.agency_code ORDER BY d.code), NULL,
      'tt01-2018-mau04', 'Hồ sơ phức tạp', d.binding_due_at + interval '3 days', 'Người ký', 'Chủ tịch',
      CASE WHEN sweep_rand(substr(d.code, 3)::bigint, 13) < 0.7 THEN d.apology_window_starts_at ELSE d.binding_due_at END, 1
    FROM dossiers d
    WHERE d.status <> 7 AND coalesce(d.completed_at, ${asOf}) > d.binding_due_at
      AND sweep_rand(substr(d.code, 3)::bigint, 9) < 0.6`),
  );
  await db.execute(sql`VACUUM ANALYZE`);
}

/**
 * A night's sync of 1 % of the dossiers, recorded at `at`: a tenth of them finish, the rest have
 * their appointment moved one day later (with the history row sync writes) — enough to change their
 * violations either way.
 */
export async function changeOnePercent(db: Db, at: Date): Promise<number> {
  const when = sql`${at.toISOString()}::timestamptz`;
  const rows = await db.execute(sql`
    WITH changed AS (
      UPDATE dossiers d SET
        status = CASE WHEN d.completed_at IS NULL AND d.status IN (4, 5) AND substr(d.code, 3)::bigint % 1000 < 100
          THEN 10 ELSE d.status END,
        completed_at = CASE WHEN d.completed_at IS NULL AND d.status IN (4, 5) AND substr(d.code, 3)::bigint % 1000 < 100
          THEN ${when} - interval '1 hour' ELSE d.completed_at END,
        promised_due_at = d.promised_due_at + interval '1 day',
        source_updated_at = ${when}, updated_at = ${when}
      WHERE substr(d.code, 3)::bigint % 100 = 42
      RETURNING d.code, d.promised_due_at)
    INSERT INTO dossier_history (dossier_code, field, old_value, new_value, source_updated_at, created_at)
    SELECT c.code, 'promised_due_at',
      to_char((c.promised_due_at - interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      to_char(c.promised_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), ${when}, ${when}
    FROM changed c RETURNING 1`);
  return Array.isArray(rows) ? rows.length : (rows as { rows: unknown[] }).rows.length;
}
