// SQL pieces shared by the rules of DOMAIN §7 (what other readers share, such as the digest, is in
// src/dossiers/state-sql.ts). Every rule reads dossiers as alias `d` and is a
// function of `asOf`, so that a sweep of any past instant is reproducible.
import { type SQL, sql } from "drizzle-orm";
import { finishedBySql, hasLetterBySql, instantSql, judgedSql } from "../../dossiers/state-sql.js";
import type { ViolationRule } from "../schema.js";

export { finishedBySql, hasLetterBySql, instantSql, judgedSql };

export interface RuleContext {
  asOf: Date;
  /** The dossiers a rule reads (as `d`): the table for a full sweep, the changed set's rows otherwise. */
  dossiers: SQL;
  /** A condition on `d.code`: TRUE for a full sweep, membership in the changed set otherwise. */
  scope: SQL;
  /** The same condition on any dossier code column. */
  inScope(code: SQL): SQL;
}

/**
 * A rule is its cause: one set-based SELECT of `(dossier_code, agency_code, details)` for every
 * dossier in scope that breaks it as of `asOf`. Detection and resolution are derived from it.
 */
export interface Rule {
  name: ViolationRule;
  cause(context: RuleContext): SQL;
}

/** An instant as ISO text in UTC, whatever the session's time zone, for stable `details`. */
export const isoSql = (instant: SQL) =>
  sql`to_char(${instant} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The dossier's apology letter, if one was issued by `asOf` (at most one per dossier, ever). */
export const letterJoinSql = (asOf: Date) =>
  sql`JOIN apology_letters l ON l.dossier_code = d.code AND l.issued_at <= ${instantSql(asOf)}`;

/** A pause (supplement or financial) running at `asOf`. */
export const pausedAtSql = (asOf: Date) =>
  sql`EXISTS (SELECT 1 FROM dossier_pauses p WHERE p.dossier_code = d.code
        AND p.started_at <= ${instantSql(asOf)} AND (p.ended_at IS NULL OR p.ended_at > ${instantSql(asOf)}))`;

/**
 * The judged dossier (alias `d`) of each row of a small candidate set: a primary-key probe per
 * candidate. `LIMIT 1` keeps it a probe — flattened, the planner would hash-join the whole table,
 * not knowing how few the candidates (found by partial indexes) are.
 */
export const judgedDossierOf = (code: SQL, { asOf, dossiers, scope }: RuleContext) =>
  sql`CROSS JOIN LATERAL (SELECT * FROM ${dossiers} d WHERE d.code = ${code} AND ${judgedSql(asOf)} AND ${scope} LIMIT 1) d`;
