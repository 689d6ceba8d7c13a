// A whole integrator's scenario through the committed typed client (clients/typescript) only:
// catalogue, users, a push of records, the dossier list and detail, an apology letter and its PDF,
// a sweep, both reports. Every call is typed by the generated document, and every answer is also
// checked against it by the suite's response check.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMonitorClient, type MonitorClient, type Schema } from "../../clients/typescript/src/index.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES } from "../helpers/seed.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../helpers/server.js";

// The record's appointment was 7 February 2025 (Friday), 10:00 in Vietnam: overdue by Monday.
const NOW = new Date("2025-02-10T09:00:00+07:00");
const OVERDUE = canonicalRecord().code as string;
const ON_TRACK = "000.20.20.H47-250208-0002";

let server: TestServer;
let admin: MonitorClient;

/** The answer's data, or a failure naming the status and the error the service gave. */
function dataOf<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) {
    throw new Error(`${answer.response.status}: ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

/** A report asked as JSON (format's default): the CSV's text is the other answer the type allows. */
function reportOf<T>(report: T | string): T {
  if (typeof report === "string") throw new Error(`expected JSON, got ${report.slice(0, 40)}`);
  return report;
}

async function userClient(body: Schema<"UserInput">) {
  const created = dataOf(await admin.POST("/api/v1/users", { body }));
  return createMonitorClient({ baseUrl: server.baseUrl, token: created.token });
}

beforeAll(async () => {
  server = await startTestServer({ clock: fixedClock(NOW) });
  admin = createMonitorClient({ baseUrl: server.baseUrl, token: ADMIN_TOKEN });
});

afterAll(async () => {
  await server?.close();
});

describe("an integrator through the typed client", () => {
  it("syncs, lists, issues a letter and reads the reports", async () => {
    for (const { code, ...agency } of [AGENCIES.province, AGENCIES.districtA, AGENCIES.A]) {
      dataOf(await admin.PUT("/api/v1/agencies/{code}", { params: { path: { code } }, body: agency }));
    }
    dataOf(await admin.POST("/api/v1/procedures", { body: [BUILDING_PERMIT] }));
    const system = await userClient({ name: "Phần mềm Một cửa", role: "system" });
    const officer = await userClient({
      name: "Nguyễn Thị Một Cửa",
      role: "officer",
      agencyCode: AGENCIES.A.code,
    });
    const inspector = await userClient({ name: "Thanh tra Sở Nội vụ", role: "inspector", scope: "all" });

    // Sync: a push of two canonical records, one overdue, one received two days ago. The format is
    // left to its default, which the client's type must allow.
    const pushed = dataOf(
      await system.POST("/api/v1/sync/dossiers", {
        body: {
          records: [
            canonicalRecord(),
            canonicalRecord({
              code: ON_TRACK,
              receivedAt: "2025-02-08T08:00:00+07:00",
              promisedDueAt: "2025-02-20T17:00:00+07:00",
              steps: [],
              sourceUpdatedAt: "2025-02-08T08:05:00+07:00",
            }),
          ],
        },
      }),
    );
    expect(pushed).toMatchObject({ inserted: 2, rejected: [] });

    // List: the officer's overdue dossiers, camelCase with ISO instants, then every one page by page.
    const overdue = dataOf(
      await officer.GET("/api/v1/dossiers", { params: { query: { state: "overdue" } } }),
    );
    expect(overdue.items.map((d) => [d.code, d.state, d.bindingDueAt, d.hasLetter])).toEqual([
      [OVERDUE, "overdue", "2025-02-07T03:00:00.000Z", false],
    ]);
    const first = dataOf(await officer.GET("/api/v1/dossiers", { params: { query: { limit: 1 } } }));
    expect(first.items.map((d) => d.code)).toEqual([ON_TRACK]);
    const second = dataOf(
      await officer.GET("/api/v1/dossiers", {
        params: { query: { limit: 1, cursor: first.nextCursor ?? "" } },
      }),
    );
    expect([second.items.map((d) => d.code), second.nextCursor]).toEqual([[OVERDUE], null]);

    const detail = dataOf(
      await officer.GET("/api/v1/dossiers/{code}", { params: { path: { code: OVERDUE } } }),
    );
    expect(detail).toMatchObject({ state: "overdue", letter: null, agency: { code: AGENCIES.A.code } });

    // Letter: the suggested new appointment, issued by the officer, its PDF downloaded.
    const draft = dataOf(
      await officer.GET("/api/v1/dossiers/{code}/apology/suggestion", {
        params: { path: { code: OVERDUE } },
      }),
    );
    expect(draft.eligible).toBe(true);
    const letter = dataOf(
      await officer.POST("/api/v1/dossiers/{code}/apology", {
        params: { path: { code: OVERDUE } },
        body: {
          reason: "Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế",
          newDueAt: draft.newDueAt ?? "",
          signerName: "Lê Văn Cường",
          signerTitle: "CHỦ TỊCH",
        },
      }),
    );
    expect(letter).toMatchObject({ number: "01/PXL-LS", dossierCode: OVERDUE, newDueAt: draft.newDueAt });
    const pdf = await officer.GET("/api/v1/letters/{id}/pdf", {
      params: { path: { id: letter.id } },
      parseAs: "arrayBuffer",
    });
    expect(Buffer.from(dataOf(pdf)).subarray(0, 5).toString()).toBe("%PDF-");
    const again = await officer.POST("/api/v1/dossiers/{code}/apology", {
      params: { path: { code: OVERDUE } },
      body: { reason: "Lần hai", newDueAt: draft.newDueAt ?? "", signerName: "A", signerTitle: "B" },
    });
    expect([again.response.status, again.error?.error.code]).toEqual([409, "LETTER_EXISTS"]);

    // Reports: a sweep as the system, then compliance and repeat lateness as the inspector.
    const sweep = dataOf(await system.POST("/api/v1/sweeps", { body: {} }));
    expect(sweep.status).toBe("succeeded");
    const period = { from: "2025-01-01", to: "2026-01-01" };
    const compliance = reportOf(
      dataOf(
        await inspector.GET("/api/v1/reports/compliance", {
          params: { query: { ...period, groupBy: "agency" } },
        }),
      ),
    );
    expect(compliance.totals).toMatchObject({
      received: 2,
      openOverdue: 1,
      openNotDue: 1,
      lateWithLetter: 1,
      apologyCoverage: 1,
    });
    const repeat = reportOf(
      dataOf(
        await inspector.GET("/api/v1/reports/repeat-lateness", {
          params: { query: { ...period, threshold: 1 } },
        }),
      ),
    );
    expect(repeat.officials.map((o) => [o.officialId, o.lateCount, o.dossiers.map((d) => d.code)])).toEqual([
      ["cb-001", 1, [OVERDUE]],
    ]);
  });
});
