// `npm run sync -- --file dump.json|dump.ndjson [--format dvcqg] [--source id] [--batch N]`: imports a dump into
// the configured database (DATABASE_URL, or PGlite under DATA_DIR, exactly as the server opens it),
// with progress on stderr and a summary on stdout. Beside a service that owns DATA_DIR (PGlite), the
// records go through its API instead (src/sync/through-service.ts). Exit codes: 0 done, 1 failed,
// 2 malformed JSON (the records before the bad one are committed), 64 bad arguments, 75 DATA_DIR held
// by a process that is not a service.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { prepareDatabase } from "../calendar/prepare-database.js";
import { parseEnv } from "../env.js";
import { CliRefusal, cliTarget } from "../local/cli-target.js";
import { DEFAULT_FILE_BATCH, importFile } from "./file-import.js";
import type { ImportProgress } from "./file-import-tally.js";
import { MAX_RECORDS_PER_REQUEST } from "./push-body.js";
import { importThroughService } from "./through-service.js";
import { Timeline } from "./timeline.js";

const USAGE = `usage: npm run sync -- --file <dump.json|dump.ndjson> [--format canonical|dvcqg] [--source id] [--batch N]
  --file     a JSON array of records, or NDJSON (one record per line)
  --format   record format (DOMAIN §9), default canonical
  --source   the one-stop system the dump comes from: its dialect (PUT /api/v1/sync/sources/{id}) reads it
  --batch    records per transaction, 1–${MAX_RECORDS_PER_REQUEST}, default ${DEFAULT_FILE_BATCH}
  --timeline write each batch's phases and statements, timed, to this NDJSON file (PostgreSQL only)
  --help     this text`;

const number = (n: number) => Math.round(n).toLocaleString("en-US");

function describe(p: ImportProgress): string {
  const rate = p.elapsedMs > 0 ? (p.records * 1000) / p.elapsedMs : 0;
  return (
    `${number(p.records)} records (${number(rate)}/s): ${number(p.inserted)} inserted, ` +
    `${number(p.updated)} updated, ${number(p.unchanged)} unchanged, ${number(p.stale)} stale, ` +
    `${number(p.rejected)} rejected`
  );
}

function readArguments() {
  const { values } = parseArgs({
    options: {
      file: { type: "string" },
      format: { type: "string", default: "canonical" },
      source: { type: "string" },
      batch: { type: "string", default: String(DEFAULT_FILE_BATCH) },
      timeline: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return "help" as const;
  const batch = Number(values.batch);
  if (!values.file) throw new Error("--file is required");
  if (values.format !== "canonical" && values.format !== "dvcqg") {
    throw new Error(`--format must be canonical or dvcqg, not ${values.format}`);
  }
  if (!Number.isInteger(batch) || batch < 1 || batch > MAX_RECORDS_PER_REQUEST) {
    throw new Error(`--batch must be an integer from 1 to ${MAX_RECORDS_PER_REQUEST}`);
  }
  if (values.source !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(values.source)) {
    throw new Error("--source must be 1–64 letters, digits, '.', '_' or '-'");
  }
  const { file, format, source, timeline } = values;
  return { file, format, source, batch, timeline } as const;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof readArguments>;
  try {
    args = readArguments();
  } catch (error) {
    process.stderr.write(`sync: ${(error as Error).message}\n${USAGE}\n`);
    return 64;
  }
  if (args === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = parseEnv(process.env);
  const target = await cliTarget(env, { command: "npm run sync", throughService: true });
  try {
    let lastShown = 0;
    const timeline = args.timeline ? new Timeline() : undefined;
    const options = {
      ...(timeline ? { timeline } : {}),
      path: args.file,
      format: args.format,
      sourceId: args.source,
      batchSize: args.batch,
      onProgress: (p: ImportProgress) => {
        if (p.elapsedMs - lastShown < 1000) return;
        lastShown = p.elapsedMs;
        process.stderr.write(`sync: ${describe(p)}\n`);
      },
    };
    if (target.kind === "service") {
      process.stderr.write(
        `sync: through the service that owns DATA_DIR (pid ${target.service.holder.pid})\n`,
      );
    } else {
      await prepareDatabase(target.database);
    }
    const summary =
      target.kind === "service"
        ? await importThroughService(target.service, options)
        : await importFile(target.database.db, options);
    if (timeline && args.timeline) await writeFile(args.timeline, timeline.toNdjson());
    const usage = process.resourceUsage();
    process.stdout.write(
      `sync: ${args.file} (${args.format}) in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${describe(summary)}; ` +
        `peak memory ${number(usage.maxRSS / 1024)} MB, CPU ${((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(1)} s\n`,
    );
    if (summary.rejected > 0) {
      process.stdout.write("sync: rejected records are quarantined: GET /api/v1/sync/rejections\n");
    }
    if (summary.malformed) {
      process.stderr.write(
        `sync: stopped: ${summary.malformed.message}. The ${number(summary.records)} records before it ` +
          "are committed; mend the file and run the same command again (they will count as unchanged).\n",
      );
      return 2;
    }
    return 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const refused = error instanceof CliRefusal;
    process.stderr.write(
      `sync: ${refused ? "" : "failed: "}${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = refused ? error.exitCode : 1;
  },
);
