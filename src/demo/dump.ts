// Streams records to a file in either sync format, as one JSON array or as NDJSON, with the
// file stream's back-pressure respected so that memory stays flat for any number of records.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { DossierRecord } from "../deadlines/dossier-record.js";
import { toCanonical } from "../sync/formats/canonical.js";
import { toDvcqg } from "../sync/formats/dvcqg-write.js";
import type { RecordFormat } from "../sync/parse.js";

export interface DumpOptions {
  format: RecordFormat;
  /** One record per line instead of a JSON array. */
  ndjson: boolean;
}

/** Writes every record and resolves with how many were written. */
export async function writeDump(
  path: string,
  records: Iterable<DossierRecord>,
  options: DumpOptions,
): Promise<number> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const convert = options.format === "dvcqg" ? toDvcqg : toCanonical;
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, "drain");
  };
  let count = 0;
  try {
    if (!options.ndjson) await write("[");
    for (const record of records) {
      const json = JSON.stringify(convert(record));
      if (options.ndjson) await write(`${json}\n`);
      else await write(`${count === 0 ? "\n" : ",\n"}${json}`);
      count++;
    }
    if (!options.ndjson) await write("\n]\n");
  } finally {
    out.end();
    await once(out, "finish");
  }
  return count;
}
