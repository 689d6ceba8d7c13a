// Issuing the apology letter (DOMAIN §6), in one transaction: eligibility as of now, the new
// appointment, the one-per-dossier cap, the number, the PDF and its SHA-256, the audit entry.
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { auditInsert } from "../audit/record.js";
import type { Principal } from "../auth/principal.js";
import { localParts } from "../calendar/dates.js";
import { type StoredCalendarView, storedCalendar } from "../calendar/store.js";
import type { WorkingTimeIndex } from "../calendar/working-time.js";
import type { Db } from "../db/client.js";
import { uniqueViolation } from "../db/errors.js";
import { computeDeadlines } from "../deadlines/engine.js";
import type { Deadlines } from "../deadlines/types.js";
import { ApiError } from "../http/errors.js";
import type { LetterFonts } from "../pdf/fonts.js";
import type { Clock } from "../runtime/clock.js";
import { localIsoDate } from "./dates.js";
import { type LetterDossier, loadLetterDossier } from "./dossier.js";
import { apologyEligibility, checkAppointment } from "./eligibility.js";
import { numberedFile } from "./numbering.js";
import { letterNumber } from "./render.js";
import { type LetterRenderer, rendererOf } from "./renderer.js";
import { apologyLetters } from "./schema.js";
import { type LetterServices, NO_LETTER_SERVICES } from "./services.js";
import { letterFile } from "./signed-letter.js";
import { signerFor } from "./signing/keys.js";
import { type LetterSnapshot, toStoredSnapshot } from "./snapshot.js";
import { newStatusToken, statusUrlOf } from "./status-links.js";
import { suggestAppointment } from "./suggestion.js";
import { templateForIssueDate } from "./templates.js";
import { type LetterKind, type LetterSummary, letterSummary } from "./view.js";
import { type IssueWarning, issueWarnings } from "./warnings.js";

export interface IssueDeps {
  clock: Clock;
  letterFonts: LetterFonts;
  /** Where issued and corrected letters are drawn; absent: in the request's own thread. */
  letterRenderer?: LetterRenderer;
  /** Signing keys, the public address for QR codes; none: letters unsigned, without QR. */
  letters?: LetterServices;
}

export interface IssueRequest {
  reason: string;
  /**
   * Ngày hẹn trả mới, for a dossier still open. Absent for the apology after the fact (DOMAIN §6,
   * amended), and for an open dossier when `suggestAppointment` is set (batch issue).
   */
  newDueAt?: Date;
  /** An open dossier without `newDueAt` gets the suggested appointment instead of a 422. */
  suggestAppointment?: boolean;
  signerName: string;
  signerTitle: string;
  /**
   * The fingerprint of the letter the officer confirmed (`LetterPlan.fingerprint`): the issue is
   * refused (409) when the letter it would write is no longer that one.
   */
  confirmed?: string;
}

/** The unique index that is the cap (DOMAIN §6: at most one letter per dossier, ever). */
const ONE_PER_DOSSIER = "apology_letters_one_per_dossier";

export const letterExists = (code: string, letterId: number) =>
  new ApiError("LETTER_EXISTS", `Dossier ${code} already has an apology letter; it cannot have another`, {
    letterId,
  });

/** The dossier's deadlines as of now, on its agency's working time. */
export function deadlinesNow(calendar: StoredCalendarView, dossier: LetterDossier, now: Date) {
  const index = calendar.indexFor(dossier.agency.workingPeriods);
  return { index, deadlines: computeDeadlines(index, dossier.deadlineInput, now) };
}

const appointmentProblem = (problem: string, message: string, details: Record<string, unknown> = {}) =>
  new ApiError("UNPROCESSABLE", message, { field: "newDueAt", problem, ...details });

/**
 * 422 unless the dossier may get a letter now and the new appointment is acceptable. The
 * appointment, or null for the apology after the fact: a dossier that finished late gets no
 * extension request and no new appointment (DOMAIN §6, amended).
 */
