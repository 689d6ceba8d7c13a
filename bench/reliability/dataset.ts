// The harness's data: a demo province loaded through the sync pipeline (real calendar, dossiers
// open as of now, so apology letters are due on some) and, beside it, the benchmarks' synthetic
// province generated server-side (bench/dataset.ts) for the bulk, so that 1,000,000 dossiers load in
// minutes rather than the hours the pipeline would take on this machine.
import { createUser } from "../../src/auth/queries.js";
import type { Db } from "../../src/db/client.js";
import { type DemoSummary, loadDemo } from "../../src/demo/load.js";
import { DATASET_DEFAULTS, loadDataset } from "../dataset.js";

/** Dossiers through the sync pipeline; the rest of the total comes from the server-side generator. */
const DEMO_DOSSIERS = 20_000;
/** A district of the synthetic province: 10 of its 200 communes, 1/20 of the bulk (≈ 49,000 dossiers). */
const LIST_DISTRICT = "B.D3";

export interface ReliabilityData {
  demo: DemoSummary;
  /** Dossiers loaded by the pipeline and by the server-side generator. */
  viaPipeline: number;
  generated: number;
  /** The token of a district inspector whose dossier list the load section reads. */
  listInspector: string;
}

export async function loadReliabilityData(
  db: Db,
  total: number,
  onProgress: (line: string) => void,
): Promise<ReliabilityData> {
  const viaPipeline = Math.min(total, DEMO_DOSSIERS);
  const demo = await loadDemo(db, {
    dossiers: viaPipeline,
    seed: 1,
    now: new Date(),
    onProgress: (n) => (n % 10_000 === 0 ? onProgress(`  ${n} dossiers through the pipeline`) : undefined),
  });
  const generated = total - viaPipeline;
  if (generated > 0) {
    onProgress(`  ${generated} dossiers from the server-side generator`);
    await loadDataset(db, { ...DATASET_DEFAULTS, dossiers: generated });
  }
  if (generated === 0) {
    // Small runs: the demo's own district inspector.
    return { demo, viaPipeline, generated, listInspector: demo.tokens.inspector };
  }
  const inspector = await createUser(db, {
    name: "Thanh tra huyện (reliability)",
    role: "inspector",
    scopeKind: "subtree",
    scopeAgencyCode: LIST_DISTRICT,
  });
  return { demo, viaPipeline, generated, listInspector: inspector.token };
}
