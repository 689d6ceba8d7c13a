// What a refused request must leave untouched: per table, its row count and the newest row version
// (xmin), so that any insert, update or delete shows.
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../../src/db/client.js";

export async function tableVersions(db: Db): Promise<string> {
  const tables = await queryRows<{ tablename: string }>(
    db,
    sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const parts = tables.map(
    ({ tablename: t }) =>
      `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text AS f FROM "${t}"`,
  );
  const rows = await queryRows<{ t: string; f: string }>(db, sql.raw(parts.join(" UNION ALL ")));
  return rows
    .map((r) => `${r.t}=${r.f}`)
    .sort()
    .join(",");
}
