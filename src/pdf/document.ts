// A PDF/A-2b document on A4 with the decree's margins, drawn with pdfkit: the canvas that the
// administrative layout (decree-layout.ts) and the reports' tables draw on, its pages and marks.
import { deflateSync } from "node:zlib";
import PDFDocument from "pdfkit";
import type { FontStyle, LetterFonts } from "./fonts.js";
import { srgbProfile } from "./srgb-profile.js";
import { type Align, breakLines, drawLines, type TextBox, textWidth } from "./text.js";
import { type ArchiveFacts, xmpDescriptions } from "./xmp.js";

export const MM = 72 / 25.4;

/** Phụ lục I, page margins: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm. */
export const PAGE_MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM } as const;

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  keywords?: string;
  /** CreationDate and ModDate: fixed, so the same input gives the same bytes. */
  createdAt: Date;
  /** The letter's facts for archives, written into the XMP metadata (xmp.ts). */
  facts?: ArchiveFacts;
}

/** PDF/A-2b (ISO 19005-2, level B: the look of the page is preserved), on PDF 1.7. */
const PDFA = { part: 2, conformance: "B", subset: "PDF/A-2b", version: "1.7" } as const;
const CREATOR = "one-stop-compliance-monitor";

/** A document being drawn and the faces it is set in (to measure text before drawing it). */
export interface Canvas {
  doc: PDFKit.PDFDocument;
  fonts: LetterFonts;
}

let iccDeflated: Buffer | undefined;

/**
 * Deflated forms of byte arrays written whole as a stream, for as long as the array lives: a font
 * program the face remembers (truetype-subset.ts) is deflated once, not in every letter.
 */
const deflatedForms = new WeakMap<Uint8Array, Buffer>();

/** zlib's fastest level: see CollectedDocument.ref. */
const STREAM_LEVEL = 1;

/** The members of pdfkit's PDFReference that CollectedDocument.ref uses. */
interface StreamReference {
  compress: boolean;
  buffer: Uint8Array[];
  data: Record<string, unknown>;
  finalize(): void;
}

/**
 * pdfkit writes every piece of the file through `push`, synchronously (zlib.deflateSync), from the
 * constructor's header to end()'s trailer. Kept here as they come, the whole file is there after
 * end() with both of pdfkit's builds: the Node one (a stream.Readable, read() after end()) and the
 * browser one that Workers bundle (its own Readable, which hands chunks out only in a microtask).
 */
class CollectedDocument extends PDFDocument {
  // `declare`: no field initialiser, which would run after the constructor's first push.
  declare chunks?: Uint8Array[];
  declare facts?: ArchiveFacts;
  declare _offset: number;
  declare info: PDFKit.DocumentInfo & { Title: string; Author: string; Subject: string; CreationDate: Date };

  constructor(options: PDFKit.PDFDocumentOptions, facts: ArchiveFacts | undefined) {
    super(options);
    this.facts = facts;
    // pdfkit copies its PDF/A methods onto the instance: replaced here, not on the prototype. Its
    // output intent reads the profile from its package with fs, which Workers do not have; its
    // pdfaid description would come twice, _addInfo writing it.
    Object.assign(this, { _addColorOutputIntent: () => this.addOutputIntent(), _addPdfaMetadata: () => {} });
  }

  /**
   * Streams are deflated here at level 1 rather than by pdfkit at zlib's default 6: a letter's page
   * content, font programs and ToUnicode maps take markedly less CPU for a few percent more bytes
   * (docs/DECISIONS.md, Letters). pdfkit still decides which streams are compressed.
   */
  override ref(data: Record<string, unknown> = {}): PDFKit.PDFKitReference {
    const ref = super.ref(data) as unknown as StreamReference;
    const finalize = ref.finalize.bind(ref);
    ref.finalize = () => {
      if (ref.compress && ref.buffer.length > 0) {
        const raw = ref.buffer.length === 1 ? ref.buffer[0] : Buffer.concat(ref.buffer);
        let deflated = deflatedForms.get(raw);
        if (!deflated) {
          deflated = deflateSync(raw, { level: STREAM_LEVEL });
          if (ref.buffer.length === 1) deflatedForms.set(raw, deflated);
        }
        ref.buffer = [deflated];
        ref.compress = false; // pdfkit has set /Filter /FlateDecode when the bytes were written
      }
      finalize();
    };
    return ref as unknown as PDFKit.PDFKitReference;
  }

  /**
   * pdfkit turns every string it writes (each object, each piece of page content) into bytes with
   * a loop over its characters; Buffer's latin1 encoding does the same natively (the low byte of
   * each character).
   */
  _write(data: unknown): void {
    const bytes = data instanceof Uint8Array ? data : Buffer.from(`${data}\n`, "latin1");
    this.push(bytes);
    this._offset += bytes.length;
  }

  override addContent(data: unknown): this {
    this.page.write(data instanceof Uint8Array ? data : Buffer.from(`${data}\n`, "latin1"));
    return this;
  }

  override push(chunk: Uint8Array | null): boolean {
    if (chunk === null) return true;
    this.chunks ??= [];
    this.chunks.push(chunk);
    return true;
  }

  /**
   * pdfkit's XMP writer puts the Info values in unescaped ("&" in an agency name breaks the XML)
   * and leaves out ModifyDate, which PDF/A requires to match the Info dictionary's ModDate.
   */
  _addInfo(): void {
    this.appendXML(
      xmpDescriptions({
        title: this.info.Title,
        author: this.info.Author,
        subject: this.info.Subject,
        keywords: this.info.Keywords,
        creator: CREATOR,
        producer: "PDFKit",
        createdAt: this.info.CreationDate,
        part: PDFA.part,
        conformance: PDFA.conformance,
        facts: this.facts,
      }),
    );
  }

