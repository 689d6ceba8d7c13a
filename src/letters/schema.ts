import { sql } from "drizzle-orm";
import {
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, instant } from "../db/columns.js";
import type { StoredSignature } from "./signed-letter.js";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/** Per agency and year, the last number given: numbers have no gaps and no duplicates. */
export const letterCounters = pgTable(
  "letter_counters",
  {
    agencyCode: text("agency_code").notNull(),
    year: integer("year").notNull(),
    lastNumber: integer("last_number").notNull(),
  },
  (t) => [primaryKey({ name: "letter_counters_pk", columns: [t.agencyCode, t.year] })],
);

export type LetterForm = "tt01-2018-mau04" | "tt03-2025";

/** Phiếu xin lỗi và hẹn lại ngày trả kết quả: at most one per dossier, ever, never deleted. */
export const apologyLetters = pgTable(
  "apology_letters",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    dossierCode: text("dossier_code").notNull(),
    agencyCode: text("agency_code").notNull(),
    year: integer("year").notNull(),
    /**
     * Null only inside the issuing transaction: the row takes the dossier's cap first, and the
     * number is drawn after it, so that a request that loses the cap never draws (or burns) one.
     */
    number: integer("number"),
    /** Số, ký hiệu as printed: "05/PXL-LS" (the agency's short code at issue). */
    reference: text("reference"),
    form: text("form").$type<LetterForm>().notNull(),
    reason: text("reason").notNull(),
    /**
     * Ngày hẹn trả mới: fixed at issue, never changed by a correction. Null for the apology after
     * the fact (DOMAIN §6, amended): a dossier that finished late gets no new appointment.
     */
    newDueAt: instant("new_due_at"),
    signerName: text("signer_name").notNull(),
    signerTitle: text("signer_title").notNull(),
    issuedAt: instant("issued_at").notNull(),
    issuedBy: integer("issued_by").notNull(),
    currentVersion: integer("current_version").notNull().default(1),
  },
  (t) => [
    // ND 61/2018 Art. 18, ND 118/2025: the appointment is re-set no more than once.
    uniqueIndex("apology_letters_one_per_dossier").on(t.dossierCode),
    uniqueIndex("apology_letters_number_uq").on(t.agencyCode, t.year, t.number),
    // The incremental sweep's scope: letters issued, or whose new appointment passed, since the last sweep.
    index("apology_letters_issued_idx").on(t.issuedAt),
    index("apology_letters_new_due_idx").on(t.newDueAt),
  ],
);

export const letterVersions = pgTable(
  "letter_versions",
  {
    letterId: integer("letter_id").notNull(),
    version: integer("version").notNull(),
    pdf: bytea("pdf").notNull(),
    sha256: text("sha256").notNull(),
    correctionReason: text("correction_reason"),
    /** What this version was rendered from (JSON of ApologyLetterInput): corrections and prints re-use it. */
    input: jsonb("input").$type<Record<string, unknown>>().notNull(),
    createdBy: integer("created_by").notNull(),
    createdAt: createdAt(),
    /** Who signed this version's file and when (PAdES-B-B); null: issued unsigned (no key configured). */
    signature: jsonb("signature").$type<StoredSignature>(),
  },
  (t) => [primaryKey({ name: "letter_versions_pk", columns: [t.letterId, t.version] })],
);

/**
 * The public status page of a letter (/tra-cuu/{token}): the token printed in the letter's QR code.
 * Random, so unguessable; a correction may revoke it, and the new version then prints a new one.
 */
export const letterStatusLinks = pgTable(
  "letter_status_links",
  {
    token: text("token").primaryKey(),
    letterId: integer("letter_id").notNull(),
    createdAt: instant("created_at").notNull(),
    revokedAt: instant("revoked_at"),
  },
  (t) => [
    // One live link per letter: the one its current version prints.
    uniqueIndex("letter_status_links_live_uq").on(t.letterId).where(sql`${t.revokedAt} IS NULL`),
  ],
);

export type DeliveryChannel = "in_person" | "post" | "email" | "sms" | "portal";

/**
 * `recorded`: a delivery an officer logged; `sending`: an e-mail being sent (or whose process died
 * while sending — its outcome is unknown, and it is never sent again); `sent`, `failed`.
 */
export type DeliveryStatus = "recorded" | "sending" | "sent" | "failed";

export const letterDeliveries = pgTable(
  "letter_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    letterId: integer("letter_id").notNull(),
    channel: text("channel").$type<DeliveryChannel>().notNull(),
    deliveredAt: instant("delivered_at").notNull(),
    note: text("note"),
    recordedBy: integer("recorded_by").notNull(),
    recordedAt: createdAt(),
    status: text("status").$type<DeliveryStatus>().notNull().default("recorded"),
    /** The e-mail address sent to (the citizen's: never logged). */
    recipient: text("recipient"),
    /** The client's Idempotency-Key: one request, retried, is one delivery and at most one e-mail. */
    idempotencyKey: text("idempotency_key"),
    /** The version whose stored PDF was attached, and its SHA-256. */
    version: integer("version"),
    sha256: text("sha256"),
    /** The SMTP server's Message-ID of the accepted e-mail. */
    messageId: text("message_id"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [
    index("letter_deliveries_letter_idx").on(t.letterId),
    uniqueIndex("letter_deliveries_idempotency_uq").on(t.letterId, t.idempotencyKey),
  ],
);
