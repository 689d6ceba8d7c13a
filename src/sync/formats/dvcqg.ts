// The national public-service portal's dossier payload (Cổng Dịch vụ công quốc gia, DVCQG):
// DongBoHoSoMC, as real one-stop systems send it (docs/research/dvcqg-producers.md): Vietnamese
// field names; dates in any of the forms they write, local time unless an offset says otherwise;
// "" for "none"; codes as numbers or strings; the handling agency (DonViXuLy) by code or by name;
// status codes read in the sending source's dialect (src/sync/sources.ts).
import { z } from "zod";
import type {
  ApplicantKind,
  Channel,
  DossierPause,
  DossierRecord,
  DossierStatus,
} from "../../deadlines/dossier-record.js";
import type { SyncFlag } from "../flags.js";
import { latestOf } from "../order.js";
import { readStatus, type SourceDialect } from "../sources.js";
import { type MappedRecord, PAUSE_ENDS_BEFORE_START } from "./canonical.js";
import { code, LIMITS, optionalPortalDate, optionalText, portalCodeText, portalDate } from "./fields.js";
import type { LiteralZ } from "./instant.js";

/** KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích. */
const CHANNEL_OF: Record<number, Channel> = { 1: "direct", 2: "online", 3: "postal" };

/**
 * LoaiDoiTuong: 1 công dân; 2 doanh nghiệp, 3 cơ quan nhà nước, 4 tổ chức/khác (Thanh Hóa's
 * system sends all four; OpenCPS 1 and 2); 0 is a citizen in the DvcSync catalogue. The kind
 * only changes how a letter addresses the applicant.
 */
const KIND_OF: Record<string, ApplicantKind> = {
  "0": "citizen",
  "1": "citizen",
  "2": "organization",
  "3": "organization",
  "4": "organization",
};

/**
 * The official's id when the vendor sends only a name (no MaNguoiXuLy): stable across syncs,
 * scoped to the handling agency because common names repeat, diacritics kept ("Ân" ≠ "An").
 */
export function officialIdFromName(agencyCode: string, name: string): string {
  return `ten:${agencyCode}:${name.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim()}`;
}

/**
 * Steps with their name-derived official ids named by the agency the record was resolved to: the
 * parser names them by the agency as sent (`sentAgency`, a code or a name, or none), which the
 * catalogue may know under another code.
 */
export function stepsOfAgency<T extends DossierRecord["steps"][number]>(
  steps: T[],
  sentAgency: string | null,
  agencyCode: string,
): T[] {
  if (sentAgency === agencyCode) return steps;
  return steps.map((s) => {
    if (!s.officialName) return s;
    const derived =
      s.officialId === null ||
      (sentAgency !== null && s.officialId === officialIdFromName(sentAgency, s.officialName));
    return derived ? { ...s, officialId: officialIdFromName(agencyCode, s.officialName) } : s;
  });
}

/** Where a record names its handling agency, as sent: resolved against the catalogue later. */
export interface AgencyReference {
  path: string;
  value: string;
}

/** A full record read from the portal format, its agency not yet resolved. */
export interface PortalRecord {
  record: MappedRecord;
  /** null: the record names none; the sending agency (envelope, query) stands in. */
  agency: AgencyReference | null;
}

const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `must have at most ${max} entries`)
    .nullish()
    .transform((list) => list ?? []);

