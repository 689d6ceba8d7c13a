// The bridge from a loaded dossier to its attribution, and the `responsible[]` of its detail view.
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import type { DossierState } from "../deadlines/types.js";
import { attributeDossier, type Responsible } from "../reports/attribution.js";
import type { LoadedDossier } from "./detail.js";

/** Attribution of one loaded dossier (its state already computed as of asOf). */
export function responsibleOf(
  loaded: LoadedDossier,
  index: WorkingTimeIndex,
  asOf: Date,
  state: DossierState,
): Responsible[] {
  return attributeDossier(
    index,
    {
      agencyCode: loaded.agency.code,
      state,
      steps: loaded.steps,
      allotments: loaded.procedure?.steps ?? [],
      justifications: loaded.justifications,
    },
    asOf,
  );
}

/** DOMAIN §5 `responsible[]`: instants as ISO strings, the internal minutes left out. */
export function responsibleView(entries: readonly Responsible[]) {
  return entries.map((entry) => {
    if (entry.kind === "unattributed") return entry;
    const { overrunMinutes: _, stepDueAt, justification, ...rest } = entry;
    return {
      ...rest,
      stepDueAt: stepDueAt.toISOString(),
      justification: justification
        ? { ...justification, decidedAt: justification.decidedAt.toISOString() }
        : null,
    };
  });
}
