import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { findAgency } from "../catalog/agencies.js";
import type { ConsoleEnv } from "./env.js";
import { type Flash, Layout } from "./layout.js";

/** Messages after a redirect (?ok=…): codes in the URL, texts here, so nothing user-typed is echoed. */
const FLASHES: Record<string, string> = {
  issued:
    "Đã phát hành phiếu xin lỗi. Phiếu dưới đây là bản đã lưu: tải về, in và ghi nhận việc gửi cho người nộp.",
  delivered: "Đã ghi nhận việc gửi phiếu.",
  emailed: "Đã gửi phiếu (tệp PDF đã lưu) qua thư điện tử.",
  "email-failed": "Gửi thư điện tử không thành công: xem kết quả trong danh sách gửi.",
  justified: "Đã ghi nhận quyết định về lý do chậm muộn.",
  "calendar-changed": "Đã cập nhật lịch và tính lại thời hạn các hồ sơ.",
  "year-confirmed": "Đã xác nhận lịch năm là lịch chính thức.",
  "user-created": "Đã tạo người dùng.",
};

export function flashOf(c: Context): Flash | null {
  const code = c.req.query("ok");
  return code && FLASHES[code] ? { kind: "ok", text: FLASHES[code] } : null;
}

export async function render(
  c: Context<ConsoleEnv>,
  options: { title: string; active?: string; flash?: Flash | null; status?: ContentfulStatusCode },
  body: Child,
) {
  const { principal, deps } = c.var;
  const scope = principal.scopeAgencyCode
    ? await findAgency(deps.database.db, principal.scopeAgencyCode)
    : null;
  return c.html(
    <Layout
      title={options.title}
      principal={principal}
      scopeName={scope?.name}
      csrfToken={c.var.csrfToken}
      active={options.active}
      flash={options.flash === undefined ? flashOf(c) : options.flash}
    >
      {body}
    </Layout>,
    options.status ?? 200,
  );
}
