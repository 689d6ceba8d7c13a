// Every JSON body is looked at once, before any route reads it: nesting deeper than a request of
// this API ever needs, containers wider than it ever sends, and text PostgreSQL cannot store are
// refused with a 400 naming the first place at fault — not a stack overflow, a 500 from the
// database or, worse, a write of half a request. The sync routes that carry records are exempt
// (carriesRecords, src/sync/routes.ts): the pipeline judges each record on its own, so one bad
// record is quarantined without refusing its batch.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./context.js";
import { ApiError } from "./errors.js";
import { type FieldProblem, formatPath, invalidRequest } from "./field-path.js";

export interface JsonLimits {
  /** Containers inside containers: the deepest request body of this API nests 5. */
  maxDepth: number;
  /** Elements of one array, or keys of one object: a bulk catalogue has a few thousand. */
  maxWidth: number;
}

export const JSON_LIMITS: JsonLimits = { maxDepth: 32, maxWidth: 10_000 };

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why PostgreSQL could not store this text, or null: U+0000 (text and jsonb) and unpaired surrogates (jsonb). */
export function unstorableTextReason(text: string): string | null {
  if (text.includes("\u0000")) return "holds U+0000, which cannot be stored";
  if (UNPAIRED_SURROGATE.test(text)) return "holds an unpaired UTF-16 surrogate, which is no character";
  return null;
}

interface Pending {
  value: unknown;
  path: PropertyKey[];
  depth: number;
}

/** The first problem of a parsed JSON value (walked without recursion, so depth costs no stack). */
export function jsonProblem(root: unknown, limits: JsonLimits = JSON_LIMITS): FieldProblem | null {
  const stack: Pending[] = [{ value: root, path: [], depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as Pending;
    if (typeof value === "string") {
      const reason = unstorableTextReason(value);
      if (reason) return { path: formatPath(path), message: `text ${reason}` };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= limits.maxDepth) {
      return { path: formatPath(path), message: `nested deeper than ${limits.maxDepth} levels` };
    }
    const entries: [PropertyKey, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [i, item])
      : Object.entries(value);
    if (entries.length > limits.maxWidth) {
      return { path: formatPath(path), message: `more than ${limits.maxWidth} elements or keys` };
    }
    // Pushed in reverse so that the first problem in document order is found first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i];
      if (typeof key === "string") {
        const reason = unstorableTextReason(key);
        if (reason) return { path: formatPath([...path, key]), message: `key ${reason}` };
      }
      stack.push({ value: item, path: [...path, key], depth: depth + 1 });
    }
  }
  return null;
}

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;
const BODILESS = new Set(["GET", "HEAD", "OPTIONS"]);

const isJsonBody = (c: Context) =>
  !BODILESS.has(c.req.method) && JSON_MEDIA.test((c.req.header("content-type") ?? "").split(";")[0].trim());

/**
 * Parses a JSON body (hono keeps it for the route's validator) and refuses it with 400 when
 * jsonProblem finds something. Malformed JSON is the validator's 400, a body over the limit the
 * body limit's 413: both errors pass through untouched.
 */
export const jsonBodyGuard = createMiddleware<AppEnv>(async (c, next) => {
  if (isJsonBody(c)) {
    const body: unknown = await c.req.json().catch((error: unknown) => {
      if (error instanceof SyntaxError) return undefined;
      throw error;
    });
    const problem = body === undefined ? null : jsonProblem(body);
    if (problem) {
      const { message, details } = invalidRequest([problem]);
      throw new ApiError("BAD_REQUEST", message, details);
    }
  }
  await next();
});

/** A JSON body's bytes as sent, for a route that reads them itself (the sync routes): 415 unless JSON. */
export async function jsonBodyBytes(c: Context): Promise<Uint8Array> {
  if (!isJsonBody(c)) throw new HTTPException(415, { message: "Unsupported Media Type" });
  return new Uint8Array(await c.req.arrayBuffer());
}
