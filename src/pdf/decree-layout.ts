// Layout of Vietnamese administrative documents, after Nghị định 30/2020/NĐ-CP, Phụ lục I (thể
// thức và kỹ thuật trình bày văn bản hành chính): the apology letter and the signed reports share it.

import { type Canvas, contentWidth, MM, PAGE_MARGINS, type Run, startPage, write } from "./document.js";
import type { FontStyle } from "./fonts.js";
import { drawQrCode } from "./qr.js";
import { drawStamp, type SignatureStamp, stampHeight } from "./stamp.js";
import { type Align, type TextBox, textWidth } from "./text.js";

/** Phụ lục I, the size of each element, in points, within the ranges the decree allows. */
export const FONT_SIZES = {
  agency: 13, // tên cơ quan, tổ chức: 12–13
  number: 13, // số, ký hiệu: 13
  nationalTitle: 12.5, // quốc hiệu: 12–13 (12.5 keeps it on one line in its column)
  motto: 13, // tiêu ngữ: 13–14
  placeDate: 14, // địa danh, ngày tháng: 13–14, italic
  title: 14, // tên loại văn bản: 13–14, bold
  body: 14, // nội dung: 13–14
  recipientsTitle: 12, // "Nơi nhận:": 12, bold italic
  recipients: 11, // the list: 11
  signer: 14, // chức vụ, họ tên người ký: 13–14, bold
} as const;

/** Body: first-line indent 1–1.27 cm, at least 6 pt between paragraphs, line spacing 1–1.5 lines. */
const PARAGRAPH = { indent: 12.7 * MM, gap: 6, lineGap: 3 } as const;
/** The two header columns (layout diagram of Phụ lục I: ô số 2–3 left, ô số 1 and 4 right). */
const HEADER_LEFT_SHARE = 0.45;
/**
 * The header table may reach into the left margin, as the decree's Word templates do, so that
 * an agency name such as "ỦY BAN NHÂN DÂN XÃ NINH SƠN" fits on one line.
 */
const HEADER_OVERHANG = 10 * MM;
/** Room left blank between the signer's title and name for the signature and the seal. */
const SIGNATURE_SPACE = 24 * MM;

const NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const MOTTO = "Độc lập - Tự do - Hạnh phúc";

function centredRule({ doc }: Canvas, centreX: number, y: number, length: number): void {
  doc
    .moveTo(centreX - length / 2, y)
    .lineTo(centreX + length / 2, y)
    .lineWidth(0.6)
    .stroke();
}

/** Centred lines in a column from y; returns the y below them. */
function centredLines(
  canvas: Canvas,
  lines: readonly string[],
  column: TextBox,
  y: number,
  style: (index: number) => { font: FontStyle; size: number },
): number {
  return lines.reduce(
    (top, line, i) => write(canvas, line, { ...style(i), align: "center" }, column, top),
    y,
  );
}

export interface DocumentHeader {
  /** Agency lines, top down: parent agencies (regular) then the issuing agency (bold), in capitals. */
  agencyLines: readonly string[];
  /** "Số: 12/PXL-NS". */
  numberLine: string;
  /** "Ninh Sơn, ngày 07 tháng 02 năm 2025". */
  placeAndDate: string;
}

/**
 * The two-column header (Phụ lục I, ô số 1–4): agency name and number on the left;
 * Quốc hiệu, Tiêu ngữ with a rule as long as itself, and the italic place and date on the right.
 */
