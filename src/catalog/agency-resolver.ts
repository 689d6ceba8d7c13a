// Which catalogued agency a synced record names. One-stop systems send the handling agency's code,
// or its name, or an alias officials use; sync never creates an agency from what it reads (a typo
// would become a new top-level agency outside every officer's scope), so an unknown or ambiguous
// reference rejects the record until an admin adds the agency or the alias.
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";
import { agencyNameKey } from "./agency-names.js";

export interface CataloguedAgency {
  code: string;
  name: string;
  /** Materialised path "/root/…/code/". */
  path: string;
}

export interface AgencyAlias {
  agencyCode: string;
  key: string;
}

export type Resolution = { ok: true; code: string } | { ok: false; message: string };

/** Agencies as the catalogue held them when it was loaded; lookups are pure. */
export class AgencyResolver {
  private readonly byCode = new Map<string, CataloguedAgency>();
  private readonly byUpperCode = new Map<string, CataloguedAgency[]>();
  private readonly byKey = new Map<string, Set<string>>();

  constructor(agencies: readonly CataloguedAgency[], aliases: readonly AgencyAlias[] = []) {
    for (const agency of agencies) {
      this.byCode.set(agency.code, agency);
      const upper = agency.code.toUpperCase();
      this.byUpperCode.set(upper, [...(this.byUpperCode.get(upper) ?? []), agency]);
      this.addKey(agencyNameKey(agency.name), agency.code);
    }
    for (const alias of aliases)
      if (this.byCode.has(alias.agencyCode)) this.addKey(alias.key, alias.agencyCode);
  }

  private addKey(key: string, code: string) {
    if (key === "") return;
    const codes = this.byKey.get(key) ?? new Set<string>();
    codes.add(code);
    this.byKey.set(key, codes);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /**
   * The agency `reference` names: its code (exact, then ignoring case), else its name or an alias.
   * Several agencies of one name (every province has a "UBND xã Tân Lập" or two) are narrowed to
   * the sending agency's subtree when the sender is known.
   */
  resolve(reference: string, sender?: string | null): Resolution {
    const text = reference.trim();
    const exact = this.byCode.get(text);
    if (exact) return { ok: true, code: exact.code };
    const byCase = this.byUpperCode.get(text.toUpperCase());
    if (byCase?.length === 1) return { ok: true, code: byCase[0].code };
    let codes = [...(this.byKey.get(agencyNameKey(text)) ?? [])];
    const senderAgency = sender ? this.byCode.get(sender) : undefined;
    if (codes.length > 1 && senderAgency) {
      const inSubtree = codes.filter((c) => this.byCode.get(c)?.path.startsWith(senderAgency.path));
      if (inSubtree.length > 0) codes = inSubtree;
    }
    if (codes.length === 1) return { ok: true, code: codes[0] };
    if (codes.length === 0) {
      return {
        ok: false,
        message: `unknown agency ${JSON.stringify(text)}: no catalogued agency has this code, name or alias; add the agency (PUT /api/v1/agencies/{code}) or an alias (PUT /api/v1/agencies/{code}/aliases), then replay the record`,
      };
    }
    return {
      ok: false,
      message: `ambiguous agency ${JSON.stringify(text)}: it names ${codes.sort().join(", ")}; send the code, or give one of them an alias that the others do not have`,
    };
  }
}

/** What a resolver is built from: plain data, which a worker thread can be sent (src/sync/prepare-pool.ts). */
export interface AgencyCatalogue {
  agencies: CataloguedAgency[];
  aliases: AgencyAlias[];
}

/** The catalogue's agencies and aliases: one read of each. */
export async function loadAgencyCatalogue(db: Db): Promise<AgencyCatalogue> {
  const [agencies, aliases] = await Promise.all([
    queryRows<CataloguedAgency>(db, sql`SELECT code, name, path FROM agencies`),
    queryRows<{ agency_code: string; key: string }>(db, sql`SELECT agency_code, key FROM agency_aliases`),
  ]);
  return { agencies, aliases: aliases.map((a) => ({ agencyCode: a.agency_code, key: a.key })) };
}

/** The catalogue as a resolver: one read of agencies and aliases. */
export async function loadAgencyResolver(db: Db): Promise<AgencyResolver> {
  const { agencies, aliases } = await loadAgencyCatalogue(db);
  return new AgencyResolver(agencies, aliases);
}
