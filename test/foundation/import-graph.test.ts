// The layers of src/ run one way: a folder imports only its own layer and those below it, never
// in a circle. The layers, and the few arrows allowed to run back up, are declared once, in
// docs/ARCHITECTURE.md, so that the picture a newcomer reads is the one this test holds the code to.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SRC = join(ROOT, "src");
const ARCHITECTURE = readFileSync(join(ROOT, "docs/ARCHITECTURE.md"), "utf8");

const FENCE = "```";

/** The lines of the fenced block ```NAME of docs/ARCHITECTURE.md, comments (#) and blanks left out. */
function block(name: string): string[] {
  const found = new RegExp(`${FENCE}${name}\\n([\\s\\S]*?)${FENCE}`).exec(ARCHITECTURE);
  if (found?.[1] === undefined) throw new Error(`docs/ARCHITECTURE.md has no \`\`\`${name} block`);
  return found[1]
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter(Boolean);
}

/** Top layer first: each folder (or file directly in src/, by its name without extension). */
const LAYERS = block("layers").map((line) => line.split(/\s+/));
const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));
/** "from -> to: why", each an arrow that may run back up. */
const arrowsOf = (name: string) =>
  block(name).map((line) => {
    const m = /^(\S+)\s*->\s*(\S+)\s*:\s*(.+)$/.exec(line);
    if (!m) throw new Error(`docs/ARCHITECTURE.md, \`\`\`${name}: "${line}" is not "from -> to: why"`);
    return `${m[1]} -> ${m[2]}`;
  });
const EXCEPTIONS = arrowsOf("exceptions");
const NOT_YET_MOVED = arrowsOf("not-yet-moved");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The file a relative specifier names: `./x.js` is x.ts or x.tsx. */
function resolveImport(from: string, specifier: string, known: Set<string>): string | null {
  const base = resolve(dirname(from), specifier).replace(/\.(m?js|jsx)$/, "");
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (known.has(candidate)) return candidate;
  }
  return null;
}

/** Every import, export-from and import() between files of src/, read by the compiler's own pre-parser. */
function fileGraph(): Map<string, Set<string>> {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
      const targets = importedFiles
        .filter(({ fileName }) => fileName.startsWith("."))
        .map(({ fileName }) => resolveImport(file, fileName, known))
        .filter((target): target is string => target !== null);
      return [
        relative(SRC, file).split(sep).join("/"),
        new Set(targets.map((t) => relative(SRC, t).split(sep).join("/"))),
      ];
    }),
  );
}

const folderOf = (file: string) => {
  const [first, ...rest] = file.split("/");
  return rest.length === 0 ? (first ?? "").replace(/\.tsx?$/, "") : (first ?? "");
};

function folderArrows(files: Map<string, Set<string>>): Map<string, string[]> {
  const arrows = new Map<string, string[]>();
  for (const [file, targets] of files) {
    for (const target of targets) {
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from === to) continue;
      const key = `${from} -> ${to}`;
      arrows.set(key, [...(arrows.get(key) ?? []), `${file} -> ${target}`]);
    }
  }
  return arrows;
}

/** The circles of a graph: its strongly connected components of more than one node (Tarjan). */
function circles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe("the import graph of src/", () => {
  const files = fileGraph();
  const arrows = folderArrows(files);
  const backUp = [...arrows.keys()].filter((arrow) => {
    const [from, to] = arrow.split(" -> ") as [string, string];
    return (layerOf.get(from) ?? 0) > (layerOf.get(to) ?? 0);
  });

  it("places every folder of src/ on a layer of docs/ARCHITECTURE.md", () => {
    const folders = new Set([...files.keys()].map(folderOf));
    expect([...folders].filter((folder) => !layerOf.has(folder)).sort()).toEqual([]);
  });

  it("has no arrow from a lower layer to a higher one but the listed exceptions (at most 5)", () => {
    expect(EXCEPTIONS.length).toBeLessThanOrEqual(5);
    const allowed = new Set([...EXCEPTIONS, ...NOT_YET_MOVED]);
    const unexpected = backUp.filter((arrow) => !allowed.has(arrow));
    expect(Object.fromEntries(unexpected.map((arrow) => [arrow, arrows.get(arrow)]))).toEqual({});
  });

  it("lists no exception that the code no longer has (the lists only shrink)", () => {
    expect([...EXCEPTIONS, ...NOT_YET_MOVED].filter((arrow) => !backUp.includes(arrow))).toEqual([]);
  });

  it("has no circle between folders, the listed arrows aside", () => {
    const listed = new Set([...EXCEPTIONS, ...NOT_YET_MOVED]);
    const graph = new Map<string, Set<string>>();
    for (const arrow of arrows.keys()) {
      if (listed.has(arrow)) continue;
      const [from, to] = arrow.split(" -> ") as [string, string];
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    expect(circles(graph)).toEqual([]);
  });

  it("has no circle between files", () => {
    expect(circles(files)).toEqual([]);
  });
});
