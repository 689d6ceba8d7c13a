// The letters API's request and response shapes (one zod schema validates, types and documents).
import { z } from "@hono/zod-openapi";
import { Instant as InstantOut } from "../contract/wire.js";
import { INT4_MAX } from "../http/params.js";
import { MAX_BATCH_ITEMS } from "./batch.js";
import { DELIVERY_CHANNELS } from "./deliveries.js";

const nfcText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .transform((s) => s.normalize("NFC"));

const Instant = z
  .string()
  .datetime({ offset: true, message: "expected an ISO time with offset, e.g. 2025-02-12T16:30:00+07:00" })
  .transform((s) => new Date(s));

const Reason = nfcText(2000).openapi({
  description: "Lý do: why the result is late (non-empty)",
  example: "Hồ sơ cần lấy ý kiến thẩm định của Phòng Kinh tế",
});
const SignerName = nfcText(200).openapi({ example: "Lê Văn Cường" });
const SignerTitle = nfcText(200).openapi({
  description: 'Authority and position; "\\n" separates lines',
  example: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
});
const NewDueAt = Instant.openapi({
  description:
    "Ngày hẹn trả mới: a working time (inside a working period of the agency, or at its end) after now and after the binding due",
  example: "2025-02-12T16:30:00+07:00",
});

export const ApologyBody = z
  .object({
    reason: Reason,
    newDueAt: NewDueAt.optional().openapi({
      description:
        "Required while the dossier is open. Omitted for a dossier that finished late: its letter is the apology after the fact (DOMAIN §6, amended), with no extension request and no new appointment (422 if given)",
    }),
    signerName: SignerName,
    signerTitle: SignerTitle,
  })
  .openapi("ApologyRequest");

export const LetterSchema = z
  .object({
    id: z.number(),
    number: z.string().openapi({ description: "Số, ký hiệu as printed", example: "05/PXL-LS" }),
    sequence: z.number().openapi({ description: "Sequence per agency and year" }),
    year: z.number(),
    dossierCode: z.string(),
    agencyCode: z.string(),
    form: z.enum(["tt01-2018-mau04", "tt03-2025"]),
    kind: z.enum(["reappointment", "after_the_fact"]).openapi({
      description:
        "reappointment: the letter re-sets the appointment once; after_the_fact: the dossier finished late, the letter apologises and states when the result was ready",
    }),
    issuedAt: InstantOut,
    newDueAt: InstantOut.nullable().openapi({ description: "Null for the apology after the fact" }),
    reason: z.string(),
    signer: z.object({ name: z.string(), title: z.string() }),
    version: z.number(),
    sha256: z.string().openapi({ description: "SHA-256 of the stored file (the signed one when signed)" }),
    pdfUrl: z.string(),
    signature: z
      .object({
        level: z.literal("PAdES-B-B"),
        signerName: z.string(),
        organization: z.string().nullable(),
        issuer: z.string(),
        serialNumber: z.string(),
        signedAt: InstantOut,
      })
      .nullable()
      .openapi({
        description: "The current version's digital signature; null: issued unsigned (no key configured)",
      }),
    statusPath: z.string().nullable().openapi({
      description: "The public status page its QR code links to (/tra-cuu/{token}); null once revoked",
    }),
  })
  .openapi("Letter");

export const DeliverySchema = z
  .object({
    id: z.number(),
    letterId: z.number().optional(),
    channel: z.enum(DELIVERY_CHANNELS),
    deliveredAt: InstantOut,
    note: z.string().nullable(),
    recordedBy: z.number(),
    recordedAt: InstantOut,
    status: z.enum(["recorded", "sending", "sent", "failed"]).openapi({
      description:
        "recorded: logged by an officer; e-mail: sent (messageId), failed (lastError), sending (in progress, or its process died: outcome unknown, never resent)",
    }),
    recipient: z.string().nullable(),
    messageId: z.string().nullable(),
    attempts: z.number(),
    lastError: z.string().nullable(),
    version: z.number().nullable().openapi({ description: "The version whose stored PDF was e-mailed" }),
    sha256: z.string().nullable(),
  })
  .openapi("LetterDelivery");

export const LetterDetailSchema = LetterSchema.extend({
  versions: z.array(
    z.object({
      version: z.number(),
      sha256: z.string(),
      correctionReason: z.string().nullable(),
      createdAt: InstantOut,
      createdBy: z.number(),
      pdfUrl: z.string(),
    }),
  ),
  deliveries: z.array(DeliverySchema),
}).openapi("LetterDetail");

