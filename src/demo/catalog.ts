// The synthetic procedure catalogue: real procedure names and fields, plausible processing times.
// Codes follow the national procedure database's style (1.00xxxx.000.00.00.<province>).

/**
 * Since 1 July 2025 local government has two tiers (Nghị quyết 202/2025/QH15 and the Law on the
 * Organisation of Local Government 2025): the province, with its departments (sở), and the communes
 * and wards (xã, phường) under it; the district tier (huyện) is gone and communes handle what it did.
 */
export type AgencyLevel = "commune" | "department";

/** Which office handles the specialist work; each agency level names it differently. */
export type Sector =
  | "hotich"
  | "chungthuc"
  | "datdai"
  | "xaydung"
  | "kinhdoanh"
  | "lylich"
  | "giaothong"
  | "yte"
  | "laodong"
  | "btxh";

export interface ProcedureTemplate {
  /** Base number; the province suffix is added per province. */
  number: string;
  name: string;
  field: string;
  fieldCode: string;
  level: AgencyLevel;
  sector: Sector;
  /** Department (sở) short code for department-level procedures. */
  department?: string;
  processingDays?: number;
  processingHours?: number;
  /** Online filing is often faster (NĐ 45/2020 encourages it). */
  onlineDays?: number;
  supplementPolicy: "pause" | "restart";
  /** Land transfers wait for taxes and fees (nghĩa vụ tài chính). */
  financialObligation?: boolean;
  /** Relative volume. */
  weight: number;
}

const commune = (
  t: Omit<ProcedureTemplate, "level" | "supplementPolicy"> & Partial<ProcedureTemplate>,
): ProcedureTemplate => ({
  level: "commune",
  supplementPolicy: "pause",
  ...t,
});
/** A procedure the district handled until 30 June 2025: the commune handles it since. */
const formerlyDistrict = (
  t: Omit<ProcedureTemplate, "level" | "supplementPolicy"> & Partial<ProcedureTemplate>,
): ProcedureTemplate => ({
  level: "commune",
  supplementPolicy: "pause",
  ...t,
});
const department = (
  t: Omit<ProcedureTemplate, "level" | "supplementPolicy"> & Partial<ProcedureTemplate>,
): ProcedureTemplate => ({
  level: "department",
  supplementPolicy: "pause",
  ...t,
});

const HT = { field: "Hộ tịch", fieldCode: "HT", sector: "hotich" } as const;
const CT = { field: "Chứng thực", fieldCode: "CT", sector: "chungthuc" } as const;
const DD = { field: "Đất đai", fieldCode: "DD", sector: "datdai" } as const;
const XD = { field: "Xây dựng", fieldCode: "XD", sector: "xaydung" } as const;
const KD = { field: "Đăng ký kinh doanh", fieldCode: "DKKD", sector: "kinhdoanh" } as const;

