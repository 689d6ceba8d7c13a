// Reads generated PDFs back with poppler-utils (pdftotext, pdfinfo, pdffonts), as a person's
// viewer would: text as extracted, page size and metadata, embedded fonts.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TOOLS = ["pdftotext", "pdfinfo", "pdffonts"] as const;
type Tool = (typeof TOOLS)[number];

/** Fails with a clear message when poppler-utils is missing, rather than an obscure ENOENT. */
export function assertPopplerInstalled(): void {
  const missing = TOOLS.filter((tool) => spawnSync(tool, ["-v"]).error !== undefined);
  if (missing.length > 0) {
    throw new Error(
      `PDF tests need poppler-utils (${missing.join(", ")} not found on PATH): apt-get install poppler-utils`,
    );
  }
}

function runOnFile(tool: Tool, args: string[], pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "letters-pdf-"));
  try {
    const file = join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    return execFileSync(tool, [...args, file, ...(tool === "pdftotext" ? ["-"] : [])], {
      encoding: "utf8",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The document's text (pdftotext, UTF-8), NFC-normalised; `layout` keeps the columns apart. */
export function pdfText(pdf: Uint8Array, options: { layout?: boolean } = {}): string {
  const args = ["-enc", "UTF-8", ...(options.layout ? ["-layout"] : [])];
  return runOnFile("pdftotext", args, pdf).normalize("NFC");
}

/** The text with every run of white space (line ends included) made one space. */
export function pdfFlatText(pdf: Uint8Array): string {
  return pdfText(pdf).replace(/\s+/g, " ").trim();
}

/** pdfinfo's fields: Title, Author, Subject, Pages, "Page size", … */
export function pdfInfo(pdf: Uint8Array): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of runOnFile("pdfinfo", ["-enc", "UTF-8"], pdf).split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return fields;
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** pdffonts' table: one row per font resource. */
export function pdfFonts(pdf: Uint8Array): PdfFont[] {
  const lines = runOnFile("pdffonts", [], pdf).trimEnd().split("\n").slice(2);
  return lines.map((line) => {
    // name, type (may contain spaces), encoding, emb, sub, uni, object, generation
    const cells = line.trim().split(/\s+/);
    const [emb, sub, uni] = cells.slice(-5, -2);
    return {
      name: cells[0],
      type: cells.slice(1, -6).join(" "),
      embedded: emb === "yes",
      subset: sub === "yes",
      unicode: uni === "yes",
    };
  });
}
