import { bigserial, boolean, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant } from "../db/columns.js";

/** An inspector's decision on an attribution: lý do chính đáng accepted, or refused. */
export const justifications = pgTable(
  "justifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    dossierCode: text("dossier_code").notNull(),
    officialId: text("official_id").notNull(),
    accepted: boolean("accepted").notNull(),
    reason: text("reason").notNull(),
    decidedBy: integer("decided_by").notNull(),
    decidedAt: instant("decided_at").notNull(),
  },
  (t) => [uniqueIndex("justifications_dossier_official_uq").on(t.dossierCode, t.officialId)],
);
