// The dossier as a letter needs it, in one round trip: the record, its pauses, the handling agency
// (and its parent, for the header), the procedure's rules, and the letter it may already have.
import { sql } from "drizzle-orm";
import { agencyInScope, type Principal } from "../auth/principal.js";
import type { WorkingPeriods } from "../calendar/working-periods.js";
import { type Db, queryRowsPrepared } from "../db/client.js";
import type { ApplicantKind, Channel, DossierPause, DossierStatus } from "../deadlines/dossier-record.js";
import type { DeadlineInput } from "../deadlines/types.js";
import { deadlineInputOf, type ProcedureRules } from "../dossiers/deadlines.js";
import { notFound } from "../http/errors.js";

interface Row extends ProcedureRules {
  code: string;
  agency_code: string;
  status: number;
  channel: Channel;
  applicant_name: string;
  applicant_kind: ApplicantKind;
  received_at: string | Date;
  promised_due_at: string | Date | null;
  finished_at: string | Date | null;
  returned_at: string | Date | null;
  agency_name: string;
  short_code: string;
  path: string;
  place: string | null;
  letter_header: string[] | null;
  working_periods: WorkingPeriods;
  parent_name: string | null;
  procedure_name: string;
  pauses: { kind: DossierPause["kind"]; startedAt: string; endedAt: string | null; reason: string | null }[];
  letter_id: string | number | null;
}

export interface LetterDossier {
  code: string;
  status: DossierStatus;
  applicantName: string;
  applicantKind: ApplicantKind;
  procedureName: string;
  receivedAt: Date;
  promisedDueAt: Date | null;
  agency: {
    code: string;
    name: string;
    shortCode: string;
    parentName: string | null;
    place: string | null;
    letterHeader: string[] | null;
    workingPeriods: WorkingPeriods;
    /** Materialised path: whose signing key applies (signing/keys.ts). */
    path: string;
  };
  /** The engine's input: deadlines are recomputed as of the request, as the dossier view does. */
  deadlineInput: DeadlineInput;
  /** The letter the dossier already has (DOMAIN §6: at most one, ever). */
  letterId: number | null;
}

const dateOrNull = (v: string | Date | null) => (v === null ? null : new Date(v));

/** The dossier, or 404 when unknown or outside the principal's scope. */
export async function loadLetterDossier(db: Db, principal: Principal, code: string): Promise<LetterDossier> {
  const dossier = await findLetterDossier(db, code);
  if (!dossier || !agencyInScope(principal, dossier.agency.path)) throw notFound(`Dossier ${code}`);
  return dossier;
}

/** The dossier whoever asks, or null: for the public status page, which checks its token instead. */
export async function findLetterDossier(db: Db, code: string): Promise<LetterDossier | null> {
  // Prepared: every issue, preview and status page reads it, and its joins cost more to plan than to run.
  const [row] = await queryRowsPrepared<Row>(
    db,
    sql`SELECT d.code, d.agency_code, d.status, d.channel, d.applicant_name, d.applicant_kind,
          d.received_at, d.promised_due_at, d.finished_at, d.returned_at,
          a.name AS agency_name, a.short_code, a.path, a.place, a.letter_header, a.working_periods,
          pa.name AS parent_name,
          coalesce(p.name, d.procedure_code) AS procedure_name,
          p.processing_time, p.per_channel, coalesce(p.supplement_policy, 'pause') AS supplement_policy,
          coalesce((SELECT jsonb_agg(jsonb_build_object('kind', x.kind, 'startedAt', x.started_at,
                      'endedAt', x.ended_at, 'reason', x.reason) ORDER BY x.seq)
                    FROM dossier_pauses x WHERE x.dossier_code = d.code), '[]'::jsonb) AS pauses,
          (SELECT l.id FROM apology_letters l WHERE l.dossier_code = d.code) AS letter_id
        FROM dossiers d
        JOIN agencies a ON a.code = d.agency_code
        LEFT JOIN agencies pa ON pa.code = a.parent_code
        LEFT JOIN procedures p ON p.code = d.procedure_code
        WHERE d.code = ${code}`,
  );
  if (!row) return null;
  const status = Number(row.status) as DossierStatus;
  const record = {
    receivedAt: new Date(row.received_at),
    promisedDueAt: dateOrNull(row.promised_due_at),
    finishedAt: dateOrNull(row.finished_at),
    returnedAt: dateOrNull(row.returned_at),
    status,
    channel: row.channel,
    pauses: row.pauses.map((p) => ({
      kind: p.kind,
      startedAt: new Date(p.startedAt),
      endedAt: dateOrNull(p.endedAt),
      reason: p.reason,
    })),
  };
  return {
    code: row.code,
    status,
    applicantName: row.applicant_name,
    applicantKind: row.applicant_kind,
    procedureName: row.procedure_name,
    receivedAt: record.receivedAt,
    promisedDueAt: record.promisedDueAt,
    agency: {
      code: row.agency_code,
      name: row.agency_name,
      shortCode: row.short_code,
      parentName: row.parent_name,
      place: row.place,
      letterHeader: row.letter_header,
      workingPeriods: row.working_periods,
      path: row.path,
    },
    deadlineInput: deadlineInputOf(record, row),
    letterId: row.letter_id === null ? null : Number(row.letter_id),
  };
}
