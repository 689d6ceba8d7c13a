// A calendar day's preview: the confirmation on top, then the dossiers whose statutory or binding
// due moves, old and new side by side. Renders what ./calendar-edit.tsx computed.

import type { MovedDossier } from "../../dossiers/recompute.js";
import type { DayChangeOutcome } from "../../rulebook/calendar-changes.js";
import { dossierHref, queryString, Scroll } from "../components.js";
import { count, DAY_KIND_LABELS, dateTime, number } from "../format.js";
import { Csrf } from "../layout.js";
import type { AgencyNames } from "../names.js";
import type { DayFields } from "./calendar-view.js";

function Move(props: { move: MovedDossier["statutoryDueAt"] }) {
  const { move } = props;
  if (move.old === move.new) return <span class="muted">{dateTime(move.new)} (không đổi)</span>;
  return (
    <span>
      {dateTime(move.old)} → <strong>{dateTime(move.new)}</strong>
      {move.shiftHours !== null ? (
        <span class="code">{`lệch ${number(move.shiftHours, 2)} giờ làm việc`}</span>
      ) : null}
    </span>
  );
}

function MovedTable(props: { listed: MovedDossier[]; names: AgencyNames }) {
  return (
    <Scroll label="Hồ sơ có thời hạn thay đổi">
      <table class="stack" id="moved-dossiers">
        <thead>
          <tr>
            <th>Hồ sơ</th>
            <th>Cơ quan</th>
            <th>Hạn theo quy định: cũ → mới</th>
            <th>Hạn áp dụng: cũ → mới</th>
          </tr>
        </thead>
        <tbody>
          {props.listed.map((d) => (
            <tr>
              <td data-label="Hồ sơ">
                <a href={dossierHref(d.code)}>{d.code}</a>
              </td>
              <td data-label="Cơ quan" title={d.agencyCode}>
                {props.names.name(d.agencyCode)}
              </td>
              <td data-label="Hạn theo quy định">
                <Move move={d.statutoryDueAt} />
              </td>
              <td data-label="Hạn áp dụng">
                <Move move={d.bindingDueAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function PreviewView(props: {
  outcome: DayChangeOutcome;
  fields: DayFields;
  csrfToken: string;
  names: AgencyNames;
}) {
  const { outcome, fields } = props;
  const { dossiers } = outcome;
  const back = `/console/calendar${queryString({ year: outcome.date.slice(0, 4), month: Number(outcome.date.slice(5, 7)) })}`;
  return (
    <>
      <form method="post" action="/console/calendar/apply">
        <Csrf token={props.csrfToken} />
        {(["date", "kind", "name", "legalRef"] as const).map((name) => (
          <input type="hidden" name={name} value={fields[name]} />
        ))}
        <p>
          Từ <strong>{DAY_KIND_LABELS[outcome.old.kind]}</strong>
          {outcome.old.name ? ` (${outcome.old.name})` : ""} thành{" "}
          <strong>{DAY_KIND_LABELS[outcome.new.kind]}</strong>
          {outcome.new.name ? ` (${outcome.new.name})` : ""}.
        </p>
        <p id="moved">
          Hồ sơ đang giải quyết được xét: {count(dossiers.selected)}; có hạn theo quy định hoặc hạn áp dụng
          thay đổi: <strong>{count(dossiers.moved)}</strong>
          {dossiers.moved > dossiers.listed.length
            ? ` (liệt kê ${count(dossiers.listed.length)} hồ sơ lệch nhiều nhất)`
            : ""}
          .
        </p>
        <div class="actions">
          <button type="submit">Xác nhận thay đổi</button>
          <a class="button secondary" href={back}>
            Hủy
          </a>
        </div>
      </form>
      <p class="hint">
        Hạn áp dụng là hạn sớm hơn giữa hạn theo quy định và ngày hẹn trả: khi ngày hẹn trả sớm hơn, hạn áp
        dụng không đổi dù hạn theo quy định thay đổi.
      </p>
      {dossiers.listed.length ? <MovedTable listed={dossiers.listed} names={props.names} /> : null}
    </>
  );
}
