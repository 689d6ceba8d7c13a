import { and, asc, eq, ne, sql } from "drizzle-orm";
import { ensureProfileDays } from "../calendar/working-days.js";
import type { WorkingPeriods } from "../calendar/working-periods.js";
import type { Db } from "../db/client.js";
import { likePrefix } from "../db/like.js";
import { ApiError } from "../http/errors.js";
import { agencies, type LatenessWindow } from "./schema.js";

export interface AgencyInput {
  name: string;
  shortCode: string;
  parentCode?: string | null;
  place?: string | null;
  workingPeriods?: WorkingPeriods;
  letterHeader?: string[] | null;
  /** Repeat-lateness policy (DOMAIN §5); null inherits the parent's (see src/catalog/lateness-window.ts). */
  latenessWindow?: LatenessWindow | null;
  latenessThreshold?: number | null;
  /** Where the daily digest is POSTed after each sweep (src/digest); null: nowhere. */
  digestWebhookUrl?: string | null;
  /** On letters' public status pages (src/letters/status-page): the agency's address, the feedback link. */
  address?: string | null;
  feedbackUrl?: string | null;
}

export type Agency = typeof agencies.$inferSelect;

export async function findAgency(db: Db, code: string): Promise<Agency | null> {
  const [row] = await db.select().from(agencies).where(eq(agencies.code, code)).limit(1);
  return row ?? null;
}

async function pathUnder(db: Db, code: string, parentCode: string | null | undefined): Promise<string> {
  if (!parentCode) return `/${code}/`;
  const parent = await findAgency(db, parentCode);
  if (!parent)
    throw new ApiError("UNPROCESSABLE", `Parent agency ${parentCode} is unknown`, { field: "parentCode" });
  if (parent.path.includes(`/${code}/`)) {
    throw new ApiError(
      "UNPROCESSABLE",
      `Agency ${code} cannot be placed under its own descendant ${parentCode}`,
      {
        field: "parentCode",
      },
    );
  }
  return `${parent.path}${code}/`;
}

/** Letter numbers read "n/PXL-<short code>": one short code, one agency, across the province. */
async function refuseTakenShortCode(db: Db, code: string, shortCode: string): Promise<void> {
  const [holder] = await db
    .select({ code: agencies.code })
    .from(agencies)
    .where(and(eq(agencies.shortCode, shortCode), ne(agencies.code, code)))
    .limit(1);
  if (holder) {
    throw new ApiError(
      "CONFLICT",
      `Short code ${shortCode} belongs to agency ${holder.code}: letter numbers (n/PXL-${shortCode}) must tell agencies apart`,
      { field: "shortCode", agencyCode: holder.code },
    );
  }
}

/** An agency as stored, and what storing it changed. */
export interface StoredAgency {
  agency: Agency;
  /** The agency as it was; null when it is new. */
  existing: Agency | null;
  /** An existing agency's working periods changed: its dossiers' stored deadlines are stale. */
  periodsChanged: boolean;
}

/**
 * PUT semantics, inside the caller's transaction: creates or replaces the agency; moving it
 * re-roots its whole subtree in one statement. New working periods get their SQL working-time
 * profile. The edit that calls it recomputes the deadlines it moves (src/rulebook/catalog-changes.ts).
 */
export async function storeAgency(tx: Db, code: string, input: AgencyInput): Promise<StoredAgency> {
  const existing = await findAgency(tx, code);
  await refuseTakenShortCode(tx, code, input.shortCode);
  const path = await pathUnder(tx, code, input.parentCode);
  const profile = input.workingPeriods ? await ensureProfileDays(tx, input.workingPeriods) : null;
  const values = {
    name: input.name,
    shortCode: input.shortCode,
    parentCode: input.parentCode ?? null,
    path,
    place: input.place ?? null,
    letterHeader: input.letterHeader ?? null,
    latenessWindow: input.latenessWindow ?? null,
    latenessThreshold: input.latenessThreshold ?? null,
    digestWebhookUrl: input.digestWebhookUrl ?? null,
    address: input.address ?? null,
    feedbackUrl: input.feedbackUrl ?? null,
    catalogued: true,
    updatedAt: new Date(),
    ...(input.workingPeriods && profile
      ? { workingPeriods: input.workingPeriods, workingProfile: profile }
      : {}),
  };
  const [agency] = await tx
    .insert(agencies)
    .values({ code, ...values })
    .onConflictDoUpdate({ target: agencies.code, set: values })
    .returning();
  if (existing && existing.path !== path) {
    await tx
      .update(agencies)
      .set({ path: sql`${path} || substr(${agencies.path}, ${existing.path.length + 1})` })
      .where(sql`${agencies.path} LIKE ${likePrefix(existing.path)} AND ${agencies.code} <> ${code}`);
  }
  const periodsChanged = existing !== null && profile !== null && profile !== existing.workingProfile;
  return { agency, existing, periodsChanged };
}

/** Every agency, in tree order (the materialised path sorts parents before their children). */
export async function listAgencies(db: Db): Promise<Agency[]> {
  return db.select().from(agencies).orderBy(asc(agencies.path));
}
