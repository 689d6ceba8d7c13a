// Issuing letters for several selected dossiers in one call (DOMAIN §6 via the issue): each in its
// own transaction, so one refusal does not stop the others, and one combined PDF to print.
import { sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import { type Db, queryRows, textArray } from "../db/client.js";
import { scopeCondition } from "../dossiers/list.js";
import { ApiError } from "../http/errors.js";
import { type IssueDeps, type IssueRequest, issueLetter } from "./issue.js";
import { combinedPdfUrl, type LetterSummary } from "./view.js";

export const MAX_BATCH_ITEMS = 100;

export interface BatchItem extends IssueRequest {
  dossierCode: string;
}

export type BatchResult =
  | { index: number; dossierCode: string; status: 201; letter: LetterSummary }
  | {
      index: number;
      dossierCode: string;
      status: number;
      error: { code: string; message: string; details?: Record<string, unknown> };
    };

/** 404 naming the codes that are unknown or outside the scope: nothing is issued then. */
async function assertInScope(db: Db, principal: Principal, codes: readonly string[]): Promise<void> {
  const found = await queryRows<{ code: string }>(
    db,
    sql`SELECT d.code FROM dossiers d JOIN agencies a ON a.code = d.agency_code
        WHERE d.code = ANY(${textArray(codes)}) AND ${scopeCondition(principal)}`,
  );
  const known = new Set(found.map((r) => r.code));
  const missing = [...new Set(codes)].filter((c) => !known.has(c));
  if (missing.length > 0) {
    throw new ApiError("NOT_FOUND", `Dossier ${missing[0]} not found`, { dossierCodes: missing });
  }
}

export async function issueBatch(db: Db, deps: IssueDeps, principal: Principal, items: readonly BatchItem[]) {
  await assertInScope(
    db,
    principal,
    items.map((i) => i.dossierCode),
  );
  const results: BatchResult[] = [];
  // One transaction per letter, one after the other: a batch is one officer's print run, and the
  // agency's numbers come out in the order of the selection.
  for (const [index, { dossierCode, ...request }] of items.entries()) {
    try {
      // Batch items without a new appointment get the suggested one (the route documents it).
      const letter = await issueLetter(db, deps, principal, dossierCode, {
        ...request,
        suggestAppointment: true,
      });
      results.push({ index, dossierCode, status: 201, letter });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      results.push({
        index,
        dossierCode,
        status: error.status,
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      });
    }
  }
  const issued = results.flatMap((r) => ("letter" in r ? [r.letter.id] : []));
  return {
    issued: issued.length,
    refused: results.length - issued.length,
    items: results,
    combinedPdfUrl: issued.length > 0 ? combinedPdfUrl(issued) : null,
  };
}
