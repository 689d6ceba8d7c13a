// The console's CSV exports, for a person with a spreadsheet: Vietnamese column headers, times in
// local time (dd/mm/yyyy HH:mm), rates as percentages, decimals with a comma as Vietnamese Excel
// reads them. The API's exports keep the JSON keys and ISO times (src/reports/csv.ts), for programs.
import type { ComplianceReport } from "../../reports/compliance.js";
import { toCsv } from "../../reports/csv.js";
import type { RepeatLatenessReport } from "../../reports/repeat-lateness.js";
import { dateTime, windowLabel } from "../format.js";

/** "12,5": a decimal as vi-VN writes it, no thousands separator (a spreadsheet reads it as a number). */
const decimal = (n: number | null, digits = 2) =>
  n === null ? null : n.toLocaleString("vi-VN", { maximumFractionDigits: digits, useGrouping: false });
const percentCell = (rate: number | null) => (rate === null ? null : `${decimal(rate * 100, 1)}%`);
const yesNo = (value: boolean) => (value ? "Có" : "Không");

export const REPEAT_LATENESS_HEADERS = [
  "Mã cán bộ",
  "Họ tên",
  "Chức danh",
  "Phòng ban",
  "Cơ quan",
  "Số hồ sơ chậm không có lý do chính đáng",
  "Số hồ sơ chậm có lý do chính đáng",
  "Tổng số giờ vượt",
  "Chu kỳ xét",
  "Ngưỡng",
  "Mã hồ sơ",
  "Bước",
  "Hạn của bước",
  "Số giờ vượt của hồ sơ",
  "Có lý do chính đáng",
];

/** One line per (official, late dossier), the official's columns repeated, as the API's CSV. */
export function repeatLatenessSheet(
  report: RepeatLatenessReport,
  agencyName: (code: string) => string,
): string {
  const rows = report.officials.flatMap((o) =>
    o.dossiers.map((d) => [
      o.officialId,
      o.officialName,
      o.title,
      o.department,
      agencyName(o.agencyCode),
      o.lateCount,
      o.justifiedCount,
      decimal(o.overrunHours),
      windowLabel(o.policy.window),
      o.policy.threshold,
      d.code,
      d.stepSeq,
      dateTime(d.stepDueAt),
      decimal(d.overrunHours),
      yesNo(d.justified),
    ]),
  );
  return toCsv(REPEAT_LATENESS_HEADERS, rows);
}

const GROUP_HEADERS = { agency: "Cơ quan", field: "Lĩnh vực", procedure: "Thủ tục" } as const;

export function complianceSheet(report: ComplianceReport): string {
  const headers = [
    "Mã",
    GROUP_HEADERS[report.groupBy],
    "Tiếp nhận",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Đang quá hạn",
    "Chưa đến hạn",
    "Đã đóng (từ chối, rút, dừng)",
    "Tỷ lệ đúng hạn",
    "Tỷ lệ trễ hạn",
    "Chỉ tiêu trễ hạn tối đa",
    "Vượt chỉ tiêu",
    "Tỷ lệ có phiếu xin lỗi",
    "Trễ hạn có phiếu xin lỗi",
    "Vi phạm",
    "Điểm tiến độ (trên 20)",
  ];
  const rows = report.rows.map((r) => [
    r.key,
    r.name,
    r.received,
    r.early,
    r.onTime,
    r.late,
    r.openOverdue,
    r.openNotDue,
    r.closed,
    percentCell(r.onTimeRate),
    percentCell(r.lateRate),
    percentCell(r.maxLateRate),
    yesNo(r.overTarget),
    percentCell(r.apologyCoverage),
    r.lateWithLetter,
    r.violations,
    decimal(r.progressScore),
  ]);
  return toCsv(headers, rows);
}
