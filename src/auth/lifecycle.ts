// A token's life after it is issued: revoked, rotated (revoked and replaced by a new one for the
// same user), or its user disabled. Each is audited in the transaction that makes it, and the
// user's console sessions go with it. The caller tells the process's principal cache to forget the
// user (PrincipalCache.forgetUser), so the old token stops working at once here; another process
// stops trusting it within the cache's moment.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import type { Db } from "../db/client.js";
import { ApiError, notFound } from "../http/errors.js";
import { consoleSessions } from "./console-sessions.js";
import type { Principal } from "./principal.js";
import { apiTokens, users } from "./schema.js";
import { generateToken, hashToken } from "./tokens.js";

export interface TokenRow {
  id: number;
  userId: number;
  createdAt: Date;
  revokedAt: Date | null;
}

const tokenColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  createdAt: apiTokens.createdAt,
  revokedAt: apiTokens.revokedAt,
};

/** The tokens of some users, oldest first (their hashes are never shown). */
export async function tokensOf(db: Db, userIds: readonly number[]): Promise<TokenRow[]> {
  if (userIds.length === 0) return [];
  return db
    .select(tokenColumns)
    .from(apiTokens)
    .where(inArray(apiTokens.userId, [...userIds]))
    .orderBy(asc(apiTokens.id));
}

async function findToken(db: Db, tokenId: number): Promise<TokenRow> {
  const [row] = await db.select(tokenColumns).from(apiTokens).where(eq(apiTokens.id, tokenId)).limit(1);
  if (!row) throw notFound(`Token ${tokenId}`);
  return row;
}

/** Revokes one token (already revoked: unchanged) and ends the console sessions opened with it. */
export async function revokeToken(db: Db, actor: Principal, tokenId: number): Promise<TokenRow> {
  return db.transaction(async (tx) => {
    const token = await findToken(tx, tokenId);
    if (token.revokedAt) return token;
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(eq(apiTokens.id, tokenId))
      .returning(tokenColumns);
    await tx.delete(consoleSessions).where(eq(consoleSessions.tokenId, tokenId));
    await recordAudit(tx, actor, {
      action: "token.revoke",
      resourceType: "api_token",
      resourceId: String(tokenId),
      details: { userId: token.userId },
    });
    return revoked;
  });
}

/**
 * Replaces a live token by a new one for the same user: the old one revoked, the new one returned
 * once. A revoked token is not rotated (422): it could have been revoked for a leak.
 */
export async function rotateToken(db: Db, actor: Principal, tokenId: number) {
  return db.transaction(async (tx) => {
    const token = await findToken(tx, tokenId);
    if (token.revokedAt) {
      throw new ApiError("UNPROCESSABLE", `Token ${tokenId} is revoked; issue the user a new one instead`);
    }
    await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, tokenId));
    await tx.delete(consoleSessions).where(eq(consoleSessions.tokenId, tokenId));
    const issued = await insertToken(tx, token.userId);
    await recordAudit(tx, actor, {
      action: "token.rotate",
      resourceType: "api_token",
      resourceId: String(tokenId),
      details: { userId: token.userId, newTokenId: issued.id },
    });
    return { ...issued, userId: token.userId, replaced: tokenId };
  });
}

/** A new token for a user, alongside the ones they have; audited. */
export async function issueToken(db: Db, actor: Principal, userId: number) {
  return db.transaction(async (tx) => {
    await findUser(tx, userId);
    const issued = await insertToken(tx, userId);
    await recordAudit(tx, actor, {
      action: "token.issue",
      resourceType: "api_token",
      resourceId: String(issued.id),
      details: { userId },
    });
    return { ...issued, userId };
  });
}

async function insertToken(db: Db, userId: number) {
  const token = generateToken();
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, tokenHash: hashToken(token) })
    .returning({ id: apiTokens.id });
  return { id: row.id, token };
}

async function findUser(db: Db, userId: number) {
  const [user] = await db
    .select({ id: users.id, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw notFound(`User ${userId}`);
  return user;
}

/**
 * Disables (or enables again) a user: every token of theirs stops working and their console
 * sessions end; the tokens themselves are kept, so enabling restores them. An admin cannot disable
 * themselves (422): the province would be left without whoever meant to act.
 */
export async function setUserDisabled(db: Db, actor: Principal, userId: number, disabled: boolean) {
  if (disabled && userId === actor.userId) {
    throw new ApiError("UNPROCESSABLE", "You cannot disable yourself; ask another admin");
  }
  return db.transaction(async (tx) => {
    const user = await findUser(tx, userId);
    if (Boolean(user.disabledAt) === disabled) return user;
    const [changed] = await tx
      .update(users)
      .set({ disabledAt: disabled ? new Date() : null })
      .where(eq(users.id, userId))
      .returning({ id: users.id, disabledAt: users.disabledAt });
    if (disabled) await tx.delete(consoleSessions).where(eq(consoleSessions.userId, userId));
    await recordAudit(tx, actor, {
      action: disabled ? "user.disable" : "user.enable",
      resourceType: "user",
      resourceId: String(userId),
    });
    return changed;
  });
}

/** The user of the local CLI credential (src/local/): one per database, whatever the restarts. */
export const LOCAL_CLI_USER = "Dòng lệnh cục bộ (npm run sync/sweep bên dịch vụ)";

/**
 * The token CLIs started beside the service use (an admin's): every earlier token of the local
 * user is revoked — the file that held it is gone with the process that wrote it — and a new one
 * issued. Not audited per start: it is the service's own credential, not a person's.
 */
export async function renewLocalCliToken(db: Db): Promise<{ userId: number; token: string }> {
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.name, LOCAL_CLI_USER), eq(users.role, "admin"), isNull(users.disabledAt)))
      .orderBy(asc(users.id))
      .limit(1);
    const userId =
      existing?.id ??
      (
        await tx
          .insert(users)
          .values({ name: LOCAL_CLI_USER, role: "admin", scopeKind: "all", scopeAgencyCode: null })
          .returning({ id: users.id })
      )[0].id;
    await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
    const { token } = await insertToken(tx, userId);
    return { userId, token };
  });
}

/** When the service stops: the local CLI token, whose file goes with it, stops working too. */
export async function revokeLocalCliTokens(db: Db): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        isNull(apiTokens.revokedAt),
        inArray(
          apiTokens.userId,
          db
            .select({ id: users.id })
            .from(users)
            .where(and(eq(users.name, LOCAL_CLI_USER), eq(users.role, "admin"))),
        ),
      ),
    );
}
