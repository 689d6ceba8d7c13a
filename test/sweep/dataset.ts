// A crafted dataset for the sweep: one dossier per case, named after it. Every dossier of agency
// A (UBND xã Lâm Sơn) is received Mon 2025-03-03 08:00 unless it says otherwise: with the 5
// working days of BUILDING_PERMIT its statutory due is Mon 3/10 08:00 and its apology window
// starts Fri 3/7 08:00 (no day off in March 2025).
import { apologyLetters } from "../../src/letters/schema.js";
import { canonicalRecord } from "../helpers/records.js";
import type { TestServer } from "../helpers/server.js";

export const RECEIVED = "2025-03-03T08:00:00+07:00";
export const STATUTORY_DUE = "2025-03-10T08:00:00+07:00";
export const APOLOGY_WINDOW = "2025-03-07T08:00:00+07:00";
export const SYNCED = "2025-03-03T08:05:00+07:00";

export const utc = (local: string) => new Date(local).toISOString();

let serial = 0;
/** A dossier code of agency A: 000.20.20.H47-250303-NNNN. */
export const codeOf = () => `000.20.20.H47-250303-${String(++serial).padStart(4, "0")}`;

/** An open, on-time-promised dossier of agency A with one step; overrides make the case. */
export function dossier(code: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return canonicalRecord({
    code,
    receivedAt: RECEIVED,
    promisedDueAt: STATUTORY_DUE,
    steps: [
      {
        seq: 1,
        officialId: "cb-001",
        officialName: "Trần Thị Bình",
        title: "Chuyên viên",
        department: "Phòng Kinh tế",
        startedAt: RECEIVED,
        dueAt: "2025-03-07T08:00:00+07:00",
        endedAt: null,
      },
    ],
    sourceUpdatedAt: SYNCED,
    ...overrides,
  });
}

let letterNumber = 0;
/**
 * An apology letter as the letters module stores it (its issuing path is tested there): the sweep
 * only reads when it was issued and the new appointment.
 */
export async function insertLetter(
  server: TestServer,
  letter: { dossierCode: string; agencyCode: string; issuedAt: string; newDueAt: string },
): Promise<number> {
  const number = ++letterNumber;
  const [row] = await server.database.db
    .insert(apologyLetters)
    .values({
      dossierCode: letter.dossierCode,
      agencyCode: letter.agencyCode,
      year: 2025,
      number,
      reference: `${number}/PXL-LS`,
      form: "tt01-2018-mau04",
      reason: "Hồ sơ phải lấy ý kiến cơ quan liên quan",
      newDueAt: new Date(letter.newDueAt),
      signerName: "Phạm Văn Cường",
      signerTitle: "Chủ tịch",
      issuedAt: new Date(letter.issuedAt),
      issuedBy: 1,
    })
    .returning({ id: apologyLetters.id });
  return Number(row.id);
}
