// fontkit ships without type declarations; this is the small part of its API the letters use.
declare module "fontkit" {
  export interface Glyph {
    id: number;
    advanceWidth: number;
  }
  export interface Font {
    postscriptName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    lineGap: number;
    xHeight: number;
    capHeight: number;
    italicAngle: number;
    bbox: { minX: number; minY: number; maxX: number; maxY: number };
    head: { macStyle: { italic: boolean } };
    post: { isFixedPitch: number };
    "OS/2": { sFamilyClass: number };
    glyphForCodePoint(codePoint: number): Glyph;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
