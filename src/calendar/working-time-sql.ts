// The working-time arithmetic as SQL fragments, for queries over many dossiers (reports, sweep):
// the functions of drizzle/0003 over working_days, keyed by a working profile (the agency's
// `working_profile`, e.g. `a.working_profile`). Every figure equals the JS index's (a test holds
// them together); NULL where an instant lies outside the calendar's years.
import { type SQL, sql } from "drizzle-orm";

/** Working minutes from a to b (negative when b is before a). One function call per row. */
export function workingMinutesBetweenSql(profile: SQL, a: SQL, b: SQL): SQL<number | null> {
  return sql<number | null>`working_minutes_between(${profile}, ${a}, ${b})`;
}

/** The instant `minutes` working minutes after t (before, when negative); t itself for 0. */
export function addWorkingMinutesSql(profile: SQL, t: SQL, minutes: SQL): SQL<Date | null> {
  return sql<Date | null>`working_add(${profile}, ${t}, round((${minutes}) * 60000)::bigint)`;
}

/**
 * `LEFT JOIN LATERAL working_ordinal_of(profile, at) <alias> ON true`: the working-time ordinal
 * (ms) of `at` as `<alias>.ordinal_ms`. The planner inlines it into plain joins on working_days,
 * so over millions of rows it costs a join rather than a function call per row; working time
 * between two instants is the difference of two ordinals. Feed an ordinal computed by one join
 * into another only through a MATERIALIZED CTE (src/dossiers/recompute.ts does): inlined
 * expressions nested in each other grow the plan.
 */
export function workingOrdinalJoin(alias: string, profile: SQL, at: SQL): SQL {
  return sql`LEFT JOIN LATERAL working_ordinal_of(${profile}, ${at}) ${sql.identifier(alias)} ON true`;
}
