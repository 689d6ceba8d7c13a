// The one-stop systems that send records, each with its dialect: which of its status codes mean
// which portal code, and what a literal "Z" on its dates means. An admin edits them
// (PUT /api/v1/sync/sources/{id}); a source nobody configured reads with the defaults.
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/client.js";
import type { DossierStatus } from "../deadlines/dossier-record.js";
import type { LiteralZ } from "./formats/instant.js";
import { syncSources } from "./schema.js";

export interface SourceDialect {
  id: string;
  /** The source's status code (as text) → the portal code it means. */
  statusMap: Readonly<Record<string, DossierStatus>>;
  literalZ: LiteralZ;
}

/** The source of records sent without `?source=`. */
export const DEFAULT_SOURCE_ID = "default";

/**
 * Codes some producers send that are not the portal's, with the meaning their code gives them:
 * Thanh Hóa's one-stop system sends a refused or withdrawn dossier (its "3") as "11"
 * (docs/research/dvcqg-producers.md §3.4). A source's own map overrides these.
 */
export const KNOWN_VENDOR_CODES: Readonly<Record<string, DossierStatus>> = { "11": 3 };

export const defaultDialect = (id: string): SourceDialect => ({ id, statusMap: {}, literalZ: "utc" });

export async function findDialect(db: Db, id: string): Promise<SourceDialect> {
  const [row] = await db.select().from(syncSources).where(eq(syncSources.id, id)).limit(1);
  return row ? { id, statusMap: row.statusMap, literalZ: row.literalZ } : defaultDialect(id);
}

export type StatusReading =
  | { status: DossierStatus; sourceStatus: string | null }
  | { status: null; sourceStatus: string | null };

const PORTAL_CODES = new Set(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);

/**
 * A status as sent, read in the source's dialect: its map first (a vendor may give a portal code
 * its own meaning), then the portal codes, then the codes known vendors use. Unknown codes give
 * no status but are kept as sent; null for a status not sent.
 */
export function readStatus(code: string | null, dialect: SourceDialect): StatusReading {
  if (code === null) return { status: null, sourceStatus: null };
  const mapped = dialect.statusMap[code];
  if (mapped !== undefined) return { status: mapped, sourceStatus: code };
  if (PORTAL_CODES.has(code)) return { status: Number(code) as DossierStatus, sourceStatus: null };
  const known = KNOWN_VENDOR_CODES[code];
  return { status: known ?? null, sourceStatus: code };
}

export interface SourceInput {
  name?: string | null;
  /** Codes to portal codes; a code outside 1–10 is refused by the route's schema. */
  statusMap: Record<string, number>;
  literalZ: LiteralZ;
}

/** Creates or replaces a source's dialect, audited. */
export async function putSource(db: Db, actor: Principal, id: string, input: SourceInput) {
  return db.transaction(async (tx) => {
    const values = {
      name: input.name ?? null,
      statusMap: input.statusMap as Record<string, DossierStatus>,
      literalZ: input.literalZ,
      updatedAt: new Date(),
    };
    const [row] = await tx
      .insert(syncSources)
      .values({ id, ...values })
      .onConflictDoUpdate({ target: syncSources.id, set: values })
      .returning();
    await recordAudit(tx, actor, {
      action: "sync.source",
      resourceType: "sync_source",
      resourceId: id,
      details: { ...input },
    });
    return row;
  });
}

export async function listSources(db: Db) {
  return db.select().from(syncSources).orderBy(syncSources.id);
}
