// PostgreSQL stopped and started again and again under write load (issue 15, item 2): pushes (their
// rows go by COPY), sweeps, letter issues and reads run all the while. The server process must not
// exit; every request must be answered 200/201 or 503 (a letter asked again after a 503 may find the
// letter its first attempt committed: 409, counted apart); what the pushes stored must equal, row
// for row, the same records pushed before the faults; the letters keep their invariants; a sweep
// left nothing half-done (two full sweeps at one asOf after it agree).
import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.js";
import {
  api,
  apology,
  check,
  fmt,
  letterChecks,
  letterInvariants,
  log,
  push,
  report,
  syncRecords,
  under,
} from "./harness.js";
import { type Postgres, sleep } from "./infra.js";

export interface RestartOptions {
  restarts: number;
  /** Records pushed (again and again, idempotent) while PostgreSQL comes and goes. */
  records: number;
  /** Eligible dossiers, each given a letter while PostgreSQL comes and goes. */
  letters: { code: string; newDueAt: string }[];
}

type Tally = Record<string, number>;
const count = (tally: Tally, key: string | number) => {
  tally[key] = (tally[key] ?? 0) + 1;
};
const describeTally = (tally: Tally) =>
  Object.entries(tally)
    .map(([status, n]) => `${fmt(n)} × ${status}`)
    .join(", ") || "none";
const only = (tally: Tally, allowed: string[]) => Object.keys(tally).every((s) => allowed.includes(s));

/** A request, its status tallied; a socket error is tallied too (the server went away). */
async function answered(tally: Tally, path: string, init: Parameters<typeof api>[1] = {}) {
  try {
    const answer = await api(path, init);
    count(tally, answer.status);
    return answer;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    log(`  ${path}: no answer (${cause?.code ?? cause?.message ?? String(error)})`);
    count(tally, "network error");
    return null;
  }
}

/**
 * The rows the records of `prefix` left, with the prefix taken out of every value: comparable across
 * prefixes. Left out: ids and wall-clock columns, and the content hash (and the source order it
 * breaks ties with), whose input is the raw record, code and all.
 */
async function rowsChecksum(prefix: string): Promise<Record<string, string>> {
  const wallClock = sql.raw(
    `ARRAY['id','created_at','updated_at','computed_at','recorded_at','content_hash','source_order']::text[]`,
  );
  const tables: [string, string][] = [
    ["dossiers", "code"],
    ["dossier_steps", "dossier_code"],
    ["dossier_pauses", "dossier_code"],
    ["dossier_history", "dossier_code"],
  ];
  const result: Record<string, string> = {};
  for (const [table, key] of tables) {
    const query: SQL = sql`SELECT count(*)::int AS n, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS md5
      FROM (SELECT md5(replace((to_jsonb(t) - ${wallClock})::text, ${`${prefix}-`}, 'X-')) AS h
            FROM ${sql.raw(table)} t WHERE ${sql.raw(key)} LIKE ${`${prefix}-%`}) rows`;
    const [row] = await queryRows<{ n: number; md5: string }>(under.db, query);
    result[table] = `${row.n}:${row.md5}`;
  }
  return result;
}

interface Writers {
  pushes: Tally;
  passes: number;
  sweeps: Tally;
  letters: Tally;
  /** Letters answered 409 after an earlier 503 for the same dossier: the 503'd attempt had committed. */
  lettersFoundAfter503: number;
  reads: Tally;
}

async function pushUntilStored(batches: Record<string, unknown>[][], writers: Writers, stop: () => boolean) {
  do {
    for (const batch of batches) {
      // Retried until stored: sync is idempotent, a 503 means "not now".
      for (;;) {
        const answer = await answered(writers.pushes, "/api/v1/sync/dossiers", {
          method: "POST",
          json: { format: "canonical", records: batch },
        });
        if (answer?.status === 200) break;
        await sleep(200);
      }
    }
    writers.passes++;
  } while (!stop());
}

async function sweepRepeatedly(writers: Writers, stop: () => boolean) {
  while (!stop()) {
    await answered(writers.sweeps, "/api/v1/sweeps", { method: "POST", json: {} });
    await sleep(300);
  }
}

async function issueLetters(targets: RestartOptions["letters"], writers: Writers) {
  for (const target of targets) {
    let refusedBefore = false;
    for (;;) {
      const answer = await answered(
        writers.letters,
        `/api/v1/dossiers/${encodeURIComponent(target.code)}/apology`,
        {
          method: "POST",
          json: apology(target.newDueAt),
        },
      );
      if (answer?.status === 201) break;
      if (answer?.status === 409 && refusedBefore) {
        writers.lettersFoundAfter503++;
        break;
      }
      if (answer?.status === 503) refusedBefore = true;
      if (answer?.status !== 503 && answer !== null) break;
      await sleep(200);
    }
    await sleep(100);
  }
}

async function readRepeatedly(codes: string[], writers: Writers, stop: () => boolean) {
  for (let i = 0; !stop(); i++) {
    await answered(writers.reads, `/api/v1/dossiers/${encodeURIComponent(codes[i % codes.length])}`);
    await sleep(20);
  }
}

