// One dossier's page: its facts and dues, its apology letter (or the way to one), the clock ledger
// on a time axis with the due marked, the processing steps, pauses, responsibility and violations.
import type { dossierViews } from "../../casefile/view.js";
import { dossierHref, Scroll, StateBadge } from "../components.js";
import { dateOnly, dateTime, number, PAUSE_LABELS, RULE_LABELS, STATUS_LABELS } from "../format.js";
import type { AgencyNames } from "../names.js";
import { Responsibility } from "./responsibility.js";
import { LETTER_STATES } from "./table.js";
import { LedgerSection } from "./timeline.js";

type Detail = DossierViews["detail"];

function Facts(props: { d: Detail }) {
  const { d } = props;
  return (
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
        <dd title={d.agency.code}>{d.agency.name}</dd>
        <dt>Tiếp nhận</dt>
        <dd>{dateTime(d.receivedAt)}</dd>
        <dt>Có kết quả</dt>
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
        <dt>Hạn gửi phiếu xin lỗi</dt>
        <dd>{dateTime(d.apologyWindowStartsAt)}</dd>
        <dt>Ngày hẹn lại</dt>
        <dd>{dateTime(d.reappointedDueAt)}</dd>
        <dt>Thời gian chậm</dt>
        <dd>
          {number(d.lateness.hours)} giờ ({number(d.lateness.days)} ngày làm việc)
        </dd>
      </dl>
    </div>
  );
}

function LetterSection(props: { d: Detail; canIssue: boolean }) {
  const { d } = props;
  if (d.letter) {
    return (
      <>
        <p>
          Số <strong>{d.letter.number}</strong>, phát hành {dateTime(d.letter.issuedAt)},{" "}
          {d.letter.newDueAt
            ? `hẹn lại ${dateTime(d.letter.newDueAt)}`
            : "phiếu xin lỗi sau khi trả kết quả (không hẹn lại)"}
          .
        </p>
        <p class="actions">
          <a class="button" href={`/console/letters/${d.letter.id}`}>
            Xem phiếu và việc gửi
          </a>
          <a class="button secondary" href={`/console/letters/${d.letter.id}/pdf?download=1`}>
            Tải PDF
          </a>
        </p>
      </>
    );
  }
  const owed = LETTER_STATES.includes(d.state);
  return (
    <p>
      Chưa có phiếu.{" "}
      {props.canIssue && owed ? (
        <a class="button" href={`${dossierHref(d.code)}/apology`}>
          Lập phiếu xin lỗi
        </a>
      ) : null}
    </p>
  );
}

function Steps(props: { d: Detail }) {
  return (
    <Scroll label="Quá trình xử lý">
      <table class="stack">
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
          {props.d.steps.map((s) => (
            <tr>
              <td data-label="Bước">{s.seq}</td>
              <td data-label="Cán bộ">
                <span>
                  {s.officialName ?? "—"}
                  {s.title ? <span class="code">{s.title}</span> : null}
                </span>
              </td>
              <td data-label="Phòng ban">{s.department ?? "—"}</td>
              <td data-label="Bắt đầu">{dateTime(s.startedAt)}</td>
              <td data-label="Hạn bước">{dateTime(s.dueAt)}</td>
              <td data-label="Kết thúc">{dateTime(s.endedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function Pauses(props: { d: Detail }) {
  if (props.d.pauses.length === 0) return <p>Không có.</p>;
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>Lý do tạm dừng</th>
          <th>Từ</th>
          <th>Đến</th>
        </tr>
      </thead>
      <tbody>
        {props.d.pauses.map((p) => (
          <tr>
            <td data-label="Lý do">
              {PAUSE_LABELS[p.kind] ?? p.kind}
              {p.reason ? `: ${p.reason}` : ""}
            </td>
            <td data-label="Từ">{dateTime(p.startedAt)}</td>
            <td data-label="Đến">{p.endedAt ? dateTime(p.endedAt) : "đang tạm dừng"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export type DossierViews = Awaited<ReturnType<typeof dossierViews>>;

/** The dossier's page: renders what ./detail.tsx read. */
export function DossierView(props: {
  views: DossierViews;
  names: AgencyNames;
  canIssue: boolean;
  canJudge: boolean;
  csrfToken: string;
}) {
  const { views, names } = props;
  const d = views.detail;
  return (
    <>
      <p class="actions no-print">
        <a href="/console/dossiers">← Danh sách hồ sơ</a>
        <button type="button" class="secondary" data-print>
          In trang này
        </button>
      </p>
      <Facts d={d} />
      <h2>Phiếu xin lỗi</h2>
      <LetterSection d={d} canIssue={props.canIssue} />
      <h2>Dòng thời gian (sổ theo dõi thời gian)</h2>
      <LedgerSection ledger={views.ledger} dueAt={d.bindingDueAt} finished={d.finishedAt ?? d.returnedAt} />
      <h2>Quá trình xử lý</h2>
      <Steps d={d} />
      <h2>Tạm dừng</h2>
      <Pauses d={d} />
      <h2>Trách nhiệm chậm muộn</h2>
      <Responsibility
        code={d.code}
        entries={d.responsible}
        csrfToken={props.csrfToken}
        canJudge={props.canJudge}
        names={names}
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
    </>
  );
}
