// The Workers target (src/worker.ts, wrangler.toml) run as it would be deployed, locally: the bundle
// `wrangler deploy` would upload, served by wrangler dev in workerd (from the npm registry), with
// Hyperdrive's binding pointing at a fresh database on TEST_DATABASE_URL prepared by
// `npm run db:prepare` as a deploy would. Over HTTP: health, a synced record, an issued letter read
// back from its PDF (the same document the Node renderer makes of the stored input), then the cron
// trigger's scheduled handler running the sweep. Offline: no login, no metrics, no Request.cf
// download, no update check.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import { type Database, openDatabase, queryRows } from "../../src/db/client.js";
import { envSchema } from "../../src/env.js";
import { renderApologyLetter } from "../../src/letters/render.js";
import { fromStoredSnapshot } from "../../src/letters/snapshot.js";
import { loadLetterFonts } from "../../src/pdf/fonts.js";
import { parseWorkerEnv } from "../../src/worker.js";
import { onPostgres } from "../helpers/db.js";
import { assertPopplerInstalled, pdfFlatText } from "../helpers/pdf.js";
import { BUILDING_PERMIT, canonicalRecord } from "../helpers/records.js";
import { AGENCIES, ok } from "../helpers/seed.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const ADMIN_TOKEN = `worker-smoke-admin-${randomBytes(8).toString("hex")}`;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("wrangler.toml", () => {
  it("fires the cron trigger at SWEEP_CRON's default, 00:30 Asia/Ho_Chi_Minh, written in UTC", async () => {
    const toml = await readFile(join(ROOT, "wrangler.toml"), "utf8");
    const crons = /^crons\s*=\s*\[\s*"([^"]+)"\s*\]/m.exec(toml)?.[1];
    const [minute, hour, ...rest] = (crons ?? "").split(" ");
    const [localMinute, localHour, ...localRest] = envSchema.parse({}).SWEEP_CRON.split(" ");
    // Asia/Ho_Chi_Minh is UTC+7 all year (no DST), so one fixed shift is exact.
    expect({ minute, hour: (Number(hour) + 7) % 24, rest }).toEqual({
      minute: localMinute,
      hour: Number(localHour),
      rest: localRest,
    });
    expect(toml).toMatch(/compatibility_flags\s*=\s*\[[^\]]*"nodejs_compat"/);
    expect(toml).toMatch(/\[\[hyperdrive\]\]\s*\nbinding\s*=\s*"HYPERDRIVE"/);
  });
});

