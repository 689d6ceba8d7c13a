// Attribution (DOMAIN §5) set-based, for the reports: the same rule as attribution.ts, which a test
// holds it to. Built in MATERIALIZED stages so that the working-time arithmetic (inlined SQL
// functions) is computed once per row and never nested in itself: candidate steps of late dossiers
// (plain comparisons), their dues (working time only for dues that come from an allotment), the late
// ones; overruns are a separate, later join on just the rows a report shows.

import { type SQL, sql } from "drizzle-orm";
import { workingOrdinalJoin } from "../calendar/working-time-sql.js";
import { notClosedSql } from "../deadlines/dossier-record.js";
import { at } from "./scope.js";
import { workingInstantJoin } from "./working-time-sql.js";

/**
 * Late dossiers as of asOf — state `late` or `overdue` — among `d` (dossiers), written without the
 * CASE of stateAsOf: closed ones are not judged; the binding due has passed and the dossier was not
 * completed by it.
 */
export function lateAsOf(asOf: Date): SQL {
  return sql`${notClosedSql(sql`d.status`)} AND d.binding_due_at < ${at(asOf)}
    AND (d.completed_at IS NULL OR d.completed_at > d.binding_due_at)`;
}

/**
 * The late steps of the late dossiers of `scope` (a condition over d and a) as of asOf:
 * `(dossier_code, agency_code, working_profile, official_id, seq, step_due_at, end_at, justified)`.
 * A step is late when it ended after its due or is still open past it (end_at = asOf); one ending
 * after asOf is open then, one not started by asOf is not judged. Its due is the record's, else its
 * start plus the procedure's allotment for its seq in the agency's working time — computed only for
 * steps that ended after start + allotment in calendar time: working time never runs faster, so the
 * others cannot be late. Steps without an official are nobody's and left out.
 */
export function lateStepsSql(asOf: Date, scope: SQL): SQL {
  const asOfAt = at(asOf);
  return sql`WITH candidate AS MATERIALIZED (
      SELECT s.dossier_code, d.agency_code, d.procedure_code, a.working_profile, s.official_id, s.seq,
        s.started_at, s.due_at, s.end_at, coalesce(j.accepted, false) AS justified
      FROM dossiers d
      JOIN agencies a ON a.code = d.agency_code
      -- OFFSET 0: the steps of each late dossier by its key, not a scan of every step.
      CROSS JOIN LATERAL (
        SELECT s.dossier_code, s.seq, s.official_id, s.started_at, s.due_at,
          CASE WHEN s.ended_at <= ${asOfAt} THEN s.ended_at ELSE ${asOfAt} END AS end_at
        FROM dossier_steps s
        WHERE s.dossier_code = d.code AND s.official_id IS NOT NULL
          -- implied by the lateness test below; the partial index of the steps that can be late holds them
          AND (s.due_at IS NULL OR s.ended_at IS NULL OR s.ended_at > s.due_at)
          AND (s.started_at IS NULL OR s.started_at <= ${asOfAt})
        OFFSET 0
      ) s
      LEFT JOIN justifications j ON j.dossier_code = s.dossier_code AND j.official_id = s.official_id
      WHERE ${lateAsOf(asOf)} AND ${scope}
        AND (s.end_at > s.due_at OR (s.due_at IS NULL AND s.started_at IS NOT NULL))
    ),
    allotment AS (
      SELECT p.code AS procedure_code, (e->>'seq')::int AS seq,
        round((e->>'allotmentHours')::numeric * 3600000)::bigint AS allotment_ms
      FROM procedures p CROSS JOIN jsonb_array_elements(p.steps) e
    ),
    -- Working time only for the dues that come from an allotment.
    dued AS MATERIALIZED (
      SELECT dossier_code, agency_code, working_profile, official_id, seq, end_at, justified, due_at AS step_due_at
      FROM candidate WHERE due_at IS NOT NULL
      UNION ALL
      SELECT c.dossier_code, c.agency_code, c.working_profile, c.official_id, c.seq, c.end_at, c.justified,
        allotted.at AS step_due_at
      FROM candidate c
      JOIN allotment al ON al.procedure_code = c.procedure_code AND al.seq = c.seq
      ${workingOrdinalJoin("started", sql`c.working_profile`, sql`c.started_at`)}
      ${workingInstantJoin("allotted", sql`c.working_profile`, sql`started.ordinal_ms + al.allotment_ms`)}
      WHERE c.due_at IS NULL AND c.end_at > c.started_at + al.allotment_ms * interval '1 millisecond'
    )
    SELECT * FROM dued WHERE end_at > step_due_at`;
}

/**
 * Per late step of a relation `rel` with (working_profile, step_due_at, end_at): its overrun in
 * working minutes, as `overrun_minutes` — two ordinal look-ups, for the rows a report shows.
 */
export function overrunJoins(rel: string): { joins: SQL; minutes: SQL } {
  const r = sql.identifier(rel);
  return {
    joins: sql`${workingOrdinalJoin("overrun_from", sql`${r}.working_profile`, sql`${r}.step_due_at`)}
      ${workingOrdinalJoin("overrun_to", sql`${r}.working_profile`, sql`${r}.end_at`)}`,
    minutes: sql`(overrun_to.ordinal_ms - overrun_from.ordinal_ms) / 60000.0`,
  };
}

/**
 * One row per (official, late dossier): `(dossier_code, agency_code, official_id, step_seq,
 * step_due_at, justified)` — the official's first late step on it (by due, then seq), the moment
 * they became late; a dossier counts once per official.
 */
export function officialLatenessSql(lateSteps: string): SQL {
  const l = sql.identifier(lateSteps);
  return sql`SELECT dossier_code, agency_code, official_id,
      (array_agg(seq ORDER BY step_due_at, seq))[1] AS step_seq, min(step_due_at) AS step_due_at,
      bool_or(justified) AS justified
    FROM ${l} GROUP BY dossier_code, agency_code, official_id`;
}

/** Per (official, dossier) of `lateSteps`: the working minutes of overrun summed over their late steps. */
export function officialOverrunSql(lateSteps: string): SQL {
  const { joins, minutes } = overrunJoins("ls");
  return sql`SELECT ls.dossier_code, ls.official_id, sum(${minutes}) AS overrun_minutes
    FROM ${sql.identifier(lateSteps)} ls ${joins}
    GROUP BY ls.dossier_code, ls.official_id`;
}

/** The whole attribution as one statement: per (official, late dossier), with the overrun. */
export function attributionSql(asOf: Date, scope: SQL): SQL {
  return sql`WITH late_steps AS MATERIALIZED (${lateStepsSql(asOf, scope)})
    SELECT a.*, o.overrun_minutes
    FROM (${officialLatenessSql("late_steps")}) a
    JOIN (${officialOverrunSql("late_steps")}) o ON o.dossier_code = a.dossier_code AND o.official_id = a.official_id`;
}
