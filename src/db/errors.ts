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
