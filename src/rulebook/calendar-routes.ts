import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../auth/guard.js";
import { ROLES } from "../auth/schema.js";
import { dayNumberOf } from "../calendar/dates.js";
import { calendarYearView, confirmCalendarYear } from "../calendar/edit.js";
import { CALENDAR_DAY_KINDS } from "../calendar/types.js";
import { Instant, LocalDay } from "../contract/wire.js";
import { notFound } from "../http/errors.js";
import { createRouter, errorResponses, json } from "../http/openapi.js";
import { changeCalendarDay } from "./calendar-changes.js";

/** A calendar year (the console's calendar page reads its ?year= through it too). */
export const YearParam = z.object({
  year: z.coerce.number().int().min(1900).max(2999).openapi({ example: 2025 }),
});

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
  .refine((d) => {
    try {
      dayNumberOf(d);
      return true;
    } catch {
      return false;
    }
  }, "no such date")
  .openapi({ example: "2025-04-29" });

const Day = z
  .object({
    date: LocalDay,
    kind: z.enum(CALENDAR_DAY_KINDS),
    name: z.string().nullable(),
    legalRef: z.string().nullable(),
  })
  .openapi("CalendarDay");

const CalendarYear = z
  .object({
    year: z.number(),
    provisional: z.boolean(),
    confirmedBy: z.object({ userId: z.number(), name: z.string().nullable() }).nullable(),
    confirmedAt: Instant.nullable(),
    workingDays: z.number(),
    days: z.array(Day),
  })
  .openapi("CalendarYear");

const Entry = z.object({
  kind: z.enum([...CALENDAR_DAY_KINDS, "working"]),
  name: z.string().nullable(),
  legalRef: z.string().nullable(),
});
const Moved = z.object({
  old: Instant.nullable(),
  new: Instant.nullable(),
  shiftHours: z
    .number()
    .nullable()
    .openapi({ description: "working hours from old to new, in the new calendar" }),
});

const DayChange = z
  .object({
    date: LocalDay,
    applied: z.boolean(),
    asOf: Instant,
    old: Entry,
    new: Entry,
    dossiers: z.object({
      selected: z.number(),
      updated: z.number(),
      moved: z.number(),
      listed: z.array(
        z.object({
          code: z.string(),
          agencyCode: z.string(),
          statutoryDueAt: Moved,
          bindingDueAt: Moved,
          apologyWindowStartsAt: Moved,
        }),
      ),
    }),
  })
  .openapi("CalendarDayChange");

const DayInput = z
  .object({
    kind: z
      .enum([...CALENDAR_DAY_KINDS, "working"])
      .openapi({ description: "`working` removes the entry: an ordinary day" }),
    name: z.string().trim().min(1).max(200).nullable().optional(),
    legalRef: z.string().trim().min(1).max(300).nullable().optional(),
    confirm: z.boolean().optional().openapi({ description: "apply; without it, only a preview" }),
  })
  .superRefine((input, ctx) => {
    for (const field of ["name", "legalRef"] as const) {
      if (input.kind === "working" && input[field]) {
        ctx.addIssue({ code: "custom", path: [field], message: "an ordinary working day has none" });
      }
    }
  })
  .openapi("CalendarDayInput");

/** How many moved dossiers the answer lists; `dossiers.moved` counts them all. */
const LIST_LIMIT = 100;

const getYearRoute = createRoute({
  method: "get",
  path: "/api/v1/calendar/{year}",
  tags: ["Calendar"],
  summary: "A year's calendar: every non-ordinary day, whether the year is provisional, who confirmed it",
  ...guard(ROLES, { scoped: false }),
  request: { params: YearParam },
  responses: { 200: json(CalendarYear, "The year"), ...errorResponses(400, 401, 403, 404) },
});

const putDayRoute = createRoute({
  method: "put",
  path: "/api/v1/calendar/days/{date}",
  tags: ["Calendar"],
  summary:
    "Set one day's kind (or `working`: an ordinary day). Without confirm, a preview of the open dossiers whose deadlines move; with confirm, applied, recomputed and audited",
  ...guard(["admin"], { scoped: false }),
  request: {
    params: z.object({ date: IsoDate }),
    body: {
      content: {
        "application/json": {
          schema: DayInput,
        },
      },
      required: true,
    },
  },
  responses: {
    200: json(DayChange, "The preview, or what was applied"),
    ...errorResponses(400, 401, 403, 422),
  },
});

const confirmYearRoute = createRoute({
  method: "post",
  path: "/api/v1/calendar/{year}/confirm",
  tags: ["Calendar"],
  summary: "Confirm a provisional (generated) year as the official calendar",
  ...guard(["admin"], { scoped: false }),
  request: { params: YearParam },
  responses: { 200: json(CalendarYear, "The confirmed year"), ...errorResponses(400, 401, 403, 404, 409) },
});

export const calendarRoutes = createRouter()
  .openapi(getYearRoute, async (c) => {
    const { year } = c.req.valid("param");
    const view = await calendarYearView(c.var.deps.database.db, year);
    if (!view) throw notFound(`Calendar year ${year}`);
    return c.json(view, 200);
  })
  .openapi(putDayRoute, async (c) => {
    const { deps, principal } = c.var;
    const { confirm, ...change } = c.req.valid("json");
    const outcome = await changeCalendarDay(deps.database.db, principal, c.req.valid("param").date, change, {
      asOf: deps.clock.now(),
      confirm: confirm === true,
      listLimit: LIST_LIMIT,
    });
    return c.json(outcome, 200);
  })
  .openapi(confirmYearRoute, async (c) => {
    const { deps, principal } = c.var;
    const view = await confirmCalendarYear(
      deps.database.db,
      principal,
      c.req.valid("param").year,
      deps.clock.now(),
    );
    return c.json(view, 200);
  });
