// Signing in to the console over plain fetch, as a browser would: the sign-in form's double-submit
// cookie and field, then the session cookie on every request and the CSRF token from each page.
import type { TestServer } from "../helpers/server.js";

export interface ConsoleClient {
  cookie: string;
  setCookie: string;
  get(path: string): Promise<Response>;
  /** A form POST carrying the CSRF token of the given page (or of the dashboard). */
  post(path: string, fields: Record<string, string | string[]>, csrfFrom?: string): Promise<Response>;
  csrf(page?: string): Promise<string>;
}

const cookieValue = (setCookie: string, name: string) => new RegExp(`${name}=([^;]+)`).exec(setCookie)?.[1];

export const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

export function formBody(fields: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields))
    for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return body;
}

export async function signIn(server: TestServer, token: string): Promise<ConsoleClient> {
  const form = await fetch(`${server.baseUrl}/console/login`);
  const loginCookie = cookieValue(form.headers.get("set-cookie") ?? "", "osm_login") ?? "";
  const response = await fetch(`${server.baseUrl}/console/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: `osm_login=${loginCookie}` },
    body: formBody({ _csrf: csrfIn(await form.text()), token, next: "/console" }),
  });
  const setCookie = response.headers.get("set-cookie") ?? "";
  const session = cookieValue(setCookie, "osm_session");
  if (response.status !== 303 || !session) throw new Error(`sign-in failed: ${response.status}`);
  const cookie = `osm_session=${session}`;
  const get = (path: string) => fetch(server.baseUrl + path, { headers: { cookie }, redirect: "manual" });
  const csrf = async (page = "/console/dossiers") => csrfIn(await (await get(page)).text());
  return {
    cookie,
    setCookie,
    get,
    csrf,
    async post(path, fields, csrfFrom) {
      return fetch(server.baseUrl + path, {
        method: "POST",
        redirect: "manual",
        headers: { cookie },
        body: formBody({ _csrf: await csrf(csrfFrom), ...fields }),
      });
    },
  };
}
