// Users: who may sign in, their role and scope (by name), and the form that creates one with a token
// shown once.
import type { Context } from "hono";
import { listUsers, registerUser } from "../../auth/queries.js";
import type { Role } from "../../auth/schema.js";
import { ApiError } from "../../http/errors.js";
import { Scroll } from "../components.js";
import type { ConsoleEnv } from "../env.js";
import { field, readForm } from "../form.js";
import { dateTime, ROLE_LABELS } from "../format.js";
import { Csrf } from "../layout.js";
import { type AgencyNames, agencyNames } from "../names.js";
import { render } from "../page.js";

const ROLES: Role[] = ["officer", "inspector", "admin", "system"];

function scopeText(u: { scopeKind: string; scopeAgencyCode: string | null }, names: AgencyNames) {
  if (u.scopeKind === "all") return "Toàn tỉnh";
  const name = names.name(u.scopeAgencyCode);
  return u.scopeKind === "subtree" ? `${name} và các đơn vị trực thuộc` : name;
}

function CreateUser(props: { csrfToken: string; names: AgencyNames }) {
  return (
    <form method="post" action="/console/users" class="no-print">
      <Csrf token={props.csrfToken} />
      <div class="filters">
        <div>
          <label for="userName">Họ tên</label>
          <input id="userName" name="name" required maxlength={200} />
        </div>
        <div>
          <label for="role">Vai trò</label>
          <select id="role" name="role">
            {ROLES.map((r) => (
              <option value={r}>{ROLE_LABELS[r]}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="scope">Cơ quan (cán bộ: nơi làm việc; thanh tra: phạm vi)</label>
          <select id="scope" name="scope" class="wide">
            <option value="">— không —</option>
            <option value="all">Toàn tỉnh (thanh tra)</option>
            {props.names.inScope.map((a) => (
              <option value={a.code}>{`${"\u00a0\u00a0".repeat(props.names.depth(a))}${a.name}`}</option>
            ))}
          </select>
        </div>
        <button type="submit">Tạo và cấp mã truy cập</button>
      </div>
    </form>
  );
}

export async function usersPage(c: Context<ConsoleEnv>, created?: { name: string; token: string }) {
  const db = c.var.deps.database.db;
  const [rows, names] = await Promise.all([listUsers(db), agencyNames(db, c.var.principal)]);
  return render(
    c,
    {
      title: "Người dùng",
      active: "users",
      flash: created ? { kind: "ok", text: `Đã tạo người dùng ${created.name}.` } : undefined,
    },
    <>
      {created ? (
        <p class="flash ok">
          Mã truy cập của {created.name} (chỉ hiện một lần, hãy giao tận tay):{" "}
          <code id="new-token">{created.token}</code>
        </p>
      ) : null}
      <Scroll label="Danh sách người dùng">
        <table class="stack">
          <thead>
            <tr>
              <th>Họ tên</th>
              <th>Vai trò</th>
              <th>Phạm vi</th>
              <th>Tạo lúc</th>
              <th>Tình trạng</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr>
                <td data-label="Họ tên">{u.name}</td>
                <td data-label="Vai trò">{ROLE_LABELS[u.role]}</td>
                <td data-label="Phạm vi" title={u.scopeAgencyCode ?? undefined}>
                  {scopeText(u, names)}
                </td>
                <td data-label="Tạo lúc">{dateTime(u.createdAt)}</td>
                <td data-label="Tình trạng">{u.disabledAt ? "Đã khóa" : "Đang dùng"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <h2>Tạo người dùng</h2>
      <CreateUser csrfToken={c.var.csrfToken} names={names} />
    </>,
  );
}

export async function createUserAction(c: Context<ConsoleEnv>) {
  const body = await readForm(c);
  const name = field(body, "name");
  const role = ROLES.find((r) => r === field(body, "role"));
  const scope = field(body, "scope");
  if (!name || name.length > 200 || !role) throw new ApiError("BAD_REQUEST", "Cần họ tên và vai trò.");
  if ((role === "officer" || role === "inspector") && !scope)
    throw new ApiError("BAD_REQUEST", "Cán bộ cần cơ quan; thanh tra cần cơ quan gốc hoặc toàn tỉnh.");
  const created = await registerUser(c.var.deps.database.db, c.var.principal, {
    name,
    role,
    ...(role === "officer" ? { agencyCode: scope } : role === "inspector" ? { scope } : {}),
  });
  return usersPage(c, { name, token: created.token });
}
