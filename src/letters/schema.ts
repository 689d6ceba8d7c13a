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
     * the fact (SPEC §5 amended): a dossier that finished late gets no new appointment.
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
  },
  (t) => [primaryKey({ name: "letter_versions_pk", columns: [t.letterId, t.version] })],
);

export type DeliveryChannel = "in_person" | "post" | "email" | "sms" | "portal";

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
  },
  (t) => [index("letter_deliveries_letter_idx").on(t.letterId)],
);
