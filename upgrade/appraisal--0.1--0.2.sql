\echo Use "ALTER EXTENSION appraisal UPDATE TO '0.2'" to load this file. \quit
-- appraisal install script, part 6: business calendars and business time
-- (DOMAIN.md §4-5): the type appraisal.business_calendar, the table of named
-- calendars, business_elapsed, business_due and sla_timeline.

CREATE TYPE appraisal.business_calendar;
CREATE FUNCTION appraisal.business_calendar_in(cstring) RETURNS appraisal.business_calendar
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.business_calendar_out(appraisal.business_calendar) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.business_calendar_recv(internal) RETURNS appraisal.business_calendar
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.business_calendar_send(appraisal.business_calendar) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE appraisal.business_calendar (
  INTERNALLENGTH = VARIABLE,
  INPUT = appraisal.business_calendar_in, OUTPUT = appraisal.business_calendar_out,
  RECEIVE = appraisal.business_calendar_recv, SEND = appraisal.business_calendar_send,
  ALIGNMENT = int4, STORAGE = main
);
COMMENT ON TYPE appraisal.business_calendar IS
  'A working calendar whose text is the calendar itself: ''Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; Sat 09:00-12:00; holidays 2026-10-01..2026-10-07, 2027-01-01; workdays 2026-10-10''. Sections separated by ";": an IANA time zone; day schedules (Mon..Sun, ranges Mon-Fri, lists Sat,Sun; intervals HH:MM-HH:MM on the local date, end exclusive, 24:00 allowed as an end); optional holidays (dates and inclusive ranges a..b, not worked) and workdays (make-up working days, worked with Monday''s schedule, or the first scheduled weekday''s). Dates 1900-01-01..2199-12-31. Prints in a canonical form that reads back to an equal value.';
COMMENT ON FUNCTION appraisal.business_calendar_in(cstring) IS 'Input function of appraisal.business_calendar; rejects malformed text quoting the bad token, unknown time zones, overlapping intervals, a day scheduled twice, a date both holiday and workday, and calendars without working time.';
COMMENT ON FUNCTION appraisal.business_calendar_out(appraisal.business_calendar) IS 'Output function of appraisal.business_calendar: the canonical text (zone as PostgreSQL spells it, days with equal schedules grouped, touching intervals merged, holidays sorted and merged, workdays sorted).';
COMMENT ON FUNCTION appraisal.business_calendar_recv(internal) IS 'Binary input function of appraisal.business_calendar: the canonical text, parsed and validated exactly like text input.';
COMMENT ON FUNCTION appraisal.business_calendar_send(appraisal.business_calendar) IS 'Binary output function of appraisal.business_calendar: the canonical text.';

CREATE FUNCTION appraisal.business_calendar_eq(appraisal.business_calendar, appraisal.business_calendar)
  RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.business_calendar_eq(appraisal.business_calendar, appraisal.business_calendar) IS
  'Equality of business calendars: the same zone, schedules, holidays and workdays (canonical forms are equal).';
CREATE OPERATOR appraisal.= (
  LEFTARG = appraisal.business_calendar, RIGHTARG = appraisal.business_calendar,
  FUNCTION = appraisal.business_calendar_eq, COMMUTATOR = OPERATOR(appraisal.=),
  RESTRICT = eqsel, JOIN = eqjoinsel
);
COMMENT ON OPERATOR appraisal.= (appraisal.business_calendar, appraisal.business_calendar) IS
  'Equality of business calendars.';

