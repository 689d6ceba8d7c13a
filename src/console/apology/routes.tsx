// The apology flow in the console: form → confirmation (exactly the letter, its warnings) → issue →
// the issued letter (PDF, print, deliveries); a draft PDF from the form or the confirmation; batch
// issue. Every step calls the letters domain, so the checks, the cap, the numbering and the audit
// are the API's; the confirmation's fingerprint makes the issue refuse a letter the officer did not see.
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../http/errors.js";
import { issueBatch, MAX_BATCH_ITEMS } from "../../letters/batch.js";
import { recordDelivery } from "../../letters/deliveries.js";
import { apologyDraft } from "../../letters/draft.js";
import { deliverByEmail } from "../../letters/email/deliver.js";
import { type IssueRequest, issueLetter, planLetter, previewLetter } from "../../letters/issue.js";
import { currentSnapshots, letterDetail, letterPdf } from "../../letters/queries.js";
import { renderCombinedLetters } from "../../letters/render.js";
import type { DeliveryChannel } from "../../letters/schema.js";
import { pdfContentDisposition } from "../../letters/view.js";
import type { ConsoleEnv } from "../env.js";
import { isApiError } from "../errors.js";
import { type FormBody, field, fields, readForm } from "../form.js";
import { fromLocalFields } from "../format.js";
import { signedIn } from "../guard.js";
import type { Flash } from "../layout.js";
import { render } from "../page.js";
import { BatchForm, BatchOutcome } from "./batch-view.js";
import { Confirmation } from "./confirm-view.js";
import { ApologyForm, initialFields } from "./form-view.js";
import { type DeliveryFields, deliveryDefaults, IssuedLetter } from "./letter-view.js";
import { issueRequestOf, type TypedFields, typedOf } from "./request.js";
import { INELIGIBLE, LETTER_EXISTS_TEXT, refusalText } from "./texts.js";

const ISSUERS = ["admin", "officer"] as const;
const READERS = ["admin", "inspector", "officer"] as const;
/** Refusals the pages explain (anything else is the console's error page). */
const REFUSALS = ["LETTER_EXISTS", "NOT_ELIGIBLE", "UNPROCESSABLE", "CONFLICT"] as const;

const codeOf = (c: Context<ConsoleEnv>) => c.req.param("code") ?? "";
const errorFlash = (text: string): Flash => ({ kind: "error", text });

/** The form, with what was typed and why it was refused; or why no letter can be issued. */
async function formPage(
  c: Context<ConsoleEnv>,
  typed?: TypedFields,
  flash?: Flash,
  status?: ContentfulStatusCode,
) {
  const { deps, principal } = c.var;
  const draft = await apologyDraft(deps.database.db, principal, codeOf(c), deps.clock.now());
  if (draft.existingLetterId !== null)
    return letterPage(c, draft.existingLetterId, errorFlash(LETTER_EXISTS_TEXT), 409);
  const title = `Phiếu xin lỗi — hồ sơ ${draft.dossierCode}`;
  if (!draft.eligible) {
    const reason = INELIGIBLE[draft.ineligibility?.reason ?? ""] ?? draft.ineligibility?.message ?? "";
    return render(
      c,
      { title, active: "dossiers", flash: errorFlash(reason), status: status ?? 200 },
      <p>
        <a href={`/console/dossiers/${encodeURIComponent(draft.dossierCode)}`}>← Về hồ sơ</a>
      </p>,
    );
  }
  return render(
    c,
    { title, active: "dossiers", flash: flash ?? null, status },
    <ApologyForm draft={draft} fields={initialFields(draft, typed)} csrfToken={c.var.csrfToken} />,
  );
}

/** The page for a refusal of the letters domain: the issued letter if there is one, else the form. */
function refusedPage(c: Context<ConsoleEnv>, error: ApiError, body: FormBody) {
  if (error.code === "LETTER_EXISTS") {
    return letterPage(c, Number(error.details?.letterId), errorFlash(LETTER_EXISTS_TEXT), 409);
  }
  return formPage(c, typedOf(body), errorFlash(refusalText(error)), error.status as ContentfulStatusCode);
}

async function confirmationPage(
  c: Context<ConsoleEnv>,
  body: FormBody,
  request: IssueRequest,
  flash?: Flash,
  status?: ContentfulStatusCode,
) {
  const { deps, principal } = c.var;
  const code = codeOf(c);
  const plan = await planLetter(deps.database.db, deps, principal, code, {
    ...request,
    confirmed: undefined,
  });
  return render(
    c,
    { title: `Xác nhận phát hành phiếu — hồ sơ ${code}`, active: "dossiers", flash: flash ?? null, status },
    <Confirmation code={code} plan={plan} fields={typedOf(body)} csrfToken={c.var.csrfToken} />,
  );
}

