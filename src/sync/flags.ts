// What sync assumed or could not read in a record, kept on the dossier (dossiers.sync_flags) so
// that an officer sees which values are the source's and which are ours.

export const SYNC_FLAGS = {
  channel_defaulted: "KenhThucHien was not sent: filed directly (trực tiếp) is assumed",
  status_inferred: "TrangThaiHoSo was not sent: the status is inferred from the record's times",
  status_unmapped:
    "the source's status code is not a portal code and its source maps it to none: the status is inferred from the record's times",
  applicant_name_missing: "ChuHoSo was empty",
  applicant_kind_unknown: "LoaiDoiTuong was not a known code: a citizen is assumed",
} as const;

export type SyncFlag = keyof typeof SYNC_FLAGS;
