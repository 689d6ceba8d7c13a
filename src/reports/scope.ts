// Which dossiers a report covers: those of the agencies (alias `a`) in the caller's scope and, when
// asked, in one agency's subtree — a condition over the agencies alone, so that a report can filter
// dossiers by `agency_code IN (…)` before joining anything else.
import { type SQL, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import type { Agency } from "../catalog/agencies.js";
import { type Db, queryRows } from "../db/client.js";

/** The agencies `a` whose dossiers the report covers. */
export function reportAgencies(principal: Principal, agency: Agency | null): SQL {
  const conditions: SQL[] = [];
  if (principal.scopeKind === "agency") conditions.push(sql`a.code = ${principal.scopeAgencyCode}`);
  if (principal.scopeKind === "subtree") {
    const path = principal.scopePath ?? "//";
    conditions.push(sql`left(a.path, ${path.length}) = ${path}`);
  }
  if (agency) conditions.push(sql`left(a.path, ${agency.path.length}) = ${agency.path}`);
  return conditions.length > 0 ? sql.join(conditions, sql` AND `) : sql`TRUE`;
}

/** Every agency: an inspector or admin of scope "all", no agency asked for. */
export const coversEveryAgency = (principal: Principal, agency: Agency | null) =>
  principal.scopeKind === "all" && agency === null;

export const at = (instant: Date) => sql`${instant.toISOString()}::timestamptz`;

/**
 * Runs a report's statement with JIT compilation off (in its own transaction, SET LOCAL, so poolers
 * are fine). The working-time functions inline into large expressions: LLVM spends seconds
 * compiling them — far more than the statement takes to run — whenever the plan looks costly.
 */
export function reportRows<T>(db: Db, statement: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return queryRows<T>(tx, statement);
  });
}
