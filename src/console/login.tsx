// Sign-in with a personal token (the API's bearer token), sign-out.
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Principal } from "../auth/principal.js";
import { throttledCheck } from "../auth/rate-limit.js";
import type { AppEnv } from "../http/context.js";
import type { ConsoleEnv } from "./env.js";
import { field, readForm } from "./form.js";
import {
  clearSessionCookie,
  LOGIN_COOKIE,
  safeNext,
  sameSecret,
  secureRequest,
  setSessionCookie,
  signedIn,
} from "./guard.js";
import { Document } from "./layout.js";
import { closeSession, openSession, randomId } from "./sessions.js";

function LoginPage(props: { csrf: string; next: string; error?: string }) {
  return (
    <Document title="Đăng nhập">
      <main id="content" style="max-width: 28rem">
        <h1>Đăng nhập hệ thống giám sát một cửa</h1>
        {props.error ? (
          <div class="flash error" role="alert">
            {props.error}
          </div>
        ) : null}
        <form method="post" action="/console/login">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <div class="field">
            <label for="token">Mã truy cập cá nhân</label>
            <input id="token" name="token" type="password" autocomplete="off" required style="width: 100%" />
            <p class="hint">
              Mã do quản trị hệ thống cấp riêng cho bạn (quản trị dùng mã ADMIN_TOKEN của máy chủ). Với tỉnh
              mẫu, lệnh <code>npm run demo</code> in ra mã của cán bộ, thanh tra và quản trị.
            </p>
          </div>
          <button type="submit">Đăng nhập</button>
        </form>
      </main>
    </Document>
  );
}

/** A fresh double-submit value for the sign-in form, in a cookie only /console/login receives. */
function loginForm(c: Context<ConsoleEnv>, next: string, error?: string) {
  const csrf = randomId();
  setCookie(c, LOGIN_COOKIE, csrf, {
    httpOnly: true,
    sameSite: "Strict",
    secure: secureRequest(c),
    path: "/console/login",
    maxAge: 30 * 60,
  });
  return c.html(<LoginPage csrf={csrf} next={next} error={error} />, error ? 401 : 200);
}

export const loginRoutes = new Hono<ConsoleEnv>()
  .get("/login", (c) => {
    if (c.get("principal") as Principal | undefined) return c.redirect(safeNext(c.req.query("next")), 303);
    return loginForm(c, safeNext(c.req.query("next")));
  })
  .post("/login", async (c) => {
    const body = await readForm(c);
    const next = safeNext(field(body, "next"));
    if (!sameSecret(field(body, "_csrf"), getCookie(c, LOGIN_COOKIE))) {
      return loginForm(c, next, "Biểu mẫu đăng nhập đã cũ; hãy nhập lại mã truy cập.");
    }
    const token = field(body, "token");
    const { database, clock } = c.var.deps;
    // Wrong tokens count against the address and the token's prefix, as the API's bearer checks do.
    const session =
      token.length > 0 && token.length <= 200
        ? await throttledCheck(c as unknown as Context<AppEnv>, token, () =>
            openSession(database.db, token, clock.now()),
          )
        : null;
    if (!session) return loginForm(c, next, "Mã truy cập không đúng hoặc đã bị thu hồi.");
    if (session.principal.role === "system") {
      await closeSession(database.db, session.id, session.principal);
      return loginForm(c, next, "Tài khoản hệ thống không dùng giao diện này.");
    }
    deleteCookie(c, LOGIN_COOKIE, { path: "/console/login" });
    setSessionCookie(c, session.id);
    return c.redirect(next, 303);
  })
  .post("/logout", signedIn(), async (c) => {
    await closeSession(c.var.deps.database.db, c.var.sessionId, c.var.principal);
    clearSessionCookie(c);
    return c.redirect("/console/login", 303);
  });
