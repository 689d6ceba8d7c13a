// What every export needs besides the report: who issues it (the header of the PDF) and its line
// in the audit trail — every export, in any format, is recorded with its parameters.
import { eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import { type Agency, findAgency } from "../catalog/agencies.js";
import { agencies } from "../catalog/schema.js";
import type { Db } from "../db/client.js";
import { localIsoDate } from "../letters/dates.js";
import type { LetterFonts } from "../pdf/fonts.js";
import type { ComplianceReport } from "./compliance.js";
import { complianceCsv, repeatLatenessCsv } from "./csv.js";
import {
  type ReportIssuer,
  type ReportSigning,
  renderCompliancePdf,
  renderRepeatLatenessPdf,
} from "./pdf.js";
import type { RepeatLatenessReport } from "./repeat-lateness.js";

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

const FILE_NAMES: Record<ReportName, string> = {
  "repeat-lateness": "bao-cao-cham-muon-nhieu-lan",
  compliance: "bao-cao-ket-qua-giai-quyet",
};

/** One report ready to leave the service in any format (the API and the console alike). */
export interface ReportExport {
  name: ReportName;
  format: ReportFormat;
  report: { from: string; to: string };
  rowCount: number;
  agency: Agency | null;
  params: Record<string, unknown>;
  csv: () => string;
  pdf: (signing: ReportSigning) => Buffer;
}

export interface ExportedFile {
  body: string | Uint8Array;
  contentType: string;
  contentDisposition: string;
}

/**
 * Records the export in the audit trail (every format, JSON too), then renders it: null for JSON,
 * which the caller writes itself; the CSV or the signed PDF otherwise.
 */
export async function exportReport(
  db: Db,
  principal: Principal,
  now: Date,
  e: ReportExport,
): Promise<ExportedFile | null> {
  await recordExport(db, principal, {
    report: e.name,
    format: e.format,
    params: e.params,
    rows: e.rowCount,
    agencyCode: e.agency?.code ?? null,
  });
  if (e.format === "json") return null;
  // The period's first and last local days: `to` is exclusive.
  const lastDay = localIsoDate(new Date(Date.parse(e.report.to) - 1));
  const file = `${FILE_NAMES[e.name]}_${localIsoDate(new Date(e.report.from))}_${lastDay}`;
  if (e.format === "csv") {
    return {
      body: e.csv(),
      contentType: "text/csv; charset=utf-8",
      contentDisposition: `attachment; filename="${file}.csv"`,
    };
  }
  const names = new Map(
    (await db.select({ code: agencies.code, name: agencies.name }).from(agencies)).map((a) => [
      a.code,
      a.name,
    ]),
  );
  const signing = {
    issuer: await reportIssuer(db, principal, e.agency),
    issuedAt: now,
    signerName: principal.name,
    agencyName: (code: string) => names.get(code) ?? code,
  };
  return {
    body: new Uint8Array(e.pdf(signing)),
    contentType: "application/pdf",
    contentDisposition: `attachment; filename="${file}.pdf"`,
  };
}

const periodParams = (r: { from: string; to: string; asOf: string }, agency: Agency | null) => ({
  from: r.from,
  to: r.to,
  asOf: r.asOf,
  agency: agency?.code ?? null,
});

export function repeatLatenessExport(
  fonts: LetterFonts,
  report: RepeatLatenessReport,
  options: { format: ReportFormat; agency: Agency | null; threshold?: number; window?: string },
): ReportExport {
  return {
    name: "repeat-lateness",
    format: options.format,
    report,
    rowCount: report.officials.length,
    agency: options.agency,
    params: {
      ...periodParams(report, options.agency),
      threshold: options.threshold ?? null,
      window: options.window ?? null,
    },
    csv: () => repeatLatenessCsv(report),
    pdf: (signing) => renderRepeatLatenessPdf(fonts, report, signing),
  };
}

export function complianceExport(
  fonts: LetterFonts,
  report: ComplianceReport,
  options: { format: ReportFormat; agency: Agency | null },
): ReportExport {
  return {
    name: "compliance",
    format: options.format,
    report,
    rowCount: report.rows.length,
    agency: options.agency,
    params: { ...periodParams(report, options.agency), groupBy: report.groupBy },
    csv: () => complianceCsv(report),
    pdf: (signing) => renderCompliancePdf(fonts, report, signing),
  };
}
