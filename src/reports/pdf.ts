// The two reports as signed administrative documents (Nghị định 30/2020/NĐ-CP layout, from the
// pdf module's primitives): header, bold centred title, period, the table(s) with a totals row,
// "Nơi nhận:" and the signer block. A4 landscape: the tables need the width. Pure and synchronous.

import { localParts } from "../calendar/dates.js";
import { windowLabel, windowPhrase } from "../catalog/lateness-window.js";
import { placeAndDate } from "../letters/dates.js";
import { drawClosing, drawDocumentHeader, drawParagraph, drawTitle } from "../pdf/decree-layout.js";
import { type Canvas, createDocument, finishDocument } from "../pdf/document.js";
import type { LetterFonts } from "../pdf/fonts.js";
import type { ComplianceReport, ComplianceRow } from "./compliance.js";
import { drawTable, type TableColumn } from "./pdf-table.js";
import type { RepeatLatenessReport } from "./repeat-lateness.js";
import { complianceTemplate, fill, repeatLatenessTemplate } from "./templates.js";

/** Who issues the report: the agency named in its header. */
export interface ReportIssuer {
  /** Header lines, top down (parent authority, then the issuing agency), as on letters. */
  agencyLines: string[];
  name: string;
  shortCode: string | null;
  place: string;
}

