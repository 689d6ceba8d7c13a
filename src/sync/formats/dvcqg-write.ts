// Writing a record as the national portal's payload (DongBoHoSoMC): what the demo's dumps and the
// format tests produce, read back by dvcqg.ts.
import type { Channel, DossierRecord } from "../../deadlines/dossier-record.js";
import { officialIdFromName } from "./dvcqg.js";
import { formatPortalDate } from "./instant.js";

/** KenhThucHien, the inverse of dvcqg.ts's reading. */
const CHANNEL_CODE: Record<Channel, number> = { direct: 1, online: 2, postal: 3 };

const portalOrNull = (date: Date | null) => (date ? formatPortalDate(date) : null);

/**
 * The record as a portal payload (the inverse of `dvcqgRecordSchema`, `raw` left out). Lossy where
 * the format is: milliseconds, step seq (the position stands for it), a name-derived official id
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
