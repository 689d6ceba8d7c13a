// The circuit breaker's states (src/db/breaker.ts), without a database: closed lets everything
// through; a failure opens it; while open one request per probe interval probes, the rest are refused.
import { describe, expect, it } from "vitest";
import { createBreaker } from "../../src/db/breaker.js";

describe("the database circuit breaker", () => {
  it("lets everything through while closed", () => {
    const breaker = createBreaker({ probeIntervalMs: 100 });
    expect([breaker.decide(0), breaker.decide(1)]).toEqual(["pass", "pass"]);
    expect(breaker.isOpen()).toBe(false);
  });

  it("refuses at once after a failure, lets one probe through per interval, closes on success", () => {
    const breaker = createBreaker({ probeIntervalMs: 100 });
    breaker.failed(1_000);
    expect(breaker.isOpen()).toBe(true);
    expect(breaker.decide(1_001)).toBe("refuse");
    expect(breaker.decide(1_099)).toBe("refuse");
    expect(breaker.decide(1_100)).toBe("probe");
    expect(breaker.decide(1_101)).toBe("refuse");
    breaker.failed(1_150);
    expect(breaker.decide(1_199)).toBe("refuse");
    expect(breaker.decide(1_200)).toBe("probe");
    breaker.succeeded();
    expect(breaker.decide(1_201)).toBe("pass");
  });
});
