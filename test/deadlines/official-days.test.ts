// Statutory dues across every official day off and make-up day of 2024–2026, worked out by hand
// from the DOMAIN §2 table with the default periods 07:30–11:30, 13:30–17:30.
import { describe, expect, it } from "vitest";
import { computeDeadlines } from "../../src/deadlines/engine.js";
import type { ProcessingTime } from "../../src/deadlines/types.js";
import { local, officialIndex } from "../calendar/local-time.js";
import { days, dossier, hours } from "./dossier.js";

const index = officialIndex();
const due = (received: string, time: ProcessingTime) =>
  local(computeDeadlines(index, dossier(received, time)).statutoryDueAt);

describe("statutory due through the official calendar", () => {
  it.each([
    // [case, received, processing time, due]
    ["SPEC example: Tết Ất Tỵ 25/1–2/2/2025 skipped", "2025-01-24 10:00", days(5), "2025-02-07 10:00"],
    ["exactly at a period end (0.5 day from 07:30)", "2025-03-03 07:30", days(0.5), "2025-03-03 11:30"],
    ["Tết Dương lịch 2024 (Mon 1/1): Fri 1.5 h + Tue 6.5 h", "2023-12-29 16:00", days(1), "2024-01-02 16:00"],
    ["Tết 2024 8/2–14/2: Wed 3.5 h + Thu 15/2 4.5 h", "2024-02-07 14:00", days(1), "2024-02-15 14:00"],
    ["received during Tết 2024: starts Thu 15/2 07:30", "2024-02-10 09:00", days(0.5), "2024-02-15 11:30"],
    ["Giỗ Tổ Thu 18/4/2024, received at lunch: 4 + 8 + 4 h", "2024-04-17 12:00", days(2), "2024-04-22 11:30"],
    [
      "27/4–1/5/2024 with 29/4 swapped, make-up Sat 4/5 counts",
      "2024-04-26 08:00",
      days(3),
      "2024-05-04 08:00",
    ],
    ["make-up Sat 4/5/2024: Fri 0.5 h + Sat 7.5 h", "2024-05-03 17:00", days(1), "2024-05-04 17:00"],
    ["31/8–3/9/2024, received after hours: starts Wed 4/9", "2024-08-30 17:45", days(1), "2024-09-04 17:30"],
    ["Giỗ Tổ Mon 7/4/2025: Fri 4.5 h + Tue 3.5 h", "2025-04-04 11:00", days(1), "2025-04-08 11:00"],
    ["make-up Sat 26/4/2025: Fri 4 h + Sat 8 h + Mon 4 h", "2025-04-25 13:30", days(2), "2025-04-28 11:30"],
    [
      "30/4–4/5/2025 with Fri 2/5 swapped: Tue 6.5 h + Mon 5/5 1.5 h",
      "2025-04-29 09:00",
      days(1),
      "2025-05-05 09:00",
    ],
    [
      "30/8–2/9/2025 (Mon 1/9, Tue 2/9 off): Fri 5.5 h + Wed 2.5 h",
      "2025-08-29 10:00",
      days(1),
      "2025-09-03 10:00",
    ],
    [
      "1/1–4/1/2026 with Fri 2/1 swapped: Wed 2 h + Mon 5/1 6 h",
      "2025-12-31 15:30",
      days(1),
      "2026-01-05 15:30",
    ],
    ["make-up Sat 10/1/2026: Fri 4 h + Sat 4 h", "2026-01-09 13:30", days(1), "2026-01-10 11:30"],
    ["Tết 14/2–22/2/2026: Fri 13/2 8 h + Mon 23/2 8 h", "2026-02-13 07:30", days(2), "2026-02-23 17:30"],
    [
      "Giỗ Tổ Sun 26/4/2026 + substitute Mon 27/4: Fri 1 h + Tue 7 h",
      "2026-04-24 16:30",
      days(1),
      "2026-04-28 16:30",
    ],
    ["30/4–3/5/2026: Wed 7 h + Mon 4/5 1 h", "2026-04-29 08:30", days(1), "2026-05-04 08:30"],
    [
      "make-up Sat 22/8/2026: Fri 6 h + Sat 8 h + Mon 8 h + Tue 2 h",
      "2026-08-21 09:30",
      days(3),
      "2026-08-25 09:30",
    ],
    [
      "runs out Fri 28/8/2026 17:30, before the 29/8–2/9 break",
      "2026-08-27 07:30",
      days(2),
      "2026-08-28 17:30",
    ],
    [
      "29/8–2/9/2026 with Mon 31/8 swapped: Fri 3.5 h + Thu 3/9 4.5 h",
      "2026-08-28 14:00",
      days(1),
      "2026-09-03 14:00",
    ],
    [
      "Ngày Văn hóa Việt Nam Tue 24/11/2026: Mon 6.5 h + Wed 1.5 h",
      "2026-11-23 09:00",
      days(1),
      "2026-11-25 09:00",
    ],
    ["received before opening: 06:00 snaps to 07:30", "2025-03-04 06:00", hours(2), "2025-03-04 09:30"],
    ["hours across lunch: 10:00 + 4 h", "2025-03-03 10:00", hours(4), "2025-03-03 16:00"],
    ["received at 11:30 sharp: starts 13:30", "2025-03-03 11:30", hours(1), "2025-03-03 14:30"],
    [
      "half days: 1.5 days (12 h) from Mon 13:30: Mon 4 h + Tue 8 h",
      "2025-03-03 13:30",
      days(1.5),
      "2025-03-04 17:30",
    ],
  ])("%s", (_case, received, time, expected) => {
    expect(due(received, time)).toBe(expected);
  });

  it("start is the receipt snapped forward", () => {
    expect(local(computeDeadlines(index, dossier("2024-02-10 09:00", days(1))).startAt)).toBe(
      "2024-02-15 07:30",
    );
    expect(local(computeDeadlines(index, dossier("2025-03-03 09:10", days(1))).startAt)).toBe(
      "2025-03-03 09:10",
    );
  });

  it("rejects a processing time that is not a positive number", () => {
    expect(() => computeDeadlines(index, dossier("2025-03-03 09:00", days(0)))).toThrow(RangeError);
    expect(() => computeDeadlines(index, dossier("2025-03-03 09:00", hours(-1)))).toThrow(RangeError);
    expect(() => computeDeadlines(index, dossier("2025-03-03 09:00", days(Number.NaN)))).toThrow(RangeError);
  });
});

