// Vietnamese personal and organisation names for synthetic applicants and officials.
import type { Random } from "./random.js";

const FAMILY = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Huỳnh",
  "Phan",
  "Vũ",
  "Võ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
  "Trương",
  "Đinh",
  "Lâm",
  "Châu",
];
const FAMILY_WEIGHTS = [38, 11, 9.5, 7, 5, 4, 4.5, 3.9, 3, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 1, 1, 0.7, 0.5];
const MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Ngọc", "Xuân", "Hoàng"];
const MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Kim", "Mỹ", "Phương"];
const GIVEN_MALE = [
  "An",
  "Bình",
  "Cường",
  "Dũng",
  "Hùng",
  "Hưng",
  "Khoa",
  "Long",
  "Lợi",
  "Nam",
  "Phúc",
  "Quang",
  "Sơn",
  "Tài",
  "Thắng",
  "Toàn",
  "Trung",
  "Tuấn",
  "Việt",
  "Vinh",
  "Ân",
  "Đạt",
  "Hải",
  "Hiếu",
  "Khánh",
];
const GIVEN_FEMALE = [
  "Anh",
  "Ánh",
  "Bình",
  "Chi",
  "Diệp",
  "Dung",
  "Giang",
  "Hà",
  "Hạnh",
  "Hoa",
  "Hồng",
  "Hương",
  "Lan",
  "Linh",
  "Mai",
  "Mận",
  "Ngân",
  "Nhung",
  "Oanh",
  "Phương",
  "Thảo",
  "Trang",
  "Tuyết",
  "Vân",
  "Yến",
];

function weightedFamily(random: Random): string {
  let target = random.float() * FAMILY_WEIGHTS.reduce((a, b) => a + b, 0);
  for (let i = 0; i < FAMILY.length; i++) {
    target -= FAMILY_WEIGHTS[i];
    if (target < 0) return FAMILY[i];
  }
  return FAMILY[0];
}

export function personName(random: Random): string {
  const female = random.chance(0.5);
  const middle = random.pick(female ? MIDDLE_FEMALE : MIDDLE_MALE);
  const given = random.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
  // Three-part names dominate; some have a second middle name (Phạm Thị Hồng Nhung).
  const extra = random.chance(0.25)
    ? ` ${random.pick(female ? ["Hồng", "Thu", "Ngọc", "Bảo"] : ["Minh", "Quốc", "Anh", "Gia"])}`
    : "";
  return `${weightedFamily(random)} ${middle}${extra} ${given}`;
}

const ORG_FORMS = [
  "Công ty TNHH",
  "Công ty TNHH MTV",
  "Công ty Cổ phần",
  "Hợp tác xã",
  "Doanh nghiệp tư nhân",
];
const ORG_TRADES = [
  "Xây dựng",
  "Thương mại Dịch vụ",
  "Nông sản",
  "Vận tải",
  "Du lịch",
  "Thủy sản",
  "Vật liệu xây dựng",
  "Năng lượng tái tạo",
];
const ORG_NAMES = [
  "Phước Hưng",
  "Thành Đạt",
  "Ánh Dương",
  "Sông Dinh",
  "Tháp Chàm",
  "Phú Quý",
  "Hòa Bình",
  "Minh Phát",
  "Nam Trung Bộ",
  "Đại Lộc",
];

export function organizationName(random: Random): string {
  return `${random.pick(ORG_FORMS)} ${random.pick(ORG_TRADES)} ${random.pick(ORG_NAMES)}`;
}

const HAMLETS = [
  "Thôn Tân Mỹ",
  "Thôn Phú Thạnh",
  "Thôn Lương Cang",
  "Khu phố 1",
  "Khu phố 3",
  "Thôn Hòa Thủy",
  "Thôn Gò Đền",
  "Thôn Mỹ Hiệp",
  "Tổ dân phố 5",
];

export function address(random: Random, locality: string, province: string): string {
  return `${random.int(1, 250)} ${random.pick(HAMLETS)}, ${locality}, tỉnh ${province}`;
}
