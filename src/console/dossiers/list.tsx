// The dossier list: search by code or applicant, filter by state, letter, agency and receipt date;
// newest first, a page at a time; dossiers owed a letter can be picked for a batch issue.
import type { Context } from "hono";
import { agencyForPrincipal } from "../../catalog/agencies.js";
import { DOSSIER_STATES } from "../../deadlines/types.js";
import { listDossiers } from "../../dossiers/list.js";
import { AgencySelect, DayField, queryString, Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { queryParam } from "../form.js";
import { localDayStart, parseDay, STATE_LABELS } from "../format.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { DossierTable } from "./table.js";

const PAGE_SIZE = 25;
const LETTER_FILTER = { none: false, issued: true } as const;

export async function dossierList(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const db = deps.database.db;
  const stateParam = queryParam(c, "state");
  const state = DOSSIER_STATES.find((s) => s === stateParam);
  const q = queryParam(c, "q")?.slice(0, 100);
  const agency = queryParam(c, "agency");
  const letterParam = queryParam(c, "letter");
  const letter = letterParam === "none" || letterParam === "issued" ? letterParam : undefined;
  const from = parseDay(queryParam(c, "from"));
  const to = parseDay(queryParam(c, "to"));
  const cursor = queryParam(c, "cursor");
  if (agency) await agencyForPrincipal(db, principal, agency);
  const [page, names] = await Promise.all([
    listDossiers(db, principal, {
      asOf: deps.clock.now(),
      state,
      q,
      agency,
      hasLetter: letter ? LETTER_FILTER[letter] : undefined,
      from: from ? localDayStart(from) : undefined,
      to: to ? localDayStart(to) : undefined,
      limit: PAGE_SIZE,
      cursor,
    }),
    agencyNames(db, principal),
  ]);
  const wide = principal.scopeKind !== "agency";
  const keep = { state, q, agency, letter, from, to };
  return render(
    c,
    { title: "Hồ sơ", active: "dossiers" },
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
        <button type="submit">Lọc</button>
      </form>
      <form method="get" action="/console/letters/batch">
        {page.items.length ? (
          <Scroll label="Danh sách hồ sơ">
            <DossierTable
              rows={page.items}
              selectable={principal.role !== "inspector"}
              names={wide ? names : undefined}
            />
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
          {principal.role !== "inspector" && page.items.length ? (
            <button type="submit">Lập phiếu cho các hồ sơ đã chọn</button>
          ) : null}
        </div>
      </form>
    </>,
  );
}
