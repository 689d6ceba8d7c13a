// Detection and resolution of the rules of DOMAIN §7, set-based: one statement per rule computes its
// cause once, inserts what is new, reopens what came back and resolves what went away.
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import { RULES, type Rule, type RuleContext } from "./rules/index.js";
import { instantSql, judgedDossierOf } from "./rules/sql.js";
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
 * One rule over the dossiers in scope, in one statement that computes its cause once:
 * - `current`: the rule's open violations in scope;
 * - detection: an upsert on the (dossier, rule) key of the cause rows that are not already open
 *   with the same details — new ones are inserted, resolved ones reopened, changed ones updated —
 *   so a violation is stored once however often the sweep runs, and an unchanged one is not
 *   written (nor locked) at all; `sweep_id` names the last sweep that changed it;
 * - resolution: `resolved_at = asOf` on the open violations in scope whose cause is gone, when
 *   their dossier is judged — violations of closed dossiers stay as they are (DOMAIN §4).
 */
async function applyRule(tx: Db, rule: Rule, context: RuleContext, sweepId: number | null) {
  const at = instantSql(context.asOf);
  const [row] = await queryRows<{ new: number; reopened: number; resolved: number }>(
    tx,
    sql`WITH cause AS MATERIALIZED (${rule.cause(context)}),
    current AS MATERIALIZED (
      SELECT v.id, v.dossier_code, v.agency_code, v.details FROM violations v
      WHERE v.rule = ${rule.name} AND v.resolved_at IS NULL AND ${context.inScope(sql`v.dossier_code`)}
    ),
    changed AS MATERIALIZED (
      SELECT c.dossier_code, c.agency_code, c.details, o.id IS NULL AS not_open FROM cause c
      LEFT JOIN current o ON o.dossier_code = c.dossier_code
      WHERE o.id IS NULL OR o.details IS DISTINCT FROM c.details OR o.agency_code IS DISTINCT FROM c.agency_code
    ),
    detected AS (
      INSERT INTO violations (dossier_code, agency_code, rule, details, detected_at, sweep_id)
      SELECT c.dossier_code, c.agency_code, ${rule.name}, c.details, ${at}, ${sweepId}::int FROM changed c
      ON CONFLICT (dossier_code, rule) DO UPDATE SET details = excluded.details, resolved_at = NULL,
        agency_code = excluded.agency_code, sweep_id = excluded.sweep_id
      WHERE violations.resolved_at IS NOT NULL
        OR violations.details IS DISTINCT FROM excluded.details
        OR violations.agency_code IS DISTINCT FROM excluded.agency_code
      RETURNING (xmax = 0) AS inserted
    ),
    resolved AS (
      UPDATE violations v SET resolved_at = ${at}, sweep_id = ${sweepId}::int
      FROM (SELECT o.id, o.dossier_code FROM current o
            WHERE NOT EXISTS (SELECT 1 FROM cause c WHERE c.dossier_code = o.dossier_code)) gone
      ${judgedDossierOf(sql`gone.dossier_code`, context)}
      WHERE v.id = gone.id
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM detected WHERE inserted)::int AS new,
      ((SELECT count(*) FROM changed WHERE not_open) - (SELECT count(*) FROM detected WHERE inserted))::int AS reopened,
      (SELECT count(*) FROM resolved)::int AS resolved`,
  );
  return row;
}

/**
 * Every rule over the scope, in the caller's transaction; the counts per rule, `open` included.
 * `incremental`: the scope is the changed set (CHANGED_DOSSIERS). The caller's transaction has
 * JIT off (see runSweep).
 */
export async function detectViolations(
  tx: Db,
  context: RuleContext,
  sweepId: number | null,
  options: { incremental: boolean },
): Promise<Record<ViolationRule, RuleCounts>> {
  if (options.incremental) {
    // The changed dossiers are the ones with open violations (what changed yesterday changes
    // again): the planner, estimating the scope's violations from the whole table, takes them for
    // a handful and compares every cause row with every open violation in a nested loop — 31 s for
    // one rule at 1,000,000 dossiers. Hash joins cost a scan of the letters or pauses at most.
    // No ANALYZE of the violations: it would not correct that estimate, and costs a second or so.
    await tx.execute(sql`SET LOCAL enable_nestloop = off`);
  } else {
    // Fresh statistics of the open violations: after a first sweep inserted thousands, stale ones
    // make the planner take them for one row and compare every open violation with every cause row.
    await tx.execute(sql`ANALYZE violations`);
  }
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
