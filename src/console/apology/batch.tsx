// Batch issue: the dossiers picked on a list, one form for their common fields, and the outcome of
// each. The pages are ./batch-view.tsx.
import type { Context } from "hono";
import { ApiError } from "../../http/errors.js";
import { issueBatch, MAX_BATCH_ITEMS } from "../../letters/batch.js";
import { apologyDraft } from "../../letters/draft.js";
import type { ConsoleEnv } from "../env.js";
import { fields, readForm } from "../form.js";
import type { Flash } from "../layout.js";
import { render } from "../page.js";
import { BatchForm, BatchOutcome } from "./batch-view.js";
import { issueRequestOf } from "./request.js";

export async function batchForm(c: Context<ConsoleEnv>) {
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

export async function batchIssue(c: Context<ConsoleEnv>) {
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
