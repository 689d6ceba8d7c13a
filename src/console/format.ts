// What the console shows in Vietnamese: local dates and times, states, rules, kinds.
import type { CalendarDayKind } from "../calendar/types.js";
import type { DossierState } from "../dossiers/state-sql.js";
import { localParts } from "../letters/dates.js";
import type { ViolationRule } from "../sweep/schema.js";

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

type When = Date | string | null | undefined;
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

/** "2025-02-12T16:30" for an <input type="datetime-local">, in local time. */
export function localInputValue(value: When): string {
  const at = dateOf(value);
  if (!at) return "";
  const p = localParts(at);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** The instant of a datetime-local value typed in Viet Nam's time; null when malformed. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const at = new Date(`${value}:00+07:00`);
  return Number.isNaN(at.getTime()) ? null : at;
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

export const RULE_LABELS: Record<ViolationRule, string> = {
  late_without_apology: "Trễ hạn mà không có phiếu xin lỗi",
  apology_after_deadline: "Phiếu xin lỗi phát hành muộn",
  late_after_reappointment: "Trễ cả ngày hẹn lại",
  multiple_supplement_requests: "Yêu cầu bổ sung nhiều lần",
  appointment_beyond_statutory: "Ngày hẹn vượt thời hạn quy định",
  appointment_moved_silently: "Ngày hẹn bị lùi không có lý do",
  inconsistent_record: "Dữ liệu không nhất quán",
};

export const DAY_KIND_LABELS: Record<CalendarDayKind | "working" | "outside_hours", string> = {
  working: "Ngày làm việc",
  weekend: "Nghỉ cuối tuần",
  holiday: "Nghỉ lễ, Tết",
  substitute: "Nghỉ bù",
  swap_off: "Nghỉ hoán đổi",
  makeup_working: "Làm bù",
  outside_hours: "Ngoài giờ làm việc",
};

export const STATUS_LABELS: Record<number, string> = {
  1: "Mới",
  2: "Đã tiếp nhận",
  3: "Không tiếp nhận",
  4: "Đang xử lý",
  5: "Yêu cầu bổ sung",
  6: "Chờ nghĩa vụ tài chính",
  7: "Rút hồ sơ",
  8: "Dừng xử lý",
  9: "Đã xử lý xong",
  10: "Đã trả kết quả",
};

export const PAUSE_LABELS: Record<string, string> = {
  supplement: "Yêu cầu bổ sung",
  financial: "Chờ thực hiện nghĩa vụ tài chính",
};

export const ROLE_LABELS: Record<string, string> = {
  admin: "Quản trị",
  system: "Hệ thống",
  inspector: "Thanh tra",
  officer: "Cán bộ một cửa",
};

/** "12,5 giờ": Vietnamese decimal comma. */
export const number = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? "—" : n.toLocaleString("vi-VN", { maximumFractionDigits: digits });

export const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined
    ? "—"
    : `${(rate * 100).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} %`;
