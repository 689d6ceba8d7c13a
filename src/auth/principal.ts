import type { Role, ScopeKind } from "./schema.js";

/** Who is asking, resolved from the bearer token once per request. */
export interface Principal {
  userId: number;
  name: string;
  role: Role;
  scopeKind: ScopeKind;
  scopeAgencyCode: string | null;
  /** The scope agency's materialised path; null when the scope is everything. */
  scopePath: string | null;
  /** The bearer token the request came with (absent for a console session's principal). */
  tokenId?: number;
}

/** Whether an agency (by its path) is visible to the principal. */
export function agencyInScope(principal: Principal, agencyPath: string): boolean {
  if (principal.scopeKind === "all") return true;
  if (principal.scopePath === null) return false;
  if (principal.scopeKind === "agency") return agencyPath === principal.scopePath;
  return agencyPath.startsWith(principal.scopePath);
}

export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  return roles.includes(principal.role);
}
