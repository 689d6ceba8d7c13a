// Token look-ups are remembered for a moment (src/auth/principal-cache.ts): a revocation or a
// disabled user made elsewhere (here: SQL, as another process would) takes effect within the
// cache's time, one told to this process at once, and unknown tokens are never remembered.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrincipalCache } from "../../src/auth/principal-cache.js";
import { createUser } from "../../src/auth/queries.js";
import { hashToken } from "../../src/auth/tokens.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../helpers/server.js";

const TTL_MS = 300;
const principals = createPrincipalCache({ ttlMs: TTL_MS });
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ deps: { principals } });
});
afterAll(async () => {
  await server?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const status = async (token: string) => (await server.request("/api/v1/dossiers", { token })).status;

async function newInspector(name: string) {
  return createUser(server.database.db, { name, role: "inspector", scopeKind: "all", scopeAgencyCode: null });
}

describe("the principal cache", () => {
  it("stops a token revoked elsewhere within its time", async () => {
    const { token, id } = await newInspector("Thanh tra A");
    const remembered = performance.now();
    expect(await status(token)).toBe(200);
    await server.database.db.execute(sql`UPDATE api_tokens SET revoked_at = now() WHERE user_id = ${id}`);
    const again = await status(token);
    // Remembered: the other process's revocation is not seen yet — when the machine answered within
    // the entry's time (a loaded machine may take longer, and then the entry has rightly expired)…
    if (performance.now() - remembered < TTL_MS) expect(again).toBe(200);
    await sleep(TTL_MS + 50);
    // …and is once the moment has passed.
    expect(await status(token)).toBe(401);
  });

  it("stops a user disabled elsewhere within its time", async () => {
    const { token, id } = await newInspector("Thanh tra B");
    expect(await status(token)).toBe(200);
    await server.database.db.execute(sql`UPDATE users SET disabled_at = now() WHERE id = ${id}`);
    await sleep(TTL_MS + 50);
    expect(await status(token)).toBe(401);
  });

  it("forgets at once what this process is told", async () => {
    const { token, id } = await newInspector("Thanh tra C");
    expect(await status(token)).toBe(200);
    await server.database.db.execute(sql`UPDATE api_tokens SET revoked_at = now() WHERE user_id = ${id}`);
    principals.forgetUser(id);
    expect(await status(token)).toBe(401);
  });

  it("never remembers an unknown token: it works as soon as it is created", async () => {
    const token = "osm_not_yet_created_0123456789abcdef0123456789";
    expect(await status(token)).toBe(401);
    const { id } = await newInspector("Thanh tra D");
    await server.database.db.execute(
      sql`INSERT INTO api_tokens (user_id, token_hash) VALUES (${id}, ${hashToken(token)})`,
    );
    expect(await status(token)).toBe(200);
    expect(await status(ADMIN_TOKEN)).toBe(200);
  });

  it("expires entries and keeps at most maxEntries", () => {
    const cache = createPrincipalCache({ ttlMs: 1_000, maxEntries: 2 });
    const p = (userId: number) => ({
      userId,
      name: `u${userId}`,
      role: "admin" as const,
      scopeKind: "all" as const,
      scopeAgencyCode: null,
      scopePath: null,
    });
    cache.set("a", p(1), 0);
    cache.set("b", p(2), 0);
    cache.set("c", p(3), 0);
    expect(cache.get("a", 10)).toBeUndefined();
    expect(cache.get("b", 10)?.userId).toBe(2);
    expect(cache.get("c", 999)?.userId).toBe(3);
    expect(cache.get("c", 1_000)).toBeUndefined();
  });
});
