// Recomputes the stored deadline columns of a set of dossiers, set-based: after a calendar edit,
// a change of a procedure's processing time or an agency's working periods, and in the nightly
// sweep for dossiers whose clock is stopped (an open pause moves the due every day).
//
// Two statements, whatever the number of dossiers:
// - dossiers without pauses (most of them) are computed in SQL with the working-time functions
//   (working_ordinal_of / working_instant_of over working_days): start, statutory due, binding
//   due and apology window, as the engine computes them;
// - dossiers with pauses are loaded in one query, computed by the engine (pauses, restarts), and
//   written back in one jsonb_to_recordset UPDATE.
// Only rows whose values change are written. A test holds the SQL path to the engine.

import { type SQL, sql } from "drizzle-orm";
import { dayNumberOf, HOUR_MS, localDayStartMs } from "../calendar/dates.js";
import { DEFAULT_WORKING_PROFILE } from "../calendar/working-periods.js";
import { type Db, queryRows, textArray } from "../db/client.js";
import { notClosedSql } from "../deadlines/dossier-record.js";
import { WORKING_DAY_MS } from "../deadlines/due.js";
import { computePaused, hasPauses, pausedPathResult } from "./recompute-paused.js";

/** Which dossiers: every condition given must hold (none = every dossier). */
export interface RecomputeSelection {
  codes?: readonly string[];
  procedures?: readonly string[];
  agencies?: readonly string[];
  /** Not closed (3, 7, 8) and not finished. */
  openOnly?: boolean;
  /** With a pause still open: the nightly sweep's, their due moves every day. */
  withOpenPause?: boolean;
  /**
   * Open dossiers that an edit of this local date ("YYYY-MM-DD") can move: those whose span, from
   * the receipt (or an earlier apology window) to the start or the latest due, covers the date,
   * and those with an open pause received by then. Days outside a span only shift every ordinal
   * after them equally, which moves no due.
   */
  coveringDate?: string;
}

export interface RecomputeOptions extends RecomputeSelection {
  asOf: Date;
  /** How many moved dossiers to list (the count covers all); default 100. */
  listLimit?: number;
  /**
   * Which moved dossiers to list first: by new binding due (default), or by the size of the move
   * of their statutory or binding due, largest first (what a calendar edit's preview shows).
   */
  listOrder?: "due" | "shift";
}

export interface Moved {
  old: string | null;
  new: string | null;
  /** Working hours from old to new (negative = earlier) in the calendar as now stored; null if either is. */
  shiftHours: number | null;
}

export interface MovedDossier {
  code: string;
  agencyCode: string;
  statutoryDueAt: Moved;
  bindingDueAt: Moved;
  apologyWindowStartsAt: Moved;
}

export interface RecomputeResult {
  /** Dossiers selected and recomputed. */
  selected: number;
  /** Rows whose stored deadline columns changed (start included). */
  updated: number;
  /** Dossiers whose statutory due, binding due or apology window moved. */
  moved: number;
  /** The first `listLimit` of those, in `listOrder`, then by code. */
  listed: MovedDossier[];
}

const open = (alias: string) =>
  sql`${sql.raw(`${alias}.completed_at`)} IS NULL AND ${notClosedSql(sql.raw(`${alias}.status`))}`;