-- named calendars
CREATE TABLE appraisal.business_calendars (
  name text PRIMARY KEY,
  calendar appraisal.business_calendar NOT NULL,
  description text,
  shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE appraisal.business_calendars IS
  'Named business calendars. Functions taking a calendar accept its name (text) as well as a value; a name is looked up once per call site, not per row. Rows shipped with the extension (shipped = true) cannot be changed; add your own.';
COMMENT ON COLUMN appraisal.business_calendars.name IS 'The name functions are called with, e.g. ''24x7''.';
COMMENT ON COLUMN appraisal.business_calendars.calendar IS 'The calendar value.';
COMMENT ON COLUMN appraisal.business_calendars.description IS 'What the calendar is for.';
COMMENT ON COLUMN appraisal.business_calendars.shipped IS 'True for rows installed by the extension, which cannot be changed or deleted.';
CREATE TRIGGER protect_shipped BEFORE UPDATE OR DELETE ON appraisal.business_calendars
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('business calendar');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.business_calendars
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('business calendar');
INSERT INTO appraisal.business_calendars VALUES
  ('24x7', 'UTC; Mon-Sun 00:00-24:00',
   'Every instant is working time; working days are UTC days. The default of sla_compliance.', true);
GRANT SELECT ON appraisal.business_calendars TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.business_calendars', 'WHERE NOT shipped');

CREATE FUNCTION appraisal.calendar(name text) RETURNS appraisal.business_calendar
  AS 'MODULE_PATHNAME', 'business_calendar_named' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.calendar(text) IS
  'The business calendar stored under name in appraisal.business_calendars; an unknown name is an error naming it.';

-- business time: every function in two forms, a calendar value or a name
CREATE FUNCTION appraisal.business_elapsed(start timestamptz, stop timestamptz, calendar appraisal.business_calendar, pauses tstzmultirange DEFAULT NULL)
  RETURNS interval AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.business_elapsed(timestamptz, timestamptz, appraisal.business_calendar, tstzmultirange) IS
  'Working time between start and stop on the calendar, as an interval of hours (e.g. 27:00:00): real time inside the scheduled intervals of each local date, holidays excluded, make-up workdays included, daylight-saving changes counted as they happen. Paused instants (pauses, bounds read as [lower, upper)) are not counted; NULL pauses mean none. stop before start is an error. Cost does not grow with the span (binary search over holidays).';
CREATE FUNCTION appraisal.business_elapsed(start timestamptz, stop timestamptz, calendar text, pauses tstzmultirange DEFAULT NULL)
  RETURNS interval AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.business_elapsed(timestamptz, timestamptz, text, tstzmultirange) IS
  'business_elapsed with the calendar named in appraisal.business_calendars (looked up once per call site).';

CREATE FUNCTION appraisal.business_due(start timestamptz, target interval, calendar appraisal.business_calendar, pauses tstzmultirange DEFAULT NULL)
  RETURNS timestamptz AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.business_due(timestamptz, interval, appraisal.business_calendar, tstzmultirange) IS
  'When target of working time has passed since start: the last instant by which no more than target has elapsed, so stop <= due exactly when the target was kept. The days part counts working days (Mon 10:00 + ''3 days'' is Thu 10:00 on a Mon-Fri calendar: the same position in the working day), the time part working hours; a start outside working time starts at the next working instant. Paused working time moves the due time on; a pause that never ends gives infinity. Months in target are an error.';
CREATE FUNCTION appraisal.business_due(start timestamptz, target interval, calendar text, pauses tstzmultirange DEFAULT NULL)
  RETURNS timestamptz AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.business_due(timestamptz, interval, text, tstzmultirange) IS
  'business_due with the calendar named in appraisal.business_calendars (looked up once per call site).';

CREATE FUNCTION appraisal.sla_timeline(start timestamptz, stop timestamptz, target interval, calendar appraisal.business_calendar, pauses tstzmultirange DEFAULT NULL)
  RETURNS TABLE (stretch_start timestamptz, stretch_end timestamptz, kind text, working interval, cumulative interval, breached boolean)
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION appraisal.sla_timeline(timestamptz, timestamptz, interval, appraisal.business_calendar, tstzmultirange) IS
  'Audit of one ticket: a row per stretch of time from start to stop (to the due time when stop is NULL), in order, kind ''working'', ''off hours'', ''holiday'' or ''paused'', with the working time counted in it, the cumulative working time at its end, and breached = the stretch lies after the due time of target (business_due). The working stretch holding the due time is split there.';
CREATE FUNCTION appraisal.sla_timeline(start timestamptz, stop timestamptz, target interval, calendar text, pauses tstzmultirange DEFAULT NULL)
  RETURNS TABLE (stretch_start timestamptz, stretch_end timestamptz, kind text, working interval, cumulative interval, breached boolean)
  AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION appraisal.sla_timeline(timestamptz, timestamptz, interval, text, tstzmultirange) IS
  'sla_timeline with the calendar named in appraisal.business_calendars.';
-- appraisal install script, part 7: SLA compliance in business time
-- (DOMAIN.md §4-5): type appraisal.sla_stats, aggregates sla_agg (two-step),
-- rollup and sla_compliance, accessors.

CREATE TYPE appraisal.sla_stats;
CREATE FUNCTION appraisal.sla_stats_in(cstring) RETURNS appraisal.sla_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_out(appraisal.sla_stats) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_recv(internal) RETURNS appraisal.sla_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_send(appraisal.sla_stats) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE appraisal.sla_stats (
  INTERNALLENGTH = 48,
  INPUT = appraisal.sla_stats_in, OUTPUT = appraisal.sla_stats_out,
  RECEIVE = appraisal.sla_stats_recv, SEND = appraisal.sla_stats_send,
  ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE appraisal.sla_stats IS
  'Two-step summary of SLA compliance: items met (finished at or before due), late (finished after due), overdue (unfinished, due passed at as_of), pending (unfinished, not yet due), and the business time of finished items. Text form ''met=3 late=1 overdue=1 pending=2 elapsed=97200.5s'' (elapsed in exact seconds). Made by sla_agg, merged by rollup, read by met, late, overdue, breached, pending, compliance and mean_elapsed.';
COMMENT ON FUNCTION appraisal.sla_stats_in(cstring) IS 'Input function of appraisal.sla_stats; rejects negative counts and elapsed time without finished items.';
COMMENT ON FUNCTION appraisal.sla_stats_out(appraisal.sla_stats) IS 'Output function of appraisal.sla_stats: exact, reads back to the same value.';
COMMENT ON FUNCTION appraisal.sla_stats_recv(internal) IS 'Binary input function of appraisal.sla_stats (four int8 counts, then the elapsed microseconds as a 128-bit integer in two int8 halves); validates like the text input.';
COMMENT ON FUNCTION appraisal.sla_stats_send(appraisal.sla_stats) IS 'Binary output function of appraisal.sla_stats.';

-- aggregate support: one C function per direction serves both calendar forms
CREATE FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz, tstzmultirange)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz, tstzmultirange)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz, tstzmultirange)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz, tstzmultirange)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
-- as of the transaction's start: STABLE
CREATE FUNCTION appraisal.sla_stats_trans_now(appraisal.sla_stats, timestamptz, timestamptz, interval)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_trans_now(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_trans_now(appraisal.sla_stats, timestamptz, timestamptz, interval, text)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_inv_now(appraisal.sla_stats, timestamptz, timestamptz, interval)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_inv_now(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_inv_now(appraisal.sla_stats, timestamptz, timestamptz, interval, text)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION appraisal.sla_stats_combine(appraisal.sla_stats, appraisal.sla_stats)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN SELECT p.oid FROM pg_proc p
           WHERE p.pronamespace = 'appraisal'::regnamespace
             AND p.proname IN ('sla_stats_trans', 'sla_stats_inv', 'sla_stats_trans_now', 'sla_stats_inv_now')
  LOOP
    EXECUTE format('COMMENT ON FUNCTION %s IS %L', f,
      CASE WHEN f::text LIKE '%inv%' THEN 'Moving-window inverse' ELSE 'Transition function' END
      || CASE WHEN f::text LIKE '%\_now%' THEN ' of sla_compliance: classifies one item as of the transaction''s start (now())'
              ELSE ' of sla_agg: classifies one item (start, stop, target, calendar, as_of[, pauses])' END
      || CASE WHEN f::text LIKE '%inv%' THEN ' and removes it from the state.' ELSE ' into the state. Not strict: a NULL start skips the row, a NULL target, calendar or as_of is an error, a NULL stop means unfinished, NULL pauses none.' END);
  END LOOP;
END
$$;
COMMENT ON FUNCTION appraisal.sla_stats_combine(appraisal.sla_stats, appraisal.sla_stats) IS
  'Combine function of the SLA aggregates and rollup: adds counts and business time.';

-- accessors
CREATE FUNCTION appraisal.met(stats appraisal.sla_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'sla_stats_met' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.met(appraisal.sla_stats) IS 'Items finished at or before their due time.';
CREATE FUNCTION appraisal.late(stats appraisal.sla_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'sla_stats_late' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.late(appraisal.sla_stats) IS 'Items finished after their due time.';
CREATE FUNCTION appraisal.overdue(stats appraisal.sla_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'sla_stats_overdue' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.overdue(appraisal.sla_stats) IS 'Items unfinished at as_of whose due time had come (as_of >= due).';
CREATE FUNCTION appraisal.breached(stats appraisal.sla_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'sla_stats_breached' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.breached(appraisal.sla_stats) IS 'Items that broke the SLA: late + overdue.';
CREATE FUNCTION appraisal.pending(stats appraisal.sla_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'sla_stats_pending' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.pending(appraisal.sla_stats) IS 'Items unfinished at as_of and not yet due; left out of compliance.';
CREATE FUNCTION appraisal.compliance(stats appraisal.sla_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'sla_stats_compliance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.compliance(appraisal.sla_stats) IS 'met / (met + breached), a share in [0, 1]; NULL when no item was met or breached.';
CREATE FUNCTION appraisal.mean_elapsed(stats appraisal.sla_stats) RETURNS interval
  AS 'MODULE_PATHNAME', 'sla_stats_mean_elapsed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.mean_elapsed(appraisal.sla_stats) IS 'Mean business time (pauses excluded) of finished items, met and late, to the microsecond, as hours (e.g. 05:30:00); NULL when none finished.';

-- aggregates
DO $$
DECLARE
  cal text;
  pauses text;
BEGIN
  FOREACH cal IN ARRAY ARRAY['appraisal.business_calendar', 'text'] LOOP
    FOREACH pauses IN ARRAY ARRAY['', ', tstzmultirange'] LOOP
      EXECUTE format($f$
        CREATE AGGREGATE appraisal.sla_agg(start timestamptz, stop timestamptz, target interval, calendar %1$s, as_of timestamptz%2$s) (
          SFUNC = appraisal.sla_stats_trans, STYPE = appraisal.sla_stats,
          INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
          FINALFUNC_MODIFY = READ_ONLY,
          COMBINEFUNC = appraisal.sla_stats_combine,
          MSFUNC = appraisal.sla_stats_trans, MINVFUNC = appraisal.sla_stats_inv, MSTYPE = appraisal.sla_stats,
          MINITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
          PARALLEL = SAFE)$f$, cal, pauses);
      EXECUTE format($f$COMMENT ON AGGREGATE appraisal.sla_agg(timestamptz, timestamptz, interval, %1$s, timestamptz%2$s) IS %3$L$f$,
        cal, pauses,
        'Two-step SLA compliance: classifies each item against due = business_due(start, target, calendar'
        || CASE WHEN pauses = '' THEN '' ELSE ', pauses' END
        || ') into an appraisal.sla_stats: finished (stop <= as_of) at or before due is met, after it late; unfinished (stop NULL or after as_of) is overdue once as_of >= due, else pending; an item starting after as_of is ignored.'
        || CASE WHEN cal = 'text' THEN ' The calendar is a name in appraisal.business_calendars, looked up once per call site.' ELSE '' END
        || ' Read with compliance, met, breached, pending, mean_elapsed; merge with rollup.');
    END LOOP;
  END LOOP;
END
$$;

CREATE AGGREGATE appraisal.rollup(appraisal.sla_stats) (
  SFUNC = appraisal.sla_stats_combine, STYPE = appraisal.sla_stats,
  INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.sla_stats_combine,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.rollup(appraisal.sla_stats) IS
  'Merges stored sla_stats summaries (days into months, agents into teams): counts and business time are added, so compliance is pooled, never an average of rates.';

-- sla_compliance without a calendar (24x7), with a calendar value, with a name
DO $$
DECLARE
  cal text;
BEGIN
  FOREACH cal IN ARRAY ARRAY['', ', calendar appraisal.business_calendar', ', calendar text'] LOOP
    EXECUTE format($f$
      CREATE AGGREGATE appraisal.sla_compliance(start timestamptz, stop timestamptz, target interval%1$s) (
        SFUNC = appraisal.sla_stats_trans_now, STYPE = appraisal.sla_stats,
        INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
        FINALFUNC = appraisal.compliance, FINALFUNC_MODIFY = READ_ONLY,
        COMBINEFUNC = appraisal.sla_stats_combine,
        MSFUNC = appraisal.sla_stats_trans_now, MINVFUNC = appraisal.sla_stats_inv_now, MSTYPE = appraisal.sla_stats,
        MINITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
        MFINALFUNC = appraisal.compliance, MFINALFUNC_MODIFY = READ_ONLY,
        PARALLEL = SAFE)$f$, cal);
    EXECUTE format($f$COMMENT ON AGGREGATE appraisal.sla_compliance(timestamptz, timestamptz, interval%1$s) IS %2$L$f$,
      regexp_replace(cal, 'calendar ', ''),
      CASE cal
        WHEN '' THEN 'Share of items kept within target on the 24x7 calendar (every instant counts; working days are UTC days), as of now(): compliance(sla_agg(start, stop, target, ''24x7'', now())).'
        WHEN ', calendar text' THEN 'Share of items kept within target in business time on the calendar named in appraisal.business_calendars (looked up once per call site), as of now().'
        ELSE 'Share of items kept within target in business time on the calendar, as of now(): compliance(sla_agg(start, stop, target, calendar, now())).'
      END || ' Met = finished at or before business_due(start, target, calendar); unfinished items count as breached once due, else are left out. NULL when no item was met or breached.');
  END LOOP;
END
$$;
-- appraisal install script, part 8: first contact resolution (fcr, fcr_stats).
-- fcr(contacts) and fcr(contacts, repeat_gap, repeat_window) with the two-step
-- summary appraisal.fcr_stats (DOMAIN.md §4: FCR 首次解决率, recurrence 问题复现率).

CREATE TYPE appraisal.fcr_stats;
CREATE FUNCTION appraisal.fcr_stats_in(cstring) RETURNS appraisal.fcr_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.fcr_stats_out(appraisal.fcr_stats) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.fcr_stats_recv(internal) RETURNS appraisal.fcr_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.fcr_stats_send(appraisal.fcr_stats) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE appraisal.fcr_stats (
  INTERNALLENGTH = 24,
  INPUT = appraisal.fcr_stats_in, OUTPUT = appraisal.fcr_stats_out,
  RECEIVE = appraisal.fcr_stats_recv, SEND = appraisal.fcr_stats_send,
  ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE appraisal.fcr_stats IS
  'Two-step summary of fcr: counts of resolved items (contacts not NULL), of those resolved on the first contact that did not recur, and of those that recurred (customer came back about the same problem within the window; never counted as first contact). Text form ''resolved=10 first_contact=7 recurred=2''. Made by fcr_agg, merged by rollup, read by fcr, recurrence_rate, resolved, first_contact_resolved and recurred.';
COMMENT ON FUNCTION appraisal.fcr_stats_in(cstring) IS 'Input function of appraisal.fcr_stats; rejects negative counts and first_contact + recurred above resolved.';
COMMENT ON FUNCTION appraisal.fcr_stats_out(appraisal.fcr_stats) IS 'Output function of appraisal.fcr_stats: canonical, reads back to the same value.';
COMMENT ON FUNCTION appraisal.fcr_stats_recv(internal) IS 'Binary input function of appraisal.fcr_stats (int8 resolved, first_contact, recurred); validates like the text input.';
COMMENT ON FUNCTION appraisal.fcr_stats_send(appraisal.fcr_stats) IS 'Binary output function of appraisal.fcr_stats.';

-- aggregate support (not strict: a resolved item without a window is an error)
CREATE FUNCTION appraisal.fcr_stats_trans(appraisal.fcr_stats, integer)
  RETURNS appraisal.fcr_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr_stats_trans(appraisal.fcr_stats, integer) IS
  'Transition function of fcr(contacts) and fcr_agg(contacts): counts one item; NULL contacts (unresolved) leave the state unchanged, contacts below 1 are an error.';
CREATE FUNCTION appraisal.fcr_stats_trans(appraisal.fcr_stats, integer, interval, interval)
  RETURNS appraisal.fcr_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr_stats_trans(appraisal.fcr_stats, integer, interval, interval) IS
  'Transition function of fcr(contacts, repeat_gap, repeat_window) and fcr_agg with the same arguments: counts one item, recurred when repeat_gap <= repeat_window. NULL contacts leave the state unchanged; contacts below 1, a negative gap and a NULL or negative window are errors.';
CREATE FUNCTION appraisal.fcr_stats_inv(appraisal.fcr_stats, integer)
  RETURNS appraisal.fcr_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr_stats_inv(appraisal.fcr_stats, integer) IS
  'Inverse transition function of fcr(contacts) and fcr_agg(contacts) for moving windows: removes one item exactly.';
CREATE FUNCTION appraisal.fcr_stats_inv(appraisal.fcr_stats, integer, interval, interval)
  RETURNS appraisal.fcr_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr_stats_inv(appraisal.fcr_stats, integer, interval, interval) IS
  'Inverse transition function of fcr(contacts, repeat_gap, repeat_window) and fcr_agg with the same arguments for moving windows: removes one item exactly.';
CREATE FUNCTION appraisal.fcr_stats_combine(appraisal.fcr_stats, appraisal.fcr_stats)
  RETURNS appraisal.fcr_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr_stats_combine(appraisal.fcr_stats, appraisal.fcr_stats) IS
  'Combine function of the fcr_stats aggregates: adds the counts.';

-- accessors
CREATE FUNCTION appraisal.fcr(stats appraisal.fcr_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'fcr_stats_fcr' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr(appraisal.fcr_stats) IS
  'First contact resolution rate: first_contact / resolved, the share of resolved items resolved on the first contact that did not recur. NULL when nothing was resolved.';
CREATE FUNCTION appraisal.recurrence_rate(stats appraisal.fcr_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'fcr_stats_recurrence_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.recurrence_rate(appraisal.fcr_stats) IS
  'Recurrence rate: recurred / resolved, the share of resolved items whose customer came back about the same problem within the window. 0 for summaries made without repeat_gap; NULL when nothing was resolved.';
CREATE FUNCTION appraisal.resolved(stats appraisal.fcr_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'fcr_stats_resolved' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.resolved(appraisal.fcr_stats) IS
  'Number of resolved items (contacts not NULL): the denominator of fcr and recurrence_rate.';
CREATE FUNCTION appraisal.first_contact_resolved(stats appraisal.fcr_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'fcr_stats_first_contact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.first_contact_resolved(appraisal.fcr_stats) IS
  'Number of items resolved on the first contact (contacts = 1) that did not recur: the numerator of fcr.';
CREATE FUNCTION appraisal.recurred(stats appraisal.fcr_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'fcr_stats_recurred' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.recurred(appraisal.fcr_stats) IS
  'Number of resolved items whose customer came back about the same problem within the window (repeat_gap <= repeat_window), whatever their number of contacts: the numerator of recurrence_rate.';

CREATE AGGREGATE appraisal.fcr(contacts integer) (
  SFUNC = appraisal.fcr_stats_trans, STYPE = appraisal.fcr_stats,
  INITCOND = 'resolved=0 first_contact=0 recurred=0',
  FINALFUNC = appraisal.fcr, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.fcr_stats_combine,
  MSFUNC = appraisal.fcr_stats_trans, MINVFUNC = appraisal.fcr_stats_inv,
  MSTYPE = appraisal.fcr_stats, MINITCOND = 'resolved=0 first_contact=0 recurred=0',
  MFINALFUNC = appraisal.fcr, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.fcr(integer) IS
  'First contact resolution (DOMAIN §4): share of resolved items resolved on the first contact. contacts is the contact on which an item was resolved (1 = first); NULL = not resolved, left out. contacts below 1 are errors. NULL when nothing was resolved.';

CREATE AGGREGATE appraisal.fcr(contacts integer, repeat_gap interval, repeat_window interval) (
  SFUNC = appraisal.fcr_stats_trans, STYPE = appraisal.fcr_stats,
  INITCOND = 'resolved=0 first_contact=0 recurred=0',
  FINALFUNC = appraisal.fcr, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.fcr_stats_combine,
  MSFUNC = appraisal.fcr_stats_trans, MINVFUNC = appraisal.fcr_stats_inv,
  MSTYPE = appraisal.fcr_stats, MINITCOND = 'resolved=0 first_contact=0 recurred=0',
  MFINALFUNC = appraisal.fcr, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.fcr(integer, interval, interval) IS
  'First contact resolution with recurrence (DOMAIN §4): share of resolved items resolved on the first contact whose customer did not come back about the same problem within repeat_window. repeat_gap is the time from resolution to the comeback (NULL: none; e.g. lead() over customer and problem); recurred when repeat_gap <= repeat_window as SQL compares intervals (1 day = 24 hours, 1 month = 30 days). Rows with NULL contacts are left out; contacts below 1, a negative gap and a NULL or negative window are errors. NULL when nothing was resolved.';

CREATE AGGREGATE appraisal.fcr_agg(contacts integer) (
  SFUNC = appraisal.fcr_stats_trans, STYPE = appraisal.fcr_stats,
  INITCOND = 'resolved=0 first_contact=0 recurred=0',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.fcr_stats_combine,
  MSFUNC = appraisal.fcr_stats_trans, MINVFUNC = appraisal.fcr_stats_inv,
  MSTYPE = appraisal.fcr_stats, MINITCOND = 'resolved=0 first_contact=0 recurred=0',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.fcr_agg(integer) IS
  'Two-step fcr(contacts): summarises items, same rules, into an appraisal.fcr_stats value (recurred 0) to store, rollup and read with fcr, resolved and first_contact_resolved.';

CREATE AGGREGATE appraisal.fcr_agg(contacts integer, repeat_gap interval, repeat_window interval) (
  SFUNC = appraisal.fcr_stats_trans, STYPE = appraisal.fcr_stats,
  INITCOND = 'resolved=0 first_contact=0 recurred=0',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.fcr_stats_combine,
  MSFUNC = appraisal.fcr_stats_trans, MINVFUNC = appraisal.fcr_stats_inv,
  MSTYPE = appraisal.fcr_stats, MINITCOND = 'resolved=0 first_contact=0 recurred=0',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.fcr_agg(integer, interval, interval) IS
  'Two-step fcr(contacts, repeat_gap, repeat_window): summarises items, same rules, into an appraisal.fcr_stats value to store, rollup and read with fcr, recurrence_rate, resolved, first_contact_resolved and recurred.';

CREATE AGGREGATE appraisal.rollup(appraisal.fcr_stats) (
  SFUNC = appraisal.fcr_stats_combine, STYPE = appraisal.fcr_stats,
  INITCOND = 'resolved=0 first_contact=0 recurred=0',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.fcr_stats_combine,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.rollup(appraisal.fcr_stats) IS
  'Merges stored fcr_stats summaries (e.g. per agent into per team, per week into per quarter): counts are added, never rates averaged.';
-- appraisal install script, part 9: satisfaction (csat, nps, csat_stats).
-- DOMAIN.md §4 and §5: CSAT from surveys and call-backs (share of the top two
-- ratings, extreme ratings adjustable), NPS, and the two-step summary
-- appraisal.csat_stats they are computed from.

CREATE TYPE appraisal.csat_stats;
CREATE FUNCTION appraisal.csat_stats_in(cstring) RETURNS appraisal.csat_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.csat_stats_out(appraisal.csat_stats) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.csat_stats_recv(internal) RETURNS appraisal.csat_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.csat_stats_send(appraisal.csat_stats) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE appraisal.csat_stats (
  INTERNALLENGTH = 96,
  INPUT = appraisal.csat_stats_in, OUTPUT = appraisal.csat_stats_out,
  RECEIVE = appraisal.csat_stats_recv, SEND = appraisal.csat_stats_send,
  ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE appraisal.csat_stats IS
  'Two-step summary of satisfaction ratings: the number of responses per rating value on one scale, 1..n (n from 2 to 10; CSAT is 1..5) or 0..10 (NPS). Text form ''scale 1..5: 1=0 2=1 3=0 4=3 5=10'' (every rating of the scale, in order), or ''empty'' for no responses (which has no scale yet and combines with any summary). Made by csat_agg and nps_agg, merged by rollup (summaries of different scales do not combine), read by csat, csat_mean, csat_lower_bound, nps, responses and rating_count.';
COMMENT ON FUNCTION appraisal.csat_stats_in(cstring) IS 'Input function of appraisal.csat_stats; rejects unsupported scales, negative counts, counts above 10^15 and a scale without responses (write ''empty'').';
COMMENT ON FUNCTION appraisal.csat_stats_out(appraisal.csat_stats) IS 'Output function of appraisal.csat_stats: canonical, reads back to the same value.';
COMMENT ON FUNCTION appraisal.csat_stats_recv(internal) IS 'Binary input function of appraisal.csat_stats (int4 scale_min, int4 scale_max, then int8 counts of ratings 0 to 10; empty is scale 0..0); validates like the text input.';
COMMENT ON FUNCTION appraisal.csat_stats_send(appraisal.csat_stats) IS 'Binary output function of appraisal.csat_stats.';

-- aggregate support
CREATE FUNCTION appraisal.csat_trans(appraisal.csat_stats, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'csat_stats_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_trans(appraisal.csat_stats, integer) IS
  'Transition function of csat_agg(rating) and csat(rating): counts one rating on the 1..5 scale; a rating outside it is an error.';
CREATE FUNCTION appraisal.csat_inv(appraisal.csat_stats, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'csat_stats_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_inv(appraisal.csat_stats, integer) IS
  'Inverse transition function of csat_agg(rating) and csat(rating) for moving windows: removes one rating exactly; removing the last one leaves the empty summary.';
-- (not strict: a rated row without a scale is an error, not silently skipped)
CREATE FUNCTION appraisal.csat_trans(appraisal.csat_stats, integer, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'csat_stats_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_trans(appraisal.csat_stats, integer, integer) IS
  'Transition function of csat_agg(rating, scale_max) and csat(rating, scale_max): counts one rating on the 1..scale_max scale. Not strict: a NULL rating leaves the state unchanged; a NULL or unsupported scale_max, a rating outside the scale or a scale different from the group''s are errors.';
CREATE FUNCTION appraisal.csat_inv(appraisal.csat_stats, integer, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'csat_stats_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_inv(appraisal.csat_stats, integer, integer) IS
  'Inverse transition function of csat_agg(rating, scale_max) and csat(rating, scale_max) for moving windows: removes one rating exactly; removing the last one leaves the empty summary.';
CREATE FUNCTION appraisal.nps_trans(appraisal.csat_stats, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'nps_stats_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.nps_trans(appraisal.csat_stats, integer) IS
  'Transition function of nps_agg(rating) and nps(rating): counts one rating on the 0..10 scale; a rating outside it is an error.';
CREATE FUNCTION appraisal.nps_inv(appraisal.csat_stats, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'nps_stats_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.nps_inv(appraisal.csat_stats, integer) IS
  'Inverse transition function of nps_agg(rating) and nps(rating) for moving windows: removes one rating exactly; removing the last one leaves the empty summary.';
CREATE FUNCTION appraisal.csat_stats_combine(appraisal.csat_stats, appraisal.csat_stats)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_stats_combine(appraisal.csat_stats, appraisal.csat_stats) IS
  'Combine function of the csat_stats aggregates and transition function of rollup(csat_stats): adds the counts per rating; an empty summary combines with any, summaries of different scales are an error.';
CREATE FUNCTION appraisal.csat_stats_combine_inv(appraisal.csat_stats, appraisal.csat_stats)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_stats_combine_inv(appraisal.csat_stats, appraisal.csat_stats) IS
  'Inverse transition function of rollup(csat_stats) for moving windows (e.g. a rolling 7-day summary of daily summaries): subtracts the counts exactly.';

-- accessors
CREATE FUNCTION appraisal.csat(stats appraisal.csat_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_csat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat(appraisal.csat_stats) IS
  'CSAT: the share (0 to 1) of responses with one of the two top ratings of the scale, 4 or 5 on 1..5 (scale_max - 1 or scale_max; 9 or 10 on 0..10), as one division of counts. NULL when there are no responses.';
CREATE FUNCTION appraisal.csat_mean(stats appraisal.csat_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_mean(appraisal.csat_stats) IS
  'Mean rating: sum of ratings / responses, rounded once. NULL when there are no responses.';
CREATE FUNCTION appraisal.csat_mean(stats appraisal.csat_stats, extreme_weight double precision) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_mean(appraisal.csat_stats, double precision) IS
  'Weighted mean rating with the scale''s lowest and highest ratings (1 and 5 on 1..5, 0 and 10 on 0..10) weighted by extreme_weight and all others by 1, since extreme ratings are less reliable (DOMAIN §4): 0.5 counts them half, 0 leaves them out, 1 is the plain mean. extreme_weight must be finite and >= 0 (above 1 weighs extremes more). NULL when nothing has weight (no responses, or only extreme ratings at weight 0).';
CREATE FUNCTION appraisal.csat_lower_bound(stats appraisal.csat_stats, confidence double precision DEFAULT 0.95) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_lower_bound' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_lower_bound(appraisal.csat_stats, double precision) IS
  'Lower bound of the Wilson score interval of the CSAT share at the given two-sided confidence (default 0.95, z = 1.959963984540054...; must lie strictly between 0 and 1, taken as the decimal written): ranks teams by CSAT fairly when their numbers of responses differ (3 of 3 satisfied gives 0.4385, 300 of 300 gives 0.9874). NULL when there are no responses.';
CREATE FUNCTION appraisal.nps(stats appraisal.csat_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.nps(appraisal.csat_stats) IS
  'Net Promoter Score from -100 to 100: percent of promoters (9-10) minus percent of detractors (0-6), as 100 * (promoters - detractors) / responses rounded once. Only for summaries on the 0..10 scale (nps_agg); other scales are an error. NULL when there are no responses.';
CREATE FUNCTION appraisal.responses(stats appraisal.csat_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'csat_stats_responses' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.responses(appraisal.csat_stats) IS
  'Number of responses (rows with a rating; NULL ratings are not counted). 0 for the empty summary.';
CREATE FUNCTION appraisal.rating_count(stats appraisal.csat_stats, rating integer) RETURNS bigint
  AS 'MODULE_PATHNAME', 'csat_stats_rating_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.rating_count(appraisal.csat_stats, integer) IS
  'Number of responses with the given rating, for auditing. A rating outside the summary''s scale is an error (outside 0..10 for the empty summary, where every count is 0).';

-- two-step aggregates
CREATE AGGREGATE appraisal.csat_agg(rating integer) (
  SFUNC = appraisal.csat_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_trans, MINVFUNC = appraisal.csat_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.csat_agg(integer) IS
  'Two-step CSAT on the 1..5 scale: counts the ratings (NULL ignored; outside 1..5 an error) into an appraisal.csat_stats value to store, rollup and read with csat, csat_mean, csat_lower_bound, responses and rating_count.';
CREATE AGGREGATE appraisal.csat_agg(rating integer, scale_max integer) (
  SFUNC = appraisal.csat_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_trans, MINVFUNC = appraisal.csat_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.csat_agg(integer, integer) IS
  'Two-step CSAT on the 1..scale_max scale (scale_max from 2 to 10): counts the ratings into an appraisal.csat_stats value. Rows with a NULL rating are ignored; a NULL scale_max on a rated row, a rating outside the scale and different scale_max values in one group are errors.';
CREATE AGGREGATE appraisal.nps_agg(rating integer) (
  SFUNC = appraisal.nps_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.nps_trans, MINVFUNC = appraisal.nps_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.nps_agg(integer) IS
  'Two-step NPS on the 0..10 scale: counts the ratings (NULL ignored; outside 0..10 an error) into an appraisal.csat_stats value to store (e.g. daily), rollup and read with nps, csat (share of 9-10), csat_mean, responses and rating_count.';
CREATE AGGREGATE appraisal.rollup(appraisal.csat_stats) (
  SFUNC = appraisal.csat_stats_combine, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_stats_combine, MINVFUNC = appraisal.csat_stats_combine_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.rollup(appraisal.csat_stats) IS
  'Merges stored csat_stats summaries (e.g. daily into monthly, or a rolling 7-day window) exactly: counts per rating are added, never shares averaged. NULL and empty summaries are neutral; summaries of different scales are an error.';

-- one-step aggregates
CREATE AGGREGATE appraisal.csat(rating integer) (
  SFUNC = appraisal.csat_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC = appraisal.csat, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_trans, MINVFUNC = appraisal.csat_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  MFINALFUNC = appraisal.csat, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.csat(integer) IS
  'CSAT on the 1..5 scale (DOMAIN §4, §5): the share (0 to 1) of ratings that are 4 or 5. NULL ratings ignored, ratings outside 1..5 are errors, NULL when there is no rating.';
CREATE AGGREGATE appraisal.csat(rating integer, scale_max integer) (
  SFUNC = appraisal.csat_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC = appraisal.csat, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_trans, MINVFUNC = appraisal.csat_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  MFINALFUNC = appraisal.csat, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.csat(integer, integer) IS
  'CSAT on the 1..scale_max scale (scale_max from 2 to 10): the share of ratings that are scale_max - 1 or scale_max. Rows with a NULL rating are ignored; a NULL scale_max on a rated row, a rating outside the scale and different scale_max values in one group are errors. NULL when there is no rating.';
CREATE AGGREGATE appraisal.nps(rating integer) (
  SFUNC = appraisal.nps_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC = appraisal.nps, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.nps_trans, MINVFUNC = appraisal.nps_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  MFINALFUNC = appraisal.nps, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.nps(integer) IS
  'Net Promoter Score of 0..10 ratings: percent of promoters (9-10) minus percent of detractors (0-6), from -100 to 100, as 100 * (promoters - detractors) / responses rounded once (5 promoters and 3 detractors of 10 give exactly 20). NULL ratings ignored, ratings outside 0..10 are errors, NULL when there is no rating.';
