// A token's life over real HTTP: revoked, rotated (by an admin or by its holder), its user disabled
// and enabled again. Each takes effect on the very next request — the principal cache forgets the
// user, and the console session opened with the token ends — and each is in the audit trail.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { signIn } from "../console/session.js";
import { ok } from "../helpers/seed.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface User {
  id: number;
  name: string;
  disabledAt: string | null;
  tokens: { id: number; revokedAt: string | null }[];
}

const post = async (path: string, token = ADMIN_TOKEN) => server.request(path, { method: "POST", token });
const status = async (token: string) => (await server.request("/api/v1/dossiers", { token })).status;

async function newUser(name: string) {
  return (await ok(
    await server.request("/api/v1/users", {
      method: "POST",
      token: ADMIN_TOKEN,
      json: { name, role: "inspector", scope: "all" },
    }),
  )) as { id: number; token: string };
}

async function userOf(id: number): Promise<User> {
  const { items } = (await ok(await server.request("/api/v1/users", { token: ADMIN_TOKEN }))) as {
    items: User[];
  };
  return items.find((u) => u.id === id) as User;
}

async function auditActions(resourceType: "user" | "api_token", resourceId: number) {
  const rows = await queryRows<{ action: string }>(
    server.database.db,
    sql`SELECT action FROM audit_log WHERE resource_type = ${resourceType} AND resource_id = ${String(resourceId)}
        ORDER BY id`,
  );
  return rows.map((r) => r.action);
}

describe("token lifecycle", () => {
  it("lists users with their tokens' ids, never the tokens", async () => {
    const user = await newUser("Thanh tra A");
    const listed = await userOf(user.id);
    expect(listed.tokens).toEqual([
      { id: expect.any(Number), createdAt: expect.any(String), revokedAt: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain(user.token);
  });

  it("revokes a token at once, even right after it was used (and cached)", async () => {
    const user = await newUser("Thanh tra B");
    expect(await status(user.token)).toBe(200);
    const [token] = (await userOf(user.id)).tokens;
    const revoked = (await ok(await post(`/api/v1/tokens/${token.id}/revoke`))) as { revokedAt: string };
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect(await status(user.token)).toBe(401);
    expect(await auditActions("api_token", token.id)).toEqual(["token.revoke"]);
    // Revoking again changes nothing; rotating a revoked token is refused.
    expect((await post(`/api/v1/tokens/${token.id}/revoke`)).status).toBe(200);
    expect((await post(`/api/v1/tokens/${token.id}/rotate`)).status).toBe(422);
  });

  it("rotates a token: the old one stops, the new one works, the console session ends", async () => {
    const user = await newUser("Thanh tra C");
    const session = await signIn(server, user.token);
    expect((await session.get("/console/reports/repeat-lateness")).status).toBe(200);
    const [token] = (await userOf(user.id)).tokens;
    const rotated = (await ok(await post(`/api/v1/tokens/${token.id}/rotate`))) as {
      id: number;
      token: string;
    };
    expect(rotated.token).not.toBe(user.token);
    expect(await status(user.token)).toBe(401);
    expect(await status(rotated.token)).toBe(200);
    const page = await session.get("/console/reports/repeat-lateness");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toMatch(/^\/console\/login/);
    expect(await auditActions("api_token", token.id)).toEqual(["token.rotate"]);
  });

  it("lets a holder rotate their own token", async () => {
    const user = await newUser("Thanh tra D");
    expect(await status(user.token)).toBe(200);
    const rotated = (await ok(await post("/api/v1/me/token/rotate", user.token))) as { token: string };
    expect(await status(user.token)).toBe(401);
    expect(await status(rotated.token)).toBe(200);
  });

  it("disables a user at once (every token, every session) and enables them again", async () => {
    const user = await newUser("Thanh tra E");
    const second = (await ok(await post(`/api/v1/users/${user.id}/tokens`))) as { token: string };
    const session = await signIn(server, second.token);
    expect(await status(user.token)).toBe(200);
    expect(await status(second.token)).toBe(200);
    const disabled = (await ok(await post(`/api/v1/users/${user.id}/disable`))) as { disabledAt: string };
    expect(disabled.disabledAt).toEqual(expect.any(String));
    expect(await status(user.token)).toBe(401);
    expect(await status(second.token)).toBe(401);
    expect((await session.get("/console/reports/repeat-lateness")).status).toBe(303);
    await ok(await post(`/api/v1/users/${user.id}/enable`));
    expect(await status(user.token)).toBe(200);
    expect(await auditActions("user", user.id)).toEqual([
      "user.create",
      "console.sign_in",
      "user.disable",
      "user.enable",
    ]);
  });

  it("keeps an admin from disabling themselves, and answers 404 for unknown ids", async () => {
    const admin = (await ok(await server.request("/api/v1/users", { token: ADMIN_TOKEN }))) as {
      items: User[];
    };
    const self = admin.items[0];
    expect((await post(`/api/v1/users/${self.id}/disable`)).status).toBe(422);
    expect((await post("/api/v1/users/999999/disable")).status).toBe(404);
    expect((await post("/api/v1/tokens/999999/revoke")).status).toBe(404);
  });
});
