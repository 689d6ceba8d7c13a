// The one nightly sweep (DOMAIN §7), behind node-cron, `npm run sweep`, POST /api/v1/sweeps and the
// Workers scheduled handler: under a lease, pull sync, recompute the deadlines that move with time,
// detect and resolve violations, count, post the digests, and record the run.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { databaseUnavailable } from "../db/errors.js";
import { postDigests } from "../digest/webhook.js";
import { recomputeDeadlines } from "../dossiers/recompute.js";
import type { Clock } from "../runtime/clock.js";
import { errorFields, type Logger } from "../runtime/logger.js";
import { type PullConfig, pullOnce } from "../sync/pull.js";
import { detectViolations, type RuleCounts } from "./detect.js";
import { orphanLease, releaseLease, renewLease } from "./lease.js";
import { closeRun, lastSucceededRun, openRun, SWEEP_LEASE, type SweepRun } from "./runs.js";
import type { SweepTrigger, ViolationRule } from "./schema.js";
import {
  ALL_DOSSIERS,
  anyOpenPause,
  CHANGED_DOSSIERS,
  calendarVersion,
  createChangedScope,
  SINCE_MARGIN_MS,
} from "./scope.js";
import { countStates } from "./states.js";

/** How sweeps run in this process; every field has a default. */
export interface SweepSettings {
  /** The one-stop software's export (SYNC_SOURCE_URL): pulled first when configured. */
  pullSource?: PullConfig | null;
  /** Per digest webhook request (one retry). */
  webhookTimeoutMs?: number;
  /** The lease's time to live; renewed every third of it while the sweep runs. */
  leaseTtlMs?: number;
}

declare module "../http/context.js" {
  interface AppDeps {
    /** How sweeps run here (pull source, webhook timeout, lease); defaults when absent. */
    sweep?: SweepSettings;
  }
}

export interface SweepDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  sweep?: SweepSettings;
}

export interface SweepOptions {
  trigger: SweepTrigger;
  /** Judge as of this instant; the clock's now by default. */
  asOf?: Date;
  /** Re-evaluate every dossier instead of what changed since the last successful sweep. */
  full?: boolean;
}

export type SweepOutcome = { ran: true; run: SweepRun } | { ran: false; runningSweepId: number | null };

export const LEASE_TTL_MS = 120_000;
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** What a sweep did, stored in `sweeps.counts`. */
export interface SweepCounts {
  mode: "full" | "incremental";
  /** The sweep an incremental run started from. */
  baselineSweepId: number | null;
  /** Dossiers whose violations were re-evaluated. */
  evaluated: number;
  pulled: Record<string, unknown> | null;
  /** Dossiers with an open pause whose stored deadlines were recomputed as of asOf. */
  recomputed: { selected: number; moved: number };
  /** The evaluated dossiers received by asOf, per state as of asOf (all of them in a full sweep). */
  states: Record<string, number>;
  rules: Record<ViolationRule, RuleCounts>;
  digests: { posted: number; failed: number };
  calendarVersion: string;
  /** Milliseconds spent in each part, for whoever has to find out why a night's sweep was slow. */
  phaseMs: { pull: number; recompute: number; scope: number; rules: number; states: number; digests: number };
}

let instanceId: string | undefined;

