// What every export needs besides the report: who issues it (the header of the PDF) and its line
// in the audit trail — every export, in any format, is recorded with its parameters.
import { eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import { type Agency, findAgency } from "../catalog/agencies.js";
import { agencies } from "../catalog/schema.js";
import type { Db } from "../db/client.js";
import type { ReportIssuer } from "./pdf.js";

export type ReportName = "repeat-lateness" | "compliance";
export type ReportFormat = "json" | "csv" | "pdf";

const upper = (s: string) => s.normalize("NFC").toLocaleUpperCase("vi-VN");

/**
 * The report's agency: the one asked for, else the caller's scope agency, else the province (the
 * only root of the tree); the caller's own name when there is none of these.
 */
export async function reportIssuer(
  db: Db,
  principal: Principal,
  agency: Agency | null,
): Promise<ReportIssuer> {
  let issuer = agency ?? (principal.scopeAgencyCode ? await findAgency(db, principal.scopeAgencyCode) : null);
  if (!issuer) {
    const roots = await db.select().from(agencies).where(isNull(agencies.parentCode)).limit(2);
    issuer = roots.length === 1 ? roots[0] : null;
  }
  if (!issuer)
    return { agencyLines: [upper(principal.name)], name: principal.name, shortCode: null, place: "" };
  const parent = issuer.parentCode
    ? (await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.code, issuer.parentCode)))[0]
    : undefined;
  const lines = issuer.letterHeader?.length
    ? issuer.letterHeader
    : [parent?.name, issuer.name].filter((l) => !!l);
  return {
    agencyLines: (lines as string[]).map(upper),
    name: issuer.name,
    shortCode: issuer.shortCode,
    place: issuer.place ?? issuer.name,
  };
}

/** `report.export` in the audit trail: which report, which format, with which parameters. */
export async function recordExport(
  db: Db,
  actor: Principal,
  entry: {
    report: ReportName;
    format: ReportFormat;
    params: Record<string, unknown>;
    rows: number;
    agencyCode: string | null;
  },
): Promise<void> {
  await recordAudit(db, actor, {
    action: "report.export",
    resourceType: "report",
    resourceId: entry.report,
    agencyCode: entry.agencyCode,
    details: { format: entry.format, params: entry.params, rows: entry.rows },
  });
}
