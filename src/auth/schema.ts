import { index, integer, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, instant } from "../db/columns.js";

export type Role = "admin" | "system" | "inspector" | "officer";
export const ROLES: readonly Role[] = ["admin", "system", "inspector", "officer"];

/** agency = one agency; subtree = an agency and everything under it; all = the whole province. */
export type ScopeKind = "agency" | "subtree" | "all";

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    role: text("role").$type<Role>().notNull(),
    scopeKind: text("scope_kind").$type<ScopeKind>().notNull(),
    scopeAgencyCode: text("scope_agency_code"),
    createdAt: createdAt(),
    disabledAt: instant("disabled_at"),
  },
  (t) => [index("users_scope_agency_idx").on(t.scopeAgencyCode)],
);

/** Bearer tokens, stored as SHA-256 only: the token itself is shown once. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
  },
  (t) => [uniqueIndex("api_tokens_hash_uq").on(t.tokenHash)],
);
