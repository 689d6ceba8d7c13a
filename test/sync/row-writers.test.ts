// The two ways a batch's rows reach PostgreSQL, COPY (what postgres.js uses) and json(b)_to_recordset
// (what PGlite uses), store the same rows: the same batches (inserts, updates, stale and unchanged
// records, steps and pauses replaced, text that COPY must escape) applied each way to its own
// database give the same checksum over every table they write.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgencyResolver } from "../../src/catalog/agency-resolver.js";
import type { Database } from "../../src/db/client.js";
import { generateDossiers, generateProvince } from "../../src/demo/generator.js";
import { type ApplyCounts, applyRecords, rowWriterOf } from "../../src/sync/apply.js";
import { toCanonical } from "../../src/sync/formats/canonical.js";
import { prepareBatch } from "../../src/sync/pipeline.js";
import type { RowWriter } from "../../src/sync/rows.js";
import { jsonRowWriter } from "../../src/sync/rows-json.js";
import { defaultDialect } from "../../src/sync/sources.js";
import { createTestDatabase, onPostgres } from "../helpers/db.js";
import { fingerprint } from "../helpers/fingerprint.js";
import { canonicalRecord } from "../helpers/records.js";

const TABLES = [
  "dossiers",
  "dossier_steps",
  "dossier_pauses",
  "dossier_history",
  "agencies",
  "procedures",
  "officials",
];
/** The catalogue stamps updated_at with the database's clock; the dossiers take the batch's `now`. */
const NOT_FROM_RECORDS = ["id", "created_at", "updated_at"];
const NOW = new Date("2026-01-05T01:00:00Z");

type Raw = Record<string, unknown>;

const generated: Raw[] = [
  ...generateDossiers(generateProvince(7), {
    seed: 7,
    count: 150,
    from: new Date("2025-03-01T00:00:00+07:00"),
    to: new Date("2025-09-30T00:00:00+07:00"),
    asOf: new Date("2025-10-01T08:00:00+07:00"),
  }),
].map((r) => toCanonical(r) as unknown as Raw);

/** Text COPY must escape (tab, newline, carriage return, backslash) and text that looks like its markers. */
function tricky(n: number, sourceUpdatedAt: string, note: string): Raw {
  return canonicalRecord({
    code: `TRICKY-${n}`,
    procedureName: "Thủ tục\tcó tab",
    agencyName: "UBND \\ xã",
    applicant: {
      name: `\\N ${note}`,
      idNumber: "\\.",
      address: "Dòng 1\nDòng 2\r\nDòng 3",
      phone: null,
      email: "a\\b@example.vn",
      kind: "citizen",
    },
    steps: [
      {
        seq: 1,
        officialId: `cb-\t${n}`,
        officialName: 'Trần "Bình"',
        title: "Chuyên viên\\",
        department: "Phòng\nKinh tế",
        startedAt: "2025-01-24T10:00:00+07:00",
        dueAt: null,
        endedAt: null,
        note: `${note}\t\\t\\n\r`,
      },
    ],
    pauses: [
      { kind: "supplement", startedAt: "2025-01-25T10:00:00+07:00", endedAt: null, reason: `lý do\t${note}` },
    ],
    extra: { kept: "in raw\t\\ \n as sent", number: 1.5 },
    sourceUpdatedAt,
  });
}

/** A later version of a generated record: status, appointment, steps and pauses changed. */
function changed(raw: Raw, i: number): Raw {
  const steps = raw.steps as Raw[];
  return {
    ...raw,
    status: ((raw.status as number) % 10) + 1,
    promisedDueAt: i % 2 === 0 ? "2025-12-01T10:00:00+07:00" : null,
    steps: steps.slice(0, Math.max(1, steps.length - 1)).map((s) => ({ ...s, note: `sửa\t${i}` })),
    pauses:
      i % 3 === 0
        ? [{ kind: "financial", startedAt: "2025-11-01T10:00:00+07:00", endedAt: null, reason: null }]
        : [],
    sourceUpdatedAt: "2025-12-31T10:00:00+07:00",
  };
}

