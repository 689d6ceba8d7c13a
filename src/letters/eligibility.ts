// Who may get an apology letter, and which new appointment it may give (DOMAIN §6). Pure: the
// deadlines come from the engine as of the request's time, the working time from the agency's index.
import { localDayOf, localIsoDateOf } from "../calendar/dates.js";
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import type { DossierStatus } from "../deadlines/dossier-record.js";
import { dossierState } from "../deadlines/engine.js";
import type { Deadlines, DossierState } from "../deadlines/types.js";

export type Ineligibility =
  /** Rejected (3), withdrawn (7) or stopped (8): not judged, no letter. */
  | "closed"
  /** Finished early or on time: there is nothing to apologise for. */
  | "finished_on_time"
  /** Open, and the apology window (binding due − 1 working day) has not started. */
  | "before_apology_window"
  /** Open with neither a promised nor a statutory due: it cannot be late yet. */
  | "no_due";

export type Eligibility =
  | { eligible: true; state: DossierState }
  | { eligible: false; state: DossierState; reason: Ineligibility; message: string };

const MESSAGES: Record<Ineligibility, string> = {
  closed: "The dossier is closed (rejected, withdrawn or stopped): it gets no apology letter",
  finished_on_time: "The dossier finished on time: it gets no apology letter",
  before_apology_window:
    "The apology window has not started: a letter may be issued from 1 working day before the binding due",
  no_due: "The dossier has no binding due (no promised due and no processing time): it cannot be late yet",
};

/**
 * DOMAIN §6 "When": from the start of the apology window of an open dossier (state due_soon), any
 * time after it is overdue, or once it finished late; never for closed dossiers or for dossiers
 * that finished early or on time.
 */
export function apologyEligibility(deadlines: Deadlines, status: DossierStatus, now: Date): Eligibility {
  const state = dossierState(deadlines, status, now);
  const refuse = (reason: Ineligibility): Eligibility => ({
    eligible: false,
    state,
    reason,
    message: MESSAGES[reason],
  });
  switch (state) {
    case "due_soon":
    case "overdue":
    case "late":
      return { eligible: true, state };
    case "closed":
      return refuse("closed");
    case "early":
    case "on_time":
      return refuse("finished_on_time");
    case "on_track":
      return refuse(deadlines.bindingDueAt ? "before_apology_window" : "no_due");
  }
}

/**
 * A time at which a citizen can be given a result: inside one of the agency's working periods on a
 * working day, or exactly at a period's end (17:30), as a due itself may be (DOMAIN §3.3).
 */
export function isAppointmentInstant(index: WorkingTimeIndex, t: number): boolean {
  return index.isWorkingInstant(t) || index.instantAtOrdinalMs(index.ordinalMs(t)) === t;
}

export type AppointmentProblem = "outside_calendar" | "not_working_time" | "not_after_now" | "not_after_due";

export interface AppointmentCheck {
  problem: AppointmentProblem;
  message: string;
  /** For a day off: its kind and name ("holiday", "Tết Nguyên đán"). */
  day?: { date: string; kind: string; name: string | null };
}

/**
 * DOMAIN §6: the new appointment is a working time after now and after the current binding due.
 * Null when it is acceptable.
 */
export function checkAppointment(
  index: WorkingTimeIndex,
  newDueAt: Date,
  now: Date,
  bindingDueAt: Date | null,
): AppointmentCheck | null {
  const t = newDueAt.getTime();
  if (!(t > now.getTime())) {
    return { problem: "not_after_now", message: "The new appointment must be later than now" };
  }
  if (bindingDueAt && !(t > bindingDueAt.getTime())) {
    return {
      problem: "not_after_due",
      message: `The new appointment must be later than the binding due (${bindingDueAt.toISOString()})`,
    };
  }
  let working: boolean;
  try {
    working = isAppointmentInstant(index, t);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { problem: "outside_calendar", message: "The new appointment is outside the working calendar" };
  }
  if (working) return null;
  const date = localIsoDateOf(t);
  const entry = index.calendarEntry(localDayOf(t));
  if (entry && !index.isWorkingDay(localDayOf(t))) {
    return {
      problem: "not_working_time",
      message: `The new appointment falls on ${date}, a day off (${entry.name ?? entry.kind})`,
      day: { date, kind: entry.kind, name: entry.name },
    };
  }
  return {
    problem: "not_working_time",
    message: `The new appointment is outside the agency's working hours on ${date}`,
  };
}
