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
import { prepareDatabase } from "../../src/calendar/prepare-database.js";
import { DEFAULT_BREAKER } from "../../src/db/breaker.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { loadLetterFonts } from "../../src/pdf/fonts.js";
import { systemClock } from "../../src/runtime/clock.js";
import { createLogger } from "../../src/runtime/logger.js";
import type { SweepSettings } from "../../src/sweep/run.js";
import { onPostgres } from "../helpers/db.js";
import { ADMIN_TOKEN } from "../helpers/server.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function serveApp(database: Database, sweep?: SweepSettings) {
  const logs: string[] = [];
  const app = createApp({
    database,
    clock: systemClock,
    logger: createLogger("debug", (line) => logs.push(line)),
    letterFonts: await loadLetterFonts(),
    sweep,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const get = (path: string) => fetch(base + path, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const post = (path: string, json: unknown) =>
    fetch(base + path, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(json),
    });
  return { get, post, logs };
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

/** A fresh database on TEST_DATABASE_URL's server, reached by the app through a relay that can be cut. */
async function behindRelay(sweep?: SweepSettings) {
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
  return { ...(await serveApp(database, sweep)), cut };
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
    const { get, cut } = await behindRelay();
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

  it.runIf(onPostgres())(
    "answers 503 to a sweep the database left midway, and runs the next one (its lease taken over, no 409)",
    async () => {
      let cutNow: () => void = () => {};
      const cutAsked = new Promise<void>((resolve) => (cutNow = resolve));
      let pulled: () => void = () => {};
      const pullAnswered = new Promise<void>((resolve) => (pulled = resolve));
      // The pull source answers once the relay is cut: the sweep meets the outage between statements.
      const source = async () => {
        cutNow();
        await pullAnswered;
        return new Response(JSON.stringify({ records: [], nextCursor: null }), {
          headers: { "content-type": "application/json" },
        });
      };
      const { post, get, cut } = await behindRelay({
        pullSource: {
          sourceUrl: "http://source.invalid/export",
          format: "canonical",
          fetch: source as typeof fetch,
        },
      });
      const sweeping = post("/api/v1/sweeps", { full: true });
      await cutAsked;
      await cut.down();
      pulled();
      await expectUnavailable(await sweeping);
      await cut.up();
      let next = 0;
      for (let tries = 0; tries < 100 && next !== 201; tries++) {
        const response = await post("/api/v1/sweeps", { full: true });
        next = response.status;
        expect([201, 503], await response.clone().text()).toContain(next);
        await response.arrayBuffer();
        if (next !== 201) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(next).toBe(201);
      const { items } = (await (await get("/api/v1/sweeps")).json()) as {
        items: { status: string; errors: string[] }[];
      };
      expect(items.map((r) => r.status)).toEqual(["succeeded", "failed"]);
    },
  );
});
