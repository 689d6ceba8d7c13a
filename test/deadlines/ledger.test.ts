import { describe, expect, it } from "vitest";
import { clockLedger } from "../../src/deadlines/engine.js";
import type { LedgerSegment } from "../../src/deadlines/ledger.js";
import { at, local, officialIndex } from "../calendar/local-time.js";
import { days, dossier, pause } from "./dossier.js";

const index = officialIndex();

/** "from → to kind[/dayKind] minutes[ name]" per segment. */
const describeSegments = (segments: LedgerSegment[]) =>
  segments.map((s) => {
    const detail = s.kind === "non_working" ? `/${s.dayKind}${s.dayName ? ` ${s.dayName}` : ""}` : "";
    const paused = s.kind === "paused" ? ` ${s.pauseKind}: ${s.reason}` : "";
    const voided = s.voidedByRestart ? " voided" : "";
    return `${local(s.from)} → ${local(s.to)} ${s.kind}${detail} ${s.minutes}${paused}${voided}`;
  });

const counted = (segments: LedgerSegment[]) => segments.reduce((sum, s) => sum + s.minutes, 0);

describe("clock ledger", () => {
  it("SPEC example: every stretch from receipt to finish, Tết by name, counted sum = 40 h", () => {
    const input = dossier("2025-01-24 10:00", days(5), { finishedAt: at("2025-02-07 10:00"), status: 9 });
    const segments = clockLedger(index, input, at("2025-03-01 00:00"));
    const text = describeSegments(segments);
    expect(text.slice(0, 9)).toEqual([
      "2025-01-24 10:00 → 2025-01-24 11:30 counted 90",
      "2025-01-24 11:30 → 2025-01-24 13:30 non_working/outside_hours 0",
      "2025-01-24 13:30 → 2025-01-24 17:30 counted 240",
      "2025-01-24 17:30 → 2025-01-25 00:00 non_working/outside_hours 0",
      "2025-01-25 00:00 → 2025-01-27 00:00 non_working/weekend Tết Nguyên đán 0",
      "2025-01-27 00:00 → 2025-02-01 00:00 non_working/holiday Tết Nguyên đán 0",
      "2025-02-01 00:00 → 2025-02-03 00:00 non_working/weekend Tết Nguyên đán 0",
      "2025-02-03 00:00 → 2025-02-03 07:30 non_working/outside_hours 0",
      "2025-02-03 07:30 → 2025-02-03 11:30 counted 240",
    ]);
    expect(text.slice(-3)).toEqual([
      "2025-02-06 13:30 → 2025-02-06 17:30 counted 240",
      "2025-02-06 17:30 → 2025-02-07 07:30 non_working/outside_hours 0",
      "2025-02-07 07:30 → 2025-02-07 10:00 counted 150",
    ]);
    // Fri: 4 stretches; Tết: 3; Mon 00:00–07:30; Mon–Thu: 4 each; Fri morning.
    expect(segments).toHaveLength(4 + 3 + 1 + 16 + 1);
    expect(counted(segments)).toBe(2400);
  });

  it("a pause is one segment with its reason; counting stops at asOf", () => {
    const input = dossier("2025-03-03 07:30", days(3), {
      pauses: [pause("supplement", "2025-03-03 13:30", "2025-03-04 13:30", "Thiếu bản vẽ")],
    });
    expect(describeSegments(clockLedger(index, input, at("2025-03-05 12:00")))).toEqual([
      "2025-03-03 07:30 → 2025-03-03 11:30 counted 240",
      "2025-03-03 11:30 → 2025-03-03 13:30 non_working/outside_hours 0",
      "2025-03-03 13:30 → 2025-03-04 13:30 paused 0 supplement: Thiếu bản vẽ",
      "2025-03-04 13:30 → 2025-03-04 17:30 counted 240",
      "2025-03-04 17:30 → 2025-03-05 07:30 non_working/outside_hours 0",
      "2025-03-05 07:30 → 2025-03-05 11:30 counted 240",
      "2025-03-05 11:30 → 2025-03-05 12:00 non_working/outside_hours 0",
    ]);
  });

  it("an open pause runs to asOf; an overlapping pause only adds its uncovered part", () => {
    const input = dossier("2025-03-03 07:30", days(3), {
      pauses: [
        pause("supplement", "2025-03-03 09:00", "2025-03-03 14:00", "Thiếu giấy tờ"),
        pause("financial", "2025-03-03 10:00", null, "Chờ nộp lệ phí"),
      ],
    });
    expect(describeSegments(clockLedger(index, input, at("2025-03-04 08:00")))).toEqual([
      "2025-03-03 07:30 → 2025-03-03 09:00 counted 90",
      "2025-03-03 09:00 → 2025-03-03 14:00 paused 0 supplement: Thiếu giấy tờ",
      "2025-03-03 14:00 → 2025-03-04 08:00 paused 0 financial: Chờ nộp lệ phí",
    ]);
  });

  it("under restart, time counted before the supplement is marked voided", () => {
    const input = dossier("2025-03-03 07:30", days(3), {
      supplementPolicy: "restart",
      pauses: [pause("supplement", "2025-03-03 11:00", "2025-03-03 18:00", null)],
    });
    expect(describeSegments(clockLedger(index, input, at("2025-03-04 09:00")))).toEqual([
      "2025-03-03 07:30 → 2025-03-03 11:00 counted 210 voided",
      "2025-03-03 11:00 → 2025-03-03 18:00 paused 0 supplement: null",
      "2025-03-03 18:00 → 2025-03-04 07:30 non_working/outside_hours 0",
      "2025-03-04 07:30 → 2025-03-04 09:00 counted 90",
    ]);
  });

  it("shows receipt out of hours, make-up Saturdays and swapped days by name", () => {
    const input = dossier("2025-04-25 18:00", days(2), { finishedAt: at("2025-05-05 08:00") });
    const text = describeSegments(clockLedger(index, input, at("2025-06-01 00:00")));
    expect(text).toContain("2025-04-26 07:30 → 2025-04-26 11:30 counted 240");
    expect(text).toContain(
      "2025-05-02 00:00 → 2025-05-03 00:00 non_working/swap_off Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025) 0",
    );
    expect(text[0]).toBe("2025-04-25 18:00 → 2025-04-26 07:30 non_working/outside_hours 0");
  });

  it("is empty when the clock has not run", () => {
    expect(clockLedger(index, dossier("2025-03-03 09:00", days(1)), at("2025-03-03 08:00"))).toEqual([]);
  });
});
