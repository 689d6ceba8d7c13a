// Names where a person reads: agencies are stored and linked by their portal codes
// (000.20.20.H47), which no official says aloud; pages show the name, the code on hover.
import { agencyInScope, type Principal } from "../auth/principal.js";
import { type Agency, listAgencies } from "../catalog/agencies.js";
import type { Db } from "../db/client.js";

export interface AgencyNames {
  /** The agency's name, or its code when the catalogue does not know it. */
  name(code: string | null | undefined): string;
  /** The agencies the principal may see, in tree order (for a select). */
  inScope: Agency[];
  /** Nesting depth of an agency in the tree, 0 for the province. */
  depth(agency: Agency): number;
}

/** The catalogue's names, read once per page: a province has a few hundred agencies. */
export async function agencyNames(db: Db, principal: Principal): Promise<AgencyNames> {
  const all = await listAgencies(db);
  const byCode = new Map(all.map((a) => [a.code, a]));
  return {
    name: (code) => (code ? (byCode.get(code)?.name ?? code) : "—"),
    inScope: all.filter((a) => agencyInScope(principal, a.path)),
    depth: (agency) => agency.path.split("/").length - 3,
  };
}
