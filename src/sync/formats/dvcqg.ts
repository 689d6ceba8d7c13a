// The national public-service portal's dossier payload (Cổng Dịch vụ công quốc gia, DVCQG):
// Vietnamese field names, dates as yyyyMMddHHmmss in local time (SPEC §7).
import { z } from "zod";
import type {
  ApplicantKind,
  Channel,
  DossierPause,
  DossierRecord,
  DossierStatus,
} from "../../dossiers/record.js";
import { type MappedRecord, PAUSE_ENDS_BEFORE_START } from "./canonical.js";
import {
  agencyCode,
  code,
  LIMITS,
  optionalPortalDate,
  optionalText,
  portalCode,
  portalDate,
  requiredText,
} from "./fields.js";
import { formatPortalDate } from "./instant.js";

/** KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích. */
const CHANNEL_OF: Record<number, Channel> = { 1: "direct", 2: "online", 3: "postal" };
const CHANNEL_CODE: Record<Channel, number> = { direct: 1, online: 2, postal: 3 };

/**
 * LoaiDoiTuong: 1 công dân → citizen; 2 doanh nghiệp and 3 tổ chức → organization (some vendors
 * split enterprises from other organisations). Absent → citizen, the portal's default subject;
 * the kind only changes how a letter addresses the applicant.
 */
const KIND_OF: Record<number, ApplicantKind> = { 1: "citizen", 2: "organization", 3: "organization" };

/**
 * The official's id when the vendor sends only a name (no MaNguoiXuLy): stable across syncs,
 * scoped to the handling agency because common names repeat, diacritics kept ("Ân" ≠ "An").
 */
export function officialIdFromName(agencyCode: string, name: string): string {
  return `ten:${agencyCode}:${name.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim()}`;
}

const step = z.object({
  MaNguoiXuLy: optionalText(LIMITS.code),
  NguoiXuLy: optionalText(),
  ChucDanh: optionalText(),
  PhongBanXuLy: optionalText(),
  NoiDungXuLy: optionalText(LIMITS.note),
  NgayBatDau: optionalPortalDate(),
  NgayKetThucTheoQuyDinh: optionalPortalDate(),
  ThoiDiemXuLy: optionalPortalDate(),
});

/** Hồ sơ bổ sung: one supplement request, NgayBoSung (asked) → NgayTiepNhanBoSung (received). */
const supplement = z.object({
  NgayBoSung: portalDate(),
  NgayTiepNhanBoSung: optionalPortalDate(),
  NgayHenTraTruoc: optionalPortalDate(),
  NgayHenTraMoi: optionalPortalDate(),
  NoiDungBoSung: optionalText(LIMITS.note),
});

/**
 * Extension, not in the national payload: waits for financial obligations (nghĩa vụ tài chính,
 * status 6), so that financial pauses survive a trip through this format.
 */
const financial = z.object({
  NgayYeuCau: portalDate(),
  NgayHoanThanh: optionalPortalDate(),
  NoiDung: optionalText(LIMITS.note),
});

const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `must have at most ${max} entries`)
    .nullish()
    .transform((list) => list ?? []);

