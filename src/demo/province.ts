// A synthetic province: agencies (tỉnh → sở/ngành and huyện → xã), procedures, officials.
import type { Channel } from "../dossiers/record.js";
import {
  type AgencyLevel,
  COMMUNE_NAMES,
  DEPARTMENTS,
  DISTRICT_NAMES,
  PROCEDURE_TEMPLATES,
  type ProcedureTemplate,
  SECTOR_OFFICES,
  type Sector,
} from "./catalog.js";
import { personName } from "./names.js";
import { Random } from "./random.js";

export interface DemoAgency {
  /** Mã định danh in the portal's style (QĐ 20/2020/QĐ-TTg): level 1 000.00.00.H47, level 2 000.00.NN.H47, level 3 000.MM.NN.H47. */
  code: string;
  name: string;
  shortCode: string;
  parentCode: string | null;
  /** The town named on letters. */
  place: string;
  level: "province" | AgencyLevel;
}

/** Who does a step: the one-stop desk, the specialist office, its head, or the agency's leaders. */
export type StepRole = "reception" | "specialist" | "head" | "leader";

export interface DemoProcedure {
  code: string;
  name: string;
  field: string;
  fieldCode: string;
  processingDays?: number;
  processingHours?: number;
  perChannel?: Partial<Record<Channel, { processingDays?: number; processingHours?: number }>>;
  supplementPolicy: "pause" | "restart";
  steps: { seq: number; name: string; allotmentHours: number }[];
  /** Generator-only facts; strip before posting the catalogue to the API. */
  demo: {
    level: AgencyLevel;
    sector: Sector;
    department: string | null;
    stepRoles: StepRole[];
    financialObligation: boolean;
    weight: number;
  };
}

export interface DemoOfficial {
  id: string;
  name: string;
  title: string;
  department: string;
  agencyCode: string;
  role: StepRole;
  sector: Sector | null;
  /** Chance that a step of theirs overruns: a few officials are slow, most are not. */
  latenessRate: number;
}

export interface Province {
  name: string;
  code: string;
  agencies: DemoAgency[];
  procedures: DemoProcedure[];
  officials: DemoOfficial[];
}

export interface ProvinceOptions {
  /** "Ninh Thuận" */
  name?: string;
  /** Province suffix of codes, "H47". */
  code?: string;
  districts?: number;
  communesPerDistrict?: number;
  /** Share of specialists who are slow (repeat lateness for the reports to find). */
  slowShare?: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const initials = (name: string) =>
  name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "D")
    .split(/[\s-]+/)
    .map((w) => w[0]?.toUpperCase() ?? "")
    .join("");

type StepShape = [StepRole, string, number][];
const SHORT: StepShape = [
  ["specialist", "Tiếp nhận và xử lý hồ sơ", 0.6],
  ["leader", "Ký duyệt", 0.3],
  ["reception", "Trả kết quả", 0.1],
];
const DAYS: StepShape = [
  ["reception", "Tiếp nhận hồ sơ", 0.1],
  ["specialist", "Xử lý hồ sơ", 0.55],
  ["leader", "Ký duyệt", 0.25],
  ["reception", "Chuyển trả kết quả", 0.1],
];
const REVIEWED: StepShape = [
  ["reception", "Tiếp nhận hồ sơ", 0.05],
  ["specialist", "Thẩm định hồ sơ", 0.55],
  ["head", "Xem xét, trình ký", 0.15],
  ["leader", "Phê duyệt", 0.15],
  ["reception", "Chuyển trả kết quả", 0.1],
];
const LAND: StepShape = [
  ["reception", "Tiếp nhận hồ sơ", 0.05],
  ["specialist", "Kiểm tra hồ sơ, trích lục, đo đạc", 0.3],
  ["specialist", "Xác định nghĩa vụ tài chính, thẩm định", 0.3],
  ["head", "Xem xét, trình ký", 0.1],
  ["leader", "Ký Giấy chứng nhận", 0.15],
  ["reception", "Chuyển trả kết quả", 0.1],
];

