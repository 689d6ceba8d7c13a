// The compliance report (DOMAIN §8): per agency, field or procedure, the dossiers whose binding due
// falls in [from, to), judged as of asOf — early, on time, late, open overdue — with the on-time
// rate, apology coverage, open violations, the late rate against its target, and the QĐ 766/QĐ-TTg
// progress score. One statement over the dossiers, whatever their number.
import { type SQL, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import type { Agency } from "../catalog/agencies.js";
import type { Db } from "../db/client.js";
import { stateAsOf } from "../dossiers/state-sql.js";
import { at, coversEveryAgency, reportAgencies, reportRows } from "./scope.js";

export const COMPLIANCE_GROUPS = ["agency", "field", "procedure"] as const;
export type ComplianceGroup = (typeof COMPLIANCE_GROUPS)[number];

export interface ComplianceQuery {
  from: Date;
  to: Date;
  asOf: Date;
  groupBy: ComplianceGroup;
  agency: Agency | null;
}

interface Counts {
  received: number;
  early: number;
  onTime: number;
  late: number;
  openOverdue: number;
  /** Open and not yet due as of asOf. */
  openNotDue: number;
  /** Rejected, withdrawn or stopped: counted as received, not judged. */
  closed: number;
  lateWithLetter: number;
  violations: number;
}

export interface ComplianceRow extends Counts {
  key: string | null;
  name: string | null;
  /** (early + on time) / (early + on time + late + open overdue); null when nothing was due. */
  onTimeRate: number | null;
  /** (late + open overdue) over the same; 1 − onTimeRate. */
  lateRate: number | null;
  /** Late-or-overdue dossiers with an apology letter / late-or-overdue dossiers; null when none. */
  apologyCoverage: number | null;
  /** QĐ 766/QĐ-TTg: onTimeRate × 20 (points out of 20). */
  progressScore: number | null;
  /** The procedure's max_late_rate, else its field's target; null when none applies. */
  maxLateRate: number | null;
  overTarget: boolean;
}

export interface ComplianceReport {
  from: string;
  to: string;
  asOf: string;
  groupBy: ComplianceGroup;
  rows: ComplianceRow[];
  totals: ComplianceRow;
}

interface RawRow {
  key: string | null;
  name: string | null;
  max_late_rate: string | number | null;
  received: number;
  early: number;
  on_time: number;
  late: number;
  open_overdue: number;
  open_not_due: number;
  closed: number;
  late_with_letter: number;
  violations: number;
}

/** Key, display name and late-rate target of each grouping, over a group `g` and its p, a, ft. */
function grouping(groupBy: ComplianceGroup): { key: SQL; name: SQL; target: SQL } {
  if (groupBy === "agency")
    return { key: sql`g.agency_code`, name: sql`max(a.name)`, target: sql`NULL::numeric` };
  if (groupBy === "procedure") {
    return {
      key: sql`g.procedure_code`,
      name: sql`max(p.name)`,
      target: sql`max(coalesce(p.max_late_rate, ft.max_late_rate))`,
    };
  }
  return {
    key: sql`coalesce(p.field_code, g.field_code)`,
    name: sql`max(p.field)`,
    target: sql`max(ft.max_late_rate)`,
  };
}

const ratio = (part: number, whole: number, digits = 4) =>
  whole === 0 ? null : Math.round((part / whole) * 10 ** digits) / 10 ** digits;

function rowOf(key: string | null, name: string | null, target: number | null, c: Counts): ComplianceRow {
  const judged = c.early + c.onTime + c.late + c.openOverdue;
  const onTimeRate = ratio(c.early + c.onTime, judged);
  const lateRate = ratio(c.late + c.openOverdue, judged);
  return {
    key,
    name,
    ...c,
    onTimeRate,
    lateRate,
    apologyCoverage: ratio(c.lateWithLetter, c.late + c.openOverdue),
    progressScore: judged === 0 ? null : Math.round(((c.early + c.onTime) / judged) * 20 * 100) / 100,
    maxLateRate: target,
    overTarget: target !== null && lateRate !== null && lateRate > target,
  };
}

/**
 * The dossiers' agencies in the report. Every agency: no filter — a hash look-up per dossier, a
 * quarter of the statement's time — the groups meet the agencies below in any case.
 */
function agencyFilter(principal: Principal, agency: Agency | null): SQL {
  if (coversEveryAgency(principal, agency)) return sql`TRUE`;
  return sql`d.agency_code IN (SELECT a.code FROM agencies a WHERE ${reportAgencies(principal, agency)})`;
}

/**
 * The report's one statement: the dossiers are counted per (agency, procedure, field) first — a
 * few thousand groups whatever their number — and only the groups meet the catalogue's names and
 * targets.
 */
export function complianceSql(principal: Principal, query: ComplianceQuery): SQL {
  const { key, name, target } = grouping(query.groupBy);
  const asOf = at(query.asOf);
  const count = (condition: SQL) => sql`count(*) FILTER (WHERE ${condition})::int`;
  return sql`WITH judged AS (
      SELECT d.agency_code, d.procedure_code, d.field_code, ${stateAsOf(query.asOf)} AS state,
        l.dossier_code IS NOT NULL AS has_letter, coalesce(v.open, 0) AS open_violations
      FROM dossiers d
      LEFT JOIN apology_letters l ON l.dossier_code = d.code AND l.issued_at <= ${asOf}
      LEFT JOIN (
        SELECT dossier_code, count(*) AS open FROM violations
        WHERE detected_at <= ${asOf} AND (resolved_at IS NULL OR resolved_at > ${asOf})
        GROUP BY dossier_code
      ) v ON v.dossier_code = d.code
      WHERE ${agencyFilter(principal, query.agency)}
        AND d.binding_due_at >= ${at(query.from)} AND d.binding_due_at < ${at(query.to)}
        AND d.received_at <= ${asOf}
      -- OFFSET 0: judged once per dossier; flattened, each count below would repeat the state's CASE
      OFFSET 0
    ),
    grouped AS (
      SELECT agency_code, procedure_code, field_code,
        count(*)::int AS received,
        ${count(sql`state = 'early'`)} AS early,
        ${count(sql`state = 'on_time'`)} AS on_time,
        ${count(sql`state = 'late'`)} AS late,
        ${count(sql`state = 'overdue'`)} AS open_overdue,
        ${count(sql`state IN ('on_track', 'due_soon')`)} AS open_not_due,
        ${count(sql`state = 'closed'`)} AS closed,
        ${count(sql`state IN ('late', 'overdue') AND has_letter`)} AS late_with_letter,
        sum(open_violations)::int AS violations
      FROM judged GROUP BY agency_code, procedure_code, field_code
    )
    SELECT ${key} AS key, ${name} AS name, ${target} AS max_late_rate,
      sum(g.received)::int AS received, sum(g.early)::int AS early, sum(g.on_time)::int AS on_time,
      sum(g.late)::int AS late, sum(g.open_overdue)::int AS open_overdue, sum(g.open_not_due)::int AS open_not_due,
      sum(g.closed)::int AS closed, sum(g.late_with_letter)::int AS late_with_letter, sum(g.violations)::int AS violations
    FROM grouped g
    JOIN agencies a ON a.code = g.agency_code
    LEFT JOIN procedures p ON p.code = g.procedure_code
    LEFT JOIN field_targets ft ON ft.field_code = coalesce(p.field_code, g.field_code)
    GROUP BY 1
    ORDER BY 1 NULLS LAST`;
}

export async function complianceReport(
  db: Db,
  principal: Principal,
  query: ComplianceQuery,
): Promise<ComplianceReport> {
  const rows = await reportRows<RawRow>(db, complianceSql(principal, query));
  const countsOf = (r: RawRow): Counts => ({
    received: Number(r.received),
    early: Number(r.early),
    onTime: Number(r.on_time),
    late: Number(r.late),
    openOverdue: Number(r.open_overdue),
    openNotDue: Number(r.open_not_due),
    closed: Number(r.closed),
    lateWithLetter: Number(r.late_with_letter),
    violations: Number(r.violations),
  });
  const out = rows.map((r) =>
    rowOf(r.key, r.name, r.max_late_rate === null ? null : Number(r.max_late_rate), countsOf(r)),
  );
  const sum = out.reduce<Counts>(
    (acc, r) => {
      for (const k of Object.keys(acc) as (keyof Counts)[]) acc[k] += r[k];
      return acc;
    },
    {
      received: 0,
      early: 0,
      onTime: 0,
      late: 0,
      openOverdue: 0,
      openNotDue: 0,
      closed: 0,
      lateWithLetter: 0,
      violations: 0,
    },
  );
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    asOf: query.asOf.toISOString(),
    groupBy: query.groupBy,
    rows: out,
    totals: rowOf(null, "Tổng cộng", null, sum),
  };
}
