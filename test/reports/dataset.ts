import { canonicalRecord } from "../helpers/records.js";
import { type AGENCIES, ok } from "../helpers/seed.js";
import type { TestServer } from "../helpers/server.js";

export interface Official {
  officialId: string;
  officialName: string;
  title: string;
  department: string;
}

export const officialOf = (id: string, name: string, department = "Phòng Kinh tế"): Official => ({
  officialId: id,
  officialName: name,
  title: "Chuyên viên",
  department,
});

export interface StepSpec {
  official: Official | null;
  startedAt: string;
  dueAt?: string | null;
  endedAt?: string | null;
}

type Agency = typeof AGENCIES.A | typeof AGENCIES.B;

/** The building permit with its internal process: 4 h reception, 16 h appraisal, 8 h signature. */
export const PERMIT_WITH_STEPS = {
  code: "1.009994.000.00.00.H47",
  name: "Cấp giấy phép xây dựng",
  field: "Xây dựng",
  fieldCode: "XD",
  processingDays: 5,
  steps: [
    { seq: 1, name: "Tiếp nhận", allotmentHours: 4 },
    { seq: 2, name: "Thẩm định", allotmentHours: 16 },
    { seq: 3, name: "Ký duyệt", allotmentHours: 8 },
  ],
};

/**
 * An open dossier received at `receivedAt` (so that, 5 working days on, it is overdue as of the
 * tests' clock) with the given steps; override anything else.
 */
export function dossier(
  code: string,
  agency: Agency,
  receivedAt: string,
  steps: StepSpec[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return canonicalRecord({
    code,
    agencyCode: agency.code,
    agencyName: agency.name,
    receivedAt,
    promisedDueAt: null,
    sourceUpdatedAt: receivedAt,
    steps: steps.map((s, i) => ({
      seq: i + 1,
      ...(s.official ?? { officialId: null, officialName: null, title: null, department: null }),
      startedAt: s.startedAt,
      dueAt: s.dueAt ?? null,
      endedAt: s.endedAt ?? null,
    })),
    ...overrides,
  });
}

export async function getJson<T>(server: TestServer, path: string, token: string): Promise<T> {
  return (await ok(await server.request(path, { token }))) as T;
}
