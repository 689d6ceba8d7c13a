// A lease row per job (job_leases): one run at a time across processes and databases drivers.
// Advisory locks are session state, which PGlite lacks and transaction poolers lose; a row with an
// expiry works everywhere, and the lease of a process that died expires by itself. Times are the
// database's clock, the one clock every process shares.
import { sql } from "drizzle-orm";
import { type Db, queryRows, textArray } from "../db/client.js";

const expiry = (ttlMs: number) => sql`clock_timestamp() + ${ttlMs} * interval '1 millisecond'`;

/**
 * Leases of this process whose job ended without releasing them, the database being out of reach
 * then (PostgreSQL restarting): no job of theirs runs any more, so this process takes them over at
 * once instead of answering "running" (409) until they expire.
 */
const orphans = new Set<string>();

export function orphanLease(holder: string): void {
  orphans.add(holder);
}

/** Takes the lease when it is free, expired, or an orphan of this process; false when another holder has it. */
export async function acquireLease(db: Db, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`INSERT INTO job_leases (name, holder, acquired_at, expires_at)
        VALUES (${name}, ${holder}, clock_timestamp(), ${expiry(ttlMs)})
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at,
          expires_at = excluded.expires_at
        WHERE job_leases.expires_at < clock_timestamp() OR job_leases.holder = ANY(${textArray([...orphans])})
        RETURNING name`,
  );
  if (rows.length === 1) orphans.clear();
  return rows.length === 1;
}

/** Extends a lease still held; false when it was lost (expired and taken over). */
export async function renewLease(db: Db, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`UPDATE job_leases SET expires_at = ${expiry(ttlMs)}
        WHERE name = ${name} AND holder = ${holder} RETURNING name`,
  );
  return rows.length === 1;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.execute(sql`DELETE FROM job_leases WHERE name = ${name} AND holder = ${holder}`);
}
