// The sync benchmarks' workload: the demo generator's province, its dossiers each with exactly
// five steps (the generator gives 3–6 by procedure), the same for every run (seed 42).
import type { DossierRecord, DossierStep } from "../src/deadlines/dossier-record.js";
import { generateDossiers, generateProvince } from "../src/demo/generator.js";

export const STEPS = 5;

/** Exactly five steps, as the benchmark's workload says (the generator gives 3–6 by procedure). */
function withFiveSteps(record: DossierRecord): DossierRecord {
  const blank: DossierStep = {
    seq: 1,
    officialId: null,
    officialName: null,
    title: null,
    department: null,
    startedAt: record.receivedAt,
    dueAt: null,
    endedAt: null,
    note: null,
  };
  const steps = record.steps.slice(0, STEPS);
  while (steps.length < STEPS) steps.push(steps[steps.length - 1] ?? blank);
  return { ...record, steps: steps.map((s, i) => ({ ...s, seq: i + 1 })) };
}

export const PROVINCE = generateProvince(42);

export function* workload(count: number): Generator<DossierRecord> {
  const records = generateDossiers(PROVINCE, {
    seed: 42,
    count,
    from: new Date("2025-01-01T00:00:00+07:00"),
    to: new Date("2025-12-31T00:00:00+07:00"),
    asOf: new Date("2026-01-05T08:00:00+07:00"),
  });
  for (const record of records) yield withFiveSteps(record);
}
