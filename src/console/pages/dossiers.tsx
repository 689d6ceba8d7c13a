// Officer pages: the agency's dashboard, the dossier list, one dossier with its clock ledger.
import { type Context, Hono } from "hono";
import { agencyForPrincipal } from "../../catalog/agencies.js";
import type { LedgerSegment } from "../../deadlines/engine.js";
import {
  countDossiersByState,
  type DossierListFilter,
  type DossierListRow,
  listDossiers,
} from "../../dossiers/list.js";
import { DOSSIER_STATES, type DossierState } from "../../dossiers/state-sql.js";
import { dossierViews } from "../../dossiers/view.js";
import type { ConsoleEnv } from "../env.js";
import { queryParam } from "../form.js";
import {
  DAY_KIND_LABELS,
  dateOnly,
  dateTime,
  number,
  PAUSE_LABELS,
  RULE_LABELS,
  STATE_LABELS,
  STATUS_LABELS,
} from "../format.js";
import { signedIn } from "../guard.js";
import { render } from "../page.js";
import { dossierHref, queryString, StateBadge } from "./components.js";

const PAGE_SIZE = 25;
/** States in which a letter may be owed (SPEC §5): the apology window, overdue, finished late. */
const LETTER_STATES: readonly DossierState[] = ["due_soon", "overdue", "late"];

