import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import { secureHeaders } from "hono/secure-headers";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { authRoutes } from "./auth/routes.js";
import { casefileRoutes } from "./casefile/routes.js";
import { consoleRoutes } from "./console/routes.js";
import { documentShell } from "./contract/shell.js";
import { digestRoutes } from "./digest/routes.js";
import { docsRoutes } from "./docs/routes.js";
import { dossierRoutes } from "./dossiers/routes.js";
import { databaseBreaker } from "./http/breaker.js";
import { consoleBodyLimit, contentSecurityPolicy } from "./http/console-protections.js";
import type { AppDeps, AppEnv } from "./http/context.js";
import { databaseAnswer } from "./http/database-answers.js";
import { ApiError, codeOfStatus, type ErrorBody } from "./http/errors.js";
import { healthRoutes } from "./http/health.js";
import { jsonBodyGuard } from "./http/json-guard.js";
import { letterRoutes } from "./letters/routes.js";
import { statusPageRoutes } from "./letters/status-page/routes.js";
import { reportRoutes } from "./reports/routes.js";
import { calendarRoutes } from "./rulebook/calendar-routes.js";
import { catalogRoutes } from "./rulebook/catalog-routes.js";
import { errorFields } from "./runtime/logger.js";
import { sweepRoutes } from "./sweep/routes.js";
import { carriesRecords, SYNC_BODY_LIMIT, syncRoutes } from "./sync/routes.js";

const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;

function errorResponse(c: Context, status: ContentfulStatusCode, body: ErrorBody) {
  return c.json(body, status);
}

/** The matched route's template (`/api/v1/dossiers/:code`): what logs may say of a request. */
const routeOf = (c: Context) => routePath(c, -1);

/** The one place that writes an error response. */
function onError(thrown: Error, c: Context<AppEnv>) {
  const err = databaseAnswer(thrown, c) ?? thrown;
  if (err instanceof ApiError) {
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    return errorResponse(c, err.status as ContentfulStatusCode, {
      error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
    });
  }
  if (err instanceof HTTPException) {
    const code = codeOfStatus(err.status);
    return errorResponse(c, err.status as ContentfulStatusCode, {
      error: { code, message: err.message || code },
    });
  }
  c.var.deps?.logger.error("unhandled error", {
    route: routeOf(c),
    method: c.req.method,
    ...errorFields(err),
  });
  return errorResponse(c, 500, { error: { code: "INTERNAL", message: "Internal error" } });
}

export const OPENAPI_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "One-stop compliance monitor",
    version: "1",
    description:
      "Deadlines, apology letters, lateness attribution and compliance reports for one-stop dossiers.",
  },
  // Relative: the document describes the server that serves it, wherever it is deployed.
  servers: [{ url: "/", description: "This service" }],
};

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  if (deps.responseContract) app.use("*", deps.responseContract);
  app.use("*", secureHeaders());
  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    // The route's template only: paths and queries may carry what a client typed (an applicant's
    // name in a search, a code), headers carry tokens.
    deps.logger.info("request", {
      method: c.req.method,
      route: routeOf(c),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      userId: c.get("principal")?.userId,
    });
  });
  const defaultBodyLimit = bodyLimit({
    maxSize: DEFAULT_BODY_LIMIT,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", `The body is larger than ${DEFAULT_BODY_LIMIT} bytes`);
    },
  });
  app.use("/api/*", databaseBreaker);
  app.use("/health", databaseBreaker);
  // PostgreSQL text cannot hold U+0000: refused here as a 400, not by the database as a 500.
  app.use("/api/*", async (c, next) => {
    if (/%00/i.test(c.req.url)) {
      throw new ApiError(
        "BAD_REQUEST",
        "The path or query holds U+0000 (%00), which no parameter may contain",
      );
    }
    await next();
  });
  // Every body has a limit: sync's is larger (10,000 records), the rest 2 MB.
  const syncBodyLimit = bodyLimit({
    maxSize: SYNC_BODY_LIMIT,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", `A sync request may carry at most ${SYNC_BODY_LIMIT} bytes`);
    },
  });
  app.use("/api/*", (c, next) =>
    c.req.path.startsWith("/api/v1/sync/") ? syncBodyLimit(c, next) : defaultBodyLimit(c, next),
  );
  // Depth, width and storable text of every JSON body but the records sync judges one by one.
  app.use("/api/*", (c, next) => (carriesRecords(c.req.path) ? next() : jsonBodyGuard(c, next)));
  app.use("/console/*", consoleBodyLimit);
  app.use("/console/*", contentSecurityPolicy);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });

  app.route("/", healthRoutes);
  app.route("/", authRoutes);
  app.route("/", catalogRoutes);
  app.route("/", syncRoutes);
  app.route("/", dossierRoutes);
  app.route("/", casefileRoutes);
  app.route("/", calendarRoutes);
  app.route("/", letterRoutes);
  app.route("/", reportRoutes);
  app.route("/", sweepRoutes);
  app.route("/", digestRoutes);
  documentShell(app.openAPIRegistry);

  app.doc31("/openapi.json", OPENAPI_CONFIG);
  app.route("/", docsRoutes);
  app.route("/console", consoleRoutes());
  // Public, no sign-in: the page a letter's QR code opens (rate-limited in its module).
  app.route("/", statusPageRoutes);
  app.get("/", (c) => c.redirect("/console", 303));
  app.notFound((c) =>
    errorResponse(c, 404, {
      error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}` },
    }),
  );
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
