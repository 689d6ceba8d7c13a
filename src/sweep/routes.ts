import { createRoute, z } from "@hono/zod-openapi";
import { guard, READERS } from "../auth/guard.js";
import { agencyForPrincipal } from "../auth/queries.js";
import { ApiError, notFound } from "../http/errors.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { parseInstant } from "../http/params.js";
import { Sweep, SweepList, SweepRunning, ViolationPage, ViolationRuleSchema } from "./api-schemas.js";
import { runSweep } from "./run.js";
import { findRun, listRuns, type SweepRun } from "./runs.js";
import { listViolations } from "./violations.js";

const sweepView = (run: SweepRun): z.infer<typeof Sweep> => ({
  id: Number(run.id),
  trigger: run.trigger,
  status: run.status,
  asOf: run.asOf.toISOString(),
  startedAt: run.startedAt.toISOString(),
  finishedAt: run.finishedAt?.toISOString() ?? null,
  durationMs: run.durationMs,
  // Written by runSweep as SweepCounts (partial when it failed); the column is typed as any JSON.
  counts: run.counts as z.infer<typeof Sweep>["counts"],
  errors: run.errors,
});

const SWEEPERS = ["admin", "system"] as const;
const SweepId = z.object({ id: z.coerce.number().int().min(1).openapi({ example: 12 }) });

const postSweepRoute = createRoute({
  method: "post",
  path: "/api/v1/sweeps",
  tags: ["Sweeps"],
  summary: "Run a sweep now: pull sync, recompute, detect violations, post digests; one at a time",
  ...guard(SWEEPERS, { scoped: false }),
  request: {
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z.object({
            asOf: z
              .string()
              .max(40)
              .refine((text) => parseInstant(text) !== null, "expected an ISO time with offset in 1990–2099")
              .optional()
              .openapi({
                description:
                  "Judge as of this time, from 1990 to now (an hour ahead at most); now by default",
              }),
            full: z.boolean().optional().openapi({
              description: "Re-evaluate every dossier, not only what changed since the last sweep",
            }),
          }),
        },
      },
    },
  },
  responses: {
    201: json(Sweep, "The run's record (status succeeded or failed)"),
    ...errorResponses(400, 401, 403),
    409: json(SweepRunning, "A sweep is running: try again when it has finished"),
  },
});

const getSweepRoute = createRoute({
  method: "get",
  path: "/api/v1/sweeps/{id}",
  tags: ["Sweeps"],
  summary: "One sweep's record",
  ...guard(SWEEPERS, { scoped: false }),
  request: { params: SweepId },
  responses: { 200: json(Sweep, "The run"), ...errorResponses(400, 401, 403, 404) },
});

const listSweepsRoute = createRoute({
  method: "get",
  path: "/api/v1/sweeps",
  tags: ["Sweeps"],
  summary: "Recent sweeps, newest first",
  ...guard(SWEEPERS, { scoped: false }),
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      before: z.coerce.number().int().min(1).optional().openapi({ description: "runs with a smaller id" }),
    }),
  },
  responses: {
    200: json(SweepList, "Runs"),
    ...errorResponses(400, 401, 403),
  },
});

/** The violations list's filters: the API's, and the console's violations page reads its query through it too. */
export const ViolationListQuery = z.object({
  rule: ViolationRuleSchema.optional(),
  agency: z.string().min(1).max(64).optional(),
  dossier: z.string().min(1).max(200).optional(),
  open: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .openapi({ description: "true: unresolved only; false: resolved only" }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(100).optional(),
});

const listViolationsRoute = createRoute({
  method: "get",
  path: "/api/v1/violations",
  tags: ["Sweeps"],
  summary: "Rule violations (DOMAIN §7) of dossiers within the caller's scope, newest first",
  ...guard(READERS, { scoped: true }),
  request: {
    query: ViolationListQuery,
  },
  responses: {
    200: json(ViolationPage, "A page; nextCursor asks for the next (null: the last page)"),
    ...errorResponses(400, 401, 403, 404),
  },
});

/** A sweep records what happened by asOf: one dated in the future would open violations that have not happened. */
const SWEEP_AHEAD_MS = 60 * 60 * 1000;

function sweepAsOf(text: string | undefined, now: Date): Date | undefined {
  if (text === undefined) return undefined;
  const asOf = parseInstant(text);
  if (asOf && asOf.getTime() <= now.getTime() + SWEEP_AHEAD_MS) return asOf;
  throw new ApiError(
    "BAD_REQUEST",
    `Invalid request: asOf: a sweep is judged as of now or earlier (now ${now.toISOString()})`,
    {
      errors: [{ path: "asOf", message: "after now" }],
    },
  );
}

export const sweepRoutes = createRouter()
  .openapi(postSweepRoute, async (c) => {
    const body = c.req.valid("json") ?? {};
    const outcome = await runSweep(c.var.deps, {
      trigger: "api",
      asOf: sweepAsOf(body.asOf, c.var.deps.clock.now()),
      full: body.full,
    });
    if (!outcome.ran) {
      throw new ApiError("SWEEP_RUNNING", "A sweep is running; try again when it has finished", {
        sweepId: outcome.runningSweepId,
      });
    }
    return c.json(sweepView(outcome.run), 201);
  })
  .openapi(getSweepRoute, async (c) => {
    const run = await findRun(c.var.deps.database.db, c.req.valid("param").id);
    if (!run) throw notFound(`Sweep ${c.req.valid("param").id}`);
    return c.json(sweepView(run), 200);
  })
  .openapi(listSweepsRoute, async (c) => {
    const runs = await listRuns(c.var.deps.database.db, c.req.valid("query"));
    return c.json({ items: runs.map(sweepView) }, 200);
  })
  .openapi(listViolationsRoute, async (c) => {
    const { deps, principal } = c.var;
    const query = c.req.valid("query");
    if (query.agency) await agencyForPrincipal(deps.database.db, principal, query.agency);
    const page = await listViolations(deps.database.db, principal, query);
    return c.json(page, 200);
  });
