// One sweep at a time (the lease row), the run records, the violations API and the CLI.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { createLogger } from "../../src/runtime/logger.js";
import { readArguments, sweepCommand } from "../../src/sweep/command.js";
import { acquireLease, releaseLease, renewLease } from "../../src/sweep/lease.js";
import { runSweep, type SweepCounts } from "../../src/sweep/run.js";
import { BUILDING_PERMIT } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";
import { dossier } from "./dataset.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const clock = fixedClock(new Date("2025-03-20T00:30:00+07:00"));
let server: SeededServer;
let tokens: Tokens;

const OVERDUE_A = "000.20.20.H47-250303-0001";
const SATURDAY_A = "000.20.20.H47-250308-0001";
const OVERDUE_B = "000.21.21.H47-250303-0001";

interface Run {
  id: number;
  status: string;
  trigger: string;
  errors: string[];
  counts: SweepCounts;
}

const post = (body: Record<string, unknown> = {}, token = tokens.system) =>
  server.request("/api/v1/sweeps", { method: "POST", token, json: body });
const deps = () => ({ database: server.database, clock, logger: createLogger("silent") });
const runningSweep = async (): Promise<number> => {
  const [row] = await queryRows<{ id: number }>(
    server.database.db,
    sql`INSERT INTO sweeps (trigger, as_of, started_at, status) VALUES ('cron', now(), now(), 'running') RETURNING id`,
  );
  return Number(row.id);
};
const holdLease = (holder: string, expiresIn: string) =>
  server.database.db.execute(sql`INSERT INTO job_leases (name, holder, acquired_at, expires_at)
    VALUES ('sweep', ${holder}, clock_timestamp() - interval '10 minutes', clock_timestamp() + ${expiresIn}::interval)`);

