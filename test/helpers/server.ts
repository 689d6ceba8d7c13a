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
import { AGENCIES, ok, type Tokens } from "./seed.js";

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

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  deps?: Pick<
    AppDeps,
    "authFailures" | "trustProxy" | "principals" | "letters" | "letterRenderer" | "responseContract"
  >;
  /** A PostgreSQL server to create the database on, instead of TEST_DATABASE_URL's. */
  serverUrl?: string;
}

/** The real app over real HTTP on a loopback port, on a fresh database with only the admin. */
export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
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

/** An agency as PUT /api/v1/agencies/{code} takes it, with its code. */
export type AgencyInput = { code: string } & Record<string, unknown>;
export type UserName = Exclude<keyof Tokens, "admin">;

/** The province's users (POST /api/v1/users), by their name in Tokens: they belong to AGENCIES. */
export const PROVINCE_USERS: Record<UserName, Record<string, unknown>> = {
  system: { name: "Đồng bộ", role: "system" },
  inspectorAll: { name: "Thanh tra Sở Nội vụ", role: "inspector", scope: "all" },
  inspectorA: { name: "Thanh tra huyện Ninh Sơn", role: "inspector", scope: AGENCIES.districtA.code },
  inspectorB: { name: "Thanh tra huyện Bác Ái", role: "inspector", scope: AGENCIES.districtB.code },
  officerA: { name: "Nguyễn Thị Một Cửa", role: "officer", agencyCode: AGENCIES.A.code },
  officerB: { name: "Lê Văn Tiếp Nhận", role: "officer", agencyCode: AGENCIES.B.code },
};

export interface SyncResult {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  pending: number;
  rejected: unknown[];
}

export interface SeededServer<U extends UserName = UserName> extends TestServer {
  /** The admin's token and one per user created. */
  tokens: Pick<Tokens, U | "admin">;
  /** Pushes records (POST /api/v1/sync/dossiers as the system user); any rejected record fails. */
  sync(records: readonly unknown[]): Promise<SyncResult>;
}

/**
 * Where a test that needs data starts: startTestServer (real HTTP, fixed `clock`, every answer
 * checked against the OpenAPI document), then through the API as the admin: the `agencies` (parents
 * first; the province tree AGENCIES by default), the `users` (all of PROVINCE_USERS by default, which
 * need the province's agencies), the `procedures` (none by default) and the `records`, pushed as the
 * system user with none rejected.
 */
export async function startSeededServer<U extends UserName = UserName>(
  options: StartOptions & {
    agencies?: readonly AgencyInput[];
    users?: readonly U[];
    procedures?: readonly unknown[];
    records?: readonly unknown[];
  } = {},
): Promise<SeededServer<U>> {
  const server = await startTestServer(options);
  const asAdmin = async (path: string, method: string, json: unknown) =>
    ok(await server.request(path, { method, token: ADMIN_TOKEN, json }));
  try {
    for (const { code, ...agency } of options.agencies ?? Object.values(AGENCIES)) {
      await asAdmin(`/api/v1/agencies/${code}`, "PUT", agency);
    }
    const tokens: Record<string, string> = { admin: ADMIN_TOKEN };
    for (const name of options.users ?? (Object.keys(PROVINCE_USERS) as U[])) {
      tokens[name] = (
        (await asAdmin("/api/v1/users", "POST", PROVINCE_USERS[name])) as { token: string }
      ).token;
    }
    if (options.procedures?.length) await asAdmin("/api/v1/procedures", "POST", options.procedures);
    const seeded: SeededServer<U> = {
      ...server,
      tokens: tokens as Pick<Tokens, U | "admin">,
      async sync(records) {
        const result = (await ok(
          await server.request("/api/v1/sync/dossiers", {
            method: "POST",
            token: tokens.system,
            json: { records },
          }),
        )) as SyncResult;
        if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected)}`);
        return result;
      },
    };
    if (options.records?.length) await seeded.sync(options.records);
    return seeded;
  } catch (error) {
    await server.close();
    throw error;
  }
}
