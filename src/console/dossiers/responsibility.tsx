// Who made the dossier late, and for inspectors the form that accepts or refuses their reason.
import type { dossierViews } from "../../casefile/view.js";
import { dateTime, number } from "../format.js";
import type { AgencyNames } from "../names.js";

type ResponsibleEntry = Awaited<ReturnType<typeof dossierViews>>["detail"]["responsible"][number];

function Decision(props: { entry: Extract<ResponsibleEntry, { officialId: string }> }) {
  const { justification } = props.entry;
  if (!justification) return <p class="muted">Chưa xem xét.</p>;
  return (
    <p>
      {justification.accepted ? "Được chấp nhận" : "Không chấp nhận"}: {justification.reason}{" "}
      <span class="muted">
        ({justification.decidedBy.name}, {dateTime(justification.decidedAt)})
      </span>
    </p>
  );
}

export function Responsibility(props: {
  code: string;
  entries: ResponsibleEntry[];
  csrfToken: string;
  canJudge: boolean;
  names: AgencyNames;
}) {
  if (props.entries.length === 0) return <p>Không có.</p>;
  return (
    <table class="stack">
      <thead>
        <tr>
          <th>Cán bộ</th>
          <th>Bước chậm đầu tiên</th>
          <th class="num">Số giờ vượt</th>
          <th>Lý do chính đáng</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((r, i) =>
          r.kind === "unattributed" ? (
            <tr>
              <td colspan={4} class="full">
                Chưa xác định được cá nhân ({props.names.name(r.agencyCode)})
              </td>
            </tr>
          ) : (
            <tr>
              <td data-label="Cán bộ">
                <span>
                  {r.officialName ?? r.officialId} {r.primary ? <strong>(chính)</strong> : null}
                  {r.title ? <span class="code">{r.title}</span> : null}
                  {r.department ? <span class="code">{r.department}</span> : null}
                </span>
              </td>
              <td data-label="Bước chậm">
                Bước {r.stepSeq}, hạn {dateTime(r.stepDueAt)}
              </td>
              <td data-label="Số giờ vượt" class="num">
                {number(r.overrunHours, 2)}
              </td>
              <td data-label="Lý do chính đáng">
                <div>
                  <Decision entry={r} />
                  {props.canJudge ? (
                    <form method="post" action="/console/justifications" class="no-print">
                      <input type="hidden" name="_csrf" value={props.csrfToken} />
                      <input type="hidden" name="dossierCode" value={props.code} />
                      <input type="hidden" name="officialId" value={r.officialId} />
                      <label for={`reason-${i}`}>Lý do</label>
                      <textarea id={`reason-${i}`} name="reason" required maxlength={2000} />
                      <div class="actions">
                        <button type="submit" name="accepted" value="true">
                          Chấp nhận lý do chính đáng
                        </button>
                        <button type="submit" name="accepted" value="false" class="danger">
                          Không chấp nhận
                        </button>
                      </div>
                    </form>
                  ) : null}
                </div>
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
