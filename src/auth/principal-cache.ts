// Principals remembered for a moment per token hash, so that a client making hundreds of requests
// a second costs one token look-up every few seconds rather than one per request. Only valid tokens
// are remembered: an unknown token is looked up (and counted by the rate limiter) every time, and a
// token created elsewhere works at once. A token revoked or a user disabled elsewhere (another
// process, SQL) stops working within `ttlMs`; this process forgets at once what it is told to.
import type { Principal } from "./principal.js";

export interface PrincipalCacheOptions {
  /** How long a looked-up principal is trusted: the bound on a revocation made elsewhere. */
  ttlMs: number;
  /** Entries kept at most; the oldest are forgotten first, so memory stays bounded. */
  maxEntries: number;
}

export const DEFAULT_PRINCIPAL_CACHE: PrincipalCacheOptions = { ttlMs: 2_000, maxEntries: 10_000 };

export interface PrincipalCache {
  get(tokenHash: string, now?: number): Principal | undefined;
  set(tokenHash: string, principal: Principal, now?: number): void;
  /** Forgets every token of a user (disabled, or a token revoked, in this process). */
  forgetUser(userId: number): void;
}

interface Entry {
  principal: Principal;
  expiresAt: number;
}

export function createPrincipalCache(options: Partial<PrincipalCacheOptions> = {}): PrincipalCache {
  const { ttlMs, maxEntries } = { ...DEFAULT_PRINCIPAL_CACHE, ...options };
  const entries = new Map<string, Entry>();
  return {
    get(tokenHash, now = Date.now()) {
      const entry = entries.get(tokenHash);
      if (!entry) return undefined;
      if (entry.expiresAt > now) return entry.principal;
      entries.delete(tokenHash);
      return undefined;
    },
    set(tokenHash, principal, now = Date.now()) {
      entries.delete(tokenHash);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(tokenHash, { principal, expiresAt: now + ttlMs });
    },
    forgetUser(userId) {
      for (const [hash, entry] of entries) if (entry.principal.userId === userId) entries.delete(hash);
    },
  };
}

/** The app's principal cache, made on first use: one per app (per process, per Workers isolate). */
export function principalCacheOf(deps: { principals?: PrincipalCache }): PrincipalCache {
  deps.principals ??= createPrincipalCache();
  return deps.principals;
}
