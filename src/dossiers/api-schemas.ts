// What the dossier routes answer (DOMAIN §10, docs/API.md), each shape registered once: a dossier in a list is a
// DossierSummary wherever it appears, the detail and the ledger their own.
import { z } from "@hono/zod-openapi";
import { Instant } from "../contract/wire.js";
import { DOSSIER_STATES } from "../deadlines/types.js";
import { ViolationDetails, ViolationRuleSchema } from "../sweep/api-schemas.js";

export const DossierStateSchema = z.enum(DOSSIER_STATES).openapi("DossierState", {
  description:
    "As of asOf: open on_track, due_soon (from the apology window), overdue; finished early, on_time, late; closed (refused, withdrawn, stopped: not judged)",
});

const Status = z.number().int().min(1).max(10).openapi({
  description:
    "The portal's status code (TrangThaiHoSo): 1 received … 5 supplement, 6 financial, 9 done, 10 returned",
  example: 4,
});

const Channel = z.enum(["direct", "online", "postal"]).openapi({ description: "How it was filed" });

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

const Step = z.object({
  seq: z.number().int(),
  officialId: z.string().nullable(),
  officialName: z.string().nullable(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  startedAt: Instant.nullable(),
  dueAt: Instant.nullable().openapi({ description: "The step's due as the record sent it" }),
  endedAt: Instant.nullable(),
});

const Pause = z.object({
  kind: z.enum(["supplement", "financial"]),
  startedAt: Instant,
  endedAt: Instant.nullable(),
  reason: z.string().nullable(),
});

const Justification = z.object({
  accepted: z.boolean(),
  reason: z.string(),
  decidedAt: Instant,
  decidedBy: z.object({ id: z.number().int(), name: z.string() }),
});

export const ResponsibleEntry = z
  .union([
    z.object({
      kind: z.literal("official"),
      officialId: z.string(),
      officialName: z.string().nullable(),
      title: z.string().nullable(),
      department: z.string().nullable(),
      stepSeq: z.number().int().openapi({ description: "Their first late step on the dossier" }),
      stepDueAt: Instant,
      overrunHours: z.number().openapi({ description: "Working hours past the step dues, summed" }),
      primary: z.boolean().openapi({ description: "The largest overrun" }),
      justification: Justification.nullable(),
    }),
    z.object({ kind: z.literal("unattributed"), agencyCode: z.string() }),
  ])
  .openapi("ResponsibleEntry", { description: "Who a late dossier is attributed to (DOMAIN §5)" });

const Delivery = z.object({
  kind: z.enum(["progress", "status"]),
  status: z.number().int().nullable(),
  sourceStatus: z.string().nullable(),
  eventAt: Instant,
  receivedAt: Instant,
});

export const DossierDetail = z
  .object({
    code: z.string(),
    agency: z.object({ code: z.string(), name: z.string() }),
    procedure: z.object({ code: z.string(), name: z.string().nullable(), field: z.string().nullable() }),
    channel: Channel,
    status: Status,
    applicant: z.object({
      name: z.string(),
      idNumber: z.string().nullable(),
      kind: z.enum(["citizen", "organization"]),
      address: z.string().nullable(),
      phone: z.string().nullable(),
      email: z.string().nullable(),
    }),
    receivedAt: Instant,
    startAt: Instant.nullable().openapi({ description: "When the clock started (the next working period)" }),
    finishedAt: Instant.nullable(),
    returnedAt: Instant.nullable(),
    sourceUpdatedAt: Instant,
    sync: z
      .object({
        sourceId: z.string().nullable(),
        sourceStatus: z.string().nullable(),
        flags: z.array(z.string()).openapi({ description: "What sync assumed or could not read" }),
        deliveries: z.array(Delivery).openapi({ description: "Every progress and status row delivered" }),
      })
      .openapi({ description: "What the one-stop system sent beyond the fields above" }),
    processingTimeKnown: z.boolean(),
    clockStopped: z.boolean(),
    statutoryDueAt: Instant.nullable(),
    promisedDueAt: Instant.nullable(),
    bindingDueAt: Instant.nullable(),
    reappointedDueAt: Instant.nullable().openapi({ description: "The apology letter's new appointment" }),
    apologyWindowStartsAt: Instant.nullable(),
    state: DossierStateSchema,
    lateness: z
      .object({ hours: z.number(), days: z.number() })
      .openapi({ description: "Working time past the binding due (days = hours / 8, one decimal)" }),
    asOf: Instant,
    steps: z.array(Step),
    pauses: z.array(Pause),
    letter: z
      .object({
        id: z.number().int(),
        number: z.string().openapi({ example: "05/PXL-LS" }),
        issuedAt: Instant,
        newDueAt: Instant.nullable(),
      })
      .nullable(),
    responsible: z.array(ResponsibleEntry),
    violations: z.array(
      z.object({
        rule: ViolationRuleSchema,
        details: ViolationDetails,
        detectedAt: Instant,
        resolvedAt: Instant.nullable(),
      }),
    ),
  })
  .openapi("DossierDetail");

export const DossierLedger = z
  .object({
    code: z.string(),
    asOf: Instant,
    countedMinutes: z
      .number()
      .int()
      .openapi({ description: "Working minutes elapsed (the counted segments)" }),
    segments: z.array(
      z.object({
        kind: z.enum(["counted", "non_working", "paused"]),
        from: Instant,
        to: Instant,
        minutes: z.number().int().openapi({ description: "Working minutes for counted; 0 otherwise" }),
        dayKind: z
          .enum(["weekend", "holiday", "substitute", "swap_off", "makeup_working", "outside_hours"])
          .optional()
          .openapi({ description: "non_working: the calendar's kind, or outside_hours" }),
        dayName: z.string().nullable().optional(),
        pauseKind: z.enum(["supplement", "financial"]).optional(),
        reason: z.string().nullable().optional(),
        voidedByRestart: z
          .boolean()
          .optional()
          .openapi({ description: "Counted time before a supplement that restarted the clock" }),
      }),
    ),
  })
  .openapi("DossierLedger", { description: "The clock ledger, printable for appeals" });
