// Every route of the OpenAPI table fuzzed (fast-check): random, hostile and malformed path
// parameters, queries and bodies, under every role — at least FUZZ_TOTAL (10,000) requests a run.
// Never a 500; every error in the one shape; a refused request writes nothing; bodies over the
// limit get 413; injection strings in filters and codes are inert; and the logs of it all hold no
// token, applicant name or identity number. Issue 15's inputs are among them: impossible dates
// (30 February, years 0 and 9999, 24:00), integers past what a column holds, cursors holding those,
// lone surrogates, U+0000 and CR/LF in any text, bodies nested deeper or wider than any request.
import { connect } from "node:net";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, OPENAPI_CONFIG } from "../../src/app.js";
import { queryRows } from "../../src/db/client.js";
import type { AppDeps } from "../../src/http/context.js";
import { errorFields } from "../../src/runtime/logger.js";
import { SYNC_BODY_LIMIT } from "../../src/sync/routes.js";
import { createTestDatabase } from "../helpers/db.js";
import { canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { ADMIN_TOKEN, type SeededServer, startSeededServer } from "../helpers/server.js";

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}
interface OperationDoc {
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: SchemaNode }> };
  "x-access"?: unknown;
}

const document = createApp({} as AppDeps).getOpenAPI31Document(OPENAPI_CONFIG);
const components = (document.components?.schemas ?? {}) as Record<string, SchemaNode>;

/** Property names of a body schema, two levels down: the keys a fuzzed body is made of. */
function keysOf(node: SchemaNode | undefined, depth = 0, seen = new Set<string>()): Set<string> {
  if (!node || depth > 3) return seen;
  const resolved = node.$ref ? components[node.$ref.split("/").pop() as string] : node;
  for (const [key, child] of Object.entries(resolved?.properties ?? {})) {
    seen.add(key);
    keysOf(child, depth + 1, seen);
  }
  for (const child of [resolved?.items, ...(resolved?.anyOf ?? []), ...(resolved?.oneOf ?? [])]) {
    keysOf(child, depth + 1, seen);
  }
  return seen;
}

interface Route {
  method: string;
  template: string;
  pathParams: string[];
  queryParams: string[];
  bodyKeys: string[] | null;
}
const routes: Route[] = Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
  Object.entries(item as Record<string, OperationDoc>)
    .filter(([, op]) => op["x-access"])
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      pathParams: (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name),
      queryParams: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
      bodyKeys: op.requestBody
        ? [...keysOf(op.requestBody.content["application/json"]?.schema)]
        : op.requestBody === undefined && method !== "get"
          ? []
          : null,
    })),
);

/** A list cursor as the service encodes one ([receivedAt, code] as base64url JSON), holding anything. */
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

const APPLICANT = { name: "Phạm Thị Bảo Ngọc", idNumber: "079199004321" };
const DOSSIER = "000.20.20.H47-250124-0101";
const LETTERED = "000.20.20.H47-250124-0102";

