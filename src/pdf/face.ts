// A font face as pdfkit's EmbeddedFont consumes it, built once and shared by every document.
//
// pdfkit lays text out with fontkit's full OpenType shaper (GSUB/GPOS lookups per word) and
// subsets through fontkit's generic encoder; for letters those two were three quarters of the
// render time. Vietnamese in NFC needs neither: every letter with its tone mark is a precomposed
// glyph reached through cmap, and official documents are set without ligatures or kerning (as
// Word sets them by default). So layout here is cmap + advance widths, cached per code point, and
// subsetting slices glyphs out of the TTF (truetype-subset.ts). Text stays exact: each glyph keeps
// the code point it came from, which pdfkit writes into the ToUnicode map.
import type * as fontkit from "fontkit";
import { TrueTypeSource, TrueTypeSubset } from "./truetype-subset.js";

export interface FaceGlyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
}

interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

/** fontkit's GlyphRun shape; advanceWidth is read after pdfkit has scaled the positions. */
class GlyphRun {
  constructor(
    readonly glyphs: FaceGlyph[],
    readonly positions: GlyphPosition[],
  ) {}

  get advanceWidth(): number {
    let width = 0;
    for (const p of this.positions) width += p.xAdvance;
    return width;
  }
}

/** The members of a fontkit font that pdfkit's EmbeddedFont reads, plus fast layout and subset. */
export class PdfFace {
  readonly postscriptName: string;
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly lineGap: number;
  readonly xHeight: number;
  readonly capHeight: number;
  readonly italicAngle: number;
  readonly bbox: fontkit.Font["bbox"];
  readonly head: fontkit.Font["head"];
  readonly post: fontkit.Font["post"];
  readonly "OS/2": fontkit.Font["OS/2"];
  private readonly glyphs = new Map<number, FaceGlyph>();
  private readonly source: TrueTypeSource;

  constructor(
    private readonly font: fontkit.Font,
    bytes: Uint8Array,
  ) {
    this.postscriptName = font.postscriptName;
    this.unitsPerEm = font.unitsPerEm;
    this.ascent = font.ascent;
    this.descent = font.descent;
    this.lineGap = font.lineGap;
    this.xHeight = font.xHeight;
    this.capHeight = font.capHeight;
    this.italicAngle = font.italicAngle;
    this.bbox = font.bbox;
    this.head = font.head;
    this.post = font.post;
    this["OS/2"] = font["OS/2"];
    this.source = new TrueTypeSource(bytes);
  }

  /** Whether the face has a real glyph (not .notdef) for the code point. */
  covers(codePoint: number): boolean {
    return this.glyphFor(codePoint).id !== 0;
  }

  getGlyph(id: number): { advanceWidth: number } {
    return { advanceWidth: this.source.glyph(id).advance };
  }

  createSubset(): TrueTypeSubset {
    return new TrueTypeSubset(this.source);
  }

  /** Advance width of `text` in font units: one glyph per code point, no kerning. */
  advance(text: string): number {
    let width = 0;
    for (const char of text) width += this.glyphFor(char.codePointAt(0) ?? 0).advanceWidth;
    return width;
  }

  /** One glyph per code point, advance widths in font units (pdfkit scales them). */
  layout(text: string): GlyphRun {
    const glyphs: FaceGlyph[] = [];
    const positions: GlyphPosition[] = [];
    for (const char of text) {
      const glyph = this.glyphFor(char.codePointAt(0) ?? 0);
      glyphs.push(glyph);
      positions.push({ xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return new GlyphRun(glyphs, positions);
  }

  /** The glyph for a code point (.notdef, id 0, if the face lacks it), cached for every document. */
  glyphFor(codePoint: number): FaceGlyph {
    let glyph = this.glyphs.get(codePoint);
    if (!glyph) {
      const found = this.font.glyphForCodePoint(codePoint);
      glyph = { id: found.id, codePoints: [codePoint], advanceWidth: found.advanceWidth };
      this.glyphs.set(codePoint, glyph);
    }
    return glyph;
  }
}
