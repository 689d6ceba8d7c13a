// The violations page: the filter form, the list, the pager. Renders what ./violations.tsx read.
import { VIOLATION_RULES, type ViolationRule } from "../../sweep/schema.js";
import type { listViolations } from "../../sweep/violations.js";
import { dossierHref, queryString, Scroll } from "../components.js";
import { dateTime, RULE_LABELS } from "../format.js";
import type { AgencyNames } from "../names.js";

export function ViolationsView(props: {
  filters: { rule?: ViolationRule; open?: boolean; agency?: string; dossier?: string };
  page: Awaited<ReturnType<typeof listViolations>>;
  names: AgencyNames;
}) {
  const { page, names } = props;
  const { rule, open, agency, dossier } = props.filters;
  return (
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
    </>
  );
}