export const PROCEDURE_TEMPLATES: readonly ProcedureTemplate[] = [
  commune({ number: "1.001193", name: "Đăng ký khai sinh", ...HT, processingDays: 1, weight: 10 }),
  commune({ number: "1.000894", name: "Đăng ký kết hôn", ...HT, processingDays: 1, weight: 3 }),
  commune({ number: "1.000656", name: "Đăng ký khai tử", ...HT, processingDays: 1, weight: 3 }),
  commune({
    number: "2.000635",
    name: "Cấp bản sao Trích lục hộ tịch",
    ...HT,
    processingHours: 4,
    weight: 4,
  }),
  commune({
    number: "1.004873",
    name: "Cấp Giấy xác nhận tình trạng hôn nhân",
    ...HT,
    processingDays: 3,
    weight: 4,
  }),
  commune({
    number: "2.000815",
    name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    ...CT,
    processingHours: 4,
    weight: 12,
  }),
  commune({
    number: "2.000884",
    name: "Chứng thực chữ ký trong các giấy tờ, văn bản",
    ...CT,
    processingHours: 4,
    weight: 5,
  }),
  commune({
    number: "2.001035",
    name: "Chứng thực hợp đồng, giao dịch liên quan đến quyền sử dụng đất",
    ...CT,
    processingDays: 2,
    weight: 3,
  }),
  commune({
    number: "1.003554",
    name: "Hòa giải tranh chấp đất đai",
    ...DD,
    processingDays: 30,
    weight: 0.5,
  }),
  commune({
    number: "1.001731",
    name: "Xác nhận hợp đồng tiếp cận nguồn gen",
    field: "Môi trường",
    fieldCode: "MT",
    sector: "datdai",
    processingDays: 5,
    weight: 0.2,
  }),
  formerlyDistrict({
    number: "1.004227",
    name: "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    ...DD,
    processingDays: 10,
    financialObligation: true,
    weight: 6,
  }),
  formerlyDistrict({
    number: "1.012756",
    name: "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu",
    ...DD,
    processingDays: 20,
    financialObligation: true,
    weight: 3,
  }),
  formerlyDistrict({
    number: "1.004206",
    name: "Tách thửa hoặc hợp thửa đất",
    ...DD,
    processingDays: 15,
    financialObligation: true,
    weight: 2,
  }),
  formerlyDistrict({
    number: "1.004193",
    name: "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền",
    ...DD,
    processingDays: 15,
    financialObligation: true,
    weight: 1.5,
  }),
  formerlyDistrict({
    number: "1.004199",
    name: "Đăng ký thay đổi thông tin người sử dụng đất trên Giấy chứng nhận",
    ...DD,
    processingDays: 10,
    weight: 1.5,
  }),
  formerlyDistrict({
    number: "1.009994",
    name: "Cấp giấy phép xây dựng",
    ...XD,
    processingDays: 15,
    onlineDays: 12,
    weight: 3,
  }),
  formerlyDistrict({
    number: "1.009995",
    name: "Cấp giấy phép sửa chữa, cải tạo công trình",
    ...XD,
    processingDays: 15,
    weight: 0.5,
  }),
  formerlyDistrict({
    number: "2.000720",
    name: "Đăng ký thành lập hộ kinh doanh",
    ...KD,
    processingDays: 3,
    onlineDays: 2,
    supplementPolicy: "restart",
    weight: 4,
  }),
  formerlyDistrict({
    number: "2.000575",
    name: "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
    ...KD,
    processingDays: 3,
    supplementPolicy: "restart",
    weight: 2,
  }),
  formerlyDistrict({
    number: "1.001022",
    name: "Đăng ký kết hôn có yếu tố nước ngoài",
    ...HT,
    processingDays: 10,
    weight: 0.3,
  }),
  formerlyDistrict({
    number: "1.001776",
    name: "Thực hiện trợ cấp xã hội hàng tháng khi đối tượng thay đổi nơi cư trú",
    field: "Bảo trợ xã hội",
    fieldCode: "BTXH",
    sector: "btxh",
    processingDays: 10,
    weight: 1,
  }),
  formerlyDistrict({
    number: "1.003348",
    name: "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
    field: "An toàn thực phẩm",
    fieldCode: "ATTP",
    sector: "yte",
    processingDays: 15,
    weight: 0.5,
  }),
  department({
    number: "1.009972",
    name: "Cấp giấy phép xây dựng công trình cấp II, cấp III",
    ...XD,
    department: "SXD",
    processingDays: 20,
    weight: 0.5,
  }),
  department({
    number: "2.001610",
    name: "Đăng ký thành lập công ty TNHH hai thành viên trở lên",
    ...KD,
    department: "STC",
    processingDays: 3,
    supplementPolicy: "restart",
    weight: 2,
  }),
  department({
    number: "2.002000",
    name: "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
    ...KD,
    department: "STC",
    processingDays: 3,
    supplementPolicy: "restart",
    weight: 2,
  }),
  department({
    number: "2.000488",
    name: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    field: "Lý lịch tư pháp",
    fieldCode: "LLTP",
    sector: "lylich",
    department: "STP",
    processingDays: 10,
    onlineDays: 8,
    weight: 3,
  }),
  department({
    number: "1.002804",
    name: "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
    field: "Đường bộ",
    fieldCode: "DB",
    sector: "giaothong",
    department: "SXD",
    processingDays: 5,
    weight: 3,
  }),
  department({
    number: "1.003003",
    name: "Cấp Giấy chứng nhận quyền sử dụng đất cho tổ chức",
    ...DD,
    department: "SNNMT",
    processingDays: 20,
    financialObligation: true,
    weight: 0.5,
  }),
  department({
    number: "1.004167",
    name: "Cấp giấy phép khai thác nước dưới đất",
    field: "Tài nguyên nước",
    fieldCode: "TNN",
    sector: "datdai",
    department: "SNNMT",
    processingDays: 30,
    weight: 0.1,
  }),
  department({
    number: "1.002339",
    name: "Cấp Chứng chỉ hành nghề dược",
    field: "Dược phẩm",
    fieldCode: "DP",
    sector: "yte",
    department: "SYT",
    processingDays: 20,
    weight: 0.4,
  }),
  department({
    number: "1.000459",
    name: "Cấp giấy phép lao động cho người lao động nước ngoài",
    field: "Việc làm",
    fieldCode: "VL",
    sector: "laodong",
    department: "SNV",
    processingDays: 5,
    weight: 0.4,
  }),
];