/** The fields whose reading depends on the source's dialect (its dates), built per dialect. */
function portalObject(literalZ: LiteralZ) {
  const date = () => portalDate(literalZ);
  const optionalDate = () => optionalPortalDate(literalZ);
  const step = z.object({
    MaNguoiXuLy: optionalText(LIMITS.code),
    NguoiXuLy: optionalText(),
    ChucDanh: optionalText(),
    PhongBanXuLy: optionalText(),
    NoiDungXuLy: optionalText(LIMITS.note),
    NgayBatDau: optionalDate(),
    NgayKetThucTheoQuyDinh: optionalDate(),
    ThoiDiemXuLy: optionalDate(),
  });
  /** Hồ sơ bổ sung: NgayBoSung (asked) → NgayTiepNhanBoSung (received; some send NgayTiepNhan). */
  const supplement = z.object({
    NgayBoSung: date(),
    NgayTiepNhanBoSung: optionalDate(),
    NgayTiepNhan: optionalDate(),
    NgayHenTraTruoc: optionalDate(),
    NgayHenTraMoi: optionalDate(),
    NoiDungBoSung: optionalText(LIMITS.note),
  });
  /**
   * Extension, not in the national payload: waits for financial obligations (nghĩa vụ tài chính,
   * status 6), so that financial pauses survive a trip through this format.
   */
  const financial = z.object({
    NgayYeuCau: date(),
    NgayHoanThanh: optionalDate(),
    NoiDung: optionalText(LIMITS.note),
  });
  return z.object({
    MaHoSo: code(),
    MaTTHC: code(),
    TenTTHC: optionalText(),
    MaLinhVuc: optionalText(LIMITS.code),
    TenLinhVuc: optionalText(),
    KenhThucHien: portalCodeText().transform((c, ctx) => {
      if (c === null || c in CHANNEL_OF) return c === null ? null : CHANNEL_OF[Number(c)];
      ctx.addIssue({
        code: "custom",
        message: `unknown KenhThucHien ${JSON.stringify(c)}; expected 1, 2, 3`,
      });
      return z.NEVER;
    }),
    ChuHoSo: optionalText(),
    SoGiayToChuHoSo: optionalText(LIMITS.code),
    LoaiDoiTuong: portalCodeText(),
    SoDienThoai: optionalText(LIMITS.code),
    Email: optionalText(LIMITS.code * 3),
    DiaChi: optionalText(),
    NgayTiepNhan: date(),
    NgayHenTra: optionalDate(),
    TrangThaiHoSo: portalCodeText(),
    NgayKetThucXuLy: optionalDate(),
    NgayTra: optionalDate(),
    DonViXuLy: optionalText(LIMITS.text),
    MaDonViTiepNhan: optionalText(LIMITS.code),
    TenDonViXuLy: optionalText(),
    NgayCapNhat: optionalDate(),
    QuaTrinhXuLy: listOf(step, LIMITS.steps),
    DanhSachHoSoBoSung: listOf(supplement, LIMITS.pauses),
    DanhSachNghiaVuTaiChinh: listOf(financial, LIMITS.pauses),
  });
}

type PortalParsed = z.output<ReturnType<typeof portalObject>>;

