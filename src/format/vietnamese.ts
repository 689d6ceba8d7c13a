// How an instant and a dossier's state read in Vietnamese, alike on the console's screens and on the
// status page a letter's QR code opens to the citizen: local time (Asia/Ho_Chi_Minh), day first.
import { localParts } from "../calendar/dates.js";
import type { DossierState } from "../deadlines/types.js";

/** Two digits, as dates and times are written: "07". */
export const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export type When = Date | string | null | undefined;
const dateOf = (v: When) => (v === null || v === undefined ? null : new Date(v));

/** "07/02/2025 10:00" in Asia/Ho_Chi_Minh; "—" when absent. */
export function dateTime(value: When): string {
  const at = dateOf(value);
  if (!at) return "—";
  const p = localParts(at);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

export function dateOnly(value: When): string {
  const at = dateOf(value);
  if (!at) return "—";
  const p = localParts(at);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}

/** "10:00" in local time; "" when absent. */
export function timeOnly(value: When): string {
  const at = dateOf(value);
  if (!at) return "";
  const p = localParts(at);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** "07/02": day and month, for axis ticks. */
export function dayMonth(value: When): string {
  const at = dateOf(value);
  if (!at) return "—";
  const p = localParts(at);
  return `${pad2(p.day)}/${pad2(p.month)}`;
}

/** The local date (Asia/Ho_Chi_Minh) of an instant as an ISO date: "2025-02-07". */
export function localDay(at: Date): string {
  const p = localParts(at);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

export const STATE_LABELS: Record<DossierState, string> = {
  on_track: "Trong hạn",
  due_soon: "Sắp đến hạn",
  overdue: "Quá hạn",
  early: "Hoàn thành trước hạn",
  on_time: "Hoàn thành đúng hạn",
  late: "Hoàn thành quá hạn",
  closed: "Đã đóng",
};