const BATCHES: Raw[][] = [
  [
    ...generated,
    tricky(1, "2025-01-24T10:05:00+07:00", "một"),
    tricky(2, "2025-01-24T10:05:00+07:00", "hai"),
  ],
  [
    ...generated.slice(0, 60).map(changed),
    tricky(1, "2025-02-01T10:05:00+07:00", "mới"),
    // Older than the stored version: stale.
    tricky(2, "2025-01-01T10:05:00+07:00", "cũ"),
    // The same dossier twice in a batch: the later one wins.
    changed(generated[100], 1),
    changed({ ...generated[100], sourceUpdatedAt: "2025-12-30T10:00:00+07:00" }, 2),
  ],
  // Everything again: unchanged or stale.
  [...generated, tricky(1, "2025-02-01T10:05:00+07:00", "mới")],
];

/** The writers are compared, not the catalogue: every agency the records name counts as catalogued. */
const agenciesOf = (raws: Raw[]) =>
  new AgencyResolver(
    [...new Set(raws.map((r) => String(r.agencyCode)))].map((code) => ({
      code,
      name: code,
      path: `/${code}/`,
    })),
  );

describe.skipIf(!onPostgres())("COPY and JSON row writers", () => {
  let viaCopy: Database;
  let viaJson: Database;
  beforeAll(async () => {
    [viaCopy, viaJson] = [await createTestDatabase(), await createTestDatabase()];
  });
  afterAll(async () => {
    await viaCopy.close();
    await viaJson.close();
  });

  it("store the same rows in every table", async () => {
    const apply = (database: Database, raws: Raw[], json: boolean) => {
      const { records, rejected } = prepareBatch(
        { source: "push", format: "canonical", raws, now: NOW },
        { agencies: agenciesOf(raws), dialect: defaultDialect("test") },
      );
      expect(rejected).toEqual([]);
      return database.db.transaction(async (tx): Promise<ApplyCounts> => {
        expect(rowWriterOf(tx) === jsonRowWriter).toBe(false);
        return applyRecords(tx, records, NOW, { writer: json ? jsonRowWriter : undefined });
      });
    };
    const counts: ApplyCounts[] = [];
    for (const raws of BATCHES) {
      const copied = await apply(viaCopy, raws, false);
      expect(await apply(viaJson, raws, true)).toEqual(copied);
      counts.push(copied);
    }
    expect(counts).toEqual([
      { inserted: 152, updated: 0, unchanged: 0, stale: 0, pending: 0 },
      { inserted: 0, updated: 62, unchanged: 0, stale: 2, pending: 0 },
      { inserted: 0, updated: 0, unchanged: 90, stale: 61, pending: 0 },
    ]);
    const [copy, json] = [
      await fingerprint(viaCopy, TABLES, NOT_FROM_RECORDS),
      await fingerprint(viaJson, TABLES, NOT_FROM_RECORDS),
    ];
    expect(copy.dossiers.rows).toBe(152);
    expect(copy.dossier_history.rows).toBeGreaterThan(152);
    expect(copy.dossier_pauses.rows).toBeGreaterThan(0);
    expect(copy).toEqual(json);
  });

  it("store the same rows when a batch told its dossiers are new finds them stored (COPY refused, upsert)", async () => {
    const viaFresh = await createTestDatabase();
    try {
      for (const raws of BATCHES) {
        const { records } = prepareBatch(
          { source: "push", format: "canonical", raws, now: NOW },
          { agencies: agenciesOf(raws), dialect: defaultDialect("test") },
        );
        await viaFresh.db.transaction(async (tx) => {
          const copy = rowWriterOf(tx);
          // As if a concurrent sync had inserted them after this batch read the stored versions.
          const told: RowWriter = {
            ...copy,
            upsertDossiers: (t, w, n) => copy.upsertDossiers(t, w, n, true),
          };
          return applyRecords(tx, records, NOW, { writer: told });
        });
      }
      const [copy, fresh] = [
        await fingerprint(viaCopy, TABLES, NOT_FROM_RECORDS),
        await fingerprint(viaFresh, TABLES, NOT_FROM_RECORDS),
      ];
      expect(fresh).toEqual(copy);
    } finally {
      await viaFresh.close();
    }
  });
});