export function drawDocumentHeader(canvas: Canvas, header: DocumentHeader): void {
  const top = PAGE_MARGINS.top;
  const width = contentWidth(canvas) + HEADER_OVERHANG;
  const left = { x: PAGE_MARGINS.left - HEADER_OVERHANG, width: width * HEADER_LEFT_SHARE };
  const right = { x: left.x + left.width, width: width - left.width };
  const last = header.agencyLines.length - 1;

  const agencyBottom = centredLines(canvas, header.agencyLines, left, top, (i) => ({
    font: i === last ? "bold" : "regular",
    size: FONT_SIZES.agency,
  }));
  // Under the issuing agency's name: a solid rule 1/3 to 1/2 of the name's length, centred.
  const issuer = header.agencyLines[last] ?? "";
  const issuerWidth = Math.min(textWidth(canvas.fonts.faces.bold, FONT_SIZES.agency, issuer), left.width);
  centredRule(canvas, left.x + left.width / 2, agencyBottom + 2, issuerWidth * 0.4);

  const mottoBottom = centredLines(canvas, [NATIONAL_TITLE, MOTTO], right, top, (i) => ({
    font: "bold",
    size: i === 0 ? FONT_SIZES.nationalTitle : FONT_SIZES.motto,
  }));
  // Under the motto: a solid rule as long as the motto itself.
  const mottoWidth = textWidth(canvas.fonts.faces.bold, FONT_SIZES.motto, MOTTO);
  centredRule(canvas, right.x + right.width / 2, mottoBottom + 2, mottoWidth);

  const rowY = Math.max(agencyBottom, mottoBottom) + 8;
  const numberRun = { font: "regular", size: FONT_SIZES.number, align: "center" } as const;
  const numberBottom = write(canvas, header.numberLine, numberRun, left, rowY);
  const dateRun = { font: "italic", size: FONT_SIZES.placeDate, align: "center" } as const;
  const dateBottom = write(canvas, header.placeAndDate, dateRun, right, rowY);
  canvas.doc.y = Math.max(numberBottom, dateBottom) + 18;
}

/** The document type and its summary: bold capitals, centred (Phụ lục I, ô số 5a). */
export function drawTitle(canvas: Canvas, lines: readonly string[]): void {
  const column = { x: PAGE_MARGINS.left, width: contentWidth(canvas) };
  const bottom = centredLines(canvas, lines, column, canvas.doc.y, () => ({
    font: "bold",
    size: FONT_SIZES.title,
  }));
  canvas.doc.y = bottom + 12;
}

export interface ParagraphOptions {
  italic?: boolean;
  /** First-line indent; false for lines such as "Kính gửi:" that start at the margin. */
  indent?: boolean;
  align?: Align;
}

/** A body paragraph: justified, first line indented (Phụ lục I, ô số 6). */
export function drawParagraph(canvas: Canvas, text: string, options: ParagraphOptions = {}): void {
  const run: Run = {
    font: options.italic ? "italic" : "regular",
    size: FONT_SIZES.body,
    align: options.align ?? "justify",
    lineGap: PARAGRAPH.lineGap,
  };
  const box = {
    x: PAGE_MARGINS.left,
    width: contentWidth(canvas),
    firstLineIndent: options.indent === false ? 0 : PARAGRAPH.indent,
  };
  canvas.doc.y = write(canvas, text, run, box) + PARAGRAPH.gap;
}

export interface Recipients {
  /** "Nơi nhận:". */
  title: string;
  /** One per line, each prefixed "- ", ended ";" and the last "." (Phụ lục I, ô số 9b). */
  lines: readonly string[];
}

export interface Signature {
  /** Authority and position, one per line ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"); printed in capitals. */
  titleLines: readonly string[];
  name: string;
}

/** Signer column share of the text width: the right-hand side, below the body. */
const SIGNATURE_SHARE = 0.5;

/** "Nơi nhận:" bottom left (ô số 9b), written from y; returns the y below it. */
export function drawRecipients(canvas: Canvas, recipients: Recipients, y: number): number {
  const box = { x: PAGE_MARGINS.left, width: contentWidth(canvas) * (1 - SIGNATURE_SHARE) };
  const titleRun = { font: "boldItalic", size: FONT_SIZES.recipientsTitle, align: "left" } as const;
  const lineRun = { font: "regular", size: FONT_SIZES.recipients, align: "left" } as const;
  const last = recipients.lines.length - 1;
  return recipients.lines.reduce(
    (top, line, i) => {
      const bare = line.replace(/[;.]\s*$/, "");
      return write(canvas, `- ${bare}${i === last ? "." : ";"}`, lineRun, box, top);
    },
    write(canvas, recipients.title, titleRun, box, y),
  );
}

