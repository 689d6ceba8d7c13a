// How a letter is shown over the API: its metadata, where its PDF is, and the PDF's file name.
import type { LetterForm, letterDeliveries } from "./schema.js";
import type { StoredSignature } from "./signed-letter.js";
import { STATUS_PAGE_PREFIX } from "./status-links.js";

/**
 * `reappointment`: the letter re-sets the appointment (once, ever); `after_the_fact`: the dossier
 * finished late and the letter only apologises and states when the result was ready (DOMAIN §6, amended).
 */
export type LetterKind = "reappointment" | "after_the_fact";

export const letterKindOf = (newDueAt: Date | string | null): LetterKind =>
  newDueAt === null ? "after_the_fact" : "reappointment";

export interface LetterSummary {
  id: number;
  /** Số, ký hiệu as printed: "05/PXL-LS". */
  number: string;
  /** The sequence number alone, per agency and year. */
  sequence: number;
  year: number;
  dossierCode: string;
  agencyCode: string;
  form: LetterForm;
  kind: LetterKind;
  issuedAt: string;
  /** Null for the apology after the fact. */
  newDueAt: string | null;
  reason: string;
  signer: { name: string; title: string };
  /** The current version (1 at issue, + 1 per correction) and its PDF's SHA-256. */
  version: number;
  sha256: string;
  pdfUrl: string;
  /** The current version's signature (PAdES-B-B), or null: issued unsigned (no key configured). */
  signature: StoredSignature | null;
  /** The public status page (/tra-cuu/{token}) its QR code links to; null once revoked. */
  statusPath: string | null;
}

export interface LetterRow {
  id: number;
  dossierCode: string;
  agencyCode: string;
  year: number;
  number: number;
  reference: string;
  form: LetterForm;
  reason: string;
  newDueAt: Date | null;
  signerName: string;
  signerTitle: string;
  issuedAt: Date;
  version: number;
  sha256: string;
  signature: StoredSignature | null;
  statusToken: string | null;
  /** The agency's materialised path (whose signing key applies); not shown. */
  agencyPath?: string;
}

export const letterPdfUrl = (id: number, version?: number) =>
  `/api/v1/letters/${id}/pdf${version === undefined ? "" : `?version=${version}`}`;

export const combinedPdfUrl = (ids: readonly number[]) => `/api/v1/letters/combined?ids=${ids.join(",")}`;

export function letterSummary(row: LetterRow): LetterSummary {
  return {
    id: row.id,
    number: row.reference,
    sequence: row.number,
    year: row.year,
    dossierCode: row.dossierCode,
    agencyCode: row.agencyCode,
    form: row.form,
    kind: letterKindOf(row.newDueAt),
    issuedAt: row.issuedAt.toISOString(),
    newDueAt: row.newDueAt?.toISOString() ?? null,
    reason: row.reason,
    signer: { name: row.signerName, title: row.signerTitle },
    version: row.version,
    sha256: row.sha256,
    pdfUrl: letterPdfUrl(row.id),
    signature: row.signature,
    statusPath: row.statusToken ? `${STATUS_PAGE_PREFIX}${row.statusToken}` : null,
  };
}

/** "PXL-12-LS-2025.pdf", "PXL-12-LS-2025-v2.pdf" for a correction. */
export const pdfFileName = (letter: { number: number; year: number; shortCode: string }, version: number) =>
  `PXL-${letter.number}-${letter.shortCode}-${letter.year}${version > 1 ? `-v${version}` : ""}.pdf`;

/**
 * "PXL-12-LS-2025.pdf", and a version suffix for corrections ("PXL-12-LS-2025-v2.pdf"). The short
 * code may carry Vietnamese letters ("VPĐK"): the plain name drops their marks, the UTF-8 one keeps them.
 */
export function pdfContentDisposition(
  letter: { number: number; year: number; shortCode: string },
  version: number,
): string {
  const name = pdfFileName(letter, version);
  const ascii = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^\w.-]/g, "_");
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A delivery as the API shows it: an e-mail's outcome too (its recipient only to those who see the letter). */
export function deliveryView(row: typeof letterDeliveries.$inferSelect) {
  return {
    id: Number(row.id),
    letterId: Number(row.letterId),
    channel: row.channel,
    deliveredAt: row.deliveredAt.toISOString(),
    note: row.note,
    recordedBy: Number(row.recordedBy),
    recordedAt: row.recordedAt.toISOString(),
    status: row.status,
    recipient: row.recipient,
    messageId: row.messageId,
    attempts: Number(row.attempts),
    lastError: row.lastError,
    version: row.version === null ? null : Number(row.version),
    sha256: row.sha256,
  };
}
