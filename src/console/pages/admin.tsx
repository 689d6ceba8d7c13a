// Admin pages: the calendar as a month grid with the edit → preview → confirm flow, and the
// agencies, procedures and users of the catalogue (with the form that creates a user).
import { type Context, Hono } from "hono";
import { listUsers, registerUser } from "../../auth/queries.js";
import type { Role } from "../../auth/schema.js";
import { dayNumberOf } from "../../calendar/dates.js";
import {
  calendarYearView,
  changeCalendarDay,
  confirmCalendarYear,
  type DayKindOrWorking,
} from "../../calendar/edit.js";
import { listAgencies } from "../../catalog/agencies.js";
import { listProcedures } from "../../catalog/procedures.js";
import type { ProcessingTimeSpec } from "../../catalog/schema.js";
import { ApiError } from "../../http/errors.js";
import { localParts } from "../../letters/dates.js";
import type { ConsoleEnv } from "../env.js";
import { field, readForm } from "../form.js";
import { DAY_KIND_LABELS, dateOnly, dateTime, number, ROLE_LABELS } from "../format.js";
import { signedIn } from "../guard.js";
import { Csrf } from "../layout.js";
import { render } from "../page.js";
import { dossierHref, queryString } from "./components.js";

const ADMIN = ["admin"] as const;
const KINDS: DayKindOrWorking[] = [
  "working",
  "weekend",
  "holiday",
  "substitute",
  "swap_off",
  "makeup_working",
];
const WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"];
const pad2 = (n: number) => String(n).padStart(2, "0");
const LIST_LIMIT = 100;

