import { and, asc, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import { type Agency, findAgency } from "../catalog/agencies.js";
import { agencies } from "../catalog/schema.js";
import type { Db } from "../db/client.js";
import { ApiError, notFound } from "../http/errors.js";
import { agencyInScope, type Principal } from "./principal.js";
import type { PrincipalCache } from "./principal-cache.js";
import { apiTokens, type Role, type ScopeKind, users } from "./schema.js";
import { generateToken, hashToken, sameHash } from "./tokens.js";

/** The columns of a principal, over `users` left-joined with its scope agency (`agencies`). */
export const principalColumns = {
  userId: users.id,
  name: users.name,
  role: users.role,
  scopeKind: users.scopeKind,
  scopeAgencyCode: users.scopeAgencyCode,
  scopePath: agencies.path,
};

/** The principal of a row selected with principalColumns (and maybe more): a scope over all agencies has no path. */
export function principalOf(row: Principal): Principal {
  const { userId, name, role, scopeKind, scopeAgencyCode, scopePath } = row;
  return {
    userId,
    name,
    role,
    scopeKind,
    scopeAgencyCode,
    scopePath: scopeKind === "all" ? null : scopePath,
  };
}

/** The agency if the principal may see it; 404 otherwise, so that out-of-scope agencies do not leak. */
export async function agencyForPrincipal(db: Db, principal: Principal, code: string): Promise<Agency> {
  const agency = await findAgency(db, code);
  if (!agency || !agencyInScope(principal, agency.path)) throw notFound(`Agency ${code}`);
  return agency;
}

/**
 * The principal behind a bearer token, or null. The hash lookup is indexed; the final check is
 * constant-time. With a cache, a valid token's principal is remembered for the cache's moment.
 */
export async function findPrincipal(
  db: Db,
  token: string,
  cache?: PrincipalCache,
): Promise<Principal | null> {
  const hash = hashToken(token);
  const cached = cache?.get(hash);
  if (cached) return cached;
  const [row] = await db
    .select({ tokenId: apiTokens.id, tokenHash: apiTokens.tokenHash, ...principalColumns })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(agencies, eq(agencies.code, users.scopeAgencyCode))
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt), isNull(users.disabledAt)))
    .limit(1);
  if (!row || !sameHash(row.tokenHash, hash)) return null;
  const principal: Principal = { ...principalOf(row), tokenId: row.tokenId };
  cache?.set(hash, principal);
  return principal;
}

export interface NewUser {
  name: string;
  role: Role;
  scopeKind: ScopeKind;
  scopeAgencyCode: string | null;
}

/** Creates a user and its first token; the token is returned once and never stored. */
export async function createUser(db: Db, input: NewUser, token = generateToken()) {
  return db.transaction(async (tx) => {
    const [user] = await tx.insert(users).values(input).returning({ id: users.id });
    await tx.insert(apiTokens).values({ userId: user.id, tokenHash: hashToken(token) });
    return { id: user.id, token };
  });
}

/** ADMIN_TOKEN at start: an admin holding that token exists afterwards, however often this runs. */
export async function ensureAdmin(db: Db, token: string): Promise<{ id: number; created: boolean }> {
  const [existing] = await db
    .select({ userId: apiTokens.userId })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashToken(token)))
    .limit(1);
  if (existing) return { id: existing.userId, created: false };
  const { id } = await createUser(
    db,
    { name: "Quản trị hệ thống", role: "admin", scopeKind: "all", scopeAgencyCode: null },
    token,
  );
  return { id, created: true };
}

export interface UserRequest {
  name: string;
  role: Role;
  /** An officer's agency. */
  agencyCode?: string;
  /** An inspector's scope: "all" or the agency whose subtree they cover. */
  scope?: string;
}

function scopeOf(input: UserRequest): Pick<NewUser, "scopeKind" | "scopeAgencyCode"> {
  if (input.role === "officer") return { scopeKind: "agency", scopeAgencyCode: input.agencyCode ?? null };
  if (input.role === "inspector" && input.scope !== "all")
    return { scopeKind: "subtree", scopeAgencyCode: input.scope ?? null };
  return { scopeKind: "all", scopeAgencyCode: null };
}

/** An admin creates a user (422 for an unknown agency), audited; the token is returned once. */
export async function registerUser(db: Db, actor: Principal, input: UserRequest) {
  const scope = scopeOf(input);
  if (scope.scopeAgencyCode && !(await findAgency(db, scope.scopeAgencyCode))) {
    const field = input.role === "officer" ? "agencyCode" : "scope";
    throw new ApiError("UNPROCESSABLE", `Agency ${scope.scopeAgencyCode} is unknown`, { field });
  }
  return db.transaction(async (tx) => {
    const user = await createUser(tx, { name: input.name, role: input.role, ...scope });
    await recordAudit(tx, actor, {
      action: "user.create",
      resourceType: "user",
      resourceId: String(user.id),
      agencyCode: scope.scopeAgencyCode,
      details: { name: input.name, role: input.role, ...scope },
    });
    return user;
  });
}

/** Every user, oldest first, with whether they are disabled (tokens are never shown). */
export async function listUsers(db: Db) {
  return db
    .select({
      id: users.id,
      name: users.name,
      role: users.role,
      scopeKind: users.scopeKind,
      scopeAgencyCode: users.scopeAgencyCode,
      createdAt: users.createdAt,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .orderBy(asc(users.id));
}