/** The signer block bottom right (ô số 7a–7c): title in bold capitals, space to sign and seal, name. */
export function drawSignatureBlock(
  canvas: Canvas,
  signature: Signature,
  y: number,
  stamp?: SignatureStamp,
): SignedBlock {
  const width = contentWidth(canvas) * SIGNATURE_SHARE;
  const column = { x: PAGE_MARGINS.left + contentWidth(canvas) - width, width };
  const style = () => ({ font: "bold", size: FONT_SIZES.signer }) as const;
  const titles = signature.titleLines.map((l) => l.toLocaleUpperCase("vi-VN"));
  const below = centredLines(canvas, titles, column, y, style);
  const space = signatureSpace(canvas, stamp, column.width);
  // Signed digitally: the signature's representation stands in the space left to sign and seal.
  const stampRect =
    stamp &&
    drawStamp(canvas.doc, canvas.fonts, stamp, {
      x: column.x + (column.width * (1 - STAMP_SHARE)) / 2,
      y: below + (space - stampHeight(canvas.fonts, stamp, column.width * STAMP_SHARE)) / 2,
      width: column.width * STAMP_SHARE,
    });
  return { bottom: centredLines(canvas, [signature.name], column, below + space, style), stampRect };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SignedBlock {
  bottom: number;
  /** Where the visible signature was drawn: the signature field's widget goes there. */
  stampRect?: Rect;
}

/** The stamp's width in the signer's column. */
const STAMP_SHARE = 0.9;

function signatureSpace(canvas: Canvas, stamp: SignatureStamp | undefined, columnWidth: number): number {
  if (!stamp) return SIGNATURE_SPACE;
  return Math.max(SIGNATURE_SPACE, stampHeight(canvas.fonts, stamp, columnWidth * STAMP_SHARE) + 12);
}

/** The QR code to the status page, with what it is for, under "Nơi nhận:". */
export interface StatusLink {
  url: string;
  caption: string;
}

const QR_SIZE = 24 * MM;
const QR_GAP = 8;
const QR_CAPTION_SIZE = 9;

/** The QR (quiet zone included) bottom left and its caption beside it; returns the y below them. */
function drawStatusLink(canvas: Canvas, link: StatusLink, y: number): number {
  const x = PAGE_MARGINS.left;
  drawQrCode(canvas.doc, link.url, { x, y, size: QR_SIZE });
  const box = {
    x: x + QR_SIZE + 2,
    width: contentWidth(canvas) * (1 - SIGNATURE_SHARE) - (x + QR_SIZE + 2 - PAGE_MARGINS.left),
  };
  const run = { font: "italic", size: QR_CAPTION_SIZE, align: "left" } as const;
  const below = write(canvas, link.caption, run, box, y + QR_SIZE / 4);
  write(canvas, link.url, { ...run, font: "regular" }, box, below);
  return y + QR_SIZE;
}

/** What a closing may carry besides recipients and signer. */
export interface ClosingExtras {
  stamp?: SignatureStamp;
  statusLink?: StatusLink;
}

/** Height the closing needs, so that it is never split from its last paragraph across pages. */
function closingHeight(
  canvas: Canvas,
  recipients: Recipients,
  signature: Signature,
  extras: ClosingExtras,
): number {
  const { doc } = canvas;
  const lineHeight = (font: FontStyle, size: number) => doc.font(font).fontSize(size).currentLineHeight(true);
  const left =
    lineHeight("boldItalic", FONT_SIZES.recipientsTitle) +
    recipients.lines.length * lineHeight("regular", FONT_SIZES.recipients) +
    (extras.statusLink ? QR_GAP + QR_SIZE : 0);
  const column = contentWidth(canvas) * SIGNATURE_SHARE;
  const right =
    (signature.titleLines.length + 1) * lineHeight("bold", FONT_SIZES.signer) +
    signatureSpace(canvas, extras.stamp, column);
  return Math.max(left, right);
}

/**
 * Recipients and signature side by side, on a new page if they would not fit on this one; the QR
 * under the recipients. Returns where the visible signature went, if there is one.
 */
export function drawClosing(
  canvas: Canvas,
  recipients: Recipients,
  signature: Signature,
  extras: ClosingExtras = {},
): Rect | undefined {
  const gap = 10;
  const bottom = canvas.doc.page.height - PAGE_MARGINS.bottom;
  if (canvas.doc.y + gap + closingHeight(canvas, recipients, signature, extras) > bottom) startPage(canvas);
  const top = canvas.doc.y + gap;
  let leftBottom = drawRecipients(canvas, recipients, top);
  if (extras.statusLink) leftBottom = drawStatusLink(canvas, extras.statusLink, leftBottom + QR_GAP);
  const right = drawSignatureBlock(canvas, signature, top, extras.stamp);
  canvas.doc.y = Math.max(leftBottom, right.bottom);
  return right.stampRect;
}
