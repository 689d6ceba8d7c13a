/** Injected so that `asOf`, letters and sweeps are reproducible in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock & { set(at: Date): void } {
  let current = at;
  return { now: () => new Date(current), set: (next) => (current = next) };
}