  /**
   * The only form field a letter has is its signature (src/letters/signing/placeholder.ts), ended where it is
   * made; pdfkit's own form writer expects the fonts of text fields it never got.
   */
  override endAcroForm(): this {
    return this;
  }

  private addOutputIntent(): void {
    // The same profile in every document: deflated once, written as it is (pdfkit compresses no
    // stream that already has a filter).
    iccDeflated ??= deflateSync(srgbProfile(), { level: 9 });
    const profile = this.ref({ Length: iccDeflated.length, N: 3, Filter: "FlateDecode" });
    profile.end(iccDeflated);
    const intent = this.ref({
      Type: "OutputIntent",
      S: "GTS_PDFA1",
      Info: new String("sRGB IEC61966-2.1"),
      OutputConditionIdentifier: new String("sRGB IEC61966-2.1"),
      DestOutputProfile: profile,
    });
    intent.end(undefined);
    (this as unknown as { _root: { data: Record<string, unknown> } })._root.data.OutputIntents = [intent];
  }
}

/**
 * An A4 document with the four faces registered under their style names. The default Helvetica
 * is not loaded (`font: ""`): nothing uses it, and loading it costs as much as a page of text.
 */
export function createDocument(fonts: LetterFonts, info: DocumentInfo): Canvas {
  const doc = new CollectedDocument(
    {
      size: "A4",
      margins: PAGE_MARGINS,
      font: "",
      autoFirstPage: false,
      lang: "vi-VN",
      displayTitle: true,
      pdfVersion: PDFA.version,
      subset: PDFA.subset,
      info: {
        Title: info.title,
        Author: info.author,
        Subject: info.subject,
        // pdfkit hashes every info value into the file ID, so an absent one must not be undefined.
        ...(info.keywords ? { Keywords: info.keywords } : {}),
        Creator: CREATOR,
        Producer: "PDFKit",
        CreationDate: info.createdAt,
        ModDate: info.createdAt,
      },
    },
    info.facts,
  );
  for (const style of Object.keys(fonts.faces) as FontStyle[]) {
    // pdfkit accepts a parsed font object (anything with `layout`), which its types do not list.
    doc.registerFont(style, fonts.faces[style] as unknown as PDFKit.Mixins.PDFFontSource);
  }
  return { doc, fonts };
}

/** Starts a page (A4, the decree's margins, from the document's options) at the top margin. */
export function startPage({ doc }: Canvas): void {
  doc.addPage();
}

export function contentWidth({ doc }: Canvas): number {
  return doc.page.width - PAGE_MARGINS.left - PAGE_MARGINS.right;
}

export interface Run {
  font: FontStyle;
  size: number;
  align: Align;
  lineGap?: number;
}

/** Writes `text` in a box from y (default: the cursor), wrapping it; returns the y below it. */
export function write(canvas: Canvas, text: string, run: Run, box: TextBox, y = canvas.doc.y): number {
  const face = canvas.fonts.faces[run.font];
  canvas.doc.font(run.font).fontSize(run.size);
  canvas.doc.y = y;
  drawLines(canvas.doc, face, run.size, breakLines(face, run.size, text, box), { ...box, ...run });
  return canvas.doc.y;
}

export interface PageMarks {
  /** Large, light, diagonal across the page: "DỰ THẢO". */
  mark: string;
  /** One line in the top margin, above the header. */
  notice: string;
}

/** Grey enough to stay behind the text, dark enough to survive a photocopy. */
const MARK_COLOUR = "#c8c8c8";
const NOTICE_COLOUR = "#b42318";
const MARK_SIZE = 110;
const NOTICE_SIZE = 11;

function drawMarks(canvas: Canvas, marks: PageMarks): void {
  const { doc } = canvas;
  const cursor = { x: doc.x, y: doc.y };
  const face = canvas.fonts.faces.bold;
  const width = textWidth(face, MARK_SIZE, marks.mark);
  const centre = { x: doc.page.width / 2, y: doc.page.height / 2 };
  doc.save();
  doc.fillColor(MARK_COLOUR);
  doc.rotate(-50, { origin: [centre.x, centre.y] });
  doc.font("bold").fontSize(MARK_SIZE);
  doc.y = centre.y - MARK_SIZE / 2;
  drawLines(doc, face, MARK_SIZE, [{ text: marks.mark, width, spaces: 0 }], {
    x: centre.x - width / 2,
    width,
    align: "left",
  });
  doc.restore();
  doc.save();
  doc.fillColor(NOTICE_COLOUR);
  const notice = { font: "bold", size: NOTICE_SIZE, align: "center" } as const;
  write(
    canvas,
    marks.notice,
    notice,
    { x: PAGE_MARGINS.left, width: contentWidth(canvas) },
    PAGE_MARGINS.top / 3,
  );
  doc.restore();
  doc.x = cursor.x;
  doc.y = cursor.y;
}

/**
 * Marks every page from now on, the first drawn on it (so that the marks lie under the text), the
 * pages the text flows onto included: a draft that is printed must not pass for the document.
 */
export function markEveryPage(canvas: Canvas, marks: PageMarks): void {
  canvas.doc.on("pageAdded", () => drawMarks(canvas, marks));
}

/** The finished PDF's bytes, all written by the time end() returns (see CollectedDocument). */
export function finishDocument({ doc }: Canvas): Buffer {
  doc.end();
  return Buffer.concat((doc as CollectedDocument).chunks ?? []);
}
