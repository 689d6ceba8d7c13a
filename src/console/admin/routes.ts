// Admin pages: the calendar with edit → preview → confirm, the catalogue, users.
import { Hono } from "hono";
import type { ConsoleEnv } from "../env.js";
import { signedIn } from "../guard.js";
import { calendarPage } from "./calendar.js";
import { applyDay, confirmYear, previewDay } from "./calendar-edit.js";
import { agenciesPage, proceduresPage } from "./catalogue.js";
import { createUserAction, usersPage } from "./users.js";

const ADMIN = ["admin"] as const;

export const adminPages = new Hono<ConsoleEnv>()
  .get("/calendar", signedIn(ADMIN), (c) => calendarPage(c))
  .post("/calendar/preview", signedIn(ADMIN), previewDay)
  .post("/calendar/apply", signedIn(ADMIN), applyDay)
  .post("/calendar/confirm-year", signedIn(ADMIN), confirmYear)
  .get("/agencies", signedIn(ADMIN), agenciesPage)
  .get("/procedures", signedIn(ADMIN), proceduresPage)
  .get("/users", signedIn(ADMIN), (c) => usersPage(c))
  .post("/users", signedIn(ADMIN), createUserAction);
