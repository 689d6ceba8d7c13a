// The catalogue as admins read it: agencies in tree order (names, the code beneath), procedures.
import type { Context } from "hono";
import { listAgencies } from "../../catalog/agencies.js";
import { listProcedures } from "../../catalog/procedures.js";
import type { ProcessingTimeSpec } from "../../catalog/schema.js";
import { Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { count, number, windowLabel } from "../format.js";
import { render } from "../page.js";

export async function agenciesPage(c: Context<ConsoleEnv>) {
  const rows = await listAgencies(c.var.deps.database.db);
  const byCode = new Map(rows.map((a) => [a.code, a]));
  return render(
    c,
    { title: "Cơ quan", active: "agencies" },
    <>
      <p>{count(rows.length)} cơ quan, theo cây tổ chức.</p>
      <Scroll label="Danh sách cơ quan">
        <table class="stack">
          <thead>
            <tr>
              <th>Tên cơ quan</th>
              <th>Ký hiệu</th>
              <th>Cấp trên</th>
              <th>Giờ làm việc</th>
              <th>Chậm muộn nhiều lần (chu kỳ / ngưỡng)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr>
                <td data-label="Tên cơ quan">
                  <span
                    style={`padding-left:${1.2 * Math.max(0, a.path.split("/").length - 3)}rem; display:block`}
                  >
                    {a.name}
                    <span class="code">{a.code}</span>
                  </span>
                </td>
                <td data-label="Ký hiệu">{a.shortCode}</td>
                <td data-label="Cấp trên" title={a.parentCode ?? undefined}>
                  {a.parentCode ? (byCode.get(a.parentCode)?.name ?? a.parentCode) : "—"}
                </td>
                <td data-label="Giờ làm việc">
                  {a.workingPeriods.map(([from, to]) => `${from}–${to}`).join(", ")}
                </td>
                <td data-label="Chậm muộn nhiều lần">
                  {a.latenessWindow ? windowLabel(a.latenessWindow) : "theo cấp trên"} /{" "}
                  {a.latenessThreshold ?? "theo cấp trên"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </>,
  );
}

function processingText(time: ProcessingTimeSpec | null): string {
  if (!time) return "Chưa rõ";
  return `${number(time.amount)} ${time.unit === "hours" ? "giờ" : "ngày"} làm việc`;
}

export async function proceduresPage(c: Context<ConsoleEnv>) {
  const rows = await listProcedures(c.var.deps.database.db);
  return render(
    c,
    { title: "Thủ tục hành chính", active: "procedures" },
    <>
      <p>{count(rows.length)} thủ tục.</p>
      <Scroll label="Danh sách thủ tục">
        <table class="stack">
          <thead>
            <tr>
              <th>Tên thủ tục</th>
              <th>Lĩnh vực</th>
              <th>Thời hạn giải quyết</th>
              <th>Khi bổ sung hồ sơ</th>
              <th class="num">Số bước</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr>
                <td data-label="Tên thủ tục">
                  <span>
                    {p.name}
                    <span class="code">{p.code}</span>
                  </span>
                </td>
                <td data-label="Lĩnh vực">{p.field ?? "—"}</td>
                <td data-label="Thời hạn giải quyết">{processingText(p.processingTime)}</td>
                <td data-label="Khi bổ sung hồ sơ">
                  {p.supplementPolicy === "restart" ? "Tính lại từ đầu" : "Tạm dừng"}
                </td>
                <td data-label="Số bước" class="num">
                  {p.steps.length}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </>,
  );
}
