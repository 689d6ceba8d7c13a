// The apology flow in the console: the form with the suggested new appointment, a PDF preview,
// issue, download and print; batch issue for several dossiers. Every step calls the letters
// domain's functions, so the checks, the cap, the numbering and the audit are the API's.
import { type Context, Hono } from "hono";
import type { Principal } from "../../auth/principal.js";
import { ApiError } from "../../http/errors.js";
import { issueBatch, MAX_BATCH_ITEMS } from "../../letters/batch.js";
import { apologyDraft } from "../../letters/draft.js";
import { type IssueRequest, issueLetter, previewLetter } from "../../letters/issue.js";
import { currentSnapshots, letterPdf } from "../../letters/queries.js";
import { renderCombinedLetters } from "../../letters/render.js";
import { pdfContentDisposition } from "../../letters/view.js";
import type { ConsoleEnv } from "../env.js";
import { isApiError } from "../errors.js";
import { type FormBody, field, fields, readForm } from "../form.js";
import { dateTime, fromLocalInput, localInputValue } from "../format.js";
import { signedIn } from "../guard.js";
import { Csrf, type Flash } from "../layout.js";
import { render } from "../page.js";
import { dossierHref } from "./components.js";

const ISSUERS = ["admin", "officer"] as const;
const READERS = ["admin", "inspector", "officer"] as const;

const INELIGIBLE: Record<string, string> = {
  closed: "Hồ sơ đã bị từ chối, rút hoặc dừng xử lý: không lập phiếu xin lỗi.",
  finished_on_time: "Hồ sơ đã hoàn thành đúng hạn: không lập phiếu xin lỗi.",
  before_apology_window: "Chưa đến thời hạn xin lỗi (1 ngày làm việc trước hạn giải quyết).",
  no_due: "Hồ sơ chưa có hạn giải quyết: chưa thể lập phiếu xin lỗi.",
};

const APPOINTMENT: Record<string, string> = {
  not_after_now: "Ngày hẹn mới phải sau thời điểm hiện tại.",
  not_after_due: "Ngày hẹn mới phải sau hạn giải quyết hiện tại.",
  outside_calendar: "Ngày hẹn mới nằm ngoài lịch làm việc.",
  not_working_time: "Ngày hẹn mới phải rơi vào giờ làm việc của cơ quan.",
};

/** The API's refusal, said in Vietnamese for the page. */
export function refusalText(error: {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}): string {
  const details = error.details ?? {};
  if (error.code === "LETTER_EXISTS")
    return "Hồ sơ này đã có phiếu xin lỗi; mỗi hồ sơ chỉ được hẹn lại một lần, không thể phát hành phiếu thứ hai.";
  if (error.code === "NOT_ELIGIBLE") return INELIGIBLE[String(details.reason)] ?? error.message;
  if (error.code === "UNPROCESSABLE" && details.field === "newDueAt")
    return APPOINTMENT[String(details.problem)] ?? error.message;
  if (error.code === "NOT_FOUND") return "Không tìm thấy hồ sơ, hoặc hồ sơ nằm ngoài phạm vi của bạn.";
  return error.message;
}

interface RequestOrProblem {
  request?: IssueRequest;
  problem?: string;
}

function issueRequestOf(body: FormBody): RequestOrProblem {
  const reason = field(body, "reason");
  const signerName = field(body, "signerName");
  const signerTitle = field(body, "signerTitle").replace(/\r\n/g, "\n");
  const typed = field(body, "newDueAt");
  const newDueAt = typed ? fromLocalInput(typed) : undefined;
  if (!reason || !signerName || !signerTitle)
    return { problem: "Cần nhập lý do, họ tên và chức vụ người ký." };
  if (reason.length > 2000 || signerName.length > 200 || signerTitle.length > 200)
    return { problem: "Lý do hoặc thông tin người ký quá dài." };
  if (newDueAt === null) return { problem: "Ngày hẹn mới không đúng định dạng." };
  return { request: { reason, signerName, signerTitle, ...(newDueAt ? { newDueAt } : {}) } };
}

