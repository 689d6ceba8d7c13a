// Failed token checks are throttled per client address and per token prefix: 429 with Retry-After
// in the one error shape for wrong tokens; a valid token passes whatever its address did (behind a
// proxy or an office NAT, one guesser must not lock out the office); the window ends by itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFailureLimiter, failureKeys } from "../../src/auth/rate-limit.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../helpers/server.js";

describe("createFailureLimiter", () => {
  it("blocks a key after maxFailures inside the window, until the window ends", () => {
    const limiter = createFailureLimiter({ maxFailures: 3, windowMs: 10_000 });
    const keys = ["address:1.2.3.4"];
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter(keys, 1_000)).toBe(0);
      limiter.recordFailure(keys, 1_000 + i);
    }
    expect(limiter.retryAfter(keys, 1_500)).toBe(10);
    expect(limiter.retryAfter(["address:5.6.7.8"], 1_500)).toBe(0);
    expect(limiter.retryAfter(keys, 10_999)).toBe(1);
    expect(limiter.retryAfter(keys, 11_000)).toBe(0);
  });

  it("blocks when any of the keys is blocked, and forgets the oldest keys beyond maxKeys", () => {
    const limiter = createFailureLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 2 });
    limiter.recordFailure(["a"], 0);
    expect(limiter.retryAfter(["b", "a"], 0)).toBe(60);
    limiter.recordFailure(["b", "c"], 0);
    expect(limiter.retryAfter(["a"], 0)).toBe(0);
    expect(limiter.retryAfter(["c"], 0)).toBe(60);
  });

  it("keys a credential by its prefix only", () => {
    expect(failureKeys("::1", "osm_abcdefgh-and-the-rest")).toEqual([
      "address:::1",
      "credential:osm_abcdefgh",
    ]);
  });
});

describe("over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      deps: { authFailures: createFailureLimiter({ maxFailures: 3, windowMs: 60_000 }), trustProxy: true },
    });
  });
  afterAll(() => server.close());

  const from = (address: string, token: string) =>
    server.request("/api/v1/dossiers", { token, headers: { "x-forwarded-for": `10.9.9.9, ${address}` } });

  it("answers 429 with Retry-After to an address's wrong tokens after 3 of them, never to a valid one", async () => {
    for (let i = 0; i < 3; i++) expect((await from("10.0.0.1", `osm_guess-${i}-xxxxxxxx`)).status).toBe(401);
    const refused = await from("10.0.0.1", `osm_guess-9-xxxxxxxx`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(body.error.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    expect((await from("10.0.0.1", ADMIN_TOKEN)).status).toBe(200);
    expect((await from("10.0.0.1", "osm_guess-10-xxxxxxxx")).status).toBe(429);
    expect((await from("10.0.0.2", ADMIN_TOKEN)).status).toBe(200);
    expect((await from("10.0.0.2", "osm_other-0-xxxxxxxx")).status).toBe(401);
  });

  it("answers 429 to one token prefix tried from many addresses", async () => {
    const token = "osm_ZZZZZZZZ-tried-everywhere";
    for (let i = 0; i < 3; i++) expect((await from(`10.1.0.${i}`, token)).status).toBe(401);
    expect((await from("10.1.0.99", token)).status).toBe(429);
    expect((await from("10.1.0.99", "osm_YYYYYYYY-another")).status).toBe(401);
  });

  it("lets a valid token through while guesses at its prefix are refused", async () => {
    const near = (i: number) => `${ADMIN_TOKEN.slice(0, 12)}-guess-${i}`;
    for (let i = 0; i < 3; i++) expect((await from(`10.3.0.${i}`, near(i))).status).toBe(401);
    expect((await from("10.3.0.50", near(50))).status).toBe(429);
    expect((await from("10.3.0.51", ADMIN_TOKEN)).status).toBe(200);
  });

  it("counts neither missing tokens nor good ones", async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (await server.request("/api/v1/dossiers", { headers: { "x-forwarded-for": "10.2.0.1" } })).status,
      ).toBe(401);
      expect((await from("10.2.0.2", ADMIN_TOKEN)).status).toBe(200);
    }
  });

  it("logs no token, not even a refused one", () => {
    const logs = server.logs.join("\n");
    expect(logs).toContain('"status":429');
    for (const secret of [ADMIN_TOKEN, "osm_guess", "osm_ZZZZZZZZ", "osm_YYYYYYYY"]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe("security headers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it.each(["/console/login", "/api/v1/dossiers", "/health"])("are sent on %s", async (path) => {
    const response = await server.request(path);
    await response.arrayBuffer();
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });
});
