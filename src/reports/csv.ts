// The reports as CSV (RFC 4180: CRLF, fields quoted when they hold a comma, quote or line break),
// UTF-8 with a byte-order mark so that Excel reads Vietnamese. Columns are the JSON keys.
import type { ComplianceReport } from "./compliance.js";
import type { RepeatLatenessReport } from "./repeat-lateness.js";

const BOM = "\uFEFF";

type Cell = string | number | boolean | null;

function field(value: Cell): string {
  if (value === null) return "";
  const text = typeof value === "string" ? value.normalize("NFC") : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [columns, ...rows].map((row) => row.map(field).join(","));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

export const REPEAT_LATENESS_COLUMNS = [
  "officialId",
  "officialName",
  "title",
  "department",
  "agencyCode",
  "lateCount",
  "justifiedCount",
  "overrunHours",
  "window",
  "threshold",
  "dossierCode",
  "stepSeq",
  "stepDueAt",
  "dossierOverrunHours",
  "justified",
] as const;

/** One line per (official, late dossier): the official's columns repeated on each of their lines. */
export function repeatLatenessCsv(report: RepeatLatenessReport): string {
  const rows = report.officials.flatMap((o) =>
    o.dossiers.map((d) => [
      o.officialId,
      o.officialName,
      o.title,
      o.department,
      o.agencyCode,
      o.lateCount,
      o.justifiedCount,
      o.overrunHours,
      o.policy.window,
      o.policy.threshold,
      d.code,
      d.stepSeq,
      d.stepDueAt,
      d.overrunHours,
      d.justified,
    ]),
  );
  return toCsv(REPEAT_LATENESS_COLUMNS, rows);
}

export const COMPLIANCE_COLUMNS = [
  "key",
  "name",
  "received",
  "early",
  "onTime",
  "late",
  "openOverdue",
  "openNotDue",
  "closed",
  "onTimeRate",
  "lateRate",
  "maxLateRate",
  "overTarget",
  "apologyCoverage",
  "lateWithLetter",
  "violations",
  "progressScore",
] as const;

/** One line per row of the report; the totals are left to the reader's spreadsheet. */
export function complianceCsv(report: ComplianceReport): string {
  return toCsv(
    COMPLIANCE_COLUMNS,
    report.rows.map((r) => COMPLIANCE_COLUMNS.map((c) => r[c])),
  );
}
