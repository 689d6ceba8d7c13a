// The console's cross-cutting protections (src/http/console-protections.ts, console/errors.tsx):
// a body limit on every form, a Content-Security-Policy on its pages, a 503 page (not a 500) while
// the database is out of reach with nothing of the request in the logs, a CR/LF `next` refused.
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { hashToken } from "../../src/auth/tokens.js";
import { openDatabase } from "../../src/db/client.js";
import { CONSOLE_BODY_LIMIT } from "../../src/http/console-protections.js";
import { loadLetterFonts } from "../../src/pdf/fonts.js";
import { systemClock } from "../../src/runtime/clock.js";
import { createLogger } from "../../src/runtime/logger.js";
import { csrfIn, formBody } from "../console/session.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** The sign-in form's double-submit cookie and field, as a browser holds them. */
async function loginForm() {
  const form = await fetch(`${server.baseUrl}/console/login`);
  const cookie = /osm_login=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")?.[1] ?? "";
  return { cookie: `osm_login=${cookie}`, csrf: csrfIn(await form.text()) };
}

describe("console forms", () => {
  it(`refuses a body over ${CONSOLE_BODY_LIMIT} bytes with a 413 page, before reading it`, async () => {
    // On a connection of its own: the server closes it without reading the rest of the body.
    const answer = await new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
      const upload = request(`${server.baseUrl}/console/login`, {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      upload.on("response", (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, type: response.headers["content-type"] ?? "", text }),
        );
      });
      upload.on("error", reject);
      upload.end(`token=${"a".repeat(CONSOLE_BODY_LIMIT + 1)}`);
    });
    expect(answer.status).toBe(413);
    expect(answer.type).toMatch(/^text\/html/);
    expect(answer.text).toContain("quá lớn");
  });

  it.each([
    ["CR/LF", "/console/dossiers\r\nSet-Cookie: x=1"],
    ["a tab", "/console/\tdossiers"],
    ["another site", "//evil.example/console"],
  ])("signs in and goes to /console when next holds %s", async (_what, next) => {
    const { cookie, csrf } = await loginForm();
    const response = await fetch(`${server.baseUrl}/console/login`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie },
      body: formBody({ _csrf: csrf, token: ADMIN_TOKEN, next }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/console");
  });

  it("keeps a plain console next", async () => {
    const { cookie, csrf } = await loginForm();
    const response = await fetch(`${server.baseUrl}/console/login`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie },
      body: formBody({ _csrf: csrf, token: ADMIN_TOKEN, next: "/console/dossiers?q=An" }),
    });
    expect(response.headers.get("location")).toBe("/console/dossiers?q=An");
  });
});

describe("console pages", () => {
  it("carry a Content-Security-Policy that allows only the console's own scripts", async () => {
    const response = await fetch(`${server.baseUrl}/console/login`);
    await response.arrayBuffer();
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
  });

  it("answer 503 with Retry-After while the database is out of reach, and log no session hash", async () => {
    const database = await openDatabase({ databaseUrl: "postgres://nobody@127.0.0.1:1/none" });
    const logs: string[] = [];
    const app = createApp({
      database,
      clock: systemClock,
      logger: createLogger("debug", (line) => logs.push(line)),
      letterFonts: await loadLetterFonts(),
    });
    const down = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => down.once("listening", () => resolve()));
    try {
      const session = "a-session-id-from-a-cookie";
      const response = await fetch(
        `http://127.0.0.1:${(down.address() as AddressInfo).port}/console/dossiers?q=Nguy%E1%BB%85n%20V%C4%83n%20An`,
        { headers: { cookie: `osm_session=${session}` }, redirect: "manual" },
      );
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.text()).toContain("cơ sở dữ liệu");
      const joined = logs.join("\n");
      expect(joined).toContain('"msg":"database unavailable"');
      for (const secret of [hashToken(session), session, "Nguyễn Văn An", "params:"]) {
        expect(joined).not.toContain(secret);
      }
    } finally {
      await new Promise<void>((resolve) => down.close(() => resolve()));
      await database.close();
    }
  });
});

describe("console logs", () => {
  it("hold no applicant data, token or session after the console's error paths", async () => {
    const applicant = { name: "Phạm Thị Bảo Ngọc", idNumber: "079199004321" };
    const { cookie, csrf } = await loginForm();
    const signedIn = await fetch(`${server.baseUrl}/console/login`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie },
      body: formBody({ _csrf: csrf, token: ADMIN_TOKEN, next: "/console" }),
    });
    const session = /osm_session=([^;]+)/.exec(signedIn.headers.get("set-cookie") ?? "")?.[1] ?? "";
    const asAdmin = { cookie: `osm_session=${session}` };
    const name = encodeURIComponent(applicant.name);
    const pages = [
      `/console/dossiers/${name}?q=${applicant.idNumber}`,
      `/console/dossiers?q=${name}&from=2025-02-30`,
      `/console/reports/repeat-lateness?from=${applicant.idNumber}`,
      `/console/nope/${name}`,
    ];
    for (const page of pages) {
      const response = await fetch(server.baseUrl + page, { headers: asAdmin, redirect: "manual" });
      expect(response.status, page).toBeLessThan(500);
      await response.arrayBuffer();
    }
    const form = await fetch(`${server.baseUrl}/console/users`, {
      method: "POST",
      redirect: "manual",
      headers: asAdmin,
      body: formBody({
        _csrf: "forged",
        name: `${applicant.name}\u0000`,
        role: "officer",
        scope: applicant.idNumber,
      }),
    });
    expect(form.status).toBeLessThan(500);
    const logs = server.logs.join("\n");
    for (const secret of [
      applicant.name,
      applicant.idNumber,
      ADMIN_TOKEN,
      session,
      hashToken(session),
      "params:",
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
