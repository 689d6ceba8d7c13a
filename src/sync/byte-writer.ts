// The COPY text of a batch, written as bytes as it is encoded (encode.ts): one growing buffer that
// is handed whole to the thread that sends it.
/**
 * UTF-8 text appended to one growing buffer. Room for the worst case (3 bytes per UTF-16 code unit)
 * is made before each write, so a write is never cut.
 */
export class ByteWriter {
  private buffer: Buffer;
  length = 0;

  constructor(capacity = 1 << 20) {
    // Never from Buffer's shared pool: the buffer is transferred whole to another thread.
    this.buffer = Buffer.allocUnsafeSlow(capacity);
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
    const next = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.length + room));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}