beforeAll(async () => {
  server = await startSeededServer({
    clock,
    procedures: [BUILDING_PERMIT],
    records: [
      dossier(OVERDUE_A),
      dossier(SATURDAY_A, {
        receivedAt: "2025-03-08T09:00:00+07:00",
        promisedDueAt: "2025-03-14T09:00:00+07:00",
        status: 10,
        finishedAt: "2025-03-12T09:00:00+07:00",
        returnedAt: "2025-03-12T10:00:00+07:00",
      }),
      dossier(OVERDUE_B, { agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
    ],
  });
  ({ tokens } = server);
});
afterAll(() => server.close());

describe("one sweep at a time", () => {
  it("answers one of two simultaneous POSTs with the run and the other with 409 SWEEP_RUNNING and its id", async () => {
    // Agency A's digest receiver takes a second to answer: the running sweep holds the lease meanwhile.
    const receiver = createServer((_req, res) => setTimeout(() => res.end("ok"), 1000));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/digest`;
    await server.database.db.execute(
      sql`UPDATE agencies SET digest_webhook_url = ${url} WHERE code = ${AGENCIES.A.code}`,
    );
    onTestFinished(async () => {
      await server.database.db.execute(sql`UPDATE agencies SET digest_webhook_url = NULL`);
      await new Promise((resolve) => receiver.close(resolve));
    });
    const before = (await ok(await server.request("/api/v1/sweeps", { token: tokens.admin }))) as {
      items: Run[];
    };
    const [a, b] = await Promise.all([post(), post({}, tokens.admin)]);
    const answers = [
      { status: a.status, body: (await a.json()) as Run & { error: unknown } },
      { status: b.status, body: (await b.json()) as Run & { error: unknown } },
    ].sort((x, y) => x.status - y.status);
    expect(answers.map((x) => x.status)).toEqual([201, 409]);
    const [ran, refused] = answers;
    expect(ran.body).toMatchObject({ status: "succeeded", trigger: "api" });
    expect(refused.body.error).toMatchObject({ code: "SWEEP_RUNNING", details: { sweepId: ran.body.id } });
    const after = (await ok(await server.request("/api/v1/sweeps", { token: tokens.admin }))) as {
      items: Run[];
    };
    expect(after.items.length).toBe(before.items.length + 1);
  });

  it("runs one of two runSweep calls started together and tells the other which one runs", async () => {
    const outcomes = await Promise.all([
      runSweep(deps(), { trigger: "cron" }),
      runSweep(deps(), { trigger: "cli" }),
    ]);
    const ran = outcomes.filter((o) => o.ran);
    const refused = outcomes.filter((o) => !o.ran);
    expect(ran).toHaveLength(1);
    expect(refused).toEqual([{ ran: false, runningSweepId: ran[0].ran ? ran[0].run.id : -1 }]);
  });

  it("refuses while another process holds a live lease, naming that process's running sweep", async () => {
    const id = await runningSweep();
    await holdLease("other-host:4242:live", "10 minutes");
    const res = await post();
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { details: unknown } }).error.details).toEqual({ sweepId: id });
    await server.database.db.execute(sql`DELETE FROM job_leases`);
    await server.database.db.execute(sql`UPDATE sweeps SET status = 'failed' WHERE id = ${id}`);
  });

  it("takes over the expired lease of a process that died, failing the run it left behind", async () => {
    const abandoned = await runningSweep();
    await holdLease("dead-host:1:gone", "-5 minutes");
    const run = (await ok(await post(), [201])) as Run;
    expect(run.status).toBe("succeeded");
    const old = (await ok(
      await server.request(`/api/v1/sweeps/${abandoned}`, { token: tokens.system }),
    )) as Run;
    expect(old.status).toBe("failed");
    expect(old.errors.join()).toContain("abandoned");
    const leases = await queryRows(server.database.db, sql`SELECT * FROM job_leases`);
    expect(leases).toEqual([]);
  });

  it("keeps a lease only for its holder: renew and release by another holder do nothing", async () => {
    const db = server.database.db;
    expect(await acquireLease(db, "test-job", "a", 60_000)).toBe(true);
    expect(await acquireLease(db, "test-job", "b", 60_000)).toBe(false);
    expect(await renewLease(db, "test-job", "b", 60_000)).toBe(false);
    await releaseLease(db, "test-job", "b");
    expect(await renewLease(db, "test-job", "a", 60_000)).toBe(true);
    await releaseLease(db, "test-job", "a");
    expect(await acquireLease(db, "test-job", "b", 60_000)).toBe(true);
    await releaseLease(db, "test-job", "b");
  });
});

describe("run records", () => {
  it("lists runs newest first, pages back with before, and answers 404 for an unknown id", async () => {
    for (let i = 0; i < 2; i++) await ok(await post(), [201]);
    const all = (await ok(await server.request("/api/v1/sweeps?limit=100", { token: tokens.system }))) as {
      items: Run[];
    };
    const ids = all.items.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    const page = (await ok(
      await server.request(`/api/v1/sweeps?limit=1&before=${ids[0]}`, { token: tokens.system }),
    )) as { items: Run[] };
    expect(page.items.map((r) => r.id)).toEqual([ids[1]]);
    expect((await server.request("/api/v1/sweeps/999999", { token: tokens.admin })).status).toBe(404);
  });

  it("records counts per state and per rule, and the mode", async () => {
    const run = (await ok(await post({ asOf: "2025-03-20T00:30:00+07:00", full: true }), [201])) as Run;
    expect(run.counts.mode).toBe("full");
    expect(run.counts.states).toEqual({ overdue: 2, early: 1 });
    expect(run.counts.rules.late_without_apology).toMatchObject({ open: 2 });
    expect(run.counts.rules.inconsistent_record).toMatchObject({ open: 1 });
    expect(run.counts.evaluated).toBe(3);
    expect(run.counts.digests).toEqual({ posted: 0, failed: 0 });
  });

  it("validates the body", async () => {
    const res = await post({ asOf: "2025-03-20 00:30" });
    expect(res.status).toBe(400);
  });
});

describe("GET /api/v1/violations", () => {
  type Page = { items: { dossierCode: string; rule: string; resolvedAt: string | null }[] };
  const get = async (query: string, token: string) =>
    (await ok(await server.request(`/api/v1/violations${query}`, { token }))) as Page;

  it("shows each reader the violations of their scope, filtered by rule, agency and open", async () => {
    const codes = (p: Page) => p.items.map((v) => `${v.dossierCode} ${v.rule}`).sort();
    expect(codes(await get("", tokens.inspectorAll))).toEqual(
      [
        `${OVERDUE_A} late_without_apology`,
        `${OVERDUE_B} late_without_apology`,
        `${SATURDAY_A} inconsistent_record`,
      ].sort(),
    );
    expect(codes(await get("", tokens.officerB))).toEqual([`${OVERDUE_B} late_without_apology`]);
    expect(codes(await get("?rule=inconsistent_record", tokens.inspectorA))).toEqual([
      `${SATURDAY_A} inconsistent_record`,
    ]);
    expect(codes(await get(`?agency=${AGENCIES.B.code}&open=true`, tokens.admin))).toEqual([
      `${OVERDUE_B} late_without_apology`,
    ]);
    expect((await get("?open=false", tokens.admin)).items).toEqual([]);
  });

  it("answers 404 for an agency outside the caller's scope and 400 for a bad filter", async () => {
    expect(
      (await server.request(`/api/v1/violations?agency=${AGENCIES.A.code}`, { token: tokens.officerB }))
        .status,
    ).toBe(404);
    expect((await server.request("/api/v1/violations?rule=late", { token: tokens.admin })).status).toBe(400);
    expect((await server.request("/api/v1/violations?cursor=bm9wZQ", { token: tokens.admin })).status).toBe(
      400,
    );
  });
});

describe("npm run sweep", () => {
  it("rejects an --as-of without its offset, before opening any database (exit 64)", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/sweep/cli.ts", "--as-of", "2025-03-20T00:30:00"],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", DATA_DIR: "/nonexistent/never-opened" },
      },
    );
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(64);
    expect(err).toContain("--as-of needs an ISO time with its offset");
  }, 60_000);

  it("runs one sweep and prints its summary (exit 0); tells a running sweep apart (exit 75)", async () => {
    let out = "";
    let err = "";
    const output = {
      out: (text: string) => {
        out += text;
      },
      err: (text: string) => {
        err += text;
      },
    };
    const args = readArguments(["--as-of", "2025-03-20T00:30:00+07:00", "--full"]);
    expect(await sweepCommand(args, deps(), output)).toBe(0);
    expect(out).toMatch(
      /^sweep \d+ succeeded in \d+ ms: full as of 2025-03-19T17:30:00.000Z, 3 dossiers evaluated/,
    );
    expect(out).toContain("late_without_apology: 0 new, 0 reopened, 0 resolved, 2 open");
    const id = await runningSweep();
    await holdLease("other-host:1:cli", "10 minutes");
    try {
      expect(await sweepCommand(readArguments([]), deps(), output)).toBe(75);
      expect(err).toBe(`sweep: a sweep is running (sweep ${id}); not started\n`);
    } finally {
      await server.database.db.execute(sql`DELETE FROM job_leases`);
      await server.database.db.execute(sql`UPDATE sweeps SET status = 'failed' WHERE id = ${id}`);
    }
  });
});