function DossierTable(props: { rows: DossierListRow[]; selectable?: boolean }) {
  return (
    <table>
      <thead>
        <tr>
          {props.selectable ? (
            <th>
              <span class="muted">Chọn</span>
            </th>
          ) : null}
          <th>Mã hồ sơ</th>
          <th>Người nộp</th>
          <th>Thủ tục</th>
          <th>Tiếp nhận</th>
          <th>Hạn giải quyết</th>
          <th>Trạng thái</th>
          <th>Phiếu xin lỗi</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            {props.selectable ? (
              <td>
                {LETTER_STATES.includes(r.state) && !r.has_letter ? (
                  <input
                    type="checkbox"
                    name="code"
                    value={r.code}
                    id={`pick-${r.code}`}
                    aria-label={`Chọn hồ sơ ${r.code}`}
                  />
                ) : null}
              </td>
            ) : null}
            <td>
              <a href={dossierHref(r.code)}>{r.code}</a>
            </td>
            <td>{r.applicant_name}</td>
            <td>{r.procedure_name ?? r.procedure_code}</td>
            <td>{dateTime(r.received_at)}</td>
            <td>{dateTime(r.binding_due_at)}</td>
            <td>
              <StateBadge state={r.state} />
            </td>
            <td>{r.has_letter ? "Đã có" : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

async function dashboard(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const asOf = deps.clock.now();
  const base: DossierListFilter = { asOf, limit: 20, hasLetter: false };
  const [counts, inWindow, overdue] = await Promise.all([
    countDossiersByState(db, principal, asOf),
    listDossiers(db, principal, { ...base, state: "due_soon" }),
    listDossiers(db, principal, { ...base, state: "overdue" }),
  ]);
  return render(
    c,
    { title: "Tổng quan", active: "dashboard" },
    <>
      <p class="muted">Tính đến {dateTime(asOf)}.</p>
      <section aria-labelledby="counts">
        <h2 id="counts">Hồ sơ theo trạng thái</h2>
        <div class="cards">
          {DOSSIER_STATES.map((s) => (
            <a class="card" href={`/console/dossiers${queryString({ state: s })}`}>
              <span class="n">{counts.byState[s] ?? 0}</span>
              {STATE_LABELS[s]}
            </a>
          ))}
        </div>
      </section>
      <section aria-labelledby="today">
        <h2 id="today">Cần phát hành phiếu xin lỗi hôm nay</h2>
        <p>
          Trong thời hạn xin lỗi (trước hạn 1 ngày làm việc), chưa có phiếu:{" "}
          <strong>{counts.withoutLetter.due_soon ?? 0}</strong>. Quá hạn chưa có phiếu:{" "}
          <strong>{counts.withoutLetter.overdue ?? 0}</strong>. Đã trả quá hạn chưa có phiếu:{" "}
          <strong>{counts.withoutLetter.late ?? 0}</strong>.
        </p>
        <form method="get" action="/console/letters/batch">
          <h3>Quá hạn, chưa có phiếu</h3>
          {overdue.items.length ? (
            <DossierTable rows={overdue.items} selectable />
          ) : (
            <p>Không có hồ sơ nào.</p>
          )}
          <h3>Trong thời hạn xin lỗi, chưa có phiếu</h3>
          {inWindow.items.length ? (
            <DossierTable rows={inWindow.items} selectable />
          ) : (
            <p>Không có hồ sơ nào.</p>
          )}
          {overdue.items.length + inWindow.items.length > 0 ? (
            <p>
              <button type="submit">Phát hành phiếu cho các hồ sơ đã chọn</button>
            </p>
          ) : null}
        </form>
      </section>
    </>,
  );
}

function parseDate(value: string | undefined): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const at = new Date(`${value}T00:00:00+07:00`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

async function dossierList(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const stateParam = queryParam(c, "state");
  const state = DOSSIER_STATES.find((s) => s === stateParam);
  const q = queryParam(c, "q")?.slice(0, 100);
  const agency = queryParam(c, "agency");
  const from = queryParam(c, "from");
  const to = queryParam(c, "to");
  const cursor = queryParam(c, "cursor");
  if (agency) await agencyForPrincipal(db, principal, agency);
  const page = await listDossiers(db, principal, {
    asOf: deps.clock.now(),
    state,
    q,
    agency,
    from: parseDate(from),
    to: parseDate(to),
    limit: PAGE_SIZE,
    cursor,
  });
  const keep = { state, q, agency, from, to };
  return render(
    c,
    { title: "Hồ sơ", active: "dossiers" },
    <>
      <form class="filters" method="get" action="/console/dossiers" aria-label="Tìm và lọc hồ sơ">
        <div>
          <label for="q">Mã hồ sơ hoặc người nộp</label>
          <input id="q" name="q" type="search" value={q ?? ""} />
        </div>
        <div>
          <label for="state">Trạng thái</label>
          <select id="state" name="state">
            <option value="">Tất cả</option>
            {DOSSIER_STATES.map((s) => (
              <option value={s} selected={s === state}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        {principal.scopeKind !== "agency" ? (
          <div>
            <label for="agency">Mã cơ quan</label>
            <input id="agency" name="agency" value={agency ?? ""} size={16} />
          </div>
        ) : null}
        <div>
          <label for="from">Tiếp nhận từ ngày</label>
          <input id="from" name="from" type="date" value={from ?? ""} />
        </div>
        <div>
          <label for="to">đến trước ngày</label>
          <input id="to" name="to" type="date" value={to ?? ""} />
        </div>
        <button type="submit">Lọc</button>
      </form>
      <form method="get" action="/console/letters/batch">
        {page.items.length ? (
          <DossierTable rows={page.items} selectable />
        ) : (
          <p>Không có hồ sơ nào phù hợp.</p>
        )}
        <div class="pager">
          {cursor ? (
            <a class="button secondary" href={`/console/dossiers${queryString(keep)}`}>
              Trang đầu
            </a>
          ) : null}
          {page.nextCursor ? (
            <a
              class="button secondary"
              href={`/console/dossiers${queryString({ ...keep, cursor: page.nextCursor })}`}
            >
              Trang sau
            </a>
          ) : null}
          {principal.role !== "inspector" && page.items.length ? (
            <button type="submit">Phát hành phiếu cho các hồ sơ đã chọn</button>
          ) : null}
        </div>
      </form>
    </>,
  );
}

function segmentKind(s: LedgerSegment): string {
  if (s.kind === "counted")
    return s.voidedByRestart ? "Tính thời gian (bị hủy do tính lại)" : "Tính thời gian";
  if (s.kind === "paused") return `Tạm dừng (${PAUSE_LABELS[s.pauseKind ?? ""] ?? s.pauseKind})`;
  const kind = DAY_KIND_LABELS[s.dayKind ?? "outside_hours"];
  return `Không tính (${kind}${s.dayName ? `: ${s.dayName}` : ""})`;
}

function segmentLabel(s: LedgerSegment): string {
  const span = `${dateTime(s.from)} – ${dateTime(s.to)}`;
  if (s.kind === "counted")
    return `Tính thời gian: ${span} (${number(s.minutes / 60)} giờ)${s.voidedByRestart ? ", bị hủy do tính lại từ đầu" : ""}`;
  if (s.kind === "paused") return `Tạm dừng (${PAUSE_LABELS[s.pauseKind ?? ""] ?? s.pauseKind}): ${span}`;
  const kind = DAY_KIND_LABELS[s.dayKind ?? "outside_hours"];
  return `Không tính (${kind}${s.dayName ? `: ${s.dayName}` : ""}): ${span}`;
}

/** The ledger drawn as a bar: widths by wall-clock time, colours by kind, every piece titled. */
function Timeline(props: { segments: LedgerSegment[] }) {
  const total = props.segments.reduce((sum, s) => sum + (s.to.getTime() - s.from.getTime()), 0) || 1;
  return (
    <>
      <div class="timeline" role="img" aria-label="Dòng thời gian giải quyết hồ sơ">
        {props.segments.map((s) => (
          <span
            class={s.voidedByRestart ? "seg-voided" : `seg-${s.kind}`}
            style={`width:${((100 * (s.to.getTime() - s.from.getTime())) / total).toFixed(3)}%`}
            title={segmentLabel(s)}
          />
        ))}
      </div>
      <p class="legend muted">
        <span class="seg-counted" />
        Tính thời gian
        <span class="seg-paused" />
        Tạm dừng
        <span class="seg-non_working" />
        Ngoài giờ, ngày nghỉ
      </p>
    </>
  );
}

type ResponsibleEntry = Awaited<ReturnType<typeof dossierViews>>["detail"]["responsible"][number];

/** Who made the dossier late, and for inspectors the form that accepts or refuses their reason. */
function Responsibility(props: {
  code: string;
  entries: ResponsibleEntry[];
  csrfToken: string;
  canJudge: boolean;
}) {
  if (props.entries.length === 0) return <p>Không có.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Cán bộ</th>
          <th>Bước chậm đầu tiên</th>
          <th class="num">Số giờ vượt</th>
          <th>Lý do chính đáng</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((r, i) =>
          r.kind === "unattributed" ? (
            <tr>
              <td colspan={4}>Chưa xác định được cá nhân (cơ quan {r.agencyCode})</td>
            </tr>
          ) : (
            <tr>
              <td>
                {r.officialName ?? r.officialId} {r.primary ? <strong>(chính)</strong> : null}
                <br />
                <span class="muted">
                  {r.title ?? ""} {r.department ?? ""}
                </span>
              </td>
              <td>
                Bước {r.stepSeq}, hạn {dateTime(r.stepDueAt)}
              </td>
              <td class="num">{number(r.overrunHours, 2)}</td>
              <td>
                {r.justification ? (
                  <p>
                    {r.justification.accepted ? "Được chấp nhận" : "Không chấp nhận"}:{" "}
                    {r.justification.reason}{" "}
                    <span class="muted">
                      ({r.justification.decidedBy.name}, {dateTime(r.justification.decidedAt)})
                    </span>
                  </p>
                ) : (
                  <p class="muted">Chưa xem xét.</p>
                )}
                {props.canJudge ? (
                  <form method="post" action="/console/justifications" class="no-print">
                    <input type="hidden" name="_csrf" value={props.csrfToken} />
                    <input type="hidden" name="dossierCode" value={props.code} />
                    <input type="hidden" name="officialId" value={r.officialId} />
                    <label for={`reason-${i}`}>Lý do</label>
                    <textarea id={`reason-${i}`} name="reason" required maxlength={2000} />
                    <button type="submit" name="accepted" value="true">
                      Chấp nhận lý do chính đáng
                    </button>{" "}
                    <button type="submit" name="accepted" value="false" class="danger">
                      Không chấp nhận
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}

async function dossierPage(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const code = c.req.param("code") ?? "";
  const views = await dossierViews(deps.database.db, principal, code, deps.clock.now());
  const d = views.detail;
  const segments = views.ledger.segments.map((s) => ({ ...s, from: new Date(s.from), to: new Date(s.to) }));
  const canIssue = principal.role === "officer" || principal.role === "admin";
  return render(
    c,
    { title: `Hồ sơ ${d.code}`, active: "dossiers" },
    <>
      <p class="no-print">
        <a href="/console/dossiers">← Danh sách hồ sơ</a>{" "}
        <button type="button" class="secondary" onclick="window.print()">
          In trang này
        </button>
      </p>
      <div class="cols">
        <dl class="facts">
          <dt>Trạng thái</dt>
          <dd>
            <StateBadge state={d.state} /> <span class="muted">({STATUS_LABELS[d.status] ?? d.status})</span>
          </dd>
          <dt>Người nộp</dt>
          <dd>{d.applicant.name}</dd>
          <dt>Thủ tục</dt>
          <dd>{d.procedure.name ?? d.procedure.code}</dd>
          <dt>Cơ quan giải quyết</dt>
          <dd>{d.agency.name}</dd>
          <dt>Tiếp nhận</dt>
          <dd>{dateTime(d.receivedAt)}</dd>
          <dt>Hoàn thành</dt>
          <dd>{dateTime(d.finishedAt ?? d.returnedAt)}</dd>
        </dl>
        <dl class="facts">
          <dt>Hạn theo quy định</dt>
          <dd>{dateTime(d.statutoryDueAt)}</dd>
          <dt>Ngày hẹn trả</dt>
          <dd>{dateTime(d.promisedDueAt)}</dd>
          <dt>Hạn áp dụng</dt>
          <dd>
            <strong>{dateTime(d.bindingDueAt)}</strong>
          </dd>
          <dt>Bắt đầu thời hạn xin lỗi</dt>
          <dd>{dateTime(d.apologyWindowStartsAt)}</dd>
          <dt>Ngày hẹn lại</dt>
          <dd>{dateTime(d.reappointedDueAt)}</dd>
          <dt>Số giờ chậm</dt>
          <dd>
            {number(d.lateness.hours)} giờ ({number(d.lateness.days)} ngày làm việc)
          </dd>
        </dl>
      </div>

      <h2>Phiếu xin lỗi và hẹn lại ngày trả kết quả</h2>
      {d.letter ? (
        <p>
          Số <strong>{d.letter.number}</strong>, phát hành {dateTime(d.letter.issuedAt)}, hẹn lại{" "}
          {dateTime(d.letter.newDueAt)}.{" "}
          <a class="button" href={`/console/letters/${d.letter.id}/pdf?download=1`}>
            Tải PDF
          </a>{" "}
          <a
            class="button secondary"
            href={`/console/letters/${d.letter.id}/pdf`}
            target="_blank"
            rel="noopener"
          >
            Mở để in
          </a>
        </p>
      ) : (
        <p>
          Chưa có phiếu.{" "}
          {canIssue ? (
            <a class="button" href={`${dossierHref(d.code)}/apology`}>
              Lập phiếu xin lỗi
            </a>
          ) : null}
        </p>
      )}

      <h2>Dòng thời gian (sổ theo dõi thời gian)</h2>
      <Timeline segments={segments} />
      <p>
        Thời gian đã tính: <strong>{number(views.ledger.countedMinutes / 60)} giờ làm việc</strong>, tính đến{" "}
        {dateTime(views.ledger.asOf)}.
      </p>
      <details>
        <summary>Chi tiết từng đoạn ({segments.length})</summary>
        <table>
          <thead>
            <tr>
              <th>Từ</th>
              <th>Đến</th>
              <th>Loại</th>
              <th class="num">Phút tính</th>
            </tr>
          </thead>
          <tbody>
            {segments.map((s) => (
              <tr>
                <td>{dateTime(s.from)}</td>
                <td>{dateTime(s.to)}</td>
                <td>{segmentKind(s)}</td>
                <td class="num">{s.minutes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <h2>Quá trình xử lý</h2>
      <table>
        <thead>
          <tr>
            <th>Bước</th>
            <th>Cán bộ</th>
            <th>Phòng ban</th>
            <th>Bắt đầu</th>
            <th>Hạn bước</th>
            <th>Kết thúc</th>
          </tr>
        </thead>
        <tbody>
          {d.steps.map((s) => (
            <tr>
              <td>{s.seq}</td>
              <td>
                {s.officialName ?? "—"} <span class="muted">{s.title ?? ""}</span>
              </td>
              <td>{s.department ?? "—"}</td>
              <td>{dateTime(s.startedAt)}</td>
              <td>{dateTime(s.dueAt)}</td>
              <td>{dateTime(s.endedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Tạm dừng</h2>
      {d.pauses.length ? (
        <table>
          <thead>
            <tr>
              <th>Lý do tạm dừng</th>
              <th>Từ</th>
              <th>Đến</th>
            </tr>
          </thead>
          <tbody>
            {d.pauses.map((p) => (
              <tr>
                <td>
                  {PAUSE_LABELS[p.kind] ?? p.kind}
                  {p.reason ? `: ${p.reason}` : ""}
                </td>
                <td>{dateTime(p.startedAt)}</td>
                <td>{dateTime(p.endedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Không có.</p>
      )}

      <h2>Trách nhiệm chậm muộn</h2>
      <Responsibility
        code={d.code}
        entries={d.responsible}
        csrfToken={c.var.csrfToken}
        canJudge={principal.role === "inspector" || principal.role === "admin"}
      />

      <h2>Vi phạm</h2>
      {d.violations.length ? (
        <ul>
          {d.violations.map((v) => (
            <li>
              {RULE_LABELS[v.rule as keyof typeof RULE_LABELS] ?? v.rule} — phát hiện {dateOnly(v.detectedAt)}
              {v.resolvedAt ? `, đã khắc phục ${dateOnly(v.resolvedAt)}` : ", chưa khắc phục"}
            </li>
          ))}
        </ul>
      ) : (
        <p>Không có.</p>
      )}
    </>,
  );
}

export const dossierPages = new Hono<ConsoleEnv>()
  .get("/dashboard", signedIn(), dashboard)
  .get("/dossiers", signedIn(), dossierList)
  .get("/dossiers/:code", signedIn(), dossierPage);
