// Violations of the compliance rules (SPEC §6) in the caller's scope, newest first; the query is
// read through the API's own schema (ViolationListQuery).
import type { Context } from "hono";
import { agencyForPrincipal } from "../../catalog/agencies.js";
import { ViolationListQuery } from "../../sweep/routes.js";
import { VIOLATION_RULES } from "../../sweep/schema.js";
import { listViolations } from "../../sweep/violations.js";
import { dossierHref, queryString, Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { dateTime, RULE_LABELS } from "../format.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";
import { consoleQuery } from "../query.js";

const PAGE_SIZE = 50;

export async function violations(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const query = consoleQuery(c, ViolationListQuery.omit({ limit: true }));
  const { rule, open, agency, dossier } = query;
  if (agency) await agencyForPrincipal(deps.database.db, principal, agency);
  const [page, names] = await Promise.all([
    listViolations(deps.database.db, principal, { ...query, limit: PAGE_SIZE }),
    agencyNames(deps.database.db, principal),
  ]);
  return render(
    c,
    { title: "Vi phạm quy định", active: "violations" },
    <>
      <form class="filters no-print" method="get" action="/console/violations" aria-label="Lọc vi phạm">
        <div>
          <label for="rule">Loại vi phạm</label>
          <select id="rule" name="rule">
            <option value="">Tất cả</option>
            {VIOLATION_RULES.map((r) => (
              <option value={r} selected={r === rule}>
                {RULE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="open">Tình trạng</label>
          <select id="open" name="open">
            <option value="">Tất cả</option>
            <option value="true" selected={open === true}>
              Chưa khắc phục
            </option>
            <option value="false" selected={open === false}>
              Đã khắc phục
            </option>
          </select>
        </div>
        {agency ? <input type="hidden" name="agency" value={agency} /> : null}
        {dossier ? <input type="hidden" name="dossier" value={dossier} /> : null}
        <button type="submit">Lọc</button>
      </form>
      {page.items.length === 0 ? (
        <p>Không có vi phạm nào.</p>
      ) : (
        <Scroll label="Danh sách vi phạm">
          <table class="stack" id="violations">
            <thead>
              <tr>
                <th>Hồ sơ</th>
                <th>Cơ quan</th>
                <th>Vi phạm</th>
                <th>Phát hiện</th>
                <th>Khắc phục</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((v) => (
                <tr>
                  <td data-label="Hồ sơ">
                    <a href={dossierHref(v.dossierCode)}>{v.dossierCode}</a>
                  </td>
                  <td data-label="Cơ quan" title={v.agencyCode}>
                    {names.name(v.agencyCode)}
                  </td>
                  <td data-label="Vi phạm">{RULE_LABELS[v.rule]}</td>
                  <td data-label="Phát hiện">{dateTime(v.detectedAt)}</td>
                  <td data-label="Khắc phục">{v.resolvedAt ? dateTime(v.resolvedAt) : "Chưa"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
      {page.nextCursor ? (
        <p class="pager">
          <a
            class="button secondary"
            href={`/console/violations${queryString({ rule, open: open?.toString(), agency, dossier, cursor: page.nextCursor })}`}
          >
            Trang sau
          </a>
        </p>
      ) : null}
    </>,
  );
}
