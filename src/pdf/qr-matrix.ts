// The module matrix of a QR code, the same as @paulmillr/qr's encodeQR(text, "raw", { border: 0 })
// gives, in a small part of its time. Choosing the mask (ISO/IEC 18004, 7.8.3: the one of eight
// with the lowest penalty) was the largest share of a signed letter's render in its profile: the library draws the whole symbol through its generic Bitmap for each mask and
// scores it on arrays of booleans. Here the codewords come from the library's own coder, the
// function patterns from its own templates (once per version), and each mask is scored on one flat
// byte grid by the library's rules, ties going to the lower mask as they do there.
import { type ErrorCorrection, utils } from "@paulmillr/qr";

type Mask = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** The eight mask conditions (ISO/IEC 18004, Table 10), x the column and y the row. */
const PATTERNS: readonly ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x, _y) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

/** Per symbol size: the function patterns as scored (format bits light), and the data cells. */
interface Layout {
  size: number;
  /** Row-major, 1 dark; data cells 0 until filled. */
  functionModules: Uint8Array;
  /** Row-major indexes of the data cells in placement order. */
  dataCells: Int32Array;
  /** Per mask: whether the mask darkens each data cell (in placement order). */
  maskBits: Uint8Array[];
}

const layouts = new Map<number, Layout>();

function layoutFor(version: Version): Layout {
  let layout = layouts.get(version);
  if (layout) return layout;
  // The library scores masks on its "test" template: format information and the dark module light
  // (so the same for every mask and error correction level).
  const template = utils.drawTemplate(version, "low", 0, true);
  const size = template.height;
  const functionModules = new Uint8Array(size * size);
  const cells: number[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (template.data[y][x]) functionModules[y * size + x] = 1;
  }
  utils.zigzag(template, 0, (x, y) => cells.push(y * size + x));
  const dataCells = Int32Array.from(cells);
  const maskBits = PATTERNS.map((pattern) =>
    Uint8Array.from(cells, (cell) => (pattern(cell % size, Math.floor(cell / size)) ? 1 : 0)),
  );
  layout = { size, functionModules, dataCells, maskBits };
  layouts.set(version, layout);
  return layout;
}

// Dark-light-dark-dark-dark-light-dark with four light modules after it, or before it, as the
// last 11 modules read (the newest in the lowest bit).
const FINDER_AFTER = 0b10111010000;
const FINDER_BEFORE = 0b00001011101;

/** The library's score of a run of one colour by its length: 3 + (length - 5) from five on. */
const RUN_SCORE = Int32Array.from({ length: 256 }, (_, length) => (length >= 5 ? length - 2 : 0));

/**
 * Along `n` cells from `start` by `step`: runs of five or more modules of one colour, and
 * finder-like patterns, scored as the library scores a row. Without branches on the modules
 * (random as they are, mispredicted branches were three quarters of the time).
 */
function lineScore(grid: Uint8Array, start: number, step: number, n: number): number {
  let score = 0;
  let last = grid[start];
  let same = 1;
  let window = last;
  for (let i = 1; i < n; i++) {
    const v = grid[start + i * step];
    const equal = 1 ^ v ^ last;
    score += (1 - equal) * RUN_SCORE[same]; // a run ends
    same = equal * same + 1;
    last = v;
    window = ((window << 1) | v) & 0x7ff;
    if (i >= 10) score += (window === FINDER_AFTER ? 40 : 0) + (window === FINDER_BEFORE ? 40 : 0);
  }
  return score + RUN_SCORE[same];
}

/** The library's penalty of a drawn symbol (its `penalty`, on a row-major grid). */
function penalty(grid: Uint8Array, size: number): number {
  let score = 0;
  for (let i = 0; i < size; i++) {
    score += lineScore(grid, i * size, 1, size) + lineScore(grid, i, size, size);
  }
  for (let y = 0; y < size - 1; y++) {
    for (let x = 0; x < size - 1; x++) {
      const at = y * size + x;
      const v = grid[at];
      const differs = (v ^ grid[at + 1]) | (v ^ grid[at + size]) | (v ^ grid[at + size + 1]);
      score += 3 - 3 * differs;
    }
  }
  let dark = 0;
  for (let i = 0; i < grid.length; i++) dark += grid[i];
  const darkPercent = (dark / (size * size)) * 100;
  return score + 10 * Math.floor(Math.abs(darkPercent - 50) / 5);
}

type Version = Parameters<typeof utils.drawTemplate>[0];
type Encoding = "numeric" | "alphanumeric" | "byte";

/** The library's choice of encoding: numeric, else alphanumeric, else bytes of UTF-8. */
function encodingOf(text: string): Encoding {
  const { numeric, alphanumerc } = utils.info.alphabet;
  let encoding: Encoding = "numeric";
  for (const char of text) {
    if (numeric.has(char)) continue;
    encoding = "alphanumeric";
    if (!alphanumerc.has(char)) return "byte";
  }
  return encoding;
}

