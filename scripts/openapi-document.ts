// The service's OpenAPI document as /openapi.json serves it, as stable text (two-space JSON and a
// final newline), for the linter and the client generator. Building it touches no dependency: the
// routes read deps only when they are called.
import { createApp, OPENAPI_CONFIG } from "../src/app.js";
import type { AppDeps } from "../src/http/context.js";

export function serviceDocumentText(): string {
  const document = createApp({} as AppDeps).getOpenAPI31Document(OPENAPI_CONFIG);
  return `${JSON.stringify(document, null, 2)}\n`;
}
