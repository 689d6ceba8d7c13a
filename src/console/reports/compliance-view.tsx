// The compliance page: the period form, exports, the totals, the charts by month and by agency, and
// the table by agency, field or procedure. Renders what ./compliance.tsx read.
import type { ComplianceGroup, complianceReport } from "../../reports/compliance.js";
import { queryString, Scroll } from "../components.js";
import { count, number, percent } from "../format.js";
import type { AgencyNames } from "../names.js";
import { RateChart } from "./charts.js";
import { type Period, PeriodForm } from "./period.js";

export const GROUPS = { agency: "Cơ quan", field: "Lĩnh vực", procedure: "Thủ tục" } as const;

type Report = Awaited<ReturnType<typeof complianceReport>>;

export function ComplianceView(props: {
  period: Period;
  groupBy: ComplianceGroup;
  names: AgencyNames;
  report: Report;
  /** The same report by agency, for the chart. */
  byAgency: Report;
  months: { label: string; value: number | null }[];
}) {
  const { period, groupBy, names, report, byAgency, months } = props;
  const keep = { ...period, groupBy };
  return (
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
    </>
  );
}