/** Two full sweeps at one asOf: the second must find nothing new, reopened or resolved. */
async function sweepsAgree(): Promise<{ ok: boolean; detail: string }> {
  const asOf = new Date().toISOString();
  const first = await api("/api/v1/sweeps", { method: "POST", json: { asOf, full: true } });
  const second = await api("/api/v1/sweeps", { method: "POST", json: { asOf, full: true } });
  const rules = (
    second.body.counts as { rules?: Record<string, { new: number; reopened: number; resolved: number }> }
  )?.rules;
  const changed = Object.entries(rules ?? {}).filter(([, c]) => c.new + c.reopened + c.resolved > 0);
  return {
    ok:
      first.status === 201 &&
      second.status === 201 &&
      second.body.status === "succeeded" &&
      changed.length === 0,
    detail: `${first.status}/${second.status} ${String(second.body.status)}, ${changed.length} rules changed by the second`,
  };
}

export async function postgresRestartsUnderWritesSection(
  pg: Postgres,
  options: RestartOptions,
): Promise<void> {
  log(`PostgreSQL stopped and started ${options.restarts} times under pushes, sweeps, letters and reads`);
  const pid = under.server.child.pid;
  // The clean run: the same records under another prefix, pushed before any fault.
  const now = new Date();
  const clean = syncRecords(options.records, 17, "RLCLEAN", now);
  for (const batch of clean) await push(batch);
  const batches = syncRecords(options.records, 17, "RLFAULT", now);
  const reads = clean.flat().map((r) => String(r.code));
  const lettersBefore = await letterInvariants();
  const writers: Writers = {
    pushes: {},
    passes: 0,
    sweeps: {},
    letters: {},
    lettersFoundAfter503: 0,
    reads: {},
  };
  let faulting = true;
  const stop = () => !faulting;
  const started = performance.now();
  const work = Promise.all([
    pushUntilStored(batches, writers, stop),
    sweepRepeatedly(writers, stop),
    issueLetters(options.letters, writers),
    readRepeatedly(reads, writers, stop),
  ]);
  const downtimes: number[] = [];
  for (let i = 0; i < options.restarts; i++) {
    await sleep(1_500 + Math.random() * 1_500);
    const down = performance.now();
    await pg.stopAsync();
    await sleep(500 + Math.random() * 1_500);
    await pg.startAsync();
    downtimes.push(performance.now() - down);
    log(
      `  restart ${i + 1}/${options.restarts}: server ${under.server.child.exitCode === null ? "up" : "EXITED"}`,
    );
  }
  faulting = false;
  await work;
  const seconds = (performance.now() - started) / 1000;

  const faulted = await rowsChecksum("RLFAULT");
  const cleanSums = await rowsChecksum("RLCLEAN");
  const [{ letters }] = await queryRows<{ letters: number }>(
    under.db,
    sql`SELECT count(*)::int AS letters FROM apology_letters
        WHERE dossier_code IN (SELECT jsonb_array_elements_text(${JSON.stringify(options.letters.map((l) => l.code))}::jsonb))`,
  );
  const lettersAfter = await letterInvariants();
  const agree = await sweepsAgree();
  // A sweep the database left midway stays `running` until the next one takes its lease over.
  const [{ running }] = await queryRows<{ running: number }>(
    under.db,
    sql`SELECT count(*)::int AS running FROM sweeps WHERE status = 'running'`,
  );
  const sameProcess = under.server.child.exitCode === null && under.server.child.pid === pid;
  // Faults outside any request that the server logged and contained (src/server.ts) instead of exiting.
  const contained = under.server
    .output()
    .split("\n")
    .filter((line) => line.includes(", contained")).length;
  report.push(
    "## PostgreSQL restarted under writes",
    "",
    `${options.restarts} times, PostgreSQL was stopped (pg_ctl stop -m fast) and started again after 0.5–2 s (down ${(Math.min(...downtimes) / 1000).toFixed(1)}–${(Math.max(...downtimes) / 1000).toFixed(1)} s), 1.5–3 s apart, over ${seconds.toFixed(0)} s, while the harness pushed ${fmt(options.records)} records in batches again and again (${writers.passes} passes; their rows go by COPY), asked for a sweep every 0.3 s, issued ${options.letters.length} letters one after the other and read dossier pages. Each request was retried after a 503 until it was answered.`,
    "",
    `Answers: pushes ${describeTally(writers.pushes)}; sweeps ${describeTally(writers.sweeps)}; letters ${describeTally(writers.letters)} (${writers.lettersFoundAfter503} × 409 found the letter a 503'd attempt had committed); reads ${describeTally(writers.reads)}.`,
    "",
    check(sameProcess, `0 exits: the same server process throughout (pid ${pid})`),
    `Faults outside any request the server logged and contained: ${contained}.`,
    "",
    check(
      only(writers.pushes, ["200", "503"]) &&
        only(writers.sweeps, ["201", "503"]) &&
        only(writers.reads, ["200", "503"]),
      "every push, sweep and read answered 200/201 or 503",
    ),
    check(
      (writers.letters["409"] ?? 0) === writers.lettersFoundAfter503 &&
        only(writers.letters, ["201", "409", "503"]),
      "every letter answered 201 or 503 (409 only after a 503 whose attempt had committed)",
    ),
    check(
      JSON.stringify(faulted) === JSON.stringify(cleanSums),
      `the pushed records' rows equal the clean run's, row for row (${Object.entries(faulted)
        .map(([t, v]) => `${t} ${v.split(":")[0]}`)
        .join(", ")})`,
    ),
    check(
      letters === options.letters.length,
      `one letter per dossier asked (${letters} for ${options.letters.length})`,
    ),
    ...letterChecks("after the restarts", lettersAfter),
    check(lettersAfter.letters - lettersBefore.letters === options.letters.length, "no letter elsewhere"),
    check(running === 0, `no sweep left running once the next one ran (${running})`),
    check(agree.ok, `two full sweeps at one asOf afterwards agree (${agree.detail})`),
    "",
  );
}
