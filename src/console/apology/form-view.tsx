// The apology form: the reason, the new appointment (only while the dossier is open) and the signer,
// with the warnings that already apply. It leads to the confirmation, never straight to an issue.
import type { apologyDraft } from "../../letters/draft.js";
import { dossierHref } from "../components.js";
import { dateFieldValue, dateTime, timeOnly } from "../format.js";
import { Csrf } from "../layout.js";
import type { TypedFields } from "./request.js";
import { warningText } from "./texts.js";

export type Draft = Awaited<ReturnType<typeof apologyDraft>>;

/** Who signs: the agency's usual signer by default (the last letter's). */
export function SignerFields(props: { name: string; title: string }) {
  return (
    <div class="cols">
      <div class="field">
        <label for="signerName">Họ tên người ký</label>
        <input id="signerName" name="signerName" required maxlength={200} class="wide" value={props.name} />
      </div>
      <div class="field">
        <label for="signerTitle">Chức vụ người ký (mỗi dòng một cấp)</label>
        <textarea id="signerTitle" name="signerTitle" required maxlength={200}>
          {props.title}
        </textarea>
      </div>
    </div>
  );
}

export function Warnings(props: { warnings: Draft["warnings"]; heading: string }) {
  if (props.warnings.length === 0) return null;
  return (
    <section class="warnings" aria-labelledby="warnings-title">
      <h2 id="warnings-title">{props.heading}</h2>
      <ul>
        {props.warnings.map((w) => (
          <li>{warningText(w)}</li>
        ))}
      </ul>
    </section>
  );
}

/** The values the form starts from: what was typed, else the suggestion and the usual signer. */
export function initialFields(draft: Draft, typed?: TypedFields): TypedFields {
  return (
    typed ?? {
      reason: "",
      newDueDay: dateFieldValue(draft.newDueAt),
      newDueTime: timeOnly(draft.newDueAt),
      signerName: draft.signer?.name ?? "",
      signerTitle: draft.signer?.title ?? "",
    }
  );
}

export function ApologyForm(props: { draft: Draft; fields: TypedFields; csrfToken: string }) {
  const { draft, fields } = props;
  const action = `${dossierHref(draft.dossierCode)}/apology`;
  const afterTheFact = draft.kind === "after_the_fact";
  return (
    <>
      <p>
        <a href={dossierHref(draft.dossierCode)}>← Về hồ sơ</a>
      </p>
      <Warnings warnings={draft.warnings} heading="Cần biết trước khi lập phiếu" />
      {afterTheFact ? (
        <p>
          Hồ sơ đã có kết quả lúc <strong>{dateTime(draft.finishedAt)}</strong>, sau hạn giải quyết{" "}
          <strong>{dateTime(draft.bindingDueAt)}</strong>: phiếu là <strong>phiếu xin lỗi</strong> nêu thời
          điểm có kết quả, không đề nghị gia hạn và không hẹn lại ngày trả.
        </p>
      ) : (
        <p>
          Hạn giải quyết: <strong>{dateTime(draft.bindingDueAt)}</strong>. Ngày hẹn mới đề xuất:{" "}
          <strong>{dateTime(draft.newDueAt)}</strong>{" "}
          <span class="muted">(bằng thời hạn giải quyết của thủ tục, từ 1 đến 5 ngày làm việc)</span>.
        </p>
      )}
      <form method="post" action={`${action}/confirm`}>
        <Csrf token={props.csrfToken} />
        <div class="field">
          <label for="reason">Lý do chậm trễ</label>
          <input
            id="reason"
            name="reason"
            list="reasons"
            required
            maxlength={2000}
            class="wide"
            value={fields.reason}
          />
          <datalist id="reasons">
            {draft.reasons.map((r) => (
              <option value={r} />
            ))}
          </datalist>
        </div>
        {afterTheFact ? null : (
          <fieldset class="field filters">
            <legend>Ngày hẹn trả kết quả mới</legend>
            <div>
              <label for="newDueDay">Ngày (ngày/tháng/năm)</label>
              <input
                id="newDueDay"
                name="newDueDay"
                class="day"
                required
                inputmode="numeric"
                placeholder="dd/mm/yyyy"
                pattern="\d{1,2}/\d{1,2}/\d{4}"
                value={fields.newDueDay}
              />
            </div>
            <div>
              <label for="newDueTime">Giờ (24 giờ)</label>
              <input
                id="newDueTime"
                name="newDueTime"
                class="time"
                required
                inputmode="numeric"
                placeholder="16:30"
                pattern="\d{1,2}:\d{2}"
                value={fields.newDueTime}
              />
            </div>
          </fieldset>
        )}
        <SignerFields name={fields.signerName} title={fields.signerTitle} />
        <div class="actions">
          <button type="submit">Tiếp tục: kiểm tra trước khi phát hành</button>
          <button type="submit" class="secondary" formaction={`${action}/preview`} formtarget="_blank">
            Xem trước PDF (bản nháp)
          </button>
        </div>
        <p class="hint">
          Chưa có gì được phát hành ở bước này. Bản nháp PDF có dấu “DỰ THẢO” trên mọi trang và chưa có số.
        </p>
      </form>
    </>
  );
}
