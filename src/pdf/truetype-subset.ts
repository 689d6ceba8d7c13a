// A TrueType subset writer for PDF embedding (FontFile2 of a CIDFontType2 with Identity
// CIDToGIDMap). fontkit's own subsetter re-decodes every glyph and re-encodes every table through
// its generic struct codec on each document, a large part of a letter's render time; here
// each source glyph is sliced out of the font once, and a subset is a few byte copies.
//
// It writes the tables a PDF TrueType font program needs (ISO 32000-1, 9.9: head, hhea, loca,
// maxp, glyf, hmtx); viewers map glyphs through CIDToGIDMap and text through ToUnicode, so cmap,
// name, OS/2 and post are not needed. Hinting is dropped (glyph instructions, and with them cvt,
// fpgm and prep): it only snaps outlines to a screen's pixel grid, PDF viewers and printers
// render without it, and its tables would be a large share of the bytes every letter compresses.

interface TableRecord {
  offset: number;
  length: number;
}

/** One source glyph: its glyf bytes (unhinted), the glyphs it is built from, its metrics. */
interface SourceGlyph {
  data: Uint8Array;
  /** For composite glyphs: byte offset of each component's glyph index, and that index. */
  components: { at: number; glyph: number }[];
  advance: number;
  leftBearing: number;
}

// Composite glyph flags (OpenType spec, glyf table).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;
const WE_HAVE_INSTRUCTIONS = 0x0100;

function readTableDirectory(bytes: Uint8Array): Map<string, TableRecord> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint16(4);
  const tables = new Map<string, TableRecord>();
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
    tables.set(tag, { offset: view.getUint32(at + 8), length: view.getUint32(at + 12) });
  }
  return tables;
}

function checksum(data: Uint8Array): number {
  const padded = data.length % 4 === 0 ? data : padTo4(data);
  const view = new DataView(padded.buffer, padded.byteOffset, padded.byteLength);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  return sum;
}

function padTo4(data: Uint8Array): Uint8Array {
  if (data.length % 4 === 0) return data;
  const out = new Uint8Array((data.length + 3) & ~3);
  out.set(data);
  return out;
}

/** The parsed source font: table locations, decoded lazily per glyph and kept for every subset. */
export class TrueTypeSource {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly tables: Map<string, TableRecord>;
  private readonly longLoca: boolean;
  private readonly metricsCount: number;
  private readonly glyphs = new Map<number, SourceGlyph>();
  /** Recent subset programs by their glyph order, most recent last (see TrueTypeSubset.encode). */
  private readonly programs = new Map<string, Uint8Array>();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.tables = readTableDirectory(bytes);
    for (const tag of ["head", "hhea", "maxp", "loca", "glyf", "hmtx"]) {
      if (!this.tables.has(tag)) throw new Error(`not a TrueType font: no ${tag} table`);
    }
    this.longLoca = this.view.getInt16(this.table("head").offset + 50) === 1;
    this.metricsCount = this.view.getUint16(this.table("hhea").offset + 34);
  }

  private table(tag: string): TableRecord {
    const record = this.tables.get(tag);
    if (!record) throw new Error(`font has no ${tag} table`);
    return record;
  }

  tableBytes(tag: string): Uint8Array | undefined {
    const record = this.tables.get(tag);
    return record && this.bytes.subarray(record.offset, record.offset + record.length);
  }

  glyph(id: number): SourceGlyph {
    let glyph = this.glyphs.get(id);
    if (!glyph) {
      glyph = this.readGlyph(id);
      this.glyphs.set(id, glyph);
    }
    return glyph;
  }

  /** A program built before for the same glyph order, if still remembered. */
  knownProgram(order: string): Uint8Array | undefined {
    const program = this.programs.get(order);
    if (program) {
      this.programs.delete(order);
      this.programs.set(order, program);
    }
    return program;
  }

  rememberProgram(order: string, program: Uint8Array): void {
    if (this.programs.size >= REMEMBERED_PROGRAMS)
      this.programs.delete(this.programs.keys().next().value as string);
    this.programs.set(order, program);
  }

  private locaOffset(id: number): number {
    const loca = this.table("loca").offset;
    return this.longLoca ? this.view.getUint32(loca + id * 4) : this.view.getUint16(loca + id * 2) * 2;
  }

  private readGlyph(id: number): SourceGlyph {
    const glyf = this.table("glyf").offset;
    const raw = this.bytes.subarray(glyf + this.locaOffset(id), glyf + this.locaOffset(id + 1));
    const hmtx = this.table("hmtx").offset;
    const last = this.metricsCount - 1;
    const advance = this.view.getUint16(hmtx + Math.min(id, last) * 4);
    const leftBearing =
      id <= last
        ? this.view.getInt16(hmtx + id * 4 + 2)
        : this.view.getInt16(hmtx + this.metricsCount * 4 + (id - this.metricsCount) * 2);
    if (raw.length === 0) return { data: raw, components: [], advance, leftBearing };
    // Glyph data is kept padded to 4 bytes so that a subset can concatenate it as it is.
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const contours = view.getInt16(0);
    return contours >= 0
      ? { data: padTo4(withoutInstructions(raw, view, contours)), components: [], advance, leftBearing }
      : { ...compositeWithoutInstructions(raw, view), advance, leftBearing };
  }
}

