// The daily digest per agency (what an officer acts on today): dossiers entering the apology window
// on the next working day, dossiers overdue without a letter, and dossiers still unfinished past
// their letter's new appointment. The same predicates as the sweep's rules, as of `asOf`.
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows, textArray } from "../db/client.js";
import {
  finishedBySql,
  hasLetterBySql,
  instantSql,
  judgedSql,
  localDate,
  stateAsOf,
} from "../dossiers/state-sql.js";

/** Each list shows this many dossiers per agency (most urgent first) and its total. */
export const DIGEST_LIST_LIMIT = 200;

export interface DigestItem {
  code: string;
  procedureCode: string;
  procedureName: string | null;
  receivedAt: string;
  bindingDueAt: string | null;
  apologyWindowStartsAt: string | null;
  /** The apology letter's new appointment (late after re-appointment only). */
  newDueAt: string | null;
}

export interface DigestList {
  total: number;
  items: DigestItem[];
}

export interface AgencyDigest {
  agency: { code: string; name: string };
  date: string;
  nextWorkingDay: string;
  asOf: string;
  enteringApologyWindow: DigestList;
  overdueWithoutLetter: DigestList;
  lateAfterReappointment: DigestList;
}

type ListName = "enteringApologyWindow" | "overdueWithoutLetter" | "lateAfterReappointment";

export interface DigestQuery {
  asOf: Date;
  /** The digest's local date (YYYY-MM-DD); "tomorrow" is the next working day after it. */
  date: string;
  /** Which dossiers, over aliases `d` (dossiers) and `a` (agencies). */
  where: SQL;
  /** Agencies listed even when they have nothing to report. */
  always?: string[];
  limit?: number;
}

/** The next working day after a local date: not a weekend day or day off, or a decreed make-up day. */
export async function nextWorkingDay(db: Db, date: string): Promise<string> {
  const [row] = await queryRows<{ day: string | null }>(
    db,
    sql`SELECT min(g.day)::date::text AS day
        FROM generate_series(${date}::date + 1, ${date}::date + 60, interval '1 day') AS g(day)
        WHERE NOT EXISTS (SELECT 1 FROM calendar_days c WHERE c.date = g.day::date AND c.kind <> 'makeup_working')`,
  );
  if (!row?.day) throw new RangeError(`no working day in the 60 days after ${date}`);
  return row.day;
}

function listSql(name: ListName, asOf: Date, tomorrow: string): { condition: SQL; order: SQL } {
  const at = instantSql(asOf);
  switch (name) {
    case "enteringApologyWindow":
      return {
        condition: sql`NOT ${finishedBySql(asOf)} AND NOT ${hasLetterBySql(asOf)}
          AND ${localDate(sql`d.apology_window_starts_at`)} = ${tomorrow}::date`,
        order: sql`d.apology_window_starts_at`,
      };
    case "overdueWithoutLetter":
      return {
        condition: sql`${stateAsOf(asOf)} = 'overdue' AND NOT ${hasLetterBySql(asOf)}`,
        order: sql`d.binding_due_at`,
      };
    case "lateAfterReappointment":
      return {
        condition: sql`NOT ${finishedBySql(asOf)} AND ${at} > l.new_due_at`,
        order: sql`l.new_due_at`,
      };
  }
}

interface ItemRow {
  list: ListName;
  agency_code: string;
  total: number;
  code: string;
  procedure_code: string;
  procedure_name: string | null;
  received_at: string;
  binding_due_at: string | null;
  apology_window_starts_at: string | null;
  new_due_at: string | null;
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

export async function buildDigests(db: Db, query: DigestQuery): Promise<AgencyDigest[]> {
  const limit = query.limit ?? DIGEST_LIST_LIMIT;
  const tomorrow = await nextWorkingDay(db, query.date);
  const names: ListName[] = ["enteringApologyWindow", "overdueWithoutLetter", "lateAfterReappointment"];
  const selects = names.map((name) => {
    const { condition, order } = listSql(name, query.asOf, tomorrow);
    return sql`SELECT * FROM (
      SELECT ${name}::text AS list, d.agency_code, d.code, d.procedure_code, p.name AS procedure_name,
        d.received_at, d.binding_due_at, d.apology_window_starts_at, l.new_due_at,
        row_number() OVER (PARTITION BY d.agency_code ORDER BY ${order}, d.code) AS rank,
        count(*) OVER (PARTITION BY d.agency_code)::int AS total
      FROM dossiers d
      JOIN agencies a ON a.code = d.agency_code
      LEFT JOIN procedures p ON p.code = d.procedure_code
      LEFT JOIN apology_letters l ON l.dossier_code = d.code AND l.issued_at <= ${instantSql(query.asOf)}
      WHERE ${query.where} AND ${judgedSql(query.asOf)} AND ${condition}
    ) ranked WHERE rank <= ${limit}`;
  });
  const rows = await queryRows<ItemRow>(
    db,
    sql`${sql.join(selects, sql` UNION ALL `)} ORDER BY agency_code, list, rank`,
  );
  const codes = [...new Set([...(query.always ?? []), ...rows.map((r) => r.agency_code)])];
  const agencies = await queryRows<{ code: string; name: string }>(
    db,
    sql`SELECT code, name FROM agencies WHERE code = ANY(${textArray(codes)}) ORDER BY code`,
  );
  const empty = (): DigestList => ({ total: 0, items: [] });
  const byAgency = new Map<string, AgencyDigest>(
    agencies.map((a) => [
      a.code,
      {
        agency: { code: a.code, name: a.name },
        date: query.date,
        nextWorkingDay: tomorrow,
        asOf: query.asOf.toISOString(),
        enteringApologyWindow: empty(),
        overdueWithoutLetter: empty(),
        lateAfterReappointment: empty(),
      },
    ]),
  );
  for (const row of rows) {
    const list = byAgency.get(row.agency_code)?.[row.list];
    if (!list) continue;
    list.total = row.total;
    list.items.push({
      code: row.code,
      procedureCode: row.procedure_code,
      procedureName: row.procedure_name,
      receivedAt: new Date(row.received_at).toISOString(),
      bindingDueAt: iso(row.binding_due_at),
      apologyWindowStartsAt: iso(row.apology_window_starts_at),
      newDueAt: row.list === "lateAfterReappointment" ? iso(row.new_due_at) : null,
    });
  }
  return [...byAgency.values()];
}
