// postgres.js as mended by scripts/patch-postgres.mjs (porsager/postgres#1208): a statement sent in a
// transaction whose connection the server closed is rejected with CONNECTION_CLOSED. Unmended, its
// bytes wait behind a setImmediate that writes to a null socket: an uncaught TypeError, the process
// gone (vitest reports it as an unhandled error and fails the run).

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onPostgres } from "../helpers/db.js";

describe("postgres.js after the server closes a connection", () => {
  it("is the mended build (npm install ran scripts/patch-postgres.mjs)", () => {
    for (const build of ["src", "cjs/src", "cf/src"]) {
      const source = readFileSync(
        new URL(`../../node_modules/postgres/${build}/connection.js`, import.meta.url),
        "utf8",
      );
      expect(source, build).toContain("osm patch (issue 15)");
    }
  });

  describe.runIf(onPostgres())("on PostgreSQL", () => {
    const serverUrl = process.env.TEST_DATABASE_URL as string;
    let admin: postgres.Sql;
    let client: postgres.Sql;
    beforeAll(() => {
      admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      client = postgres(serverUrl, { max: 2, onnotice: () => {}, backoff: () => 0.05 });
    });
    afterAll(async () => {
      await client.end({ timeout: 1 });
      await admin.end();
    });

    it("rejects the next statement of a transaction whose backend was terminated, and serves again", async () => {
      const tag = `osm_closed_${randomBytes(4).toString("hex")}`;
      let afterClose: unknown = null;
      const transaction = client.begin(async (tx) => {
        await tx.unsafe(`SET LOCAL application_name = '${tag}'`);
        await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${tag}`;
        await new Promise((resolve) => setTimeout(resolve, 200));
        // Small enough (< 1 KB) to be queued behind the setImmediate the unmended driver crashes in.
        afterClose = await tx`SELECT 1 AS one`.then(
          () => "answered",
          (error: { code?: string }) => error.code,
        );
      });
      await expect(transaction).rejects.toMatchObject({ code: expect.any(String) });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(afterClose).toBe("CONNECTION_CLOSED");
      const [row] = await client`SELECT 2 AS two`;
      expect(row.two).toBe(2);
    });
  });
});