function DayForm(props: { csrfToken: string; date?: string }) {
  return (
    <form method="post" action="/console/calendar/preview" class="no-print" aria-label="Sửa một ngày">
      <Csrf token={props.csrfToken} />
      <div class="filters">
        <div>
          <label for="date">Ngày</label>
          <input id="date" name="date" type="date" required value={props.date ?? ""} />
        </div>
        <div>
          <label for="kind">Loại ngày</label>
          <select id="kind" name="kind">
            {KINDS.map((k) => (
              <option value={k}>{DAY_KIND_LABELS[k]}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="name">Tên (ví dụ: Tết Nguyên đán)</label>
          <input id="name" name="name" maxlength={200} />
        </div>
        <div>
          <label for="legalRef">Căn cứ pháp lý</label>
          <input id="legalRef" name="legalRef" maxlength={300} />
        </div>
        <button type="submit">Xem trước ảnh hưởng</button>
      </div>
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

async function calendarPage(c: Context<ConsoleEnv>) {
  const now = localParts(c.var.deps.clock.now());
  const year = Number(c.req.query("year") ?? now.year);
  const month = Number(c.req.query("month") ?? now.month);
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12)
    throw new ApiError("BAD_REQUEST", "Tháng hoặc năm không hợp lệ.");
  const view = await calendarYearView(c.var.deps.database.db, year);
  if (!view) throw new ApiError("NOT_FOUND", `Calendar year ${year} not found`);
  const byDate = new Map(view.days.map((d) => [d.date, d]));
  const first = dayNumberOf(`${year}-${pad2(month)}-01`);
  const next = month === 12 ? dayNumberOf(`${year + 1}-01-01`) : dayNumberOf(`${year}-${pad2(month + 1)}-01`);
  // Day numbers count from 1970-01-01, a Thursday: Monday-first offset of the month's first day.
  const lead = (((first + 3) % 7) + 7) % 7;
  const prev = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
  const following = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return render(
    c,
    { title: `Lịch làm việc tháng ${month}/${year}`, active: "calendar" },
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
        Số ngày làm việc trong năm: {view.workingDays}.
      </p>
      {view.provisional ? (
        <form method="post" action="/console/calendar/confirm-year" class="no-print">
          <Csrf token={c.var.csrfToken} />
          <input type="hidden" name="year" value={String(year)} />
          <button type="submit">Xác nhận lịch năm {year} là lịch chính thức</button>
        </form>
      ) : null}
      <p class="pager no-print">
        <a class="button secondary" href={`/console/calendar${queryString(prev)}`}>
          ← Tháng trước
        </a>
        <a class="button secondary" href={`/console/calendar${queryString(following)}`}>
          Tháng sau →
        </a>
      </p>
      <table class="month-grid">
        <caption>{`Tháng ${month}/${year}`}</caption>
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
                const entry = byDate.get(`${year}-${pad2(month)}-${pad2(day)}`);
                return (
                  <td class={`d ${cellClass(entry?.kind)}`}>
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
      <h2>Sửa một ngày</h2>
      <DayForm csrfToken={c.var.csrfToken} />
    </>,
  );
}

function dayChangeOf(body: Awaited<ReturnType<typeof readForm>>) {
  const date = field(body, "date");
  const kind = KINDS.find((k) => k === field(body, "kind"));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !kind)
    throw new ApiError("BAD_REQUEST", "Ngày hoặc loại ngày không hợp lệ.");
  const name = field(body, "name") || null;
  const legalRef = field(body, "legalRef") || null;
  if (kind === "working" && (name || legalRef))
    throw new ApiError("BAD_REQUEST", "Ngày làm việc bình thường không có tên hay căn cứ.");
  return { date, change: { kind, name, legalRef } };
}

async function previewDay(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const { date, change } = dayChangeOf(await readForm(c));
  const outcome = await changeCalendarDay(deps.database.db, principal, date, change, {
    asOf: deps.clock.now(),
    confirm: false,
    listLimit: LIST_LIMIT,
  });
  const { dossiers } = outcome;
  return render(
    c,
    { title: `Xem trước: ngày ${dateOnly(new Date(`${date}T00:00:00+07:00`))}`, active: "calendar" },
    <>
      <p>
        Từ <strong>{DAY_KIND_LABELS[outcome.old.kind]}</strong>
        {outcome.old.name ? ` (${outcome.old.name})` : ""} thành{" "}
        <strong>{DAY_KIND_LABELS[outcome.new.kind]}</strong>
        {outcome.new.name ? ` (${outcome.new.name})` : ""}.
      </p>
      <p id="moved">
        Hồ sơ đang mở được xét: {dossiers.selected}; thời hạn thay đổi: <strong>{dossiers.moved}</strong>.
      </p>
      {dossiers.listed.length ? (
        <table>
          <thead>
            <tr>
              <th>Hồ sơ</th>
              <th>Hạn áp dụng cũ</th>
              <th>Hạn áp dụng mới</th>
              <th class="num">Lệch (giờ làm việc)</th>
            </tr>
          </thead>
          <tbody>
            {dossiers.listed.map((d) => (
              <tr>
                <td>
                  <a href={dossierHref(d.code)}>{d.code}</a>
                </td>
                <td>{dateTime(d.bindingDueAt.old)}</td>
                <td>{dateTime(d.bindingDueAt.new)}</td>
                <td class="num">{number(d.bindingDueAt.shiftHours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form method="post" action="/console/calendar/apply">
        <Csrf token={c.var.csrfToken} />
        <input type="hidden" name="date" value={date} />
        <input type="hidden" name="kind" value={change.kind} />
        <input type="hidden" name="name" value={change.name ?? ""} />
        <input type="hidden" name="legalRef" value={change.legalRef ?? ""} />
        <button type="submit">Xác nhận thay đổi</button>{" "}
        <a
          class="button secondary"
          href={`/console/calendar${queryString({ year: date.slice(0, 4), month: Number(date.slice(5, 7)) })}`}
        >
          Hủy
        </a>
      </form>
    </>,
  );
}

async function applyDay(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const { date, change } = dayChangeOf(await readForm(c));
  await changeCalendarDay(deps.database.db, principal, date, change, {
    asOf: deps.clock.now(),
    confirm: true,
    listLimit: 0,
  });
  return c.redirect(
    `/console/calendar${queryString({ year: date.slice(0, 4), month: Number(date.slice(5, 7)), ok: "calendar-changed" })}`,
    303,
  );
}

async function confirmYear(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const year = Number(field(await readForm(c), "year"));
  if (!Number.isInteger(year)) throw new ApiError("BAD_REQUEST", "Năm không hợp lệ.");
  await confirmCalendarYear(deps.database.db, principal, year, deps.clock.now());
  return c.redirect(`/console/calendar${queryString({ year, month: 1, ok: "year-confirmed" })}`, 303);
}

async function agenciesPage(c: Context<ConsoleEnv>) {
  const rows = await listAgencies(c.var.deps.database.db);
  return render(
    c,
    { title: "Cơ quan", active: "agencies" },
    <table>
      <thead>
        <tr>
          <th>Mã</th>
          <th>Tên</th>
          <th>Ký hiệu</th>
          <th>Cấp trên</th>
          <th>Giờ làm việc</th>
          <th>Chậm muộn nhiều lần</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr>
            <td>{a.code}</td>
            <td style={`padding-left:${0.45 + 1.2 * (a.path.split("/").length - 3)}rem`}>{a.name}</td>
            <td>{a.shortCode}</td>
            <td>{a.parentCode ?? "—"}</td>
            <td>{a.workingPeriods.map(([from, to]) => `${from}–${to}`).join(", ")}</td>
            <td>
              {a.latenessWindow ?? "thừa kế"} / {a.latenessThreshold ?? "thừa kế"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>,
  );
}

function processingText(time: ProcessingTimeSpec | null): string {
  if (!time) return "Chưa rõ";
  return `${number(time.amount)} ${time.unit === "hours" ? "giờ" : "ngày"} làm việc`;
}

async function proceduresPage(c: Context<ConsoleEnv>) {
  const rows = await listProcedures(c.var.deps.database.db);
  return render(
    c,
    { title: "Thủ tục hành chính", active: "procedures" },
    <table>
      <thead>
        <tr>
          <th>Mã</th>
          <th>Tên thủ tục</th>
          <th>Lĩnh vực</th>
          <th>Thời hạn giải quyết</th>
          <th>Khi bổ sung hồ sơ</th>
          <th class="num">Số bước</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr>
            <td>{p.code}</td>
            <td>{p.name}</td>
            <td>{p.field ?? "—"}</td>
            <td>{processingText(p.processingTime)}</td>
            <td>{p.supplementPolicy === "restart" ? "Tính lại từ đầu" : "Tạm dừng"}</td>
            <td class="num">{p.steps.length}</td>
          </tr>
        ))}
      </tbody>
    </table>,
  );
}

async function usersPage(c: Context<ConsoleEnv>, created?: { name: string; token: string }) {
  const rows = await listUsers(c.var.deps.database.db);
  return render(
    c,
    {
      title: "Người dùng",
      active: "users",
      flash: created ? { kind: "ok", text: `Đã tạo người dùng ${created.name}.` } : undefined,
    },
    <>
      {created ? (
        <p class="flash ok">
          Mã truy cập của {created.name} (chỉ hiện một lần, hãy giao tận tay):{" "}
          <code id="new-token">{created.token}</code>
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Họ tên</th>
            <th>Vai trò</th>
            <th>Phạm vi</th>
            <th>Tạo lúc</th>
            <th>Tình trạng</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((u) => (
            <tr>
              <td>{u.id}</td>
              <td>{u.name}</td>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>
                {u.scopeKind === "all"
                  ? "Toàn tỉnh"
                  : `${u.scopeAgencyCode}${u.scopeKind === "subtree" ? " và cấp dưới" : ""}`}
              </td>
              <td>{dateTime(u.createdAt)}</td>
              <td>{u.disabledAt ? "Đã khóa" : "Đang dùng"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Tạo người dùng</h2>
      <form method="post" action="/console/users" class="no-print">
        <Csrf token={c.var.csrfToken} />
        <div class="filters">
          <div>
            <label for="userName">Họ tên</label>
            <input id="userName" name="name" required maxlength={200} />
          </div>
          <div>
            <label for="role">Vai trò</label>
            <select id="role" name="role">
              <option value="officer">{ROLE_LABELS.officer}</option>
              <option value="inspector">{ROLE_LABELS.inspector}</option>
              <option value="admin">{ROLE_LABELS.admin}</option>
              <option value="system">{ROLE_LABELS.system}</option>
            </select>
          </div>
          <div>
            <label for="scope">Mã cơ quan (cán bộ: cơ quan; thanh tra: cơ quan gốc hoặc “all”)</label>
            <input id="scope" name="scope" maxlength={64} />
          </div>
          <button type="submit">Tạo và cấp mã truy cập</button>
        </div>
      </form>
    </>,
  );
}

async function createUserAction(c: Context<ConsoleEnv>) {
  const body = await readForm(c);
  const name = field(body, "name");
  const role = (["admin", "system", "inspector", "officer"] as Role[]).find((r) => r === field(body, "role"));
  const scope = field(body, "scope");
  if (!name || name.length > 200 || !role) throw new ApiError("BAD_REQUEST", "Cần họ tên và vai trò.");
  if ((role === "officer" || role === "inspector") && !scope)
    throw new ApiError("BAD_REQUEST", "Cán bộ cần mã cơ quan; thanh tra cần mã cơ quan gốc hoặc “all”.");
  const created = await registerUser(c.var.deps.database.db, c.var.principal, {
    name,
    role,
    ...(role === "officer" ? { agencyCode: scope } : role === "inspector" ? { scope } : {}),
  });
  return usersPage(c, { name, token: created.token });
}

export const adminPages = new Hono<ConsoleEnv>()
  .get("/calendar", signedIn(ADMIN), calendarPage)
  .post("/calendar/preview", signedIn(ADMIN), previewDay)
  .post("/calendar/apply", signedIn(ADMIN), applyDay)
  .post("/calendar/confirm-year", signedIn(ADMIN), confirmYear)
  .get("/agencies", signedIn(ADMIN), agenciesPage)
  .get("/procedures", signedIn(ADMIN), proceduresPage)
  .get("/users", signedIn(ADMIN), (c) => usersPage(c))
  .post("/users", signedIn(ADMIN), createUserAction);