export const DraftSchema = z
  .object({
    dossierCode: z.string(),
    asOf: InstantOut,
    eligible: z.boolean(),
    state: z.string(),
    kind: z.enum(["reappointment", "after_the_fact"]),
    ineligibility: z.object({ reason: z.string(), message: z.string() }).nullable(),
    existingLetterId: z.number().nullable(),
    bindingDueAt: InstantOut.nullable(),
    apologyWindowStartsAt: InstantOut.nullable(),
    newDueAt: InstantOut.nullable().openapi({
      description: "The suggested new appointment; null for the apology after the fact",
    }),
    finishedAt: InstantOut.nullable(),
    warnings: z
      .array(
        z.object({
          kind: z.enum(["after_apology_deadline", "paused", "after_the_fact"]),
          deadline: InstantOut.optional(),
          pauseKind: z.string().optional(),
          since: InstantOut.optional(),
          finishedAt: InstantOut.optional(),
        }),
      )
      .openapi({
        description: "What issuing now would mean: past the apology deadline, paused, after the fact",
      }),
    rule: z.string().openapi({ description: "How newDueAt was computed" }),
    reasons: z.array(z.string()),
    signer: z.object({ name: z.string(), title: z.string() }).nullable(),
  })
  .openapi("ApologyDraft");

export const CorrectionBody = z
  .object({
    reason: nfcText(2000).openapi({ description: "Why the letter is corrected (audited)" }),
    changes: z
      .object({
        reason: Reason.optional(),
        signerName: SignerName.optional(),
        signerTitle: SignerTitle.optional(),
        newDueAt: z
          .unknown()
          .optional()
          .openapi({ description: "Refused (422): the new appointment never changes after issue" }),
      })
      .strict(),
    revokeStatusLink: z.boolean().optional().openapi({
      description:
        "Revoke the status page link the earlier versions print (it answers 404 from now on); the new version prints a new one",
    }),
  })
  .openapi("LetterCorrection");

export const DeliveryBody = z
  .object({
    channel: z.enum(DELIVERY_CHANNELS).openapi({
      description:
        "email sends the current version's stored (signed) PDF over SMTP; the others log a delivery",
    }),
    deliveredAt: Instant.optional().openapi({
      description: "Default now; not for email (the time it was accepted)",
    }),
    note: z.string().trim().max(500).optional(),
    to: z.email().max(320).optional().openapi({
      description: "email only: the address; default the applicant's e-mail as the dossier records it",
    }),
  })
  .openapi("LetterDeliveryInput");

export const DeliveryHeaders = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, "1 to 200 visible ASCII characters")
    .optional()
    .openapi({
      description:
        "The same key again (a retry) answers the delivery it made, 200, and never sends a second e-mail; without one every request is new",
    }),
});

export const BatchBody = z
  .object({
    items: z
      .array(
        z.object({
          dossierCode: z.string().min(1).max(200),
          reason: Reason,
          newDueAt: NewDueAt.optional().openapi({ description: "Default: the suggested appointment" }),
          signerName: SignerName,
          signerTitle: SignerTitle,
        }),
      )
      .min(1)
      .max(MAX_BATCH_ITEMS),
  })
  .openapi("LetterBatch");

export const BatchResultSchema = z
  .object({
    issued: z.number(),
    refused: z.number(),
    items: z.array(
      z.object({
        index: z.number(),
        dossierCode: z.string(),
        status: z.number(),
        letter: LetterSchema.optional(),
        error: z
          .object({
            code: z.string(),
            message: z.string(),
            details: z.record(z.string(), z.unknown()).optional(),
          })
          .optional(),
      }),
    ),
    combinedPdfUrl: z.string().nullable(),
  })
  .openapi("LetterBatchResult");

export const LetterIdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "id", in: "path" }, example: 12 }),
});

export const IdsQuery = z.object({
  ids: z
    .string()
    .regex(/^\d+(,\d+)*$/, "expected letter ids separated by commas, e.g. 1,2,3")
    .transform((s) => [...new Set(s.split(",").map(Number))])
    // Digits alone can overflow: 99999999999999999999 is no id PostgreSQL can compare with a bigint.
    .refine((ids) => ids.every(Number.isSafeInteger), "letter ids are whole numbers up to 2^53 − 1")
    .refine((ids) => ids.length <= MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} letters`),
});

export const PdfQuery = z.object({
  version: z.coerce
    .number()
    .int()
    .positive()
    // A version is an integer column: 99999999999 is no version, and PostgreSQL would refuse it (500).
    .max(INT4_MAX)
    .optional()
    .openapi({ description: "Default: the current version" }),
});

export const pdfResponse = (description: string) => ({
  description,
  content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } },
});
