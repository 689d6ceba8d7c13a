// What `npm run demo` does once the database is open: the province and its dossiers (load.ts), then a
// sweep as of the demo's clock, so that violations and the sweep history show the data just loaded.
import type { Database } from "../db/client.js";
import { fixedClock } from "../runtime/clock.js";
import type { Logger } from "../runtime/logger.js";
import { runSweep, type SweepOutcome } from "../sweep/run.js";
import { type DemoOptions, type DemoSummary, loadDemo } from "./load.js";

export async function loadFirstLook(
  database: Database,
  options: DemoOptions & { logger: Logger },
): Promise<{ summary: DemoSummary; sweep: SweepOutcome }> {
  const { logger, ...demo } = options;
  const summary = await loadDemo(database.db, demo);
  const sweep = await runSweep(
    { database, clock: fixedClock(options.now), logger },
    { trigger: "cli", asOf: options.now, full: true },
  );
  return { summary, sweep };
}
