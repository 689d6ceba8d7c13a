// A calendar day's edit: the preview (the change and the recomputation run and rolled back, so it is
// exactly what confirming does) with the confirmation at the top and the dossiers whose statutory or
// binding due moves, old and new side by side, largest move first; then the change itself.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  changeCalendarDay,
  confirmCalendarYear,
  type DayChange,
  type DayChangeOutcome,
} from "../../calendar/edit.js";
import type { MovedDossier } from "../../dossiers/recompute.js";
import { ApiError } from "../../http/errors.js";
import { dossierHref, queryString, Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { isApiError } from "../errors.js";
import { type FormBody, field, readForm } from "../form.js";
import { count, DAY_KIND_LABELS, dateOnly, dateTime, localDayStart, number, parseDay } from "../format.js";
import { Csrf } from "../layout.js";
import { type AgencyNames, agencyNames } from "../names.js";
import { render } from "../page.js";
import { calendarPage, type DayFields, KINDS } from "./calendar.js";

const LIST_LIMIT = 200;

const fieldsOf = (body: FormBody): DayFields => ({
  date: field(body, "date"),
  kind: field(body, "kind"),
  name: field(body, "name"),
  legalRef: field(body, "legalRef"),
});

/** The change the form asks for, or what to fix in it. */
function dayChangeOf(fields: DayFields): { date: string; change: DayChange } | { problem: string } {
  const date = parseDay(fields.date);
  if (!date) return { problem: "Ngày phải có dạng ngày/tháng/năm, ví dụ 12/02/2025." };
  const kind = KINDS.find((k) => k === fields.kind);
  if (!kind) return { problem: "Hãy chọn loại ngày." };
  if (kind === "working" && (fields.name || fields.legalRef))
    return {
      problem:
        "Ngày làm việc bình thường không có tên hay căn cứ: chọn loại ngày nghỉ (ví dụ “Nghỉ lễ, Tết”) hoặc xóa tên và căn cứ.",
    };
  return { date, change: { kind, name: fields.name || null, legalRef: fields.legalRef || null } };
}

const UNFIT: Record<string, string> = {
  kind: "Loại ngày không hợp với ngày này: “Nghỉ cuối tuần” và “Làm bù” chỉ cho Thứ Bảy, Chủ Nhật; “Ngày làm việc” chỉ cho ngày thường.",
  date: "Ngày này nằm ngoài các năm của lịch.",
};

/** The calendar page again, on the typed date's month when it has one, with the form as typed. */
function refused(c: Context<ConsoleEnv>, fields: DayFields, text: string, status: ContentfulStatusCode) {
  const date = parseDay(fields.date);
  const month = date ? { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) } : undefined;
  return calendarPage(c, month, { fields, flash: { kind: "error", text }, status });
}

function Move(props: { move: MovedDossier["statutoryDueAt"] }) {
  const { move } = props;
  if (move.old === move.new) return <span class="muted">{dateTime(move.new)} (không đổi)</span>;
  return (
    <span>
      {dateTime(move.old)} → <strong>{dateTime(move.new)}</strong>
      {move.shiftHours !== null ? (
        <span class="code">{`lệch ${number(move.shiftHours, 2)} giờ làm việc`}</span>
      ) : null}
    </span>
  );
}

