// The token of a letter's public status page (/tra-cuu/{token}): 128 random bits, base64url, so
// that it cannot be guessed or enumerated; one live per letter, revoked by a correction that asks.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { letterStatusLinks } from "./schema.js";

export const STATUS_PAGE_PREFIX = "/tra-cuu/";

export function newStatusToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Buffer.from(bytes).toString("base64url");
}

/** What the QR code holds: the page's absolute address, or nothing when no public address is set. */
export const statusUrlOf = (publicBaseUrl: string | null | undefined, token: string) =>
  publicBaseUrl ? `${publicBaseUrl}${STATUS_PAGE_PREFIX}${token}` : undefined;

/** A token has the shape newStatusToken makes: anything else is refused before any query. */
export const isStatusToken = (s: string) => /^[A-Za-z0-9_-]{22}$/.test(s);

export async function createStatusLink(db: Db, letterId: number, now: Date): Promise<string> {
  const token = newStatusToken();
  await db.insert(letterStatusLinks).values({ token, letterId, createdAt: now });
  return token;
}

export async function liveStatusToken(db: Db, letterId: number): Promise<string | null> {
  const [row] = await db
    .select({ token: letterStatusLinks.token })
    .from(letterStatusLinks)
    .where(and(eq(letterStatusLinks.letterId, letterId), isNull(letterStatusLinks.revokedAt)));
  return row?.token ?? null;
}

export async function revokeStatusLinks(db: Db, letterId: number, now: Date): Promise<void> {
  await db
    .update(letterStatusLinks)
    .set({ revokedAt: now })
    .where(and(eq(letterStatusLinks.letterId, letterId), isNull(letterStatusLinks.revokedAt)));
}
