// An issued letter, the one state after issue: what was issued, the stored PDF to download or
// print, its versions, and its deliveries to the citizen with the form that records one.

import { DELIVERY_CHANNELS } from "../../letters/deliveries.js";
import type { letterDetail } from "../../letters/queries.js";
import { dossierHref } from "../components.js";
import { DELIVERY_LABELS, dateFieldValue, dateTime, timeOnly } from "../format.js";
import { Csrf } from "../layout.js";

export type LetterDetail = Awaited<ReturnType<typeof letterDetail>>;

export interface DeliveryFields {
  channel: string;
  day: string;
  time: string;
  note: string;
}

export const deliveryDefaults = (now: Date): DeliveryFields => ({
  channel: "in_person",
  day: dateFieldValue(now),
  time: timeOnly(now),
  note: "",
});

function Deliveries(props: { letter: LetterDetail }) {
  if (props.letter.deliveries.length === 0) return <p id="no-deliveries">Chưa ghi nhận lần gửi nào.</p>;
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>Hình thức</th>
          <th>Thời điểm</th>
          <th>Ghi chú</th>
        </tr>
      </thead>
      <tbody>
        {props.letter.deliveries.map((d) => (
          <tr>
            <td data-label="Hình thức">{DELIVERY_LABELS[d.channel] ?? d.channel}</td>
            <td data-label="Thời điểm">{dateTime(d.deliveredAt)}</td>
            <td data-label="Ghi chú">{d.note ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeliveryForm(props: { id: number; fields: DeliveryFields; csrfToken: string }) {
  const { fields } = props;
  return (
    <form method="post" action={`/console/letters/${props.id}/deliveries`} class="no-print">
      <Csrf token={props.csrfToken} />
      <div class="filters">
        <div>
          <label for="channel">Hình thức gửi</label>
          <select id="channel" name="channel">
            {DELIVERY_CHANNELS.map((c) => (
              <option value={c} selected={c === fields.channel}>
                {DELIVERY_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="deliveredDay">Ngày gửi (ngày/tháng/năm)</label>
          <input
            id="deliveredDay"
            name="day"
            class="day"
            required
            inputmode="numeric"
            pattern="\d{1,2}/\d{1,2}/\d{4}"
            value={fields.day}
          />
        </div>
        <div>
          <label for="deliveredTime">Giờ</label>
          <input
            id="deliveredTime"
            name="time"
            class="time"
            required
            inputmode="numeric"
            pattern="\d{1,2}:\d{2}"
            value={fields.time}
          />
        </div>
        <div>
          <label for="note">Ghi chú</label>
          <input id="note" name="note" maxlength={500} value={fields.note} />
        </div>
        <button type="submit">Ghi nhận đã gửi</button>
      </div>
    </form>
  );
}

export function IssuedLetter(props: {
  letter: LetterDetail;
  canDeliver: boolean;
  delivery: DeliveryFields;
  csrfToken: string;
}) {
  const { letter } = props;
  const pdf = `/console/letters/${letter.id}/pdf`;
  return (
    <>
      <p class="no-print">
        <a href={dossierHref(letter.dossierCode)}>← Về hồ sơ {letter.dossierCode}</a>
      </p>
      <dl class="facts">
        <dt>Số phiếu</dt>
        <dd>
          <strong id="letter-number">{letter.number}</strong>
        </dd>
        <dt>Loại phiếu</dt>
        <dd>
          {letter.kind === "after_the_fact"
            ? "Phiếu xin lỗi sau khi trả kết quả (không hẹn lại)"
            : "Phiếu xin lỗi và hẹn lại ngày trả kết quả"}
        </dd>
        <dt>Phát hành</dt>
        <dd>{dateTime(letter.issuedAt)}</dd>
        <dt>Ngày hẹn trả mới</dt>
        <dd>{letter.newDueAt ? <strong>{dateTime(letter.newDueAt)}</strong> : "Không có"}</dd>
        <dt>Lý do</dt>
        <dd>{letter.reason}</dd>
        <dt>Người ký</dt>
        <dd>
          {letter.signer.name} <span class="muted">({letter.signer.title.replace(/\n/g, ", ")})</span>
        </dd>
        <dt>Phiên bản</dt>
        <dd>
          {letter.version}
          {letter.versions.length > 1 ? (
            <span class="muted">
              {" "}
              (đính chính:{" "}
              {letter.versions
                .filter((v) => v.correctionReason)
                .map((v) => v.correctionReason)
                .join("; ")}
              )
            </span>
          ) : null}
        </dd>
      </dl>
      <div class="actions">
        <a class="button" href={`${pdf}?download=1`}>
          Tải PDF
        </a>
        <a class="button secondary" href={pdf} target="_blank" rel="noopener">
          Mở PDF để in
        </a>
      </div>
      <h2>Gửi phiếu cho người nộp</h2>
      <Deliveries letter={letter} />
      {props.canDeliver ? (
        <DeliveryForm id={letter.id} fields={props.delivery} csrfToken={props.csrfToken} />
      ) : null}
    </>
  );
}
