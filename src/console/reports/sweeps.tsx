// The nightly sweep's history: when it ran, as of when, how long, what it found and resolved.
import type { Context } from "hono";
import { ApiError } from "../../http/errors.js";
import { listRuns } from "../../sweep/runs.js";
import { Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { count, dateTime, number } from "../format.js";
import { canSeeSweeps } from "../layout.js";
import { render } from "../page.js";

const TRIGGERS: Record<string, string> = {
  cron: "Theo lịch",
  cli: "Dòng lệnh",
  api: "API",
  worker: "Worker",
  demo: "Dữ liệu mẫu",
};
const RUN_STATUS: Record<string, string> = {
  running: "Đang chạy",
  succeeded: "Thành công",
  failed: "Thất bại",
};

type RuleCounts = Record<string, { new?: number; resolved?: number }>;

function totalsOf(counts: unknown) {
  const rules = (counts as { rules?: RuleCounts }).rules ?? {};
  return Object.values(rules).reduce<{ new: number; resolved: number }>(
    (t, x) => ({ new: t.new + (x.new ?? 0), resolved: t.resolved + (x.resolved ?? 0) }),
    { new: 0, resolved: 0 },
  );
}

export async function sweeps(c: Context<ConsoleEnv>) {
  if (!canSeeSweeps(c.var.principal))
    throw new ApiError("FORBIDDEN", "Lịch sử quét chỉ dành cho quản trị và thanh tra cấp tỉnh.");
  const runs = await listRuns(c.var.deps.database.db, { limit: 50 });
  return render(
    c,
    { title: "Lịch sử quét hằng đêm", active: "sweeps" },
    runs.length === 0 ? (
      <p>Chưa có lần quét nào.</p>
    ) : (
      <Scroll label="Các lần quét">
        <table class="stack" id="sweeps">
          <thead>
            <tr>
              <th>Lần</th>
              <th>Khởi động</th>
              <th>Tính đến</th>
              <th>Bắt đầu</th>
              <th class="num">Thời gian (giây)</th>
              <th>Kết quả</th>
              <th class="num">Vi phạm mới</th>
              <th class="num">Đã khắc phục</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const totals = totalsOf(r.counts);
              return (
                <tr>
                  <td data-label="Lần">{r.id}</td>
                  <td data-label="Khởi động">{TRIGGERS[r.trigger] ?? r.trigger}</td>
                  <td data-label="Tính đến">{dateTime(r.asOf)}</td>
                  <td data-label="Bắt đầu">{dateTime(r.startedAt)}</td>
                  <td data-label="Thời gian (giây)" class="num">
                    {r.durationMs === null ? "—" : number(r.durationMs / 1000)}
                  </td>
                  <td data-label="Kết quả">
                    {RUN_STATUS[r.status] ?? r.status}
                    {r.errors.length ? <span class="s-late"> ({r.errors.length} lỗi)</span> : null}
                  </td>
                  <td data-label="Vi phạm mới" class="num">
                    {count(totals.new)}
                  </td>
                  <td data-label="Đã khắc phục" class="num">
                    {count(totals.resolved)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Scroll>
    ),
  );
}
