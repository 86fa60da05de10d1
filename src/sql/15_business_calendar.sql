-- 15: business calendars and business time: the type business_calendar,
-- calendar(name), business_elapsed, business_due and sla_timeline.  The table
-- of named calendars is in 20_named_values.sql.  Rules: docs/rules.md,
-- "Service levels".

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

CREATE FUNCTION appraisal.local_day(instant timestamptz, zone text) RETURNS date
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.local_day(timestamptz, text) IS
  'The date of instant on the clocks of zone: (instant AT TIME ZONE zone)::date, the same for every instant and zone, read from the zone''s table of UTC-offset changes (kept per call site) instead of converting through a broken-down time: the daily summaries group every ticket by it. An abbreviation such as EST or CET (read as AT TIME ZONE reads it, a fixed or dynamic offset) and instants outside 1900-2199 are read the built-in way.';
