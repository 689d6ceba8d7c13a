// Inspector pages: repeat lateness with drill-down, compliance with charts and exports, the
// justification form's action, violations and sweep history.
import { type Context, Hono } from "hono";
import { decideJustification } from "../../casefile/justifications.js";
import { ApiError } from "../../http/errors.js";
import { INSPECTORS } from "../../reports/routes.js";
import { dossierHref } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { field, readForm } from "../form.js";
import { signedIn } from "../guard.js";
import { compliance } from "./compliance.js";
import { exportFile } from "./exports.js";
import { repeatLateness } from "./repeat-lateness.js";
import { sweeps } from "./sweeps.js";
import { violations } from "./violations.js";

async function justify(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const body = await readForm(c);
  const input = {
    dossierCode: field(body, "dossierCode"),
    officialId: field(body, "officialId"),
    accepted: field(body, "accepted") === "true",
    reason: field(body, "reason"),
  };
  if (!input.dossierCode || !input.officialId || !input.reason || input.reason.length > 2000)
    throw new ApiError("BAD_REQUEST", "Cần nhập lý do (tối đa 2.000 ký tự).");
  await decideJustification(deps.database.db, principal, input, deps.clock.now());
  return c.redirect(`${dossierHref(input.dossierCode)}?ok=justified`, 303);
}

export const reportPages = new Hono<ConsoleEnv>()
  .get("/reports/repeat-lateness", signedIn(INSPECTORS), repeatLateness)
  .get("/reports/compliance", signedIn(INSPECTORS), compliance)
  .get("/reports/:name/export", signedIn(INSPECTORS), exportFile)
  .post("/justifications", signedIn(INSPECTORS), justify)
  .get("/violations", signedIn(), violations)
  .get("/sweeps", signedIn(["admin", "inspector"]), sweeps);
