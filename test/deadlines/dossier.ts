// Test helper: a dossier's clock facts with sensible defaults.

import type { DossierPause } from "../../src/deadlines/dossier-record.js";
import type { DeadlineInput, ProcessingTime } from "../../src/deadlines/types.js";
import { at } from "../calendar/local-time.js";

export const days = (amount: number): ProcessingTime => ({ unit: "days", amount });
export const hours = (amount: number): ProcessingTime => ({ unit: "hours", amount });

export function dossier(
  receivedAt: string,
  processingTime: ProcessingTime | null,
  rest: Partial<DeadlineInput> = {},
): DeadlineInput {
  return {
    receivedAt: at(receivedAt),
    processingTime,
    supplementPolicy: "pause",
    pauses: [],
    promisedDueAt: null,
    finishedAt: null,
    returnedAt: null,
    status: 4,
    ...rest,
  };
}

export function pause(
  kind: DossierPause["kind"],
  from: string,
  to: string | null,
  reason: string | null = null,
): DossierPause {
  return { kind, startedAt: at(from), endedAt: to === null ? null : at(to), reason };
}
