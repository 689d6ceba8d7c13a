import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
} from "drizzle-orm/pg-core";
import { createdAt, instant } from "../db/columns.js";
import type { ApplicantKind, Channel, DossierStatus, PauseKind } from "../deadlines/dossier-record.js";
import { notClosedSql } from "../deadlines/dossier-record.js";
import { statusStage } from "./state-sql.js";

/**
 * Hồ sơ TTHC. The code is the key everywhere (and the distribution column on Citus), so steps,
 * pauses, history, letters and violations of one dossier live together.
 */
export const dossiers = pgTable(
  "dossiers",
  {
    code: text("code").primaryKey(),
    agencyCode: text("agency_code").notNull(),
    procedureCode: text("procedure_code").notNull(),
    fieldCode: text("field_code"),
    channel: text("channel").$type<Channel>().notNull(),
    status: smallint("status").$type<DossierStatus>().notNull(),
    applicantName: text("applicant_name").notNull(),
    applicantIdNumber: text("applicant_id_number"),
    applicantKind: text("applicant_kind").$type<ApplicantKind>().notNull(),
    applicantContact: jsonb("applicant_contact").$type<{
      address: string | null;
      phone: string | null;
      email: string | null;
    }>(),
    receivedAt: instant("received_at").notNull(),
    promisedDueAt: instant("promised_due_at"),
    finishedAt: instant("finished_at"),
    returnedAt: instant("returned_at"),
    sourceUpdatedAt: instant("source_updated_at").notNull(),
    /** Hash of the mapped record: the same record twice is `unchanged`. */
    contentHash: text("content_hash").notNull(),
    /**
     * The stored full record's place among the dossier's messages (src/sync/order.ts), compared as
     * C strings: an older record is stale, whichever order the source sent them in.
     */
    sourceOrder: text("source_order").notNull(),
    /** The one-stop system that sent the stored record (sync_sources.id); null before sources were told apart. */
    sourceId: text("source_id"),
    /** The status code as the source sent it, when it is not the portal code in `status`. */
    sourceStatus: text("source_status"),
    /** What sync assumed or could not read (src/sync/flags.ts); null when nothing. */
    syncFlags: jsonb("sync_flags").$type<string[]>(),
    /**
     * The record as sent (its JSON as JSON.stringify writes it, the content hash's input), kept for
     * audit and read again whole, never queried into: json keeps the text byte for byte and only
     * checks its syntax, where jsonb would rebuild every record into a tree on each write.
     */
    raw: json("raw"),
    // Computed by the deadline engine whenever the record, its procedure or the calendar change.
    startAt: instant("start_at"),
    statutoryDueAt: instant("statutory_due_at"),
    /** Hạn trả kết quả đang có hiệu lực: min(promised, statutory). */
    bindingDueAt: instant("binding_due_at"),
    apologyWindowStartsAt: instant("apology_window_starts_at"),
    /** Finished (NgayKetThucXuLy) or else returned (NgayTra). */
    completedAt: instant("completed_at"),
    processingTimeKnown: boolean("processing_time_known").notNull().default(false),
    computedAt: instant("computed_at"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("dossiers_agency_received_idx").on(t.agencyCode, t.receivedAt),
    index("dossiers_agency_binding_due_idx").on(t.agencyCode, t.bindingDueAt),
    // The sweep and the officer's dashboard look for open dossiers by due date.
    index("dossiers_open_binding_due_idx")
      .on(t.bindingDueAt)
      .where(sql`${t.completedAt} IS NULL AND ${notClosedSql(t.status)}`),
    // Reports look for the dossiers late or overdue as of a time: not completed by their binding due.
    // Covering what attribution reads of them (code, agency, procedure): an index-only scan, where
    // the heap's wide rows cost a page read per late dossier (tens of thousands a year).
    index("dossiers_late_or_open_binding_due_idx")
      .on(t.bindingDueAt, t.code, t.agencyCode, t.procedureCode)
      .where(
        sql`${notClosedSql(t.status)} AND (${t.completedAt} IS NULL OR ${t.completedAt} > ${t.bindingDueAt})`,
      ),
    // A calendar edit of day D recomputes the open dossiers whose span (receipt or apology window
    // .. start or dues) covers D: the span's end, indexed, bounds that search.
    index("dossiers_open_span_end_idx")
      .on(sql`greatest(${t.startAt}, ${t.statutoryDueAt}, ${t.bindingDueAt})`)
      .where(sql`${t.completedAt} IS NULL AND ${notClosedSql(t.status)}`),
    // The list filtered to an open state (on track, due soon, overdue) as of asOf: an agency's
    // dossiers not completed by asOf are a short range of this, where (agency, received) would walk
    // through every finished one.
    index("dossiers_agency_open_until_idx")
      .on(t.agencyCode, sql`coalesce(${t.completedAt}, 'infinity'::timestamptz)`)
      .where(sql`${notClosedSql(t.status)}`),
    // The sweep (src/sweep): the incremental scope finds the rows written since the last sweep and
    // the dossiers whose binding due or completion it crossed through these three (a bitmap OR, not
    // a scan of every dossier); the state counts read the columns of the first alone (index-only).
    index("dossiers_binding_due_state_idx").on(
      t.bindingDueAt,
      t.receivedAt,
      t.status,
      t.completedAt,
      t.apologyWindowStartsAt,
    ),
    // No index on updated_at alone: nothing looks dossiers up by it (the sweep reads this
    // expression), and every index here is paid on each synced dossier.
    index("dossiers_touched_idx").on(sql`greatest(${t.updatedAt}, ${t.computedAt}, ${t.sourceUpdatedAt})`),
    index("dossiers_completed_idx").on(t.completedAt),
    index("dossiers_procedure_idx").on(t.procedureCode),
    // The sweep's rules (src/sweep/rules) find their few candidates through these, rather than
    // reading every dossier: receipts on days off, appointments beyond the statutory due, and
    // impossible dates (inconsistent_record).
    index("dossiers_received_idx").on(t.receivedAt),
    index("dossiers_beyond_statutory_idx").on(t.code).where(sql`${t.promisedDueAt} > ${t.statutoryDueAt}`),
    index("dossiers_impossible_dates_idx")
      .on(t.code)
      .where(
        sql`${t.completedAt} < ${t.receivedAt} OR ${t.returnedAt} < ${t.finishedAt} OR (${t.status} IN (9, 10) AND ${t.completedAt} IS NULL) OR ${t.promisedDueAt} < ${t.receivedAt}`,
      ),
  ],
);

/** Quá trình xử lý: one row per processing step. */
export const dossierSteps = pgTable(
  "dossier_steps",
  {
    dossierCode: text("dossier_code").notNull(),
    seq: integer("seq").notNull(),
    officialId: text("official_id"),
    officialName: text("official_name"),
    title: text("title"),
    department: text("department"),
    startedAt: instant("started_at"),
    /** NgayKetThucTheoQuyDinh, or start + the procedure's allotment. */
    dueAt: instant("due_at"),
    endedAt: instant("ended_at"),
    note: text("note"),
  },
  (t) => [
    // Steps are read by dossier (this key and the two below), never by official first: an index on
    // (official, due) would cost five entries a synced dossier and serve no query.
    primaryKey({ name: "dossier_steps_pk", columns: [t.dossierCode, t.seq] }),
    // Repeat lateness (src/reports/attribution-sql.ts): the steps that can be late as of some time —
    // open, ended after their due, or without a due of their own — with every column it reads.
    index("dossier_steps_maybe_late_idx")
      .on(t.dossierCode, t.seq, t.officialId, t.startedAt, t.dueAt, t.endedAt)
      .where(
        sql`${t.officialId} IS NOT NULL AND (${t.dueAt} IS NULL OR ${t.endedAt} IS NULL OR ${t.endedAt} > ${t.dueAt})`,
      ),
    // inconsistent_record: a step that ends before it starts.
    index("dossier_steps_ends_before_start_idx").on(t.dossierCode).where(sql`${t.endedAt} < ${t.startedAt}`),
  ],
);

/** Clock stops: supplement requests (yêu cầu bổ sung) and financial obligations. */
export const dossierPauses = pgTable(
  "dossier_pauses",
  {
    dossierCode: text("dossier_code").notNull(),
    seq: integer("seq").notNull(),
    kind: text("kind").$type<PauseKind>().notNull(),
    startedAt: instant("started_at").notNull(),
    endedAt: instant("ended_at"),
    reason: text("reason"),
  },
  (t) => [
    primaryKey({ name: "dossier_pauses_pk", columns: [t.dossierCode, t.seq] }),
    // Open pauses move their dossier's due every day: the nightly sweep recomputes those.
    index("dossier_pauses_open_idx").on(t.dossierCode).where(sql`${t.endedAt} IS NULL`),
    // The incremental sweep's scope: pauses that started or ended since the last sweep.
    index("dossier_pauses_started_idx").on(t.startedAt),
    index("dossier_pauses_ended_idx").on(t.endedAt),
  ],
);

export type HistoryField = "status" | "promised_due_at";

/** Every change of status or appointment, as synced. */
export const dossierHistory = pgTable(
  "dossier_history",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    dossierCode: text("dossier_code").notNull(),
    field: text("field").$type<HistoryField>().notNull(),
    oldValue: text("old_value"),
    newValue: text("new_value"),
    sourceUpdatedAt: instant("source_updated_at").notNull(),
    recordedAt: createdAt(),
  },
  (t) => [
    index("dossier_history_dossier_idx").on(t.dossierCode, t.sourceUpdatedAt),
    // The sweep's rules: appointments moved later (sync writes them as toISOString() text, which
    // orders as the instants when compared as C strings) and status changes that go backwards.
    // The moves carry what appointment_moved_silently reads of them, and the appointments alone are
    // indexed for its look-up of the previous one: index-only scans, where the heap (millions of
    // status rows in between) cost a page read per move.
    index("dossier_history_appointments_idx")
      .on(t.dossierCode, t.sourceUpdatedAt, t.id)
      .where(sql`${t.field} = 'promised_due_at'`),
    index("dossier_history_moved_later_idx")
      .on(t.dossierCode, t.sourceUpdatedAt, t.id, t.oldValue, t.newValue)
      .where(
        sql`${t.field} = 'promised_due_at' AND ${t.oldValue} IS NOT NULL AND ${t.newValue} COLLATE "C" > ${t.oldValue} COLLATE "C"`,
      ),
    index("dossier_history_status_backwards_idx")
      .on(t.dossierCode)
      .where(
        sql`${t.field} = 'status' AND ${t.oldValue} IS NOT NULL AND ${statusStage(sql`${t.newValue}`)} < ${statusStage(sql`${t.oldValue}`)}`,
      ),
  ],
);
