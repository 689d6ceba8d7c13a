import { describe, expect, it } from "vitest";
import type { DossierRecord } from "../../src/deadlines/dossier-record.js";
import { generateDossiers, generateProvince } from "../../src/demo/generator.js";
import { toCanonical } from "../../src/sync/formats/canonical.js";
import { toDvcqg } from "../../src/sync/formats/dvcqg-write.js";
import { parseRecord } from "../../src/sync/parse.js";

const province = generateProvince(7);
const FROM = new Date("2025-01-01T00:00:00+07:00");
const TO = new Date("2025-12-31T00:00:00+07:00");
const AS_OF = new Date("2025-12-31T17:00:00+07:00");
const take = (seed: number, count: number, extra = {}) => [
  ...generateDossiers(province, { seed, count, from: FROM, to: TO, asOf: AS_OF, ...extra }),
];
const sample = take(1, 20_000);
const completedAt = (r: DossierRecord) => r.finishedAt ?? r.returnedAt;
const isClosed = (r: DossierRecord) => [3, 7, 8].includes(r.status);
const localHour = (d: Date) => ((d.getUTCHours() + 7) % 24) + d.getUTCMinutes() / 60;
const localWeekday = (d: Date) => new Date(d.getTime() + 7 * 3600_000).getUTCDay();

