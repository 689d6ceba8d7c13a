// The dashboard: the scope's dossiers by state, and what is owed an apology letter now — due soon
// or overdue without a letter, and finished late without one (the apology after the fact).
import type { Context } from "hono";
import { DOSSIER_STATES, type DossierState } from "../../deadlines/types.js";
import { countDossiersByState, type DossierListFilter, listDossiers } from "../../dossiers/list.js";
import { queryString, Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { count, dateTime, STATE_LABELS } from "../format.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { DossierTable } from "./table.js";

const OWED: { state: DossierState; title: string; id: string }[] = [
  { state: "overdue", title: "Quá hạn, chưa có phiếu", id: "owed-overdue" },
  {
    state: "due_soon",
    title: "Trong thời hạn xin lỗi (trước hạn 1 ngày làm việc), chưa có phiếu",
    id: "owed-due-soon",
  },
  {
    state: "late",
    title: "Đã có kết quả nhưng quá hạn, chưa có phiếu (phiếu xin lỗi sau khi trả kết quả)",
    id: "owed-late",
  },
];

const listHref = (state: DossierState) => `/console/dossiers${queryString({ state, letter: "none" })}`;

export async function dashboard(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const asOf = deps.clock.now();
  const base: DossierListFilter = { asOf, limit: 10, hasLetter: false };
  const [counts, names, ...owed] = await Promise.all([
    countDossiersByState(db, principal, asOf),
    agencyNames(db, principal),
    ...OWED.map((o) => listDossiers(db, principal, { ...base, state: o.state })),
  ]);
  const wide = principal.scopeKind !== "agency";
  const canIssue = principal.role === "officer" || principal.role === "admin";
  return render(
    c,
    { title: "Tổng quan", active: "dashboard" },
    <>
      <p class="muted">Tính đến {dateTime(asOf)}.</p>
      <section aria-labelledby="counts">
        <h2 id="counts">Hồ sơ theo trạng thái</h2>
        <div class="cards">
          {DOSSIER_STATES.map((s) => (
            <a class="card" href={`/console/dossiers${queryString({ state: s })}`}>
              <span class="n">{count(counts.byState[s] ?? 0)}</span>
              {STATE_LABELS[s]}
            </a>
          ))}
        </div>
      </section>
      <section aria-labelledby="today">
        <h2 id="today">Cần phát hành phiếu xin lỗi</h2>
        <ul id="owed">
          {OWED.map((o) => (
            <li>
              <a href={listHref(o.state)}>{o.title}</a>:{" "}
              <strong>{count(counts.withoutLetter[o.state] ?? 0)}</strong>
            </li>
          ))}
        </ul>
        <form method="get" action="/console/letters/batch">
          {OWED.map((o, i) => (
            <>
              <h3 id={o.id}>{o.title}</h3>
              {owed[i].items.length ? (
                <Scroll label={o.title}>
                  <DossierTable rows={owed[i].items} selectable={canIssue} names={wide ? names : undefined} />
                </Scroll>
              ) : (
                <p>Không có hồ sơ nào.</p>
              )}
              {owed[i].nextCursor ? (
                <p>
                  <a href={listHref(o.state)}>Xem tất cả {count(counts.withoutLetter[o.state] ?? 0)} hồ sơ</a>
                </p>
              ) : null}
            </>
          ))}
          {canIssue && owed.some((page) => page.items.length > 0) ? (
            <p class="actions">
              <button type="submit">Lập phiếu cho các hồ sơ đã chọn</button>
            </p>
          ) : null}
        </form>
      </section>
    </>,
  );
}
