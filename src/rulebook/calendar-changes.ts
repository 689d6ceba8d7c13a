// A change of one calendar day (DOMAIN §2), as admins make it: the day set, and the stored deadlines
// of the open dossiers it moves recomputed in the same transaction, or only previewed.
import { type AuditActor, recordAudit } from "../audit/record.js";
import { type DayChange, type DayEntry, setCalendarDay } from "../calendar/edit.js";
import { forgetCalendarFingerprint } from "../calendar/store.js";
import type { Db } from "../db/client.js";
import { type RecomputeResult, recomputeDeadlines } from "../dossiers/recompute.js";

export interface DayChangeOutcome {
  date: string;
  applied: boolean;
  asOf: string;
  old: DayEntry;
  new: DayEntry;
  dossiers: RecomputeResult;
}

export interface DayChangeOptions {
  asOf: Date;
  confirm: boolean;
  /** How many moved dossiers to list (see RecomputeOptions). */
  listLimit?: number;
  /** By new binding due (default) or by the size of the move (the console's preview). */
  listOrder?: "due" | "shift";
}

/** Rolls the preview's transaction back while carrying its outcome out. */
class PreviewOnly extends Error {
  constructor(readonly outcome: DayChangeOutcome) {
    super("preview only");
  }
}

async function applyDayChange(
  tx: Db,
  date: string,
  change: DayChange,
  options: DayChangeOptions,
): Promise<DayChangeOutcome> {
  const entry = await setCalendarDay(tx, date, change);
  const dossiers = await recomputeDeadlines(tx, {
    coveringDate: date,
    asOf: options.asOf,
    listLimit: options.listLimit,
    listOrder: options.listOrder,
  });
  return {
    date,
    applied: options.confirm,
    asOf: options.asOf.toISOString(),
    old: entry.old,
    new: entry.new,
    dossiers,
  };
}

/**
 * PUT of one calendar day. Without `confirm`, a preview: the change and the recomputation run in a
 * transaction that is rolled back, so the preview is exactly what confirming would do and nothing
 * changes. With it, the same, committed and audited.
 */
export async function changeCalendarDay(
  db: Db,
  actor: AuditActor,
  date: string,
  change: DayChange,
  options: DayChangeOptions,
): Promise<DayChangeOutcome> {
  if (!options.confirm) {
    try {
      await db.transaction(async (tx) => {
        throw new PreviewOnly(await applyDayChange(tx, date, change, options));
      });
    } catch (error) {
      if (error instanceof PreviewOnly) return error.outcome;
      throw error;
    }
  }
  const committed = await db.transaction(async (tx) => {
    const outcome = await applyDayChange(tx, date, change, options);
    await recordAudit(tx, actor, {
      action: "calendar.day.update",
      resourceType: "calendar_day",
      resourceId: date,
      details: {
        old: outcome.old,
        new: outcome.new,
        asOf: outcome.asOf,
        dossiersMoved: outcome.dossiers.moved,
        dossiersUpdated: outcome.dossiers.updated,
      },
    });
    return outcome;
  });
  forgetCalendarFingerprint(db);
  return committed;
}
