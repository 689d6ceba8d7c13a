// `npm run sync -- --file` beside a running service on PGlite: the dump is read here as the direct
// import reads it (record by record, memory flat) and pushed in batches to the service's
// POST /api/v1/sync/dossiers, which runs the one pipeline in its process — the only one that may
// open the embedded database. Batches commit one after the other; a re-run finds the committed
// ones `unchanged`, so an interrupted import resumes as the direct one does.

import { answerMessage, type LocalService } from "../local/service-client.js";
import { MalformedDumpError, readDump } from "./dump-reader.js";
import {
  type BatchCounts,
  type ImportProgress,
  type ImportSummary,
  importTally,
} from "./file-import-tally.js";
import type { RecordFormat } from "./parse.js";

export interface RemoteImportOptions {
  path: string;
  format: RecordFormat;
  /** The sending system whose dialect reads the records (?source=). */
  sourceId?: string;
  batchSize: number;
  onProgress?: (progress: ImportProgress) => void;
}

function parseElement(text: string, at: { index: number; line: number; column: number }): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedDumpError((error as Error).message, at.index, at.line, at.column);
  }
}

export async function importThroughService(
  service: LocalService,
  options: RemoteImportOptions,
): Promise<ImportSummary> {
  const tally = importTally(options);
  let batch: unknown[] = [];
  const push = async () => {
    if (batch.length === 0) return;
    const query = options.sourceId ? `?source=${encodeURIComponent(options.sourceId)}` : "";
    const answer = await service.request("POST", `/api/v1/sync/dossiers${query}`, {
      format: options.format,
      records: batch,
    });
    if (answer.status !== 200) throw new Error(`the service refused a batch: ${answerMessage(answer)}`);
    tally.add(answer.body as BatchCounts, batch.length);
    batch = [];
  };
  try {
    for await (const element of readDump(options.path)) {
      batch.push(parseElement(element.text, element));
      if (batch.length >= options.batchSize) await push();
    }
  } catch (error) {
    if (!(error instanceof MalformedDumpError)) throw error;
    tally.stop(error);
  }
  await push();
  return tally.done();
}
