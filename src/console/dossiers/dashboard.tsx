// The dashboard: the scope's dossiers by state, and what is owed an apology letter now — due soon
// or overdue without a letter, and finished late without one (the apology after the fact). The page
// is ./dashboard-view.tsx.
import type { Context } from "hono";
import { countDossiersByState, type DossierListFilter, listDossiers } from "../../dossiers/list.js";
import type { ConsoleEnv } from "../env.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { DashboardView, OWED } from "./dashboard-view.js";

export async function dashboard(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const asOf = deps.clock.now();
  const base: DossierListFilter = { asOf, limit: 10, hasLetter: false };
  const [counts, names, ...owed] = await Promise.all([
    countDossiersByState(db, principal, asOf),
    agencyNames(db, principal),
    ...OWED.map((o) => listDossiers(db, principal, { ...base, state: o.state })),
  ]);
  return render(
    c,
    { title: "Tổng quan", active: "dashboard" },
    <DashboardView
      asOf={asOf}
      counts={counts}
      owed={owed}
      names={names}
      wide={principal.scopeKind !== "agency"}
      canIssue={principal.role === "officer" || principal.role === "admin"}
    />,
  );
}
