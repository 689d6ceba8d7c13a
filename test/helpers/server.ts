import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "../../src/app.js";
import { ensureAdmin } from "../../src/auth/queries.js";
import { createFailureLimiter } from "../../src/auth/rate-limit.js";
import type { Database } from "../../src/db/client.js";
import type { AppDeps } from "../../src/http/context.js";
import { type LetterFonts, loadLetterFonts } from "../../src/pdf/fonts.js";
import { type Clock, systemClock } from "../../src/runtime/clock.js";
import { createLogger, type Logger } from "../../src/runtime/logger.js";
import { serviceContract } from "./contract.js";
import { createTestDatabase } from "./db.js";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

export interface TestServer {
  baseUrl: string;
  database: Database;
  logs: string[];
  /** fetch with the base URL prepended and, when given, a bearer token. */
  request(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

let letterFonts: Promise<LetterFonts> | undefined;

/** The real app over real HTTP on a loopback port, on a fresh database. */
export async function startTestServer(
  options: {
    clock?: Clock;
    logger?: Logger;
    deps?: Pick<AppDeps, "authFailures" | "trustProxy" | "principals" | "letters">;
    /** A PostgreSQL server to create the database on, instead of TEST_DATABASE_URL's. */
    serverUrl?: string;
  } = {},
): Promise<TestServer> {
  const database = await createTestDatabase({ serverUrl: options.serverUrl });
  await ensureAdmin(database.db, ADMIN_TOKEN);
  const logs: string[] = [];
  const logger = options.logger ?? createLogger("debug", (line) => logs.push(line));
  letterFonts ??= loadLetterFonts();
  const app = createApp({
    database,
    clock: options.clock ?? systemClock,
    logger,
    letterFonts: await letterFonts,
    // Suites try wrong tokens on every route from one address; test/reliability throttles for real.
    authFailures: createFailureLimiter({ maxFailures: 100_000 }),
    // Every answer is checked against the OpenAPI document; a mismatch fails the test.
    responseContract: serviceContract(),
    ...options.deps,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    database,
    logs,
    request(path, init = {}) {
      const { token, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set("authorization", `Bearer ${token}`);
      if (json !== undefined) headers.set("content-type", "application/json");
      return fetch(baseUrl + path, {
        ...rest,
        headers,
        body: json !== undefined ? JSON.stringify(json) : rest.body,
      });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
