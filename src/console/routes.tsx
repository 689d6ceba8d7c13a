// The web console: server-rendered pages under /console for officers, inspectors and
// admins, calling the same query functions as the API, with sessions instead of bearer tokens.
import { Hono } from "hono";
import type { Principal } from "../auth/principal.js";
import { adminPages } from "./admin/routes.js";
import { apologyPages } from "./apology/routes.js";
import { dossierPages } from "./dossiers/routes.js";
import type { ConsoleEnv } from "./env.js";
import { consoleOnError, errorPage } from "./errors.js";
import { loadSession } from "./guard.js";
import { loginRoutes } from "./login.js";
import { reportPages } from "./reports/routes.js";
import { CONSOLE_CSS, CONSOLE_JS } from "./styles.js";

/** Where each role starts. */
function homeOf(principal: Principal): string {
  if (principal.role === "inspector") return "/console/reports/repeat-lateness";
  return "/console/dashboard";
}

export function consoleRoutes() {
  const app = new Hono<ConsoleEnv>();
  app.get("/assets/console.css", (c) =>
    c.body(CONSOLE_CSS, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=3600",
    }),
  );
  app.get("/assets/console.js", (c) =>
    c.body(CONSOLE_JS, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=3600",
    }),
  );
  app.use("*", async (c, next) => {
    await next();
    // Pages carry personal data and CSRF tokens: never cached, never framed.
    if (c.res.headers.get("content-type")?.startsWith("text/html")) {
      c.res.headers.set("cache-control", "no-store");
    }
  });
  app.use("*", loadSession);
  app.route("/", loginRoutes);
  app.get("/", (c) => {
    const principal = c.get("principal") as Principal | undefined;
    return c.redirect(principal ? homeOf(principal) : "/console/login", 303);
  });
  app.route("/", dossierPages);
  app.route("/", apologyPages);
  app.route("/", reportPages);
  app.route("/", adminPages);
  app.all("*", (c) => errorPage(c, 404, "Không tìm thấy trang này."));
  app.onError(consoleOnError);
  return app;
}
