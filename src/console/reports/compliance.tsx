// Compliance: on-time rates by agency, field or procedure, month by month, with the QĐ 766
// progress score, apology coverage and targets; charts as SVG beside the table.
import type { Context } from "hono";
import { complianceReport } from "../../reports/compliance.js";
import { ComplianceQuery } from "../../reports/routes.js";
import { queryString, Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { count, localDayStart, number, percent } from "../format.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { RateChart } from "./charts.js";
import { asOfOf, PeriodForm, periodOf, periodQuery, reportQuery, scopeAgency } from "./period.js";

export const GROUPS = { agency: "Cơ quan", field: "Lĩnh vực", procedure: "Thủ tục" } as const;
const MAX_MONTHS = 24;
const pad2 = (n: number) => String(n).padStart(2, "0");

/** The months of [from, to), each clipped to the period. */
function monthsOf(from: string, to: string): { label: string; from: Date; to: Date }[] {
  const out: { label: string; from: Date; to: Date }[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const end = localDayStart(to);
  while (out.length < MAX_MONTHS) {
    const first = `${year}-${pad2(month)}-01`;
    const start = new Date(Math.max(localDayStart(first).getTime(), localDayStart(from).getTime()));
    if (start >= end) break;
    const label = `${pad2(month)}/${year}`;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
    const next = new Date(Math.min(localDayStart(`${year}-${pad2(month)}-01`).getTime(), end.getTime()));
    out.push({ label, from: start, to: next });
  }
  return out;
}

export async function compliance(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const parsed = reportQuery(c, ComplianceQuery);
  const period = periodOf(parsed);
  const { groupBy } = parsed;
  const agency = await scopeAgency(c, period.agency);
  const query = { ...periodQuery(period), asOf: asOfOf(c, period), agency };
  const [report, names] = await Promise.all([
    complianceReport(db, principal, { ...query, groupBy }),
    agencyNames(db, principal),
  ]);
  const byAgency =
    groupBy === "agency" ? report : await complianceReport(db, principal, { ...query, groupBy: "agency" });
  // One statement per month: a year is twelve, and the totals are the report's own.
  const months = [];
  for (const m of monthsOf(period.from, period.to)) {
    const monthly = await complianceReport(db, principal, {
      ...query,
      from: m.from,
      to: m.to,
      groupBy: "agency",
    });
    months.push({ label: m.label, value: monthly.totals.onTimeRate });
  }
  const keep = { ...period, groupBy };
  return render(
    c,
    { title: "Kết quả giải quyết hồ sơ", active: "compliance" },
    <>
      <PeriodForm action="/console/reports/compliance" period={period} names={names}>
        <div>
          <label for="groupBy">Theo</label>
          <select id="groupBy" name="groupBy">
            {Object.entries(GROUPS).map(([k, label]) => (
              <option value={k} selected={k === groupBy}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </PeriodForm>
      <p class="actions no-print">
        Xuất báo cáo:
        <a href={`/console/reports/compliance/export${queryString({ ...keep, format: "csv" })}`}>
          CSV (Excel)
        </a>
        <a href={`/console/reports/compliance/export${queryString({ ...keep, format: "pdf" })}`}>
          PDF có chữ ký
        </a>
        <button type="button" class="secondary" data-print>
          In trang này
        </button>
      </p>
      <p>
        Tỷ lệ đúng hạn cả kỳ: <strong id="total-rate">{percent(report.totals.onTimeRate)}</strong>; điểm tiến
        độ (QĐ 766/QĐ-TTg): <strong>{number(report.totals.progressScore, 2)}</strong>/20; tỷ lệ có phiếu xin
        lỗi: {percent(report.totals.apologyCoverage)}; hồ sơ tiếp nhận: {count(report.totals.received)}.
      </p>
      <div class="cols">
        <RateChart id="by-month" title="Tỷ lệ giải quyết đúng hạn theo tháng" bars={months} />
        <RateChart
          id="by-agency"
          title="Tỷ lệ giải quyết đúng hạn theo cơ quan"
          bars={byAgency.rows.map((r) => ({ label: r.name ?? r.key ?? "—", value: r.onTimeRate }))}
        />
      </div>
      <Scroll label="Bảng kết quả giải quyết">
        {/* Not a card list on a phone: ten figures per row are read across rows, side by side. */}
        <table>
          <thead>
            <tr>
              <th>{GROUPS[groupBy]}</th>
              <th class="num">Tiếp nhận</th>
              <th class="num">Trước hạn</th>
              <th class="num">Đúng hạn</th>
              <th class="num">Quá hạn</th>
              <th class="num">Đang quá hạn</th>
              <th class="num">Tỷ lệ đúng hạn</th>
              <th class="num">Có phiếu xin lỗi</th>
              <th class="num">Vi phạm</th>
              <th class="num">Điểm</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr>
                <td data-label={GROUPS[groupBy]} title={r.key ?? undefined}>
                  <span>
                    {r.name ?? r.key ?? "—"}
                    {r.overTarget ? (
                      <strong class="s-late"> (vượt chỉ tiêu {percent(r.maxLateRate)} trễ hạn)</strong>
                    ) : null}
                  </span>
                </td>
                <td data-label="Tiếp nhận" class="num">
                  {count(r.received)}
                </td>
                <td data-label="Trước hạn" class="num">
                  {count(r.early)}
                </td>
                <td data-label="Đúng hạn" class="num">
                  {count(r.onTime)}
                </td>
                <td data-label="Quá hạn" class="num">
                  {count(r.late)}
                </td>
                <td data-label="Đang quá hạn" class="num">
                  {count(r.openOverdue)}
                </td>
                <td data-label="Tỷ lệ đúng hạn" class="num">
                  {percent(r.onTimeRate)}
                </td>
                <td data-label="Có phiếu xin lỗi" class="num">
                  {percent(r.apologyCoverage)}
                </td>
                <td data-label="Vi phạm" class="num">
                  {count(r.violations)}
                </td>
                <td data-label="Điểm" class="num">
                  {number(r.progressScore, 2)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </>,
  );
}
