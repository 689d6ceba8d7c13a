// What issuing a letter now would write, with issuing's own checks and nothing written: the plan
// the officer confirms, and its draft PDF.
import type { Principal } from "../auth/principal.js";
import { storedCalendar } from "../calendar/store.js";
import type { Db } from "../db/client.js";
import { checkedForIssue, type IssueDeps, type IssueRequest, type LetterPlan } from "./issue.js";
import { renderApologyLetter } from "./render.js";

/**
 * The letter issuing it now would write, with the same checks (404, 409, 422) and nothing written:
 * what the officer confirms, and the source of the draft PDF.
 */
export async function planLetter(
  db: Db,
  deps: IssueDeps,
  principal: Principal,
  code: string,
  request: IssueRequest,
): Promise<LetterPlan> {
  const calendar = await storedCalendar(db);
  return (await checkedForIssue(db, calendar, principal, code, request, deps.clock.now())).plan;
}

/**
 * The draft of the letter issuing it now would write: every page marked as a draft, the number
 * left blank (a printed preview must never pass for the letter, nor announce a number the next
 * letter of the agency may take).
 */
export async function previewLetter(
  db: Db,
  deps: IssueDeps,
  principal: Principal,
  code: string,
  request: IssueRequest,
): Promise<Uint8Array> {
  const plan = await planLetter(db, deps, principal, code, request);
  return renderApologyLetter(deps.letterFonts, { ...plan.snapshot, draft: true });
}
