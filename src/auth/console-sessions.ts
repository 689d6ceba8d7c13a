import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, instant } from "../db/columns.js";

/**
 * Console sessions (phiên đăng nhập). The cookie holds a random id; only its SHA-256 is stored, so
 * a copy of the table signs nobody in. The CSRF token of the session's forms sits beside it.
 */
export const consoleSessions = pgTable(
  "console_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id").notNull(),
    /** The personal token the officer signed in with: revoking it ends the session too. */
    tokenId: integer("token_id").notNull(),
    csrfToken: text("csrf_token").notNull(),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [index("console_sessions_user_idx").on(t.userId)],
);
