import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MINUTE_MS } from "../../src/calendar/dates.js";
import { clockLedger, computeDeadlines } from "../../src/deadlines/engine.js";
import { ms, officialIndex } from "../calendar/local-time.js";
import { dossier, hours, pause } from "./dossier.js";

const index = officialIndex();
const FROM = ms("2024-01-01 00:00");
const TO = ms("2026-10-31 00:00");
/** Any minute of 2024 – Oct 2026 (working or not). */
const instant = fc.integer({ min: FROM / MINUTE_MS, max: TO / MINUTE_MS }).map((m) => m * MINUTE_MS);
const workingMinutes = fc.integer({ min: 1, max: 40 * 480 });

const dueMs = (receivedMs: number, minutes: number): number =>
  index.addWorkingMs(index.snapForwardMs(receivedMs), minutes * MINUTE_MS);

describe("working-time properties", () => {
  it("adding working time then measuring it gives it back", () => {
    fc.assert(
      fc.property(instant, workingMinutes, (t, m) => {
        expect(index.workingMinutesBetween(t, index.addWorking(t, m))).toBe(m);
      }),
    );
  });

  it("the due is monotonic in the receipt and in the processing time", () => {
    fc.assert(
      fc.property(instant, instant, workingMinutes, workingMinutes, (t1, t2, m1, m2) => {
        const [a, b] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const [p, q] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(dueMs(a, p)).toBeLessThanOrEqual(dueMs(b, p));
        expect(dueMs(a, p)).toBeLessThanOrEqual(dueMs(a, q));
      }),
    );
  });

  it("a due lies in working time, or exactly at a period's end", () => {
    fc.assert(
      fc.property(instant, workingMinutes, (t, m) => {
        const due = dueMs(t, m);
        expect(index.isWorkingInstant(due - 1)).toBe(true);
        const atPeriodEnd = !index.isWorkingInstant(due);
        if (atPeriodEnd) expect(index.ordinalMs(due)).toBe(index.ordinalMs(due - 1) + 1);
      }),
    );
  });

  it("the instant of an ordinal is the earliest instant with that ordinal", () => {
    fc.assert(
      fc.property(instant, (t) => {
        const o = index.ordinalMs(t);
        const first = index.instantAtOrdinalMs(o);
        expect(first).toBeLessThanOrEqual(t);
        expect(index.ordinalMs(first)).toBe(o);
        expect(index.ordinalMs(first - 1)).toBe(o - 1);
      }),
    );
  });
});

describe("pause properties", () => {
  // Two disjoint pauses that both begin before the unpaused due.
  const scenario = fc
    .tuple(
      instant,
      fc.integer({ min: 480, max: 20 * 480 }),
      fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 4, maxLength: 4 }),
    )
    .map(([received, minutes, cuts]) => {
      const start = index.snapForwardMs(received);
      const span = index.addWorkingMs(start, minutes * MINUTE_MS) - start;
      const [s1, e1, s2, e2] = cuts
        .map((c) => start + Math.floor((c / 1_000_000) * span))
        .sort((a, b) => a - b);
      return { received, minutes, s1, e1: e1 + 1, s2: s2 + 2, e2: e2 + 3 * 86_400_000 };
    });

  it("two pauses move the due by the sum of the working time they cover", () => {
    fc.assert(
      fc.property(scenario, ({ received, minutes, s1, e1, s2, e2 }) => {
        const iso = (t: number) => new Date(t);
        const base = dossier("2024-01-01 00:00", hours(minutes / 60), { receivedAt: iso(received) });
        const plain = computeDeadlines(index, base).statutoryDueAt!.getTime();
        const paused = computeDeadlines(index, {
          ...base,
          pauses: [
            { kind: "supplement", startedAt: iso(s1), endedAt: iso(e1), reason: null },
            { kind: "financial", startedAt: iso(s2), endedAt: iso(e2), reason: null },
          ],
        }).statutoryDueAt!.getTime();
        const start = index.snapForwardMs(received);
        const covered =
          index.workingMsBetween(Math.max(s1, start), e1) + index.workingMsBetween(Math.max(s2, start), e2);
        expect(index.workingMsBetween(plain, paused)).toBe(covered);
      }),
    );
  });

  it("the ledger's counted minutes equal the elapsed working time minus the paused working time", () => {
    fc.assert(
      fc.property(scenario, instant, ({ received, minutes, s1, e1, s2, e2 }, extra) => {
        const iso = (t: number) => new Date(t);
        const asOf = Math.min(Math.max(received, extra) + 86_400_000, TO);
        const input = {
          ...dossier("2024-01-01 00:00", hours(minutes / 60), { receivedAt: iso(received) }),
          pauses: [
            pause("supplement", "2024-01-01 00:00", null),
            pause("financial", "2024-01-01 00:00", null),
          ].map((p, k) => ({ ...p, startedAt: iso(k === 0 ? s1 : s2), endedAt: iso(k === 0 ? e1 : e2) })),
        };
        const segments = clockLedger(index, input, iso(asOf));
        const countedMs = segments.reduce((sum, s) => sum + Math.round(s.minutes * MINUTE_MS), 0);
        const clip = (t: number) => Math.min(Math.max(t, received), asOf);
        const pausedMs =
          index.workingMsBetween(clip(s1), clip(e1)) + index.workingMsBetween(clip(s2), clip(e2));
        expect(countedMs).toBe(index.workingMsBetween(received, asOf) - pausedMs);
        for (let k = 1; k < segments.length; k++) expect(segments[k].from).toEqual(segments[k - 1].to);
        if (segments.length > 0) expect(segments.at(-1)!.to).toEqual(iso(asOf));
      }),
    );
  });
});
