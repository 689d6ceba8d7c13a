// The clock ledger drawn on a time axis: a bar per stretch (widths by wall-clock time, colours by
// kind, each titled), dated ticks below, and the binding due as a marker — also when it lies after
// the ledger's end (an open dossier before its due), which then stretches the axis to it.
import { DAY_MS } from "../../calendar/dates.js";
import type { LedgerSegment } from "../../deadlines/engine.js";
import { Scroll } from "../components.js";
import { DAY_KIND_LABELS, dateTime, dayMonth, number, PAUSE_LABELS, timeOnly } from "../format.js";

const TICKS = 5;

function segmentLabel(s: LedgerSegment): string {
  const span = `${dateTime(s.from)} – ${dateTime(s.to)}`;
  if (s.kind === "counted")
    return `Tính thời gian: ${span} (${number(s.minutes / 60)} giờ)${s.voidedByRestart ? ", bị hủy do tính lại từ đầu" : ""}`;
  if (s.kind === "paused") return `Tạm dừng (${PAUSE_LABELS[s.pauseKind ?? ""] ?? s.pauseKind}): ${span}`;
  const kind = DAY_KIND_LABELS[s.dayKind ?? "outside_hours"];
  return `Không tính (${kind}${s.dayName ? `: ${s.dayName}` : ""}): ${span}`;
}

export function segmentKind(s: LedgerSegment): string {
  if (s.kind === "counted")
    return s.voidedByRestart ? "Tính thời gian (bị hủy do tính lại)" : "Tính thời gian";
  if (s.kind === "paused") return `Tạm dừng (${PAUSE_LABELS[s.pauseKind ?? ""] ?? s.pauseKind})`;
  const kind = DAY_KIND_LABELS[s.dayKind ?? "outside_hours"];
  return `Không tính (${kind}${s.dayName ? `: ${s.dayName}` : ""})`;
}

const pct = (n: number) => `${n.toFixed(3)}%`;

export function Timeline(props: { segments: LedgerSegment[]; dueAt: Date | null }) {
  const { segments, dueAt } = props;
  if (segments.length === 0) return <p>Chưa có thời gian nào được tính.</p>;
  const start = segments[0].from.getTime();
  const ledgerEnd = segments[segments.length - 1].to.getTime();
  const end = Math.max(ledgerEnd, dueAt?.getTime() ?? 0);
  const span = end - start || 1;
  const at = (t: number) => (100 * (t - start)) / span;
  // Within two days, ticks carry the time of day; beyond, the day.
  const label = (t: number) =>
    span <= 2 * DAY_MS ? `${dayMonth(new Date(t))} ${timeOnly(new Date(t))}` : dayMonth(new Date(t));
  const ticks = Array.from({ length: TICKS }, (_, i) => start + (i * span) / (TICKS - 1));
  const due = dueAt ? at(dueAt.getTime()) : null;
  return (
    <div class="timeline-box">
      <div class="timeline" role="img" aria-label="Dòng thời gian giải quyết hồ sơ, chi tiết ở bảng bên dưới">
        {segments.map((s) => (
          <span
            class={s.voidedByRestart ? "seg-voided" : `seg-${s.kind}`}
            style={`width:${pct((100 * (s.to.getTime() - s.from.getTime())) / span)}`}
            title={segmentLabel(s)}
          />
        ))}
      </div>
      <div class="axis" aria-hidden="true">
        {ticks.map((t, i) => (
          <span
            class={`tick${i === 0 ? " first" : i === TICKS - 1 ? " last" : ""}`}
            style={`left:${pct(at(t))}`}
          >
            {label(t)}
          </span>
        ))}
      </div>
      {due !== null && dueAt ? (
        <div class={`due-marker${due > 60 ? " right" : ""}`} style={`left:${pct(due)}`} id="due-marker">
          <span>Hạn: {dateTime(dueAt)}</span>
        </div>
      ) : null}
    </div>
  );
}

export function Legend() {
  return (
    <p class="legend muted">
      <span class="seg-counted" />
      Tính thời gian
      <span class="seg-paused" />
      Tạm dừng
      <span class="seg-non_working" />
      Ngoài giờ, ngày nghỉ
    </p>
  );
}

type When = Date | string;

/** The ledger of a dossier's page: the time axis, its legend, the total and every stretch. */
export function LedgerSection(props: {
  ledger: {
    asOf: When;
    countedMinutes: number;
    segments: (Omit<LedgerSegment, "from" | "to"> & { from: When; to: When })[];
  };
  dueAt: When | null;
  finished: When | null;
}) {
  const segments = props.ledger.segments.map((s) => ({ ...s, from: new Date(s.from), to: new Date(s.to) }));
  const finished = props.finished;
  const ledgerEnd = segments.at(-1)?.to ?? new Date(props.ledger.asOf);
  return (
    <>
      <Timeline segments={segments} dueAt={props.dueAt ? new Date(props.dueAt) : null} />
      <Legend />
      <p>
        Thời gian đã tính: <strong>{number(props.ledger.countedMinutes / 60)} giờ làm việc</strong>,{" "}
        {finished && new Date(finished) <= ledgerEnd
          ? `đến khi có kết quả lúc ${dateTime(finished)}`
          : `tính đến ${dateTime(props.ledger.asOf)}`}
        .
      </p>
      <details data-print-open>
        <summary>Chi tiết từng đoạn ({segments.length})</summary>
        <Scroll label="Chi tiết từng đoạn thời gian">
          <table class="stack">
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
                  <td data-label="Từ">{dateTime(s.from)}</td>
                  <td data-label="Đến">{dateTime(s.to)}</td>
                  <td data-label="Loại">{segmentKind(s)}</td>
                  <td data-label="Phút tính" class="num">
                    {number(s.minutes, 0)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      </details>
    </>
  );
}
