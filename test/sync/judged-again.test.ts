// A batch judged and written in a savepoint (judgedAgain, src/sync/apply.ts): overtaken by a
// concurrent sync (InsertedMeanwhile), what its judgment wrote is undone and it is judged again;
// overtaken every time, it fails after five judgments rather than retrying forever. The concurrent
// pushes that overtake a batch are test/sync/concurrent-push.test.ts.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Database, queryRows } from "../../src/db/client.js";
import { InsertedMeanwhile, judgedAgain } from "../../src/sync/apply.js";
import { createTestDatabase } from "../helpers/db.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`CREATE TABLE judgments (judgment integer NOT NULL)`);
});
afterAll(() => database.close());
beforeEach(() => database.db.execute(sql`TRUNCATE judgments`));

/** Runs judgedAgain in a transaction whose judgment n writes a row, then fails as `failure(n)` says. */
async function judge(failure: (judgment: number) => Error | undefined) {
  let judgments = 0;
  const outcome = await database.db
    .transaction((tx) =>
      judgedAgain(tx, async () => {
        judgments++;
        await tx.execute(sql`INSERT INTO judgments VALUES (${judgments})`);
        const error = failure(judgments);
        if (error) throw error;
        return `judgment ${judgments}`;
      }),
    )
    .then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  const rows = await queryRows<{ judgment: number }>(
    database.db,
    sql`SELECT judgment FROM judgments ORDER BY judgment`,
  );
  return { outcome, judgments, written: rows.map((r) => r.judgment) };
}

describe("judgedAgain", () => {
  it("undoes each overtaken judgment's writes and commits the one that was not overtaken", async () => {
    const run = await judge((n) => (n < 3 ? new InsertedMeanwhile([`HS-${n}`]) : undefined));
    expect(run.outcome).toEqual({ value: "judgment 3" });
    expect(run.judgments).toBe(3);
    expect(run.written).toEqual([3]);
  });

  it("fails after five judgments all overtaken, the transaction writing nothing", async () => {
    const run = await judge((n) => new InsertedMeanwhile([`HS-${n}`]));
    expect(run.judgments).toBe(5);
    expect("error" in run.outcome && run.outcome.error).toBeInstanceOf(InsertedMeanwhile);
    expect("error" in run.outcome && (run.outcome.error as InsertedMeanwhile).codes).toEqual(["HS-5"]);
    expect(run.written).toEqual([]);
  });

  it("judges once when the write fails for any other reason", async () => {
    const run = await judge(() => new Error("the server went away"));
    expect(run.judgments).toBe(1);
    expect("error" in run.outcome && (run.outcome.error as Error).message).toBe("the server went away");
    expect(run.written).toEqual([]);
  });
});