/** Quy trình nội bộ: step allotments in half hours that add up to the processing time. */
function stepsOf(t: ProcedureTemplate): { shape: StepShape; allotments: number[] } {
  const hours = t.processingHours ?? (t.processingDays ?? 1) * 8;
  const shape =
    hours <= 4 ? SHORT : hours <= 24 ? DAYS : t.sector === "datdai" && hours >= 80 ? LAND : REVIEWED;
  const allotments = shape.map(([, , share]) => Math.max(0.5, Math.round(share * hours * 2) / 2));
  const largest = allotments.indexOf(Math.max(...allotments));
  allotments[largest] += hours - allotments.reduce((a, b) => a + b, 0);
  return { shape, allotments };
}

function procedureOf(t: ProcedureTemplate, provinceCode: string): DemoProcedure {
  const { shape, allotments } = stepsOf(t);
  return {
    code: `${t.number}.000.00.00.${provinceCode}`,
    name: t.name,
    field: t.field,
    fieldCode: t.fieldCode,
    ...(t.processingHours !== undefined
      ? { processingHours: t.processingHours }
      : { processingDays: t.processingDays }),
    ...(t.onlineDays !== undefined ? { perChannel: { online: { processingDays: t.onlineDays } } } : {}),
    supplementPolicy: t.supplementPolicy,
    steps: shape.map(([, name], i) => ({ seq: i + 1, name, allotmentHours: allotments[i] })),
    demo: {
      level: t.level,
      sector: t.sector,
      department: t.department ?? null,
      stepRoles: shape.map(([role]) => role),
      financialObligation: t.financialObligation ?? false,
      weight: t.weight,
    },
  };
}

function agenciesOf(
  random: Random,
  name: string,
  code: string,
  opts: Required<ProvinceOptions>,
): DemoAgency[] {
  const root: DemoAgency = {
    code: `000.00.00.${code}`,
    name: `UBND tỉnh ${name}`,
    shortCode: "UBND",
    parentCode: null,
    place: name,
    level: "province",
  };
  const departments = DEPARTMENTS.map(
    (d, i): DemoAgency => ({
      code: `000.00.${pad(i + 1)}.${code}`,
      name: d.name,
      shortCode: d.shortCode,
      parentCode: root.code,
      place: name,
      level: "department",
    }),
  );
  const communeNames = [...COMMUNE_NAMES];
  const result = [root, ...departments];
  for (let d = 0; d < opts.districts; d++) {
    const districtName =
      DISTRICT_NAMES[d % DISTRICT_NAMES.length] + (d >= DISTRICT_NAMES.length ? ` ${d + 1}` : "");
    const districtNumber = 21 + d;
    const district: DemoAgency = {
      code: `000.00.${pad(districtNumber)}.${code}`,
      name: `UBND ${districtName.startsWith("Phan Rang") ? "thành phố" : "huyện"} ${districtName}`,
      shortCode: `UBND-${initials(districtName)}`,
      parentCode: root.code,
      place: districtName,
      level: "district",
    };
    result.push(district);
    for (let c = 0; c < opts.communesPerDistrict; c++) {
      const taken = communeNames.length
        ? communeNames.splice(random.int(0, communeNames.length - 1), 1)[0]
        : null;
      const communeName = taken ?? `Xã số ${d + 1}.${c + 1}`;
      result.push({
        code: `000.${pad(c + 1)}.${pad(districtNumber)}.${code}`,
        name: `UBND xã ${communeName}`,
        shortCode: `UBND-${initials(communeName)}`,
        parentCode: district.code,
        place: communeName,
        level: "commune",
      });
    }
  }
  return withUniqueShortCodes(result);
}

/**
 * Letter numbers read "n/PXL-<short code>" and the catalogue refuses a short code held twice:
 * communes whose names share initials ("Phước Nam", "Phước Ninh") get a number after the second.
 */
