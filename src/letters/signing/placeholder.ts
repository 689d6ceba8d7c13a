// The signature field of a signed letter, written into the document while it is drawn: the
// signature dictionary with room for the container (/Contents, zeros until signed) and a byte range
// to fill, and the widget over the visible signature block. PDF/A-2 asks of the widget a print flag
// and an appearance stream; the block itself is page content (stamp.ts), so the appearance is empty.
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SIG_FLAGS, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";

/** Annotation flag "Print" (ISO 32000-1, Table 165): PDF/A requires it on every widget. */
const PRINT_FLAG = 4;

export interface SignatureField {
  /** The visible block, in pdfkit's coordinates (from the top-left of the page, points). */
  rect: { x: number; y: number; width: number; height: number };
  /** The claimed time of signing (/M): PAdES puts it here, not in the CMS. */
  signedAt: Date;
  signerName: string;
  reason: string;
  location: string;
  /** Bytes reserved for the CMS container. */
  containerBytes: number;
}

/** The pdfkit members a signature field needs, which its type definitions do not list. */
interface DocumentInternals {
  page: { height: number; dictionary: PDFKit.PDFKitReference; annotations: PDFKit.PDFKitReference[] };
  _root: { data: Record<string, unknown> };
}

const text = (s: string) => new String(s); // pdfkit writes a String object as a PDF text string

/**
 * Adds the one signature field of the document on the current page. The document must not let
 * pdfkit write an AcroForm of its own (src/pdf/document.ts's CollectedDocument does not).
 */
export function addSignatureField(doc: PDFKit.PDFDocument, field: SignatureField): void {
  const internals = doc as unknown as DocumentInternals;
  const signature = doc.ref({
    Type: "Sig",
    Filter: "Adobe.PPKLite",
    SubFilter: SUBFILTER_ETSI_CADES_DETACHED,
    // pdfkit writes these strings as names: "/**********", which @signpdf/signpdf replaces.
    ByteRange: [
      0,
      DEFAULT_BYTE_RANGE_PLACEHOLDER,
      DEFAULT_BYTE_RANGE_PLACEHOLDER,
      DEFAULT_BYTE_RANGE_PLACEHOLDER,
    ],
    Contents: new Uint8Array(field.containerBytes),
    M: field.signedAt,
    Name: text(field.signerName),
    Reason: text(field.reason),
    Location: text(field.location),
  });
  signature.end(undefined);
  const { x, y, width, height } = field.rect;
  const appearance = doc.ref({
    Type: "XObject",
    Subtype: "Form",
    BBox: [0, 0, width, height],
    Resources: {},
  });
  appearance.end(undefined);
  const pageHeight = internals.page.height;
  const widget = doc.ref({
    Type: "Annot",
    Subtype: "Widget",
    FT: "Sig",
    F: PRINT_FLAG,
    T: text("ChuKySo1"),
    Rect: [x, pageHeight - y - height, x + width, pageHeight - y],
    V: signature,
    P: internals.page.dictionary,
    AP: { N: appearance },
  });
  widget.end(undefined);
  internals.page.annotations.push(widget);
  const form = doc.ref({ Fields: [widget], SigFlags: SIG_FLAGS.SIGNATURES_EXIST | SIG_FLAGS.APPEND_ONLY });
  form.end(undefined);
  internals._root.data.AcroForm = form;
}
