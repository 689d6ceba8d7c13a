import { apologyAfterDeadline } from "./apology-after-deadline.js";
import { appointmentBeyondStatutory } from "./appointment-beyond-statutory.js";
import { appointmentMovedSilently } from "./appointment-moved-silently.js";
import { inconsistentRecord } from "./inconsistent-record.js";
import { lateAfterReappointment } from "./late-after-reappointment.js";
import { lateWithoutApology } from "./late-without-apology.js";
import { multipleSupplementRequests } from "./multiple-supplement-requests.js";
import type { Rule } from "./sql.js";

/** The rules of DOMAIN §7, in the order the sweep runs and reports them. */
export const RULES: readonly Rule[] = [
  lateWithoutApology,
  apologyAfterDeadline,
  lateAfterReappointment,
  multipleSupplementRequests,
  appointmentBeyondStatutory,
  appointmentMovedSilently,
  inconsistentRecord,
];

export type { Rule, RuleContext } from "./sql.js";
