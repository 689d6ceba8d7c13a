// `npm run bench [-- name...]`: runs the named benchmarks (all by default) and rewrites their
// sections of docs/BENCHMARKS.md, so every figure there comes with the command that reproduces it.
import { readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";

/** A benchmark module exports `run`, which measures and returns its section in Markdown. */
export interface Benchmark {
  run(): Promise<string>;
}

const ALL = ["deadlines", "letters", "letters-http", "prepare", "sync", "sweep", "reports"] as const;
const DOC = new URL("../docs/BENCHMARKS.md", import.meta.url);
const HEADER = `# Benchmarks

Every section below is written by \`npm run bench -- <name>\` (or \`npm run bench\` for all) on the
machine named in it; the figures are that run's, not hand-edited.
`;

function replaceSection(doc: string, name: string, body: string): string {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const section = `${open}\n${body.trim()}\n${close}`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start < 0 || end < 0) return `${doc.trimEnd()}\n\n${section}\n`;
  return `${doc.slice(0, start)}${section}${doc.slice(end + close.length)}`;
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    console.log(
      `usage: npm run bench [-- name...]\n  names: ${ALL.join(", ")} (all by default)\n  each rewrites its section of docs/BENCHMARKS.md; run on a quiet machine`,
    );
    return;
  }
  const names = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const selected = names.length > 0 ? names : [...ALL];
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}`;
  for (const name of selected) {
    const mod = (await import(`./${name}.ts`)) as Benchmark;
    console.log(`bench ${name}: running`);
    const body = await mod.run();
    const stamped = `${body.trim()}\n\n_Measured ${new Date().toISOString().slice(0, 10)} on ${machine}._`;
    // Read the file again now, not at start: a long run must not overwrite sections another bench
    // wrote (and someone committed) in the meantime.
    const doc = await readFile(DOC, "utf8").catch(() => HEADER);
    await writeFile(DOC, replaceSection(doc, name, stamped));
    console.log(`bench ${name}: written to docs/BENCHMARKS.md`);
  }
}

await main();
