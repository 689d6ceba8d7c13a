// Every answer the suite's servers give is checked against the OpenAPI document: the route's
// declared statuses, content types and (JSON) body schema, read strictly — a field the document
// does not declare fails as a required one missing does. Mismatches are collected here and fail the
// test that caused them (test/setup/contract.ts), so the document cannot drift from the code.

import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { createApp, OPENAPI_CONFIG } from "../../src/app.js";
import type { AppDeps, AppEnv } from "../../src/http/context.js";
import { type Mismatch, recordMismatch } from "./mismatches.js";

export { assertNoMismatches, type Mismatch, takeMismatches } from "./mismatches.js";

type Json = Record<string, unknown>;
interface Document {
  paths?: Record<string, Record<string, unknown>>;
  components?: Json;
}

const SCHEMA_MAPS = ["properties", "patternProperties", "$defs"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_ONES = ["items", "not", "additionalProperties", "contains", "propertyNames"];

/**
 * Objects that say nothing of other keys are closed: the generator leaves `additionalProperties`
 * out of a plain z.object, and a client reading the document must know every field it may get.
 */
function closeObjects(schema: unknown): void {
  if (!schema || typeof schema !== "object") return;
  const node = schema as Json;
  if (node.properties && !("additionalProperties" in node) && !("unevaluatedProperties" in node)) {
    node.additionalProperties = false;
  }
  for (const key of SCHEMA_MAPS)
    for (const child of Object.values((node[key] as Json) ?? {})) closeObjects(child);
  for (const key of SCHEMA_LISTS) for (const child of (node[key] as unknown[]) ?? []) closeObjects(child);
  for (const key of SCHEMA_ONES) closeObjects(node[key]);
}

/**
 * `allOf` of objects (what the generator writes for `.extend()` of a registered schema) read as the
 * one object it means, so that closing each part does not refuse the other parts' fields.
 */
function mergeAllOf(schema: unknown, components: Json): void {
  if (!schema || typeof schema !== "object") return;
  const node = schema as Json;
  for (const key of SCHEMA_MAPS)
    for (const child of Object.values((node[key] as Json) ?? {})) mergeAllOf(child, components);
  for (const key of SCHEMA_LISTS)
    for (const child of (node[key] as unknown[]) ?? []) mergeAllOf(child, components);
  for (const key of SCHEMA_ONES) mergeAllOf(node[key], components);
  if (!Array.isArray(node.allOf)) return;
  const parts = (node.allOf as Json[]).map((part) => {
    const ref = typeof part.$ref === "string" ? part.$ref.replace("#/components/schemas/", "") : null;
    const resolved = structuredClone(ref ? (components[ref] as Json) : part);
    mergeAllOf(resolved, components);
    return resolved;
  });
  if (!parts.every((p) => p.type === "object" && p.properties)) return;
  delete node.allOf;
  node.type = "object";
  node.properties = Object.assign({}, ...parts.map((p) => p.properties));
  node.required = [...new Set(parts.flatMap((p) => (p.required as string[]) ?? []))];
}

const pointer = (...segments: string[]) =>
  segments.map((s) => encodeURIComponent(s.replaceAll("~", "~0").replaceAll("/", "~1"))).join("/");

/** The schema of every response body of the document's operations. */
function* responseSchemas(document: Document): Generator<unknown> {
  for (const item of Object.values(document.paths ?? {}))
    for (const op of Object.values(item) as Json[])
      for (const response of Object.values((op.responses as Json) ?? {}) as Json[])
        for (const media of Object.values((response.content as Json) ?? {}) as Json[]) yield media.schema;
}

/** Validators of one document, each compiled on first use and kept. */
function validatorsOf(document: Document) {
  const strict = structuredClone(document);
  const components = (strict.components?.schemas as Json) ?? {};
  const schemas = [...Object.values(components), ...responseSchemas(strict)];
  for (const schema of schemas) mergeAllOf(schema, components);
  for (const schema of schemas) closeObjects(schema);
  // Examples and extensions are not validation keywords; formats are left to the Instant pattern.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  ajv.addSchema(strict, "openapi");
  const compiled = new Map<string, ValidateFunction>();
  return (path: string, method: string, status: string, mediaType: string) => {
    const ref = `openapi#/${pointer("paths", path, method, "responses", status, "content", mediaType, "schema")}`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    return validate;
  };
}

/** The documented operation a request was routed to (a handler's template, `:code` → `{code}`). */
function operationOf(document: Document, routes: { method: string; path: string }[], method: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.replaceAll(/:([^/{]+)/g, "{$1}");
    const op = document.paths?.[template]?.[method.toLowerCase()] as Json | undefined;
    if (op) return { template, op };
  }
  return null;
}

/** What is wrong with one answer, or null when it matches its operation's declared response. */
async function problemOf(
  res: Response,
  op: Json,
  validate: (mediaType: string) => ValidateFunction,
  readText: () => Promise<string>,
): Promise<string | null> {
  const declared = (op.responses as Record<string, Json>)[String(res.status)];
  if (!declared) return `status ${res.status} is not declared (${Object.keys(op.responses as Json)})`;
  const content = declared.content as Json | undefined;
  const mediaType = res.headers.get("content-type")?.split(";")[0].trim() ?? "";
  if (!content) return mediaType && res.status !== 304 ? `no content declared, got ${mediaType}` : null;
  if (!(mediaType in content))
    return `content type ${mediaType || "(none)"} is not one of ${Object.keys(content)}`;
  if (mediaType !== "application/json") return null;
  const text = await readText();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `the body is not JSON: ${text.slice(0, 80)}`;
  }
  const check = validate(mediaType);
  if (check(body)) return null;
  return (check.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`)
    .join("; ");
}

/**
 * The answer's text, leaving an equal answer in its place. Not `res.clone()`: @hono/node-server's
 * Response, once read, is rebuilt from its constructor's headers, and loses those set since (the
 * security headers): status and headers are taken first, and a new Response carries them on.
 */
async function takeText(c: Context): Promise<string> {
  const { status } = c.res;
  const headers = new Headers(c.res.headers);
  const text = await c.res.text();
  c.res = new Response(text, { status, headers });
  return text;
}

/**
 * Middleware (AppDeps.responseContract) that checks every answer to a documented operation against
 * `document()` and records what does not match; answers to undocumented paths (console, /docs) pass.
 */
export function checkResponses(
  // Any app's getOpenAPI31Document(): read through the few fields the check walks.
  document: () => object,
  record: (m: Mismatch) => void = recordMismatch,
): MiddlewareHandler<AppEnv> {
  let validators: ReturnType<typeof validatorsOf> | undefined;
  return async (c, next) => {
    await next();
    const doc = document() as Document;
    const found = operationOf(doc, matchedRoutes(c), c.req.method);
    if (!found) return;
    validators ??= validatorsOf(doc);
    const method = c.req.method.toLowerCase();
    const validate = (mediaType: string) =>
      validators!(found.template, method, String(c.res.status), mediaType);
    const problem = await problemOf(c.res, found.op, validate, () => takeText(c));
    if (problem) record({ operation: `${c.req.method} ${found.template}`, status: c.res.status, problem });
  };
}

let productDocument: Document | undefined;

/** The service's own document, built once per test file (the routes only read deps when called). */
export function serviceDocument(): Document {
  productDocument ??= createApp({} as AppDeps).getOpenAPI31Document(OPENAPI_CONFIG) as Document;
  return productDocument;
}

/** The check of the service's answers, as startTestServer and the suites' own apps install it. */
export const serviceContract = () => checkResponses(serviceDocument);
