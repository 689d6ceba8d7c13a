// Agencies catalogued straight in the database, for tests that sync records without the HTTP API:
// sync refuses a record whose agency is not catalogued (src/catalog/agency-resolver.ts).
import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";

export interface TestAgency {
  code: string;
  name: string;
  shortCode?: string;
  parentCode?: string | null;
}

/** Inserts the agencies (parents first, whatever their order), each with its path in the tree. */
export async function catalogueAgencies(db: Db, agencies: readonly TestAgency[]): Promise<void> {
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const pathOf = (a: TestAgency): string => {
    const parent = a.parentCode ? byCode.get(a.parentCode) : undefined;
    return `${parent ? pathOf(parent) : "/"}${a.code}/`;
  };
  const rows = agencies.map((a) => ({
    code: a.code,
    name: a.name,
    short_code: a.shortCode ?? a.code,
    parent_code: a.parentCode ?? null,
    path: pathOf(a),
  }));
  await db.execute(sql`
    INSERT INTO agencies (code, name, short_code, parent_code, path, catalogued)
    SELECT a.code, a.name, a.short_code, a.parent_code, a.path, true
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS a(code text, name text, short_code text, parent_code text, path text)
    ON CONFLICT (code) DO NOTHING`);
}
