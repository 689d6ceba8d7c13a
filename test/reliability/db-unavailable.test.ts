// The database out of reach: every request fails fast with 503 UNAVAILABLE, Retry-After and a clear
// message (not a 500), and once it is back the same process serves again without a restart.
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createServer, type Server, Socket } from "node:net";
import { serve } from "@hono/node-server";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { ensureAdmin } from "../../src/auth/queries.js";
import { DEFAULT_BREAKER } from "../../src/db/breaker.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { prepareDatabase } from "../../src/db/prepare.js";
import { systemClock } from "../../src/http/clock.js";
import { createLogger } from "../../src/http/logger.js";
import { loadLetterFonts } from "../../src/letters/fonts.js";
import { onPostgres } from "../helpers/db.js";
import { ADMIN_TOKEN } from "../helpers/server.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function serveApp(database: Database) {
  const logs: string[] = [];
  const app = createApp({
    database,
    clock: systemClock,
    logger: createLogger("debug", (line) => logs.push(line)),
    letterFonts: await loadLetterFonts(),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const get = (path: string) => fetch(base + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return { get, logs };
}

async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("5");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("UNAVAILABLE");
  expect(body.error.message).toMatch(/database is not reachable/);
}

/** A TCP relay to the PostgreSQL server that can be cut (refusing and dropping connections) and restored. */
async function relay(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const up = async () => {
    const listening = createServer((client) => {
      const upstream = new Socket();
      sockets.add(client).add(upstream);
      upstream.connect(target.port, target.host);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on("error", drop).on("close", drop);
      upstream.on("error", drop).on("close", drop);
    });
    await new Promise<void>((resolve) => listening.listen(port, "127.0.0.1", () => resolve()));
    port = (listening.address() as AddressInfo).port;
    server = listening;
  };
  const down = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  };
  await up();
  return { port: () => port, up, down };
}

describe("database out of reach", () => {
  it("answers 503 UNAVAILABLE to the API and to /health when nothing listens", async () => {
    const database = await openDatabase({ databaseUrl: "postgres://nobody@127.0.0.1:1/none" });
    cleanups.push(() => database.close());
    const { get, logs } = await serveApp(database);
    await expectUnavailable(await get("/api/v1/dossiers"));
    await expectUnavailable(await get("/api/v1/dossiers/000.20.20.H47-250124-0001"));
    expect((await get("/health")).status).toBe(503);
    // Probes keep failing; the breaker stays open and every answer stays the same 503.
    await new Promise((resolve) => setTimeout(resolve, DEFAULT_BREAKER.probeIntervalMs + 20));
    await expectUnavailable(await get("/api/v1/dossiers"));
    const joined = logs.join("\n");
    expect(joined).toContain('"msg":"database unavailable"');
    expect(joined).not.toContain('"level":"error"');
    expect(joined).not.toContain(ADMIN_TOKEN);
  });

  it.runIf(onPostgres())("recovers by itself when PostgreSQL comes back", async () => {
    const serverUrl = new URL(process.env.TEST_DATABASE_URL as string);
    const name = `osm_down_${randomBytes(4).toString("hex")}`;
    const admin = postgres(serverUrl.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    cleanups.push(async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    const direct = new URL(serverUrl);
    direct.pathname = `/${name}`;
    const setup = await openDatabase({ databaseUrl: direct.toString() });
    await prepareDatabase(setup);
    await ensureAdmin(setup.db, ADMIN_TOKEN);
    await setup.close();

    const cut = await relay({ host: serverUrl.hostname, port: Number(serverUrl.port) });
    cleanups.push(cut.down);
    const viaRelay = new URL(direct);
    viaRelay.port = String(cut.port());
    const database = await openDatabase({ databaseUrl: viaRelay.toString(), maxConnections: 4 });
    cleanups.push(() => database.close());
    const { get } = await serveApp(database);

    expect((await get("/api/v1/dossiers")).status).toBe(200);
    await cut.down();
    await expectUnavailable(await get("/api/v1/dossiers"));
    // The breaker is open: the next requests answer without waiting for a refused connection each.
    const timings: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await expectUnavailable(await get("/api/v1/dossiers"));
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    expect(timings[10]).toBeLessThan(50);
    await expectUnavailable(await get("/health"));
    await cut.up();
    // A request probes every DEFAULT_BREAKER.probeIntervalMs; the first after that closes it.
    const upAt = performance.now();
    let status = 0;
    while (status !== 200 && performance.now() - upAt < 5_000) {
      const response = await get("/api/v1/dossiers");
      status = response.status;
      await response.arrayBuffer();
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(200);
    expect(performance.now() - upAt).toBeLessThan(2_000);
    expect((await get("/health")).status).toBe(200);
  });
});
