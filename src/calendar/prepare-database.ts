import type { Database } from "../db/client.js";
import { seedCalendar } from "./store.js";
import { prepareWorkingDays } from "./working-days.js";

/**
 * What every start does before serving: migrations, the calendar years not stored yet, then the
 * SQL working-time tables brought up to date with the calendar and the agencies' periods.
 */
export async function prepareDatabase(database: Database): Promise<void> {
  await database.migrate();
  await seedCalendar(database.db);
  await prepareWorkingDays(database.db);
}