const dvcqgObject = z.object({
  MaHoSo: code(),
  MaTTHC: code(),
  TenTTHC: optionalText(),
  MaLinhVuc: optionalText(LIMITS.code),
  TenLinhVuc: optionalText(),
  KenhThucHien: portalCode([1, 2, 3], "KenhThucHien"),
  ChuHoSo: requiredText(),
  SoGiayToChuHoSo: optionalText(LIMITS.code),
  LoaiDoiTuong: portalCode([1, 2, 3], "LoaiDoiTuong").nullish(),
  SoDienThoai: optionalText(LIMITS.code),
  Email: optionalText(LIMITS.code * 3),
  DiaChi: optionalText(),
  NgayTiepNhan: portalDate(),
  NgayHenTra: optionalPortalDate(),
  TrangThaiHoSo: portalCode([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "TrangThaiHoSo"),
  NgayKetThucXuLy: optionalPortalDate(),
  NgayTra: optionalPortalDate(),
  DonViXuLy: agencyCode(),
  TenDonViXuLy: optionalText(),
  NgayCapNhat: optionalPortalDate(),
  QuaTrinhXuLy: listOf(step, LIMITS.steps),
  DanhSachHoSoBoSung: listOf(supplement, LIMITS.pauses),
  DanhSachNghiaVuTaiChinh: listOf(financial, LIMITS.pauses),
});

type DvcqgParsed = z.output<typeof dvcqgObject>;

function pausesOf(r: DvcqgParsed): DossierPause[] {
  const supplements = r.DanhSachHoSoBoSung.map(
    (s): DossierPause => ({
      kind: "supplement",
      startedAt: s.NgayBoSung,
      endedAt: s.NgayTiepNhanBoSung,
      reason: s.NoiDungBoSung,
    }),
  );
  const financials = r.DanhSachNghiaVuTaiChinh.map(
    (f): DossierPause => ({
      kind: "financial",
      startedAt: f.NgayYeuCau,
      endedAt: f.NgayHoanThanh,
      reason: f.NoiDung,
    }),
  );
  // One timeline from two lists; sort is stable, so supplements come first on equal starts.
  return [...supplements, ...financials].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}

/**
 * NgayCapNhat is optional in vendor payloads. Without it the latest date the record carries stands
 * in: deterministic (re-sending the same record leaves it unchanged, which "now" would not) and it
 * grows as the dossier progresses, so newer versions still win over older ones.
 */
function latestDateOf(r: Omit<MappedRecord, "sourceUpdatedAt">): Date {
  const dates = [
    r.receivedAt,
    r.promisedDueAt,
    r.finishedAt,
    r.returnedAt,
    ...r.steps.flatMap((s) => [s.startedAt, s.dueAt, s.endedAt]),
    ...r.pauses.flatMap((p) => [p.startedAt, p.endedAt]),
  ].filter((d): d is Date => d !== null);
  return new Date(Math.max(...dates.map((d) => d.getTime())));
}

function toMapped(r: DvcqgParsed): MappedRecord {
  const mapped: Omit<MappedRecord, "sourceUpdatedAt"> = {
    code: r.MaHoSo,
    procedureCode: r.MaTTHC,
    procedureName: r.TenTTHC,
    fieldCode: r.MaLinhVuc,
    field: r.TenLinhVuc,
    agencyCode: r.DonViXuLy,
    agencyName: r.TenDonViXuLy,
    channel: CHANNEL_OF[r.KenhThucHien],
    applicant: {
      name: r.ChuHoSo,
      idNumber: r.SoGiayToChuHoSo,
      address: r.DiaChi,
      phone: r.SoDienThoai,
      email: r.Email,
      kind: KIND_OF[r.LoaiDoiTuong ?? 1],
    },
    receivedAt: r.NgayTiepNhan,
    promisedDueAt: r.NgayHenTra,
    finishedAt: r.NgayKetThucXuLy,
    returnedAt: r.NgayTra,
    status: r.TrangThaiHoSo as DossierStatus,
    steps: r.QuaTrinhXuLy.map((s, i) => ({
      seq: i + 1,
      officialId: s.MaNguoiXuLy ?? (s.NguoiXuLy ? officialIdFromName(r.DonViXuLy, s.NguoiXuLy) : null),
      officialName: s.NguoiXuLy,
      title: s.ChucDanh,
      department: s.PhongBanXuLy,
      startedAt: s.NgayBatDau,
      dueAt: s.NgayKetThucTheoQuyDinh,
      endedAt: s.ThoiDiemXuLy,
      note: s.NoiDungXuLy,
    })),
    pauses: pausesOf(r),
  };
  return { ...mapped, sourceUpdatedAt: r.NgayCapNhat ?? latestDateOf(mapped) };
}

export const dvcqgRecord = dvcqgObject
  .superRefine((r, ctx) => {
    r.DanhSachHoSoBoSung.forEach((s, i) => {
      if (s.NgayTiepNhanBoSung && s.NgayTiepNhanBoSung < s.NgayBoSung) {
        ctx.addIssue({
          code: "custom",
          path: ["DanhSachHoSoBoSung", i, "NgayTiepNhanBoSung"],
          message: PAUSE_ENDS_BEFORE_START,
        });
      }
    });
    r.DanhSachNghiaVuTaiChinh.forEach((f, i) => {
      if (f.NgayHoanThanh && f.NgayHoanThanh < f.NgayYeuCau) {
        ctx.addIssue({
          code: "custom",
          path: ["DanhSachNghiaVuTaiChinh", i, "NgayHoanThanh"],
          message: PAUSE_ENDS_BEFORE_START,
        });
      }
    });
  })
  .transform(toMapped);

const portalOrNull = (date: Date | null) => (date ? formatPortalDate(date) : null);

/**
 * The record as a portal payload (the inverse of `dvcqgRecord`, `raw` left out). Lossy where the
 * format is: milliseconds, step seq (the position stands for it), a name-derived official id
 * (MaNguoiXuLy is left out so the parser derives it again).
 */
export function toDvcqg(record: DossierRecord) {
  const supplements = record.pauses.filter((p) => p.kind === "supplement");
  const financials = record.pauses.filter((p) => p.kind === "financial");
  return {
    MaHoSo: record.code,
    MaTTHC: record.procedureCode,
    TenTTHC: record.procedureName,
    MaLinhVuc: record.fieldCode,
    TenLinhVuc: record.field,
    KenhThucHien: CHANNEL_CODE[record.channel],
    ChuHoSo: record.applicant.name,
    SoGiayToChuHoSo: record.applicant.idNumber,
    LoaiDoiTuong: record.applicant.kind === "citizen" ? 1 : 2,
    SoDienThoai: record.applicant.phone,
    Email: record.applicant.email,
    DiaChi: record.applicant.address,
    NgayTiepNhan: formatPortalDate(record.receivedAt),
    NgayHenTra: portalOrNull(record.promisedDueAt),
    TrangThaiHoSo: record.status,
    NgayKetThucXuLy: portalOrNull(record.finishedAt),
    NgayTra: portalOrNull(record.returnedAt),
    DonViXuLy: record.agencyCode,
    TenDonViXuLy: record.agencyName,
    NgayCapNhat: formatPortalDate(record.sourceUpdatedAt),
    QuaTrinhXuLy: record.steps.map((s) => ({
      MaNguoiXuLy:
        s.officialName && s.officialId === officialIdFromName(record.agencyCode, s.officialName)
          ? null
          : s.officialId,
      NguoiXuLy: s.officialName,
      ChucDanh: s.title,
      PhongBanXuLy: s.department,
      NoiDungXuLy: s.note,
      NgayBatDau: portalOrNull(s.startedAt),
      NgayKetThucTheoQuyDinh: portalOrNull(s.dueAt),
      ThoiDiemXuLy: portalOrNull(s.endedAt),
    })),
    DanhSachHoSoBoSung: supplements.map((p) => ({
      NgayBoSung: formatPortalDate(p.startedAt),
      NgayTiepNhanBoSung: portalOrNull(p.endedAt),
      NoiDungBoSung: p.reason,
    })),
    DanhSachNghiaVuTaiChinh: financials.map((p) => ({
      NgayYeuCau: formatPortalDate(p.startedAt),
      NgayHoanThanh: portalOrNull(p.endedAt),
      NoiDung: p.reason,
    })),
  };
}

export type DvcqgJson = ReturnType<typeof toDvcqg>;
