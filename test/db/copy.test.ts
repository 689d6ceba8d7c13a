// COPY text format: what copyText writes is read back by PostgreSQL as the same text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, postgresTransactionOf } from "../../src/db/client.js";
import { CopyLines, copyRows, copyText } from "../../src/db/copy.js";
import { createTestDatabase, onPostgres } from "../helpers/db.js";

const TRICKY = [
  "",
  "plain",
  "Nguyễn Văn An",
  "tab\there",
  "line\nbreak",
  "carriage\rreturn",
  "back\\slash",
  "\\N",
  "\\.",
  "\\",
  "\\\\t",
  "ends with a backslash\\",
  '{"a":"b\\"c","d":"\\u00e9\\n"}',
  "\t\n\r\\ all four",
  "other controls \u0001\u0008\u000b\u000c\u001f kept as they are",
  "😀 outside the BMP",
  // Larger than one chunk of CopyLines, in 3-byte and 4-byte characters.
  "ệ".repeat(100_000),
  "😀\t".repeat(50_000),
];

describe("copyText", () => {
  it("writes null as \\N and escapes exactly backslash, tab, newline and carriage return", () => {
    expect(copyText(null)).toBe("\\N");
    expect(copyText("")).toBe("");
    expect(copyText("Nguyễn Văn An")).toBe("Nguyễn Văn An");
    expect(copyText("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    expect(copyText("\\N")).toBe("\\\\N");
    expect(copyText("\\.")).toBe("\\\\.");
  });
});

describe("CopyLines", () => {
  const bytesOf = (rows: CopyLines) => Buffer.concat(rows.sealed()).toString();
  const fill = (rows: CopyLines, tag: string) => {
    for (let i = 0; i < 3000; i++) rows.add(`${tag} ${i}\tNguyễn Văn An\n`);
    rows.addBytes(Buffer.from(`${tag} bytes\n`));
  };

  it("lends its chunks once released, and what it sent before is not what the next one writes", () => {
    const first = new CopyLines();
    fill(first, "first");
    const sent = first.sealed().map((chunk) => Buffer.from(chunk).toString());
    const chunks = [...first.sealed()];
    first.release();
    expect(first.isEmpty).toBe(true);
    const second = new CopyLines();
    fill(second, "second");
    // The second writes into the first's memory: the same buffers, the second's rows.
    expect(second.sealed().some((c) => chunks.some((old) => old.buffer === c.buffer))).toBe(true);
    expect(bytesOf(second)).toBe(sent.join("").replaceAll("first", "second"));
  });

  it("keeps its chunks when not released", () => {
    const first = new CopyLines();
    fill(first, "kept");
    const before = bytesOf(first);
    const second = new CopyLines();
    fill(second, "other");
    expect(bytesOf(first)).toBe(before);
  });
});

describe.skipIf(!onPostgres())("copyRows on PostgreSQL", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it("stores every tricky text, and null, as it was, across chunks", async () => {
    const values = [...TRICKY, null, ...TRICKY, ...Array.from({ length: 5000 }, (_, i) => `hàng ${i}\\`)];
    const stored = await database.db.transaction(async (tx) => {
      const client = postgresTransactionOf(tx);
      if (!client) throw new Error("expected a postgres.js transaction");
      await client.unsafe(
        "CREATE TEMP TABLE copied (position integer, value text, other text) ON COMMIT DROP",
      );
      const rows = new CopyLines();
      for (const [i, v] of values.entries()) rows.add(`${i}\t${copyText(v)}\t${copyText(v)}\n`);
      await copyRows(client, "copied", ["position", "value", "other"], rows);
      return client<
        { value: string | null; other: string | null }[]
      >`SELECT value, other FROM copied ORDER BY position`;
    });
    expect(stored.map((r) => r.value)).toEqual(values);
    expect(stored.map((r) => r.other)).toEqual(values);
  });

  it("rejects with the server's error when a row does not fit, and the transaction rolls back", async () => {
    const attempt = database.db.transaction(async (tx) => {
      const client = postgresTransactionOf(tx);
      if (!client) throw new Error("expected a postgres.js transaction");
      await client.unsafe("CREATE TEMP TABLE numbers (n integer) ON COMMIT DROP");
      const rows = new CopyLines();
      rows.add("1\n");
      rows.add("not a number\n");
      await copyRows(client, "numbers", ["n"], rows);
    });
    await expect(attempt).rejects.toThrow(/invalid input syntax for type integer/);
  });

  it("rejects when the table is not there, before any row is sent", async () => {
    const attempt = database.db.transaction(async (tx) => {
      const client = postgresTransactionOf(tx);
      if (!client) throw new Error("expected a postgres.js transaction");
      const rows = new CopyLines();
      rows.add("1\n");
      await copyRows(client, "no_such_table", ["n"], rows);
    });
    await expect(attempt).rejects.toThrow(/no_such_table/);
  });

  it("is not offered outside a transaction, where each statement may take another connection", () => {
    expect(postgresTransactionOf(database.db)).toBeUndefined();
  });
});
