// Pauses and restarts (DOMAIN §3.4). Base case: received Mon 2025-03-03 07:30, 3 working days (24 h),
// no pause → Wed 2025-03-05 17:30.
import { describe, expect, it } from "vitest";
import { computeDeadlines } from "../../src/deadlines/engine.js";
import type { DeadlineInput } from "../../src/deadlines/types.js";
import { at, local, officialIndex } from "../calendar/local-time.js";
import { days, dossier, pause } from "./dossier.js";

const index = officialIndex();
const RECEIVED = "2025-03-03 07:30";
const statutory = (rest: Partial<DeadlineInput>, asOf?: string) =>
  local(
    computeDeadlines(index, dossier(RECEIVED, days(3), rest), asOf ? at(asOf) : undefined).statutoryDueAt,
  );

// Mon 13:30 → Tue 13:30 covers Mon 13:30–17:30 and Tue 07:30–11:30: 8 working hours.
const supplement = pause("supplement", "2025-03-03 13:30", "2025-03-04 13:30", "Thiếu bản vẽ");

describe("pause policy", () => {
  it("no pause: Mon, Tue, Wed", () => {
    expect(statutory({})).toBe("2025-03-05 17:30");
  });

  it("a supplement pause moves the due by the working time it covered (8 h)", () => {
    expect(statutory({ pauses: [supplement] })).toBe("2025-03-06 17:30");
  });

  it("several pauses add: + a financial wait Thu 08:00–10:00 (2 h) → Fri 09:30", () => {
    const financial = pause("financial", "2025-03-06 08:00", "2025-03-06 10:00", "Chờ nộp phí");
    expect(statutory({ pauses: [financial, supplement] })).toBe("2025-03-07 09:30");
  });

  it("overlapping pauses count their union once: Mon 13:30 → Tue 15:30 = 10 h", () => {
    const financial = pause("financial", "2025-03-04 07:30", "2025-03-04 15:30");
    expect(statutory({ pauses: [supplement, financial] })).toBe("2025-03-07 09:30");
  });

  it("only the part of a pause after the start counts: Sun → Mon 09:30 covers 2 h", () => {
    expect(statutory({ pauses: [pause("supplement", "2025-03-02 10:00", "2025-03-03 09:30")] })).toBe(
      "2025-03-06 09:30",
    );
  });

  it("a pause over a weekend only moves the due by the working time it covers (Fri 15:30 → Mon 08:30 = 3 h)", () => {
    const d = computeDeadlines(index, {
      ...dossier("2025-03-06 07:30", days(2)),
      pauses: [pause("supplement", "2025-03-07 15:30", "2025-03-10 08:30")],
    });
    // Thu 8 h, Fri 07:30–15:30 6 h, resumes Mon 08:30: 2 h more → 10:30 (= Fri 17:30 + 3 h).
    expect(local(d.statutoryDueAt)).toBe("2025-03-10 10:30");
  });

  it("a pause that starts after the time ran out changes nothing: a late dossier stays late", () => {
    expect(statutory({ pauses: [pause("supplement", "2025-03-06 08:00", "2025-03-07 08:00")] })).toBe(
      "2025-03-05 17:30",
    );
  });

  it("an open pause: unknown without asOf; with asOf it is taken to end at asOf", () => {
    const open = pause("supplement", "2025-03-03 13:30", null);
    const unknown = computeDeadlines(index, dossier(RECEIVED, days(3), { pauses: [open] }));
    expect(unknown.statutoryDueAt).toBeNull();
    expect(unknown.clockStopped).toBe(true);
    // Covered Mon 13:30 → Wed 09:30 = 4 + 8 + 2 = 14 h: Wed 17:30 + 14 h = Fri 15:30.
    expect(statutory({ pauses: [open] }, "2025-03-05 09:30")).toBe("2025-03-07 15:30");
    const settled = computeDeadlines(
      index,
      dossier(RECEIVED, days(3), { pauses: [open] }),
      at("2025-03-05 09:30"),
    );
    expect(settled.clockStopped).toBe(true);
  });

  it("as of a past time, later pauses are ignored and running ones end at asOf", () => {
    expect(statutory({ pauses: [supplement] }, "2025-03-03 10:00")).toBe("2025-03-05 17:30");
    // As of Tue 09:30 the supplement had covered Mon 13:30–17:30 and Tue 07:30–09:30: 6 h.
    expect(statutory({ pauses: [supplement] }, "2025-03-04 09:30")).toBe("2025-03-06 15:30");
  });
});

