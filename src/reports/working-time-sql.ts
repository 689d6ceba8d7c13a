// The one working-time join the calendar's SQL module (src/calendar/working-time-sql.ts) does not
// offer yet: from an ordinal back to an instant, over drizzle/0003's working_instant_of.
import { type SQL, sql } from "drizzle-orm";

/**
 * `LEFT JOIN LATERAL`: `<alias>.at`, the instant at which `ordinalMs` of working time have elapsed
 * (a period's end when it runs out there); inlined by the planner like workingOrdinalJoin.
 */
export function workingInstantJoin(alias: string, profile: SQL, ordinalMs: SQL): SQL {
  return sql`LEFT JOIN LATERAL working_instant_of(${profile}, ${ordinalMs}) ${sql.identifier(alias)} ON true`;
}