async function apologyForm(
  c: Context<ConsoleEnv>,
  typed?: FormBody,
  flash?: Flash,
  status?: 409 | 422 | 400,
) {
  const { deps, principal } = c.var;
  const code = c.req.param("code") ?? "";
  const draft = await apologyDraft(deps.database.db, principal, code, deps.clock.now());
  const value = (name: string, fallback: string) => (typed ? field(typed, name) : fallback);
  const action = `${dossierHref(code)}/apology`;
  return render(
    c,
    { title: `Phiếu xin lỗi — hồ sơ ${draft.dossierCode}`, active: "dossiers", flash: flash ?? null, status },
    <>
      <p>
        <a href={dossierHref(code)}>← Về hồ sơ</a>
      </p>
      {draft.existingLetterId !== null ? (
        <div class="flash error" role="alert">
          Hồ sơ này đã có phiếu xin lỗi.{" "}
          <a href={`/console/letters/${draft.existingLetterId}/pdf?download=1`}>Tải phiếu đã phát hành</a>
        </div>
      ) : !draft.eligible ? (
        <div class="flash error" role="alert">
          {INELIGIBLE[draft.ineligibility?.reason ?? ""] ?? draft.ineligibility?.message}
        </div>
      ) : null}
      <p>
        Hạn giải quyết: <strong>{dateTime(draft.bindingDueAt)}</strong>. Ngày hẹn mới đề xuất:{" "}
        <strong>{dateTime(draft.newDueAt)}</strong>{" "}
        <span class="muted">(bằng thời hạn giải quyết của thủ tục, từ 1 đến 5 ngày làm việc)</span>.
      </p>
      <form method="post" action={action}>
        <Csrf token={c.var.csrfToken} />
        <div class="field">
          <label for="reason">Lý do chậm trễ</label>
          <input
            id="reason"
            name="reason"
            list="reasons"
            required
            maxlength={2000}
            style="width: 100%"
            value={value("reason", "")}
          />
          <datalist id="reasons">
            {draft.reasons.map((r) => (
              <option value={r} />
            ))}
          </datalist>
        </div>
        <div class="field">
          <label for="newDueAt">Ngày hẹn trả kết quả mới</label>
          <input
            id="newDueAt"
            name="newDueAt"
            type="datetime-local"
            required
            value={value("newDueAt", localInputValue(draft.newDueAt))}
          />
        </div>
        <SignerFields
          name={value("signerName", draft.signer?.name ?? "")}
          title={value("signerTitle", draft.signer?.title ?? "")}
        />
        <button type="submit" class="secondary" formaction={`${action}/preview`} formtarget="_blank">
          Xem trước PDF
        </button>{" "}
        <button type="submit" disabled={!draft.eligible}>
          Phát hành phiếu
        </button>
      </form>
    </>,
  );
}

async function issue(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const code = c.req.param("code") ?? "";
  const body = await readForm(c);
  const { request, problem } = issueRequestOf(body);
  if (!request) return apologyForm(c, body, { kind: "error", text: problem ?? "" }, 400);
  try {
    await issueLetter(deps.database.db, deps, principal, code, request);
  } catch (error) {
    if (!isApiError(error, "LETTER_EXISTS", "NOT_ELIGIBLE", "UNPROCESSABLE")) throw error;
    return apologyForm(
      c,
      body,
      { kind: "error", text: refusalText(error) },
      error.code === "LETTER_EXISTS" ? 409 : 422,
    );
  }
  return c.redirect(`${dossierHref(code)}?ok=issued`, 303);
}

async function preview(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const code = c.req.param("code") ?? "";
  const body = await readForm(c);
  const { request, problem } = issueRequestOf(body);
  if (!request) return apologyForm(c, body, { kind: "error", text: problem ?? "" }, 400);
  try {
    const pdf = await previewLetter(deps.database.db, deps, principal, code, request);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/pdf",
      "content-disposition": 'inline; filename="xem-truoc-phieu-xin-loi.pdf"',
      "cache-control": "no-store",
    });
  } catch (error) {
    if (!isApiError(error, "LETTER_EXISTS", "NOT_ELIGIBLE", "UNPROCESSABLE")) throw error;
    return apologyForm(
      c,
      body,
      { kind: "error", text: refusalText(error) },
      error.code === "LETTER_EXISTS" ? 409 : 422,
    );
  }
}

async function storedPdf(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const id = Number(c.req.param("id"));
  if (!Number.isSafeInteger(id) || id < 1) throw new ApiError("NOT_FOUND", "Letter not found");
  const stored = await letterPdf(deps.database.db, principal, id);
  const disposition = pdfContentDisposition(stored, stored.version);
  return c.body(stored.pdf as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/pdf",
    "content-disposition": c.req.query("download")
      ? disposition.replace(/^inline/, "attachment")
      : disposition,
    "cache-control": "private, no-cache",
  });
}

async function combinedPdf(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const ids = (c.req.query("ids") ?? "").split(",").map(Number);
  if (ids.length === 0 || ids.length > MAX_BATCH_ITEMS || !ids.every((i) => Number.isSafeInteger(i) && i > 0))
    throw new ApiError("BAD_REQUEST", "Danh sách phiếu không hợp lệ");
  const pdf = renderCombinedLetters(
    deps.letterFonts,
    await currentSnapshots(deps.database.db, principal, ids),
  );
  return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
    "content-type": "application/pdf",
    "content-disposition": `inline; filename="PXL-${ids.length}-phieu.pdf"`,
  });
}

