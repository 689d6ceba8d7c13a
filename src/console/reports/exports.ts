// Report files from the console: the API's export (audited, the same signed PDF) with the console's
// own CSV for people — Vietnamese headers, local times, names (./csv.ts).
import type { Context } from "hono";
import { ApiError } from "../../http/errors.js";
import { complianceReport } from "../../reports/compliance.js";
import { complianceExport, exportReport, repeatLatenessExport } from "../../reports/exports.js";
import { repeatLatenessReport } from "../../reports/repeat-lateness.js";
import type { ConsoleEnv } from "../env.js";
import { queryParam } from "../form.js";
import { agencyNames } from "../names.js";
import { groupOf } from "./compliance.js";
import { complianceSheet, repeatLatenessSheet } from "./csv.js";
import { periodOf, periodQuery, scopeAgency } from "./period.js";
import { overridesOf } from "./repeat-lateness.js";

async function reportExport(c: Context<ConsoleEnv>, format: "csv" | "pdf") {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const period = periodOf(c);
  const agency = await scopeAgency(c, period.agency);
  const query = { ...periodQuery(period), asOf: deps.clock.now(), agency };
  const name = c.req.param("name");
  if (name === "compliance") {
    const report = await complianceReport(db, principal, { ...query, groupBy: groupOf(c) });
    return {
      ...complianceExport(deps.letterFonts, report, { format, agency }),
      csv: () => complianceSheet(report),
    };
  }
  if (name === "repeat-lateness") {
    const overrides = overridesOf(c);
    const [report, names] = await Promise.all([
      repeatLatenessReport(db, principal, { ...query, ...overrides }),
      agencyNames(db, principal),
    ]);
    return {
      ...repeatLatenessExport(deps.letterFonts, report, { format, agency, ...overrides }),
      csv: () => repeatLatenessSheet(report, names.name),
    };
  }
  throw new ApiError("NOT_FOUND", "Report not found");
}

export async function exportFile(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const format = queryParam(c, "format") === "pdf" ? "pdf" : "csv";
  const file = await exportReport(
    deps.database.db,
    principal,
    deps.clock.now(),
    await reportExport(c, format),
  );
  if (!file) throw new ApiError("BAD_REQUEST", "format");
  return c.body(file.body as string, 200, {
    "content-type": file.contentType,
    "content-disposition": file.contentDisposition,
  });
}
