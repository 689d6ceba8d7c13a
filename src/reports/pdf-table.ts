// A ruled table for signed reports, drawn with the pdf module's text primitives (the fast line writer,
// breaking at spaces only): cells wrap, a row never splits across pages, and the column headers
// are repeated at the top of every page.

import { type Canvas, PAGE_MARGINS } from "../pdf/document.js";
import type { FontStyle } from "../pdf/fonts.js";
import { type Align, breakLines, drawLines, type Line } from "../pdf/text.js";

export interface TableColumn {
  header: string;
  /** Share of the table's width (shares are normalised). */
  share: number;
  align?: Align;
}

export interface TableRow {
  cells: readonly string[];
  /** Totals: set in bold. */
  emphasis?: boolean;
}

const SIZE = 10.5;
const HEADER_SIZE = 10.5;
const PADDING = 3;
const RULE = 0.5;

interface Laid {
  lines: Line[][];
  height: number;
  font: FontStyle;
  size: number;
  /** Header cells are centred; body cells take their column's alignment. */
  header: boolean;
}

function contentBox({ doc }: Canvas) {
  return { x: PAGE_MARGINS.left, width: doc.page.width - PAGE_MARGINS.left - PAGE_MARGINS.right };
}

function lineHeight({ doc }: Canvas, font: FontStyle, size: number): number {
  return doc.font(font).fontSize(size).currentLineHeight(true);
}

function layRow(
  canvas: Canvas,
  widths: readonly number[],
  cells: readonly string[],
  font: FontStyle,
  size: number,
  header = false,
): Laid {
  const face = canvas.fonts.faces[font];
  const lines = cells.map((text, i) =>
    breakLines(face, size, text.normalize("NFC"), { x: 0, width: widths[i] - 2 * PADDING }),
  );
  const tallest = Math.max(1, ...lines.map((l) => l.length));
  return { lines, font, size, header, height: tallest * lineHeight(canvas, font, size) + 2 * PADDING };
}

function drawRow(
  canvas: Canvas,
  columns: readonly TableColumn[],
  widths: readonly number[],
  row: Laid,
  y: number,
) {
  const { doc } = canvas;
  let x = contentBox(canvas).x;
  row.lines.forEach((lines, i) => {
    doc.font(row.font).fontSize(row.size);
    doc.y = y + PADDING;
    const align = row.header ? "center" : (columns[i].align ?? "left");
    drawLines(doc, canvas.fonts.faces[row.font], row.size, lines, {
      x: x + PADDING,
      width: widths[i] - 2 * PADDING,
      align,
    });
    doc.rect(x, y, widths[i], row.height).lineWidth(RULE).stroke();
    x += widths[i];
  });
  doc.y = y + row.height;
}

const bottomOf = ({ doc }: Canvas) => doc.page.height - PAGE_MARGINS.bottom;

/** One line of bold text at the margin, kept on the page of what follows it (`keepWith` points). */
export function drawCaption(canvas: Canvas, text: string, keepWith: number): void {
  const { doc } = canvas;
  const size = 12;
  const height = lineHeight(canvas, "bold", size);
  if (doc.y + height + keepWith > bottomOf(canvas)) doc.addPage();
  const box = contentBox(canvas);
  doc.font("bold").fontSize(size);
  drawLines(doc, canvas.fonts.faces.bold, size, breakLines(canvas.fonts.faces.bold, size, text, box), {
    ...box,
    align: "left",
  });
  doc.y += 4;
}

/** The table from the cursor down, starting new pages (with the header again) as rows need. */
export function drawTable(
  canvas: Canvas,
  caption: string,
  columns: readonly TableColumn[],
  rows: readonly TableRow[],
): void {
  const box = contentBox(canvas);
  const total = columns.reduce((s, c) => s + c.share, 0);
  const widths = columns.map((c) => (c.share / total) * box.width);
  const header = layRow(
    canvas,
    widths,
    columns.map((c) => c.header),
    "bold",
    HEADER_SIZE,
    true,
  );
  const laid = rows.map((r) => layRow(canvas, widths, r.cells, r.emphasis ? "bold" : "regular", SIZE));
  drawCaption(canvas, caption, header.height + (laid[0]?.height ?? 0));
  drawRow(canvas, columns, widths, header, canvas.doc.y);
  for (const row of laid) {
    if (canvas.doc.y + row.height > bottomOf(canvas)) {
      canvas.doc.addPage();
      drawRow(canvas, columns, widths, header, canvas.doc.y);
    }
    drawRow(canvas, columns, widths, row, canvas.doc.y);
  }
  canvas.doc.y += 10;
}
