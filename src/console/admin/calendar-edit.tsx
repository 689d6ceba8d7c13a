// A calendar day's edit: the preview (the change and the recomputation run and rolled back, so it is
// exactly what confirming does) with the confirmation at the top and the dossiers whose statutory or
// binding due moves, old and new side by side, largest move first; then the change itself.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { confirmCalendarYear, type DayChange } from "../../calendar/edit.js";
import { ApiError } from "../../http/errors.js";
import { changeCalendarDay } from "../../rulebook/calendar-changes.js";
import { queryString } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { isApiError } from "../errors.js";
import { type FormBody, field, readForm } from "../form.js";
import { dateOnly, localDayStart, parseDay } from "../format.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { calendarPage } from "./calendar.js";
import { PreviewView } from "./calendar-preview-view.js";
import { type DayFields, KINDS } from "./calendar-view.js";

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
