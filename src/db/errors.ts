// PostgreSQL errors as both drivers report them. postgres.js throws a PostgresError with `code`
// and `constraint_name`; PGlite a DatabaseError with `code` and `constraint`; drizzle (0.44+)
// wraps either in a DrizzleQueryError whose `cause` is the driver's error.

const UNIQUE_VIOLATION = "23505";

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  constraint_name?: unknown;
  cause?: unknown;
}

/** The name of the unique constraint (or index) the error violated, or null for any other error. */
export function uniqueViolation(error: unknown): string | null {
  for (let e = error as DriverError | undefined, depth = 0; e && depth < 4; depth++) {
    if (e.code === UNIQUE_VIOLATION) {
      const name = e.constraint_name ?? e.constraint;
      return typeof name === "string" ? name : "";
    }
    e = e.cause as DriverError | undefined;
  }
  return null;
}

// The database cannot be reached, or is going away: the request may succeed if tried again later.
// Network errors of the socket, postgres.js's own connection codes, and the SQLSTATEs of a server
// that is shutting down, starting, or out of connections (class 08, 57P01–57P03, 53300).
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

interface MaybeAggregate extends DriverError {
  errors?: unknown;
}

/** Whether the error means "the database is not reachable now" rather than a fault of the query. */
export function databaseUnavailable(error: unknown): boolean {
  for (let e = error as MaybeAggregate | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === "string" ? e.code : "";
    if (UNREACHABLE.has(code) || (code.length === 5 && code.startsWith("08"))) return true;
    // Node's happy-eyeballs connect reports every address it tried in an AggregateError.
    if (Array.isArray(e.errors) && e.errors.some((inner) => databaseUnavailable(inner))) return true;
    e = e.cause as MaybeAggregate | undefined;
  }
  return false;
}

/** Text PostgreSQL cannot store: U+0000 in text (22021) or in jsonb (22P05). */
export function unstorableText(error: unknown): boolean {
  for (let e = error as DriverError | undefined, depth = 0; e && depth < 4; depth++) {
    if (e.code === "22021" || e.code === "22P05") return true;
    e = e.cause as DriverError | undefined;
  }
  return false;
}

/**
 * A write that lost to a concurrent one and may succeed if tried again: thrown by our own code
 * when it gives up after retrying (a sync overtaken again and again: InsertedMeanwhile).
 */
export class ConcurrentWriteConflict extends Error {}

/** PostgreSQL's "try the transaction again": serialization failure (40001), deadlock (40P01). */
const RETRY_TRANSACTION = new Set(["40001", "40P01"]);

/** Whether the error is a transaction losing to a concurrent one: the request may succeed if sent again. */
export function concurrentWriteConflict(error: unknown): boolean {
  for (let e = error as DriverError | undefined, depth = 0; e && depth < 4; depth++) {
    if (e instanceof ConcurrentWriteConflict) return true;
    if (typeof e.code === "string" && RETRY_TRANSACTION.has(e.code)) return true;
    e = e.cause as DriverError | undefined;
  }
  return false;
}
