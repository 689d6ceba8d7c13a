// Throttling of failed credential checks (bearer tokens here, the console's sign-in form too):
// after `maxFailures` failures of one key inside `windowMs`, a wrong credential under that key is
// answered 429 until the window ends. Keys are the client's address and the presented credential's
// prefix, so neither one address guessing many tokens nor many addresses hammering one token get
// far. A valid credential is never refused: behind a proxy or an office NAT, one client's wrong
// tokens block that address's guesses, not its colleagues' work.
//
// In memory, per process: right for one Node process. Several Node processes or Workers isolates
// each keep their own counts, so the effective limit is multiplied by their number; a shared store
// (a table, Cloudflare's rate limiting binding) is the step to take when that matters.
import type { Context } from "hono";
import { ApiError } from "../http/errors.js";

export interface FailureLimits {
  /** Failures of one key tolerated inside a window; the next request is refused. */
  maxFailures: number;
  windowMs: number;
  /** Keys remembered at most; the oldest are forgotten first, so memory stays bounded. */
  maxKeys: number;
}

export const DEFAULT_FAILURE_LIMITS: FailureLimits = { maxFailures: 20, windowMs: 60_000, maxKeys: 50_000 };

export interface FailureLimiter {
  /** Seconds until every one of `keys` may try again; 0 when none is blocked. */
  retryAfter(keys: readonly string[], now?: number): number;
  recordFailure(keys: readonly string[], now?: number): void;
}

interface Window {
  failures: number;
  endsAt: number;
}

export function createFailureLimiter(limits: Partial<FailureLimits> = {}): FailureLimiter {
  const { maxFailures, windowMs, maxKeys } = { ...DEFAULT_FAILURE_LIMITS, ...limits };
  const windows = new Map<string, Window>();
  const live = (key: string, now: number) => {
    const window = windows.get(key);
    if (window && window.endsAt > now) return window;
    if (window) windows.delete(key);
    return undefined;
  };
  return {
    retryAfter(keys, now = Date.now()) {
      let until = now;
      for (const key of keys) {
        const window = live(key, now);
        if (window && window.failures >= maxFailures) until = Math.max(until, window.endsAt);
      }
      return Math.ceil((until - now) / 1000);
    },
    recordFailure(keys, now = Date.now()) {
      for (const key of keys) {
        const window = live(key, now);
        if (window) {
          window.failures++;
          continue;
        }
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
        windows.set(key, { failures: 1, endsAt: now + windowMs });
      }
    },
  };
}

/** Enough of a credential to tell guesses at it apart, too little to be worth anything. */
const CREDENTIAL_PREFIX = 12;

/** The keys of a credential check: the client's address and the credential's prefix. */
export function failureKeys(address: string, credential: string): string[] {
  return [`address:${address}`, `credential:${credential.slice(0, CREDENTIAL_PREFIX)}`];
}

/** 429 with Retry-After while any of `keys` is blocked; call before checking the credential. */
export function refuseWhileBlocked(limiter: FailureLimiter, keys: readonly string[]): void {
  const seconds = limiter.retryAfter(keys);
  if (seconds > 0) {
    throw new ApiError(
      "RATE_LIMITED",
      `Too many failed sign-in attempts; try again in ${seconds} s`,
      { retryAfterSeconds: seconds },
      { "Retry-After": String(seconds) },
    );
  }
}

/** The app's limiter of failed credential checks, made on first use: one per app (per process). */
export function authFailuresOf(deps: { authFailures?: FailureLimiter }): FailureLimiter {
  deps.authFailures ??= createFailureLimiter();
  return deps.authFailures;
}

/**
 * A credential check under the limiter, for the API's bearer tokens and the console's sign-in
 * alike. The credential is always checked, so a valid one passes whatever its address did; a wrong
 * one counts against the client's address and the credential's prefix, and while either is over
 * the limit it is answered 429 (ApiError RATE_LIMITED, Retry-After) instead of null (401).
 */
export async function throttledCheck<T, E extends LimitedEnv>(
  c: Context<E>,
  credential: string,
  check: () => Promise<T | null>,
): Promise<T | null> {
  const { deps } = c.var;
  const limiter = authFailuresOf(deps);
  const keys = failureKeys(clientAddress(c, deps.trustProxy), credential);
  const found = await check();
  if (found !== null) return found;
  refuseWhileBlocked(limiter, keys);
  limiter.recordFailure(keys);
  return null;
}

/** What the limiter reads of the app's dependencies (http/context.ts's AppDeps has them). */
interface LimitedEnv {
  Variables: { deps: { authFailures?: FailureLimiter; trustProxy?: boolean } };
}

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * Who is calling, as far as this process can tell. Behind a reverse proxy (`trustProxy`), the
 * last X-Forwarded-For hop — the one the proxy appended; a client can forge the earlier ones.
 * On Node the socket's peer; on Workers the address Cloudflare puts in CF-Connecting-IP.
 */
export function clientAddress(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const hops = c.req.header("x-forwarded-for")?.split(",");
    const last = hops?.[hops.length - 1]?.trim();
    if (last) return last;
  }
  const node = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
  if (node) return node;
  return c.req.header("cf-connecting-ip") ?? "unknown";
}
