// Generated from the route table: every protected route is tried with no token (401), with each
// role it does not allow (403) and, when scoped, from another agency's scope (404) next to the same
// request from inside the scope (2xx), on whichever database the suite runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, OPENAPI_CONFIG } from "../../src/app.js";
import type { Role } from "../../src/auth/schema.js";
import type { AppDeps } from "../../src/http/context.js";
import { canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

interface Access {
  roles: Role[];
  scoped: boolean;
}
interface Operation {
  method: string;
  template: string;
  access: Access | undefined;
}

// Building the document touches no dependency: routes only read deps when they are called.
const document = createApp({} as AppDeps).getOpenAPI31Document(OPENAPI_CONFIG);
const operations: Operation[] = Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
  Object.entries(item as Record<string, { "x-access"?: Access }>).map(([method, op]) => ({
    method: method.toUpperCase(),
    template,
    access: op["x-access"],
  })),
);
const protectedOps = operations.filter((o) => o.access);
const PUBLIC = new Set(["GET /health"]);

const DOSSIER_OF_A = canonicalRecord().code as string;
/** Dossiers of A for the letter routes: one gets its letter in beforeAll, one is left for the batch. */
const LETTERED_OF_A = "000.20.20.H47-250124-0002";
const BATCHED_OF_A = "000.20.20.H47-250124-0003";
/** Set in beforeAll: an apology request valid now (the suggested new appointment) and A's letter. */
let apology: Record<string, string> = {};
const letterOfA = { id: "" };
const YEAR_2025 = { from: "2025-01-01", to: "2026-01-01" };

/** A request on a resource of agency A, for each scoped route: the route table cannot grow without one. */
const IN_AGENCY_A: Record<
  string,
  { path: Record<string, string>; query?: Record<string, string>; json?: () => unknown }
> = {
  "GET /api/v1/agencies/{code}": { path: { code: AGENCIES.A.code } },
  "GET /api/v1/agencies/{code}/aliases": { path: { code: AGENCIES.A.code } },
  "GET /api/v1/dossiers": { path: {}, query: { agency: AGENCIES.A.code } },
  "GET /api/v1/dossiers/{code}": { path: { code: DOSSIER_OF_A } },
  "GET /api/v1/dossiers/{code}/ledger": { path: { code: DOSSIER_OF_A } },
  "GET /api/v1/violations": { path: {}, query: { agency: AGENCIES.A.code } },
  "GET /api/v1/digest": { path: {}, query: { agency: AGENCIES.A.code } },
  "POST /api/v1/dossiers/{code}/apology": { path: { code: DOSSIER_OF_A }, json: () => apology },
  "GET /api/v1/dossiers/{code}/apology/suggestion": { path: { code: DOSSIER_OF_A } },
  "POST /api/v1/letters/batch": {
    path: {},
    json: () => ({ items: [{ dossierCode: BATCHED_OF_A, ...apology }] }),
  },
  "GET /api/v1/letters/combined": {
    path: {},
    get query() {
      return { ids: letterOfA.id };
    },
  },
  "GET /api/v1/letters/{id}": { path: letterOfA },
  "GET /api/v1/letters/{id}/pdf": { path: letterOfA },
  "POST /api/v1/letters/{id}/corrections": {
    path: letterOfA,
    json: () => ({ reason: "Sửa lỗi chính tả", changes: { signerName: "Lê Văn Cương" } }),
  },
  "POST /api/v1/letters/{id}/deliveries": { path: letterOfA, json: () => ({ channel: "in_person" }) },
  "GET /api/v1/reports/repeat-lateness": { path: {}, query: { agency: AGENCIES.A.code, ...YEAR_2025 } },
  "GET /api/v1/reports/compliance": { path: {}, query: { agency: AGENCIES.A.code, ...YEAR_2025 } },
  // The canonical record's step of cb-001 is late (due 5/2/2025, still open), so it is attributed.
  "POST /api/v1/justifications": {
    path: {},
    json: () => ({
      dossierCode: DOSSIER_OF_A,
      officialId: "cb-001",
      accepted: true,
      reason: "Lý do chính đáng",
    }),
  },
};

