import { bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, instant } from "../db/columns.js";

/** Where a record came from; "demo" is `npm run demo`'s synthetic province. */
export type SyncSource = "push" | "pull" | "file" | "demo";
export interface FieldError {
  path: string;
  message: string;
}

/** What a quarantined message needs to be replayed as it was first read. */
export interface RejectionContext {
  /** A full record, or a progress or status delta. */
  kind: "record" | DeltaKind;
  /** The sending system (sync_sources.id). */
  sourceId: string | null;
  /** The sending agency named by the portal envelope (madonvi) or ?MaDinhDanhDV=. */
  sender: string | null;
  /** The payload kept is not the one sent (unstorable text replaced, a too-deep part cut): not replayable. */
  altered?: boolean;
}

/**
 * Quarantine: every rejected message with its raw payload, so nothing sent is lost. One row per
 * distinct message: sent again, it is counted (`seen`), not stored twice. A replay that takes it
 * marks it resolved; the row stays.
 */
export const syncRejections = pgTable(
  "sync_rejections",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    source: text("source").$type<SyncSource>().notNull(),
    format: text("format").$type<"canonical" | "dvcqg">().notNull(),
    recordIndex: integer("record_index").notNull(),
    code: text("code"),
    errors: jsonb("errors").$type<FieldError[]>().notNull(),
    raw: jsonb("raw"),
    context: jsonb("context").$type<RejectionContext>(),
    /** Of the format, the context and the raw payload: the same message twice is one row. */
    contentHash: text("content_hash"),
    seen: integer("seen").notNull().default(1),
    lastSeenAt: instant("last_seen_at").notNull().defaultNow(),
    resolvedAt: instant("resolved_at"),
    receivedAt: createdAt(),
  },
  (t) => [
    index("sync_rejections_received_idx").on(t.receivedAt),
    uniqueIndex("sync_rejections_content_key").on(t.contentHash),
  ],
);

/** The pull connector's position, committed in the same transaction as the page it read. */
export const syncCursors = pgTable("sync_cursors", {
  source: text("source").primaryKey(),
  cursor: text("cursor"),
  updatedAt: instant("updated_at").notNull(),
});

/** The status codes sync stores: the national portal's TrangThaiHoSo (DOMAIN §9). */
export type PortalStatus = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

/**
 * A one-stop system that sends records, and its dialect as an admin configured it: vendor status
 * codes mapped to the portal's, and what a literal "Z" on its dates means. A source nobody
 * configured reads with the defaults (src/sync/sources.ts).
 */
export const syncSources = pgTable("sync_sources", {
  id: text("id").primaryKey(),
  name: text("name"),
  /** The source's status code (as text) → the portal code it means, e.g. { "11": 3 }. */
  statusMap: jsonb("status_map").$type<Record<string, PortalStatus>>().notNull().default({}),
  /** "local": the source stamps a literal Z on Vietnam local time. */
  literalZ: text("literal_z").$type<"utc" | "local">().notNull().default("utc"),
  updatedAt: instant("updated_at").notNull().defaultNow(),
});

export type DeltaKind = "progress" | "status";

/**
 * Every progress row (CapNhatTienDoHoSoMC) and status row (DongBoTrangThaiHoSo, iGate's
 * capnhattrangthai…) delivered, once each: merged into the dossier with its full record whatever
 * the order they came in (src/sync/merge.ts), and kept until that record arrives when it has not.
 */
export const syncDeltas = pgTable(
  "sync_deltas",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    dossierCode: text("dossier_code").notNull(),
    kind: text("kind").$type<DeltaKind>().notNull(),
    /** The delta as read (dates as ISO instants): what the merge uses. */
    delta: jsonb("delta").notNull(),
    contentHash: text("content_hash").notNull(),
    sourceId: text("source_id"),
    raw: jsonb("raw"),
    receivedAt: createdAt(),
  },
  (t) => [uniqueIndex("sync_deltas_dossier_hash_key").on(t.dossierCode, t.contentHash)],
);
