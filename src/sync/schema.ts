import { bigserial, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant } from "../db/columns.js";

/** Where a record came from; "demo" is `npm run demo`'s synthetic province. */
export type SyncSource = "push" | "pull" | "file" | "demo";
export interface FieldError {
  path: string;
  message: string;
}

/** Quarantine: every rejected record with its raw payload, so nothing sent is lost. */
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
    receivedAt: createdAt(),
  },
  (t) => [index("sync_rejections_received_idx").on(t.receivedAt)],
);

/** The pull connector's position, committed in the same transaction as the page it read. */
export const syncCursors = pgTable("sync_cursors", {
  source: text("source").primaryKey(),
  cursor: text("cursor"),
  updatedAt: instant("updated_at").notNull(),
});