function pausesOf(r: PortalParsed): DossierPause[] {
  const supplements = r.DanhSachHoSoBoSung.map(
    (s): DossierPause => ({
      kind: "supplement",
      startedAt: s.NgayBoSung,
      endedAt: s.NgayTiepNhanBoSung ?? s.NgayTiepNhan,
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

/** NgayHenTra, or the new appointment of the latest supplement (NgayHenTraMoi) when that is later. */
function appointmentOf(r: PortalParsed): Date | null {
  const latest = [...r.DanhSachHoSoBoSung]
    .sort((a, b) => a.NgayBoSung.getTime() - b.NgayBoSung.getTime())
    .at(-1);
  return latestOf([r.NgayHenTra, latest?.NgayHenTraMoi]);
}

/**
 * The latest event the record reports, standing for the update time real producers do not send:
 * deterministic (the same record twice is unchanged) and growing as the dossier moves on.
 * Appointments and step dues are deadlines, not events: a dossier returned early would otherwise
 * look older than a redelivered "processing" that carries its appointment.
 */
function latestEventOf(r: Omit<MappedRecord, "sourceUpdatedAt">): Date {
  return (
    latestOf([
      r.receivedAt,
      r.finishedAt,
      r.returnedAt,
      ...r.steps.flatMap((s) => [s.startedAt, s.endedAt]),
      ...r.pauses.flatMap((p) => [p.startedAt, p.endedAt]),
    ]) ?? r.receivedAt
  );
}

/** The status sent, read in the dialect; else the one the record's times show, flagged. */
function statusOf(r: PortalParsed, dialect: SourceDialect, flags: SyncFlag[]) {
  const reading = readStatus(r.TrangThaiHoSo, dialect);
  if (reading.status !== null) return reading;
  flags.push(r.TrangThaiHoSo === null ? "status_inferred" : "status_unmapped");
  const inferred: DossierStatus = r.NgayTra ? 10 : r.NgayKetThucXuLy ? 9 : 2;
  return { status: inferred, sourceStatus: reading.sourceStatus };
}

function applicantOf(r: PortalParsed, flags: SyncFlag[]) {
  if (r.ChuHoSo === null) flags.push("applicant_name_missing");
  const kind = r.LoaiDoiTuong === null ? "citizen" : KIND_OF[r.LoaiDoiTuong];
  if (kind === undefined) flags.push("applicant_kind_unknown");
  return {
    name: r.ChuHoSo ?? "",
    idNumber: r.SoGiayToChuHoSo,
    address: r.DiaChi,
    phone: r.SoDienThoai,
    email: r.Email,
    kind: kind ?? "citizen",
  };
}

function agencyOf(r: PortalParsed): AgencyReference | null {
  if (r.DonViXuLy) return { path: "DonViXuLy", value: r.DonViXuLy };
  if (r.MaDonViTiepNhan) return { path: "MaDonViTiepNhan", value: r.MaDonViTiepNhan };
  return null;
}

function toPortalRecord(r: PortalParsed, dialect: SourceDialect): PortalRecord {
  const flags: SyncFlag[] = [];
  if (r.KenhThucHien === null) flags.push("channel_defaulted");
  const { status, sourceStatus } = statusOf(r, dialect, flags);
  const agency = agencyOf(r);
  // Steps' name-derived official ids need the resolved agency: pipeline.ts sets them after resolving.
  const mapped: Omit<MappedRecord, "sourceUpdatedAt"> = {
    code: r.MaHoSo,
    procedureCode: r.MaTTHC,
    procedureName: r.TenTTHC,
    fieldCode: r.MaLinhVuc,
    field: r.TenLinhVuc,
    agencyCode: agency?.value ?? "",
    agencyName: r.TenDonViXuLy,
    channel: r.KenhThucHien ?? "direct",
    applicant: applicantOf(r, flags),
    receivedAt: r.NgayTiepNhan,
    promisedDueAt: appointmentOf(r),
    finishedAt: r.NgayKetThucXuLy,
    returnedAt: r.NgayTra,
    status,
    steps: r.QuaTrinhXuLy.map((s, i) => ({
      seq: i + 1,
      // Named by the agency as sent; pipeline.ts names it again by the agency it resolves to.
      officialId:
        s.MaNguoiXuLy ?? (s.NguoiXuLy && agency ? officialIdFromName(agency.value, s.NguoiXuLy) : null),
      officialName: s.NguoiXuLy,
      title: s.ChucDanh,
      department: s.PhongBanXuLy,
      startedAt: s.NgayBatDau,
      dueAt: s.NgayKetThucTheoQuyDinh,
      endedAt: s.ThoiDiemXuLy,
      note: s.NoiDungXuLy,
    })),
    pauses: pausesOf(r),
    // Absent when they say nothing (DossierRecord's defaults), so a record reads the same in both formats.
    ...(sourceStatus !== null ? { sourceStatus } : {}),
    ...(flags.length > 0 ? { syncFlags: flags } : {}),
  };
  const record: MappedRecord = r.NgayCapNhat
    ? { ...mapped, sourceUpdatedAt: r.NgayCapNhat }
    : { ...mapped, sourceUpdatedAt: latestEventOf(mapped), sourceStamped: false };
  return { record, agency };
}

/** What a record cannot be timed without, or says twice differently: refused with the field. */
function refuseUntimeable(r: PortalParsed, record: MappedRecord, ctx: z.RefinementCtx) {
  const done = record.status === 9 || record.status === 10;
  if (done && !r.NgayTra && !r.NgayKetThucXuLy) {
    const returned = record.status === 10;
    ctx.addIssue({
      code: "custom",
      path: [returned ? "NgayTra" : "NgayKetThucXuLy"],
      message: `TrangThaiHoSo ${record.status} (${returned ? "returned" : "processed"}) without NgayKetThucXuLy or NgayTra: when the result was ready is what the dossier's lateness is judged on${returned ? "" : " (a source that sends 9 for other states can map it: PUT /api/v1/sync/sources/{id})"}`,
    });
  }
  r.DanhSachHoSoBoSung.forEach((s, i) => {
    const received = s.NgayTiepNhanBoSung ?? s.NgayTiepNhan;
    if (received && received < s.NgayBoSung) {
      const field = s.NgayTiepNhanBoSung ? "NgayTiepNhanBoSung" : "NgayTiepNhan";
      ctx.addIssue({
        code: "custom",
        path: ["DanhSachHoSoBoSung", i, field],
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
}

/** The DongBoHoSoMC record schema of a source's dialect. */
export function dvcqgRecordSchema(dialect: SourceDialect) {
  return portalObject(dialect.literalZ).transform((r, ctx): PortalRecord => {
    const portal = toPortalRecord(r, dialect);
    refuseUntimeable(r, portal.record, ctx);
    return portal;
  });
}
