// The monitor's API, typed from its OpenAPI document (schema.d.ts, generated): every path, parameter,
// body and answer — errors included — is checked by the compiler. Built on openapi-fetch.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";

/** A schema of the document by name: `Schema<"DossierSummary">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

export interface MonitorClientOptions {
  /** Where the service runs, e.g. `https://motcua.example.gov.vn` (no trailing /api). */
  baseUrl: string;
  /** The bearer token an admin issued (POST /api/v1/users); sent on every request. */
  token?: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

export type MonitorClient = Client<paths>;

/** A client whose calls are typed by the document: `client.GET("/api/v1/dossiers", { params: … })`. */
export function createMonitorClient(options: MonitorClientOptions): MonitorClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : undefined,
  });
}
