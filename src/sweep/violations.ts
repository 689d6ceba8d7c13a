import type { z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import { toInstant, toInstantOrNull } from "../contract/wire.js";
import { type Db, queryRows } from "../db/client.js";
import { scopeCondition } from "../dossiers/list.js";
import { ApiError } from "../http/errors.js";
import type { Violation, ViolationDetails } from "./api-schemas.js";
import type { ViolationRule } from "./schema.js";

export interface ViolationFilter {
  rule?: ViolationRule;
  agency?: string;
  dossier?: string;
  /** true: unresolved only; false: resolved only. */
  open?: boolean;
  limit: number;
  cursor?: string;
}

/** A violation as the API and the console read it. */
export type ViolationView = z.infer<typeof Violation>;

interface ViolationRow {
  id: number;
  dossier_code: string;
  agency_code: string;
  rule: ViolationRule;
  details: z.infer<typeof ViolationDetails>;
  detected_at: string;
  resolved_at: string | null;
  sweep_id: number | null;
}

const viewOf = (v: ViolationRow): ViolationView => ({
  id: Number(v.id),
  dossierCode: v.dossier_code,
  agencyCode: v.agency_code,
  rule: v.rule,
  details: v.details,
  detectedAt: toInstant(v.detected_at),
  resolvedAt: toInstantOrNull(v.resolved_at),
  sweepId: v.sweep_id === null ? null : Number(v.sweep_id),
});

const encodeCursor = (id: number) => Buffer.from(String(id)).toString("base64url");

function decodeCursor(cursor: string): number {
  const id = Number(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new ApiError("BAD_REQUEST", "The cursor is not one this service gave", { field: "cursor" });
  }
  return id;
}

/** Violations of dossiers within the principal's scope, newest first, keyset-paginated. */
export async function listViolations(
  db: Db,
  principal: Principal,
  filter: ViolationFilter,
): Promise<{ items: ViolationView[]; nextCursor: string | null }> {
  const conditions: SQL[] = [scopeCondition(principal)];
  if (filter.rule) conditions.push(sql`v.rule = ${filter.rule}`);
  if (filter.agency) conditions.push(sql`d.agency_code = ${filter.agency}`);
  if (filter.dossier) conditions.push(sql`v.dossier_code = ${filter.dossier}`);
  if (filter.open !== undefined) {
    conditions.push(filter.open ? sql`v.resolved_at IS NULL` : sql`v.resolved_at IS NOT NULL`);
  }
  if (filter.cursor) conditions.push(sql`v.id < ${decodeCursor(filter.cursor)}`);
  const rows = await queryRows<ViolationRow>(
    db,
    sql`SELECT v.id, v.dossier_code, d.agency_code, v.rule, v.details, v.detected_at, v.resolved_at, v.sweep_id
        FROM violations v
        JOIN dossiers d ON d.code = v.dossier_code
        JOIN agencies a ON a.code = d.agency_code
        WHERE ${sql.join(conditions, sql` AND `)}
        ORDER BY v.id DESC
        LIMIT ${filter.limit + 1}`,
  );
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(viewOf),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(Number(last.id)) : null,
  };
}