export interface ReportSigning {
  issuer: ReportIssuer;
  /** The date on the report (place and date line, PDF metadata). */
  issuedAt: Date;
  signerName: string;
  /** An agency's name for its code: a signed report names agencies, it does not list codes. */
  agencyName?: (code: string) => string;
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const dayOf = (at: Date) => {
  const p = localParts(at);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
};
const timeOf = (at: Date) => {
  const p = localParts(at);
  return `${pad2(p.hour)}:${pad2(p.minute)} ${dayOf(at)}`;
};
/** "từ ngày 01/01/2025 đến ngày 31/12/2025": `to` is exclusive, so its last day is the one before. */
export function periodText(from: string, to: string): string {
  return `từ ngày ${dayOf(new Date(from))} đến ngày ${dayOf(new Date(Date.parse(to) - 1))}`;
}

const numberFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
const num = (n: number) => numberFormat.format(n);
const percent = (r: number | null) =>
  r === null ? "—" : `${numberFormat.format(Math.round(r * 10000) / 100)} %`;

function begin(fonts: LetterFonts, title: readonly string[], signing: ReportSigning, period: string): Canvas {
  const canvas = createDocument(fonts, {
    title: title.join(" "),
    author: signing.issuer.name,
    subject: `Kỳ báo cáo ${period}`,
    createdAt: signing.issuedAt,
  });
  // Every page of a report, those the table flows onto included, is A4 landscape.
  canvas.doc.options.layout = "landscape";
  canvas.doc.addPage();
  const suffix = signing.issuer.shortCode ? `/BC-${signing.issuer.shortCode}` : "/BC";
  drawDocumentHeader(canvas, {
    agencyLines: signing.issuer.agencyLines,
    // The number is given by the records office (văn thư) when the report is signed.
    numberLine: `Số: .......${suffix}`,
    placeAndDate: placeAndDate(signing.issuer.place, signing.issuedAt),
  });
  drawTitle(canvas, title);
  drawParagraph(canvas, `(Kỳ báo cáo ${period})`, { italic: true, indent: false, align: "center" });
  return canvas;
}

function end(
  canvas: Canvas,
  template: { recipientsTitle: string; recipients: string[]; signerTitle: string },
  signing: ReportSigning,
): Buffer {
  drawClosing(
    canvas,
    { title: template.recipientsTitle, lines: template.recipients },
    { titleLines: [template.signerTitle], name: signing.signerName.normalize("NFC") },
  );
  return finishDocument(canvas);
}

export function renderRepeatLatenessPdf(
  fonts: LetterFonts,
  report: RepeatLatenessReport,
  signing: ReportSigning,
): Buffer {
  const t = repeatLatenessTemplate;
  const period = periodText(report.from, report.to);
  const canvas = begin(fonts, t.title, signing, period);
  const threshold = report.threshold === null ? "ngưỡng của đơn vị" : `${report.threshold} hồ sơ`;
  const window = report.window === null ? "cửa sổ thời gian của đơn vị" : windowPhrase(report.window);
  const criteria = `Công chức được đưa vào báo cáo khi số hồ sơ trễ hạn không có lý do chính đáng trong ${window} đạt ${threshold} trở lên (cột Chính sách).`;
  for (const text of t.intro)
    drawParagraph(canvas, fill(text, { issuer: signing.issuer.name, period, criteria }));
  if (report.officials.length === 0) {
    drawParagraph(canvas, t.empty, { italic: true });
    return end(canvas, t, signing);
  }
  const [stt, name, title, department, agency, policy, late, justified, overrun] = t.summaryTable.columns;
  const summary: TableColumn[] = [
    { header: stt, share: 4, align: "center" },
    { header: name, share: 16 },
    { header: title, share: 11 },
    { header: department, share: 14 },
    { header: agency, share: 12 },
    { header: policy, share: 11, align: "center" },
    { header: late, share: 9, align: "center" },
    { header: justified, share: 9, align: "center" },
    { header: overrun, share: 9, align: "center" },
  ];
  const sum = (f: (o: RepeatLatenessReport["officials"][number]) => number) =>
    report.officials.reduce((s, o) => s + f(o), 0);
  drawTable(canvas, t.summaryTable.caption, summary, [
    ...report.officials.map((o, i) => ({
      cells: [
        String(i + 1),
        o.officialName,
        o.title ?? "",
        o.department ?? "",
        signing.agencyName?.(o.agencyCode) ?? o.agencyCode,
        `${windowLabel(o.policy.window)} / ${o.policy.threshold}`,
        num(o.lateCount),
        num(o.justifiedCount),
        num(o.overrunHours),
      ],
    })),
    {
      cells: [
        "",
        t.totalLabel,
        "",
        "",
        "",
        "",
        num(sum((o) => o.lateCount)),
        num(sum((o) => o.justifiedCount)),
        num(Math.round(sum((o) => o.overrunHours) * 100) / 100),
      ],
      emphasis: true,
    },
  ]);
  const [dStt, dOfficial, dCode, dStep, dDue, dOverrun, dJustified] = t.detailTable.columns;
  const detail: TableColumn[] = [
    { header: dStt, share: 4, align: "center" },
    { header: dOfficial, share: 18 },
    { header: dCode, share: 24 },
    { header: dStep, share: 6, align: "center" },
    { header: dDue, share: 14, align: "center" },
    { header: dOverrun, share: 9, align: "center" },
    { header: dJustified, share: 9, align: "center" },
  ];
  const rows = report.officials.flatMap((o) => o.dossiers.map((d) => ({ o, d })));
  drawTable(
    canvas,
    t.detailTable.caption,
    detail,
    rows.map(({ o, d }, i) => ({
      cells: [
        String(i + 1),
        o.officialName,
        d.code,
        String(d.stepSeq),
        timeOf(new Date(d.stepDueAt)),
        num(d.overrunHours),
        d.justified ? t.yes : t.no,
      ],
    })),
  );
  return end(canvas, t, signing);
}

function complianceCells(r: ComplianceRow, overTarget: string): string[] {
  return [
    num(r.received),
    num(r.early),
    num(r.onTime),
    num(r.late),
    num(r.openOverdue),
    percent(r.onTimeRate),
    r.overTarget ? `${percent(r.lateRate)} (${overTarget})` : percent(r.lateRate),
    percent(r.maxLateRate),
    percent(r.apologyCoverage),
    num(r.violations),
    r.progressScore === null ? "—" : num(r.progressScore),
  ];
}

export function renderCompliancePdf(
  fonts: LetterFonts,
  report: ComplianceReport,
  signing: ReportSigning,
): Buffer {
  const t = complianceTemplate;
  const period = periodText(report.from, report.to);
  const canvas = begin(fonts, t.title, signing, period);
  const grouping = t.groupings[report.groupBy];
  for (const text of t.intro)
    drawParagraph(canvas, fill(text, { issuer: signing.issuer.name, period, grouping }));
  if (report.rows.length === 0) {
    drawParagraph(canvas, t.empty, { italic: true });
    return end(canvas, t, signing);
  }
  const columns: TableColumn[] = [
    { header: "STT", share: 4.5, align: "center" },
    { header: t.table.keyColumn[report.groupBy], share: 19 },
    ...t.table.columns.map((header) => ({ header, share: 7, align: "center" as const })),
  ];
  drawTable(canvas, t.table.caption, columns, [
    ...report.rows.map((r, i) => ({
      cells: [
        String(i + 1),
        r.key === null ? (r.name ?? "—") : `${r.name ?? r.key} (${r.key})`,
        ...complianceCells(r, t.overTarget),
      ],
    })),
    { cells: ["", t.totalLabel, ...complianceCells(report.totals, t.overTarget)], emphasis: true },
  ]);
  return end(canvas, t, signing);
}
