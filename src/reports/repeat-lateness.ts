// Officials late again and again without a legitimate reason (DOMAIN §5, §8; the provincial plans of §1: discipline
// officials late many times). One statement: the attribution relation, restricted to late dossiers
// whose step due falls in [from, to), counted per window of each official's agency policy; an
// official is reported when, in any window inside the period, their unjustified late dossiers
// reach the threshold.
import { type SQL, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import type { Agency } from "../catalog/agencies.js";
import { policySql } from "../catalog/lateness-window.js";
import type { LatenessWindow } from "../catalog/schema.js";
import type { Db } from "../db/client.js";
import { lateStepsSql, officialLatenessSql, officialOverrunSql } from "./attribution-sql.js";
import { at, reportAgencies, reportRows } from "./scope.js";

export interface RepeatLatenessQuery {
  from: Date;
  to: Date;
  asOf: Date;
  agency: Agency | null;
  /** Overrides every agency's threshold (the `threshold` parameter). */
  threshold?: number;
  /** Overrides every agency's window. */
  window?: LatenessWindow;
}

export interface LateDossier {
  code: string;
  stepSeq: number;
  stepDueAt: string;
  overrunHours: number;
  justified: boolean;
}

export interface RepeatLateOfficial {
  officialId: string;
  officialName: string;
  title: string | null;
  department: string | null;
  agencyCode: string;
  /** Unjustified late dossiers in the period. */
  lateCount: number;
  /** Late dossiers whose lateness an inspector accepted as justified. */
  justifiedCount: number;
  /** Working hours of overrun over the unjustified ones. */
  overrunHours: number;
  policy: { window: LatenessWindow; threshold: number };
  /** The window (inside the period) with the most unjustified late dossiers. */
  peakWindow: { from: string; to: string; lateCount: number };
  dossiers: LateDossier[];
}

export interface RepeatLatenessReport {
  from: string;
  to: string;
  asOf: string;
  /** The override, or null: each official's agency policy applies (see officials[].policy). */
  threshold: number | null;
  window: LatenessWindow | null;
  officials: RepeatLateOfficial[];
}

/** A late dossier as the statement lists it: [code, step seq, step due, overrun minutes, justified]. */
type DossierCell = [string, number, string, number | string | null, boolean];

interface Row {
  official_id: string;
  official_name: string;
  title: string | null;
  department: string | null;
  official_agency: string;
  lateness_window: LatenessWindow;
  threshold: number;
  late_count: number;
  justified_count: number;
  overrun_total: string | number | null;
  peak_from: string | Date;
  peak_to: string | Date;
  peak_count: number;
  dossiers: DossierCell[];
}

/** Local wall-clock timestamp of an instant, and back (Asia/Ho_Chi_Minh is UTC+7 all year). */
const local = (instant: SQL) => sql`((${instant} AT TIME ZONE 'UTC') + interval '7 hours')`;
const instantOf = (localTs: SQL) => sql`((${localTs} - interval '7 hours') AT TIME ZONE 'UTC')`;

const hours = (minutes: string | number | null) => Math.round((Number(minutes ?? 0) / 60) * 100) / 100;
const iso = (x: string | Date) => new Date(x).toISOString();

/** The report's one statement: a row per (flagged official, late dossier), ordered as the report lists them. */
export function repeatLatenessSql(principal: Principal, query: RepeatLatenessQuery): SQL {
  const from = at(query.from);
  const to = at(query.to);
  return sql`WITH late_steps AS MATERIALIZED (${lateStepsSql(query.asOf, reportAgencies(principal, query.agency))}),
      -- A few hundred agencies: resolved once, not per late dossier.
      policy AS MATERIALIZED (${policySql(query)}),
      attributed AS (${officialLatenessSql("late_steps")}),
      events AS (
        SELECT x.dossier_code, x.official_id, x.step_seq, x.step_due_at, x.justified,
          coalesce(o.name, x.official_id) AS official_name, o.title, o.department,
          coalesce(o.agency_code, x.agency_code) AS official_agency,
          pol.lateness_window, pol.threshold, pol.window_unit, pol.window_length,
          CASE WHEN pol.window_unit IS NOT NULL THEN date_trunc(pol.window_unit, ${local(sql`x.step_due_at`)}) END AS window_start
        FROM attributed x
        LEFT JOIN officials o ON o.id = x.official_id
        JOIN policy pol ON pol.agency_code = coalesce(o.agency_code, x.agency_code)
        WHERE x.step_due_at >= ${from} AND x.step_due_at < ${to}
      ),
      windows AS (
        -- Calendar windows: the month, quarter or year of each step due.
        SELECT official_id, ${instantOf(sql`window_start`)} AS window_from,
          ${instantOf(sql`window_start + window_length`)} AS window_to, count(*) AS n
        FROM events WHERE NOT justified AND window_unit IS NOT NULL
        GROUP BY official_id, window_start, window_length
        UNION ALL
        -- Rolling windows: the busiest N days start at one of the official's late dossiers. Counted
        -- on each official's time line rather than by pairing late dossiers (quadratic in a busy
        -- official's): the points are their unjustified late dossiers (kind 1) and each window
        -- [start, start + N days) ends at a probe (kind 0, before the points of the same instant).
        -- The running count of points at the probe is how many lie before the window's end; the
        -- rank of its first dossier, how many lie before its start.
        SELECT official_id, window_from, window_from + window_length, points_before - before_start
        FROM (
          SELECT official_id, kind, window_from, window_length, before_start,
            sum(kind) OVER (PARTITION BY official_id ORDER BY at, kind ROWS UNBOUNDED PRECEDING) AS points_before
          FROM (
            SELECT official_id, step_due_at AS at, 1 AS kind, NULL::timestamptz AS window_from,
              NULL::interval AS window_length, NULL::bigint AS before_start
            FROM events WHERE NOT justified
            UNION ALL
            SELECT official_id, step_due_at + window_length, 0, step_due_at, window_length, before_start
            FROM (
              SELECT official_id, step_due_at, window_unit, window_length,
                rank() OVER (PARTITION BY official_id ORDER BY step_due_at) - 1 AS before_start
              FROM events WHERE NOT justified
            ) ranked
            WHERE window_unit IS NULL
          ) time_line
        ) counted
        WHERE kind = 0
      ),
      peaks AS (
        SELECT DISTINCT ON (official_id) official_id, window_from, window_to, n
        FROM windows ORDER BY official_id, n DESC, window_from
      ),
      flagged AS (
        SELECT e.*, greatest(pk.window_from, ${from}) AS peak_from, least(pk.window_to, ${to}) AS peak_to,
          pk.n::int AS peak_count,
          count(*) FILTER (WHERE NOT e.justified) OVER (PARTITION BY e.official_id)::int AS late_count,
          count(*) FILTER (WHERE e.justified) OVER (PARTITION BY e.official_id)::int AS justified_count
        FROM events e JOIN peaks pk ON pk.official_id = e.official_id
        WHERE pk.n >= e.threshold
      ),
      -- Overruns only for what the report shows.
      shown_steps AS (
        SELECT ls.* FROM late_steps ls
        JOIN flagged f ON f.official_id = ls.official_id AND f.dossier_code = ls.dossier_code
      ),
      overruns AS (${officialOverrunSql("shown_steps")}),
      shown AS (
        SELECT f.official_id, f.official_name, f.title, f.department, f.official_agency, f.lateness_window, f.threshold,
          f.dossier_code, f.step_seq, f.step_due_at, o.overrun_minutes, f.justified, f.late_count, f.justified_count,
          sum(o.overrun_minutes) FILTER (WHERE NOT f.justified) OVER (PARTITION BY f.official_id) AS overrun_total,
          f.peak_from, f.peak_to, f.peak_count
        FROM flagged f
        LEFT JOIN overruns o ON o.official_id = f.official_id AND o.dossier_code = f.dossier_code
      )
      -- One row per official, their dossiers as one JSON array: tens of thousands of rows decoded
      -- field by field cost the client more than the statement's grouping costs the server. Name,
      -- title and department are the official's own; an official without a row in officials takes
      -- the agency (and policy) of their earliest dossier.
      SELECT official_id, official_name, title, department,
        (array_agg(official_agency ORDER BY step_due_at, dossier_code))[1] AS official_agency,
        (array_agg(lateness_window ORDER BY step_due_at, dossier_code))[1] AS lateness_window,
        (array_agg(threshold ORDER BY step_due_at, dossier_code))[1] AS threshold,
        max(late_count) AS late_count, max(justified_count) AS justified_count, max(overrun_total) AS overrun_total,
        max(peak_from) AS peak_from, max(peak_to) AS peak_to, max(peak_count) AS peak_count,
        json_agg(json_build_array(dossier_code, step_seq, step_due_at, overrun_minutes, justified)
          ORDER BY step_due_at, dossier_code) AS dossiers
      FROM shown
      GROUP BY official_id, official_name, title, department
      ORDER BY late_count DESC, overrun_total DESC NULLS LAST, official_id`;
}

export async function repeatLatenessReport(
  db: Db,
  principal: Principal,
  query: RepeatLatenessQuery,
): Promise<RepeatLatenessReport> {
  const rows = await reportRows<Row>(db, repeatLatenessSql(principal, query));
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    asOf: query.asOf.toISOString(),
    threshold: query.threshold ?? null,
    window: query.window ?? null,
    officials: rows.map(officialOf),
  };
}

/** The statement's rows, one per official in the report's order, as the report lists them. */
function officialOf(r: Row): RepeatLateOfficial {
  return {
    officialId: r.official_id,
    officialName: r.official_name,
    title: r.title,
    department: r.department,
    agencyCode: r.official_agency,
    lateCount: Number(r.late_count),
    justifiedCount: Number(r.justified_count),
    overrunHours: hours(r.overrun_total),
    policy: { window: r.lateness_window, threshold: Number(r.threshold) },
    peakWindow: { from: iso(r.peak_from), to: iso(r.peak_to), lateCount: Number(r.peak_count) },
    dossiers: r.dossiers.map(([code, stepSeq, stepDueAt, overrunMinutes, justified]) => ({
      code,
      stepSeq: Number(stepSeq),
      stepDueAt: iso(stepDueAt),
      overrunHours: hours(overrunMinutes),
      justified,
    })),
  };
}
