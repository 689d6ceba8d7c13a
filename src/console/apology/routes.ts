// The apology pages of the console: one dossier's letter (./issue.tsx), issued letters
// (./letter.tsx) and batch issue (./batch.tsx); each handler's page is its *-view.tsx.
import { Hono } from "hono";
import { ISSUERS } from "../../letters/routes.js";
import type { ConsoleEnv } from "../env.js";
import { signedIn } from "../guard.js";
import { batchForm, batchIssue } from "./batch.js";
import { confirm, edit, formPage, issue, preview } from "./issue.js";
import { combinedPdf, deliver, email, letterIdOf, letterPage, storedPdf } from "./letter.js";

const READERS = ["admin", "inspector", "officer"] as const;

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
