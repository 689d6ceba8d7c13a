import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../src/db/client.js";

/** Columns whose values come from the wall clock or a sequence, not from the records. */
export const WALL_CLOCK = ["id", "created_at", "updated_at", "computed_at", "recorded_at"];

/**
 * Per table: the row count and an md5 over the rows' md5s (order-free), the `dropped` columns left
 * out: two databases that went through the same records compare equal.
 */
export async function fingerprint(
  database: Database,
  tables: readonly string[],
  dropped: readonly string[] = WALL_CLOCK,
): Promise<Record<string, { rows: number; md5: string }>> {
  const result: Record<string, { rows: number; md5: string }> = {};
  const columns = `ARRAY[${dropped.map((c) => `'${c}'`).join(",")}]::text[]`;
  for (const table of tables) {
    const [row] = await queryRows<{ rows: number; md5: string }>(
      database.db,
      sql.raw(`SELECT count(*)::int AS rows, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS md5
               FROM (SELECT md5((to_jsonb(t) - ${columns})::text) AS h FROM ${table} t) rows`),
    );
    result[table] = row;
  }
  return result;
}
