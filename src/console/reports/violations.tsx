// Violations of the compliance rules (DOMAIN §7) in the caller's scope, newest first.
import type { Context } from "hono";
import { VIOLATION_RULES } from "../../sweep/schema.js";
import { listViolations } from "../../sweep/violations.js";
import { dossierHref, queryString, Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { queryParam } from "../form.js";
import { dateTime, RULE_LABELS } from "../format.js";
import { agencyNames } from "../names.js";
import { render } from "../page.js";

export async function violations(c: Context<ConsoleEnv>) {
  const { deps, principal } = c.var;
  const ruleParam = queryParam(c, "rule");
  const rule = VIOLATION_RULES.find((r) => r === ruleParam);
  const openParam = queryParam(c, "open");
  const open = openParam === "true" ? true : openParam === "false" ? false : undefined;
  const cursor = queryParam(c, "cursor");
  const [page, names] = await Promise.all([
    listViolations(deps.database.db, principal, { rule, open, cursor, limit: 50 }),
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
            href={`/console/violations${queryString({ rule, open: openParam, cursor: page.nextCursor })}`}
          >
            Trang sau
          </a>
        </p>
      ) : null}
    </>,
  );
}
