// Officials late again and again: who, how often, in which window, and — one click away, as a
// table across the page — every late dossier of theirs, to drill into and justify.
import type { Context } from "hono";
import { LatenessWindowSchema } from "../../catalog/lateness-window.js";
import { type RepeatLateOfficial, repeatLatenessReport } from "../../reports/repeat-lateness.js";
import { dossierHref, queryString, Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { queryParam } from "../form.js";
import { count, dateOnly, dateTime, number, windowLabel } from "../format.js";
import { type AgencyNames, agencyNames } from "../names.js";
import { render } from "../page.js";
import { PeriodForm, periodOf, periodQuery, scopeAgency } from "./period.js";

/** The threshold and window overrides of the query, when valid. */
export function overridesOf(c: Context<ConsoleEnv>) {
  const text = queryParam(c, "threshold");
  const threshold = text && /^\d{1,4}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
  const parsed = LatenessWindowSchema.safeParse(queryParam(c, "window"));
  return { threshold, window: parsed.success ? parsed.data : undefined };
}

function Drill(props: { official: RepeatLateOfficial }) {
  const { official } = props;
  return (
    <details data-print-open>
      <summary>Xem {count(official.dossiers.length)} hồ sơ chậm</summary>
      <table class="stack" aria-label={`Các hồ sơ chậm của ${official.officialName}`}>
        <thead>
          <tr>
            <th>Hồ sơ</th>
            <th class="num">Bước</th>
            <th>Hạn của bước</th>
            <th class="num">Số giờ vượt</th>
            <th>Lý do chính đáng</th>
          </tr>
        </thead>
        <tbody>
          {official.dossiers.map((d) => (
            <tr>
              <td data-label="Hồ sơ">
                <a href={dossierHref(d.code)}>{d.code}</a>
              </td>
              <td data-label="Bước" class="num">
                {d.stepSeq}
              </td>
              <td data-label="Hạn của bước">{dateTime(d.stepDueAt)}</td>
              <td data-label="Số giờ vượt" class="num">
                {number(d.overrunHours, 2)}
              </td>
              <td data-label="Lý do chính đáng">{d.justified ? "Đã chấp nhận" : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Officials(props: { officials: RepeatLateOfficial[]; names: AgencyNames }) {
  return (
    <Scroll label="Cán bộ chậm muộn nhiều lần">
      <table id="officials" class="stack">
        <thead>
          <tr>
            <th>Cán bộ</th>
            <th>Cơ quan</th>
            <th class="num">Số hồ sơ chậm</th>
            <th class="num">Có lý do chính đáng</th>
            <th class="num">Số giờ vượt</th>
            <th>Khoảng thời gian chậm nhiều nhất</th>
          </tr>
        </thead>
        <tbody>
          {props.officials.map((o) => (
            <>
              <tr class="official">
                <td data-label="Cán bộ">
                  <span>
                    <strong>{o.officialName}</strong>
                    {o.title ? <span class="code">{o.title}</span> : null}
                    {o.department ? <span class="code">{o.department}</span> : null}
                  </span>
                </td>
                <td data-label="Cơ quan" title={o.agencyCode}>
                  {props.names.name(o.agencyCode)}
                </td>
                <td data-label="Số hồ sơ chậm" class="num">
                  {count(o.lateCount)}
                </td>
                <td data-label="Có lý do chính đáng" class="num">
                  {count(o.justifiedCount)}
                </td>
                <td data-label="Số giờ vượt" class="num">
                  {number(o.overrunHours, 2)}
                </td>
                <td data-label="Chậm nhiều nhất">
                  {dateOnly(o.peakWindow.from)} – {dateOnly(new Date(Date.parse(o.peakWindow.to) - 1))}:{" "}
                  {count(o.peakWindow.lateCount)} hồ sơ (ngưỡng {count(o.policy.threshold)} hồ sơ trong{" "}
                  {windowLabel(o.policy.window)})
                </td>
              </tr>
              <tr class="drill">
                <td colspan={6} class="full">
                  <Drill official={o} />
                </td>
              </tr>
            </>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export async function repeatLateness(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const period = periodOf(c);
  const { threshold, window } = overridesOf(c);
  const agency = await scopeAgency(c, period.agency);
  const [report, names] = await Promise.all([
    repeatLatenessReport(deps.database.db, principal, {
      ...periodQuery(period),
      asOf: deps.clock.now(),
      agency,
      threshold,
      window,
    }),
    agencyNames(deps.database.db, principal),
  ]);
  const keep = { ...period, threshold, window };
  return render(
    c,
    { title: "Cán bộ chậm muộn nhiều lần", active: "repeat" },
    <>
      <PeriodForm action="/console/reports/repeat-lateness" period={period} names={names}>
        <div>
          <label for="threshold">Ngưỡng (bỏ trống: theo quy định từng cơ quan)</label>
          <input id="threshold" name="threshold" type="number" min={1} max={1000} value={threshold ?? ""} />
        </div>
      </PeriodForm>
      <p class="actions no-print">
        Xuất báo cáo:
        <a href={`/console/reports/repeat-lateness/export${queryString({ ...keep, format: "csv" })}`}>
          CSV (Excel)
        </a>
        <a href={`/console/reports/repeat-lateness/export${queryString({ ...keep, format: "pdf" })}`}>
          PDF có chữ ký
        </a>
        <button type="button" class="secondary" data-print>
          In trang này
        </button>
      </p>
      {report.officials.length === 0 ? (
        <p id="no-officials">Không có cán bộ nào đến ngưỡng trong kỳ.</p>
      ) : (
        <Officials officials={report.officials} names={names} />
      )}
    </>,
  );
}