function validate(
  dossier: LetterDossier,
  index: WorkingTimeIndex,
  deadlines: Deadlines,
  now: Date,
  request: IssueRequest,
): Date | null {
  const eligibility = apologyEligibility(deadlines, dossier.status, now);
  if (!eligibility.eligible) {
    throw new ApiError("NOT_ELIGIBLE", eligibility.message, {
      reason: eligibility.reason,
      state: eligibility.state,
      status: dossier.status,
      asOf: now.toISOString(),
      bindingDueAt: deadlines.bindingDueAt?.toISOString() ?? null,
      apologyWindowStartsAt: deadlines.apologyWindowStartsAt?.toISOString() ?? null,
      finishedAt: deadlines.finishedAt?.toISOString() ?? null,
    });
  }
  if (eligibility.state === "late") {
    if (request.newDueAt) {
      throw appointmentProblem(
        "after_the_fact",
        "The dossier finished late: its apology comes after the fact, with no new appointment (omit newDueAt)",
        { finishedAt: deadlines.finishedAt?.toISOString() ?? null },
      );
    }
    return null;
  }
  if (!request.newDueAt && !request.suggestAppointment) {
    throw appointmentProblem("required", "The dossier is still open: the letter needs its new appointment");
  }
  const appointment =
    request.newDueAt ??
    suggestAppointment(index, {
      now,
      bindingDueAt: deadlines.bindingDueAt,
      processingTime: dossier.deadlineInput.processingTime,
    });
  const problem = checkAppointment(index, appointment, now, deadlines.bindingDueAt);
  if (problem) {
    throw appointmentProblem(problem.problem, problem.message, {
      newDueAt: appointment.toISOString(),
      bindingDueAt: deadlines.bindingDueAt?.toISOString() ?? null,
      ...(problem.day ? { day: problem.day } : {}),
    });
  }
  return appointment;
}

function snapshotOf(
  dossier: LetterDossier,
  deadlines: Deadlines,
  request: IssueRequest,
  fields: { number: number; issuedAt: Date; newDueAt: Date | null },
): LetterSnapshot {
  const { agency } = dossier;
  return {
    form: templateForIssueDate(fields.issuedAt).id,
    number: fields.number,
    agency: {
      name: agency.name,
      shortCode: agency.shortCode,
      parentName: agency.parentName,
      ...(agency.letterHeader?.length ? { letterHeader: agency.letterHeader } : {}),
      // An agency only known from synced records has no place yet: its name stands in.
      place: agency.place ?? agency.name,
    },
    issuedAt: fields.issuedAt,
    dossier: {
      code: dossier.code,
      receivedAt: dossier.receivedAt,
      procedureName: dossier.procedureName,
      applicantName: dossier.applicantName,
      applicantKind: dossier.applicantKind,
      promisedDueAt: dossier.promisedDueAt,
    },
    reason: request.reason,
    newDueAt: fields.newDueAt,
    ...(fields.newDueAt === null ? { finishedAt: deadlines.finishedAt } : {}),
    signerName: request.signerName,
    signerTitle: request.signerTitle,
    version: 1,
  };
}

/** What issuing now would write, before the number is drawn: the letter shown for confirmation. */
export interface LetterPlan {
  /** The letter as it would be rendered, with number 0 (the issue draws it). */
  snapshot: LetterSnapshot;
  kind: LetterKind;
  warnings: IssueWarning[];
  /**
   * SHA-256 over everything the letter would say but its number and time of day, and the warnings:
   * a confirmation is for this letter only (a later dossier change, a new day or form, a new
   * warning make it stale).
   */
  fingerprint: string;
}

function planOf(
  dossier: LetterDossier,
  deadlines: Deadlines,
  request: IssueRequest,
  now: Date,
  newDueAt: Date | null,
): LetterPlan {
  const snapshot = snapshotOf(dossier, deadlines, request, { number: 0, issuedAt: now, newDueAt });
  const warnings = issueWarnings(dossier, deadlines, now);
  const { issuedAt: _, number: __, ...content } = snapshot;
  const fingerprint = createHash("sha256")
    .update(JSON.stringify({ content, issueDay: localIsoDate(now), warnings: warnings.map((w) => w.kind) }))
    .digest("hex");
  return { snapshot, kind: newDueAt === null ? "after_the_fact" : "reappointment", warnings, fingerprint };
}

/** The dossier as issuing it now sees it, and the letter it would get: 404, 409 and 422 as DOMAIN §6 says. */
export async function checkedForIssue(
  db: Db,
  calendar: StoredCalendarView,
  principal: Principal,
  code: string,
  request: IssueRequest,
  now: Date,
): Promise<{ dossier: LetterDossier; plan: LetterPlan }> {
  const dossier = await loadLetterDossier(db, principal, code);
  if (dossier.letterId !== null) throw letterExists(code, dossier.letterId);
  const { index, deadlines } = deadlinesNow(calendar, dossier, now);
  const newDueAt = validate(dossier, index, deadlines, now, request);
  const plan = planOf(dossier, deadlines, request, now, newDueAt);
  if (request.confirmed !== undefined && request.confirmed !== plan.fingerprint) {
    throw new ApiError(
      "CONFLICT",
      "The dossier or the letter changed since it was confirmed: review the letter again before issuing",
      { reason: "stale_confirmation", fingerprint: plan.fingerprint },
    );
  }
  return { dossier, plan };
}

