// Line breaking and line drawing for document text. pdfkit's own wrapper runs the Unicode line
// breaking algorithm and re-measures every word per document; here words are measured from the
// face's cached advance widths and lines break at spaces only, so a line never splits "Ông/Bà"
// or "61/2018/NĐ-CP" at a slash (which would also break copying and searching the text).
import type { PdfFace } from "./face.js";

export type Align = "left" | "center" | "justify";

/** A line of text and its natural width in points. */
export interface Line {
  text: string;
  width: number;
  spaces: number;
}

export interface TextBox {
  x: number;
  width: number;
  /** Extra left offset of the first line (paragraph indent). */
  firstLineIndent?: number;
}

/** Width in points of `text` set in `face` at `size`. */
export function textWidth(face: PdfFace, size: number, text: string): number {
  return (face.advance(text) * size) / face.unitsPerEm;
}

/** Greedy line breaking at spaces; a word wider than the line is split between characters. */
export function breakLines(face: PdfFace, size: number, text: string, box: TextBox): Line[] {
  const space = textWidth(face, size, " ");
  const lines: Line[] = [];
  let line: Line = { text: "", width: 0, spaces: 0 };
  let available = box.width - (box.firstLineIndent ?? 0);
  const push = () => {
    lines.push(line);
    line = { text: "", width: 0, spaces: 0 };
    available = box.width;
  };
  const append = (word: string, width: number, separator: string) => {
    if (line.text && separator) {
      line.text += separator;
      line.width += space;
      line.spaces++;
    }
    line.text += word;
    line.width += width;
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const width = textWidth(face, size, word);
    if (line.text && line.width + space + width > available) push();
    if (line.text || width <= available) {
      append(word, width, " ");
      continue;
    }
    for (const char of word) {
      const w = textWidth(face, size, char);
      if (line.text && line.width + w > available) push();
      append(char, w, "");
    }
  }
  if (line.text || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * The part of pdfkit 0.20's EmbeddedFont (the document's current font, `doc._font`) that the line
 * writer fills in: the document's subset (a TrueTypeSubset, see face.ts), and per CID the width
 * and code points that pdfkit writes into the font's W array and ToUnicode map at the end.
 */
interface EmbeddedFontInternals {
  id: string;
  ascender: number;
  scale: number;
  subset: { includeGlyph(id: number): number };
  widths: number[];
  unicode: number[][];
  ref(): unknown;
}

function currentFont(doc: PDFKit.PDFDocument): EmbeddedFontInternals {
  return (doc as unknown as { _font: EmbeddedFontInternals })._font;
}

const num = (n: number) => String(Math.round(n * 1000) / 1000);

/**
 * Draws the lines from the document's cursor down, moving the cursor below them. Justified text
 * widens the spaces of every line but the last, as a word processor does.
 *
 * Each line is one text object with a TJ array written straight into the page content, rather
 * than through doc.text(): pdfkit's text path re-measures and re-encodes every word several
 * times per line, which was most of a letter's render time. Spaces stay real glyphs (widened by
 * TJ offsets), so copied text keeps its spaces.
 */
export function drawLines(
  doc: PDFKit.PDFDocument,
  face: PdfFace,
  size: number,
  lines: readonly Line[],
  box: TextBox & { align: Align; lineGap?: number },
): void {
  const font = currentFont(doc);
  const lineHeight = doc.currentLineHeight(true) + (box.lineGap ?? 0);
  const baseline = (font.ascender / 1000) * size;
  lines.forEach((line, i) => {
    // A line that would cross the bottom margin starts a new page (with the document's size and
    // margins), as the flow of a word processor would.
    if (doc.y + lineHeight > doc.page.height - doc.page.margins.bottom) doc.addPage();
    doc.page.fonts[font.id] ??= font.ref();
    const pageHeight = doc.page.height;
    const indent = i === 0 ? (box.firstLineIndent ?? 0) : 0;
    const free = box.width - indent - line.width;
    let x = box.x + indent;
    let extraSpace = 0;
    if (box.align === "center") x += free / 2;
    if (box.align === "justify" && i < lines.length - 1 && line.spaces > 0) extraSpace = free / line.spaces;
    const y = pageHeight - doc.y - baseline;
    const tj = tjArray(
      font,
      face,
      line.text,
      extraSpace === 0 ? "" : ` ${num((-extraSpace * 1000) / size)} `,
    );
    doc.addContent(
      `q 1 0 0 -1 0 ${num(pageHeight)} cm BT 1 0 0 1 ${num(x)} ${num(y)} Tm /${font.id} ${num(size)} Tf ${tj} TJ ET Q`,
    );
    doc.y += lineHeight;
  });
}

/**
 * [<CIDs> offset <CIDs> …]: the line's glyphs as CIDs of the document's subset, each space
 * followed by the extra offset (if any) that justifies the line. Records each CID's width and
 * code point for pdfkit's W array and ToUnicode map.
 */
function tjArray(font: EmbeddedFontInternals, face: PdfFace, text: string, spaceOffset: string): string {
  let tj = "[<";
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const glyph = face.glyphFor(codePoint);
    const cid = font.subset.includeGlyph(glyph.id);
    font.widths[cid] ??= glyph.advanceWidth * font.scale;
    font.unicode[cid] ??= glyph.codePoints;
    tj += HEX4[cid] ?? cid.toString(16).padStart(4, "0");
    if (spaceOffset && codePoint === 32) tj += `>${spaceOffset}<`;
  }
  return `${tj}>]`;
}

/** CIDs as 4 hex digits, precomputed for the first thousand (a letter uses a few hundred). */
const HEX4 = Array.from({ length: 1024 }, (_, i) => i.toString(16).padStart(4, "0"));
