// The portal's delta messages as real producers send them (docs/research/dvcqg-producers.md):
// - progress rows, one processing step each: OpenCPS's CapNhatTienDoHoSoMC, Thanh Hóa's
//   "đồng bộ tiến trình", iGate's hoso/capnhatientrinh and DvcSync's CapNhatTienTrinh;
// - status rows: OpenCPS's and Thanh Hóa's DongBoTrangThaiHoSo (MaHoSo is then the portal's code,
//   MaHoSoDonVi the local one; NgayXuLy its time), iGate's hoso/capnhattrangthai and DvcSync's
//   CapNhatTrangThai ({ MaHoSo, TrangThai } and nothing else).
import { z } from "zod";
import type { ProgressDelta, StatusDelta } from "../deltas.js";
import { readStatus, type SourceDialect } from "../sources.js";
import { code, LIMITS, optionalPortalDate, optionalText, portalCodeText } from "./fields.js";

/** A delta as read; `eventAt` null when it says nothing of time (the pipeline uses its arrival). */
export type ParsedProgress = Omit<ProgressDelta, "eventAt"> & { eventAt: Date | null };
export type ParsedStatus = Omit<StatusDelta, "eventAt"> & { eventAt: Date | null };

/** The schema of a progress row in a source's dialect. */
export function progressRowSchema(dialect: SourceDialect) {
  const date = () => optionalPortalDate(dialect.literalZ);
  return z
    .object({
      MaHoSo: code(),
      MaNguoiXuLy: optionalText(LIMITS.code),
      NguoiXuLy: optionalText(),
      ChucDanh: optionalText(),
      PhongBanXuLy: optionalText(),
      NoiDungXuLy: optionalText(LIMITS.note),
      TrangThai: portalCodeText(),
      NgayBatDau: date(),
      NgayKetThucTheoQuyDinh: date(),
      ThoiDiemXuLy: date(),
    })
    .superRefine((r, ctx) => {
      if (!r.NguoiXuLy && !r.MaNguoiXuLy && !r.NoiDungXuLy && !r.ThoiDiemXuLy && !r.NgayBatDau) {
        ctx.addIssue({
          code: "custom",
          path: ["NguoiXuLy"],
          message:
            "a progress row must say who (NguoiXuLy), what (NoiDungXuLy) or when (ThoiDiemXuLy, NgayBatDau)",
        });
      }
    })
    .transform((r): ParsedProgress => {
      // An unknown step status is no status: the step itself is still worth keeping.
      const { status, sourceStatus } = readStatus(r.TrangThai, dialect);
      return {
        kind: "progress",
        code: r.MaHoSo,
        status,
        sourceStatus,
        eventAt: r.ThoiDiemXuLy ?? r.NgayBatDau,
        step: {
          officialId: r.MaNguoiXuLy,
          officialName: r.NguoiXuLy,
          title: r.ChucDanh,
          department: r.PhongBanXuLy,
          startedAt: r.NgayBatDau,
          dueAt: r.NgayKetThucTheoQuyDinh,
          endedAt: r.ThoiDiemXuLy,
          note: r.NoiDungXuLy,
        },
      };
    });
}

/** The schema of a status row in a source's dialect. */
export function statusRowSchema(dialect: SourceDialect) {
  const date = () => optionalPortalDate(dialect.literalZ);
  return z
    .object({
      MaHoSo: code(),
      MaHoSoDonVi: optionalText(LIMITS.code),
      TrangThai: portalCodeText(),
      TrangThaiHoSo: portalCodeText(),
      NgayXuLy: date(),
      ThoiDiemXuLy: date(),
      NgayCapNhat: date(),
      NgayKetThucXuLy: date(),
      NgayTra: date(),
      NgayHenTra: date(),
      NoiDung: optionalText(LIMITS.note),
      NoiDungXuLy: optionalText(LIMITS.note),
    })
    .transform((r, ctx): ParsedStatus => {
      const sent = r.TrangThai ?? r.TrangThaiHoSo;
      const path = r.TrangThai !== null || r.TrangThaiHoSo === null ? "TrangThai" : "TrangThaiHoSo";
      const { status, sourceStatus } = readStatus(sent, dialect);
      if (status === null) {
        ctx.addIssue({
          code: "custom",
          path: [path],
          message:
            sent === null
              ? "is required: a status row without a status says nothing"
              : `unknown status code ${JSON.stringify(sent)} for source ${dialect.id}: map it (PUT /api/v1/sync/sources/${dialect.id}), then replay`,
        });
        return z.NEVER;
      }
      return {
        kind: "status",
        // DongBoTrangThaiHoSo names the dossier by the portal's code and the local one apart.
        code: r.MaHoSoDonVi ?? r.MaHoSo,
        status,
        sourceStatus,
        updatedAt: r.NgayCapNhat,
        eventAt: r.NgayXuLy ?? r.ThoiDiemXuLy ?? r.NgayTra ?? r.NgayKetThucXuLy,
        finishedAt: r.NgayKetThucXuLy,
        returnedAt: r.NgayTra,
        promisedDueAt: r.NgayHenTra,
        note: r.NoiDungXuLy ?? r.NoiDung,
      };
    });
}
