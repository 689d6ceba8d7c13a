import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import type { DossierState } from "../deadlines/types.js";
import { stateAsOf } from "../dossiers/state-sql.js";
import { instantSql } from "./rules/sql.js";

/**
 * How many of `dossiers` (the sweep's: every dossier, or the changed set of an incremental sweep)
 * received by `asOf` are in each state of DOMAIN §4 as of `asOf`. An incremental sweep counts what it
 * evaluated: the states of the whole province would cost it a pass over every dossier, several times
 * what its rules cost; a full sweep (and the compliance report) counts them all.
 */
export async function countStates(
  db: Db,
  asOf: Date,
  dossiers: SQL,
): Promise<Partial<Record<DossierState, number>>> {
  const rows = await queryRows<{ state: DossierState; n: number }>(
    db,
    sql`SELECT state, count(*)::int AS n
        FROM (SELECT ${stateAsOf(asOf)} AS state FROM ${dossiers} d WHERE d.received_at <= ${instantSql(asOf)}) s
        GROUP BY state ORDER BY state`,
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
