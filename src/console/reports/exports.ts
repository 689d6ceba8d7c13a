// Report files from the console: the API's export (audited, the same signed PDF) with the console's
// own CSV for people — Vietnamese headers, local times, names (./csv.ts).
import type { Context } from "hono";
import { ApiError } from "../../http/errors.js";
import { complianceReport } from "../../reports/compliance.js";
import { complianceExport, exportReport, repeatLatenessExport } from "../../reports/exports.js";
import { repeatLatenessReport } from "../../reports/repeat-lateness.js";
import { ComplianceQuery, RepeatLatenessQuery } from "../../reports/routes.js";
import type { ConsoleEnv } from "../env.js";
import { agencyNames } from "../names.js";
import { complianceSheet, repeatLatenessSheet } from "./csv.js";
import { asOfOf, periodOf, periodQuery, reportQuery, scopeAgency } from "./period.js";

/** The period, scope and as-of of a report's query (read through the API's schema). */
async function commonOf(
  c: Context<ConsoleEnv>,
  parsed: { from: Date; to: Date; agency?: string; asOf?: string },
) {
  const period = periodOf(parsed);
  const agency = await scopeAgency(c, period.agency);
  return { ...periodQuery(period), asOf: asOfOf(c, period), agency };
}

/** Anything but a PDF is the console's CSV (the API's json is no file to download). */
const fileFormat = (format: string) => (format === "pdf" ? "pdf" : "csv");

async function reportExport(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const name = c.req.param("name");
  if (name === "compliance") {
    const parsed = reportQuery(c, ComplianceQuery);
    const query = await commonOf(c, parsed);
    const format = fileFormat(parsed.format);
    const report = await complianceReport(db, principal, { ...query, groupBy: parsed.groupBy });
    return {
      ...complianceExport(deps.letterFonts, report, { format, agency: query.agency }),
      csv: () => complianceSheet(report),
    };
  }
  if (name === "repeat-lateness") {
    const parsed = reportQuery(c, RepeatLatenessQuery);
    const query = await commonOf(c, parsed);
    const format = fileFormat(parsed.format);
    const overrides = { threshold: parsed.threshold, window: parsed.window };
    const [report, names] = await Promise.all([
      repeatLatenessReport(db, principal, { ...query, ...overrides }),
      agencyNames(db, principal),
    ]);
    return {
      ...repeatLatenessExport(deps.letterFonts, report, { format, agency: query.agency, ...overrides }),
      csv: () => repeatLatenessSheet(report, names.name),
    };
  }
  throw new ApiError("NOT_FOUND", "Report not found");
}

export async function exportFile(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const file = await exportReport(deps.database.db, principal, deps.clock.now(), await reportExport(c));
  if (!file) throw new ApiError("BAD_REQUEST", "format");
  return c.body(file.body as string, 200, {
    "content-type": file.contentType,
    "content-disposition": file.contentDisposition,
  });
}
