// The document describes every answer: each operation has a success answer with content, and no
// response schema is left open (an object of any keys, or any value) but the few that are so on
// purpose, named here with why.
import { describe, expect, it } from "vitest";
import { serviceDocument } from "../helpers/contract.js";

type Json = Record<string, unknown>;

const DELIBERATELY_OPEN = new Set([
  // An error's particulars: their keys depend on the error's code (errors[], field, letterId…).
  "Error.error.details.*",
  "LetterBatchResult.items[].error.details.*",
  // A quarantined message exactly as it came, whatever it holds.
  "SyncRejection.raw",
]);

const isOpen = (schema: unknown) =>
  schema === true ||
  (typeof schema === "object" &&
    schema !== null &&
    Object.keys(schema).filter((k) => k !== "description").length === 0);

/** Where a schema (and what it holds) is open, as dotted paths from `at`. */
function openPlaces(schema: unknown, at: string, components: Json, seen = new Set<string>()): string[] {
  if (!schema || typeof schema !== "object") return [];
  const node = schema as Json;
  if (typeof node.$ref === "string") {
    const name = node.$ref.replace("#/components/schemas/", "");
    if (seen.has(name)) return [];
    seen.add(name);
    return openPlaces(components[name], name, components, seen);
  }
  if (isOpen(node)) return [at];
  const places: string[] = [];
  if (isOpen(node.additionalProperties)) return [`${at}.*`];
  for (const [key, child] of Object.entries((node.properties as Json) ?? {}))
    places.push(...openPlaces(child, `${at}.${key}`, components, seen));
  for (const key of ["anyOf", "oneOf", "allOf", "prefixItems"])
    for (const child of (node[key] as unknown[]) ?? [])
      places.push(...openPlaces(child, at, components, seen));
  for (const key of ["items", "additionalProperties"])
    places.push(...openPlaces(node[key], `${at}[]`, components, seen));
  return places;
}

const document = serviceDocument() as { paths: Record<string, Record<string, Json>>; components: Json };
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
);

describe("the OpenAPI document", () => {
  it("gives every operation a success answer with content", () => {
    const without = operations
      .filter(
        ({ op }) =>
          !Object.entries(op.responses as Json).some(([s, r]) => s.startsWith("2") && (r as Json).content),
      )
      .map(({ name }) => name);
    expect(without).toEqual([]);
  });

  it("leaves no response open but the deliberate ones", () => {
    const components = document.components.schemas as Json;
    const open = new Set<string>();
    for (const { name, op } of operations)
      for (const [status, response] of Object.entries(op.responses as Json))
        for (const media of Object.values(((response as Json).content as Json) ?? {}))
          for (const place of openPlaces((media as Json).schema, `${name} ${status}`, components))
            open.add(place);
    expect([...open].filter((place) => !DELIBERATELY_OPEN.has(place))).toEqual([]);
  });
});
