import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Principal } from "../auth/principal.js";
import { databaseAnswer } from "../http/database-answers.js";
import { ApiError } from "../http/errors.js";
import { errorFields } from "../runtime/logger.js";
import type { ConsoleEnv } from "./env.js";
import { Document, Layout } from "./layout.js";

const TITLES: Record<number, string> = {
  400: "Yêu cầu không hợp lệ",
  403: "Không có quyền",
  404: "Không tìm thấy",
  409: "Xung đột dữ liệu",
  413: "Dữ liệu quá lớn",
  422: "Không đáp ứng điều kiện",
  429: "Quá nhiều yêu cầu",
  500: "Lỗi hệ thống",
  503: "Tạm thời gián đoạn",
};

/** Out of scope and unknown read the same (DOMAIN §10), so a 404 page names nothing it found. */
function messageOf(status: number, err: Error): string {
  if (status === 404) return "Không tìm thấy trang hoặc hồ sơ này, hoặc nó nằm ngoài phạm vi của bạn.";
  if (status === 503) return "Tạm thời không kết nối được cơ sở dữ liệu. Hãy thử lại sau ít giây.";
  if (status >= 500) return "Đã có lỗi. Hãy thử lại; nếu vẫn lỗi, báo cho quản trị hệ thống.";
  return err.message;
}

export function errorPage(c: Context<ConsoleEnv>, status: number, message: string) {
  const principal = c.get("principal") as Principal | undefined;
  const title = TITLES[status] ?? "Lỗi";
  const body = (
    <>
      <p role="alert">{message}</p>
      <p>
        <a href="/console">Về trang đầu</a>
      </p>
    </>
  );
  const page = principal ? (
    <Layout title={title} principal={principal} csrfToken={c.var.csrfToken}>
      {body}
    </Layout>
  ) : (
    <Document title={title}>
      <main id="content">
        <h1>{title}</h1>
        {body}
      </main>
    </Document>
  );
  return c.html(page, status as ContentfulStatusCode);
}

/** The console's own error handler: pages, never the API's JSON. */
export function consoleOnError(thrown: Error, c: Context<ConsoleEnv>) {
  // The database out of reach is a 503 to retry, as in the API; text it cannot store a 400.
  const err = databaseAnswer(thrown, c) ?? thrown;
  const status = err instanceof HTTPException ? err.status : 500;
  if (status === 401) {
    return c.redirect("/console/login", 303);
  }
  if (status === 503 && err instanceof ApiError) {
    for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
    return errorPage(c, 503, messageOf(503, err));
  }
  if (status >= 500 || !(err instanceof HTTPException)) {
    // Never String(err): a failed query's message lists its parameters (names, identity numbers).
    c.var.deps?.logger.error("console error", { path: c.req.path, ...errorFields(err) });
  }
  return errorPage(
    c,
    status >= 500 || !(err instanceof HTTPException) ? 500 : status,
    messageOf(status, err),
  );
}

export const isApiError = (e: unknown, ...codes: string[]): e is ApiError =>
  e instanceof ApiError && (codes.length === 0 || codes.includes(e.code));
