import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";
import { generateDossiers, generateProvince } from "../../src/demo/generator.js";

// A way to reach gc() without --expose-gc on the command line: measurement, not a timing test.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

it("keeps memory flat while generating 200 000 dossiers", () => {
  const province = generateProvince(5);
  const iterator = generateDossiers(province, {
    seed: 5,
    count: 200_000,
    from: new Date("2024-01-01T00:00:00+07:00"),
    to: new Date("2025-12-31T00:00:00+07:00"),
    asOf: new Date("2026-01-05T08:00:00+07:00"),
  });
  const baseline = heapAfterGc();
  let steps = 0;
  let peak = 0;
  let n = 0;
  for (const record of iterator) {
    steps += record.steps.length;
    if (++n % 20_000 === 0) peak = Math.max(peak, heapAfterGc() - baseline);
  }
  expect(n).toBe(200_000);
  expect(steps).toBeGreaterThan(600_000);
  // Keeping the records would take hundreds of megabytes; a streaming generator keeps a few.
  expect(peak).toBeLessThan(16 * 1024 * 1024);
});