/** A simple glyph with its instruction bytes removed (instructionLength set to 0). */
function withoutInstructions(raw: Uint8Array, view: DataView, contours: number): Uint8Array {
  const lengthAt = 10 + contours * 2;
  const instructions = view.getUint16(lengthAt);
  const data = new Uint8Array(raw.length - instructions);
  data.set(raw.subarray(0, lengthAt));
  data.set(raw.subarray(lengthAt + 2 + instructions), lengthAt + 2);
  return data;
}

/** A composite glyph's components, and its bytes without trailing instructions. */
function compositeWithoutInstructions(
  raw: Uint8Array,
  view: DataView,
): Omit<SourceGlyph, "advance" | "leftBearing"> {
  const components: SourceGlyph["components"] = [];
  let at = 10;
  let flagsAt = at;
  let flags = MORE_COMPONENTS;
  while (flags & MORE_COMPONENTS) {
    flagsAt = at;
    flags = view.getUint16(at);
    components.push({ at: at + 2, glyph: view.getUint16(at + 2) });
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) at += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
  }
  const data = padTo4(raw.slice(0, at));
  new DataView(data.buffer).setUint16(flagsAt, flags & ~WE_HAVE_INSTRUCTIONS);
  return { data, components };
}

/**
 * How many subset programs a face remembers. A face whose text is the same in every letter of an
 * agency (bold: the agency, the national motto, the title, the signer; bold italic: "Nơi nhận:"),
 * or of a day (italic: the date line), gives the same glyph order, so the same program: returned
 * as the same bytes, which the document then deflates only once (CollectedDocument.ref). Over 300
 * letters of `npm run bench -- letters` (one agency, varied days): bold 298 hits, bold italic 299,
 * italic 272, regular (names, reasons) 2.
 */
const REMEMBERED_PROGRAMS = 64;

/** The glyphs one document uses, in first-use order (glyph 0, .notdef, always first). */
export class TrueTypeSubset {
  private readonly order: number[] = [];
  private readonly mapping = new Map<number, number>();

  constructor(private readonly source: TrueTypeSource) {
    this.includeGlyph(0);
  }

  /** The glyph's id in the subset (pdfkit's CID), adding it on first use. */
  includeGlyph(id: number): number {
    let mapped = this.mapping.get(id);
    if (mapped === undefined) {
      mapped = this.order.length;
      this.order.push(id);
      this.mapping.set(id, mapped);
    }
    return mapped;
  }