/** What an attacker types into a filter or a code. */
const HOSTILE = [
  "' OR '1'='1",
  "'; DROP TABLE dossiers; --",
  "1; SELECT pg_sleep(5)",
  "' UNION SELECT token_hash FROM api_tokens --",
  "%",
  "_",
  "%_%",
  "\\",
  "*/",
  "$1",
  "$" + "{jndi:ldap://x}",
  "../../etc/passwd",
  "000.00.00.H47/000.00.20.H47",
  "<script>alert(1)</script>",
  "\u0000",
  "\ud800",
  "ễ".repeat(5000),
  "1e309",
  "-1",
  "0",
  "99999999999999999999",
  "2025-02-30T10:00:00+07:00",
  "NaN",
  "true",
  "null",
  "[]",
  "{}",
  "99999999999",
  "2147483648",
  "-2147483649",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "2025-02-29T10:00:00+07:00",
  "2025-01-01T24:00:00+07:00",
  "2025-01-01T10:00:00+25:00",
  "1989-12-31T23:59:59+07:00",
  "2100-01-01T00:00:00+07:00",
  "2025-02-30",
  "0000-01-01",
  "9999-12-31",
  "line\r\nSet-Cookie: x=1",
  "\ud800\u0000",
  "\udfffa",
  cursorOf(["2025-02-30T00:00:00.000Z", DOSSIER]),
  cursorOf(["0000-01-01T00:00:00.000Z", DOSSIER]),
  cursorOf([1e300, DOSSIER]),
  cursorOf(["2025-01-01T00:00:00.000Z", "\u0000"]),
  Buffer.from("99999999999999999999999").toString("base64url"),
];
const hostile = fc.constantFrom(...HOSTILE);
const plausible = fc.constantFrom(
  DOSSIER,
  LETTERED,
  AGENCIES.A.code,
  AGENCIES.B.code,
  "1",
  "2",
  "2025",
  "2025-09-02",
  "2025-02-07T10:00:00+07:00",
  "Xây dựng",
  "json",
  "csv",
  "pdf",
  "late",
  "overdue",
  APPLICANT.name,
);
const text = fc.oneof(
  hostile,
  plausible,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 12 }),
);
/** Nested deeper than any request (the JSON guard's 32), or wider than any (10,000). */
const deep = (levels: number): unknown => {
  let node: unknown = "fond";
  for (let i = 0; i < levels; i++) node = i % 2 ? { nested: node } : [node];
  return node;
};
const oversized = fc.constantFrom(
  deep(40),
  deep(2_000),
  Array.from({ length: 10_001 }, (_, i) => i),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, -1, 0, 1.5, 1e308, 2 ** 53, 2 ** 31, [], {}) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(null).chain(() => oversized) },
);

const TOKEN_ROLES = ["admin", "system", "inspectorA", "officerA", "officerB"] as const;

interface Fuzzed {
  role: (typeof TOKEN_ROLES)[number];
  path: Record<string, string>;
  query: Record<string, string>;
  body: { kind: "json"; value: unknown } | { kind: "raw"; text: string; type: string } | null;
}

function fuzzedRequest(route: Route): fc.Arbitrary<Fuzzed> {
  const pathArb = fc.record(
    Object.fromEntries(route.pathParams.map((p) => [p, text])) as Record<string, fc.Arbitrary<string>>,
  );
  const queryArb = fc.dictionary(fc.constantFrom(...route.queryParams, "unknownParam"), text, { maxKeys: 4 });
  const keys = route.bodyKeys ?? [];
  const objectBody = fc.dictionary(keys.length ? fc.constantFrom(...keys) : fc.string(), value, {
    maxKeys: 6,
  });
  const bodyArb =
    route.bodyKeys === null
      ? fc.constant(null)
      : fc.oneof(
          { weight: 4, arbitrary: objectBody.map((v) => ({ kind: "json" as const, value: v })) },
          {
            weight: 1,
            arbitrary: fc
              .array(objectBody, { maxLength: 3 })
              .map((items) => ({ kind: "json" as const, value: keys.includes("items") ? { items } : items })),
          },
          { weight: 1, arbitrary: value.map((v) => ({ kind: "json" as const, value: v })) },
          {
            weight: 1,
            arbitrary: fc
              .record({
                text: fc.constantFrom("{", "[1,", "", "{'a':1}", '{"a":1}}', "\u0000", "nul"),
                type: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
              })
              .map((raw) => ({ kind: "raw" as const, ...raw })),
          },
        );
  return fc.record({ role: fc.constantFrom(...TOKEN_ROLES), path: pathArb, query: queryArb, body: bodyArb });
}

/** Percent-encoded as a client would send it: a lone surrogate cannot be, it becomes U+FFFD. */
const encode = (text: string) =>
  encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  );

function urlOf(route: Route, f: Pick<Fuzzed, "path" | "query">): string {
  const path = route.template.replace(/\{(\w+)\}/g, (_, name: string) => encode(f.path[name] ?? "x"));
  const query = Object.entries(f.query)
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join("&");
  return query ? `${path}?${query}` : path;
}

let server: SeededServer;
let tokens: Tokens;
let tables: string[] = [];

