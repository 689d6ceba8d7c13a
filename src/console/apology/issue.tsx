// The apology flow of one dossier: form → confirmation (exactly the letter, its warnings) → issue,
// and a draft PDF from the form or the confirmation. Every step calls the letters domain, so the
// checks, the cap, the numbering and the audit are the API's; the confirmation's fingerprint makes
// the issue refuse a letter the officer did not see. The pages are ./form-view.tsx, ./confirm-view.tsx.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError } from "../../http/errors.js";
import { apologyDraft } from "../../letters/draft.js";
import { type IssueRequest, issueLetter } from "../../letters/issue.js";
import { planLetter, previewLetter } from "../../letters/preview.js";
import type { ConsoleEnv } from "../env.js";
import { isApiError } from "../errors.js";
import { type FormBody, readForm } from "../form.js";
import type { Flash } from "../layout.js";
import { render } from "../page.js";
import { Confirmation } from "./confirm-view.js";
import { ApologyForm, initialFields } from "./form-view.js";
import { errorFlash, letterPage } from "./letter.js";
import { issueRequestOf, type TypedFields, typedOf } from "./request.js";
import { INELIGIBLE, LETTER_EXISTS_TEXT, refusalText } from "./texts.js";

/** Refusals the pages explain (anything else is the console's error page). */
const REFUSALS = ["LETTER_EXISTS", "NOT_ELIGIBLE", "UNPROCESSABLE", "CONFLICT"] as const;

const codeOf = (c: Context<ConsoleEnv>) => c.req.param("code") ?? "";

/** The form, with what was typed and why it was refused; or why no letter can be issued. */
export async function formPage(
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

export async function confirm(c: Context<ConsoleEnv>) {
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

export async function issue(c: Context<ConsoleEnv>) {
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

export async function preview(c: Context<ConsoleEnv>) {
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

export async function edit(c: Context<ConsoleEnv>) {
  return formPage(c, typedOf(await readForm(c)));
}
