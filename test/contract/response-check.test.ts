// The check every suite's server runs (test/helpers/contract.ts), shown on a fixture app of its own
// with deliberately broken routes: an undeclared field, a missing required one, an undeclared status
// or content type each fail, and the suite's afterEach turns any of them into a failed test.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/http/context.js";
import { assertNoMismatches, checkResponses, type Mismatch } from "../helpers/contract.js";

const Letter = z
  .object({ id: z.number(), number: z.string(), newDueAt: z.string().nullable() })
  .openapi("Letter");

const letterRoute = (path: string) =>
  createRoute({
    method: "get",
    path,
    responses: {
      200: { description: "The letter", content: { "application/json": { schema: Letter } } },
      404: {
        description: "Unknown",
        content: { "application/json": { schema: z.object({ error: z.object({ code: z.string() }) }) } },
      },
    },
  });

function fixtureApp(record: (m: Mismatch) => void) {
  const app = new OpenAPIHono<AppEnv>();
  app.use(
    "*",
    checkResponses(
      () => app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } }),
      record,
    ),
  );
  const good = { id: 1, number: "01/PXL-UBND", newDueAt: null };
  // Handlers typed as the schema allows; the broken ones get past the compiler as a real bug would.
  const broken = (body: unknown) => body as typeof good;
  return app
    .openapi(letterRoute("/good"), (c) => c.json(good, 200))
    .openapi(letterRoute("/undeclared-field"), (c) =>
      c.json(broken({ ...good, applicantName: "Nguyễn Văn A" }), 200),
    )
    .openapi(letterRoute("/missing-field"), (c) => c.json(broken({ id: 1, newDueAt: null }), 200))
    .openapi(letterRoute("/wrong-type"), (c) => c.json(broken({ ...good, id: "1" }), 200))
    .openapi(letterRoute("/undeclared-status"), (c) =>
      c.json(broken({ error: { code: "CONFLICT" } }), 409 as 200),
    )
    .openapi(letterRoute("/wrong-content-type"), (c) => c.text("01/PXL-UBND", 200) as never)
    .openapi(letterRoute("/error"), (c) => c.json({ error: { code: "NOT_FOUND" } }, 404));
}

async function mismatchesOf(path: string): Promise<Mismatch[]> {
  const found: Mismatch[] = [];
  const res = await fixtureApp((m) => found.push(m)).request(path);
  await res.arrayBuffer();
  return found;
}

describe("the response check", () => {
  it("passes answers that match their declared response", async () => {
    expect(await mismatchesOf("/good")).toEqual([]);
    expect(await mismatchesOf("/error")).toEqual([]);
    expect(await mismatchesOf("/undocumented")).toEqual([]);
  });

  it("fails a field the schema does not declare", async () => {
    const [m] = await mismatchesOf("/undeclared-field");
    expect(m).toMatchObject({ operation: "GET /undeclared-field", status: 200 });
    expect(m.problem).toContain("must NOT have additional properties");
    expect(m.problem).toContain("applicantName");
  });

  it("fails a required field that is missing, and a field of the wrong type", async () => {
    const [missing] = await mismatchesOf("/missing-field");
    expect(missing.problem).toContain("must have required property 'number'");
    const [wrong] = await mismatchesOf("/wrong-type");
    expect(wrong.problem).toContain("/id must be number");
  });

  it("fails a status or a content type the operation does not declare", async () => {
    const [status] = await mismatchesOf("/undeclared-status");
    expect(status).toMatchObject({ status: 409 });
    expect(status.problem).toContain("status 409 is not declared");
    const [type] = await mismatchesOf("/wrong-content-type");
    expect(type.problem).toContain("content type text/plain is not one of application/json");
  });

  it("fails the test that got such an answer (the suite's afterEach)", async () => {
    const app = fixtureApp(() => {});
    const suiteApp = new OpenAPIHono<AppEnv>();
    suiteApp.use(
      "*",
      checkResponses(() =>
        app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } }),
      ),
    );
    suiteApp.route("/", app);
    await (await suiteApp.request("/undeclared-field")).arrayBuffer();
    expect(assertNoMismatches).toThrow(
      /1 answer\(s\) do not match the OpenAPI document:\nGET \/undeclared-field → 200/,
    );
    // Taken by the assertion: this test itself ends clean.
    expect(assertNoMismatches).not.toThrow();
  });
});
