// What every console response and form gets, whatever page serves it (mounted in app.ts around
// /console/*): a body limit — else an unauthenticated sign-in form of any size is read into memory,
// several times its size — and a Content-Security-Policy on its pages.
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context.js";

/** The console's largest form (a batch of letters, a calendar day) is a few kilobytes. */
export const CONSOLE_BODY_LIMIT = 256 * 1024;

/** 413 before the form is read: a page, as the console answers, not the API's JSON. */
export const consoleBodyLimit = bodyLimit({
  maxSize: CONSOLE_BODY_LIMIT,
  onError: (c) =>
    c.html(
      `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Dữ liệu quá lớn</title>` +
        `<p>Biểu mẫu gửi lên lớn hơn ${CONSOLE_BODY_LIMIT / 1024} KB nên không được nhận.</p>` +
        `<p><a href="/console">Về trang đầu</a></p></html>`,
      413,
    ),
});

/**
 * Scripts and styles from the console's own assets only (inline style attributes are used for
 * layout; no inline script is), nothing embedded from elsewhere, forms posted only to itself,
 * framed only by itself (the letter preview).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join("; ");

export const contentSecurityPolicy = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.headers.get("content-type")?.startsWith("text/html")) {
    c.res.headers.set("content-security-policy", CONSOLE_CSP);
  }
});