function selectionSql(s: RecomputeSelection): SQL {
  const conditions: SQL[] = [];
  if (s.codes) conditions.push(sql`d.code = ANY(${textArray(s.codes)})`);
  if (s.procedures) conditions.push(sql`d.procedure_code = ANY(${textArray(s.procedures)})`);
  if (s.agencies) conditions.push(sql`d.agency_code = ANY(${textArray(s.agencies)})`);
  if (s.openOnly) conditions.push(open("d"));
  if (s.withOpenPause) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM dossier_pauses x WHERE x.dossier_code = d.code AND x.ended_at IS NULL)`,
    );
  }
  if (s.coveringDate) {
    const day = dayNumberOf(s.coveringDate);
    const dayStart = new Date(localDayStartMs(day)).toISOString();
    const nextDayStart = new Date(localDayStartMs(day + 1)).toISOString();
    // The span's end is indexed (dossiers_open_span_end_idx); open pauses are few.
    conditions.push(sql`${open("d")} AND least(d.received_at, d.apology_window_starts_at) < ${nextDayStart}::timestamptz
      AND d.code IN (
        SELECT s.code FROM dossiers s
        WHERE ${open("s")} AND greatest(s.start_at, s.statutory_due_at, s.binding_due_at) >= ${dayStart}::timestamptz
        UNION
        SELECT x.dossier_code FROM dossier_pauses x WHERE x.ended_at IS NULL)`);
  }
  return conditions.length > 0 ? sql.join(conditions, sql` AND `) : sql`TRUE`;
}

/** One moved column of `m` as { old, new, minutes }: the shift in working minutes. */
const moved = (column: string) =>
  sql.raw(`jsonb_build_object('old', m.old_${column}, 'new', m.new_${column},
    'minutes', working_minutes_between(m.profile, m.old_${column}, m.new_${column}))`);

/**
 * Applies a `result` CTE (code, agency_code, profile, old_* and new_* of the six computed columns)
 * and summarises what moved; `selected` counts the dossiers considered.
 */
function applySql(result: SQL, selected: SQL, asOf: Date, listLimit: number, order: "due" | "shift"): SQL {
  const movedCondition = sql`(u.old_statutory, u.old_binding, u.old_apology)
    IS DISTINCT FROM (u.new_statutory, u.new_binding, u.new_apology)`;
  // The larger move, in working minutes, of the statutory and the binding due.
  const shift = (alias: string) =>
    sql.raw(`greatest(abs(working_minutes_between(${alias}.profile, ${alias}.old_statutory, ${alias}.new_statutory)),
      abs(working_minutes_between(${alias}.profile, ${alias}.old_binding, ${alias}.new_binding)))`);
  const listOrder = (alias: string) =>
    order === "shift"
      ? sql`${shift(alias)} DESC NULLS LAST, ${sql.raw(alias)}.code`
      : sql`${sql.raw(alias)}.new_binding NULLS LAST, ${sql.raw(alias)}.code`;
  return sql`WITH ${result},
    updated AS (
      UPDATE dossiers d SET start_at = r.new_start, statutory_due_at = r.new_statutory,
        binding_due_at = r.new_binding, apology_window_starts_at = r.new_apology,
        completed_at = r.new_completed, processing_time_known = r.new_known,
        computed_at = ${asOf.toISOString()}::timestamptz
      FROM result r
      WHERE d.code = r.code
        AND (d.start_at, d.statutory_due_at, d.binding_due_at, d.apology_window_starts_at, d.completed_at,
             d.processing_time_known)
          IS DISTINCT FROM (r.new_start, r.new_statutory, r.new_binding, r.new_apology, r.new_completed, r.new_known)
      RETURNING r.*)
    SELECT ${selected} AS selected,
      (SELECT count(*) FROM updated)::integer AS updated,
      (SELECT count(*) FROM updated u WHERE ${movedCondition})::integer AS moved,
      (SELECT coalesce(jsonb_agg(jsonb_build_object(
          'code', m.code, 'agencyCode', m.agency_code,
          'statutory', ${moved("statutory")}, 'binding', ${moved("binding")}, 'apology', ${moved("apology")})
          ORDER BY ${listOrder("m")}), '[]'::jsonb)
       FROM (SELECT * FROM updated u WHERE ${movedCondition}
             ORDER BY ${listOrder("u")} LIMIT ${listLimit}) m) AS listed`;
}

/**
 * Start, statutory due, binding due and apology window in SQL, for dossiers without pauses. Each
 * step is MATERIALIZED: the working-time functions are inlined into the query, and feeding one's
 * inlined expression into the next (an ordinal into an instant into an ordinal…) would multiply
 * the expression and the planner's work; a stored column in between keeps every step small.
 */
function sqlPathResult(selection: SQL): SQL {
  return sql`target AS MATERIALIZED (
      SELECT d.code, d.agency_code, coalesce(a.working_profile, ${DEFAULT_WORKING_PROFILE}) AS profile,
        d.received_at, d.promised_due_at, coalesce(d.finished_at, d.returned_at) AS completed,
        round((t.spec->>'amount')::numeric
          * CASE WHEN t.spec->>'unit' = 'days' THEN ${WORKING_DAY_MS}::bigint ELSE ${HOUR_MS}::bigint END)::bigint
          AS processing_ms,
        d.start_at AS old_start, d.statutory_due_at AS old_statutory, d.binding_due_at AS old_binding,
        d.apology_window_starts_at AS old_apology, d.completed_at AS old_completed,
        d.processing_time_known AS old_known
      FROM dossiers d
      LEFT JOIN agencies a ON a.code = d.agency_code
      LEFT JOIN procedures p ON p.code = d.procedure_code
      CROSS JOIN LATERAL (SELECT coalesce(p.per_channel -> d.channel, p.processing_time) AS spec) t
      WHERE ${selection} AND NOT ${hasPauses}),
    started AS MATERIALIZED (
      SELECT t.*, so.ordinal_ms AS start_ordinal
      FROM target t LEFT JOIN LATERAL working_ordinal_of(t.profile, t.received_at) so ON true),
    due AS MATERIALIZED (
      -- The snapped start is one ms of working time after the receipt, less that ms (snapForwardMs).
      SELECT s.*, st.at - interval '1 millisecond' AS start_at, sd.at AS statutory,
        least(s.promised_due_at, sd.at) AS binding
      FROM started s
      LEFT JOIN LATERAL working_instant_of(s.profile, s.start_ordinal + 1) st ON true
      LEFT JOIN LATERAL working_instant_of(s.profile, s.start_ordinal + s.processing_ms) sd ON true),
    bound AS MATERIALIZED (
      SELECT d.*, bo.ordinal_ms AS binding_ordinal
      FROM due d LEFT JOIN LATERAL working_ordinal_of(d.profile, d.binding) bo ON true),
    computed AS MATERIALIZED (
      SELECT b.*, ap.at AS apology,
        -- As storedDeadlines: any instant outside the calendar years leaves every due unknown.
        (b.start_at IS NOT NULL AND (b.processing_ms IS NULL OR b.statutory IS NOT NULL)
          AND (b.binding IS NULL OR ap.at IS NOT NULL)) AS ok
      FROM bound b
      LEFT JOIN LATERAL working_instant_of(b.profile, b.binding_ordinal - ${WORKING_DAY_MS}::bigint) ap ON true),
    result AS (
      SELECT code, agency_code, profile, old_start, old_statutory, old_binding, old_apology, old_completed, old_known,
        CASE WHEN ok THEN start_at END AS new_start, CASE WHEN ok THEN statutory END AS new_statutory,
        CASE WHEN ok THEN binding END AS new_binding, CASE WHEN ok THEN apology END AS new_apology,
        completed AS new_completed, ok AND processing_ms IS NOT NULL AS new_known
      FROM computed)`;
}

interface StoredMove {
  old: string | null;
  new: string | null;
  minutes: number | null;
}

interface Summary {
  selected: number;
  updated: number;
  moved: number;
  listed: Array<{
    code: string;
    agencyCode: string;
    statutory: StoredMove;
    binding: StoredMove;
    apology: StoredMove;
  }>;
}

const isoOf = (x: string | null) => (x === null ? null : new Date(x).toISOString());

const moveOf = (m: StoredMove): Moved => ({
  old: isoOf(m.old),
  new: isoOf(m.new),
  shiftHours: m.minutes === null ? null : Math.round((m.minutes / 60) * 100) / 100,
});

function movedOf(row: Summary["listed"][number]): MovedDossier {
  return {
    code: row.code,
    agencyCode: row.agencyCode,
    statutoryDueAt: moveOf(row.statutory),
    bindingDueAt: moveOf(row.binding),
    apologyWindowStartsAt: moveOf(row.apology),
  };
}

/** The larger move, in working hours, of the statutory and the binding due (-1 when unknown). */
const shiftOf = (m: MovedDossier) =>
  Math.max(
    ...[m.statutoryDueAt.shiftHours, m.bindingDueAt.shiftHours].map((h) => (h === null ? -1 : Math.abs(h))),
  );

/**
 * Recomputes the stored deadline columns (start, statutory and binding due, apology window,
 * completion, processing time known) of the selected dossiers as of `asOf`, in the caller's
 * transaction if it passes one; returns what moved.
 */
export async function recomputeDeadlines(db: Db, options: RecomputeOptions): Promise<RecomputeResult> {
  const selection = selectionSql(options);
  const listLimit = options.listLimit ?? 100;
  const order = options.listOrder ?? "due";
  const [bySql] = await queryRows<Summary>(
    db,
    applySql(
      sqlPathResult(selection),
      sql`(SELECT count(*) FROM target)::integer`,
      options.asOf,
      listLimit,
      order,
    ),
  );
  const paused = await computePaused(db, selection, options.asOf);
  const [byEngine] =
    paused.length === 0
      ? [{ selected: 0, updated: 0, moved: 0, listed: [] } satisfies Summary]
      : await queryRows<Summary>(
          db,
          applySql(pausedPathResult(paused), sql`${paused.length}::integer`, options.asOf, listLimit, order),
        );
  const byDue = (a: MovedDossier, b: MovedDossier) =>
    (a.bindingDueAt.new ?? "~").localeCompare(b.bindingDueAt.new ?? "~") || a.code.localeCompare(b.code);
  const byShift = (a: MovedDossier, b: MovedDossier) =>
    shiftOf(b) - shiftOf(a) || a.code.localeCompare(b.code);
  const listed = [...bySql.listed, ...byEngine.listed]
    .map(movedOf)
    .sort(order === "shift" ? byShift : byDue)
    .slice(0, listLimit);
  return {
    selected: Number(bySql.selected) + Number(byEngine.selected),
    updated: Number(bySql.updated) + Number(byEngine.updated),
    moved: Number(bySql.moved) + Number(byEngine.moved),
    listed,
  };
}
