// Sessions and CSRF for the console. The session cookie is HttpOnly and SameSite=Strict, and every
// form of a session carries its synchronizer token, checked on every POST: hono/csrf only compares
// Origin (or Sec-Fetch-Site) with the request's own URL, which a TLS-terminating proxy rewrites, and
// lets requests without either through for some content types; a per-session secret in the form
// holds whatever the proxy does. The sign-in form, before any session, uses a double-submit cookie.
import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Role } from "../auth/schema.js";
import { ApiError } from "../http/errors.js";
import type { ConsoleEnv } from "./env.js";
import { findSession, SESSION_TTL_MS } from "./sessions.js";

export const SESSION_COOKIE = "osm_session";
export const LOGIN_COOKIE = "osm_login";

export function secureRequest(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
}

export function setSessionCookie(c: Context, id: string): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: "Strict",
    secure: secureRequest(c),
    path: "/console",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export const clearSessionCookie = (c: Context) => deleteCookie(c, SESSION_COOKIE, { path: "/console" });

export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Resolves the session cookie, if any, into the principal and the session's CSRF token. */
export const loadSession = createMiddleware<ConsoleEnv>(async (c, next) => {
  const id = getCookie(c, SESSION_COOKIE);
  if (id && id.length <= 100) {
    const session = await findSession(c.var.deps.database.db, id, c.var.deps.clock.now());
    if (session) {
      c.set("principal", session.principal);
      c.set("csrfToken", session.csrfToken);
      c.set("sessionId", id);
    }
  }
  await next();
});

/** The signed-in principal of a request that passed `signedIn`. */
export const principalOf = (c: Context<ConsoleEnv>) => c.var.principal;

/**
 * Pages need a session (else the sign-in page, then back); roles as the API route behind the page
 * (403 page otherwise); POSTs need the session's CSRF token in the form.
 */
export function signedIn(roles: readonly Role[] = ["admin", "inspector", "officer"]) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    const principal = c.get("principal") as ConsoleEnv["Variables"]["principal"] | undefined;
    if (!principal) {
      if (c.req.method !== "GET") throw new ApiError("UNAUTHORIZED", "Phiên đăng nhập đã hết hạn");
      const back = new URL(c.req.url);
      return c.redirect(`/console/login?next=${encodeURIComponent(back.pathname + back.search)}`, 303);
    }
    if (!roles.includes(principal.role))
      throw new ApiError("FORBIDDEN", "Vai trò của bạn không được làm việc này");
    if (c.req.method === "POST") {
      const body = await c.req.parseBody({ all: true });
      const sent = typeof body._csrf === "string" ? body._csrf : undefined;
      if (!sameSecret(sent, c.var.csrfToken)) {
        throw new ApiError(
          "FORBIDDEN",
          "Biểu mẫu không hợp lệ hoặc đã cũ (mã chống giả mạo không khớp); hãy tải lại trang",
        );
      }
    }
    await next();
  });
}

/**
 * Only local console paths: an open redirect through ?next= would be a phishing aid, and a control
 * character (CR, LF) cannot go into the Location header at all.
 */
export function safeNext(next: string | undefined): string {
  return next && /^\/console(\/[^\\]*)?$/.test(next) && !next.startsWith("//") && !/\p{Cc}/u.test(next)
    ? next
    : "/console";
}
