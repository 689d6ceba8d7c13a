import type { Child } from "hono/jsx";
import type { Principal } from "../auth/principal.js";
import { ROLE_LABELS } from "./format.js";

interface NavItem {
  href: string;
  label: string;
  key: string;
}

/** What each role may open: the same roles as the API routes behind each page. */
export function navFor(principal: Principal): NavItem[] {
  const items: NavItem[] = [];
  const { role } = principal;
  if (role === "officer" || role === "admin" || role === "inspector")
    items.push({ href: "/console/dashboard", label: "Tổng quan", key: "dashboard" });
  items.push({ href: "/console/dossiers", label: "Hồ sơ", key: "dossiers" });
  if (role === "inspector" || role === "admin") {
    items.push({ href: "/console/reports/repeat-lateness", label: "Chậm muộn nhiều lần", key: "repeat" });
    items.push({ href: "/console/reports/compliance", label: "Kết quả giải quyết", key: "compliance" });
  }
  items.push({ href: "/console/violations", label: "Vi phạm", key: "violations" });
  if (canSeeSweeps(principal)) items.push({ href: "/console/sweeps", label: "Lịch sử quét", key: "sweeps" });
  if (role === "admin") {
    items.push({ href: "/console/calendar", label: "Lịch làm việc", key: "calendar" });
    items.push({ href: "/console/agencies", label: "Cơ quan", key: "agencies" });
    items.push({ href: "/console/procedures", label: "Thủ tục", key: "procedures" });
    items.push({ href: "/console/users", label: "Người dùng", key: "users" });
  }
  return items;
}

/** Sweep records are province-wide: admins and inspectors whose scope is the whole province. */
export const canSeeSweeps = (p: Principal) =>
  p.role === "admin" || p.role === "system" || (p.role === "inspector" && p.scopeKind === "all");

export interface Flash {
  kind: "ok" | "error";
  text: string;
}

export function Document(props: { title: string; children: Child }) {
  return (
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Giám sát một cửa`}</title>
        {/* No favicon request (a 404 in every page's console): an empty one. */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

export function Layout(props: {
  title: string;
  principal: Principal;
  /** The name of the principal's scope agency, shown instead of its code. */
  scopeName?: string | null;
  csrfToken: string;
  active?: string;
  flash?: Flash | null;
  children: Child;
}) {
  const { principal } = props;
  return (
    <Document title={props.title}>
      <a class="skip" href="#content">
        Bỏ qua điều hướng
      </a>
      <header class="top">
        <a class="brand" href="/console">
          Giám sát giải quyết TTHC một cửa
        </a>
        <span class="who">
          {principal.name} · {ROLE_LABELS[principal.role]}
          {principal.scopeAgencyCode ? ` · ${props.scopeName ?? principal.scopeAgencyCode}` : ""}
        </span>
        <form method="post" action="/console/logout" class="no-print">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <button type="submit" class="secondary">
            Đăng xuất
          </button>
        </form>
      </header>
      <nav class="main" aria-label="Chức năng">
        {navFor(principal).map((item) => (
          <a href={item.href} aria-current={item.key === props.active ? "page" : undefined}>
            {item.label}
          </a>
        ))}
      </nav>
      <main id="content">
        <h1>{props.title}</h1>
        {props.flash ? (
          <div class={`flash ${props.flash.kind}`} role={props.flash.kind === "error" ? "alert" : "status"}>
            {props.flash.text}
          </div>
        ) : null}
        {props.children}
      </main>
    </Document>
  );
}

/** The hidden field every form of a session carries (synchronizer token). */
export const Csrf = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />;
