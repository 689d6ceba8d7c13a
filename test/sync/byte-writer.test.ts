// A batch's encoded bytes (byte-writer.ts) are what was written, across growth, in shared memory
// or in memory lent to the writer.
import { describe, expect, it } from "vitest";
import { ByteWriter } from "../../src/sync/byte-writer.js";

describe("ByteWriter", () => {
  it("holds the UTF-8 of what was written, across growth, in shared memory", () => {
    const out = new ByteWriter(16);
    const pieces = ["HS-1\tNguyễn Văn An\t", "😀", "a\\b"];
    let expected = "";
    for (let i = 0; i < 500; i++) {
      out.write(pieces[0]);
      out.writeCopyBytes(Buffer.from(pieces[2]));
      out.write(pieces[1]);
      out.writeNewline();
      expected += `${pieces[0]}a\\\\b${pieces[1]}\n`;
    }
    const bytes = out.bytes();
    expect(Buffer.from(bytes).toString()).toBe(expected);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("writes into memory lent to it when it is large enough, and into its own when not", () => {
    const lent = new SharedArrayBuffer(1 << 16);
    new Uint8Array(lent).fill(0x78);
    const into = new ByteWriter(1 << 10, lent);
    into.write("Nguyễn\t");
    into.writeNewline();
    expect(into.bytes().buffer).toBe(lent);
    expect(Buffer.from(into.bytes()).toString()).toBe("Nguyễn\t\n");
    const beside = new ByteWriter(1 << 17, lent);
    beside.write("HS-1");
    expect(beside.bytes().buffer).not.toBe(lent);
    expect(Buffer.from(beside.bytes()).toString()).toBe("HS-1");
  });
});
