// What the console shows in Vietnamese: local dates and times, states, rules, kinds. Instants and
// states read as on the status page a letter's QR code opens (format/vietnamese.ts); the rest is the console's.
import type { CalendarDayKind } from "../calendar/types.js";
import { dateOnly, pad2, type When } from "../format/vietnamese.js";
import type { ViolationRule } from "../sweep/schema.js";

export {
  dateOnly,
  dateTime,
  dayMonth,
  localDay,
  STATE_LABELS,
  timeOnly,
} from "../format/vietnamese.js";

/**
 * A local date as typed in the console: dd/mm/yyyy, as Vietnamese officials write it (the
 * browser's own date input follows the browser's locale, often mm/dd/yyyy), or yyyy-mm-dd as URLs
 * and bookmarks carry it. The ISO date ("2025-02-07"), or null when it is not a real date.
 */
export function parseDay(text: string | undefined): string | null {
  const value = text?.trim() ?? "";
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = vn
    ? [Number(vn[3]), Number(vn[2]), Number(vn[1])]
    : iso
      ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
      : [0, 0, 0];
  if (year < 1990 || year > 2099) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** "07/02/2025" from an ISO date, for a date field's value. */
export const dayInputValue = (isoDay: string | undefined | null) =>
  isoDay ? `${isoDay.slice(8, 10)}/${isoDay.slice(5, 7)}/${isoDay.slice(0, 4)}` : "";

/** 00:00 of a local day in Viet Nam. */
export const localDayStart = (isoDay: string) => new Date(`${isoDay}T00:00:00+07:00`);

/** The instant of a local date (dd/mm/yyyy) and time (HH:MM, 24 h) typed in Viet Nam; null when malformed. */
export function fromLocalFields(day: string, time: string): Date | null {
  const date = parseDay(day);
  const hm = /^(\d{1,2})[:hg](\d{2})$/.exec(time.trim());
  if (!date || !hm || Number(hm[1]) > 23 || Number(hm[2]) > 59) return null;
  return new Date(`${date}T${pad2(Number(hm[1]))}:${hm[2]}:00+07:00`);
}

/** The local date of an instant as a date field shows it: "07/02/2025". */
export const dateFieldValue = (value: When) => (value === null || value === undefined ? "" : dateOnly(value));

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

export const DELIVERY_LABELS: Record<string, string> = {
  in_person: "Trao trực tiếp",
  post: "Bưu chính",
  email: "Thư điện tử",
  sms: "Tin nhắn SMS",
  portal: "Cổng dịch vụ công",
};

export const WINDOW_LABELS: Record<string, string> = {
  month: "tháng",
  quarter: "quý",
  year: "năm",
};

/** "tháng", "quý", "30 ngày liên tiếp": a repeat-lateness window as an inspector reads it. */
export function windowLabel(window: string): string {
  const rolling = /^rolling_days:(\d+)$/.exec(window);
  return rolling ? `${rolling[1]} ngày liên tiếp` : (WINDOW_LABELS[window] ?? window);
}

export const ROLE_LABELS: Record<string, string> = {
  admin: "Quản trị",
  system: "Hệ thống",
  inspector: "Thanh tra",
  officer: "Cán bộ một cửa",
};

/** "1.234,5": Vietnamese thousands dot and decimal comma. */
export const number = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? "—" : n.toLocaleString("vi-VN", { maximumFractionDigits: digits });

/** "1.234": a count. */
export const count = (n: number | null | undefined) => number(n, 0);

/** "86,1 %": a rate in 0..1. */
export const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined
    ? "—"
    : `${(rate * 100).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} %`;
