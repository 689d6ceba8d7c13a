// Dates as a Vietnamese administrative document writes them, in local time (Asia/Ho_Chi_Minh).
import { localParts } from "../calendar/dates.js";

/** "2025-07-01": the local calendar date, used to pick the form in force. */
export function localIsoDate(at: Date): string {
  const { year, month, day } = localParts(at);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/**
 * "Ninh Sơn, ngày 07 tháng 02 năm 2025". Nghị định 30/2020/NĐ-CP, Phụ lục I: days below
 * 10 and the months 1 and 2 take a leading zero; other months do not ("ngày 24 tháng 3").
 */
export function placeAndDate(place: string, at: Date): string {
  const { year, month, day } = localParts(at);
  const monthText = month <= 2 ? pad2(month) : String(month);
  return `${place}, ngày ${pad2(day)} tháng ${monthText} năm ${year}`;
}

/** "10 giờ 00 phút, ngày 24/01/2025": an appointment or receipt time in local time. */
export function timeAndDate(at: Date): string {
  const { year, month, day, hour, minute } = localParts(at);
  return `${pad2(hour)} giờ ${pad2(minute)} phút, ngày ${pad2(day)}/${pad2(month)}/${year}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
