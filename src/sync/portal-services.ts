// The portal's operations as producers name them, and the answer their clients parse. Pure.
// Sources: docs/research/dvcqg-producers.md (OpenCPS, VNPT iGate's connector and DvcSync, Thanh
// Hóa's one-stop system, Hà Giang's admissions system).
import type { ApplyCounts } from "./apply.js";
import type { MessageKind, Rejection } from "./parse.js";

/** Operation names, compared case-insensitively, and the kind of message each carries. */
const SERVICES: Readonly<Record<string, MessageKind>> = {
  // OpenCPS, Hà Giang (through the provincial relay), Thanh Hóa's create/update: full records.
  dongbohosomc: "record",
  // OpenCPS: one progress row per processing action.
  capnhattiendohosomc: "progress",
  // iGate connector's hoso/capnhatientrinh (spelled so in its client) and DvcSync's CapNhatTienTrinh.
  capnhatientrinh: "progress",
  capnhattientrinh: "progress",
  // OpenCPS (type "2") and Thanh Hóa's /KetNoiMotCuaQuocGia/DongBoTrangThaiHoSoKM: status rows.
  dongbotrangthaihoso: "status",
  dongbotrangthaihosokm: "status",
  // iGate connector's hoso/capnhattrangthai and DvcSync's CapNhatTrangThai: { MaHoSo, TrangThai }.
  capnhattrangthai: "status",
};

export const SERVICE_NAMES = [
  "DongBoHoSoMC",
  "CapNhatTienDoHoSoMC",
  "capnhatientrinh",
  "CapNhatTienTrinh",
  "DongBoTrangThaiHoSo",
  "DongBoTrangThaiHoSoKM",
  "capnhattrangthai",
] as const;

export function kindOfService(service: string): MessageKind | undefined {
  return SERVICES[service.trim().toLowerCase()];
}

/**
 * The portal's own answer, as every producer's client reads it: `error_code` "0" (a string, as the
 * portal sends it) with "Thành công" when all was taken — Thanh Hóa's client also looks for that
 * word —, else a non-zero code and what was refused; our counts beside it.
 */
export function portalAnswer(result: ApplyCounts & { rejected: Rejection[] }) {
  const refused = result.rejected.length;
  if (refused === 0) return { error_code: "0", message: "Thành công", ...result };
  const first = result.rejected[0];
  const where = first.errors[0] ? ` (${first.errors[0].path}: ${first.errors[0].message})` : "";
  return {
    error_code: "-1",
    message: `${refused} hồ sơ không được tiếp nhận; đầu tiên: ${first.code ?? `#${first.index}`}${where}`,
    ...result,
  };
}
