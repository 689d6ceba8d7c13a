// docs/API.md's examples are run, not just read: its ```sh blocks, in order, in one bash against a
// test server, and each `# → …` line the document shows must be a line the block printed.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/runtime/clock.js";
import { ADMIN_TOKEN, startTestServer, type TestServer } from "../helpers/server.js";

interface Block {
  script: string;
  /** What the document says the block prints, line by line. */
  shown: string[];
}

async function shellBlocks(): Promise<Block[]> {
  const text = await readFile(new URL("../../docs/API.md", import.meta.url), "utf8");
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, script]) => ({
    script,
    shown: script
      .split("\n")
      .filter((line) => line.startsWith("# → "))
      .map((line) => line.slice(4)),
  }));
}

const MARK = "@@osm-api-doc-block";

/** Runs the blocks in one bash (variables carry over), each block's output after a marker line. */
function run(
  blocks: Block[],
  env: Record<string, string>,
): Promise<{ code: number; outputs: string[][]; err: string }> {
  const script = blocks.map((b, i) => `echo "${MARK} ${i}"\n${b.script}`).join("\n");
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], { env: { ...process.env, ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const outputs = out
        .split(new RegExp(`^${MARK} \\d+\\n`, "m"))
        .slice(1)
        .map((chunk) => chunk.split("\n").filter(Boolean));
      resolve({ code: code ?? -1, outputs, err });
    });
  });
}

let server: TestServer;

beforeAll(async () => {
  // The examples' records are of January and February 2025, read as of the Monday after their due.
  server = await startTestServer({ clock: fixedClock(new Date("2025-02-10T09:00:00+07:00")) });
});

afterAll(async () => {
  await server?.close();
});

describe("docs/API.md", () => {
  it("runs every curl example against the service and prints what the document shows", async () => {
    const blocks = await shellBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const { code, outputs, err } = await run(blocks, { OSM_URL: server.baseUrl, ADMIN_TOKEN });
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(blocks.map((_, i) => ({ block: i, printed: outputs[i] }))).toEqual(
      blocks.map((block, i) => ({ block: i, printed: block.shown })),
    );
  });
});
