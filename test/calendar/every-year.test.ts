// The calendar covers every year sync accepts (1990–2099): a dossier received in 1995 or 2070 has
// its page, its ledger and its apology suggestion, where they were 500s beyond the 2000–2060 the
// calendar held (issue 15, item 6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR } from "../../src/calendar/store.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { ok, type Tokens } from "../helpers/seed.js";
import { ADMIN_TOKEN, type SeededServer, startSeededServer } from "../helpers/server.js";

let server: SeededServer;
let tokens: Tokens;

const received = (year: number, code: string) =>
  canonicalRecord({
    code,
    receivedAt: `${year}-03-14T10:00:00+07:00`,
    promisedDueAt: `${year}-03-28T10:00:00+07:00`,
    sourceUpdatedAt: `${year}-03-14T10:05:00+07:00`,
    steps: [],
  });

beforeAll(async () => {
  // Refused records would fail here: each year's record is accepted.
  server = await startSeededServer({
    procedures: [BUILDING_PERMIT],
    records: [received(1995, "Y1995-0001"), received(2070, "Y2070-0001")],
  });
  ({ tokens } = server);
});
afterAll(() => server.close());

describe("every year sync accepts", () => {
  it("is in the stored calendar", async () => {
    expect(CALENDAR_FIRST_YEAR).toBeLessThanOrEqual(1990);
    expect(CALENDAR_LAST_YEAR).toBeGreaterThanOrEqual(2099);
    for (const year of [1990, 1995, 2070, 2099]) {
      const response = await server.request(`/api/v1/calendar/${year}`, { token: ADMIN_TOKEN });
      expect(response.status, String(year)).toBe(200);
      expect(((await response.json()) as { provisional: boolean }).provisional).toBe(true);
    }
  });

  it.each([
    ["Y1995-0001", ""],
    ["Y2070-0001", ""],
    ["Y1995-0001", "?asOf=1995-04-01T00:00:00%2B07:00"],
  ])("gives %s a page, a ledger and a suggestion%s", async (code, query) => {
    for (const path of [`/api/v1/dossiers/${code}${query}`, `/api/v1/dossiers/${code}/ledger${query}`]) {
      const response = await server.request(path, { token: tokens.officerA });
      expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    }
    const suggestion = await server.request(`/api/v1/dossiers/${code}/apology/suggestion`, {
      token: tokens.officerA,
    });
    expect(suggestion.status, await suggestion.clone().text()).toBeLessThan(500);
  });

  it("times a dossier of 1995 on the six-day week: Saturday counts as a working day", async () => {
    const detail = (await ok(
      await server.request("/api/v1/dossiers/Y1995-0001?asOf=1995-04-01T00:00:00%2B07:00", {
        token: tokens.officerA,
      }),
    )) as { statutoryDueAt: string | null };
    // Tue 14/3 10:00 + 5 working days: Wed, Thu, Fri, Sat 18/3, then Mon 20/3 10:00 (Tue 21/3 on a
    // five-day week).
    expect(detail.statutoryDueAt).toBe(new Date("1995-03-20T10:00:00+07:00").toISOString());
  });
});
