// The confirmation: exactly the letter issuing it would write (its text, from the same function the
// PDF is drawn with), the warnings, and the one button that issues. The form carries the letter's
// fingerprint: if the dossier or the letter changes before the click, the issue is refused.
import type { LetterPlan } from "../../letters/issue.js";
import { letterContent } from "../../letters/render.js";
import { dossierHref } from "../components.js";
import { dateTime } from "../format.js";
import { Csrf } from "../layout.js";
import { Warnings } from "./form-view.js";
import type { TypedFields } from "./request.js";

/** The letter's text laid out like the paper: header, number left blank, title, body, closing. */
export function LetterPaper(props: { plan: LetterPlan }) {
  const content = letterContent({ ...props.plan.snapshot, draft: true });
  const [left, right] = [
    content.agencyLines,
    ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
  ];
  return (
    <article class="paper" aria-label="Nội dung phiếu sẽ phát hành">
      <div class="head">
        <div>
          {left.map((line, i) => (i === left.length - 1 ? <strong>{line}</strong> : <div>{line}</div>))}
          <div>
            <span class="blank">{content.numberLine}</span>
          </div>
        </div>
        <div>
          <strong>{right[0]}</strong>
          <div>
            <strong>{right[1]}</strong>
          </div>
          <em>{content.placeAndDate}</em>
        </div>
      </div>
      <p class="title">{content.title}</p>
      <p style="text-align:center">{content.addressee}</p>
      {content.paragraphs.map((p) =>
        p.italic ? (
          <p>
            <em>{p.text}</em>
          </p>
        ) : (
          <p>{p.text}</p>
        ),
      )}
      <div class="cols">
        <div>
          <strong>
            <em>{content.recipientsTitle}</em>
          </strong>
          {content.recipients.map((r) => (
            <div>- {r}</div>
          ))}
        </div>
        <div class="sign">
          {content.signerTitleLines.map((l) => (
            <div>
              <strong>{l.toLocaleUpperCase("vi-VN")}</strong>
            </div>
          ))}
          <p class="muted">(ký, đóng dấu)</p>
          <strong>{content.signerName}</strong>
        </div>
      </div>
    </article>
  );
}

export function Confirmation(props: {
  code: string;
  plan: LetterPlan;
  fields: TypedFields;
  csrfToken: string;
}) {
  const { plan, fields } = props;
  const action = `${dossierHref(props.code)}/apology`;
  const hidden = (name: keyof TypedFields) => <input type="hidden" name={name} value={fields[name]} />;
  return (
    <>
      <form method="post" action={action}>
        <Csrf token={props.csrfToken} />
        {hidden("reason")}
        {plan.kind === "reappointment" ? (
          <>
            {hidden("newDueDay")}
            {hidden("newDueTime")}
          </>
        ) : null}
        {hidden("signerName")}
        {hidden("signerTitle")}
        <input type="hidden" name="confirmed" value={plan.fingerprint} />
        <p>
          {plan.kind === "after_the_fact"
            ? "Phiếu xin lỗi sau khi trả kết quả: không đề nghị gia hạn, không hẹn lại ngày trả."
            : `Ngày hẹn trả kết quả mới: ${dateTime(plan.snapshot.newDueAt)} — chỉ được hẹn lại một lần, không sửa được sau khi phát hành.`}{" "}
          Số phiếu được cấp khi phát hành. Mỗi hồ sơ chỉ có một phiếu: sau khi phát hành không thể hủy hay lập
          phiếu khác.
        </p>
        <Warnings warnings={plan.warnings} heading="Lưu ý trước khi phát hành" />
        <div class="actions">
          <button type="submit" class="danger">
            Phát hành phiếu
          </button>
          <button type="submit" class="secondary" formaction={`${action}/edit`} formnovalidate>
            Sửa lại
          </button>
          <button type="submit" class="secondary" formaction={`${action}/preview`} formtarget="_blank">
            Xem bản nháp PDF
          </button>
        </div>
      </form>
      <h2>Nội dung phiếu</h2>
      <LetterPaper plan={plan} />
    </>
  );
}
