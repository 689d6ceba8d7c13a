// The official public-sector schedules shipped with the service (DOMAIN §2, its table). Weekdays inside a
// decreed block are `holiday` unless the decision made them a swap (`swap_off`, paid back by a
// `makeup_working` Saturday); weekend days inside a block stay `weekend` but carry the block's name
// so that ledgers read "Tết Nguyên đán" across the whole break.
import { dayNumberOf, isWeekendDay } from "./dates.js";
import type { CalendarDay, CalendarYear } from "./types.js";
import { buildCalendarYear, calendarDay, datesBetween } from "./year-builder.js";

const LC = "Bộ luật Lao động 45/2019/QH14, Điều 112";
const LC_SUBSTITUTE = "Bộ luật Lao động 45/2019/QH14, Điều 111 khoản 3";
const TB_6150 = "Thông báo 6150/TB-LĐTBXH"; // Tết Giáp Thìn and Quốc khánh 2024
const VPCP_2450 = "Công văn 2450/VPCP-KGVX ngày 12/4/2024"; // swap 29/4 ↔ 4/5/2024
const VPCP_8726 = "Công văn 8726/VPCP-KGVX ngày 26/11/2024"; // Tết Ất Tỵ, 30/4 swap, Quốc khánh 2025
const NQ_28 = "Nghị quyết 28/2026/QH16"; // Ngày Văn hóa Việt Nam 24/11, from 2026

type Override = Pick<CalendarDay, "kind" | "name" | "legalRef">;

/** A decreed break: weekdays are `holiday` named `label` unless overridden per date. */
function block(
  from: string,
  to: string,
  label: string,
  legalRef: string,
  overrides: Record<string, Override> = {},
): CalendarDay[] {
  return datesBetween(from, to).map((date) => {
    const o = overrides[date];
    if (o) return calendarDay(date, o.kind, o.name, o.legalRef);
    const kind = isWeekendDay(dayNumberOf(date)) ? "weekend" : "holiday";
    return calendarDay(date, kind, label, legalRef);
  });
}

function holiday(date: string, name: string, legalRef = LC): CalendarDay {
  return calendarDay(date, "holiday", name, legalRef);
}

const named = (name: string, legalRef = LC): Override => ({ kind: "holiday", name, legalRef });
const swapOff = (makeUp: string, legalRef: string): Override => ({
  kind: "swap_off",
  name: `Nghỉ hoán đổi (làm bù thứ Bảy ${makeUp})`,
  legalRef,
});
function makeUp(date: string, swapped: string, legalRef: string): CalendarDay {
  return calendarDay(date, "makeup_working", `Làm bù cho ngày nghỉ ${swapped}`, legalRef);
}

const Y2024 = buildCalendarYear(2024, false, [
  holiday("2024-01-01", "Tết Dương lịch"),
  ...block("2024-02-08", "2024-02-14", "Tết Nguyên đán", `${LC}; ${TB_6150}`),
  holiday("2024-04-18", "Giỗ Tổ Hùng Vương"),
  ...block("2024-04-27", "2024-05-01", "Nghỉ lễ 30/4 – 1/5", VPCP_2450, {
    "2024-04-29": swapOff("04/5/2024", VPCP_2450),
    "2024-04-30": named("Ngày Chiến thắng"),
    "2024-05-01": named("Quốc tế Lao động"),
  }),
  makeUp("2024-05-04", "29/4/2024", VPCP_2450),
  ...block("2024-08-31", "2024-09-03", "Quốc khánh", `${LC}; ${TB_6150}`),
]);

const Y2025 = buildCalendarYear(2025, false, [
  holiday("2025-01-01", "Tết Dương lịch"),
  ...block("2025-01-25", "2025-02-02", "Tết Nguyên đán", `${LC}; ${VPCP_8726}`),
  holiday("2025-04-07", "Giỗ Tổ Hùng Vương"),
  makeUp("2025-04-26", "02/5/2025", VPCP_8726),
  ...block("2025-04-30", "2025-05-04", "Nghỉ lễ 30/4 – 1/5", VPCP_8726, {
    "2025-04-30": named("Ngày Chiến thắng"),
    "2025-05-01": named("Quốc tế Lao động"),
    "2025-05-02": swapOff("26/4/2025", VPCP_8726),
  }),
  ...block("2025-08-30", "2025-09-02", "Quốc khánh", `${LC}; ${VPCP_8726}`),
]);

const Y2026 = buildCalendarYear(2026, false, [
  ...block("2026-01-01", "2026-01-04", "Tết Dương lịch", LC, {
    "2026-01-02": swapOff("10/01/2026", LC),
  }),
  makeUp("2026-01-10", "02/01/2026", LC),
  ...block("2026-02-14", "2026-02-22", "Tết Nguyên đán", LC),
  // Giỗ Tổ (10/3 âm lịch) falls on Sunday 26/4: the holiday itself, then the next working day off.
  holiday("2026-04-26", "Giỗ Tổ Hùng Vương"),
  calendarDay("2026-04-27", "substitute", "Nghỉ bù Giỗ Tổ Hùng Vương", LC_SUBSTITUTE),
  ...block("2026-04-30", "2026-05-03", "Nghỉ lễ 30/4 – 1/5", LC, {
    "2026-04-30": named("Ngày Chiến thắng"),
    "2026-05-01": named("Quốc tế Lao động"),
  }),
  makeUp("2026-08-22", "31/8/2026", LC),
  ...block("2026-08-29", "2026-09-02", "Quốc khánh", LC, {
    "2026-08-31": swapOff("22/8/2026", LC),
  }),
  holiday("2026-11-24", "Ngày Văn hóa Việt Nam", NQ_28),
]);

/** The shipped, confirmed schedules by year. */
export const OFFICIAL_YEARS: ReadonlyMap<number, CalendarYear> = new Map([
  [2024, Y2024],
  [2025, Y2025],
  [2026, Y2026],
]);
