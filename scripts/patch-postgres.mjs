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
// Second (issue 20): a COPY chunk is sent behind its 5-byte CopyData header as two writes, where
// postgres.js copied every chunk into a new buffer with its header (Buffer.concat): for a file
// import, gigabytes of copies and a new buffer per chunk counted against the main thread's heap,
// which cost it full collections. The chunk's bytes are not reused before the COPY has ended.
//
// Exact-text replacements: a postgres.js whose text differs stops the install with a message,
// rather than leaving the service exposed without anyone knowing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const MARK = "osm patch (issue 15)";
const CLOSED = "Errors.connection('CONNECTION_CLOSED', options)";

const COPY_MARK = "osm patch (issue 20)";

const COPY_REPLACEMENTS = [
  {
    what: "COPY data sent without copying it",
    count: 2,
    from: `        socket ? socket.write(b().d().raw(chunk).end(), callback) : callback(${CLOSED}) // ${MARK}`,
    to: `        socket ? (socket.write(copyDataHeader(chunk.length)), socket.write(chunk, callback)) : callback(${CLOSED}) // ${MARK}, ${COPY_MARK}`,
  },
  {
    what: "the CopyData header",
    count: 1,
    from: "\nfunction parseError(",
    to: `\nfunction copyDataHeader(length) { // ${COPY_MARK}
  const header = Buffer.allocUnsafe(5)
  header[0] = 100 // 'd'
  header.writeUInt32BE(length + 4, 1)
  return header
}

function parseError(`,
  },
];

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

/** `source` with each replacement made, unless `mark` says they were (a tree patched before). */
function applied(file, source, mark, replacements) {
  if (source.includes(mark)) return source;
  let patched = source;
  for (const { what, count, from, to } of replacements) {
    const found = patched.split(from).length - 1;
    if (found !== count) {
      throw new Error(
        `${file}: expected ${count} × the text of "${what}", found ${found}. postgres.js changed: ` +
          "check whether it fixed porsager/postgres#1208 and update or drop scripts/patch-postgres.mjs",
      );
    }
    patched = patched.split(from).join(to);
  }
  return patched;
}

function patch(file) {
  const source = readFileSync(file, "utf8");
  const patched = applied(file, applied(file, source, MARK, REPLACEMENTS), COPY_MARK, COPY_REPLACEMENTS);
  if (patched === source) return "already patched";
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
