// What the dossier list answers (DOMAIN §10, docs/API.md), each shape registered once: a dossier in a list is a
// DossierSummary wherever it appears; the detail and the ledger are the case file's (casefile/api-schemas.ts).
import { z } from "@hono/zod-openapi";
import { Instant } from "../contract/wire.js";
import { DOSSIER_STATES } from "../deadlines/types.js";

export const DossierStateSchema = z.enum(DOSSIER_STATES).openapi("DossierState", {
  description:
    "As of asOf: open on_track, due_soon (from the apology window), overdue; finished early, on_time, late; closed (refused, withdrawn, stopped: not judged)",
});

export const Status = z.number().int().min(1).max(10).openapi({
  description:
    "The portal's status code (TrangThaiHoSo): 1 received … 5 supplement, 6 financial, 9 done, 10 returned",
  example: 4,
});

export const DossierSummary = z
  .object({
    code: z.string().openapi({ description: "Mã hồ sơ", example: "000.00.20.H47-250124-0001" }),
    agencyCode: z.string().openapi({ description: "The handling agency" }),
    procedureCode: z.string(),
    procedureName: z
      .string()
      .nullable()
      .openapi({ description: "null when the procedure is not catalogued" }),
    applicantName: z.string(),
    status: Status,
    receivedAt: Instant,
    promisedDueAt: Instant.nullable().openapi({ description: "The appointment (NgayHenTra)" }),
    statutoryDueAt: Instant.nullable().openapi({ description: "Receipt + processing time in working time" }),
    bindingDueAt: Instant.nullable().openapi({
      description: "Hạn trả kết quả đang có hiệu lực: the earlier of promised and statutory",
    }),
    apologyWindowStartsAt: Instant.nullable().openapi({
      description: "One working day before the binding due: the letter's deadline",
    }),
    completedAt: Instant.nullable().openapi({ description: "Finished (NgayKetThucXuLy), else returned" }),
    state: DossierStateSchema,
    hasLetter: z.boolean().openapi({ description: "An apology letter was issued" }),
  })
  .openapi("DossierSummary");

export type DossierSummary = z.infer<typeof DossierSummary>;

export const DossierPage = z
  .object({
    items: z.array(DossierSummary),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as cursor for the next page; null: last page" }),
    asOf: Instant,
  })
  .openapi("DossierPage");