/** Per table, its row count and the newest row version (xmin): any insert, update or delete shows. */
async function fingerprint(): Promise<string> {
  const parts = tables.map(
    (t) =>
      `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text AS f FROM "${t}"`,
  );
  const rows = await queryRows<{ t: string; f: string }>(
    server.database.db,
    sql.raw(parts.join(" UNION ALL ")),
  );
  return rows
    .map((r) => `${r.t}=${r.f}`)
    .sort()
    .join(",");
}

beforeAll(async () => {
  server = await startSeededServer({
    records: [
      canonicalRecord({
        code: DOSSIER,
        applicant: { ...(canonicalRecord().applicant as object), ...APPLICANT },
      }),
      canonicalRecord({ code: LETTERED }),
    ],
  });
  ({ tokens } = server);
  const draft = (await ok(
    await server.request(`/api/v1/dossiers/${LETTERED}/apology/suggestion`, { token: tokens.officerA }),
  )) as { newDueAt: string };
  await ok(
    await server.request(`/api/v1/dossiers/${LETTERED}/apology`, {
      method: "POST",
      token: tokens.officerA,
      json: {
        reason: "Chờ ý kiến",
        newDueAt: draft.newDueAt,
        signerName: "Lê Văn Cường",
        signerTitle: "CHỦ TỊCH",
      },
    }),
  );
  tables = (
    await queryRows<{ tablename: string }>(
      server.database.db,
      sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    )
  ).map((r) => r.tablename);
});
afterAll(() => server.close());

/** Requests a run generates at least (FUZZ_TOTAL), spread evenly over the routes. */
const TOTAL = Number(process.env.FUZZ_TOTAL ?? 10_000);
const runsPerRoute = Math.ceil(TOTAL / Math.max(routes.length, 1));
let generated = 0;
/** The tables' fingerprint as of a write mark: the next request's "before" while the mark holds. */
let known: { mark: string; tables: string } | null = null;

/**
 * Moves whenever a transaction writes (takes a transaction id), and only then: comparing it before
 * and after a refused request spares the fingerprint of every table for the requests (most of them)
 * that wrote nothing.
 */
async function writeMark(): Promise<string> {
  const [row] = await queryRows<{ mark: string }>(
    server.database.db,
    sql`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS mark`,
  );
  return row.mark;
}

/**
 * A request, sent again once if the kept-alive socket it went out on was closed under it: the server
 * gives up draining a refused body after 500 ms (@hono/node-server), and in-process PGlite can hold
 * the event loop that long. The closed socket never carried the request, so nothing ran twice.
 */
async function requestOnFreshSocketIfClosed(
  path: string,
  init: RequestInit & { token?: string; json?: unknown },
) {
  try {
    return await server.request(path, init);
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw error;
    return server.request(path, init);
  }
}

/** The tables whose fingerprints differ. */
function changed(before: string, after: string): string {
  const was = new Set(before.split(","));
  return after
    .split(",")
    .filter((t) => !was.has(t))
    .join(", ");
}

/** Routes that revoke, rotate or disable: the tokens the fuzz signs with must survive them. */
const LIFECYCLE = /^\/api\/v1\/(me\/|tokens\/|users\/\{id\}\/)/;

/** Every user enabled and every token valid again (the principal cache re-reads them), as seeded. */
async function restoreTokens(): Promise<void> {
  await server.database.db.execute(sql`UPDATE users SET disabled_at = NULL WHERE disabled_at IS NOT NULL`);
  await server.database.db.execute(sql`UPDATE api_tokens SET revoked_at = NULL WHERE revoked_at IS NOT NULL`);
}