describe("restart policy", () => {
  it("the full time starts again from the end of the supplement: Tue 13:30 + 24 h → Fri 11:30", () => {
    expect(statutory({ supplementPolicy: "restart", pauses: [supplement] })).toBe("2025-03-07 11:30");
  });

  it("restarts from the last supplement; a supplement completed out of hours restarts at the next start", () => {
    const late = pause("supplement", "2025-03-05 08:00", "2025-03-05 19:00");
    // Restart at Thu 07:30: Thu, Fri, Mon.
    expect(statutory({ supplementPolicy: "restart", pauses: [supplement, late] })).toBe("2025-03-10 17:30");
  });

  it("a financial wait always pauses, even under restart", () => {
    const financial = pause("financial", "2025-03-03 13:30", "2025-03-04 13:30");
    expect(statutory({ supplementPolicy: "restart", pauses: [financial] })).toBe("2025-03-06 17:30");
  });

  it("a financial wait after a restart adds its working time: Fri 11:30 + 2 h → Fri 15:30", () => {
    const financial = pause("financial", "2025-03-06 08:00", "2025-03-06 10:00");
    expect(statutory({ supplementPolicy: "restart", pauses: [supplement, financial] })).toBe(
      "2025-03-07 15:30",
    );
  });
});

describe("binding due", () => {
  it("is the earlier of promised and statutory", () => {
    const earlier = computeDeadlines(
      index,
      dossier(RECEIVED, days(3), { promisedDueAt: at("2025-03-05 11:00") }),
    );
    expect(local(earlier.bindingDueAt)).toBe("2025-03-05 11:00");
    const later = computeDeadlines(
      index,
      dossier(RECEIVED, days(3), { promisedDueAt: at("2025-03-07 11:00") }),
    );
    expect(local(later.bindingDueAt)).toBe("2025-03-05 17:30");
    expect(local(later.promisedDueAt)).toBe("2025-03-07 11:00");
  });

  it("is the promised due while the processing time is unknown, and null with neither", () => {
    const promisedOnly = computeDeadlines(
      index,
      dossier(RECEIVED, null, { promisedDueAt: at("2025-03-07 11:00") }),
    );
    expect(promisedOnly.processingTimeKnown).toBe(false);
    expect(promisedOnly.statutoryDueAt).toBeNull();
    expect(local(promisedOnly.bindingDueAt)).toBe("2025-03-07 11:00");
    const nothing = computeDeadlines(index, dossier(RECEIVED, null));
    expect(nothing.bindingDueAt).toBeNull();
    expect(nothing.apologyWindowStartsAt).toBeNull();
  });

  it("uses the statutory due after pauses", () => {
    const d = computeDeadlines(
      index,
      dossier(RECEIVED, days(3), { pauses: [supplement], promisedDueAt: at("2025-03-10 09:00") }),
    );
    expect(local(d.bindingDueAt)).toBe("2025-03-06 17:30");
  });
});

describe("apology window: binding due − 1 working day, walking back through working time", () => {
  it.each([
    ["Fri 10:00 → Thu 10:00", "2025-02-07 10:00", "2025-02-06 10:00"],
    ["back across Tết: Mon 3/2 09:00 → Fri 24/1 09:00", "2025-02-03 09:00", "2025-01-24 09:00"],
    [
      "back across the make-up Sat 26/4/2025: Mon 28/4 11:30 → Sat 26/4 11:30",
      "2025-04-28 11:30",
      "2025-04-26 11:30",
    ],
    [
      "a due at Mon 07:30 sharp → Thu 17:30 (same working moment as Fri 07:30)",
      "2025-03-10 07:30",
      "2025-03-06 17:30",
    ],
  ])("%s", (_case, promised, expected) => {
    const d = computeDeadlines(index, dossier("2025-01-02 08:00", null, { promisedDueAt: at(promised) }));
    expect(local(d.apologyWindowStartsAt)).toBe(expected);
  });
});
