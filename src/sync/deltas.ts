// Deltas: the messages real one-stop systems send after a dossier's full record, keyed by its code
// (MaHoSo) — a progress row per processing step (CapNhatTienDoHoSoMC) and status rows
// (DongBoTrangThaiHoSo, iGate's capnhattrangthai). Pure data; src/sync/merge.ts folds them in.
import type { DossierStatus, DossierStep } from "../deadlines/dossier-record.js";

interface DeltaBase {
  code: string;
  /** The status the message reports, read in the source's dialect; null when absent or unknown. */
  status: DossierStatus | null;
  /** The status code as sent, when it is not the portal code in `status`. */
  sourceStatus: string | null;
  /** When what it reports happened; when it says nothing of time, when it was received. */
  eventAt: Date;
}

/** One processing step (quá trình xử lý) as a progress row reports it. */
export interface ProgressDelta extends DeltaBase {
  kind: "progress";
  /** The step without its position: progress rows are matched by what they describe, not by order. */
  step: Omit<DossierStep, "seq">;
}

/** A change of status, with the times and appointment it may carry. */
export interface StatusDelta extends DeltaBase {
  kind: "status";
  /** The source's own update time, when it sends one (NgayCapNhat). */
  updatedAt: Date | null;
  finishedAt: Date | null;
  returnedAt: Date | null;
  promisedDueAt: Date | null;
  note: string | null;
}

export type DossierDelta = (ProgressDelta | StatusDelta) & { contentHash: string };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s === null ? null : new Date(s));

/** A delta as stored (sync_deltas.delta): JSON with ISO instants. */
export function storedDelta(d: ProgressDelta | StatusDelta): Record<string, unknown> {
  if (d.kind === "progress") {
    const { step } = d;
    return {
      ...d,
      eventAt: iso(d.eventAt),
      step: { ...step, startedAt: iso(step.startedAt), dueAt: iso(step.dueAt), endedAt: iso(step.endedAt) },
    };
  }
  return {
    ...d,
    eventAt: iso(d.eventAt),
    updatedAt: iso(d.updatedAt),
    finishedAt: iso(d.finishedAt),
    returnedAt: iso(d.returnedAt),
    promisedDueAt: iso(d.promisedDueAt),
  };
}

/** The inverse of `storedDelta`. */
export function deltaFromStored(json: Record<string, unknown>, contentHash: string): DossierDelta {
  const eventAt = new Date(json.eventAt as string);
  if (json.kind === "progress") {
    const step = json.step as Record<string, string | null>;
    return {
      ...(json as unknown as ProgressDelta),
      eventAt,
      step: {
        officialId: step.officialId,
        officialName: step.officialName,
        title: step.title,
        department: step.department,
        note: step.note,
        startedAt: date(step.startedAt),
        dueAt: date(step.dueAt),
        endedAt: date(step.endedAt),
      },
      contentHash,
    };
  }
  const s = json as Record<string, string | null>;
  return {
    ...(json as unknown as StatusDelta),
    eventAt,
    updatedAt: date(s.updatedAt),
    finishedAt: date(s.finishedAt),
    returnedAt: date(s.returnedAt),
    promisedDueAt: date(s.promisedDueAt),
    contentHash,
  };
}