function MovedTable(props: { listed: MovedDossier[]; names: AgencyNames }) {
  return (
    <Scroll label="Hồ sơ có thời hạn thay đổi">
      <table class="stack" id="moved-dossiers">
        <thead>
          <tr>
            <th>Hồ sơ</th>
            <th>Cơ quan</th>
            <th>Hạn theo quy định: cũ → mới</th>
            <th>Hạn áp dụng: cũ → mới</th>
          </tr>
        </thead>
        <tbody>
          {props.listed.map((d) => (
            <tr>
              <td data-label="Hồ sơ">
                <a href={dossierHref(d.code)}>{d.code}</a>
              </td>
              <td data-label="Cơ quan" title={d.agencyCode}>
                {props.names.name(d.agencyCode)}
              </td>
              <td data-label="Hạn theo quy định">
                <Move move={d.statutoryDueAt} />
              </td>
              <td data-label="Hạn áp dụng">
                <Move move={d.bindingDueAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function PreviewView(props: {
  outcome: DayChangeOutcome;
  fields: DayFields;
  csrfToken: string;
  names: AgencyNames;
}) {
  const { outcome, fields } = props;
  const { dossiers } = outcome;
  const back = `/console/calendar${queryString({ year: outcome.date.slice(0, 4), month: Number(outcome.date.slice(5, 7)) })}`;
  return (
    <>
      <form method="post" action="/console/calendar/apply">
        <Csrf token={props.csrfToken} />
        {(["date", "kind", "name", "legalRef"] as const).map((name) => (
          <input type="hidden" name={name} value={fields[name]} />
        ))}
        <p>
          Từ <strong>{DAY_KIND_LABELS[outcome.old.kind]}</strong>
          {outcome.old.name ? ` (${outcome.old.name})` : ""} thành{" "}
          <strong>{DAY_KIND_LABELS[outcome.new.kind]}</strong>
          {outcome.new.name ? ` (${outcome.new.name})` : ""}.
        </p>
        <p id="moved">
          Hồ sơ đang giải quyết được xét: {count(dossiers.selected)}; có hạn theo quy định hoặc hạn áp dụng
          thay đổi: <strong>{count(dossiers.moved)}</strong>
          {dossiers.moved > dossiers.listed.length
            ? ` (liệt kê ${count(dossiers.listed.length)} hồ sơ lệch nhiều nhất)`
            : ""}
          .
        </p>
        <div class="actions">
          <button type="submit">Xác nhận thay đổi</button>
          <a class="button secondary" href={back}>
            Hủy
          </a>
        </div>
      </form>
      <p class="hint">
        Hạn áp dụng là hạn sớm hơn giữa hạn theo quy định và ngày hẹn trả: khi ngày hẹn trả sớm hơn, hạn áp
        dụng không đổi dù hạn theo quy định thay đổi.
      </p>
      {dossiers.listed.length ? <MovedTable listed={dossiers.listed} names={props.names} /> : null}
    </>
  );
}

async function edit(c: Context<ConsoleEnv>, confirm: boolean) {
  const { deps, principal } = c.var;
  const fields = { ...fieldsOf(await readForm(c)) };
  const parsed = dayChangeOf(fields);
  if ("problem" in parsed) return refused(c, fields, parsed.problem, 400);
  try {
    const outcome = await changeCalendarDay(deps.database.db, principal, parsed.date, parsed.change, {
      asOf: deps.clock.now(),
      confirm,
      listLimit: confirm ? 0 : LIST_LIMIT,
      listOrder: "shift",
    });
    return { outcome, fields };
  } catch (error) {
    if (!isApiError(error, "UNPROCESSABLE", "BAD_REQUEST")) throw error;
    const text = UNFIT[String(error.details?.field)] ?? error.message;
    return refused(c, fields, text, error.status as ContentfulStatusCode);
  }
}

export async function previewDay(c: Context<ConsoleEnv>) {
  const result = await edit(c, false);
  if (result instanceof Response) return result;
  const { outcome, fields } = result;
  const names = await agencyNames(c.var.deps.database.db, c.var.principal);
  return render(
    c,
    { title: `Xem trước: ngày ${dateOnly(localDayStart(outcome.date))}`, active: "calendar" },
    <PreviewView outcome={outcome} fields={fields} csrfToken={c.var.csrfToken} names={names} />,
  );
}

export async function applyDay(c: Context<ConsoleEnv>) {
  const result = await edit(c, true);
  if (result instanceof Response) return result;
  const { date } = result.outcome;
  return c.redirect(
    `/console/calendar${queryString({ year: date.slice(0, 4), month: Number(date.slice(5, 7)), ok: "calendar-changed" })}`,
    303,
  );
}

export async function confirmYear(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const year = Number(field(await readForm(c), "year"));
  if (!Number.isInteger(year)) throw new ApiError("BAD_REQUEST", "Năm không hợp lệ.");
  await confirmCalendarYear(deps.database.db, principal, year, deps.clock.now());
  return c.redirect(`/console/calendar${queryString({ year, month: 1, ok: "year-confirmed" })}`, 303);
}
