// Officer pages: the dashboard of their scope, the dossier list, one dossier with its clock ledger.
import { Hono } from "hono";
import type { ConsoleEnv } from "../env.js";
import { signedIn } from "../guard.js";
import { dashboard } from "./dashboard.js";
import { dossierPage } from "./detail.js";
import { dossierList } from "./list.js";

export const dossierPages = new Hono<ConsoleEnv>()
  .get("/dashboard", signedIn(), dashboard)
  .get("/dossiers", signedIn(), dossierList)
  .get("/dossiers/:code", signedIn(), dossierPage);
