import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIST_REUSE_MS } from "../../src/dossiers/list-cache.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

// The list page is served again while nothing was committed and it is under LIST_REUSE_MS old
// (src/dossiers/list-cache.ts): these show when it must not be.
const T0 = new Date("2025-02-10T10:00:00+07:00");
const clock = fixedClock(T0);
let server: SeededServer<"inspectorA" | "officerA" | "officerB" | "system">;

const A1 = "000.20.20.H47-250203-0001";
const B1 = "000.21.21.H47-250203-0001";

beforeAll(async () => {
  server = await startSeededServer({
    clock,
    users: ["inspectorA", "officerA", "officerB", "system"],
    procedures: [BUILDING_PERMIT],
    records: [
      canonicalRecord({ code: A1 }),
      canonicalRecord({ code: B1, agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
    ],
  });
});
afterAll(() => server.close());

type Page = { asOf: string; items: { code: string; state: string; hasLetter: boolean }[] };
const list = async (token: string, query = "") =>
  (await ok(await server.request(`/api/v1/dossiers?limit=50${query}`, { token }))) as Page;
const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));

describe("the dossier list served again", () => {
  it("answers as of the instant it was read while nothing changed, and says so", async () => {
    const first = await list(server.tokens.officerA);
    later(LIST_REUSE_MS / 2);
    const again = await list(server.tokens.officerA);
    expect(again).toEqual(first);
    later(LIST_REUSE_MS);
    const aged = await list(server.tokens.officerA);
    expect(aged.asOf).toBe(clock.now().toISOString());
    expect(aged.asOf).not.toBe(first.asOf);
  });

  it("never outlives a write: a synced dossier is in the very next page", async () => {
    const before = await list(server.tokens.officerA);
    const added = "000.20.20.H47-250204-0001";
    await server.sync([canonicalRecord({ code: added, receivedAt: "2025-02-04T08:00:00+07:00" })]);
    const after = await list(server.tokens.officerA);
    expect(before.items.map((d) => d.code)).not.toContain(added);
    expect(after.items.map((d) => d.code)).toContain(added);
  });

  it("is never shared across scopes", async () => {
    const a = await list(server.tokens.officerA);
    const b = await list(server.tokens.officerB);
    expect(a.items.map((d) => d.code)).toContain(A1);
    expect(a.items.map((d) => d.code)).not.toContain(B1);
    expect(b.items.map((d) => d.code)).toEqual([B1]);
  });

  it("keeps filters apart and follows the clock when asked as of now", async () => {
    const overdue = await list(server.tokens.inspectorA, "&state=overdue");
    const early = await list(server.tokens.inspectorA, "&state=early");
    expect(overdue.items.map((d) => d.state)).toEqual(["overdue", "overdue"]);
    expect(early.items).toEqual([]);
    // Moved back before the first receipt: an answer read "later" than now is never served.
    clock.set(new Date("2025-02-03T07:00:00+07:00"));
    const past = await list(server.tokens.inspectorA, "&state=overdue");
    expect(past.items).toEqual([]);
    clock.set(T0);
  });
});
