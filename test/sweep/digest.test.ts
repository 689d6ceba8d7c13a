// The daily digest per agency (GET /api/v1/digest) and its webhook after each sweep, against a
// local HTTP receiver. Clock: Fri 7/3/2025 00:30, so "tomorrow" is the next working day, Mon 10/3.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/runtime/clock.js";
import { createLogger } from "../../src/runtime/logger.js";
import { runSweep } from "../../src/sweep/run.js";
import { BUILDING_PERMIT } from "../helpers/records.js";
import { AGENCIES, ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";
import { dossier, insertLetter } from "./dataset.js";

const clock = fixedClock(new Date("2025-03-07T00:30:00+07:00"));
let server: SeededServer;
let tokens: Tokens;

const code = (n: number) => `000.20.20.H47-250307-${String(n).padStart(4, "0")}`;
/** Received Tue 4/3 08:00: due Tue 11/3 08:00, apology window from Mon 10/3 08:00. */
const ENTERING = code(1);
/** Received Mon 3/3: its window opens today, Fri 7/3 08:00 — yesterday's digest said so. */
const ENTERING_TODAY = code(2);
const ENTERING_WITH_LETTER = code(3);
/** Received Mon 24/2: due Mon 3/3 08:00. */
const OVERDUE = code(4);
const OVERDUE_WITH_LETTER = code(5);
const PAST_NEW_DATE = code(6);
const FINISHED_LATE = code(7);
const OVERDUE_B = "000.21.21.H47-250307-0001";

const tuesday = { receivedAt: "2025-03-04T08:00:00+07:00", promisedDueAt: "2025-03-11T08:00:00+07:00" };
const lastMonday = { receivedAt: "2025-02-24T08:00:00+07:00", promisedDueAt: "2025-03-03T08:00:00+07:00" };

interface Digest {
  agency: { code: string };
  date: string;
  nextWorkingDay: string;
  enteringApologyWindow: { total: number; items: { code: string }[] };
  overdueWithoutLetter: { total: number; items: { code: string }[] };
  lateAfterReappointment: { total: number; items: { code: string; newDueAt: string | null }[] };
}

const codes = (list: { items: { code: string }[] }) => list.items.map((i) => i.code);

beforeAll(async () => {
  const synced = { sourceUpdatedAt: "2025-03-06T17:00:00+07:00" };
  server = await startSeededServer({
    clock,
    procedures: [BUILDING_PERMIT],
    records: [
      dossier(ENTERING, { ...tuesday, ...synced }),
      dossier(ENTERING_TODAY, synced),
      dossier(ENTERING_WITH_LETTER, { ...tuesday, ...synced }),
      dossier(OVERDUE, { ...lastMonday, ...synced }),
      dossier(OVERDUE_WITH_LETTER, { ...lastMonday, ...synced }),
      dossier(PAST_NEW_DATE, { ...lastMonday, ...synced }),
      dossier(FINISHED_LATE, {
        ...lastMonday,
        status: 9,
        finishedAt: "2025-03-05T09:00:00+07:00",
        ...synced,
      }),
      dossier(OVERDUE_B, {
        ...lastMonday,
        agencyCode: AGENCIES.B.code,
        agencyName: AGENCIES.B.name,
        ...synced,
      }),
    ],
  });
  ({ tokens } = server);
  const letter = (dossierCode: string, issuedAt: string, newDueAt: string) =>
    insertLetter(server, { dossierCode, agencyCode: AGENCIES.A.code, issuedAt, newDueAt });
  await letter(ENTERING_WITH_LETTER, "2025-03-06T09:00:00+07:00", "2025-03-14T08:00:00+07:00");
  await letter(OVERDUE_WITH_LETTER, "2025-02-28T08:00:00+07:00", "2025-03-12T08:00:00+07:00");
  await letter(PAST_NEW_DATE, "2025-02-28T08:00:00+07:00", "2025-03-05T08:00:00+07:00");
});
afterAll(() => server.close());

const digest = async (query: string, token: string) =>
  (await ok(await server.request(`/api/v1/digest${query}`, { token }))) as {
    asOf: string;
    date: string;
    agencies: Digest[];
  };

describe("GET /api/v1/digest", () => {
  it("lists what agency A acts on today: window opening on the next working day, overdue without letter, past the new date", async () => {
    const answer = await digest(`?agency=${AGENCIES.A.code}`, tokens.officerA);
    expect(answer).toMatchObject({ date: "2025-03-07", asOf: clock.now().toISOString() });
    expect(answer.agencies).toHaveLength(1);
    const [a] = answer.agencies;
    expect(a).toMatchObject({ agency: { code: AGENCIES.A.code }, nextWorkingDay: "2025-03-10" });
    expect(codes(a.enteringApologyWindow)).toEqual([ENTERING]);
    expect(codes(a.overdueWithoutLetter)).toEqual([OVERDUE]);
    expect(a.lateAfterReappointment).toEqual({
      total: 1,
      items: [expect.objectContaining({ code: PAST_NEW_DATE, newDueAt: "2025-03-05T01:00:00.000Z" })],
    });
  });

  it("gives an officer their own agency, an inspector every agency of their scope with something to report", async () => {
    const own = await digest("", tokens.officerB);
    expect(own.agencies.map((d) => d.agency.code)).toEqual([AGENCIES.B.code]);
    expect(codes(own.agencies[0].overdueWithoutLetter)).toEqual([OVERDUE_B]);
    const all = await digest("", tokens.inspectorAll);
    expect(all.agencies.map((d) => d.agency.code)).toEqual([AGENCIES.A.code, AGENCIES.B.code]);
    const districtA = await digest("", tokens.inspectorA);
    expect(districtA.agencies.map((d) => d.agency.code)).toEqual([AGENCIES.A.code]);
  });

  it("answers 404 for an agency outside the caller's scope, 400 for a bad date", async () => {
    expect(
      (await server.request(`/api/v1/digest?agency=${AGENCIES.A.code}`, { token: tokens.officerB })).status,
    ).toBe(404);
    expect((await server.request("/api/v1/digest?date=2025-02-30x", { token: tokens.admin })).status).toBe(
      400,
    );
  });

  it("takes tomorrow from the calendar: over the 30/4–4/5 break to Mon 5/5, onto the make-up Saturday 26/4", async () => {
    const asOf = encodeURIComponent("2025-03-07T00:30:00+07:00");
    const overBreak = await digest(`?agency=${AGENCIES.A.code}&date=2025-04-29&asOf=${asOf}`, tokens.admin);
    expect(overBreak.agencies[0].nextWorkingDay).toBe("2025-05-05");
    const makeUp = await digest(`?agency=${AGENCIES.A.code}&date=2025-04-25&asOf=${asOf}`, tokens.admin);
    expect(makeUp.agencies[0].nextWorkingDay).toBe("2025-04-26");
  });
});

/** A local receiver; each request is answered by the next behaviour (the last one repeats). */
async function receiver(behaviours: Array<"ok" | "fail" | "hang">) {
  const bodies: unknown[] = [];
  let calls = 0;
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const behaviour = behaviours[Math.min(calls++, behaviours.length - 1)];
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      bodies.push(JSON.parse(body));
      if (behaviour === "hang") hanging.push(res);
      else res.writeHead(behaviour === "ok" ? 204 : 500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/digest`,
    bodies,
    calls: () => calls,
    close: () => {
      for (const res of hanging) res.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const setWebhook = (url: string | null) =>
  server.database.db.execute(
    sql`UPDATE agencies SET digest_webhook_url = ${url} WHERE code = ${AGENCIES.A.code}`,
  );

describe("the digest webhook after each sweep", () => {
  it("posts agency A's digest as JSON to the URL set with PUT /api/v1/agencies, shown to admins only", async () => {
    const hook = await receiver(["ok"]);
    const { code, ...agencyA } = AGENCIES.A;
    const put = (digestWebhookUrl?: string) =>
      server.request(`/api/v1/agencies/${code}`, {
        method: "PUT",
        token: tokens.admin,
        json: { ...agencyA, digestWebhookUrl },
      });
    expect(await ok(await put(hook.url))).toMatchObject({ digestWebhookUrl: hook.url });
    const seenByOfficer = (await ok(
      await server.request(`/api/v1/agencies/${code}`, { token: tokens.officerA }),
    )) as object;
    expect(seenByOfficer).not.toHaveProperty("digestWebhookUrl");
    expect((await put("ftp://example.org/digest")).status).toBe(400);
    try {
      const run = (await ok(
        await server.request("/api/v1/sweeps", { method: "POST", token: tokens.system, json: {} }),
        [201],
      )) as { id: number; errors: string[]; counts: { digests: unknown } };
      expect(run.errors).toEqual([]);
      expect(run.counts.digests).toEqual({ posted: 1, failed: 0 });
      expect(hook.bodies).toHaveLength(1);
      const posted = hook.bodies[0] as Digest & { sweepId: number };
      expect(posted).toMatchObject({
        sweepId: run.id,
        agency: { code: AGENCIES.A.code },
        date: "2025-03-07",
      });
      expect(codes(posted.enteringApologyWindow)).toEqual([ENTERING]);
      expect(codes(posted.overdueWithoutLetter)).toEqual([OVERDUE]);
    } finally {
      expect(await ok(await put())).toMatchObject({ digestWebhookUrl: null });
      await hook.close();
    }
  });

  it("retries once: a receiver that fails then answers gets the digest, and nothing is reported", async () => {
    const hook = await receiver(["fail", "ok"]);
    await setWebhook(hook.url);
    try {
      const outcome = await runSweep(
        { database: server.database, clock, logger: createLogger("silent") },
        { trigger: "cron" },
      );
      expect(outcome.ran && outcome.run.errors).toEqual([]);
      expect(hook.calls()).toBe(2);
    } finally {
      await setWebhook(null);
      await hook.close();
    }
  });

  it("records a receiver that keeps failing, or hangs past the timeout, in the sweep's errors without failing it", async () => {
    for (const [behaviour, reason] of [
      ["fail", "HTTP 500, then HTTP 500"],
      ["hang", "no answer within 200 ms, then no answer within 200 ms"],
    ] as const) {
      const hook = await receiver([behaviour]);
      await setWebhook(hook.url);
      try {
        const outcome = await runSweep(
          {
            database: server.database,
            clock,
            logger: createLogger("silent"),
            sweep: { webhookTimeoutMs: 200 },
          },
          { trigger: "cron" },
        );
        if (!outcome.ran) throw new Error("the sweep did not run");
        expect(outcome.run.status).toBe("succeeded");
        expect(outcome.run.errors).toEqual([`digest webhook of agency ${AGENCIES.A.code}: ${reason}`]);
        expect(outcome.run.counts).toMatchObject({ digests: { posted: 0, failed: 1 } });
        expect(hook.calls()).toBe(2);
      } finally {
        await setWebhook(null);
        await hook.close();
      }
    }
  });
});