/** The bits of the text in its encoding, after the mode and length (ISO/IEC 18004, 7.4). */
function payloadBits(text: string, encoding: Encoding): string {
  const bin = (value: number, width: number) => value.toString(2).padStart(width, "0");
  let bits = "";
  if (encoding === "byte") {
    for (const byte of new TextEncoder().encode(text)) bits += bin(byte, 8);
    return bits;
  }
  const alphabet = encoding === "numeric" ? utils.info.alphabet.numeric : utils.info.alphabet.alphanumerc;
  const t = alphabet.decode(text.split(""));
  if (encoding === "numeric") {
    for (let i = 0; i + 2 < t.length; i += 3) bits += bin(t[i] * 100 + t[i + 1] * 10 + t[i + 2], 10);
    if (t.length % 3 === 1) bits += bin(t[t.length - 1], 4);
    if (t.length % 3 === 2) bits += bin(t[t.length - 2] * 10 + t[t.length - 1], 7);
    return bits;
  }
  for (let i = 0; i + 1 < t.length; i += 2) bits += bin(t[i] * 45 + t[i + 1], 11);
  if (t.length % 2 === 1) bits += bin(t[t.length - 1], 6);
  return bits;
}

/** The library's Reed-Solomon coder and interleaver per version and level, made once. */
const interleavers = new Map<string, ReturnType<typeof utils.interleave>>();

function interleaverFor(version: Version, ecc: ErrorCorrection): ReturnType<typeof utils.interleave> {
  const key = `${version} ${ecc}`;
  let interleaver = interleavers.get(key);
  if (!interleaver) {
    interleaver = utils.interleave(version, ecc);
    interleavers.set(key, interleaver);
  }
  return interleaver;
}

/**
 * The smallest version that holds the text (the library encodes the text at every version from 1
 * until it fits), and the codewords with their error correction, interleaved, as the library's.
 */
function codewords(text: string, ecc: ErrorCorrection): { version: Version; bytes: Uint8Array } {
  const encoding = encodingOf(text);
  const payload = payloadBits(text, encoding);
  const count = encoding === "byte" ? payload.length / 8 : text.length;
  for (let version = 1; version <= 40; version++) {
    const v = version as Version;
    const { capacity } = utils.info.capacity(v, ecc);
    let bits = utils.info.modeBits[encoding] + utils.bin(count, utils.info.lengthBits(v, encoding)) + payload;
    if (bits.length > capacity) continue;
    bits += "0".repeat(Math.min(4, capacity - bits.length)); // terminator
    if (bits.length % 8) bits += "0".repeat(8 - (bits.length % 8));
    for (let i = 0; bits.length < capacity; i++) bits += i % 2 === 0 ? "11101100" : "00010001";
    const data = new Uint8Array(capacity / 8);
    for (let i = 0; i < data.length; i++) data[i] = Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2);
    return { version: v, bytes: interleaverFor(v, ecc).encode(data) };
  }
  throw new Error("QR: the text is too long for any version");
}

/** Per version, error correction and mask: the function patterns with the format bits, as drawn. */
const finalTemplates = new Map<string, Uint8Array>();

function finalTemplate(version: Version, ecc: ErrorCorrection, mask: Mask, size: number): Uint8Array {
  const key = `${version} ${ecc} ${mask}`;
  let grid = finalTemplates.get(key);
  if (!grid) {
    const template = utils.drawTemplate(version, ecc, mask, false);
    grid = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) if (template.data[y][x]) grid[y * size + x] = 1;
    }
    finalTemplates.set(key, grid);
  }
  return grid;
}

/** Rows of modules, true dark, no quiet zone: what encodeQR(text, "raw", { ecc, border: 0 }) returns. */
export function qrMatrix(text: string, ecc: ErrorCorrection): boolean[][] {
  const { version, bytes } = codewords(text, ecc);
  const layout = layoutFor(version);
  const { size, dataCells, maskBits } = layout;
  // The bits in placement order; cells beyond the codewords (remainder bits) stay light.
  const data = new Uint8Array(dataCells.length);
  for (let i = 0; i < bytes.length * 8 && i < data.length; i++)
    data[i] = (bytes[i >>> 3] >> (7 - (i & 7))) & 1;
  const grid = new Uint8Array(size * size);
  let best: Mask = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < PATTERNS.length; mask++) {
    grid.set(layout.functionModules);
    const bits = maskBits[mask];
    for (let i = 0; i < dataCells.length; i++) grid[dataCells[i]] = data[i] ^ bits[i];
    const score = penalty(grid, size);
    if (score < bestScore) {
      best = mask as Mask;
      bestScore = score;
    }
  }
  grid.set(finalTemplate(version, ecc, best, size));
  const bits = maskBits[best];
  for (let i = 0; i < dataCells.length; i++) grid[dataCells[i]] = data[i] ^ bits[i];
  // Plain loops: Array.from over typed subarrays took a fifth of the whole.
  const rows: boolean[][] = [];
  for (let y = 0; y < size; y++) {
    const row = new Array<boolean>(size);
    for (let x = 0; x < size; x++) row[x] = grid[y * size + x] === 1;
    rows.push(row);
  }
  return rows;
}