async function confirm(c: Context<ConsoleEnv>) {
  const body = await readForm(c);
  const parsed = issueRequestOf(body);
  if (parsed.problem !== undefined) return formPage(c, typedOf(body), errorFlash(parsed.problem), 400);
  try {
    return await confirmationPage(c, body, parsed.request);
  } catch (error) {
    if (!isApiError(error, ...REFUSALS)) throw error;
    return refusedPage(c, error, body);
  }
}

async function issue(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const code = codeOf(c);
  const body = await readForm(c);
  const parsed = issueRequestOf(body);
  if (parsed.problem !== undefined) return formPage(c, typedOf(body), errorFlash(parsed.problem), 400);
  try {
    // Nothing is issued without the confirmation of this very letter.
    if (!parsed.request.confirmed) return await confirmationPage(c, body, parsed.request);
    const letter = await issueLetter(deps.database.db, deps, principal, code, parsed.request);
    return c.redirect(`/console/letters/${letter.id}?ok=issued`, 303);
  } catch (error) {
    if (!isApiError(error, ...REFUSALS)) throw error;
    if (error.code !== "CONFLICT") return refusedPage(c, error, body);
    try {
      // Stale: the letter as it would be now, to confirm again.
      return await confirmationPage(c, body, parsed.request, errorFlash(refusalText(error)), 409);
    } catch (again) {
      if (!isApiError(again, ...REFUSALS)) throw again;
      return refusedPage(c, again, body);
    }
  }
}

async function preview(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const body = await readForm(c);
  const parsed = issueRequestOf(body);
  if (parsed.problem !== undefined) return formPage(c, typedOf(body), errorFlash(parsed.problem), 400);
  try {
    const request = { ...parsed.request, confirmed: undefined };
    const pdf = await previewLetter(deps.database.db, deps, principal, codeOf(c), request);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/pdf",
      "content-disposition": 'inline; filename="du-thao-phieu-xin-loi.pdf"',
      "cache-control": "no-store",
    });
  } catch (error) {
    if (!isApiError(error, ...REFUSALS)) throw error;
    return refusedPage(c, error, body);
  }
}

async function edit(c: Context<ConsoleEnv>) {
  return formPage(c, typedOf(await readForm(c)));
}

async function letterPage(
  c: Context<ConsoleEnv>,
  id: number,
  flash?: Flash,
  status?: ContentfulStatusCode,
  delivery?: DeliveryFields,
) {
  const { deps, principal } = c.var;
  const letter = await letterDetail(deps.database.db, principal, id);
  return render(
    c,
    { title: `Phiếu xin lỗi số ${letter.number}`, active: "dossiers", flash, status },
    <IssuedLetter
      letter={letter}
      canDeliver={principal.role === "officer" || principal.role === "admin"}
      canEmail={Boolean(deps.letters?.mailer)}
      delivery={delivery ?? deliveryDefaults(deps.clock.now())}
      csrfToken={c.var.csrfToken}
    />,
  );
}

const letterIdOf = (c: Context<ConsoleEnv>) => {
  const id = Number(c.req.param("id"));
  if (!Number.isSafeInteger(id) || id < 1) throw new ApiError("NOT_FOUND", "Letter not found");
  return id;
};

async function deliver(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const id = letterIdOf(c);
  const body = await readForm(c);
  const typed: DeliveryFields = {
    channel: field(body, "channel"),
    day: field(body, "day"),
    time: field(body, "time"),
    note: field(body, "note"),
  };
  const deliveredAt = fromLocalFields(typed.day, typed.time);
  const channels = ["in_person", "post", "email", "sms", "portal"];
  if (!deliveredAt || !channels.includes(typed.channel) || typed.note.length > 500) {
    const text =
      "Cần chọn hình thức gửi và nhập ngày (ngày/tháng/năm), giờ (giờ:phút); ghi chú tối đa 500 ký tự.";
    return letterPage(c, id, errorFlash(text), 400, typed);
  }
  try {
    await recordDelivery(deps.database.db, deps.clock.now(), principal, id, {
      channel: typed.channel as DeliveryChannel,
      deliveredAt,
      ...(typed.note ? { note: typed.note } : {}),
    });
  } catch (error) {
    if (!isApiError(error, "UNPROCESSABLE")) throw error;
    const text = "Thời điểm gửi phải sau khi phát hành phiếu và không ở tương lai.";
    return letterPage(c, id, errorFlash(text), 422, typed);
  }
  return c.redirect(`/console/letters/${id}?ok=delivered`, 303);
}

