// A write that lost to a concurrent one is not a fault of the code: PostgreSQL's deadlock (40P01)
// and serialization failure (40001), and a sync overtaken by concurrent syncs five times over
// (InsertedMeanwhile), are answered 503 with Retry-After — send it again — not 500, and they do not
// open the database breaker: the database is fine. Real errors, from a real server, answered in a
// real request's context.
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { concurrentWriteConflict, databaseUnavailable } from "../../src/db/errors.js";
import { databaseAnswer } from "../../src/http/database-answers.js";
import type { ApiError } from "../../src/http/errors.js";
import { InsertedMeanwhile, judgedAgain } from "../../src/sync/apply.js";
import { createTestDatabase, onPostgres } from "../helpers/db.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.db.execute(sql`CREATE TABLE counters (id integer PRIMARY KEY, n integer NOT NULL)`);
  await database.db.execute(sql`INSERT INTO counters VALUES (1, 0), (2, 0)`);
});
afterAll(() => database.close());

/** What the API answers `error` with, in a request's own context. */
async function answerTo(error: unknown): Promise<ApiError | null> {
  let answer: ApiError | null = null;
  const app = new Hono().get("/", (c) => {
    answer = databaseAnswer(error, c);
    return c.body(null, 204);
  });
  await app.request("/");
  return answer;
}

/** The error two transactions raise when each waits for a row the other holds. */
async function deadlock(): Promise<unknown> {
  let holding = 0;
  let bothHold: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    bothHold = resolve;
  });
  const crossing = (first: number, second: number) =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE counters SET n = n + 1 WHERE id = ${first}`);
      if (++holding === 2) bothHold();
      await held;
      await tx.execute(sql`UPDATE counters SET n = n + 1 WHERE id = ${second}`);
    });
  const outcomes = await Promise.allSettled([crossing(1, 2), crossing(2, 1)]);
  const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
  expect(failed).toHaveLength(1);
  return failed[0].reason;
}

describe("a write that lost to a concurrent one", () => {
  it.runIf(onPostgres())(
    "a real deadlock is answered 503 with Retry-After, not as the database out of reach",
    async () => {
      const error = await deadlock();
      expect(concurrentWriteConflict(error)).toBe(true);
      expect(databaseUnavailable(error)).toBe(false);
      const answer = await answerTo(error);
      expect(answer).toMatchObject({ status: 503, code: "UNAVAILABLE", headers: { "Retry-After": "1" } });
      expect(answer?.message).toMatch(/concurrent write/);
    },
  );

  it("a sync overtaken five times is answered so too", async () => {
    const error = await database.db
      .transaction((tx) =>
        judgedAgain(tx, async () => {
          throw new InsertedMeanwhile(["HS-1"]);
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsertedMeanwhile);
    expect(await answerTo(error)).toMatchObject({ status: 503, headers: { "Retry-After": "1" } });
  });

  it("any other failed statement is left to the generic answer", async () => {
    const error = await database.db.execute(sql`SELECT 1 / 0`).catch((e: unknown) => e);
    expect(concurrentWriteConflict(error)).toBe(false);
    expect(await answerTo(error)).toBeNull();
  });
});
