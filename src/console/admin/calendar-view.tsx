// The calendar's page: a month grid, with the form that edits one day (as typed, when a refused
// edit comes back). Renders what ./calendar.tsx read.
import { dayNumberOf } from "../../calendar/dates.js";
import type { calendarYearView, DayKindOrWorking } from "../../calendar/edit.js";
import { CALENDAR_DAY_KINDS } from "../../calendar/types.js";
import { queryString } from "../components.js";
import { count, DAY_KIND_LABELS, dateOnly, dayInputValue } from "../format.js";
import { Csrf } from "../layout.js";

type CalendarYearView = NonNullable<Awaited<ReturnType<typeof calendarYearView>>>;

export const KINDS: DayKindOrWorking[] = ["working", ...CALENDAR_DAY_KINDS];
const WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"];
const pad2 = (n: number) => String(n).padStart(2, "0");

/** What the day form holds: the typed text, so a refused form comes back as it was. */
export interface DayFields {
  date: string;
  kind: string;
  name: string;
  legalRef: string;
}

export const emptyDay: DayFields = { date: "", kind: "", name: "", legalRef: "" };

function DayForm(props: { csrfToken: string; fields: DayFields }) {
  const { fields } = props;
  return (
    <form method="post" action="/console/calendar/preview" class="no-print" aria-label="Sửa một ngày">
      <Csrf token={props.csrfToken} />
      <div class="filters">
        <div>
          <label for="date">Ngày (ngày/tháng/năm)</label>
          <input
            id="date"
            name="date"
            class="day"
            required
            inputmode="numeric"
            placeholder="dd/mm/yyyy"
            pattern="\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
            value={fields.date}
          />
        </div>
        <div>
          <label for="kind">Loại ngày</label>
          <select id="kind" name="kind" required>
            <option value="">— chọn —</option>
            {KINDS.map((k) => (
              <option value={k} selected={k === fields.kind}>
                {DAY_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="name">Tên (ví dụ: Tết Nguyên đán)</label>
          <input id="name" name="name" maxlength={200} value={fields.name} />
        </div>
        <div>
          <label for="legalRef">Căn cứ pháp lý</label>
          <input id="legalRef" name="legalRef" maxlength={300} value={fields.legalRef} />
        </div>
        <button type="submit">Xem trước ảnh hưởng</button>
      </div>
      <p class="hint">
        “Ngày làm việc” trả một ngày thường về làm việc (không có tên, căn cứ). Cuối tuần và làm bù chỉ cho
        Thứ Bảy, Chủ Nhật.
      </p>
    </form>
  );
}

/** The month's days in weeks of seven, Monday first, blanks before the first and after the last. */
function weeksOf(lead: number, days: number): (number | null)[][] {
  const cells: (number | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length: days }, (_, i) => i + 1),
  ];
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

function cellClass(kind: string | undefined): string {
  if (!kind) return "";
  if (kind === "makeup_working") return "makeup";
  return kind === "weekend" ? "weekend" : "off";
}

/** A month of the calendar year `view`: the year's status, the day form, the grid. */
export function CalendarMonth(props: {
  year: number;
  month: number;
  view: CalendarYearView;
  csrfToken: string;
  fields: DayFields;
}) {
  const { year, view } = props;
  const monthNumber = props.month;
  const byDate = new Map(view.days.map((d) => [d.date, d]));
  const first = dayNumberOf(`${year}-${pad2(monthNumber)}-01`);
  const next =
    monthNumber === 12
      ? dayNumberOf(`${year + 1}-01-01`)
      : dayNumberOf(`${year}-${pad2(monthNumber + 1)}-01`);
  // Day numbers count from 1970-01-01, a Thursday: Monday-first offset of the month's first day.
  const lead = (((first + 3) % 7) + 7) % 7;
  const prev = monthNumber === 1 ? { year: year - 1, month: 12 } : { year, month: monthNumber - 1 };
  const following = monthNumber === 12 ? { year: year + 1, month: 1 } : { year, month: monthNumber + 1 };
  return (
    <>
      <p>
        {view.provisional ? (
          <span class="provisional" id="provisional">
            Lịch năm {year} là lịch tạm tính (sinh theo Bộ luật Lao động), chưa được xác nhận.
          </span>
        ) : (
          <span>
            Lịch chính thức
            {view.confirmedBy
              ? `, xác nhận bởi ${view.confirmedBy.name ?? ""} ${dateOnly(view.confirmedAt)}`
              : ""}
            .
          </span>
        )}{" "}
        Số ngày làm việc trong năm: {count(view.workingDays)}.
      </p>
      {view.provisional ? (
        <form method="post" action="/console/calendar/confirm-year" class="no-print">
          <Csrf token={props.csrfToken} />
          <input type="hidden" name="year" value={String(year)} />
          <button type="submit">Xác nhận lịch năm {year} là lịch chính thức</button>
        </form>
      ) : null}
      <h2>Sửa một ngày</h2>
      <DayForm csrfToken={props.csrfToken} fields={props.fields} />
      <p class="pager no-print">
        <a class="button secondary" href={`/console/calendar${queryString(prev)}`}>
          ← Tháng trước
        </a>
        <a class="button secondary" href={`/console/calendar${queryString(following)}`}>
          Tháng sau →
        </a>
      </p>
      <table class="month-grid">
        <caption>{`Tháng ${monthNumber}/${year}`}</caption>
        <thead>
          <tr>
            {WEEKDAYS.map((w) => (
              <th scope="col">{w}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeksOf(lead, next - first).map((week) => (
            <tr>
              {week.map((day) => {
                if (day === null) return <td />;
                const iso = `${year}-${pad2(monthNumber)}-${pad2(day)}`;
                const entry = byDate.get(iso);
                return (
                  <td class={`d ${cellClass(entry?.kind)}`} title={dayInputValue(iso)}>
                    <span class="day">{day}</span>
                    {entry ? (
                      <>
                        <br />
                        {DAY_KIND_LABELS[entry.kind]}
                      </>
                    ) : null}
                    {entry?.name ? (
                      <>
                        <br />
                        <em>{entry.name}</em>
                      </>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
