// A synthetic province as local government stands since 1 July 2025 (two tiers): the province's
// People's Committee with its departments (sở) and the communes and wards (xã, phường) under it —
// no district (huyện) between them —, procedures, officials.
import type { Channel } from "../deadlines/dossier-record.js";
import {
  type AgencyLevel,
  COMMUNE_NAMES,
  COMMUNE_OFFICES,
  DEPARTMENTS,
  PROCEDURE_TEMPLATES,
  type ProcedureTemplate,
  type Sector,
  WARD_NAMES,
} from "./catalog.js";
import { personName } from "./names.js";
import { Random } from "./random.js";

export interface DemoAgency {
  /**
   * Mã định danh in the portal's style (QĐ 20/2020/QĐ-TTg): the province 000.00.00.H47, its
   * departments 000.00.NN.H47, communes and wards 000.MM.3N.H47.
   */
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
  /** "Khánh Hòa" */
  name?: string;
  /** Province suffix of codes, "H47". */
  code?: string;
  /** Communes and wards under the province (the last few are wards). */
  communes?: number;
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

/** Short codes tell agencies apart in letter numbers (n/PXL-<short code>): made unique here. */
function uniqueShortCodes(agencies: DemoAgency[]): DemoAgency[] {
  const seen = new Map<string, number>();
  return agencies.map((a) => {
    const n = (seen.get(a.shortCode) ?? 0) + 1;
    seen.set(a.shortCode, n);
    return n === 1 ? a : { ...a, shortCode: `${a.shortCode}${n}` };
  });
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
  const wards = Math.min(WARD_NAMES.length, Math.floor(opts.communes / 5));
  const local: DemoAgency[] = [];
  for (let i = 0; i < opts.communes; i++) {
    const ward = i >= opts.communes - wards;
    const taken = ward
      ? WARD_NAMES[i - (opts.communes - wards)]
      : communeNames.length
        ? communeNames.splice(random.int(0, communeNames.length - 1), 1)[0]
        : `Số ${i + 1}`;
    local.push({
      code: `000.${pad((i % 99) + 1)}.${pad(30 + Math.floor(i / 99))}.${code}`,
      name: `UBND ${ward ? "phường" : "xã"} ${taken}`,
      shortCode: `UBND-${initials(taken)}`,
      parentCode: root.code,
      place: taken,
      level: "commune",
    });
  }
  return uniqueShortCodes([root, ...departments, ...local]);
}

const TITLES = {
  department: {
    specialist: ["Chuyên viên", "Chuyên viên chính"],
    head: ["Trưởng phòng", "Phó Trưởng phòng"],
    leader: ["Giám đốc", "Phó Giám đốc"],
  },
  // Communes since July 2025 have offices with heads, as the districts had.
  commune: {
    specialist: ["Chuyên viên", "Công chức"],
    head: ["Trưởng phòng", "Phó Trưởng phòng"],
    leader: ["Chủ tịch UBND", "Phó Chủ tịch UBND"],
  },
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
  const commune = agency.level === "commune";
  // Since July 2025 every commune and ward receives dossiers at its Public Administration Service Centre.
  const desk = commune ? "Trung tâm Phục vụ hành chính công" : "Bộ phận Tiếp nhận và Trả kết quả";
  for (let i = 0; i < 2; i++) add("reception", "Chuyên viên", desk, null, 0.005);
  // Offices shared by several sectors (a commune's economic office) are staffed once per office.
  const heads = new Set<string>();
  for (const [sector, office] of sectors) {
    for (let i = 0; i < (commune ? random.int(1, 2) : random.int(2, 4)); i++) {
      const slow = random.chance(slowShare);
      add("specialist", random.pick(titles.specialist), office, sector, slow ? 0.3 : 0.02);
    }
    const head =
      commune && office.startsWith("Văn phòng") ? ["Chánh Văn phòng", "Phó Chánh Văn phòng"] : titles.head;
    if (!heads.has(office)) add("head", random.pick(head), office, sector, 0.02);
    heads.add(office);
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
      const offices = DEPARTMENTS.find((d) => d.shortCode === agency.shortCode)?.offices ?? {};
      sectors.set(p.demo.sector, offices[p.demo.sector] ?? "Phòng chuyên môn");
    } else {
      sectors.set(p.demo.sector, COMMUNE_OFFICES[p.demo.sector] ?? "Văn phòng HĐND và UBND");
    }
  }
  return sectors;
}

export function generateProvince(seed: number, options: ProvinceOptions = {}): Province {
  const opts: Required<ProvinceOptions> = {
    // Ninh Thuận's communes are Khánh Hòa's since the provinces merged on 1 July 2025.
    name: "Khánh Hòa",
    code: "H47",
    communes: 40,
    slowShare: 0.12,
    ...options,
  };
  const random = new Random(seed);
  const procedures = PROCEDURE_TEMPLATES.map((t) => procedureOf(t, opts.code));
  const agencies = agenciesOf(random, opts.name, opts.code, opts);
  const officials = agencies.flatMap((a) => officialsOf(random, a, sectorsAt(a, procedures), opts.slowShare));
  return { name: opts.name, code: opts.code, agencies, procedures, officials };
}
