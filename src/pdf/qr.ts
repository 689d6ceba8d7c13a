// The QR code on a letter: the status page's address (/tra-cuu/{token}), drawn as vector squares so
// that it prints sharp at any size and adds no image to the file. @paulmillr/qr's encoder, with a
// faster choice of mask (qr-matrix.ts), computes the matrix.
import { qrMatrix } from "./qr-matrix.js";

/** ISO/IEC 18004: a quiet zone of 4 modules keeps the code readable next to text. */
export const QUIET_ZONE_MODULES = 4;

export interface QrBox {
  x: number;
  y: number;
  /** The side of the code, quiet zone included, in points. */
  size: number;
}

/**
 * Draws the code for `text` in the box (quiet zone inside it). Error correction "medium" (15 %):
 * enough for a creased or stamped paper letter, small enough for a 60-character address.
 */
export function drawQrCode(doc: PDFKit.PDFDocument, text: string, box: QrBox): void {
  const modules = qrMatrix(text, "medium");
  const unit = box.size / (modules.length + 2 * QUIET_ZONE_MODULES);
  // Runs of dark modules in a row as one rectangle each, in module units (a matrix maps them onto
  // the box, in the page's top-down coordinates as pdfkit's own rect() writes them): short integers
  // instead of coordinates in points, a third of the bytes for the page's stream to compress.
  let path = "";
  for (const [row, cells] of modules.entries()) {
    let start = -1;
    for (let col = 0; col <= cells.length; col++) {
      const dark = col < cells.length && cells[col];
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        path += `${start} ${row} ${col - start} 1 re\n`;
        start = -1;
      }
    }
  }
  const n = (v: number) => String(Math.round(v * 1e4) / 1e4);
  const origin = { x: box.x + QUIET_ZONE_MODULES * unit, y: box.y + QUIET_ZONE_MODULES * unit };
  doc.save();
  doc.fillColor("#000000");
  doc.addContent(`q ${n(unit)} 0 0 ${n(unit)} ${n(origin.x)} ${n(origin.y)} cm\n${path}f Q`);
  doc.restore();
}
