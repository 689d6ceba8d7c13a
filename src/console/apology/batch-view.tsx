// Batch issue: the selected dossiers, each with what its letter will be (the suggested appointment,
// or the apology after the fact) and its warnings, one reason and one signer for all; then the
// outcome per dossier and one PDF to print.
import type { BatchResult } from "../../letters/batch.js";
import { dossierHref, Scroll, StateBadge } from "../components.js";
import { dateTime } from "../format.js";
import { Csrf } from "../layout.js";
import { type Draft, SignerFields } from "./form-view.js";
import { INELIGIBLE, LETTER_EXISTS_TEXT, refusalText, warningText } from "./texts.js";

function WhatItGets(props: { draft: Draft }) {
  const { draft } = props;
  if (draft.existingLetterId !== null) return <>{LETTER_EXISTS_TEXT}</>;
  if (!draft.eligible)
    return <>{INELIGIBLE[draft.ineligibility?.reason ?? ""] ?? draft.ineligibility?.message}</>;
  return (
    <>
      {draft.kind === "after_the_fact"
        ? "Phiếu xin lỗi sau khi trả kết quả (không hẹn lại)"
        : `Hẹn lại ${dateTime(draft.newDueAt)} (đề xuất)`}
      {draft.warnings
        .filter((w) => w.kind !== "after_the_fact")
        .map((w) => (
          <div class="s-due_soon">{warningText(w)}</div>
        ))}
    </>
  );
}

export function BatchForm(props: { drafts: Draft[]; csrfToken: string }) {
  const issuable = props.drafts.filter((d) => d.eligible);
  const signer = props.drafts.find((d) => d.signer)?.signer;
  return (
    <form method="post" action="/console/letters/batch">
      <Csrf token={props.csrfToken} />
      <p>
        Phát hành phiếu cho <strong>{issuable.length}</strong> hồ sơ. Hồ sơ đang giải quyết nhận ngày hẹn mới
        theo đề xuất của hệ thống; hồ sơ đã có kết quả nhận phiếu xin lỗi sau khi trả kết quả. Mỗi hồ sơ chỉ
        có một phiếu: sau khi phát hành không thể hủy.
      </p>
      <Scroll label="Các hồ sơ được chọn">
        <table class="stack">
          <thead>
            <tr>
              <th>Hồ sơ</th>
              <th>Trạng thái</th>
              <th>Phiếu sẽ phát hành</th>
            </tr>
          </thead>
          <tbody>
            {props.drafts.map((d) => (
              <tr>
                <td data-label="Hồ sơ">
                  {d.eligible ? <input type="hidden" name="code" value={d.dossierCode} /> : null}
                  <a href={dossierHref(d.dossierCode)}>{d.dossierCode}</a>
                </td>
                <td data-label="Trạng thái">
                  <StateBadge state={d.state} />
                </td>
                <td data-label="Phiếu">
                  <WhatItGets draft={d} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <div class="field">
        <label for="reason">Lý do chậm trễ (chung cho các hồ sơ)</label>
        <input id="reason" name="reason" required maxlength={2000} class="wide" />
      </div>
      <SignerFields name={signer?.name ?? ""} title={signer?.title ?? ""} />
      <div class="actions">
        <button type="submit" class="danger" disabled={issuable.length === 0}>
          Phát hành {issuable.length} phiếu
        </button>
      </div>
    </form>
  );
}

export function BatchOutcome(props: { items: BatchResult[] }) {
  const issued = props.items.flatMap((i) => ("letter" in i ? [i.letter.id] : []));
  return (
    <>
      <Scroll label="Kết quả từng hồ sơ">
        <table class="stack">
          <thead>
            <tr>
              <th>Hồ sơ</th>
              <th>Kết quả</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((item) => (
              <tr>
                <td data-label="Hồ sơ">
                  <a href={dossierHref(item.dossierCode)}>{item.dossierCode}</a>
                </td>
                <td data-label="Kết quả">
                  {"letter" in item ? (
                    <a href={`/console/letters/${item.letter.id}`}>
                      Số {item.letter.number}
                      {item.letter.newDueAt
                        ? `, hẹn lại ${dateTime(item.letter.newDueAt)}`
                        : ", không hẹn lại"}
                    </a>
                  ) : (
                    refusalText(item.error)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      {issued.length ? (
        <p class="actions">
          <a
            class="button"
            href={`/console/letters/combined?ids=${issued.join(",")}`}
            target="_blank"
            rel="noopener"
          >
            Mở {issued.length} phiếu để in
          </a>
        </p>
      ) : null}
    </>
  );
}