  /**
   * The subset font program; composite glyphs pull in their components and are renumbered. The
   * same glyph order always gives the same program: the bytes of a recent one are returned as they are.
   */
  encode(): Uint8Array {
    const order = this.order.join(" ");
    const known = this.source.knownProgram(order);
    if (known) return known;
    const glyphs: Uint8Array[] = [];
    const metrics: SourceGlyph[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const glyph = this.source.glyph(this.order[i]);
      let data = glyph.data;
      if (glyph.components.length > 0) {
        data = data.slice();
        const view = new DataView(data.buffer);
        for (const c of glyph.components) view.setUint16(c.at, this.includeGlyph(c.glyph));
      }
      glyphs.push(data);
      metrics.push(glyph);
    }
    const program = this.assemble(glyphs, metrics);
    this.source.rememberProgram(order, program);
    return program;
  }

  private assemble(glyphs: Uint8Array[], metrics: SourceGlyph[]): Uint8Array {
    const count = glyphs.length;
    const loca = new DataView(new ArrayBuffer((count + 1) * 4));
    let offset = 0;
    glyphs.forEach((g, i) => {
      loca.setUint32(i * 4, offset);
      offset += g.length;
    });
    loca.setUint32(count * 4, offset);
    const glyf = new Uint8Array(offset);
    offset = 0;
    for (const g of glyphs) {
      glyf.set(g, offset);
      offset += g.length;
    }
    const hmtx = new DataView(new ArrayBuffer(count * 4));
    metrics.forEach((m, i) => {
      hmtx.setUint16(i * 4, m.advance);
      hmtx.setInt16(i * 4 + 2, m.leftBearing);
    });
    const head = this.patched("head", (v) => {
      v.setUint32(8, 0); // checkSumAdjustment, set once the whole file is known
      v.setInt16(50, 1); // indexToLocFormat: long offsets
    });
    const hhea = this.patched("hhea", (v) => v.setUint16(34, count));
    const maxp = this.patched("maxp", (v) => v.setUint16(4, count));
    const tables: [string, Uint8Array][] = [
      ["glyf", glyf],
      ["head", head],
      ["hhea", hhea],
      ["hmtx", new Uint8Array(hmtx.buffer)],
      ["loca", new Uint8Array(loca.buffer)],
      ["maxp", maxp],
    ];
    const file = writeSfnt(tables);
    const headAt = tableOffset(file, "head");
    new DataView(file.buffer).setUint32(headAt + 8, (0xb1b0afba - checksum(file)) >>> 0);
    return file;
  }

  private patched(tag: string, patch: (view: DataView) => void): Uint8Array {
    const copy = (this.source.tableBytes(tag) ?? new Uint8Array()).slice();
    patch(new DataView(copy.buffer));
    return copy;
  }
}

/** The sfnt container: offset table, table records (sorted by tag), 4-byte aligned tables. */
function writeSfnt(tables: [string, Uint8Array][]): Uint8Array {
  const headerSize = 12 + tables.length * 16;
  const size = tables.reduce((n, [, t]) => n + ((t.length + 3) & ~3), headerSize);
  const file = new Uint8Array(size);
  const view = new DataView(file.buffer);
  const power = 2 ** Math.floor(Math.log2(tables.length));
  view.setUint32(0, 0x00010000);
  view.setUint16(4, tables.length);
  view.setUint16(6, power * 16);
  view.setUint16(8, Math.log2(power));
  view.setUint16(10, tables.length * 16 - power * 16);
  let offset = headerSize;
  tables.forEach(([tag, data], i) => {
    const at = 12 + i * 16;
    for (let c = 0; c < 4; c++) file[at + c] = tag.charCodeAt(c);
    view.setUint32(at + 4, checksum(data));
    view.setUint32(at + 8, offset);
    view.setUint32(at + 12, data.length);
    file.set(data, offset);
    offset += (data.length + 3) & ~3;
  });
  return file;
}

function tableOffset(file: Uint8Array, tag: string): number {
  const record = readTableDirectory(file).get(tag);
  if (!record) throw new Error(`subset has no ${tag} table`);
  return record.offset;
}
