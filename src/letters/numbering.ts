import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows, queryRowsPrepared } from "../db/client.js";

/**
 * The counter's upsert that gives the next number of the agency's letters of the year (DOMAIN §6:
 * sequential per agency and year, no gaps, no duplicates), as `last_number`. Run it inside the
 * issuing transaction: the upsert locks the counter row until commit, so concurrent letters of
 * the agency take consecutive numbers, and a transaction that fails afterwards rolls its increment
 * back, leaving no gap.
 */
const nextNumber = (agencyCode: string, year: number) =>
  sql`INSERT INTO letter_counters (agency_code, year, last_number) VALUES (${agencyCode}, ${year}, 1)
      ON CONFLICT (agency_code, year) DO UPDATE SET last_number = letter_counters.last_number + 1
      RETURNING last_number`;

/**
 * A letter's place in its agency's queue for a number. The counter row stays locked from the draw
 * to the commit, so whatever an issue does after drawing delays the agency's next letter: the PDF,
 * which carries the number, is drawn before, with the number the draw will most likely give, and
 * drawn again only when the draw gives another.
 */
export interface NumberReservation {
  /** The number this letter will most likely draw. */
  expected(tx: Db): Promise<number>;
  /**
   * Draws the number with `statement` (given the draw as the body of a WITH query, it answers the
   * drawn `last_number`), once the letters reserved before it in this process have drawn.
   */
  draw(tx: Db, statement: (draw: SQL) => SQL): Promise<number>;
  /** Lets the next letter draw: call it once, whether this one drew or not. */
  release(): void;
}

/** One agency-year's letters in this process, numbered 1, 2, … in the order they reserved. */
interface Lane {
  /** What the counter stood at before the lane's first letter: letter i expects base + i. */
  base?: Promise<number>;
  reserved: number;
  /** Settles when the latest reservation has drawn or given up. */
  tail: Promise<void>;
}

const lanes = new WeakMap<Db, Map<string, Lane>>();

function laneOf(db: Db, key: string): Lane {
  const byKey = lanes.get(db) ?? new Map<string, Lane>();
  lanes.set(db, byKey);
  const lane = byKey.get(key) ?? { reserved: 0, tail: Promise.resolve() };
  byKey.set(key, lane);
  return lane;
}

async function committedNumber(tx: Db, agencyCode: string, year: number): Promise<number> {
  const [row] = await queryRows<{ last_number: number }>(
    tx,
    sql`SELECT last_number FROM letter_counters WHERE agency_code = ${agencyCode} AND year = ${year}`,
  );
  return row ? Number(row.last_number) : 0;
}

/**
 * Reserves a place for a letter of `agencyCode` in `year` among the letters this process issues
 * on `db`. Letters draw in the order they reserved, so each can expect the number after the one
 * before it; a letter issued by another process, or a transaction rolled back after its draw,
 * makes an expectation wrong once, and the lane starts again from what the draw gave. The draw
 * stays the one source of numbers: an expectation only decides which PDF is drawn first.
 */
export function reserveLetterNumber(db: Db, agencyCode: string, year: number): NumberReservation {
  const lane = laneOf(db, `${agencyCode}\u0000${year}`);
  const index = ++lane.reserved;
  const before = lane.tail;
  let release!: () => void;
  lane.tail = new Promise<void>((resolve) => {
    release = resolve;
  });
  let expected: number | undefined;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    // In order: the next letter draws after this one, even when this one gives up first.
    void before.then(release);
  };
  return {
    async expected(tx) {
      if (expected === undefined) {
        lane.base ??= committedNumber(tx, agencyCode, year);
        const base = lane.base;
        // A read that failed is not the lane's base: the next letter reads again.
        base.catch(() => {
          if (lane.base === base) lane.base = undefined;
        });
        expected = (await base) + index;
      }
      return expected;
    },
    async draw(tx, statement) {
      await before;
      try {
        // Prepared: the same text for every letter, planned once per connection.
        const [row] = await queryRowsPrepared<{ last_number: number }>(
          tx,
          statement(nextNumber(agencyCode, year)),
        );
        const number = Number(row.last_number);
        if (number !== expected) lane.base = Promise.resolve(number - index);
        return number;
      } finally {
        finish();
      }
    },
    release: finish,
  };
}

/**
 * The writes that record a numbered letter, as WITH queries of the statement that runs them
 * (`name AS (…), …`): each writes once for each row of `wanted`, a relation of that statement.
 */
export type NumberedWrites<F> = (number: number, file: F) => SQL;

/**
 * Draws the letter's number and records it with its file, which shows the number. The counter row
 * stays locked from the draw to the commit (nextNumber), so the file is made while the draw waits
 * for the letters before it, with the number the draw is expected to give, and the draw and the
 * writes are one statement: the lock is held for that statement and the commit only. The writes
 * happen when the draw gives the expected number; else the file is made again and written after.
 */
export async function numberedFile<F>(
  db: Db,
  tx: Db,
  agencyCode: string,
  year: number,
  fileNumbered: (number: number) => Promise<F>,
  writes: NumberedWrites<F>,
): Promise<{ number: number; file: F }> {
  const reservation = reserveLetterNumber(db, agencyCode, year);
  try {
    const expected = await reservation.expected(tx);
    const file = await fileNumbered(expected);
    const number = await reservation.draw(
      tx,
      (draw) => sql`WITH drawn AS (${draw}), wanted AS (SELECT FROM drawn WHERE last_number = ${expected}),
        ${writes(expected, file)} SELECT last_number FROM drawn`,
    );
    if (number === expected) return { number, file };
    const again = await fileNumbered(number);
    await tx.execute(sql`WITH wanted AS (SELECT), ${writes(number, again)} SELECT`);
    return { number, file: again };
  } finally {
    reservation.release();
  }
}
