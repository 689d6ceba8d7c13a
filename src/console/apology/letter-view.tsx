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

type Delivery = LetterDetail["deliveries"][number];

/** What became of a delivery: logged by hand, or the e-mail's outcome. */
function outcomeOf(d: Delivery): string {
  if (d.status === "recorded") return "Đã ghi nhận";
  if (d.status === "sent")
    return `Đã gửi tới ${d.recipient ?? ""} (mã thư ${d.messageId ?? "—"}, ${d.attempts} lần thử)`;
  if (d.status === "failed") return `Gửi không thành công tới ${d.recipient ?? ""}: ${d.lastError ?? ""}`;
  return `Đang gửi tới ${d.recipient ?? ""} (nếu kéo dài: không rõ kết quả, không gửi lại tự động)`;
}

function Deliveries(props: { letter: LetterDetail }) {
  if (props.letter.deliveries.length === 0) return <p id="no-deliveries">Chưa ghi nhận lần gửi nào.</p>;
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>Hình thức</th>
          <th>Thời điểm</th>
          <th>Kết quả</th>
          <th>Ghi chú</th>
        </tr>
      </thead>
      <tbody>
        {props.letter.deliveries.map((d) => (
          <tr>
            <td data-label="Hình thức">{DELIVERY_LABELS[d.channel] ?? d.channel}</td>
            <td data-label="Thời điểm">{dateTime(d.deliveredAt)}</td>
            <td data-label="Kết quả">{outcomeOf(d)}</td>
            <td data-label="Ghi chú">{d.note ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Sends the stored (signed) PDF by e-mail; the key makes a double submit one e-mail. */
function EmailForm(props: { id: number; csrfToken: string; idempotencyKey: string }) {
  return (
    <form method="post" action={`/console/letters/${props.id}/email`} class="no-print">
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
      <div class="filters">
        <div>
          <label for="emailTo">Địa chỉ thư điện tử (để trống: địa chỉ trong hồ sơ)</label>
          <input id="emailTo" name="to" type="email" maxlength={320} />
        </div>
        <button type="submit">Gửi phiếu qua thư điện tử</button>
      </div>
    </form>
  );
}

/** Signed or not, and where a citizen verifies it. */
function Signature(props: { letter: LetterDetail }) {
  const { signature, statusPath, sha256 } = props.letter;
  return (
    <>
      <dt>Chữ ký số</dt>
      <dd id="letter-signature">
        {signature
          ? `Đã ký số (${signature.level}): ${signature.signerName}${signature.organization ? `, ${signature.organization}` : ""} — ${dateTime(signature.signedAt)}`
          : "Chưa ký số: chưa cấu hình chứng thư số cho cơ quan (phiếu phát hành không có chữ ký số)"}
      </dd>
      <dt>SHA-256 của tệp</dt>
      <dd>
        <code>{sha256}</code>
      </dd>
      <dt>Trang tra cứu công khai</dt>
      <dd>{statusPath ? <a href={statusPath}>{statusPath}</a> : "Đã thu hồi"}</dd>
    </>
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
  /** E-mail is configured here (SMTP_HOST). */
  canEmail: boolean;
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
        <Signature letter={letter} />
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
      {props.canDeliver && props.canEmail ? (
        <EmailForm id={letter.id} csrfToken={props.csrfToken} idempotencyKey={crypto.randomUUID()} />
      ) : null}
      {props.canDeliver ? (
        <DeliveryForm id={letter.id} fields={props.delivery} csrfToken={props.csrfToken} />
      ) : null}
    </>
  );
}
