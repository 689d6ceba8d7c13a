// The COPY text of a batch, written as bytes as it is encoded (encode.ts): one growing buffer that
// is handed whole to the thread that sends it.

/**
 * Memory shared between threads where there is some: V8 counts a plain ArrayBuffer against the
 * heap of the thread that makes it and of each thread it is transferred to, and a batch's
 * megabytes of encoded rows, received by the main thread, cost it a full collection every few
 * batches; a SharedArrayBuffer is not counted, and is freed as its last view is collected.
 */
function sharedMemory(bytes: number): Buffer<ArrayBufferLike> {
  if (typeof SharedArrayBuffer !== "function") return Buffer.allocUnsafeSlow(bytes);
  // Rounded up (by at most an eighth), so that memory lent again fits the next batch's near size.
  const granule = 2 ** Math.max(12, Math.floor(Math.log2(bytes)) - 3);
  return Buffer.from(new SharedArrayBuffer(Math.ceil(bytes / granule) * granule));
}
/**
 * UTF-8 text appended to one growing buffer. Room for the worst case (3 bytes per UTF-16 code unit)
 * is made before each write, so a write is never cut.
 */
export class ByteWriter {
  private buffer: Buffer<ArrayBufferLike>;
  length = 0;

  /** `memory`, when given and large enough, is written into rather than new memory (it is lent again). */
  constructor(capacity = 1 << 20, memory?: SharedArrayBuffer) {
    // Never from Buffer's shared pool: the buffer is handed whole to another thread.
    this.buffer = memory && memory.byteLength >= capacity ? Buffer.from(memory) : sharedMemory(capacity);
  }

  write(text: string): void {
    const room = text.length * 3;
    if (this.buffer.length - this.length < room) this.grow(room);
    this.length += this.buffer.write(text, this.length);
  }

  /**
   * JSON text's UTF-8 as a COPY value: JSON has no raw tab, newline or carriage return, so only
   * backslashes are doubled (copyText's escaping, on bytes).
   */
  writeCopyBytes(bytes: Uint8Array): void {
    const room = bytes.length * 2;
    if (this.buffer.length - this.length < room) this.grow(room);
    let from = 0;
    for (let at = bytes.indexOf(0x5c); at >= 0; at = bytes.indexOf(0x5c, at + 1)) {
      this.buffer.set(bytes.subarray(from, at + 1), this.length);
      this.length += at + 1 - from;
      this.buffer[this.length++] = 0x5c;
      from = at + 1;
    }
    this.buffer.set(bytes.subarray(from), this.length);
    this.length += bytes.length - from;
  }

  /** "\n", the end of a line, without encoding a string for one byte. */
  writeNewline(): void {
    if (this.length === this.buffer.length) this.grow(1);
    this.buffer[this.length++] = 0x0a;
  }

  /** What was written; the writer is not used after. */
  bytes(): Uint8Array {
    return new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.length);
  }

  private grow(room: number): void {
    const next = sharedMemory(Math.max(this.buffer.length * 2, this.length + room));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}
