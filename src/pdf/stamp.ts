// The visible signature of a signed letter, where the signer block leaves room to sign and seal
// (Nghị định 30/2020/NĐ-CP, Phụ lục I, phần II: for a document signed digitally, the signature's
// representation stands between the signer's title and name; the agency's signature shows the
// agency and the time of signing — date, time and the Vietnam time zone, after ISO 8601 — in blue,
// Times New Roman, 10 pt, not bold).
import type { FontStyle, LetterFonts } from "./fonts.js";
import { type Align, breakLines, drawLines } from "./text.js";

export interface SignatureStamp {
  /** Who signed: the certificate's subject (common name). */
  signerName: string;
  /** The agency the certificate names (O), else the letter's agency. */
  organization: string;
  signedAt: Date;
}

const STAMP_BLUE = "#0000ff";
const STAMP_SIZE = 10;
const PADDING = 4;

/** "2025-02-07T09:00:00+07:00": ISO 8601 in Vietnam time, as the decree asks. */
export function vietnamIsoTime(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 19);
  return `${local}+07:00`;
}

export function stampLines(stamp: SignatureStamp): string[] {
  return [
    `Ký bởi: ${stamp.signerName}`,
    `Cơ quan: ${stamp.organization}`,
    `Thời gian ký: ${vietnamIsoTime(stamp.signedAt)}`,
  ].map((l) => l.normalize("NFC"));
}

/** Height the stamp takes at `width`: its lines wrapped, and the frame. */
export function stampHeight(fonts: LetterFonts, stamp: SignatureStamp, width: number): number {
  const face = fonts.faces.regular;
  const lines = stampLines(stamp).flatMap((l) =>
    breakLines(face, STAMP_SIZE, l, { x: 0, width: width - 2 * PADDING }),
  );
  return lines.length * STAMP_SIZE * 1.2 + 2 * PADDING;
}

/** Draws the stamp in a blue frame of `width` from (x, y); the frame is the signature widget's place. */
export function drawStamp(
  doc: PDFKit.PDFDocument,
  fonts: LetterFonts,
  stamp: SignatureStamp,
  box: { x: number; y: number; width: number },
): { x: number; y: number; width: number; height: number } {
  const font: FontStyle = "regular";
  const face = fonts.faces[font];
  const height = stampHeight(fonts, stamp, box.width);
  const cursor = { x: doc.x, y: doc.y };
  doc.save();
  doc.lineWidth(0.8).strokeColor(STAMP_BLUE).rect(box.x, box.y, box.width, height).stroke();
  doc.fillColor(STAMP_BLUE).font(font).fontSize(STAMP_SIZE);
  doc.y = box.y + PADDING;
  const inner = { x: box.x + PADDING, width: box.width - 2 * PADDING, align: "left" as Align };
  for (const line of stampLines(stamp)) {
    drawLines(doc, face, STAMP_SIZE, breakLines(face, STAMP_SIZE, line, inner), {
      ...inner,
      lineGap: STAMP_SIZE * 0.2,
    });
  }
  doc.restore();
  doc.x = cursor.x;
  doc.y = cursor.y;
  return { ...box, height };
}
