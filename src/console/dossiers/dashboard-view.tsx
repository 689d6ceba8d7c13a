// The dashboard's page: the scope's dossiers by state, and the dossiers owed a letter now, to pick
// for a batch issue. Renders what ./dashboard.tsx read.

import { DOSSIER_STATES, type DossierState } from "../../deadlines/types.js";
import type { countDossiersByState, listDossiers } from "../../dossiers/list.js";
import { queryString, Scroll } from "../components.js";
import { count, dateTime, STATE_LABELS } from "../format.js";
import type { AgencyNames } from "../names.js";
import { DossierTable } from "./table.js";

export const OWED: { state: DossierState; title: string; id: string }[] = [
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

export function DashboardView(props: {
  asOf: Date;
  counts: Awaited<ReturnType<typeof countDossiersByState>>;
  /** A page of each of OWED, in its order. */
  owed: Awaited<ReturnType<typeof listDossiers>>[];
  names: AgencyNames;
  wide: boolean;
  canIssue: boolean;
}) {
  const { asOf, counts, owed, names, wide, canIssue } = props;
  return (
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
    </>
  );
}
