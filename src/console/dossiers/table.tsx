// A list of dossiers, as the dashboard and the list show it: one card per dossier on a phone.

import type { DossierState } from "../../deadlines/types.js";
import type { DossierSummary } from "../../dossiers/api-schemas.js";
import { dossierHref, StateBadge } from "../components.js";
import { dateTime } from "../format.js";
import type { AgencyNames } from "../names.js";

/** States in which a letter may be owed (DOMAIN §6): the apology window, overdue, finished late. */
export const LETTER_STATES: readonly DossierState[] = ["due_soon", "overdue", "late"];

export function DossierTable(props: {
  rows: DossierSummary[];
  /** Checkboxes to pick dossiers owed a letter (batch issue). */
  selectable?: boolean;
  /** The handling agency's column, for scopes wider than one agency. */
  names?: AgencyNames;
  caption?: string;
}) {
  const { names } = props;
  return (
    <table class="stack">
      {props.caption ? <caption class="muted">{props.caption}</caption> : null}
      <thead>
        <tr>
          {props.selectable ? <th>Chọn</th> : null}
          <th>Mã hồ sơ</th>
          <th>Người nộp</th>
          <th>Thủ tục</th>
          {names ? <th>Cơ quan</th> : null}
          <th>Tiếp nhận</th>
          <th>Hạn giải quyết</th>
          <th>Trạng thái</th>
          <th>Phiếu xin lỗi</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            {props.selectable ? (
              <td data-label="Chọn">
                {LETTER_STATES.includes(r.state) && !r.hasLetter ? (
                  <input
                    type="checkbox"
                    name="code"
                    value={r.code}
                    id={`pick-${r.code}`}
                    aria-label={`Chọn hồ sơ ${r.code}`}
                  />
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
            ) : null}
            <td data-label="Mã hồ sơ">
              <a href={dossierHref(r.code)}>{r.code}</a>
            </td>
            <td data-label="Người nộp">{r.applicantName}</td>
            <td data-label="Thủ tục">{r.procedureName ?? r.procedureCode}</td>
            {names ? (
              <td data-label="Cơ quan" title={r.agencyCode}>
                {names.name(r.agencyCode)}
              </td>
            ) : null}
            <td data-label="Tiếp nhận">{dateTime(r.receivedAt)}</td>
            <td data-label="Hạn giải quyết">{dateTime(r.bindingDueAt)}</td>
            <td data-label="Trạng thái">
              <StateBadge state={r.state} />
            </td>
            <td data-label="Phiếu xin lỗi">{r.hasLetter ? "Đã có" : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
