import { type SQL, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal.js";
import { toInstant, toInstantOrNull } from "../contract/wire.js";
import { type Db, queryRows, queryRowsPrepared, textArray } from "../db/client.js";
import { likePrefix } from "../db/like.js";
import { notClosedSql } from "../deadlines/dossier-record.js";
import type { DossierState } from "../deadlines/types.js";
import { ApiError } from "../http/errors.js";
import { parseInstant } from "../http/params.js";
import type { DossierSummary } from "./api-schemas.js";
import { stateAsOf } from "./state-sql.js";

export interface DossierListFilter {
  asOf: Date;
  state?: DossierState;
  agency?: string;
  procedure?: string;
  /** Received from / to (inclusive of from, exclusive of to). */
  from?: Date;
  to?: Date;
  /** Dossier code or applicant name, case-insensitive substring. */
  q?: string;
  /** Only dossiers with (true) or without (false) an apology letter. */
  hasLetter?: boolean;
  limit: number;
  cursor?: string;
}

/** A row of the list's statement, as PostgreSQL gives it; the list answers DossierSummary. */
interface DossierListRow {
  code: string;
  agency_code: string;
  procedure_code: string;
  procedure_name: string | null;
  applicant_name: string;
  status: number;
  received_at: string;
  promised_due_at: string | null;
  statutory_due_at: string | null;
  binding_due_at: string | null;
  apology_window_starts_at: string | null;
  completed_at: string | null;
  state: DossierState;
  has_letter: boolean;
}

/** The rows a principal may see: their agency, their subtree, or everything. */
export function scopeCondition(principal: Principal): SQL {
  if (principal.scopeKind === "all") return sql`TRUE`;
  if (principal.scopeKind === "agency") return sql`d.agency_code = ${principal.scopeAgencyCode}`;
  return sql`a.path LIKE ${likePrefix(principal.scopePath ?? "//")}`;
}

function decodeCursor(cursor: string): { receivedAt: string; code: string } {
  try {
    const [receivedAt, code] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [
      string,
      string,
    ];
    // Any text can come back as a cursor: its instant must be one PostgreSQL takes, its code a code.
    if (typeof receivedAt !== "string" || parseInstant(receivedAt) === null) throw new Error();
    if (typeof code !== "string" || code.length > 200) throw new Error();
    return { receivedAt, code };
  } catch {
    throw new ApiError("BAD_REQUEST", "The cursor is not one this service gave", { field: "cursor" });
  }
}

const encodeCursor = (dossier: DossierSummary) =>
  Buffer.from(JSON.stringify([dossier.receivedAt, dossier.code])).toString("base64url");

/** The API's type of a row, at the query: the console and the routes read the same objects. */
const summaryOf = (row: DossierListRow): DossierSummary => ({
  code: row.code,
  agencyCode: row.agency_code,
  procedureCode: row.procedure_code,
  procedureName: row.procedure_name,
  applicantName: row.applicant_name,
  status: Number(row.status),
  receivedAt: toInstant(row.received_at),
  promisedDueAt: toInstantOrNull(row.promised_due_at),
  statutoryDueAt: toInstantOrNull(row.statutory_due_at),
  bindingDueAt: toInstantOrNull(row.binding_due_at),
  apologyWindowStartsAt: toInstantOrNull(row.apology_window_starts_at),
  completedAt: toInstantOrNull(row.completed_at),
  state: row.state,
  hasLetter: row.has_letter,
});

/** The agencies (alias `a`) whose dossiers a list reads: the caller's scope, narrowed to one when asked. */
function listedAgencies(principal: Principal, agency: string | undefined): SQL {
  const conditions: SQL[] = [];
  if (principal.scopeKind === "agency") conditions.push(sql`a.code = ${principal.scopeAgencyCode}`);
  if (principal.scopeKind === "subtree")
    conditions.push(sql`a.path LIKE ${likePrefix(principal.scopePath ?? "//")}`);
  if (agency) conditions.push(sql`a.code = ${agency}`);
  return conditions.length > 0 ? sql.join(conditions, sql` AND `) : sql`TRUE`;
}

const OPEN_STATES: ReadonlySet<DossierState> = new Set(["on_track", "due_soon", "overdue"]);

/** The filters of a list over `d` (dossiers), scope aside. */
function listConditions(filter: DossierListFilter, state: SQL<DossierState>): SQL[] {
  const conditions: SQL[] = [sql`d.received_at <= ${filter.asOf.toISOString()}::timestamptz`];
  if (filter.procedure) conditions.push(sql`d.procedure_code = ${filter.procedure}`);
  if (filter.from) conditions.push(sql`d.received_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) conditions.push(sql`d.received_at < ${filter.to.toISOString()}::timestamptz`);
  if (filter.state) conditions.push(sql`${state} = ${filter.state}`);
  if (filter.state && OPEN_STATES.has(filter.state)) {
    // Implied by the state (not closed, not completed by asOf), written as the open-until index reads it.
    conditions.push(
      sql`${notClosedSql(sql`d.status`)} AND coalesce(d.completed_at, 'infinity'::timestamptz) > ${filter.asOf.toISOString()}::timestamptz`,
    );
  }
  if (filter.q) {
    conditions.push(
      sql`(d.code ILIKE ${searchPattern(filter.q)} OR d.applicant_name ILIKE ${searchPattern(filter.q)})`,
    );
  }
  if (filter.hasLetter !== undefined) {
    conditions.push(
      sql`${filter.hasLetter ? sql`` : sql`NOT `}EXISTS (SELECT 1 FROM apology_letters l WHERE l.dossier_code = d.code)`,
    );
  }
  if (filter.cursor) {
    const { receivedAt, code } = decodeCursor(filter.cursor);
    conditions.push(sql`(d.received_at, d.code) < (${receivedAt}::timestamptz, ${code})`);
  }
  return conditions;
}

const newestFirst = (alias: string) => sql.raw(`ORDER BY ${alias}.received_at DESC, ${alias}.code DESC`);

/** `q` as an ILIKE pattern: contained anywhere, its own `%`, `_` and `\` taken literally. */
const searchPattern = (q: string) => `%${likePrefix(q)}`;

/** Matches read through the trigram index at most; beyond, the newest-first walk finds a page sooner. */
const SEARCH_CAP = 2_000;

/**
 * The codes of the dossiers in a list's scope (by agency path) and window whose code or applicant
 * name holds `q`, when there are few of them (migration 0014's dossier_search, through the trigram
 * index); null when there are many, or when `q` is too short to have a trigram: then the
 * newest-first walk meets a page of them quickly. A search that matched nothing read every
 * dossier in scope to the end (0.4 s at 300,000 dossiers for a province-wide user).
 */
async function fewMatches(
  db: Db,
  q: string,
  pathPrefix: string | null,
  asOf: Date,
): Promise<string[] | null> {
  if ([...q].length < 3) return null;
  const rows = await queryRowsPrepared<{ code: string }>(
    db,
    sql`SELECT dossier_search(${searchPattern(q)}::text, ${SEARCH_CAP + 1}::integer, ${pathPrefix}::text,
          ${asOf.toISOString()}::timestamptz) AS code`,
  );
  return rows.length > SEARCH_CAP ? null : rows.map((r) => r.code);
}

/** The agency path every dossier of a list lies under (a LIKE prefix), or null for the whole province. */
async function listedPath(db: Db, principal: Principal, agency: string | undefined): Promise<string | null> {
  const code = agency ?? (principal.scopeKind === "all" ? null : principal.scopeAgencyCode);
  if (code === null) return null;
  const [row] = await queryRowsPrepared<{ path: string }>(
    db,
    sql`SELECT path FROM agencies WHERE code = ${code}`,
  );
  return likePrefix(row?.path ?? "//");
}

/**
 * Newest received first, keyset-paginated so that page 1,000 costs what page 1 does. Within a scope
 * of agencies, each agency's newest are read from its (agency, received) index and the pages merged:
 * a district's first page reads a few hundred index entries, where one walk down the whole
 * province's receipts would step over the other districts' dossiers (19 in 20 of them).
 */
export async function listDossiers(
  db: Db,
  principal: Principal,
  filter: DossierListFilter,
): Promise<{ items: DossierSummary[]; nextCursor: string | null }> {
  const state = stateAsOf(filter.asOf);
  const take = filter.limit + 1;
  const newest = (where: SQL[]) =>
    sql`SELECT d.code, d.agency_code, d.procedure_code, d.applicant_name, d.status, d.received_at,
          d.promised_due_at, d.statutory_due_at, d.binding_due_at, d.apology_window_starts_at, d.completed_at,
          ${state} AS state
        FROM dossiers d WHERE ${sql.join(where, sql` AND `)}
        ${newestFirst("d")} LIMIT ${take}`;
  const conditions = listConditions(filter, state);
  const matches = filter.q
    ? await fewMatches(db, filter.q, await listedPath(db, principal, filter.agency), filter.asOf)
    : null;
  if (matches?.length === 0) return { items: [], nextCursor: null };
  const everywhere = principal.scopeKind === "all" && !filter.agency;
  // A few matches: looked up by code, then the scope checked on each.
  const page = matches
    ? sql`SELECT d.code, d.agency_code, d.procedure_code, d.applicant_name, d.status, d.received_at,
            d.promised_due_at, d.statutory_due_at, d.binding_due_at, d.apology_window_starts_at, d.completed_at,
            ${state} AS state
          FROM dossiers d JOIN agencies a ON a.code = d.agency_code
          WHERE d.code = ANY(${textArray(matches)}) AND ${listedAgencies(principal, filter.agency)}
            AND ${sql.join(conditions, sql` AND `)}
          ${newestFirst("d")} LIMIT ${take}`
    : everywhere
      ? newest(conditions)
      : sql`SELECT per_agency.* FROM agencies a
            CROSS JOIN LATERAL (${newest([sql`d.agency_code = a.code`, ...conditions])}) per_agency
            WHERE ${listedAgencies(principal, filter.agency)} ${newestFirst("per_agency")} LIMIT ${take}`;
  // The procedure's name and the letter's presence for the page's rows only, after the LIMIT.
  const rows = await queryRowsPrepared<DossierListRow>(
    db,
    sql`SELECT page.code, page.agency_code, page.procedure_code, p.name AS procedure_name, page.applicant_name,
          page.status, page.received_at, page.promised_due_at, page.statutory_due_at, page.binding_due_at,
          page.apology_window_starts_at, page.completed_at, page.state,
          EXISTS (SELECT 1 FROM apology_letters l WHERE l.dossier_code = page.code) AS has_letter
        FROM (${page}) page LEFT JOIN procedures p ON p.code = page.procedure_code
        ${newestFirst("page")}`,
    // Planned with its values each time: a generic plan knows neither the scope's path prefix nor
    // the state asked, and read far more than a district's page (npm run test:reliability's load
    // section at 1,000,000 dossiers, docs/RELIABILITY.md).
    { plannedEachTime: true },
  );
  const items = rows.slice(0, filter.limit).map(summaryOf);
  return { items, nextCursor: rows.length > filter.limit ? encodeCursor(items[items.length - 1]) : null };
}

/** How many dossiers in the principal's scope, received by `asOf`, are in each state as of `asOf`. */
export async function countDossiersByState(db: Db, principal: Principal, asOf: Date) {
  const rows = await queryRows<{ state: DossierState; letter: boolean; n: number }>(
    db,
    sql`SELECT s.state, s.letter, count(*)::int AS n
        FROM (SELECT ${stateAsOf(asOf)} AS state,
                EXISTS (SELECT 1 FROM apology_letters l WHERE l.dossier_code = d.code) AS letter
              FROM dossiers d JOIN agencies a ON a.code = d.agency_code
              WHERE ${scopeCondition(principal)} AND d.received_at <= ${asOf.toISOString()}::timestamptz) s
        GROUP BY s.state, s.letter`,
  );
  const byState: Partial<Record<DossierState, number>> = {};
  const withoutLetter: Partial<Record<DossierState, number>> = {};
  for (const r of rows) {
    byState[r.state] = (byState[r.state] ?? 0) + Number(r.n);
    if (!r.letter) withoutLetter[r.state] = (withoutLetter[r.state] ?? 0) + Number(r.n);
  }
  return { byState, withoutLetter };
}