const bodyOf = (o: Operation) => (o.method === "GET" || o.method === "HEAD" ? undefined : {});
const key = (o: Operation) => `${o.method} ${o.template}`;
function url(o: Operation, sample?: { path: Record<string, string>; query?: Record<string, string> }) {
  const path = o.template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(sample?.path[name] ?? "x"),
  );
  const query = sample?.query ? `?${new URLSearchParams(sample.query)}` : "";
  return path + query;
}

const TOKEN_OF_ROLE: Record<Role, keyof Tokens> = {
  admin: "admin",
  system: "system",
  inspector: "inspectorA",
  officer: "officerA",
};
const OUTSIDE_A: Partial<Record<Role, keyof Tokens>> = { officer: "officerB", inspector: "inspectorB" };

let server: SeededServer;
let tokens: Tokens;
beforeAll(async () => {
  server = await startSeededServer({
    records: [DOSSIER_OF_A, LETTERED_OF_A, BATCHED_OF_A].map((code) => canonicalRecord({ code })),
  });
  ({ tokens } = server);
  const draft = (await ok(
    await server.request(`/api/v1/dossiers/${LETTERED_OF_A}/apology/suggestion`, { token: tokens.officerA }),
  )) as { newDueAt: string };
  apology = {
    reason: "Chờ ý kiến cơ quan phối hợp",
    newDueAt: draft.newDueAt,
    signerName: "Lê Văn Cường",
    signerTitle: "CHỦ TỊCH",
  };
  const letter = (await ok(
    await server.request(`/api/v1/dossiers/${LETTERED_OF_A}/apology`, {
      method: "POST",
      token: tokens.officerA,
      json: apology,
    }),
  )) as { id: number };
  letterOfA.id = String(letter.id);
});
afterAll(() => server.close());

describe("route table", () => {
  it("marks every route but the public ones with its access", () => {
    const unmarked = operations.filter((o) => !o.access).map(key);
    expect(unmarked.filter((k) => !PUBLIC.has(k))).toEqual([]);
    expect(protectedOps.length).toBeGreaterThan(2);
  });

  it("has a sample in agency A for every scoped route", () => {
    const missing = protectedOps.filter((o) => o.access?.scoped && !IN_AGENCY_A[key(o)]).map(key);
    expect(missing).toEqual([]);
  });
});

describe.each(protectedOps.map((o) => [key(o), o] as const))("%s", (_name, op) => {
  const access = op.access as Access;

  it("answers 401 without a token, and with a wrong one", async () => {
    for (const token of [undefined, "osm_not-a-real-token"]) {
      const res = await server.request(url(op, IN_AGENCY_A[key(op)]), {
        method: op.method,
        token,
        json: bodyOf(op),
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe("UNAUTHORIZED");
    }
  });

  const forbidden = (["admin", "system", "inspector", "officer"] as Role[]).filter(
    (r) => !access.roles.includes(r),
  );
  it.runIf(forbidden.length > 0)(`answers 403 to ${forbidden.join(", ")}`, async () => {
    for (const role of forbidden) {
      const res = await server.request(url(op, IN_AGENCY_A[key(op)]), {
        method: op.method,
        token: tokens[TOKEN_OF_ROLE[role]],
        json: bodyOf(op),
      });
      expect(res.status, role).toBe(403);
    }
  });

  const scopedRoles = access.roles.filter((r) => OUTSIDE_A[r]);
  it.runIf(access.scoped && scopedRoles.length > 0)(
    "answers 404 out of scope and 2xx within it",
    async () => {
      const sample = IN_AGENCY_A[key(op)];
      for (const role of scopedRoles) {
        const outside = await server.request(url(op, sample), {
          method: op.method,
          token: tokens[OUTSIDE_A[role]!],
          json: sample.json?.(),
        });
        expect(outside.status, `${role} of agency B`).toBe(404);
        const inside = await server.request(url(op, sample), {
          method: op.method,
          token: tokens[TOKEN_OF_ROLE[role]],
          json: sample.json?.(),
        });
        expect(inside.status, `${role} of agency A`).toBeLessThan(300);
      }
    },
  );
});
