// Inspector pages: repeat lateness with drill-down, compliance with charts and exports, the
// justification form's action, violations and sweep history.
import { type Context, Hono } from "hono";
import { type Agency, agencyForPrincipal } from "../../catalog/agencies.js";
import { ApiError } from "../../http/errors.js";
import { localParts } from "../../letters/dates.js";
import { complianceReport } from "../../reports/compliance.js";
import { complianceExport, exportReport, repeatLatenessExport } from "../../reports/exports.js";
import { decideJustification } from "../../reports/justifications.js";
import { repeatLatenessReport } from "../../reports/repeat-lateness.js";
import { LatenessWindowSchema } from "../../reports/window-policy.js";
import { listRuns } from "../../sweep/runs.js";
import { VIOLATION_RULES } from "../../sweep/schema.js";
import { listViolations } from "../../sweep/violations.js";
import type { ConsoleEnv } from "../env.js";
import { field, queryParam, readForm } from "../form.js";
import { dateOnly, dateTime, number, percent, RULE_LABELS } from "../format.js";
import { signedIn } from "../guard.js";
import { canSeeSweeps } from "../layout.js";
import { render } from "../page.js";
import { RateChart } from "./charts.js";
import { dossierHref, queryString } from "./components.js";

const INSPECTORS = ["admin", "inspector"] as const;
const pad2 = (n: number) => String(n).padStart(2, "0");
const dayStart = (day: string) => new Date(`${day}T00:00:00+07:00`);

interface Period {
  from: string;
  to: string;
  agency?: string;
}

/** The period from the query, by default the year so far (to the end of the current month). */
function periodOf(c: Context<ConsoleEnv>): Period {
  const now = localParts(c.var.deps.clock.now());
  const valid = (v: string | undefined) =>
    v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(dayStart(v).getTime()) ? v : undefined;
  const from = valid(queryParam(c, "from")) ?? `${now.year}-01-01`;
  const nextMonth = now.month === 12 ? `${now.year + 1}-01-01` : `${now.year}-${pad2(now.month + 1)}-01`;
  const to = valid(queryParam(c, "to")) ?? nextMonth;
  if (dayStart(from) >= dayStart(to)) throw new ApiError("BAD_REQUEST", "“Từ ngày” phải trước “đến ngày”.");
  return { from, to, agency: queryParam(c, "agency") };
}

async function scopeAgency(c: Context<ConsoleEnv>, code: string | undefined): Promise<Agency | null> {
  return code ? agencyForPrincipal(c.var.deps.database.db, c.var.principal, code) : null;
}

function PeriodForm(props: { action: string; period: Period; children?: unknown }) {
  return (
    <form class="filters" method="get" action={props.action} aria-label="Kỳ báo cáo">
      <div>
        <label for="from">Từ ngày</label>
        <input id="from" name="from" type="date" value={props.period.from} />
      </div>
      <div>
        <label for="to">Đến trước ngày</label>
        <input id="to" name="to" type="date" value={props.period.to} />
      </div>
      <div>
        <label for="agency">Mã cơ quan (cả cấp dưới)</label>
        <input id="agency" name="agency" value={props.period.agency ?? ""} size={16} />
      </div>
      {props.children}
      <button type="submit">Xem báo cáo</button>
    </form>
  );
}

