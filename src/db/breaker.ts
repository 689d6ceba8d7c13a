// A circuit breaker in front of the database. Once a query has failed because the database cannot be
// reached, every request would otherwise wait for a connection of its own to be refused (or to time
// out) before answering 503; the pool's queue makes that seconds under load. While the breaker is
// open, requests answer 503 at once, and one request per `probeIntervalMs` checks the database
// first: when it answers, the breaker closes and traffic flows again, with no timer to keep.

export interface BreakerOptions {
  /** How often, at most, one request checks whether the database is back. */
  probeIntervalMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { probeIntervalMs: 250 };

export type BreakerDecision = "pass" | "probe" | "refuse";

export interface CircuitBreaker {
  /** pass: the database is believed up; probe: check it first; refuse: answer 503 now. */
  decide(now?: number): BreakerDecision;
  /** A query failed because the database is unreachable: open (or keep open). */
  failed(now?: number): void;
  /** The database answered: close. */
  succeeded(): void;
  isOpen(): boolean;
}

export function createBreaker(options: Partial<BreakerOptions> = {}): CircuitBreaker {
  const { probeIntervalMs } = { ...DEFAULT_BREAKER, ...options };
  let open = false;
  let nextProbeAt = 0;
  return {
    decide(now = Date.now()) {
      if (!open) return "pass";
      if (now < nextProbeAt) return "refuse";
      nextProbeAt = now + probeIntervalMs;
      return "probe";
    },
    failed(now = Date.now()) {
      if (!open) nextProbeAt = now + probeIntervalMs;
      open = true;
    },
    succeeded() {
      open = false;
    },
    isOpen: () => open,
  };
}
