// Console sessions: signing in with a personal token opens one; the cookie carries a random id whose
// SHA-256 is the row's key, so neither the token nor the id is ever stored in clear.
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import { consoleSessions } from "../auth/console-sessions.js";
import type { Principal } from "../auth/principal.js";
import { findPrincipal, principalColumns, principalOf } from "../auth/queries.js";
import { apiTokens, users } from "../auth/schema.js";
import { hashToken } from "../auth/tokens.js";
import { agencies } from "../catalog/schema.js";
import type { Db } from "../db/client.js";

/** A working day and a bit: an officer signs in once in the morning. */
export const SESSION_TTL_MS = 10 * 60 * 60 * 1000;

export const randomId = () => randomBytes(32).toString("base64url");

export interface OpenedSession {
  id: string;
  principal: Principal;
  expiresAt: Date;
}

/** Signs in with a bearer token: null when the token is unknown, revoked or its user disabled. */
export async function openSession(db: Db, token: string, now: Date): Promise<OpenedSession | null> {
  const principal = await findPrincipal(db, token);
  if (!principal) return null;
  const [row] = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  const id = randomId();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.transaction(async (tx) => {
    // Expired rows of anyone go with each sign-in: no job needed, the table stays small.
    await tx.delete(consoleSessions).where(lt(consoleSessions.expiresAt, now));
    await tx.insert(consoleSessions).values({
      idHash: hashToken(id),
      userId: principal.userId,
      tokenId: row.id,
      csrfToken: randomId(),
      expiresAt,
    });
    await recordAudit(tx, principal, {
      action: "console.sign_in",
      resourceType: "user",
      resourceId: String(principal.userId),
    });
  });
  return { id, principal, expiresAt };
}

export interface ActiveSession {
  principal: Principal;
  csrfToken: string;
}

/** The session behind a cookie's id, while unexpired, its token unrevoked and its user enabled. */
export async function findSession(db: Db, id: string, now: Date): Promise<ActiveSession | null> {
  const [row] = await db
    .select({ csrfToken: consoleSessions.csrfToken, ...principalColumns })
    .from(consoleSessions)
    .innerJoin(users, eq(users.id, consoleSessions.userId))
    .innerJoin(apiTokens, eq(apiTokens.id, consoleSessions.tokenId))
    .leftJoin(agencies, eq(agencies.code, users.scopeAgencyCode))
    .where(
      and(
        eq(consoleSessions.idHash, hashToken(id)),
        gt(consoleSessions.expiresAt, now),
        isNull(apiTokens.revokedAt),
        isNull(users.disabledAt),
      ),
    )
    .limit(1);
  if (!row) return null;
  return { csrfToken: row.csrfToken, principal: principalOf(row) };
}

export async function closeSession(db: Db, id: string, principal: Principal): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(consoleSessions).where(sql`${consoleSessions.idHash} = ${hashToken(id)}`);
    await recordAudit(tx, principal, {
      action: "console.sign_out",
      resourceType: "user",
      resourceId: String(principal.userId),
    });
  });
}