async function repeatLateness(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const period = periodOf(c);
  const thresholdText = queryParam(c, "threshold");
  const threshold = thresholdText && /^\d{1,4}$/.test(thresholdText) ? Number(thresholdText) : undefined;
  const windowParsed = LatenessWindowSchema.safeParse(queryParam(c, "window"));
  const window = windowParsed.success ? windowParsed.data : undefined;
  const agency = await scopeAgency(c, period.agency);
  const report = await repeatLatenessReport(deps.database.db, principal, {
    from: dayStart(period.from),
    to: dayStart(period.to),
    asOf: deps.clock.now(),
    agency,
    threshold: threshold && threshold > 0 ? threshold : undefined,
    window,
  });
  const keep = { ...period, threshold, window };
  return render(
    c,
    { title: "Cán bộ chậm muộn nhiều lần", active: "repeat" },
    <>
      <PeriodForm action="/console/reports/repeat-lateness" period={period}>
        <div>
          <label for="threshold">Ngưỡng (bỏ trống: theo quy định từng cơ quan)</label>
          <input id="threshold" name="threshold" type="number" min={1} max={1000} value={threshold ?? ""} />
        </div>
      </PeriodForm>
      <p class="no-print">
        Xuất báo cáo:{" "}
        <a href={`/console/reports/repeat-lateness/export${queryString({ ...keep, format: "csv" })}`}>CSV</a>{" "}
        ·{" "}
        <a href={`/console/reports/repeat-lateness/export${queryString({ ...keep, format: "pdf" })}`}>PDF</a>
      </p>
      {report.officials.length === 0 ? (
        <p id="no-officials">Không có cán bộ nào đến ngưỡng trong kỳ.</p>
      ) : (
        <table id="officials">
          <thead>
            <tr>
              <th>Cán bộ</th>
              <th>Cơ quan</th>
              <th class="num">Số hồ sơ chậm</th>
              <th class="num">Có lý do chính đáng</th>
              <th class="num">Số giờ vượt</th>
              <th>Cửa sổ cao nhất</th>
            </tr>
          </thead>
          <tbody>
            {report.officials.map((o) => (
              <tr>
                <td>
                  <strong>{o.officialName}</strong>
                  <br />
                  <span class="muted">
                    {o.title ?? ""} {o.department ?? ""}
                  </span>
                  <details>
                    <summary>Các hồ sơ ({o.dossiers.length})</summary>
                    <ul>
                      {o.dossiers.map((d) => (
                        <li>
                          <a href={dossierHref(d.code)}>{d.code}</a> — bước {d.stepSeq}, hạn{" "}
                          {dateTime(d.stepDueAt)}, vượt {number(d.overrunHours, 2)} giờ
                          {d.justified ? " (đã chấp nhận lý do)" : ""}
                        </li>
                      ))}
                    </ul>
                  </details>
                </td>
                <td>{o.agencyCode}</td>
                <td class="num">{o.lateCount}</td>
                <td class="num">{o.justifiedCount}</td>
                <td class="num">{number(o.overrunHours, 2)}</td>
                <td>
                  {dateOnly(o.peakWindow.from)} – {dateOnly(new Date(Date.parse(o.peakWindow.to) - 1))}:{" "}
                  {o.peakWindow.lateCount} hồ sơ (ngưỡng {o.policy.threshold})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>,
  );
}

const GROUPS = { agency: "Cơ quan", field: "Lĩnh vực", procedure: "Thủ tục" } as const;
const MAX_MONTHS = 24;

/** The months of [from, to), each clipped to the period. */
function monthsOf(from: string, to: string): { label: string; from: Date; to: Date }[] {
  const out: { label: string; from: Date; to: Date }[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const end = dayStart(to);
  while (out.length < MAX_MONTHS) {
    const start = new Date(
      Math.max(dayStart(`${year}-${pad2(month)}-01`).getTime(), dayStart(from).getTime()),
    );
    if (start >= end) break;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
    const next = new Date(Math.min(dayStart(`${year}-${pad2(month)}-01`).getTime(), end.getTime()));
    out.push({ label: `${pad2(localParts(start).month)}/${localParts(start).year}`, from: start, to: next });
  }
  return out;
}

async function compliance(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const period = periodOf(c);
  const groupParam = queryParam(c, "groupBy");
  const groupBy = groupParam === "field" || groupParam === "procedure" ? groupParam : "agency";
  const agency = await scopeAgency(c, period.agency);
  const asOf = deps.clock.now();
  const query = { from: dayStart(period.from), to: dayStart(period.to), asOf, agency };
  const report = await complianceReport(db, principal, { ...query, groupBy });
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
      <PeriodForm action="/console/reports/compliance" period={period}>
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
      <p class="no-print">
        Xuất báo cáo:{" "}
        <a href={`/console/reports/compliance/export${queryString({ ...keep, format: "csv" })}`}>CSV</a> ·{" "}
        <a href={`/console/reports/compliance/export${queryString({ ...keep, format: "pdf" })}`}>PDF</a>
      </p>
      <p>
        Tỷ lệ đúng hạn cả kỳ: <strong id="total-rate">{percent(report.totals.onTimeRate)}</strong>; điểm tiến
        độ (QĐ 766/QĐ-TTg): <strong>{number(report.totals.progressScore, 2)}</strong>/20; tỷ lệ có phiếu xin
        lỗi: {percent(report.totals.apologyCoverage)}.
      </p>
      <div class="cols">
        <RateChart id="by-month" title="Tỷ lệ giải quyết đúng hạn theo tháng" bars={months} />
        <RateChart
          id="by-agency"
          title="Tỷ lệ giải quyết đúng hạn theo cơ quan"
          bars={byAgency.rows.map((r) => ({ label: r.name ?? r.key ?? "—", value: r.onTimeRate }))}
        />
      </div>
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
              <td>
                {r.name ?? r.key ?? "—"}
                {r.overTarget ? (
                  <strong class="s-late"> (vượt chỉ tiêu {percent(r.maxLateRate)} trễ hạn)</strong>
                ) : null}
              </td>
              <td class="num">{r.received}</td>
              <td class="num">{r.early}</td>
              <td class="num">{r.onTime}</td>
              <td class="num">{r.late}</td>
              <td class="num">{r.openOverdue}</td>
              <td class="num">{percent(r.onTimeRate)}</td>
              <td class="num">{percent(r.apologyCoverage)}</td>
              <td class="num">{r.violations}</td>
              <td class="num">{number(r.progressScore, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>,
  );
}

async function exportFile(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const format = queryParam(c, "format") === "pdf" ? "pdf" : "csv";
  const period = periodOf(c);
  const agency = await scopeAgency(c, period.agency);
  const query = { from: dayStart(period.from), to: dayStart(period.to), asOf: deps.clock.now(), agency };
  let file: Awaited<ReturnType<typeof exportReport>>;
  if (c.req.param("name") === "compliance") {
    const groupParam = queryParam(c, "groupBy");
    const groupBy = groupParam === "field" || groupParam === "procedure" ? groupParam : "agency";
    const report = await complianceReport(db, principal, { ...query, groupBy });
    file = await exportReport(
      db,
      principal,
      query.asOf,
      complianceExport(deps.letterFonts, report, { format, agency }),
    );
  } else if (c.req.param("name") === "repeat-lateness") {
    const thresholdText = queryParam(c, "threshold");
    const threshold =
      thresholdText && /^\d{1,4}$/.test(thresholdText) ? Number(thresholdText) || undefined : undefined;
    const windowParsed = LatenessWindowSchema.safeParse(queryParam(c, "window"));
    const window = windowParsed.success ? windowParsed.data : undefined;
    const report = await repeatLatenessReport(db, principal, { ...query, threshold, window });
    file = await exportReport(
      db,
      principal,
      query.asOf,
      repeatLatenessExport(deps.letterFonts, report, { format, agency, threshold, window }),
    );
  } else {
    throw new ApiError("NOT_FOUND", "Report not found");
  }
  if (!file) throw new ApiError("BAD_REQUEST", "format");
  return c.body(file.body as string, 200, {
    "content-type": file.contentType,
    "content-disposition": file.contentDisposition,
  });
}

async function justify(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const body = await readForm(c);
  const input = {
    dossierCode: field(body, "dossierCode"),
    officialId: field(body, "officialId"),
    accepted: field(body, "accepted") === "true",
    reason: field(body, "reason"),
  };
  if (!input.dossierCode || !input.officialId || !input.reason || input.reason.length > 2000)
    throw new ApiError("BAD_REQUEST", "Cần nhập lý do (tối đa 2.000 ký tự).");
  await decideJustification(deps.database.db, principal, input, deps.clock.now());
  return c.redirect(`${dossierHref(input.dossierCode)}?ok=justified`, 303);
}

async function violations(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const ruleParam = queryParam(c, "rule");
  const rule = VIOLATION_RULES.find((r) => r === ruleParam);
  const openParam = queryParam(c, "open");
  const open = openParam === "true" ? true : openParam === "false" ? false : undefined;
  const cursor = queryParam(c, "cursor");
  const page = await listViolations(deps.database.db, principal, { rule, open, cursor, limit: 50 });
  return render(
    c,
    { title: "Vi phạm quy định", active: "violations" },
    <>
      <form class="filters" method="get" action="/console/violations" aria-label="Lọc vi phạm">
        <div>
          <label for="rule">Loại vi phạm</label>
          <select id="rule" name="rule">
            <option value="">Tất cả</option>
            {VIOLATION_RULES.map((r) => (
              <option value={r} selected={r === rule}>
                {RULE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="open">Tình trạng</label>
          <select id="open" name="open">
            <option value="">Tất cả</option>
            <option value="true" selected={open === true}>
              Chưa khắc phục
            </option>
            <option value="false" selected={open === false}>
              Đã khắc phục
            </option>
          </select>
        </div>
        <button type="submit">Lọc</button>
      </form>
      {page.items.length === 0 ? (
        <p>Không có vi phạm nào.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Hồ sơ</th>
              <th>Cơ quan</th>
              <th>Vi phạm</th>
              <th>Phát hiện</th>
              <th>Khắc phục</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((v) => (
              <tr>
                <td>
                  <a href={dossierHref(v.dossier_code)}>{v.dossier_code}</a>
                </td>
                <td>{v.agency_code}</td>
                <td>{RULE_LABELS[v.rule]}</td>
                <td>{dateTime(v.detected_at)}</td>
                <td>{dateTime(v.resolved_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextCursor ? (
        <p class="pager">
          <a
            class="button secondary"
            href={`/console/violations${queryString({ rule, open: openParam, cursor: page.nextCursor })}`}
          >
            Trang sau
          </a>
        </p>
      ) : null}
    </>,
  );
}

const TRIGGERS: Record<string, string> = {
  cron: "Theo lịch",
  cli: "Dòng lệnh",
  api: "API",
  worker: "Worker",
};
const RUN_STATUS: Record<string, string> = {
  running: "Đang chạy",
  succeeded: "Thành công",
  failed: "Thất bại",
};

async function sweeps(c: Context<ConsoleEnv>) {
  if (!canSeeSweeps(c.var.principal))
    throw new ApiError("FORBIDDEN", "Lịch sử quét chỉ dành cho quản trị và thanh tra cấp tỉnh.");
  const runs = await listRuns(c.var.deps.database.db, { limit: 50 });
  return render(
    c,
    { title: "Lịch sử quét hằng đêm", active: "sweeps" },
    runs.length === 0 ? (
      <p>Chưa có lần quét nào.</p>
    ) : (
      <table>
        <thead>
          <tr>
            <th>Lần</th>
            <th>Khởi động</th>
            <th>Tính đến</th>
            <th>Bắt đầu</th>
            <th class="num">Thời gian (giây)</th>
            <th>Kết quả</th>
            <th>Vi phạm mới / khắc phục</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const rules =
              (r.counts as { rules?: Record<string, { new?: number; resolved?: number }> }).rules ?? {};
            const totals = Object.values(rules).reduce<{ new: number; resolved: number }>(
              (t, x) => ({ new: t.new + (x.new ?? 0), resolved: t.resolved + (x.resolved ?? 0) }),
              { new: 0, resolved: 0 },
            );
            return (
              <tr>
                <td>{r.id}</td>
                <td>{TRIGGERS[r.trigger] ?? r.trigger}</td>
                <td>{dateTime(r.asOf)}</td>
                <td>{dateTime(r.startedAt)}</td>
                <td class="num">{r.durationMs === null ? "—" : number(r.durationMs / 1000)}</td>
                <td>
                  {RUN_STATUS[r.status] ?? r.status}
                  {r.errors.length ? <span class="s-late"> ({r.errors.length} lỗi)</span> : null}
                </td>
                <td>
                  {totals.new} / {totals.resolved}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    ),
  );
}

export const reportPages = new Hono<ConsoleEnv>()
  .get("/reports/repeat-lateness", signedIn(INSPECTORS), repeatLateness)
  .get("/reports/compliance", signedIn(INSPECTORS), compliance)
  .get("/reports/:name/export", signedIn(INSPECTORS), exportFile)
  .post("/justifications", signedIn(INSPECTORS), justify)
  .get("/violations", signedIn(), violations)
  .get("/sweeps", signedIn(["admin", "inspector"]), sweeps);
