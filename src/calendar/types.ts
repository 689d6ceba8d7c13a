// The calendar as data (DOMAIN §2): every day that is not an ordinary working weekday.

/**
 * - `weekend`: Saturday or Sunday (QĐ 188/1999/QĐ-TTg: the public sector works Monday to Friday).
 * - `holiday`: a statutory day off (Bộ luật Lao động, Điều 112), also when it falls on a weekend.
 * - `substitute`: a weekday off because a holiday fell on a weekly rest day (nghỉ bù).
 * - `swap_off`: a weekday off in exchange for a make-up Saturday (hoán đổi ngày làm việc).
 * - `makeup_working`: a decreed make-up working day (làm bù), usually a Saturday; it **is** working.
 */
export const CALENDAR_DAY_KINDS = ["weekend", "holiday", "substitute", "swap_off", "makeup_working"] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export interface CalendarDay {
  /** Local date in Asia/Ho_Chi_Minh, YYYY-MM-DD. */
  date: string;
  kind: CalendarDayKind;
  /** Vietnamese name shown in ledgers and letters, e.g. "Tết Nguyên đán"; null for plain weekends. */
  name: string | null;
  legalRef: string | null;
}

export interface CalendarYear {
  year: number;
  /** Generated from the Labour Code rules; stays provisional until an admin confirms it. */
  provisional: boolean;
  /** Every non-ordinary day of the year, in date order, at most one entry per date. */
  days: CalendarDay[];
}