/** This process (or isolate) as a lease holder; made on first use: Workers refuse random values at load. */
function processInstance(): string {
  instanceId ??= `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return instanceId;
}

class LeaseLost extends Error {}

/** Runs one sweep, or reports the one already running (held lease): never two at a time. */
export async function runSweep(deps: SweepDeps, options: SweepOptions): Promise<SweepOutcome> {
  const db = deps.database.db;
  const startedAt = deps.clock.now();
  const asOf = options.asOf ?? startedAt;
  const holder = `${processInstance()}:${randomUUID().slice(0, 8)}`;
  const ttlMs = deps.sweep?.leaseTtlMs ?? LEASE_TTL_MS;
  const opened = await openRun(db, { holder, ttlMs, trigger: options.trigger, asOf, startedAt });
  if (!opened.opened) {
    deps.logger.info("sweep already running", { runningSweepId: opened.runningSweepId });
    return { ran: false, runningSweepId: opened.runningSweepId };
  }
  const sweepId = opened.run.id;
  const began = performance.now();
  let leaseLost = false;
  const renewal = setInterval(() => {
    renewLease(db, SWEEP_LEASE, holder, ttlMs).then(
      (held) => {
        if (!held) leaseLost = true;
      },
      (error) => deps.logger.warn("sweep lease renewal failed", { sweepId, ...errorFields(error) }),
    );
  }, ttlMs / 3);
  renewal.unref();
  const assertLease = () => {
    if (leaseLost) throw new LeaseLost("the lease expired and was taken over; stopped");
  };
  const errors: string[] = [];
  let counts: Partial<SweepCounts> = {};
  let status: "succeeded" | "failed" = "succeeded";
  let unreachable: unknown = null;
  try {
    counts = await sweep(deps, { sweepId, asOf, full: options.full ?? false }, errors, assertLease);
  } catch (error) {
    status = "failed";
    errors.push(error instanceof Error ? error.message : String(error));
    if (databaseUnavailable(error)) unreachable = error;
    deps.logger[unreachable ? "warn" : "error"]("sweep failed", { sweepId, ...errorFields(error) });
  } finally {
    clearInterval(renewal);
  }
  try {
    const run = await closeRun(db, sweepId, {
      status,
      counts,
      errors,
      finishedAt: deps.clock.now(),
      durationMs: Math.round(performance.now() - began),
    });
    deps.logger.info("sweep finished", {
      sweepId,
      status,
      mode: counts.mode,
      evaluated: counts.evaluated,
      durationMs: run.durationMs,
    });
    // The database went away under it: the caller's answer is "unavailable, try again" (503).
    if (unreachable) throw unreachable;
    return { ran: true, run };
  } finally {
    await releaseLease(db, SWEEP_LEASE, holder).catch((error: unknown) => {
      // Out of reach too: the next sweep of this process takes the lease over (lease.ts).
      orphanLease(holder);
      throw error;
    });
  }
}

async function sweep(
  deps: SweepDeps,
  input: { sweepId: number; asOf: Date; full: boolean },
  errors: string[],
  assertLease: () => void,
): Promise<SweepCounts> {
  const db = deps.database.db;
  const { asOf, sweepId } = input;
  const phaseMs = { pull: 0, recompute: 0, scope: 0, rules: 0, states: 0, digests: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phaseMs) => {
    const now = performance.now();
    phaseMs[phase] += Math.round(now - mark);
    mark = now;
  };
  let pulled: Record<string, unknown> | null = null;
  const source = deps.sweep?.pullSource;
  if (source) {
    // A source that is down must not stop the rules from running on what is already stored.
    try {
      pulled = { ...(await pullOnce({ db, now: () => deps.clock.now(), logger: deps.logger }, source)) };
    } catch (error) {
      errors.push(`pull: ${error instanceof Error ? error.message : String(error)}`);
    }
    assertLease();
  }
  lap("pull");
  // An open pause moves the statutory due every day (DOMAIN §3.4): recompute those as of asOf.
  const recomputed = (await anyOpenPause(db))
    ? await recomputeDeadlines(db, { asOf, withOpenPause: true, openOnly: true, listLimit: 0 })
    : { selected: 0, moved: 0 };
  assertLease();
  lap("recompute");
  const [baseline, calendar] = await Promise.all([lastSucceededRun(db), calendarVersion(db)]);
  const incremental =
    !input.full && baseline !== null && baseline.asOf <= asOf && baseline.calendarVersion === calendar;
  const { evaluated, rules, states } = await db.transaction(async (tx) => {
    // PostgreSQL would JIT-compile these wide statements (the scope, every rule) for longer than
    // they take to run: 150 ms for the scope alone at 1,000,000 dossiers.
    await tx.execute(sql`SET LOCAL jit = off`);
    let scoped: number | null = null;
    if (incremental) {
      scoped = await createChangedScope(tx, {
        since: new Date(baseline.startedAt.getTime() - SINCE_MARGIN_MS),
        lastAsOf: baseline.asOf,
        asOf,
      });
    }
    lap("scope");
    const scope = incremental ? CHANGED_DOSSIERS : ALL_DOSSIERS;
    const found = await detectViolations(tx, { asOf, ...scope }, sweepId, { incremental });
    lap("rules");
    // Counted in the same snapshot as the rules judged.
    const states = await countStates(tx, asOf, scope.dossiers);
    lap("states");
    return { evaluated: scoped, rules: found, states };
  });
  assertLease();
  const digests = await postDigests(
    db,
    { asOf, sweepId },
    { timeoutMs: deps.sweep?.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS },
  );
  errors.push(...digests.errors);
  lap("digests");
  return {
    mode: incremental ? "incremental" : "full",
    baselineSweepId: incremental ? baseline.id : null,
    evaluated: evaluated ?? Object.values(states).reduce((sum, n) => sum + (n ?? 0), 0),
    pulled,
    recomputed: { selected: recomputed.selected, moved: recomputed.moved },
    states,
    rules,
    digests: { posted: digests.posted, failed: digests.failed },
    calendarVersion: calendar,
    phaseMs,
  };
}
