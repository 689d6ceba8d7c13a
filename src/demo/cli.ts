// `npm run demo [-- --dossiers N] [--seed S]`: loads a synthetic province into the configured
// database (DATABASE_URL, or PGlite under DATA_DIR, as the server opens it) and prints tokens of
// an officer, an inspector and an admin to try the API with (`npm start` on the same database).
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client.js";
import { prepareDatabase } from "../db/prepare.js";
import { parseEnv } from "../env.js";
import { loadDemo } from "./load.js";

function readArguments() {
  const { values } = parseArgs({
    options: {
      dossiers: { type: "string", default: "20000" },
      seed: { type: "string", default: "1" },
    },
  });
  const dossiers = Number(values.dossiers);
  const seed = Number(values.seed);
  if (!Number.isInteger(dossiers) || dossiers < 0) throw new Error("--dossiers must be a whole number");
  if (!Number.isInteger(seed)) throw new Error("--seed must be an integer");
  return { dossiers, seed };
}

async function main(): Promise<void> {
  const args = readArguments();
  const env = parseEnv(process.env);
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    await prepareDatabase(database);
    const started = performance.now();
    const summary = await loadDemo(database.db, {
      ...args,
      now: new Date(),
      onProgress: (n) => process.stderr.write(`demo: ${n.toLocaleString("en-US")} dossiers\n`),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const d = summary.dossiers;
    const out = [
      `demo: province ${summary.province}: ${summary.agencies} agencies, ${summary.procedures} procedures`,
      `demo: ${args.dossiers.toLocaleString("en-US")} dossiers in ${seconds} s: ${d.inserted} inserted, ${d.updated} updated, ${d.unchanged} unchanged, ${d.rejected} rejected`,
      `demo: states now: ${Object.entries(summary.states)
        .map(([state, n]) => `${state} ${n}`)
        .join(", ")}`,
      `demo: tokens for ${summary.commune.name} (${summary.commune.code}):`,
      `  officer    ${summary.tokens.officer}`,
      `  inspector  ${summary.tokens.inspector}   (its district)`,
      `  admin      ${summary.tokens.admin}`,
      `demo: try  curl -H "Authorization: Bearer ${summary.tokens.officer}" "http://localhost:3000/api/v1/dossiers?state=overdue"`,
    ];
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  process.stderr.write(`demo: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
