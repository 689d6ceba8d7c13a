// What the case file's routes answer (DOMAIN §10, docs/API.md): one dossier's detail and its clock
// ledger, and an inspector's justification decision on it.
import { z } from "@hono/zod-openapi";
import { Instant } from "../contract/wire.js";
import { DossierStateSchema, Status } from "../dossiers/api-schemas.js";
import { ViolationDetails, ViolationRuleSchema } from "../sweep/api-schemas.js";

const Channel = z.enum(["direct", "online", "postal"]).openapi({ description: "How it was filed" });

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

const EntryJustification = z.object({
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
      justification: EntryJustification.nullable(),
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

export const Justification = z
  .object({
    dossierCode: z.string(),
    officialId: z.string(),
    accepted: z.boolean(),
    reason: z.string(),
    decidedAt: Instant,
    decidedBy: z.object({ id: z.number().int(), name: z.string() }),
    replaced: z
      .boolean()
      .openapi({ description: "An earlier decision on the same (dossier, official) was replaced" }),
  })
  .openapi("Justification");
