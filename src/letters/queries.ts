// Reading letters back: metadata with versions and deliveries, the stored PDF bytes, and the
// stored render inputs of several letters (for one print). Scope is the letter's agency.
import { asc, eq, sql } from "drizzle-orm";
import { agencyInScope, type Principal } from "../auth/principal.js";
import { type Db, queryRows } from "../db/client.js";
import { notFound } from "../http/errors.js";
import { type LetterForm, letterDeliveries } from "./schema.js";
import type { StoredSignature } from "./signed-letter.js";
import { fromStoredSnapshot, type LetterSnapshot } from "./snapshot.js";
import { deliveryView, type LetterRow, letterPdfUrl, letterSummary } from "./view.js";

interface LetterSqlRow {
  id: string | number;
  dossier_code: string;
  agency_code: string;
  year: number;
  number: number;
  reference: string;
  form: LetterForm;
  reason: string;
  new_due_at: string | Date | null;
  signer_name: string;
  signer_title: string;
  issued_at: string | Date;
  current_version: number;
  sha256: string;
  signature: StoredSignature | null;
  status_token: string | null;
  path: string;
}

const LETTER_COLUMNS = sql`l.id, l.dossier_code, l.agency_code, l.year, l.number, l.reference, l.form, l.reason,
  l.new_due_at, l.signer_name, l.signer_title, l.issued_at, l.current_version, v.sha256, v.signature,
  (SELECT s.token FROM letter_status_links s WHERE s.letter_id = l.id AND s.revoked_at IS NULL) AS status_token,
  a.path`;

function letterRowOf(r: LetterSqlRow): LetterRow {
  return {
    id: Number(r.id),
    dossierCode: r.dossier_code,
    agencyCode: r.agency_code,
    year: Number(r.year),
    number: Number(r.number),
    reference: r.reference,
    form: r.form,
    reason: r.reason,
    newDueAt: r.new_due_at === null ? null : new Date(r.new_due_at),
    signerName: r.signer_name,
    signerTitle: r.signer_title,
    issuedAt: new Date(r.issued_at),
    version: Number(r.current_version),
    sha256: r.sha256,
    signature: r.signature,
    statusToken: r.status_token,
    agencyPath: r.path,
  };
}

/**
 * The letter (with its current version's hash), or 404 when unknown or outside the scope. With
 * `forUpdate`, the letter row stays locked until the caller's transaction ends.
 */
export async function findLetter(
  db: Db,
  principal: Principal,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<LetterRow> {
  const [row] = await queryRows<LetterSqlRow>(
    db,
    sql`SELECT ${LETTER_COLUMNS}
        FROM apology_letters l
        JOIN agencies a ON a.code = l.agency_code
        JOIN letter_versions v ON v.letter_id = l.id AND v.version = l.current_version
        WHERE l.id = ${id}${options.forUpdate ? sql` FOR UPDATE OF l` : sql``}`,
  );
  if (!row || !agencyInScope(principal, row.path)) throw notFound(`Letter ${id}`);
  return letterRowOf(row);
}

/** Metadata, every version (newest first) and every delivery (in time order). */
export async function letterDetail(db: Db, principal: Principal, id: number) {
  const letter = await findLetter(db, principal, id);
  const versions = await queryRows<{
    version: number;
    sha256: string;
    correction_reason: string | null;
    created_at: string | Date;
    created_by: number;
  }>(
    db,
    sql`SELECT version, sha256, correction_reason, created_at, created_by FROM letter_versions
        WHERE letter_id = ${id} ORDER BY version DESC`,
  );
  const deliveries = await db
    .select()
    .from(letterDeliveries)
    .where(eq(letterDeliveries.letterId, id))
    .orderBy(asc(letterDeliveries.deliveredAt), asc(letterDeliveries.id));
  return {
    ...letterSummary(letter),
    versions: versions.map((v) => ({
      version: Number(v.version),
      sha256: v.sha256,
      correctionReason: v.correction_reason,
      createdAt: new Date(v.created_at).toISOString(),
      createdBy: Number(v.created_by),
      pdfUrl: letterPdfUrl(id, Number(v.version)),
    })),
    deliveries: deliveries.map(deliveryView),
  };
}

export interface StoredPdf {
  pdf: Uint8Array;
  sha256: string;
  version: number;
  number: number;
  year: number;
  shortCode: string;
}

/** The stored bytes of the current version, or of `version`; 404 when either is unknown. */
export async function letterPdf(
  db: Db,
  principal: Principal,
  id: number,
  version?: number,
): Promise<StoredPdf> {
  const [row] = await queryRows<{
    pdf: Uint8Array;
    sha256: string;
    version: number;
    number: number;
    year: number;
    short_code: string;
    path: string;
  }>(
    db,
    sql`SELECT v.pdf, v.sha256, v.version, l.number, l.year, v.input->'agency'->>'shortCode' AS short_code, a.path
        FROM apology_letters l
        JOIN agencies a ON a.code = l.agency_code
        JOIN letter_versions v ON v.letter_id = l.id AND v.version = ${version ?? sql`l.current_version`}
        WHERE l.id = ${id}`,
  );
  if (!row || !agencyInScope(principal, row.path)) {
    throw notFound(version === undefined ? `Letter ${id}` : `Version ${version} of letter ${id}`);
  }
  return {
    pdf: new Uint8Array(row.pdf),
    sha256: row.sha256,
    version: Number(row.version),
    number: Number(row.number),
    year: Number(row.year),
    shortCode: row.short_code,
  };
}

/** The current versions' render inputs of the letters, in the order asked; 404 naming the first missing. */
export async function currentSnapshots(
  db: Db,
  principal: Principal,
  ids: readonly number[],
): Promise<LetterSnapshot[]> {
  const rows = await queryRows<{ id: string | number; input: unknown; path: string }>(
    db,
    sql`SELECT l.id, v.input, a.path
        FROM apology_letters l
        JOIN agencies a ON a.code = l.agency_code
        JOIN letter_versions v ON v.letter_id = l.id AND v.version = l.current_version
        WHERE l.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint)`,
  );
  const byId = new Map(rows.filter((r) => agencyInScope(principal, r.path)).map((r) => [Number(r.id), r]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw notFound(`Letter ${id}`);
    return fromStoredSnapshot(row.input);
  });
}
