// The dossier list's page: the filter form, the table (dossiers owed a letter can be picked for a
// batch issue) and the pager. Renders what ./list.tsx read and decided.

import { DOSSIER_STATES, type DossierState } from "../../deadlines/types.js";
import type { DossierSummary } from "../../dossiers/api-schemas.js";
import { AgencySelect, DayField, queryString, Scroll } from "../components.js";
import { STATE_LABELS } from "../format.js";
import type { AgencyNames } from "../names.js";
import { DossierTable } from "./table.js";

export interface DossierFilters {
  state?: DossierState;
  q?: string;
  agency?: string;
  procedure?: string;
  letter?: "none" | "issued";
  /** ISO local days; `to` is exclusive. */
  from?: string;
  to?: string;
  asOf?: string;
  cursor?: string;
}

export function DossierListView(props: {
  filters: DossierFilters;
  page: { items: DossierSummary[]; nextCursor: string | null };
  names: AgencyNames;
  /** More than one agency in scope: the agency filter and column. */
  wide: boolean;
  canIssue: boolean;
}) {
  const { filters, page, names, wide } = props;
  const { state, q, agency, procedure, letter, from, to, asOf, cursor } = filters;
  const keep = { state, q, agency, procedure, letter, from, to, asOf };
  return (
    <>
      <form class="filters no-print" method="get" action="/console/dossiers" aria-label="Tìm và lọc hồ sơ">
        <div>
          <label for="q">Mã hồ sơ hoặc người nộp</label>
          <input id="q" name="q" type="search" value={q ?? ""} />
        </div>
        <div>
          <label for="state">Trạng thái</label>
          <select id="state" name="state">
            <option value="">Tất cả</option>
            {DOSSIER_STATES.map((s) => (
              <option value={s} selected={s === state}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="letter">Phiếu xin lỗi</label>
          <select id="letter" name="letter">
            <option value="">Tất cả</option>
            <option value="none" selected={letter === "none"}>
              Chưa có phiếu
            </option>
            <option value="issued" selected={letter === "issued"}>
              Đã có phiếu
            </option>
          </select>
        </div>
        {wide ? <AgencySelect names={names} value={agency} label="Cơ quan" /> : null}
        <DayField id="from" name="from" label="Tiếp nhận từ ngày" value={from} />
        <DayField id="to" name="to" label="đến trước ngày" value={to} />
        {procedure ? <input type="hidden" name="procedure" value={procedure} /> : null}
        {asOf ? <input type="hidden" name="asOf" value={asOf} /> : null}
        <button type="submit">Lọc</button>
      </form>
      <form method="get" action="/console/letters/batch">
        {page.items.length ? (
          <Scroll label="Danh sách hồ sơ">
            <DossierTable rows={page.items} selectable={props.canIssue} names={wide ? names : undefined} />
          </Scroll>
        ) : (
          <p>Không có hồ sơ nào phù hợp.</p>
        )}
        <div class="pager">
          {cursor ? (
            <a class="button secondary" href={`/console/dossiers${queryString(keep)}`}>
              Trang đầu
            </a>
          ) : null}
          {page.nextCursor ? (
            <a
              class="button secondary"
              href={`/console/dossiers${queryString({ ...keep, cursor: page.nextCursor })}`}
            >
              Trang sau
            </a>
          ) : null}
          {props.canIssue && page.items.length ? (
            <button type="submit">Lập phiếu cho các hồ sơ đã chọn</button>
          ) : null}
        </div>
      </form>
    </>
  );
}