/**
 * Sở, ngành: the province's departments as merged in 2025 (Nghị định 45/2025/NĐ-CP): Xây dựng took
 * Giao thông vận tải, Tài chính took Kế hoạch và Đầu tư, Nông nghiệp và Môi trường took Tài nguyên
 * và Môi trường, Nội vụ took Lao động - Thương binh và Xã hội. Each sector's work has its office.
 */
export const DEPARTMENTS: readonly {
  shortCode: string;
  name: string;
  offices: Partial<Record<Sector, string>>;
}[] = [
  {
    shortCode: "SXD",
    name: "Sở Xây dựng",
    offices: {
      xaydung: "Phòng Quản lý xây dựng",
      giaothong: "Phòng Quản lý vận tải, phương tiện và người lái",
    },
  },
  { shortCode: "STC", name: "Sở Tài chính", offices: { kinhdoanh: "Phòng Đăng ký kinh doanh" } },
  { shortCode: "STP", name: "Sở Tư pháp", offices: { lylich: "Phòng Hành chính tư pháp" } },
  {
    shortCode: "SNNMT",
    name: "Sở Nông nghiệp và Môi trường",
    offices: { datdai: "Văn phòng Đăng ký đất đai" },
  },
  { shortCode: "SYT", name: "Sở Y tế", offices: { yte: "Phòng Nghiệp vụ Dược" } },
  { shortCode: "SNV", name: "Sở Nội vụ", offices: { laodong: "Phòng Việc làm - An toàn lao động" } },
];

/**
 * The office of a commune or ward doing each sector's work, as communes are organised since July
 * 2025: an office of the People's Council and Committee, an economic office, a culture and society
 * office (Nghị định 150/2025/NĐ-CP).
 */
export const COMMUNE_OFFICES: Partial<Record<Sector, string>> = {
  hotich: "Văn phòng HĐND và UBND",
  chungthuc: "Văn phòng HĐND và UBND",
  datdai: "Phòng Kinh tế",
  xaydung: "Phòng Kinh tế",
  kinhdoanh: "Phòng Kinh tế",
  btxh: "Phòng Văn hóa - Xã hội",
  yte: "Phòng Văn hóa - Xã hội",
};

/** Wards (phường): the province's towns, organised as communes are. */
export const WARD_NAMES = ["Phan Rang", "Đông Hải", "Bảo An", "Đô Vinh"];
export const COMMUNE_NAMES = [
  "Quảng Sơn",
  "Lâm Sơn",
  "Lương Sơn",
  "Hòa Sơn",
  "Mỹ Sơn",
  "Nhơn Sơn",
  "Ma Nới",
  "Tân Sơn",
  "Ninh Sơn",
  "Phước Dinh",
  "Phước Hải",
  "Phước Hậu",
  "An Hải",
  "Phước Thuận",
  "Phước Sơn",
  "Xuân Hải",
  "Tri Hải",
  "Thanh Hải",
  "Vĩnh Hải",
  "Nhơn Hải",
  "Hộ Hải",
  "Bắc Phong",
  "Công Hải",
  "Lợi Hải",
  "Phước Kháng",
  "Phước Chiến",
  "Cà Ná",
  "Phước Minh",
  "Phước Nam",
  "Phước Ninh",
  "Phước Diêm",
  "Phước Bình",
  "Phước Hòa",
  "Phước Tân",
  "Phước Tiến",
  "Phước Thắng",
  "Phước Chính",
  "Phước Đại",
  "Phước Trung",
  "Văn Hải",
  "Đô Vinh",
  "Bảo An",
  "Thành Hải",
  "Mỹ Bình",
  "Đạo Long",
  "Đông Hải",
  "Mỹ Hải",
  "Kinh Dinh",
];
