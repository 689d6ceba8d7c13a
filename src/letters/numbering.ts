import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.js";

/**
 * The next number of the agency's letters of the year (DOMAIN §6: sequential per agency and year, no
 * gaps, no duplicates). Call it inside the issuing transaction: the upsert locks the counter row
 * until commit, so concurrent letters of the agency take consecutive numbers, and a transaction
 * that fails afterwards rolls its increment back, leaving no gap.
 */
export async function drawLetterNumber(tx: Db, agencyCode: string, year: number): Promise<number> {
  const [row] = await queryRows<{ last_number: number }>(
    tx,
    sql`INSERT INTO letter_counters (agency_code, year, last_number) VALUES (${agencyCode}, ${year}, 1)
        ON CONFLICT (agency_code, year) DO UPDATE SET last_number = letter_counters.last_number + 1
        RETURNING last_number`,
  );
  return Number(row.last_number);
}
