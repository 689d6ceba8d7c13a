// One letter's input, as a commune's officer would issue it: the tests of signing and of the
// render thread draw it, changed where they need.
import type { ApologyLetterInput } from "../../../src/letters/render.js";

const at = (local: string) => new Date(`${local}+07:00`);

export const sampleLetter = (overrides: Partial<ApologyLetterInput> = {}): ApologyLetterInput => ({
  number: 12,
  agency: {
    name: "Ủy ban nhân dân xã Ninh Sơn",
    shortCode: "NS",
    parentName: "UBND tỉnh Khánh Hòa",
    place: "Ninh Sơn",
  },
  issuedAt: at("2025-08-07T09:00:00"),
  dossier: {
    code: "000.00.20.H47-250724-0001",
    receivedAt: at("2025-07-24T10:00:00"),
    procedureName: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    applicantName: "Nguyễn Văn An",
    promisedDueAt: at("2025-08-07T10:00:00"),
  },
  reason: "Cần xác minh thực địa ranh giới thửa đất",
  newDueAt: at("2025-08-14T16:00:00"),
  signerName: "Lê Văn Cường",
  signerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
  statusUrl: "https://motcua.khanhhoa.gov.vn/tra-cuu/Ab3dEf6hIj9kLm2nOp5qRs",
  ...overrides,
});