/** Sends the stored PDF by e-mail; the form's key makes a double submit one e-mail. */
async function email(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const id = letterIdOf(c);
  const body = await readForm(c);
  const to = field(body, "to").trim();
  const idempotencyKey = field(body, "idempotencyKey") || crypto.randomUUID();
  if (to.length > 320 || (to !== "" && !/^[^\s@]+@[^\s@]+$/.test(to)) || idempotencyKey.length > 200) {
    return letterPage(c, id, errorFlash("Địa chỉ thư điện tử không hợp lệ."), 400);
  }
  try {
    const { row } = await deliverByEmail(deps.database.db, deps, principal, id, {
      ...(to ? { to } : {}),
      idempotencyKey,
    });
    return c.redirect(
      `/console/letters/${id}?ok=${row.status === "failed" ? "email-failed" : "emailed"}`,
      303,
    );
  } catch (error) {
    if (!isApiError(error, "UNPROCESSABLE")) throw error;
    const text =
      "Hồ sơ không có địa chỉ thư điện tử của người nộp, hoặc máy chủ chưa cấu hình gửi thư: nhập địa chỉ.";
    return letterPage(c, id, errorFlash(text), 422);
  }
}

async function storedPdf(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const stored = await letterPdf(deps.database.db, principal, letterIdOf(c));
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

async function batchForm(c: Context<ConsoleEnv>) {
  const codes = [...new Set(c.req.queries("code") ?? [])].slice(0, MAX_BATCH_ITEMS);
  const title = "Phát hành hàng loạt";
  if (codes.length === 0) {
    return render(
      c,
      { title, active: "dossiers" },
      <p>
        Chưa chọn hồ sơ nào. <a href="/console/dossiers">Chọn hồ sơ</a>
      </p>,
    );
  }
  const { deps, principal } = c.var;
  const now = deps.clock.now();
  const drafts = [];
  for (const code of codes) drafts.push(await apologyDraft(deps.database.db, principal, code, now));
  return render(c, { title, active: "dossiers" }, <BatchForm drafts={drafts} csrfToken={c.var.csrfToken} />);
}

async function batchIssue(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const body = await readForm(c);
  const codes = [...new Set(fields(body, "code"))].slice(0, MAX_BATCH_ITEMS);
  const parsed = issueRequestOf(body);
  if (parsed.problem !== undefined || codes.length === 0)
    throw new ApiError("BAD_REQUEST", parsed.problem ?? "Chưa chọn hồ sơ nào.");
  const { newDueAt: _, confirmed: __, ...common } = parsed.request;
  const result = await issueBatch(
    deps.database.db,
    deps,
    principal,
    codes.map((dossierCode) => ({ dossierCode, ...common })),
  );
  const flash: Flash = {
    kind: result.refused ? "error" : "ok",
    text: `Đã phát hành ${result.issued} phiếu, ${result.refused} hồ sơ bị từ chối.`,
  };
  return render(
    c,
    { title: "Kết quả phát hành hàng loạt", active: "dossiers", flash },
    <BatchOutcome items={result.items} />,
  );
}

export const apologyPages = new Hono<ConsoleEnv>()
  .get("/dossiers/:code/apology", signedIn(ISSUERS), (c) => formPage(c))
  .post("/dossiers/:code/apology/confirm", signedIn(ISSUERS), confirm)
  .post("/dossiers/:code/apology/edit", signedIn(ISSUERS), edit)
  .post("/dossiers/:code/apology/preview", signedIn(ISSUERS), preview)
  .post("/dossiers/:code/apology", signedIn(ISSUERS), issue)
  .get("/letters/batch", signedIn(ISSUERS), batchForm)
  .post("/letters/batch", signedIn(ISSUERS), batchIssue)
  .get("/letters/combined", signedIn(READERS), combinedPdf)
  .get("/letters/:id{[0-9]+}", signedIn(READERS), (c) => letterPage(c, letterIdOf(c)))
  .post("/letters/:id{[0-9]+}/deliveries", signedIn(ISSUERS), deliver)
  .post("/letters/:id{[0-9]+}/email", signedIn(ISSUERS), email)
  .get("/letters/:id{[0-9]+}/pdf", signedIn(READERS), storedPdf);
