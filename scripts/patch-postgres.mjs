// postinstall: mends postgres.js (3.4.9, 3.4.10) where a connection that closed under load takes the
// whole process down (issue 15: PostgreSQL stopped during pushes, 6 exits in 9 runs). Upstream:
// porsager/postgres#1154 and #1208, fixes proposed in #1168 and #1209, not released.
//
// A query sent on a reserved connection (a transaction) after its socket closed queues its bytes
// behind a setImmediate; `nextWrite` then calls `socket.write` on null, a TypeError no caller can
// catch. The COPY stream's write, destroy and final do the same. Here every such write settles the
// connection's queries with CONNECTION_CLOSED instead (the app answers 503), and the teardown drops
// the bytes queued for the dead socket, which would otherwise be sent first on the next one.
//
// Exact-text replacements: a postgres.js whose text differs stops the install with a message,
// rather than leaving the service exposed without anyone knowing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const MARK = "osm patch (issue 15)";
const CLOSED = "Errors.connection('CONNECTION_CLOSED', options)";

const REPLACEMENTS = [
  {
    what: "nextWrite on a closed socket",
    count: 1,
    from: "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    to: `  function nextWrite(fn) {
    if (socket === null) { // ${MARK}: closed since the write was queued
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(${CLOSED})
      return false
    }
    const x = socket.write(chunk, fn)`,
  },
  {
    what: "teardown keeps no write for the dead socket",
    count: 2,
    from: "\n    clearImmediate(nextWriteTimer)\n",
    to: `\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null // ${MARK}\n`,
  },
  {
    what: "COPY data on a closed socket",
    count: 2,
    from: "        socket.write(b().d().raw(chunk).end(), callback)",
    to: `        socket ? socket.write(b().d().raw(chunk).end(), callback) : callback(${CLOSED}) // ${MARK}`,
  },
  {
    what: "COPY failure on a closed socket",
    count: 2,
    from: "        socket.write(b().f().str(error + b.N).end())",
    to: `        socket && socket.write(b().f().str(error + b.N).end()) // ${MARK}`,
  },
  {
    what: "COPY end on a closed socket",
    count: 2,
    from: "        socket.write(b().c().end())",
    to: `        if (!socket) return callback(${CLOSED}) // ${MARK}\n        socket.write(b().c().end())`,
  },
];

const root = fileURLToPath(new URL("../node_modules/postgres/", import.meta.url));
// The ESM build (Node), the CommonJS build, and the Workers build (wrangler bundles cf/).
const files = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"].map((f) => root + f);

function patch(file) {
  const source = readFileSync(file, "utf8");
  if (source.includes(MARK)) return "already patched";
  let patched = source;
  for (const { what, count, from, to } of REPLACEMENTS) {
    const found = patched.split(from).length - 1;
    if (found !== count) {
      throw new Error(
        `${file}: expected ${count} × the text of "${what}", found ${found}. postgres.js changed: ` +
          "check whether it fixed porsager/postgres#1208 and update or drop scripts/patch-postgres.mjs",
      );
    }
    patched = patched.split(from).join(to);
  }
  writeFileSync(file, patched);
  return "patched";
}

if (!existsSync(root)) {
  // Installed without postgres.js (it is a dependency, so this means a partial tree): nothing to mend.
  process.exit(0);
}
for (const file of files) {
  process.stdout.write(`patch-postgres: ${file.slice(root.length)}: ${patch(file)}\n`);
}
