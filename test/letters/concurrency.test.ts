// The cap and the numbering under concurrency (DOMAIN §6). On PostgreSQL (TEST_DATABASE_URL) the
// requests really overlap: the losers wait on the one-per-dossier unique index and fail with 23505;
// on PGlite they are serialised, and the same assertions hold.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { uniqueViolation } from "../../src/db/errors.js";
import { type LetterRenderThread, letterRenderThread } from "../../src/letters/render-thread.js";
import { loadLetterFonts } from "../../src/pdf/fonts.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { pdfFlatText } from "../helpers/pdf.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

const CONTESTED = "000.20.20.H47-250124-0001";
/** Twenty dossiers of agency B, whose numbering starts from nothing. */
const MANY = Array.from({ length: 20 }, (_, i) => `000.21.21.H47-250124-${String(100 + i).padStart(4, "0")}`);
/** Six more, issued after letters of agency B were numbered elsewhere. */
const AFTER = Array.from({ length: 6 }, (_, i) => `000.21.21.H47-250124-${String(200 + i).padStart(4, "0")}`);

let server: SeededServer;
let tokens: Tokens;
let renderThread: LetterRenderThread;
/** The number of every PDF drawn, in the order the renders were asked for. */
const renders: number[] = [];

beforeAll(async () => {
  // Tue 11/2/2025 09:00: every dossier (binding due Fri 7/2 10:00) is overdue.
  renderThread = letterRenderThread(await loadLetterFonts());
  server = await startSeededServer({
    clock: fixedClock(new Date("2025-02-11T09:00:00+07:00")),
    procedures: [BUILDING_PERMIT],
    records: [
      canonicalRecord({ code: CONTESTED }),
      ...[...MANY, ...AFTER].map((c) =>
        canonicalRecord({ code: c, agencyCode: AGENCIES.B.code, agencyName: AGENCIES.B.name }),
      ),
    ],
    deps: {
      letterRenderer: (input, signature) => {
        renders.push(input.number);
        return renderThread.render(input, signature);
      },
    },
  });
  ({ tokens } = server);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await renderThread?.close();
});

/** What the stored PDF of each letter of agency B says its number is. */
async function printedNumbers(): Promise<Map<number, string>> {
  const rows = await queryRows<{ number: number; pdf: Uint8Array }>(
    server.database.db,
    sql`SELECT l.number, v.pdf FROM apology_letters l JOIN letter_versions v ON v.letter_id = l.id
        WHERE l.agency_code = ${AGENCIES.B.code}`,
  );
  return new Map(
    rows.map((r) => [Number(r.number), /Số: (\d+)\/PXL-/.exec(pdfFlatText(r.pdf))?.[1] ?? "none"]),
  );
}

/**
 * Letters of agency B whose records are not exactly one version, one status link and one audit entry
 * naming the letter's reference and its version's SHA-256: the writes that go with the draw.
 */
const incompletelyRecorded = () =>
  count(sql`SELECT count(*) AS n FROM apology_letters l WHERE l.agency_code = ${AGENCIES.B.code} AND (
    (SELECT count(*) FROM letter_versions v WHERE v.letter_id = l.id) <> 1
    OR (SELECT count(*) FROM letter_status_links s WHERE s.letter_id = l.id) <> 1
    OR (SELECT count(*) FROM audit_log a JOIN letter_versions v ON v.letter_id = l.id
        WHERE a.action = 'letter.issue' AND a.resource_id = l.id::text
          AND a.details->>'number' = l.reference AND a.details->>'sha256' = v.sha256) <> 1)`);

const printed = (n: number) => String(n).padStart(2, "0");

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
    renders.length = 0;
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
    // Each PDF shows its own number, and each was drawn once: every letter expected the number
    // it drew, its PDF made while the letters before it held the counter.
    const shown = await printedNumbers();
    for (const n of oneToTwenty) expect(shown.get(n)).toBe(printed(n));
    expect([...renders].sort((a, b) => a - b)).toEqual(oneToTwenty);
    expect(await incompletelyRecorded()).toBe(0);
  });

  it("draws the PDF again when the counter moved behind this process's back, and prints the number drawn", async () => {
    // Three letters of agency B numbered by another instance of the service.
    await server.database.db.execute(
      sql`UPDATE letter_counters SET last_number = last_number + 3 WHERE agency_code = ${AGENCIES.B.code}`,
    );
    renders.length = 0;
    const results = await Promise.all(AFTER.map((c) => issue(c, tokens.officerB)));
    expect(results.map((r) => r.status)).toEqual(AFTER.map(() => 201));
    const sequences = results.map((r) => (r.body as { sequence: number }).sequence).sort((a, b) => a - b);
    expect(sequences).toEqual([24, 25, 26, 27, 28, 29]);
    const shown = await printedNumbers();
    for (const n of sequences) expect(shown.get(n)).toBe(printed(n));
    // The six expected 21..26 and drew 24..29: each of them drawn again with its own number.
    expect(renders.length).toBeGreaterThan(6);
    for (const n of sequences) expect(renders).toContain(n);
    // The statement that drew an unexpected number wrote nothing; the one after wrote it all once.
    expect(await incompletelyRecorded()).toBe(0);
  });
});
