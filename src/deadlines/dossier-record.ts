// The one internal form every sync format maps onto (DOMAIN §9). Pure data: no I/O.
import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/** Kênh thực hiện: how the dossier was filed. */
export type Channel = "direct" | "online" | "postal";

/**
 * TrangThaiHoSo, the national portal's status codes:
 * 1 new, 2 received, 3 not received (rejected), 4 processing, 5 supplement requested,
 * 6 financial obligation, 7 withdrawn, 8 stopped, 9 processed, 10 returned.
 */
export type DossierStatus = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

export const CLOSED_STATUSES: readonly DossierStatus[] = [3, 7, 8];

/**
 * A status (column or SQL) that is not closed: CLOSED_STATUSES as literals, the very text that the
 * partial indexes on open dossiers are declared with, so that the planner can use them.
 */
export const notClosedSql = (status: SQL | AnyColumn) =>
  sql`${status} NOT IN (${sql.raw(CLOSED_STATUSES.join(", "))})`;
export const DONE_STATUSES: readonly DossierStatus[] = [9, 10];

export type ApplicantKind = "citizen" | "organization";

/** Chủ hồ sơ. Personal data: never logged. */
export interface Applicant {
  name: string;
  idNumber: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  kind: ApplicantKind;
}

/** One entry of the processing history (quá trình xử lý). */
export interface DossierStep {
  seq: number;
  officialId: string | null;
  officialName: string | null;
  title: string | null;
  department: string | null;
  startedAt: Date | null;
  /** NgayKetThucTheoQuyDinh; when null the procedure's step allotment gives it. */
  dueAt: Date | null;
  endedAt: Date | null;
  note: string | null;
}

/** A supplement request (status 5) or a wait for financial obligations (status 6) stops the clock. */
export type PauseKind = "supplement" | "financial";

export interface DossierPause {
  kind: PauseKind;
  startedAt: Date;
  /** null while the pause is still running. */
  endedAt: Date | null;
  reason: string | null;
}

export interface DossierRecord {
  code: string;
  procedureCode: string;
  procedureName: string | null;
  fieldCode: string | null;
  field: string | null;
  agencyCode: string;
  agencyName: string | null;
  channel: Channel;
  applicant: Applicant;
  /** Start of the clock: complete dossier received. */
  receivedAt: Date;
  /** NgayHenTra as last synced. */
  promisedDueAt: Date | null;
  /** NgayKetThucXuLy. */
  finishedAt: Date | null;
  /** NgayTra. */
  returnedAt: Date | null;
  status: DossierStatus;
  steps: DossierStep[];
  pauses: DossierPause[];
  sourceUpdatedAt: Date;
  /**
   * Whether the source sent `sourceUpdatedAt` (canonical records, the portal's NgayCapNhat) or it
   * stands for the latest event the record reports (real one-stop systems send no update time);
   * absent means sent. It decides how the dossier's messages are ordered (src/sync/order.ts).
   */
  sourceStamped?: boolean;
  /** The status code as the source sent it, when it is not the portal code stored in `status`. */
  sourceStatus?: string | null;
  /** What sync assumed or could not read, e.g. "channel_defaulted" (see src/sync/flags.ts). */
  syncFlags?: string[];
  /** The record as received, unknown fields included. */
  raw: unknown;
}
