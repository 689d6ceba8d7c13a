// What the service proposes when an officer opens the apology form (DOMAIN §6: "the service
// suggests one"): a new appointment by a fixed rule, and the common reasons, kept as data.
import { z } from "zod";
import reasonsFile from "../../templates/apology-reasons.json" with { type: "json" };
import { MINUTE_MS } from "../calendar/dates.js";
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import { processingMsOf, WORKING_DAY_MS } from "../deadlines/engine.js";
import type { ProcessingTime } from "../deadlines/types.js";
import { isAppointmentInstant } from "./eligibility.js";

/** Extension bounds, in working days, and the extension when the processing time is unknown. */
export const EXTENSION_DAYS = { min: 1, max: 5, whenUnknown: 3 } as const;

export const SUGGESTION_RULE =
  `the later of now and the binding due, plus the procedure's processing time bounded to ` +
  `${EXTENSION_DAYS.min}–${EXTENSION_DAYS.max} working days (${EXTENSION_DAYS.whenUnknown} when it is unknown), ` +
  `through the agency's working time, rounded up to the next half hour when that is still working time`;

/** The extension in working ms: the processing time again, within the bounds. */
export function extensionMs(processingTime: ProcessingTime | null): number {
  if (!processingTime) return EXTENSION_DAYS.whenUnknown * WORKING_DAY_MS;
  const ms = processingMsOf(processingTime);
  return Math.min(Math.max(ms, EXTENSION_DAYS.min * WORKING_DAY_MS), EXTENSION_DAYS.max * WORKING_DAY_MS);
}

const HALF_HOUR_MS = 30 * MINUTE_MS;

/**
 * The proposed new appointment (SUGGESTION_RULE). A citizen is given a round time: the half hour
 * at or after the computed instant when it is still inside working time (UTC+7 is a whole number
 * of hours, so half hours are the same in UTC), else the instant itself (a period's end).
 */
export function suggestAppointment(
  index: WorkingTimeIndex,
  input: { now: Date; bindingDueAt: Date | null; processingTime: ProcessingTime | null },
): Date {
  const base = Math.max(input.now.getTime(), input.bindingDueAt?.getTime() ?? Number.NEGATIVE_INFINITY);
  const target = index.addWorkingMs(base, extensionMs(input.processingTime));
  const rounded = Math.ceil(target / HALF_HOUR_MS) * HALF_HOUR_MS;
  return new Date(isAppointmentInstant(index, rounded) ? rounded : target);
}

const reasonsSchema = z.object({
  description: z.string(),
  reasons: z.array(
    z
      .string()
      .min(1)
      .transform((s) => s.normalize("NFC")),
  ),
});

/** Common reasons (templates/apology-reasons.json), validated at load. */
export const REASON_TEMPLATES: readonly string[] = reasonsSchema.parse(reasonsFile).reasons;