/**
 * Issues the dossier's apology letter. Order inside the transaction: the letter row first — the
 * unique index on its dossier code is the cap, and concurrent requests for the same dossier wait on
 * it and then fail with 23505 — and only then the number, so that a request that loses the cap never
 * draws one. A loser's transaction is rolled back and it answers 409 with the winner's id.
 */
export async function issueLetter(
  db: Db,
  deps: IssueDeps,
  principal: Principal,
  code: string,
  request: IssueRequest,
): Promise<LetterSummary> {
  const issuedAt = deps.clock.now();
  // Read before the transaction, which it need not lengthen: the calendar changes by decree.
  const calendar = await storedCalendar(db);
  try {
    return await db.transaction(async (tx) => {
      const { dossier, plan } = await checkedForIssue(tx, calendar, principal, code, request, issuedAt);
      const { newDueAt } = plan.snapshot;
      const template = templateForIssueDate(issuedAt);
      const year = localParts(issuedAt).year;

      const [{ id }] = await tx
        .insert(apologyLetters)
        .values({
          dossierCode: code,
          agencyCode: dossier.agency.code,
          year,
          form: template.id,
          reason: request.reason,
          newDueAt,
          signerName: request.signerName,
          signerTitle: request.signerTitle,
          issuedAt,
          issuedBy: principal.userId,
        })
        .returning({ id: apologyLetters.id });
      const services = deps.letters ?? NO_LETTER_SERVICES;
      const token = newStatusToken();
      const statusUrl = statusUrlOf(services.publicBaseUrl, token);
      const identity = signerFor(services.signing, dossier.agency.path);
      const fileNumbered = async (number: number) => {
        const snapshot = { ...plan.snapshot, number, ...(statusUrl ? { statusUrl } : {}) };
        return { snapshot, ...(await letterFile(rendererOf(deps), snapshot, identity)) };
      };
      type NumberedLetter = Awaited<ReturnType<typeof fileNumbered>>;
      // The number, the first version, the status link and the audit entry, in the statement that
      // draws the number (numberedFile): the counter row stays locked from the draw to the commit.
      const writes = (number: number, { snapshot, pdf, sha256, signature }: NumberedLetter) => {
        const reference = letterNumber(template, number, dossier.agency.shortCode);
        const audit = auditInsert(
          principal,
          {
            action: "letter.issue",
            resourceType: "letter",
            resourceId: String(id),
            agencyCode: dossier.agency.code,
            details: {
              dossierCode: code,
              number: reference,
              form: template.id,
              kind: plan.kind,
              newDueAt: newDueAt?.toISOString() ?? null,
              version: 1,
              sha256,
              signedBy: signature?.signerName ?? null,
            },
          },
          sql`wanted`,
        );
        return sql`
          numbered AS (UPDATE apology_letters SET number = ${number}, reference = ${reference} FROM wanted WHERE id = ${id}),
          linked AS (INSERT INTO letter_status_links (token, letter_id, created_at)
            SELECT ${token}::text, ${id}::integer, ${issuedAt.toISOString()}::timestamptz FROM wanted),
          audited AS (${audit}),
          versioned AS (INSERT INTO letter_versions (letter_id, version, pdf, sha256, input, created_by, signature)
            SELECT ${id}::integer, 1, ${pdf}::bytea, ${sha256}::text, ${JSON.stringify(toStoredSnapshot(snapshot))}::jsonb,
              ${principal.userId}::integer, ${signature === null ? null : JSON.stringify(signature)}::jsonb FROM wanted)`;
      };
      const { number, file } = await numberedFile(db, tx, dossier.agency.code, year, fileNumbered, writes);
      const { sha256, signature } = file;
      const reference = letterNumber(template, number, dossier.agency.shortCode);
      return letterSummary({
        id,
        dossierCode: code,
        agencyCode: dossier.agency.code,
        year,
        number,
        reference,
        form: template.id,
        reason: request.reason,
        newDueAt,
        signerName: request.signerName,
        signerTitle: request.signerTitle,
        issuedAt,
        version: 1,
        sha256,
        signature,
        statusToken: token,
      });
    });
  } catch (error) {
    if (uniqueViolation(error) !== ONE_PER_DOSSIER) throw error;
    // Read after the rollback: the winner has committed, or its row would not have stopped us.
    const [existing] = await db
      .select({ id: apologyLetters.id })
      .from(apologyLetters)
      .where(eq(apologyLetters.dossierCode, code));
    throw letterExists(code, existing.id);
  }
}