describe("an agency with its own periods (07:00–11:30, 13:30–17:00)", () => {
  const agency = officialIndex([
    ["07:00", "11:30"],
    ["13:30", "17:00"],
  ]);
  const agencyDue = (received: string, time: ProcessingTime) =>
    local(computeDeadlines(agency, dossier(received, time)).statutoryDueAt);

  it.each([
    [
      "SPEC example: Fri 1.5 + 3.5 h, Mon–Thu 32 h, Fri 3 h from 07:00",
      "2025-01-24 10:00",
      days(5),
      "2025-02-07 10:00",
    ],
    ["half a day from 07:00", "2025-03-03 07:00", days(0.5), "2025-03-03 11:00"],
    ["4.5 h from 07:00 ends at 11:30", "2025-03-03 07:00", hours(4.5), "2025-03-03 11:30"],
    ["1 day from 11:00: 0.5 + 3.5 h, then 4 h from 07:00", "2025-03-03 11:00", days(1), "2025-03-04 11:00"],
    ["received 17:10: starts Tue 07:00", "2025-03-03 17:10", hours(1), "2025-03-04 08:00"],
    [
      "received 07:10 counts from 07:10 (the default periods would start at 07:30)",
      "2025-03-03 07:10",
      hours(8),
      "2025-03-04 07:10",
    ],
  ])("%s", (_case, received, time, expected) => {
    expect(agencyDue(received, time)).toBe(expected);
  });
});
