import { AGENCIES } from "./seed.js";

/** A canonical record of agency A (UBND xã Lâm Sơn), open, with one step; override what a test needs. */
export function canonicalRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: "000.20.20.H47-250124-0001",
    procedureCode: "1.009994.000.00.00.H47",
    procedureName: "Cấp giấy phép xây dựng",
    field: "Xây dựng",
    agencyCode: AGENCIES.A.code,
    agencyName: AGENCIES.A.name,
    channel: "direct",
    applicant: {
      name: "Nguyễn Văn An",
      idNumber: "001090001234",
      address: "Thôn Tân Mỹ, xã Lâm Sơn",
      phone: "0912345678",
      email: null,
      kind: "citizen",
    },
    receivedAt: "2025-01-24T10:00:00+07:00",
    promisedDueAt: "2025-02-07T10:00:00+07:00",
    finishedAt: null,
    returnedAt: null,
    status: 4,
    steps: [
      {
        seq: 1,
        officialId: "cb-001",
        officialName: "Trần Thị Bình",
        title: "Chuyên viên",
        department: "Phòng Kinh tế",
        startedAt: "2025-01-24T10:00:00+07:00",
        dueAt: "2025-02-05T10:00:00+07:00",
        endedAt: null,
      },
    ],
    pauses: [],
    sourceUpdatedAt: "2025-01-24T10:05:00+07:00",
    ...overrides,
  };
}

export const BUILDING_PERMIT = {
  code: "1.009994.000.00.00.H47",
  name: "Cấp giấy phép xây dựng",
  field: "Xây dựng",
  processingDays: 5,
};