describe("every route, fuzzed", () => {
  it("has routes to fuzz", () => {
    expect(routes.length).toBeGreaterThan(20);
  });

  it.each(routes.map((r) => [`${r.method} ${r.template}`, r] as const))(
    "%s: never a 500, errors in one shape, nothing written when refused",
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(fuzzedRequest(route), async (f) => {
          generated++;
          const mark = await writeMark();
          const before = known?.mark === mark ? known.tables : await fingerprint();
          const init: RequestInit & { token?: string; json?: unknown } = {
            method: route.method,
            token: tokens[f.role],
          };
          if (f.body?.kind === "json") init.json = f.body.value;
          if (f.body?.kind === "raw") {
            init.body = f.body.text;
            init.headers = { "content-type": f.body.type };
          }
          const response = await requestOnFreshSocketIfClosed(urlOf(route, f), init);
          const label = `${route.method} ${urlOf(route, f)} ${JSON.stringify(f.body)?.slice(0, 300)}`;
          expect(response.status, label).toBeLessThan(500);
          // Node's HTTP parser answers an oversized URL itself (431, no body), before the app.
          if (response.status === 431) return;
          if (response.status >= 400) {
            const body = (await response.json()) as { error: { code: string; message: string } };
            expect(typeof body.error.code, label).toBe("string");
            expect(body.error.message, label).not.toBe("");
            // No transaction took a transaction id: nothing was written. Else the tables say.
            const after = await writeMark();
            const tables = after === mark ? before : await fingerprint();
            known = { mark: after, tables };
            expect(tables, `${label} answered ${response.status}, wrote ${changed(before, tables)}`).toBe(
              before,
            );
          } else {
            await response.arrayBuffer();
            if (LIFECYCLE.test(route.template)) await restoreTokens();
          }
        }),
        { numRuns: runsPerRoute },
      );
    },
    600_000,
  );

  it(`generated at least ${TOTAL} requests`, () => {
    expect(generated).toBeGreaterThanOrEqual(TOTAL);
  });
});

/**
 * The status line the server answers to a body it refuses before reading it: over a raw socket,
 * because fetch gives up on a request whose upload the server cut short (as it should).
 */
function statusOfUpload(
  baseUrl: string,
  head: { method: string; path: string; headers: Record<string, string> },
  chunks: () => Buffer | null,
): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    let done = false;
    socket.on("data", (data) => {
      answer += data.toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match && !done) {
        done = true;
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on("error", (error) => (done ? undefined : reject(error)));
    const lines = [`${head.method} ${head.path} HTTP/1.1`, `Host: ${hostname}:${port}`];
    for (const [name, v] of Object.entries(head.headers)) lines.push(`${name}: ${v}`);
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    const pump = () => {
      if (done || socket.destroyed) return;
      const chunk = chunks();
      if (chunk === null) return;
      if (socket.write(chunk)) setImmediate(pump);
      else socket.once("drain", pump);
    };
    pump();
  });
}

describe("bodies over the limit", () => {
  const withBody = routes.filter((r) => r.bodyKeys !== null);
  const MB = Buffer.alloc(1024 * 1024, "a");

  it.each(withBody.map((r) => [`${r.method} ${r.template}`, r] as const))("%s: 413", async (_name, route) => {
    const limit = route.template.startsWith("/api/v1/sync/") ? SYNC_BODY_LIMIT : 2 * 1024 * 1024;
    let sent = 0;
    const status = await statusOfUpload(
      server.baseUrl,
      {
        method: route.method,
        path: urlOf(route, { path: { code: DOSSIER, id: "1" }, query: {} }),
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          "content-type": "application/json",
          "content-length": String(limit + 1),
        },
      },
      () => {
        if (sent > limit) return null;
        sent += MB.length;
        return MB;
      },
    );
    expect(status).toBe(413);
  });

  it("413 for a chunked body without Content-Length too", async () => {
    let sent = 0;
    const status = await statusOfUpload(
      server.baseUrl,
      {
        method: "POST",
        path: "/api/v1/procedures",
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          "content-type": "application/json",
          "transfer-encoding": "chunked",
        },
      },
      () => {
        if (sent > 4 * MB.length) return null;
        sent += MB.length;
        return Buffer.concat([Buffer.from(`${MB.length.toString(16)}\r\n`), MB, Buffer.from("\r\n")]);
      },
    );
    expect(status).toBe(413);
  });
});

