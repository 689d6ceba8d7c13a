// Line breaking and line drawing for document text. pdfkit's own wrapper runs the Unicode line
// breaking algorithm and re-measures every word per document; here words are measured from the
// face's cached advance widths and lines break at spaces only, so a line never splits "Ông/Bà"
// or "61/2018/NĐ-CP" at a slash (which would also break copying and searching the text).
import type { PdfFace } from "./face.js";

export type Align = "left" | "center" | "justify";

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
export function breakLines(face: PdfFace, size: number, text: string, box: TextBox): string[] {
  const space = textWidth(face, size, " ");
  const lines: string[] = [];
  let line = "";
  let lineWidth = 0;
  let available = box.width - (box.firstLineIndent ?? 0);
  const push = () => {
    lines.push(line);
    line = "";
    lineWidth = 0;
    available = box.width;
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const width = textWidth(face, size, word);
    if (line && lineWidth + space + width > available) push();
    if (!line && width > available) {
      for (const char of word) {
        const w = textWidth(face, size, char);
        if (line && lineWidth + w > available) push();
        line += char;
        lineWidth += w;
      }
      continue;
    }
    lineWidth += (line ? space : 0) + width;
    line = line ? `${line} ${word}` : word;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Draws the lines from the document's cursor down, moving the cursor below them. Justified text
 * stretches the spaces of every line but the last, as a word processor does.
 */
export function drawLines(
  doc: PDFKit.PDFDocument,
  face: PdfFace,
  size: number,
  lines: readonly string[],
  box: TextBox & { align: Align; lineGap?: number },
): void {
  const lineHeight = doc.currentLineHeight(true) + (box.lineGap ?? 0);
  lines.forEach((line, i) => {
    const indent = i === 0 ? (box.firstLineIndent ?? 0) : 0;
    const natural = textWidth(face, size, line);
    const free = box.width - indent - natural;
    let x = box.x + indent;
    let wordSpacing = 0;
    if (box.align === "center") x += free / 2;
    if (box.align === "justify" && i < lines.length - 1) {
      const gaps = line.split(" ").length - 1;
      if (gaps > 0) wordSpacing = free / gaps;
    }
    const y = doc.y;
    doc.text(line, x, y, { lineBreak: false, wordSpacing });
    doc.y = y + lineHeight;
  });
}
