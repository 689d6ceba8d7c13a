// Aliases: the other names under which one-stop systems send an agency (DonViXuLy). Set by an
// admin when a record is quarantined for an unknown agency name, then the record is replayed.
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { type AuditActor, recordAudit } from "../audit/record.js";
import type { Db } from "../db/client.js";
import { ApiError, notFound } from "../http/errors.js";
import { findAgency } from "./agencies.js";
import { agencyNameKey } from "./agency-names.js";
import { agencies, agencyAliases } from "./schema.js";

export async function listAliases(db: Db, code: string): Promise<string[]> {
  const rows = await db
    .select({ alias: agencyAliases.alias })
    .from(agencyAliases)
    .where(eq(agencyAliases.agencyCode, code))
    .orderBy(asc(agencyAliases.alias));
  return rows.map((r) => r.alias);
}

/** The aliases' keys, refusing two spellings of one alias and keys that are not names. */
function keyed(aliases: readonly string[]): Map<string, string> {
  const byKey = new Map<string, string>();
  aliases.forEach((alias, i) => {
    const key = agencyNameKey(alias);
    if (key === "") {
      throw new ApiError("BAD_REQUEST", `aliases[${i}] has no letters or digits`, { path: `aliases[${i}]` });
    }
    const twin = byKey.get(key);
    if (twin !== undefined) {
      throw new ApiError("BAD_REQUEST", `aliases[${i}] "${alias}" is the same name as "${twin}"`, {
        path: `aliases[${i}]`,
      });
    }
    byKey.set(key, alias);
  });
  return byKey;
}

/** One name must lead to one agency: an alias may not be another agency's alias or name. */
async function refuseTaken(db: Db, code: string, byKey: Map<string, string>): Promise<void> {
  const keys = [...byKey.keys()];
  if (keys.length === 0) return;
  const [aliased] = await db
    .select({ alias: agencyAliases.alias, agencyCode: agencyAliases.agencyCode })
    .from(agencyAliases)
    .where(and(inArray(agencyAliases.key, keys), ne(agencyAliases.agencyCode, code)))
    .limit(1);
  if (aliased) {
    throw new ApiError("CONFLICT", `"${aliased.alias}" is already an alias of agency ${aliased.agencyCode}`, {
      agencyCode: aliased.agencyCode,
    });
  }
  const others = await db
    .select({ code: agencies.code, name: agencies.name })
    .from(agencies)
    .where(ne(agencies.code, code));
  const named = others.find((a) => byKey.has(agencyNameKey(a.name)));
  if (named) {
    throw new ApiError(
      "CONFLICT",
      `"${byKey.get(agencyNameKey(named.name))}" is the name of agency ${named.code}`,
      {
        agencyCode: named.code,
      },
    );
  }
}

/** Replaces the agency's aliases (PUT semantics), audited. */
export async function putAliases(db: Db, actor: AuditActor, code: string, aliases: readonly string[]) {
  return db.transaction(async (tx) => {
    if (!(await findAgency(tx, code))) throw notFound(`Agency ${code}`);
    const byKey = keyed(aliases);
    await refuseTaken(tx, code, byKey);
    const before = await listAliases(tx, code);
    await tx.delete(agencyAliases).where(eq(agencyAliases.agencyCode, code));
    if (byKey.size > 0) {
      await tx
        .insert(agencyAliases)
        .values([...byKey].map(([key, alias]) => ({ key, alias, agencyCode: code })));
    }
    const after = await listAliases(tx, code);
    await recordAudit(tx, actor, {
      action: "agency.aliases",
      resourceType: "agency",
      resourceId: code,
      agencyCode: code,
      details: { before, after },
    });
    return after;
  });
}