describe("injection in filters and codes", () => {
  const list = async (token: string, query: Record<string, string>) => {
    const search = Object.entries(query).map(([k, v]) => `${k}=${encode(v)}`);
    const response = await server.request(`/api/v1/dossiers?${search.join("&")}`, { token });
    return { status: response.status, body: (await response.json()) as { items?: { code: string }[] } };
  };

  // Node answers 431 itself to a URL over its header limit: those never reach the app.
  const SHORT = HOSTILE.filter((h) => encode(h).length < 4000);

  it("finds nothing with SQL or LIKE syntax in the list's filters", async () => {
    for (const attack of SHORT) {
      for (const name of ["agency", "procedure", "q", "state", "cursor"]) {
        const { status, body } = await list(ADMIN_TOKEN, { [name]: attack });
        expect(status, `${name}=${attack}`).toBeLessThan(500);
        if (status === 200 && name !== "q") expect(body.items, `${name}=${attack}`).toEqual([]);
      }
    }
    // q is a substring search: its wildcards are taken literally.
    for (const attack of ["%", "_", "%_%", "\\"])
      expect((await list(ADMIN_TOKEN, { q: attack })).body.items).toEqual([]);
  });

  it("answers 404 to hostile dossier codes and letter ids, and 400 to unparsable ones", async () => {
    for (const attack of SHORT) {
      for (const path of [`/api/v1/dossiers/${encode(attack)}`, `/api/v1/letters/${encode(attack)}`]) {
        const response = await server.request(path, { token: ADMIN_TOKEN });
        expect([400, 404], `${path}`).toContain(response.status);
      }
    }
  });

  it("refuses an agency code with '/', which would forge a place in the agency tree", async () => {
    const forged = `${AGENCIES.province.code}/${AGENCIES.districtA.code}`;
    const pushed = (await ok(
      await server.request("/api/v1/sync/dossiers", {
        method: "POST",
        token: tokens.system,
        json: { records: [canonicalRecord({ code: "FORGED-1", agencyCode: forged })] },
      }),
    )) as { rejected: { errors: { path: string }[] }[] };
    expect(pushed.rejected[0].errors.map((e) => e.path)).toEqual(["agencyCode"]);
    const put = await server.request(`/api/v1/agencies/${encodeURIComponent("X/Y")}`, {
      method: "PUT",
      token: ADMIN_TOKEN,
      json: { name: "Giả mạo", shortCode: "GM", parentCode: AGENCIES.province.code },
    });
    expect(put.status).toBe(400);
  });

  it("keeps a subtree scope literal when an agency code holds LIKE wildcards", async () => {
    const agency = async (code: string) =>
      ok(
        await server.request(`/api/v1/agencies/${encodeURIComponent(code)}`, {
          method: "PUT",
          token: ADMIN_TOKEN,
          json: { name: `UBND ${code}`, shortCode: `X${code}`, parentCode: AGENCIES.province.code },
        }),
      );
    await agency("W_1");
    await agency("WZ1");
    await server.sync([canonicalRecord({ code: "WZ1-0001", agencyCode: "WZ1", agencyName: "UBND WZ1" })]);
    const inspector = (await ok(
      await server.request("/api/v1/users", {
        method: "POST",
        token: ADMIN_TOKEN,
        json: { name: "Thanh tra W_1", role: "inspector", scope: "W_1" },
      }),
    )) as { token: string };
    expect((await list(inspector.token, {})).body.items).toEqual([]);
    expect((await server.request("/api/v1/dossiers/WZ1-0001", { token: inspector.token })).status).toBe(404);
  });
});

describe("logs", () => {
  it("hold no token, applicant name or identity number after all of the above", () => {
    const logs = server.logs.join("\n");
    expect(logs).toContain('"msg":"request"');
    const applicant = canonicalRecord().applicant as { name: string; idNumber: string };
    for (const secret of [
      ...Object.values(tokens),
      APPLICANT.name,
      APPLICANT.idNumber,
      applicant.name,
      applicant.idNumber,
      "params:",
    ]) {
      expect(logs).not.toContain(secret);
    }
  });

  it("describe a failed query without its parameters or the values PostgreSQL quotes", async () => {
    const database = await createTestDatabase();
    try {
      const error = await database.db
        .execute(sql`SELECT ${APPLICANT.name}::int, ${APPLICANT.idNumber}::date`)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).not.toBeNull();
      const logged = JSON.stringify(errorFields(error));
      expect(logged).toContain("22");
      expect(logged).not.toContain(APPLICANT.name);
      expect(logged).not.toContain(APPLICANT.idNumber);
    } finally {
      await database.close();
    }
  });
});
