import { seedCalendar } from "../calendar/store.js";
import type { Database } from "./client.js";

/** What every start does before serving: migrations, then the calendar years not stored yet. */
export async function prepareDatabase(database: Database): Promise<void> {
  await database.migrate();
  await seedCalendar(database.db);
}
