// The quarantine keeps each refused message once, however often it is sent, and what no database
// can store (10,000 nested arrays in an unknown field) refuses that record alone, pushed or in a dump.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { importFile } from "../../src/sync/file-import.js";
import { canonicalRecord } from "../helpers/records.js";
import { ok, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";

let server: SeededServer;
let tokens: Tokens;
let dir: string;
beforeAll(async () => {
  server = await startSeededServer();
  ({ tokens } = server);
  dir = await mkdtemp(join(tmpdir(), "quarantine-"));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const rejections = () =>
  queryRows<{ code: string; seen: number; errors: { path: string; message: string }[]; raw: unknown }>(
    server.database.db,
    sql`SELECT code, seen, errors, raw FROM sync_rejections ORDER BY id`,
  );

/** A record's JSON with an unknown field of arrays nested `depth` deep (JSON.stringify gives up first). */
const withNested = (record: Record<string, unknown>, depth: number) =>
  `${JSON.stringify(record).slice(0, -1)},"extra":${"[".repeat(depth)}${"]".repeat(depth)}}`;

describe("a record nested too deep for PostgreSQL", () => {
  it("is refused alone, with its path, and quarantined with the deep part cut", async () => {
    const deep = withNested(canonicalRecord({ code: "000.20.20.H47-250124-0101" }), 10_000);
    const fine = JSON.stringify(canonicalRecord({ code: "000.20.20.H47-250124-0102" }));
    const response = await server.request("/api/v1/sync/dossiers", {
      method: "POST",
      token: tokens.system,
      headers: { "content-type": "application/json" },
      body: `{"format":"canonical","records":[${deep},${fine}]}`,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      inserted: number;
      rejected: { index: number; errors: { path: string }[] }[];
    };
    expect(body.inserted).toBe(1);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0].index).toBe(0);
    expect(body.rejected[0].errors[0].path).toMatch(/^extra(\[0\])+$/);
    const [row] = await rejections();
    expect(row.code).toBe("000.20.20.H47-250124-0101");
    expect(JSON.stringify(row.raw)).toContain("[cut: nested deeper than 64 levels]");
    // The payload kept is not the one sent: a replay would store something else, so it is refused.
    const [{ id }] = await queryRows<{ id: number }>(
      server.database.db,
      sql`SELECT id::int AS id FROM sync_rejections`,
    );
    const replay = (await ok(
      await server.request(`/api/v1/sync/rejections/${id}/replay`, { method: "POST", token: tokens.admin }),
    )) as { items: { outcome: string }[] };
    expect(replay.items).toEqual([{ id, outcome: "altered", message: expect.any(String) }]);
  });
});

describe("a file imported again", () => {
  it("quarantines its refused record once, counting how often it was seen", async () => {
    await server.database.db.execute(sql`TRUNCATE sync_rejections`);
    const records = [
      canonicalRecord({ code: "000.20.20.H47-250124-0201" }),
      canonicalRecord({ code: "000.20.20.H47-250124-0202", channel: "fax" }),
    ];
    const path = join(dir, "dump.json");
    await writeFile(path, JSON.stringify(records));
    for (let run = 0; run < 3; run++) {
      const summary = await importFile(server.database.db, { path, format: "canonical" });
      expect(summary.rejected).toBe(1);
    }
    expect((await rejections()).map((r) => [r.code, r.seen])).toEqual([["000.20.20.H47-250124-0202", 3]]);
  });

  it("refuses a line nested 10,000 deep alone and imports the rest", async () => {
    await server.database.db.execute(sql`TRUNCATE sync_rejections`);
    const deep = withNested(canonicalRecord({ code: "000.20.20.H47-250124-0301" }), 10_000);
    const fine = JSON.stringify(canonicalRecord({ code: "000.20.20.H47-250124-0302" }));
    const path = join(dir, "deep.ndjson");
    await writeFile(path, `${deep}\n${fine}\n`);
    const summary = await importFile(server.database.db, { path, format: "canonical" });
    expect(summary).toMatchObject({ records: 2, rejected: 1 });
    expect(summary.malformed).toBeUndefined();
    const [row] = await rejections();
    expect(row.code).toBe("000.20.20.H47-250124-0301");
    expect(row.errors[0].path).toMatch(/^extra(\[0\])+$/);
  });
});
