// A dossier from its full record and its deltas, whatever order they were delivered in. Pure.
// The result depends only on the set of messages: the status is the latest message's by the
// dossier's order (src/sync/order.ts), steps are matched by what they describe, and every tie is
// broken by content, so any permutation of the same deliveries gives the same dossier.
import type { DossierRecord, DossierStatus, DossierStep } from "../deadlines/dossier-record.js";
import type { DossierDelta, ProgressDelta } from "./deltas.js";
import { officialIdFromName } from "./formats/dvcqg.js";
import { latestOf, type OrderMode, orderKey } from "./order.js";

interface StatusMessage {
  key: string;
  status: DossierStatus;
  sourceStatus: string | null;
  at: Date;
  finishedAt: Date | null;
  returnedAt: Date | null;
  promisedDueAt: Date | null;
}

export const orderModeOf = (record: Pick<DossierRecord, "sourceStamped">): OrderMode =>
  record.sourceStamped === false ? "lifecycle" : "stamped";

/** The full record's own place in the order; its deltas are compared with it. */
export function recordOrderKey(record: DossierRecord, contentHash: string): string {
  const mode = orderModeOf(record);
  return orderKey(
    {
      status: record.status,
      updatedAt: mode === "stamped" ? record.sourceUpdatedAt : null,
      eventAt: record.sourceUpdatedAt,
      contentHash,
    },
    mode,
  );
}

/** A status-bearing delta's place among the messages of a dossier ordered by `mode`. */
export function deltaOrderKey(d: DossierDelta & { status: DossierStatus }, mode: OrderMode): string {
  const updatedAt = d.kind === "status" ? d.updatedAt : null;
  return orderKey({ status: d.status, updatedAt, eventAt: d.eventAt, contentHash: d.contentHash }, mode);
}

/** Whether a delta reports a status older than the full record's (it is then kept, not applied). */
export function olderThanRecord(d: DossierDelta, base: DossierRecord, baseHash: string): boolean {
  if (d.status === null) return false;
  return deltaOrderKey({ ...d, status: d.status }, orderModeOf(base)) < recordOrderKey(base, baseHash);
}

function statusMessages(deltas: DossierDelta[], mode: OrderMode): StatusMessage[] {
  return deltas.flatMap((d): StatusMessage[] => {
    if (d.status === null) return [];
    const updatedAt = d.kind === "status" ? d.updatedAt : null;
    return [
      {
        key: deltaOrderKey({ ...d, status: d.status }, mode),
        status: d.status,
        sourceStatus: d.sourceStatus,
        at: updatedAt ?? d.eventAt,
        finishedAt: d.kind === "status" ? d.finishedAt : null,
        returnedAt: d.kind === "status" ? d.returnedAt : null,
        promisedDueAt: d.kind === "status" ? d.promisedDueAt : null,
      },
    ];
  });
}

const earliest = (dates: Array<Date | null>) =>
  dates.reduce<Date | null>((min, d) => (d && (!min || d < min) ? d : min), null);

/**
 * When the result was ready or returned, if the record does not say: the first message that
 * reported it (a status row's own time, else its status's time). Only while the dossier is in
 * that state: an older "processed" never finishes a dossier its latest message has reopened.
 */
function completionTimes(base: DossierRecord, status: DossierStatus, messages: StatusMessage[]) {
  const done = status === 9 || status === 10;
  const finishedAt =
    base.finishedAt ??
    (done ? earliest(messages.map((m) => m.finishedAt ?? (m.status === 9 ? m.at : null))) : null);
  const returnedAt =
    base.returnedAt ??
    (status === 10 ? earliest(messages.map((m) => m.returnedAt ?? (m.status === 10 ? m.at : null))) : null);
  return { finishedAt, returnedAt };
}

const normalised = (text: string | null) =>
  text?.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase() ?? "";

/** What a step is, for matching a progress row with the step it describes: start, handler, content. */
function stepIdentity(step: Omit<DossierStep, "seq">): string {
  const start = (step.startedAt ?? step.endedAt)?.toISOString() ?? "";
  return [start, normalised(step.officialName ?? step.officialId), normalised(step.note)].join("\u0001");
}

/** Of two reports of one step, the one that knows more: ended over open, later end, then content. */
function better(a: ProgressDelta & { contentHash: string }, b: ProgressDelta & { contentHash: string }) {
  const endA = a.step.endedAt?.toISOString() ?? "";
  const endB = b.step.endedAt?.toISOString() ?? "";
  if (endA !== endB) return endA > endB ? a : b;
  return a.contentHash >= b.contentHash ? a : b;
}

/** A step from a progress row over what the record had of it: the row's values where it has one. */
function overlaid(step: DossierStep, row: Omit<DossierStep, "seq">): DossierStep {
  return {
    seq: step.seq,
    officialId: step.officialId ?? row.officialId,
    officialName: row.officialName ?? step.officialName,
    title: row.title ?? step.title,
    department: row.department ?? step.department,
    startedAt: row.startedAt ?? step.startedAt,
    dueAt: row.dueAt ?? step.dueAt,
    endedAt: row.endedAt ?? step.endedAt,
    note: row.note ?? step.note,
  };
}

/** The record's steps with the progress rows folded in: matched rows update, the others append. */
function mergedSteps(base: DossierRecord, deltas: DossierDelta[]): DossierStep[] {
  const rows = new Map<string, ProgressDelta & { contentHash: string }>();
  for (const d of deltas) {
    if (d.kind !== "progress") continue;
    const identity = stepIdentity(d.step);
    const seen = rows.get(identity);
    rows.set(identity, seen ? better(seen, d) : d);
  }
  if (rows.size === 0) return base.steps;
  const steps = base.steps.map((step) => {
    const identity = stepIdentity(step);
    const row = rows.get(identity);
    if (!row) return step;
    rows.delete(identity);
    return overlaid(step, row.step);
  });
  let seq = Math.max(0, ...base.steps.map((s) => s.seq));
  const appended = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, row] of appended) {
    const officialId =
      row.step.officialId ??
      (row.step.officialName ? officialIdFromName(base.agencyCode, row.step.officialName) : null);
    steps.push({ ...row.step, officialId, seq: ++seq });
  }
  return steps;
}

/** The dossier that the full record `base` (of hash `baseHash`) and all its deltas describe. */
export function mergeDeltas(base: DossierRecord, baseHash: string, deltas: DossierDelta[]): DossierRecord {
  if (deltas.length === 0) return base;
  const mode = orderModeOf(base);
  const baseKey = recordOrderKey(base, baseHash);
  const messages = statusMessages(deltas, mode);
  const newer = messages.filter((m) => m.key > baseKey).sort((a, b) => (a.key < b.key ? -1 : 1));
  const winner = newer.at(-1);
  const status = winner?.status ?? base.status;
  const appointment = newer.filter((m) => m.promisedDueAt !== null).at(-1)?.promisedDueAt;
  return {
    ...base,
    status,
    sourceStatus: winner ? winner.sourceStatus : base.sourceStatus,
    ...completionTimes(base, status, messages),
    promisedDueAt: appointment ?? base.promisedDueAt,
    steps: mergedSteps(base, deltas),
    sourceUpdatedAt: latestOf([base.sourceUpdatedAt, ...newer.map((m) => m.at)]) ?? base.sourceUpdatedAt,
  };
}