describe("the Worker's configuration", () => {
  it("is the Node schema on the string variables; bindings are not configuration", () => {
    const hyperdrive = { connectionString: "postgres://u:p@h/db" };
    expect(parseWorkerEnv({ HYPERDRIVE: hyperdrive, LOG_LEVEL: "warn" })).toMatchObject({
      LOG_LEVEL: "warn",
      SWEEP_TIMEZONE: "Asia/Ho_Chi_Minh",
    });
    expect(() => parseWorkerEnv({ HYPERDRIVE: hyperdrive, LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });
});

describe.skipIf(!onPostgres())(
  "the Worker under wrangler dev, Hyperdrive on PostgreSQL (needs TEST_DATABASE_URL: skipped on PGlite)",
  () => {
    let worker: LocalWorker;
    let database: Database;
    let dropDatabase: () => Promise<void>;
    const request = (path: string, init: { method?: string; token?: string; json?: unknown } = {}) =>
      fetch(`${worker.url}${path}`, {
        method: init.method ?? "GET",
        headers: {
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
          ...(init.json !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
      });

    beforeAll(async () => {
      assertPopplerInstalled();
      const fresh = await freshDatabase(process.env.TEST_DATABASE_URL!);
      dropDatabase = fresh.drop;
      await prepareLikeADeploy(fresh.url);
      database = await openDatabase({ databaseUrl: fresh.url, maxConnections: 2 });
      worker = await startWorker(fresh.url);
    }, 240_000);
    // workerd's console (the app's JSON log lines) says why a request failed.
    beforeEach(() =>
      onTestFailed(() => console.error(`wrangler dev output:\n${worker.output().slice(-6000)}`)),
    );
    afterAll(async () => {
      await worker?.stop();
      await database?.close();
      await dropDatabase?.();
    });

    it("answers /health on PostgreSQL", async () => {
      expect(await ok(await request("/health"))).toEqual({ status: "ok", db: "postgres" });
    });

    let officer: string;
    let system: string;
    const LETTERED = "000.20.20.H47-250124-0001";
    const UNLETTERED = "000.20.20.H47-250124-0002";

    it("syncs records pushed by the one-stop software", async () => {
      for (const { code, ...agency } of [AGENCIES.province, AGENCIES.districtA, AGENCIES.A]) {
        await ok(
          await request(`/api/v1/agencies/${code}`, { method: "PUT", token: ADMIN_TOKEN, json: agency }),
        );
      }
      await ok(
        await request("/api/v1/procedures", { method: "POST", token: ADMIN_TOKEN, json: [BUILDING_PERMIT] }),
      );
      const user = async (body: Record<string, unknown>) =>
        (
          (await ok(await request("/api/v1/users", { method: "POST", token: ADMIN_TOKEN, json: body }))) as {
            token: string;
          }
        ).token;
      system = await user({ name: "Đồng bộ", role: "system" });
      officer = await user({ name: "Nguyễn Thị Một Cửa", role: "officer", agencyCode: AGENCIES.A.code });
      // Received in January 2025 and still open: overdue whenever this runs.
      const records = [canonicalRecord({ code: LETTERED }), canonicalRecord({ code: UNLETTERED })];
      const synced = await ok(
        await request("/api/v1/sync/dossiers", { method: "POST", token: system, json: { records } }),
      );
      expect(synced).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, stale: 0, rejected: [] });
      const again = await ok(
        await request("/api/v1/sync/dossiers", { method: "POST", token: system, json: { records } }),
      );
      expect(again).toMatchObject({ inserted: 0, unchanged: 2 });
      const detail = (await ok(await request(`/api/v1/dossiers/${LETTERED}`, { token: officer }))) as {
        state: string;
        bindingDueAt: string;
      };
      expect(detail).toMatchObject({ state: "overdue", bindingDueAt: "2025-02-07T03:00:00.000Z" });
    });

    it("issues an apology letter whose PDF reads back, the same document Node renders from its stored input", async () => {
      const draft = (await ok(
        await request(`/api/v1/dossiers/${LETTERED}/apology/suggestion`, { token: officer }),
      )) as { eligible: boolean; newDueAt: string };
      expect(draft.eligible).toBe(true);
      const letter = (await ok(
        await request(`/api/v1/dossiers/${LETTERED}/apology`, {
          method: "POST",
          token: officer,
          json: {
            reason: "Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế về quy hoạch sử dụng đất",
            newDueAt: draft.newDueAt,
            signerName: "Lê Văn Cường",
            signerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
          },
        }),
        [201],
      )) as { id: number; number: string; sha256: string; pdfUrl: string };
      expect(letter.number).toBe("01/PXL-LS");
      const second = await request(`/api/v1/dossiers/${LETTERED}/apology`, {
        method: "POST",
        token: officer,
        json: { reason: "Lần hai", newDueAt: draft.newDueAt, signerName: "A", signerTitle: "B" },
      });
      expect(second.status).toBe(409);
      await second.body?.cancel();

      const pdf = await request(`/api/v1/letters/${letter.id}/pdf`, { token: officer });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
      const bytes = new Uint8Array(await pdf.arrayBuffer());
      expect(sha256(bytes)).toBe(letter.sha256);
      const text = pdfFlatText(bytes);
      expect(text).toContain("PHIẾU XIN LỖI");
      expect(text).toContain(LETTERED);
      expect(text).toContain("Nguyễn Văn An");
      expect(text).toContain("Số: 01/PXL-LS");

      // pdfkit's browser build with bundled fonts on workerd, its Node build with the files here: the
      // same document, compressed by fflate there and zlib here (so not the same bytes).
      const [row] = await queryRows<{ input: unknown }>(
        database.db,
        sql`SELECT input FROM letter_versions WHERE letter_id = ${letter.id} AND version = 1`,
      );
      const onNode = renderApologyLetter(await loadLetterFonts(), fromStoredSnapshot(row.input));
      expect(inflated(bytes)).toBe(inflated(onNode));
    });

    it("runs the sweep from the cron trigger's scheduled handler", async () => {
      // Miniflare's trigger for scheduled handlers (wrangler dev's --test-scheduled route is added
      // when wrangler bundles, which it does not here).
      const fired = await fetch(
        `${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("30 17 * * *")}`,
      );
      expect({ status: fired.status, outcome: await fired.text() }).toEqual({ status: 200, outcome: "ok" });
      // The handler returns at once; the sweep runs under ctx.waitUntil.
      const run = await eventually(async () => {
        const runs = (await ok(await request("/api/v1/sweeps", { token: system }))) as { items: SweepView[] };
        return runs.items.find((r) => r.trigger === "worker" && r.status !== "running");
      });
      expect(run).toMatchObject({ trigger: "worker", status: "succeeded", errors: [] });
      expect(run.counts).toMatchObject({ mode: "full", evaluated: 2 });
      const violations = (await ok(
        await request("/api/v1/violations?rule=late_without_apology", { token: officer }),
      )) as { items: { dossierCode: string }[] };
      expect(violations.items.map((v) => v.dossierCode)).toEqual([UNLETTERED]);
    });
  },
);

interface SweepView {
  id: number;
  trigger: string;
  status: string;
  errors: string[];
  counts: Record<string, unknown>;
}

/**
 * The PDF with every compressed stream inflated (the XMP metadata stays uncompressed, as PDF/A
 * readers expect), lengths and the cross-reference table left out.
 */
function inflated(pdf: Uint8Array): string {
  return Buffer.from(pdf)
    .toString("latin1")
    .replace(/stream\n([\s\S]*?)\nendstream/g, (_, body: string) => {
      const plain = body.startsWith("<?xpacket")
        ? body
        : inflateSync(Buffer.from(body, "latin1")).toString("latin1");
      return `stream\n${plain}\nendstream`;
    })
    .replace(/\/Length \d+/g, "/Length")
    .replace(/\nxref\n[\s\S]*$/, "");
}

async function eventually<T>(probe: () => Promise<T | undefined>, attempts = 120): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("gave up waiting");
}

/** A new database on the server (Hyperdrive's local mode wants a password: trust auth ignores it). */
async function freshDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `osm_worker_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (!url.password) url.password = "unused-under-trust";
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** `npm run db:prepare`, the Workers deploy step: migrations, calendar, working time, the admin. */
async function prepareLikeADeploy(databaseUrl: string): Promise<void> {
  const { code, output } = await run(process.execPath, ["--import", "tsx", "src/local/prepare-cli.ts"], {
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN,
  });
  if (code !== 0) throw new Error(`db:prepare failed (${code}):\n${output}`);
  expect(output).toContain("db:prepare: postgres ready");
}

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

interface LocalWorker {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

/** wrangler offline: no login, no metrics, no Request.cf download, no update check, its files in `home`. */
function wranglerEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: home,
    XDG_CONFIG_HOME: join(home, "config"),
    WRANGLER_LOG_PATH: join(home, "logs"),
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    CI: "true",
    ...extra,
  };
}

/**
 * The bundle `wrangler deploy` would upload (`--dry-run --outdir`), served by `wrangler dev --local`
 * as it is: no rebuild when someone edits src/ while the test runs (wrangler dev watches sources).
 */
async function startWorker(databaseUrl: string): Promise<LocalWorker> {
  const home = await mkdtemp(join(tmpdir(), "osm-wrangler-"));
  const dist = join(home, "dist");
  const built = await run(
    process.execPath,
    [WRANGLER, "deploy", "--dry-run", `--outdir=${dist}`],
    wranglerEnv(home),
  );
  if (built.code !== 0) throw new Error(`wrangler deploy --dry-run failed (${built.code}):\n${built.output}`);
  const config = (await readFile(join(ROOT, "wrangler.toml"), "utf8")).replace(
    /^main = "src\/worker\.ts"$/m,
    'main = "worker.js"\nno_bundle = true',
  );
  expect(config).toContain("no_bundle = true");
  await writeFile(join(dist, "wrangler.toml"), config);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      WRANGLER,
      "dev",
      `--config=${join(dist, "wrangler.toml")}`,
      "--local",
      "--ip=127.0.0.1",
      `--port=${port}`,
      `--inspector-port=${port + 1}`,
      `--persist-to=${join(home, "state")}`,
      "--show-interactive-dev-session=false",
      "--var=LOG_LEVEL:warn",
    ],
    {
      cwd: ROOT,
      env: wranglerEnv(home, { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl }),
    },
  );
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      const killed = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killed);
    }
    await rm(home, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    if (/Ready on/.test(output)) return { url, stop, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`wrangler dev did not start:\n${output}`);
}