/** Who signs: the agency's usual signer by default (the last letter's). */
function SignerFields(props: { name: string; title: string }) {
  return (
    <div class="cols">
      <div class="field">
        <label for="signerName">Họ tên người ký</label>
        <input
          id="signerName"
          name="signerName"
          required
          maxlength={200}
          style="width: 100%"
          value={props.name}
        />
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

function BatchForm(props: {
  codes: string[];
  csrfToken: string;
  signer?: { name: string; title: string } | null;
}) {
  return (
    <form method="post" action="/console/letters/batch">
      <Csrf token={props.csrfToken} />
      <p>
        Phát hành phiếu cho <strong>{props.codes.length}</strong> hồ sơ; mỗi hồ sơ nhận ngày hẹn mới theo đề
        xuất của hệ thống.
      </p>
      <ul>
        {props.codes.map((code) => (
          <li>
            <input type="hidden" name="code" value={code} />
            <a href={dossierHref(code)}>{code}</a>
          </li>
        ))}
      </ul>
      <div class="field">
        <label for="reason">Lý do chậm trễ (chung cho các hồ sơ)</label>
        <input id="reason" name="reason" required maxlength={2000} style="width: 100%" />
      </div>
      <SignerFields name={props.signer?.name ?? ""} title={props.signer?.title ?? ""} />
      <button type="submit">Phát hành {props.codes.length} phiếu</button>
    </form>
  );
}

async function batchForm(c: Context<ConsoleEnv>) {
  const codes = [...new Set(c.req.queries("code") ?? [])].slice(0, MAX_BATCH_ITEMS);
  if (codes.length === 0) {
    return render(
      c,
      { title: "Phát hành hàng loạt", active: "dossiers" },
      <p>
        Chưa chọn hồ sơ nào. <a href="/console/dossiers">Chọn hồ sơ</a>
      </p>,
    );
  }
  const { deps, principal } = c.var;
  const draft = await apologyDraft(deps.database.db, principal, codes[0], deps.clock.now());
  return render(
    c,
    { title: "Phát hành hàng loạt", active: "dossiers" },
    <BatchForm codes={codes} csrfToken={c.var.csrfToken} signer={draft.signer} />,
  );
}

async function batchIssue(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const body = await readForm(c);
  const codes = [...new Set(fields(body, "code"))].slice(0, MAX_BATCH_ITEMS);
  const { request, problem } = issueRequestOf(body);
  if (!request || codes.length === 0) throw new ApiError("BAD_REQUEST", problem ?? "Chưa chọn hồ sơ nào.");
  const { newDueAt: _, ...common } = request;
  const result = await issueBatch(
    deps.database.db,
    deps,
    principal as Principal,
    codes.map((dossierCode) => ({ dossierCode, ...common })),
  );
  const issued = result.items.flatMap((i) => ("letter" in i ? [i.letter.id] : []));
  return render(
    c,
    {
      title: "Kết quả phát hành hàng loạt",
      active: "dossiers",
      flash: {
        kind: result.refused ? "error" : "ok",
        text: `Đã phát hành ${result.issued} phiếu, ${result.refused} hồ sơ bị từ chối.`,
      },
    },
    <>
      <table>
        <thead>
          <tr>
            <th>Hồ sơ</th>
            <th>Kết quả</th>
          </tr>
        </thead>
        <tbody>
          {result.items.map((item) => (
            <tr>
              <td>
                <a href={dossierHref(item.dossierCode)}>{item.dossierCode}</a>
              </td>
              <td>
                {"letter" in item
                  ? `Số ${item.letter.number}, hẹn lại ${dateTime(item.letter.newDueAt)}`
                  : refusalText(
                      new ApiError(
                        item.error.code as ApiError["code"],
                        item.error.message,
                        item.error.details,
                      ),
                    )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {issued.length ? (
        <p>
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
    </>,
  );
}

export const letterPages = new Hono<ConsoleEnv>()
  .get("/dossiers/:code/apology", signedIn(ISSUERS), (c) => apologyForm(c))
  .post("/dossiers/:code/apology", signedIn(ISSUERS), issue)
  .post("/dossiers/:code/apology/preview", signedIn(ISSUERS), preview)
  .get("/letters/batch", signedIn(ISSUERS), batchForm)
  .post("/letters/batch", signedIn(ISSUERS), batchIssue)
  .get("/letters/combined", signedIn(READERS), combinedPdf)
  .get("/letters/:id/pdf", signedIn(READERS), storedPdf);
