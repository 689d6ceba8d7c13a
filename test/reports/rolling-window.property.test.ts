// The rolling window of the repeat-lateness report (`rolling_days:N`), against a brute force: for
// random late dossiers of one official (ties included), random N and threshold, the official is
// reported exactly when some window [due, due + N days) starting at one of their late dossiers
// holds threshold of them or more, and the report's peak is the busiest such window (the earliest
// of equals). The SQL counts on a time line (a running count and a rank); this pairs every two.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RepeatLatenessReport } from "../../src/reports/repeat-lateness.js";
import { fixedClock } from "../../src/runtime/clock.js";
import { AGENCIES, type Tokens } from "../helpers/seed.js";
import { type SeededServer, startSeededServer } from "../helpers/server.js";
import { dossier, getJson, officialOf, PERMIT_WITH_STEPS } from "./dataset.js";

const NOW = new Date("2025-04-15T10:00:00+07:00");
const FROM = Date.parse("2025-01-01T00:00:00+07:00");
const TO = Date.parse("2025-04-01T00:00:00+07:00");
const DAY_MS = 86_400_000;
const RECEIVED = "2025-01-02T08:00:00+07:00";

let server: SeededServer;
let tokens: Tokens;

beforeAll(async () => {
  server = await startSeededServer({ clock: fixedClock(NOW), procedures: [PERMIT_WITH_STEPS] });
  ({ tokens } = server);
});
afterAll(() => server.close());

/**
 * A step due at 08:00 (mostly) or 14:00 local, on one of a few weeks' days or near the quarter's
 * end: several share a due, and many lie exactly N days apart — a window's edges.
 */
const due = fc
  .record({
    day: fc.oneof(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 80, max: 88 })),
    hour: fc.constantFrom(8, 8, 8, 14),
  })
  .map(({ day, hour }) => Date.parse(RECEIVED) + day * DAY_MS + (hour - 8) * 3_600_000);

/** The busiest window [d, d + N days) starting at a due: its count and start (earliest of equals). */
function busiest(dues: number[], days: number): { count: number; from: number } {
  let best = { count: 0, from: Number.POSITIVE_INFINITY };
  for (const start of dues) {
    const count = dues.filter((d) => d >= start && d < start + days * DAY_MS).length;
    if (count > best.count || (count === best.count && start < best.from)) best = { count, from: start };
  }
  return best;
}

let run = 0;
it("reports an official exactly when their busiest rolling window reaches the threshold", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(due, { minLength: 1, maxLength: 9 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 5 }),
      async (dues, days, threshold) => {
        run += 1;
        const official = officialOf(`cb-roll-${run}`, `Cán bộ ${run}`);
        await server.sync(
          dues.map((at, i) =>
            dossier(`${AGENCIES.A.code}-ROLL-${run}-${i}`, AGENCIES.A, RECEIVED, [
              {
                official,
                startedAt: RECEIVED,
                dueAt: new Date(at).toISOString(),
                endedAt: new Date(at + 2 * 3_600_000).toISOString(),
              },
            ]),
          ),
        );
        const report = await getJson<RepeatLatenessReport>(
          server,
          `/api/v1/reports/repeat-lateness?from=2025-01-01&to=2025-04-01&window=rolling_days:${days}&threshold=${threshold}`,
          tokens.inspectorAll,
        );
        const listed = report.officials.find((o) => o.officialId === official.officialId);
        const expected = busiest(dues, days);
        if (expected.count < threshold) {
          expect(listed).toBeUndefined();
          return;
        }
        expect(listed?.lateCount).toBe(dues.length);
        expect(listed?.peakWindow).toEqual({
          from: new Date(Math.max(expected.from, FROM)).toISOString(),
          to: new Date(Math.min(expected.from + days * DAY_MS, TO)).toISOString(),
          lateCount: expected.count,
        });
      },
    ),
    { numRuns: 30 },
  );
});
