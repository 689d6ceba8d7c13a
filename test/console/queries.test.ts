// The console's query strings are read through the API's own zod schemas (issue 18): one parse
// decides what is valid. A value the schema refuses is the console's own 400 page naming the field —
// never a 500, never the API's JSON — and what a GET form sends (empty fields, dd/mm/yyyy days) is
// the same query as the API's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/runtime/clock.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import type { Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";
import { type ConsoleClient, signIn } from "./session.js";

// Promised for Fri 7/2/2025 10:00 (the canonical record): overdue on Mon 10/2, on track in January.
const OVERDUE = "000.20.20.H47-250124-0001";
const clock = fixedClock(new Date("2025-02-10T09:00:00+07:00"));

let server: SeededServer;
let tokens: Pick<Tokens, keyof Tokens>;
let officer: ConsoleClient;
let inspector: ConsoleClient;
let admin: ConsoleClient;

beforeAll(async () => {
  server = await startSeededServer({
    clock,
    procedures: [BUILDING_PERMIT],
    records: [canonicalRecord({ code: OVERDUE })],
  });
  ({ tokens } = server);
  [officer, inspector, admin] = await Promise.all([
    signIn(server, tokens.officerA),
    signIn(server, tokens.inspectorAll),
    signIn(server, tokens.admin),
  ]);
}, 120_000);
afterAll(() => server?.close());

/** The console's 400 page: HTML in the console's layout, its alert naming the field. */
async function expectRefused(response: Response, field: string) {
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  const html = await response.text();
  expect(html).toContain('<html lang="vi">');
  expect(html).toContain("Yêu cầu không hợp lệ");
  const alert = /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1] ?? "";
  expect(alert).toContain(`“${field}”`);
  return alert;
}

const encoded = (value: string) => encodeURIComponent(value);

describe("the dossier list reads its query through the API's DossierListQuery", () => {
  it("refuses a day that does not exist in asOf, from or to, naming the field", async () => {
    await expectRefused(
      await officer.get(`/console/dossiers?asOf=${encoded("2025-02-30T10:00:00+07:00")}`),
      "asOf",
    );
    await expectRefused(await officer.get("/console/dossiers?asOf=2025-02-30"), "asOf");
    await expectRefused(await officer.get(`/console/dossiers?from=${encoded("31/02/2025")}`), "from");
    await expectRefused(await officer.get("/console/dossiers?to=2025-13-01"), "to");
  });

  it("refuses a state the API does not know, and a search longer than the API takes", async () => {
    const alert = await expectRefused(await officer.get("/console/dossiers?state=bogus"), "state");
    expect(alert).not.toContain("bogus");
    await expectRefused(await officer.get(`/console/dossiers?q=${"x".repeat(101)}`), "q");
    await expectRefused(await officer.get("/console/dossiers?letter=maybe"), "letter");
  });

  it("takes the form as sent: empty fields mean no filter, and a day typed dd/mm/yyyy is that day", async () => {
    const empty = await officer.get("/console/dossiers?q=&state=&letter=&agency=&from=&to=");
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain(OVERDUE);
    const typed = await officer.get(
      `/console/dossiers?from=${encoded("24/01/2025")}&to=${encoded("25/01/2025")}`,
    );
    expect(typed.status).toBe(200);
    const html = await typed.text();
    expect(html).toContain(OVERDUE);
    expect(html).toContain('value="24/01/2025"');
    const after = await (await officer.get("/console/dossiers?from=2025-01-25")).text();
    expect(after).not.toContain(OVERDUE);
  });

  it("computes the states as of the query's asOf, as the API does", async () => {
    const now = await (await officer.get("/console/dossiers?state=overdue")).text();
    expect(now).toContain(OVERDUE);
    const before = await (
      await officer.get(`/console/dossiers?state=overdue&asOf=${encoded("2025-01-27T09:00:00+07:00")}`)
    ).text();
    expect(before).not.toContain(OVERDUE);
    expect(before).toContain('name="asOf" value="2025-01-27T09:00:00+07:00"');
  });

  it("refuses a bad asOf on one dossier's page too", async () => {
    await expectRefused(await officer.get(`/console/dossiers/${OVERDUE}?asOf=yesterday`), "asOf");
  });
});

describe("the report pages read theirs through RepeatLatenessQuery and ComplianceQuery", () => {
  it("refuses a period bound that is no date, a period that ends before it starts, a bad grouping", async () => {
    await expectRefused(await inspector.get("/console/reports/compliance?from=2025-02-30"), "from");
    await expectRefused(
      await inspector.get("/console/reports/compliance?from=2025-03-01&to=2025-01-01"),
      "to",
    );
    await expectRefused(await inspector.get("/console/reports/compliance?groupBy=nope"), "groupBy");
    await expectRefused(await inspector.get("/console/reports/repeat-lateness?threshold=abc"), "threshold");
    await expectRefused(await inspector.get("/console/reports/repeat-lateness?window=fortnight"), "window");
  });

  it("refuses a bad period on an export too, as a page rather than a file", async () => {
    await expectRefused(
      await inspector.get("/console/reports/compliance/export?from=2025-02-30&format=csv"),
      "from",
    );
    await expectRefused(
      await inspector.get("/console/reports/repeat-lateness/export?from=2025-01-01&format=docx"),
      "format",
    );
  });

  it("reads days typed dd/mm/yyyy as the same period as the API's dates", async () => {
    const iso = await inspector.get("/console/reports/compliance?from=2025-01-01&to=2025-03-01&threshold=");
    const typed = await inspector.get(
      `/console/reports/compliance?from=${encoded("1/1/2025")}&to=${encoded("01/03/2025")}&agency=`,
    );
    expect(iso.status).toBe(200);
    expect(typed.status).toBe(200);
    const rate = (html: string) => /<strong id="total-rate">([^<]*)<\/strong>/.exec(html)?.[1];
    const [a, b] = [await iso.text(), await typed.text()];
    expect(rate(b)).toBe(rate(a));
    expect(b).toContain('value="01/03/2025"');
  });
});

describe("the other pages", () => {
  it("violations: refuses an open that is neither true nor false", async () => {
    await expectRefused(await officer.get("/console/violations?open=maybe"), "open");
    expect((await officer.get("/console/violations?open=&rule=")).status).toBe(200);
  });

  it("calendar: refuses a year or month that is not one", async () => {
    await expectRefused(await admin.get("/console/calendar?year=abc&month=2"), "year");
    await expectRefused(await admin.get("/console/calendar?year=2025&month=13"), "month");
    expect((await admin.get("/console/calendar?year=2025&month=2")).status).toBe(200);
  });

  it("letters: refuses a combined PDF of ids that are not ids", async () => {
    await expectRefused(await officer.get("/console/letters/combined?ids=1,abc"), "ids");
  });
});
