// The pull connector against a real HTTP source on a loopback port: paging, retries after 503s and
// a timeout, clear failure on 4xx, and a resume from the stored cursor after a failure midway.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { queryRows } from "../../src/db/client.js";
import {
  backoffDelay,
  cursorKey,
  type PullConfig,
  PullError,
  pullOnce,
  storedCursor,
} from "../../src/sync/pull.js";
import { catalogueAgencies } from "../helpers/catalogue.js";
import { createTestDatabase } from "../helpers/db.js";
import { canonicalRecord } from "../helpers/records.js";
import { AGENCIES } from "../helpers/seed.js";

const TOTAL = 23;
const records = Array.from({ length: TOTAL }, (_, i) =>
  canonicalRecord({ code: `000.20.20.H47-250124-${String(i + 1).padStart(4, "0")}` }),
);

/** What the source does to the n-th request (1-based); undefined = answer the page. */
type Fault = (n: number, cursor: number) => "503" | "slow" | "401" | "garbage" | undefined;

let server: Server;
let baseUrl: string;
let requests: { cursor: string | null; limit: string | null; auth: string | undefined }[];
let fault: Fault;

function answer(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://source");
  const cursor = url.searchParams.get("cursor");
  const limit = Number(url.searchParams.get("limit"));
  requests.push({ cursor, limit: url.searchParams.get("limit"), auth: req.headers.authorization });
  const start = cursor === null ? 0 : Number(cursor);
  const what = fault(requests.length, start);
  if (what === "503") return res.writeHead(503).end("busy");
  if (what === "401") return res.writeHead(401).end('{"error":"bad token"}');
  if (what === "garbage") return res.writeHead(200, { "content-type": "application/json" }).end("{oops");
  const send = () => {
    const page = records.slice(start, start + limit);
    const end = start + page.length;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ records: page, nextCursor: end < TOTAL ? String(end) : null }));
  };
  if (what === "slow") setTimeout(send, 600).unref();
  else send();
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/export/dossiers`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await catalogueAgencies(database.db, Object.values(AGENCIES));
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db.execute(
    sql`TRUNCATE dossiers, dossier_steps, dossier_pauses, dossier_history, sync_rejections, sync_cursors`,
  );
  requests = [];
  fault = () => undefined;
});

const noWait = async () => {};
const config = (over: Partial<PullConfig> = {}): PullConfig => ({
  sourceUrl: baseUrl,
  token: "source-token",
  format: "canonical",
  pageSize: 5,
  backoffMs: 1,
  ...over,
});
const count = async (table: string) =>
  (await queryRows<{ n: number }>(database.db, sql.raw(`SELECT count(*)::int AS n FROM ${table}`)))[0].n;

describe("pullOnce", () => {
  it("pages through the source with its cursor and bearer token, and commits the last cursor", async () => {
    const result = await pullOnce({ db: database.db, sleep: noWait }, config());
    expect(result).toMatchObject({ pages: 5, records: TOTAL, inserted: TOTAL, rejected: 0, cursor: "20" });
    expect(requests.map((r) => r.cursor)).toEqual([null, "5", "10", "15", "20"]);
    expect(requests.every((r) => r.limit === "5" && r.auth === "Bearer source-token")).toBe(true);
    expect(await count("dossiers")).toBe(TOTAL);
    expect(await storedCursor(database.db, cursorKey(baseUrl))).toBe("20");

    // Caught up: the next pull asks for the last page again and finds nothing new.
    requests = [];
    const again = await pullOnce({ db: database.db, sleep: noWait }, config());
    expect(requests.map((r) => r.cursor)).toEqual(["20"]);
    expect(again).toMatchObject({ pages: 1, inserted: 0, unchanged: 3 });
  });

  it("retries 503s and a timeout with backoff, then goes on", async () => {
    fault = (n) => (n === 1 || n === 2 ? "503" : n === 4 ? "slow" : undefined);
    const waits: number[] = [];
    const result = await pullOnce(
      { db: database.db, sleep: async (ms) => void waits.push(ms) },
      config({ timeoutMs: 150, backoffMs: 100 }),
    );
    expect(result).toMatchObject({ pages: 5, inserted: TOTAL });
    // 503, 503, page 1, timeout on page 2, page 2 … : three retries, each backoff within its band.
    expect(requests.map((r) => r.cursor)).toEqual([null, null, null, "5", "5", "10", "15", "20"]);
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it("gives up after its retries with a clear error, keeping the pages before", async () => {
    fault = (_, cursor) => (cursor === 10 ? "503" : undefined);
    const pulling = pullOnce({ db: database.db, sleep: noWait }, config({ retries: 2 }));
    await expect(pulling).rejects.toThrow(/answered 503; gave up after 3 attempts/);
    expect(await count("dossiers")).toBe(10);
    expect(await storedCursor(database.db, cursorKey(baseUrl))).toBe("10");
  });

  it("fails at once on a 4xx, naming the status, and writes nothing", async () => {
    fault = () => "401";
    const error = await pullOnce({ db: database.db, sleep: noWait }, config()).catch((e) => e);
    expect(error).toBeInstanceOf(PullError);
    expect(error.status).toBe(401);
    expect(error.message).toContain("answered 401");
    expect(requests).toHaveLength(1);
    expect(await count("dossiers")).toBe(0);
  });

  it("resumes from the stored cursor after a failure midway: nothing lost, nothing doubled", async () => {
    fault = (_, cursor) => (cursor === 15 ? "garbage" : undefined);
    await expect(pullOnce({ db: database.db, sleep: noWait }, config())).rejects.toThrow(/malformed JSON/);
    expect(await count("dossiers")).toBe(15);

    fault = () => undefined;
    requests = [];
    const resumed = await pullOnce({ db: database.db, sleep: noWait }, config());
    expect(requests.map((r) => r.cursor)).toEqual(["15", "20"]);
    expect(resumed).toMatchObject({ inserted: TOTAL - 15, unchanged: 0 });
    expect(await count("dossiers")).toBe(TOTAL);
    // One insert each: a status and an appointment entry per dossier, none written twice.
    expect(await count("dossier_history")).toBe(2 * TOTAL);
  });

  it("quarantines a page's invalid records with their position in the pull", async () => {
    const original = records[7];
    records[7] = { ...original, receivedAt: "yesterday" };
    try {
      const result = await pullOnce({ db: database.db, sleep: noWait }, config());
      expect(result).toMatchObject({ inserted: TOTAL - 1, rejected: 1 });
      const [row] = await queryRows<{ source: string; record_index: number }>(
        database.db,
        sql`SELECT source, record_index FROM sync_rejections`,
      );
      expect(row).toEqual({ source: "pull", record_index: 7 });
    } finally {
      records[7] = original;
    }
  });
});

describe("backoffDelay", () => {
  it("doubles per attempt with half of it random, and is capped", () => {
    expect(backoffDelay(0, 500, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, () => 0)).toBe(2000);
    expect(backoffDelay(20, 500, () => 1)).toBe(30_000);
  });
});
