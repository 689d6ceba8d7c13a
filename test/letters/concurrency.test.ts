// The cap and the numbering under concurrency (DOMAIN §6). On PostgreSQL (TEST_DATABASE_URL) the
// requests really overlap: the losers wait on the one-per-dossier unique index and fail with 23505;
// on PGlite they are serialised, and the same assertions hold.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { uniqueViolation } from "../../src/db/errors.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

const CONTESTED = "000.20.20.H47-250124-0001";
/** Twenty dossiers of agency B, whose numbering starts from nothing. */
const MANY = Array.from({ length: 20 }, (_, i) => `000.21.21.H47-250124-${String(100 + i).padStart(4, "0")}`);

let server: SeededServer;
let tokens: Tokens;

beforeAll(async () => {
  // Tue 11/2/2025 09:00: every dossier (binding due Fri 7/2 10:00) is overdue.
  server = await startSeededServer({
    clock: fixedClock(new Date("2025-02-11T09:00:00+07:00")),
    procedures: [BUILDING_PERMIT],
    records: [
      canonicalRecord({ code: CONTESTED }),
      ...MANY.map((c) =>
        canonicalRecord({ code: c, agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
      ),
    ],
  });
  ({ tokens } = server);
}, 60_000);
afterAll(() => server?.close());

const apology = {
  reason: "Cơ quan phối hợp chưa có văn bản trả lời theo thời hạn quy định",
  newDueAt: "2025-02-14T16:00:00+07:00",
  signerName: "Lê Văn Cường",
  signerTitle: "CHỦ TỊCH",
};

async function issue(
  dossier: string,
  token = tokens.officerA,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await server.request(`/api/v1/dossiers/${dossier}/apology`, {
    method: "POST",
    token,
    json: apology,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const count = async (query: ReturnType<typeof sql>) =>
  Number((await queryRows<{ n: number }>(server.database.db, query))[0].n);

describe("one letter per dossier, under concurrency", () => {
  it("gives exactly one 201 and 49 × 409 with the winner's id to 50 simultaneous requests", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => issue(CONTESTED)));
    const created = results.filter((r) => r.status === 201);
    const conflicts = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    const winner = (created[0].body as { id: number; sequence: number }).id;
    for (const { body } of conflicts) {
      expect(body).toMatchObject({ error: { code: "LETTER_EXISTS", details: { letterId: winner } } });
    }
    // The 49 losers drew no number, wrote nothing, audited nothing.
    expect(
      await count(sql`SELECT count(*) AS n FROM apology_letters WHERE dossier_code = ${CONTESTED}`),
    ).toBe(1);
    expect(await count(sql`SELECT count(*) AS n FROM letter_versions`)).toBe(1);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'letter.issue'`)).toBe(1);
    expect(
      await count(sql`SELECT last_number AS n FROM letter_counters WHERE agency_code = ${AGENCIES.A.code}`),
    ).toBe(1);
  });

  it("is the database's unique index, reported as such by the driver", async () => {
    const error = await server.database.db
      .execute(
        sql`INSERT INTO apology_letters (dossier_code, agency_code, year, form, reason, new_due_at,
              signer_name, signer_title, issued_at, issued_by)
            SELECT dossier_code, agency_code, year, form, reason, new_due_at, signer_name, signer_title,
              issued_at, issued_by FROM apology_letters WHERE dossier_code = ${CONTESTED}`,
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(uniqueViolation(error)).toBe("apology_letters_one_per_dossier");
  });
});

describe("numbers under concurrency", () => {
  it("gives 20 simultaneous letters of one agency the numbers 1..20 exactly, while 20 duplicates lose", async () => {
    // Each dossier is asked twice at once: the duplicates must neither burn nor share a number.
    const results = await Promise.all([...MANY, ...MANY].map((c) => issue(c, tokens.officerB)));
    const created = results
      .filter((r) => r.status === 201)
      .map((r) => r.body as { sequence: number; number: string });
    expect(created).toHaveLength(20);
    expect(results.filter((r) => r.status === 409)).toHaveLength(20);
    const sequences = created.map((l) => l.sequence).sort((a, b) => a - b);
    const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(sequences).toEqual(oneToTwenty);
    expect(new Set(created.map((l) => l.number)).size).toBe(20);
    const stored = await queryRows<{ number: number }>(
      server.database.db,
      sql`SELECT number FROM apology_letters WHERE agency_code = ${AGENCIES.B.code} ORDER BY number`,
    );
    expect(stored.map((r) => Number(r.number))).toEqual(oneToTwenty);
    expect(
      await count(sql`SELECT last_number AS n FROM letter_counters WHERE agency_code = ${AGENCIES.B.code}`),
    ).toBe(20);
  });
});
