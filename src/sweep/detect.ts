// Detection and resolution of the rules of SPEC §6, set-based: one statement per rule computes its
// cause once, inserts what is new, reopens what came back and resolves what went away.
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import { RULES, type Rule, type RuleContext } from "./rules/index.js";
import { instantSql, judgedSql } from "./rules/sql.js";
import type { ViolationRule } from "./schema.js";

export interface RuleCounts {
  /** Detected for the first time by this sweep. */
  new: number;
  /** Resolved before, and whose cause came back. */
  reopened: number;
  /** Resolved by this sweep: the cause went away. */
  resolved: number;
  /** Open after this sweep, over every dossier. */
  open: number;
}

/**
 * One rule over the dossiers in scope. Detection is an upsert on the (dossier, rule) key, so a
 * violation is stored once however often the sweep runs; it changes (details, reopening) only when
 * something changed, so `sweep_id` names the last sweep that changed it. Resolution stamps
 * `resolved_at = asOf` on the open violations of judged dossiers whose cause is gone; violations of
 * closed dossiers stay as they are (SPEC §3).
 */
async function applyRule(tx: Db, rule: Rule, context: RuleContext, sweepId: number | null) {
  const at = instantSql(context.asOf);
  const [row] = await queryRows<{ new: number; reopened: number; resolved: number }>(
    tx,
    sql`WITH cause AS MATERIALIZED (${rule.cause(context)}),
    reopening AS (
      SELECT count(*) AS n FROM cause c
      JOIN violations v ON v.dossier_code = c.dossier_code AND v.rule = ${rule.name} AND v.resolved_at IS NOT NULL
    ),
    detected AS (
      INSERT INTO violations (dossier_code, agency_code, rule, details, detected_at, sweep_id)
      SELECT c.dossier_code, c.agency_code, ${rule.name}, c.details, ${at}, ${sweepId}::int FROM cause c
      ON CONFLICT (dossier_code, rule) DO UPDATE SET details = excluded.details, resolved_at = NULL,
        agency_code = excluded.agency_code, sweep_id = excluded.sweep_id
      WHERE violations.resolved_at IS NOT NULL
        OR violations.details IS DISTINCT FROM excluded.details
        OR violations.agency_code IS DISTINCT FROM excluded.agency_code
      RETURNING (xmax = 0) AS inserted
    ),
    resolved AS (
      UPDATE violations v SET resolved_at = ${at}, sweep_id = ${sweepId}::int
      FROM dossiers d
      WHERE v.rule = ${rule.name} AND v.resolved_at IS NULL AND d.code = v.dossier_code
        AND ${judgedSql(context.asOf)} AND ${context.scope}
        AND NOT EXISTS (SELECT 1 FROM cause c WHERE c.dossier_code = v.dossier_code)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM detected WHERE inserted)::int AS new,
      (SELECT n FROM reopening)::int AS reopened,
      (SELECT count(*) FROM resolved)::int AS resolved`,
  );
  return row;
}

/** Every rule over the scope, in the caller's transaction; the counts per rule, `open` included. */
export async function detectViolations(
  tx: Db,
  context: RuleContext,
  sweepId: number | null,
): Promise<Record<ViolationRule, RuleCounts>> {
  const counts = {} as Record<ViolationRule, RuleCounts>;
  for (const rule of RULES) {
    const row = await applyRule(tx, rule, context, sweepId);
    counts[rule.name] = { new: row.new, reopened: row.reopened, resolved: row.resolved, open: 0 };
  }
  const open = await queryRows<{ rule: ViolationRule; n: number }>(
    tx,
    sql`SELECT rule, count(*)::int AS n FROM violations WHERE resolved_at IS NULL GROUP BY rule`,
  );
  for (const { rule, n } of open) if (counts[rule]) counts[rule].open = n;
  return counts;
}