describe("generateDossiers", () => {
  it("is deterministic for a seed", () => {
    const again = take(1, sample.length);
    expect(JSON.stringify(again)).toBe(JSON.stringify(sample));
    expect(take(2, 300).map((r) => r.code)).not.toEqual(take(1, 300).map((r) => r.code));
  });

  it("is lazy: a generator that yields one record at a time", () => {
    const iterator = generateDossiers(province, { seed: 1, count: 1e9, from: FROM, to: TO, asOf: AS_OF });
    expect(iterator.next().value).toEqual(sample[0]);
  });

  it("refuses a receipt window that ends after asOf", () => {
    expect(() =>
      generateDossiers(province, { seed: 1, count: 1, from: FROM, to: AS_OF, asOf: TO }).next(),
    ).toThrow(RangeError);
  });

  it("emits records that parse back unchanged in both formats", () => {
    for (const record of sample.slice(0, 3000)) {
      for (const [format, emit] of [
        ["canonical", toCanonical],
        ["dvcqg", toDvcqg],
      ] as const) {
        const result = parseRecord(format, JSON.parse(JSON.stringify(emit(record))), 0);
        if (!result.ok) throw new Error(`${record.code}: ${JSON.stringify(result.rejection.errors)}`);
        // Compared as JSON: vitest's deep equality is slow over thousands of records.
        const back = JSON.stringify({ ...result.record, raw: null });
        if (back !== JSON.stringify(record)) expect({ ...result.record, raw: null }).toEqual(record);
      }
    }
  });

  it("gives unique dossier codes", () => {
    expect(new Set(sample.map((r) => r.code)).size).toBe(sample.length);
  });

  it("keeps statuses consistent with dates", () => {
    const problems: string[] = [];
    const check = (r: DossierRecord, ok: boolean, what: string) => {
      if (!ok) problems.push(`${r.code} (status ${r.status}): ${what}`);
    };
    for (const r of sample) {
      const dates = [
        r.receivedAt,
        r.finishedAt,
        r.returnedAt,
        r.sourceUpdatedAt,
        ...r.steps.flatMap((s) => [s.startedAt, s.endedAt]),
        ...r.pauses.flatMap((p) => [p.startedAt, p.endedAt]),
      ];
      check(
        r,
        dates.every((d) => !d || d <= AS_OF),
        "a date after asOf",
      );
      check(r, r.sourceUpdatedAt >= r.receivedAt, "updated before received");
      check(
        r,
        r.steps.every((s, i) => s.seq === i + 1),
        "step seqs not 1..n",
      );
      check(r, r.steps.length >= 1 && r.steps.length <= 6, "not 1–6 steps");
      check(
        r,
        r.pauses.every((p) => !p.endedAt || p.endedAt >= p.startedAt),
        "pause ends before start",
      );
      if (r.status === 9 || r.status === 10) check(r, completedAt(r) !== null, "done without a finish");
      if (r.status === 10) check(r, r.returnedAt !== null, "returned without NgayTra");
      if (r.status <= 6) check(r, completedAt(r) === null, "open with a finish");
      const open = (kind: string) => r.pauses.some((p) => p.kind === kind && p.endedAt === null);
      if (r.status === 5) check(r, open("supplement"), "status 5 without an open supplement");
      if (r.status === 6) check(r, open("financial"), "status 6 without an open financial pause");
      if (r.status !== 5 && r.status !== 6 && !isClosed(r))
        check(
          r,
          r.pauses.every((p) => p.endedAt),
          "open pause",
        );
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it("has realistic shares: mostly on time, 3–15 % late, pauses, closures, open and overdue ones", () => {
    const finished = sample.filter((r) => completedAt(r) && r.promisedDueAt);
    const late = finished.filter((r) => completedAt(r)! > r.promisedDueAt!);
    const open = sample.filter((r) => !completedAt(r) && !isClosed(r));
    const share = (n: number) => n / sample.length;
    expect(late.length / finished.length).toBeGreaterThan(0.03);
    expect(late.length / finished.length).toBeLessThan(0.15);
    const supplements = (r: DossierRecord) => r.pauses.filter((p) => p.kind === "supplement").length;
    expect(share(sample.filter((r) => supplements(r) >= 1).length)).toBeGreaterThan(0.05);
    expect(sample.filter((r) => supplements(r) >= 2).length).toBeGreaterThan(50);
    expect(sample.filter((r) => r.pauses.some((p) => p.kind === "financial")).length).toBeGreaterThan(100);
    for (const status of [3, 7, 8])
      expect(sample.filter((r) => r.status === status).length).toBeGreaterThan(20);
    expect(open.length).toBeGreaterThan(50);
    expect(open.filter((r) => r.promisedDueAt! < AS_OF).length).toBeGreaterThan(10);
    expect(sample.filter((r) => r.steps.some((s) => s.dueAt === null)).length).toBeGreaterThan(100);
    const channels = new Set(sample.map((r) => r.channel));
    expect(channels).toEqual(new Set(["direct", "online", "postal"]));
    expect(share(sample.filter((r) => r.applicant.kind === "organization").length)).toBeGreaterThan(0.01);
  });

  it("receives mostly on weekdays within working periods", () => {
    const inHours = sample.filter((r) => {
      const h = localHour(r.receivedAt);
      const weekday = localWeekday(r.receivedAt);
      return weekday >= 1 && weekday <= 5 && ((h >= 7.5 && h < 11.5) || (h >= 13.5 && h < 17.5));
    });
    expect(inHours.length / sample.length).toBeGreaterThan(0.95);
    expect(sample.some((r) => localWeekday(r.receivedAt) === 6)).toBe(true);
    expect(sample.some((r) => localWeekday(r.receivedAt) === 0)).toBe(false);
  });

  it("concentrates late steps on a few officials, so that repeat lateness has something to find", () => {
    const lateSteps = new Map<string, number>();
    for (const r of sample) {
      for (const s of r.steps) {
        if (s.officialId && s.dueAt && s.endedAt && s.endedAt > s.dueAt) {
          lateSteps.set(s.officialId, (lateSteps.get(s.officialId) ?? 0) + 1);
        }
      }
    }
    const counts = [...lateSteps.values()].sort((a, b) => b - a);
    const total = counts.reduce((a, b) => a + b, 0);
    const top = counts.slice(0, Math.ceil(province.officials.length * 0.1)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.4);
  });

  it("uses an injected dueFor for appointments and skips injected days off", () => {
    const calendarDay = (d: Date) => new Date(d.getTime() + 86_400_000);
    const noMondays = (d: Date) => localWeekday(d) === 1;
    const records = take(3, 2000, { dueFor: calendarDay, isDayOff: noMondays });
    const plain = records.filter((r) => r.pauses.length === 0 && r.promisedDueAt);
    const matching = plain.filter((r) => r.promisedDueAt!.getTime() === calendarDay(r.receivedAt).getTime());
    expect(matching.length / plain.length).toBeGreaterThan(0.95);
    expect(records.some((r) => localWeekday(r.receivedAt) === 1)).toBe(false);
  });
});
