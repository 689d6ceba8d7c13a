-- Working-time arithmetic in SQL (SPEC §3), the same as src/calendar/working-time.ts over the
-- tables working_profiles and working_days (maintained by src/calendar/working-days.ts). Plain
-- LANGUAGE sql, no extension: runs on PostgreSQL, PGlite and Citus.
--
-- The ordinal of an instant is the working time, in ms, from the first calendar day's start up to
-- it; it is flat through non-working time. An instant outside the calendar years has none.
-- working_ordinal_of / working_instant_of return a row (or none) so that, used as
-- `LEFT JOIN LATERAL working_ordinal_of(a.working_profile, d.binding_due_at) o ON true`, the
-- planner inlines them into the query as joins: reports over millions of rows stay set-based.
-- The scalar forms (working_ordinal_ms, working_instant_at, working_add, working_minutes_between)
-- are for small sets: each call is a function call with its own index look-up.
CREATE OR REPLACE FUNCTION working_ordinal_of(p_profile text, p_at timestamptz)
RETURNS TABLE (ordinal_ms bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT w.cum_minutes_before::bigint * 60000 + CASE WHEN w.working_minutes = 0 THEN 0 ELSE
      greatest(0, least(t.ms, p.end_ms[1]) - p.start_ms[1])
    + greatest(0, least(t.ms, p.end_ms[2]) - p.start_ms[2])
    + greatest(0, least(t.ms, p.end_ms[3]) - p.start_ms[3])
    + greatest(0, least(t.ms, p.end_ms[4]) - p.start_ms[4])
    + greatest(0, least(t.ms, p.end_ms[5]) - p.start_ms[5])
    + greatest(0, least(t.ms, p.end_ms[6]) - p.start_ms[6]) END
  FROM working_days w
  JOIN working_profiles p ON p.profile = w.profile
  -- The local time of day in ms (Asia/Ho_Chi_Minh is UTC+7 without DST).
  CROSS JOIN LATERAL (SELECT round(extract(epoch FROM ((p_at AT TIME ZONE 'UTC') + interval '7 hours')::time)
                                   * 1000)::bigint AS ms) t
  WHERE w.profile = p_profile AND w.date = ((p_at AT TIME ZONE 'UTC') + interval '7 hours')::date
$$;
--> statement-breakpoint
-- The instant at which `p_ordinal_ms` of working time have elapsed; at a period's end, that end
-- (SPEC: a due that runs out at 11:30 is 11:30). Working day k holds ordinals (k·D, (k+1)·D].
CREATE OR REPLACE FUNCTION working_instant_of(p_profile text, p_ordinal_ms bigint)
RETURNS TABLE (at timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (w.date::timestamp - interval '7 hours' + (CASE
      WHEN r.rem <= p.cum_end_ms[1] THEN p.start_ms[1] + r.rem
      WHEN r.rem <= p.cum_end_ms[2] THEN p.start_ms[2] + r.rem - p.cum_end_ms[1]
      WHEN r.rem <= p.cum_end_ms[3] THEN p.start_ms[3] + r.rem - p.cum_end_ms[2]
      WHEN r.rem <= p.cum_end_ms[4] THEN p.start_ms[4] + r.rem - p.cum_end_ms[3]
      WHEN r.rem <= p.cum_end_ms[5] THEN p.start_ms[5] + r.rem - p.cum_end_ms[4]
      ELSE p.start_ms[6] + r.rem - p.cum_end_ms[5] END) * interval '1 millisecond') AT TIME ZONE 'UTC'
  FROM working_profiles p
  JOIN working_days w ON w.profile = p.profile AND w.working_minutes > 0
    AND w.cum_minutes_before = greatest((p_ordinal_ms - 1) / (p.minutes_per_day * 60000::bigint), 0) * p.minutes_per_day
  -- The working ms into that day, in (0, minutes_per_day]: ordinal 0 is the first day's start.
  CROSS JOIN LATERAL (SELECT p_ordinal_ms - w.cum_minutes_before * 60000::bigint AS rem) r
  WHERE p.profile = p_profile AND p_ordinal_ms >= 0
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION working_ordinal_ms(p_profile text, p_at timestamptz)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT ordinal_ms FROM working_ordinal_of(p_profile, p_at)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION working_instant_at(p_profile text, p_ordinal_ms bigint)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT at FROM working_instant_of(p_profile, p_ordinal_ms)
$$;
--> statement-breakpoint
-- Working minutes from a to b (negative when b is before a); NULL outside the calendar years.
CREATE OR REPLACE FUNCTION working_minutes_between(p_profile text, p_from timestamptz, p_to timestamptz)
RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (b.ordinal_ms - a.ordinal_ms) / 60000.0::double precision
  FROM working_ordinal_of(p_profile, p_from) a, working_ordinal_of(p_profile, p_to) b
$$;
--> statement-breakpoint
-- t moved by `p_ms` of working time (WorkingTimeIndex.addWorkingMs): adding 0 leaves t as it is.
CREATE OR REPLACE FUNCTION working_add(p_profile text, p_at timestamptz, p_ms bigint)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_ms = 0 THEN p_at ELSE
    (SELECT i.at FROM working_ordinal_of(p_profile, p_at) o, working_instant_of(p_profile, o.ordinal_ms + p_ms) i) END
$$;
