import { and, eq, isNull } from "drizzle-orm";
import { agencies } from "../catalog/schema.js";
import type { Db } from "../db/client.js";
import type { Principal } from "./principal.js";
import { apiTokens, type Role, type ScopeKind, users } from "./schema.js";
import { generateToken, hashToken, sameHash } from "./tokens.js";

/** The principal behind a bearer token, or null. The hash lookup is indexed; the final check is constant-time. */
export async function findPrincipal(db: Db, token: string): Promise<Principal | null> {
  const hash = hashToken(token);
  const [row] = await db
    .select({
      tokenHash: apiTokens.tokenHash,
      userId: users.id,
      name: users.name,
      role: users.role,
      scopeKind: users.scopeKind,
      scopeAgencyCode: users.scopeAgencyCode,
      scopePath: agencies.path,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(agencies, eq(agencies.code, users.scopeAgencyCode))
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt), isNull(users.disabledAt)))
    .limit(1);
  if (!row || !sameHash(row.tokenHash, hash)) return null;
  const { tokenHash: _, ...principal } = row;
  return { ...principal, scopePath: principal.scopeKind === "all" ? null : principal.scopePath };
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