function withUniqueShortCodes(agencies: DemoAgency[]): DemoAgency[] {
  const seen = new Map<string, number>();
  return agencies.map((agency) => {
    const times = (seen.get(agency.shortCode) ?? 0) + 1;
    seen.set(agency.shortCode, times);
    return times === 1 ? agency : { ...agency, shortCode: `${agency.shortCode}${times}` };
  });
}

const TITLES = {
  department: {
    specialist: ["Chuyên viên", "Chuyên viên chính"],
    head: ["Trưởng phòng", "Phó Trưởng phòng"],
    leader: ["Giám đốc", "Phó Giám đốc"],
  },
  district: {
    specialist: ["Chuyên viên", "Chuyên viên chính"],
    head: ["Trưởng phòng", "Phó Trưởng phòng"],
    leader: ["Chủ tịch UBND", "Phó Chủ tịch UBND"],
  },
  commune: { specialist: ["Công chức"], head: ["Công chức"], leader: ["Chủ tịch UBND", "Phó Chủ tịch UBND"] },
} as const;

function officialsOf(
  random: Random,
  agency: DemoAgency,
  sectors: Map<Sector, string>,
  slowShare: number,
): DemoOfficial[] {
  if (agency.level === "province") return [];
  const titles = TITLES[agency.level];
  const officials: DemoOfficial[] = [];
  const add = (role: StepRole, title: string, department: string, sector: Sector | null, rate: number) =>
    officials.push({
      id: `${agency.code}/cb-${pad(officials.length + 1, 3)}`,
      name: personName(random),
      title,
      department,
      agencyCode: agency.code,
      role,
      sector,
      latenessRate: rate,
    });
  const small = agency.level === "commune";
  const desk = small ? "Bộ phận Một cửa" : "Bộ phận Tiếp nhận và Trả kết quả";
  for (let i = 0; i < (small ? random.int(1, 2) : 2); i++)
    add("reception", small ? "Công chức Văn phòng - Thống kê" : "Chuyên viên", desk, null, 0.005);
  for (const [sector, office] of sectors) {
    const specialistTitle = small ? `Công chức ${office}` : null;
    for (let i = 0; i < (small ? random.int(1, 2) : random.int(2, 4)); i++) {
      const slow = random.chance(slowShare);
      add("specialist", specialistTitle ?? random.pick(titles.specialist), office, sector, slow ? 0.3 : 0.02);
    }
    if (!small) add("head", random.pick(titles.head), office, sector, 0.02);
  }
  const leaders = agency.level === "department" ? "Ban Giám đốc" : "Lãnh đạo UBND";
  add("leader", titles.leader[0], leaders, null, 0.03);
  add("leader", titles.leader[1], leaders, null, 0.03);
  return officials;
}

function sectorsAt(agency: DemoAgency, procedures: DemoProcedure[]): Map<Sector, string> {
  const sectors = new Map<Sector, string>();
  if (agency.level === "province") return sectors;
  for (const p of procedures) {
    if (p.demo.level !== agency.level) continue;
    if (agency.level === "department") {
      if (p.demo.department !== agency.shortCode) continue;
      const office = DEPARTMENTS.find((d) => d.shortCode === agency.shortCode)?.office ?? "Phòng chuyên môn";
      sectors.set(p.demo.sector, office);
    } else {
      sectors.set(p.demo.sector, SECTOR_OFFICES[agency.level][p.demo.sector] ?? "Văn phòng");
    }
  }
  return sectors;
}

export function generateProvince(seed: number, options: ProvinceOptions = {}): Province {
  const opts: Required<ProvinceOptions> = {
    name: "Ninh Thuận",
    code: "H47",
    districts: 7,
    communesPerDistrict: 6,
    slowShare: 0.12,
    ...options,
  };
  const random = new Random(seed);
  const procedures = PROCEDURE_TEMPLATES.map((t) => procedureOf(t, opts.code));
  const agencies = agenciesOf(random, opts.name, opts.code, opts);
  const officials = agencies.flatMap((a) => officialsOf(random, a, sectorsAt(a, procedures), opts.slowShare));
  return { name: opts.name, code: opts.code, agencies, procedures, officials };
}
