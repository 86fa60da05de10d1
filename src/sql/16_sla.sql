-- 16: SLA compliance in business time: the two-step summary
-- appraisal.sla_stats, the aggregates sla_agg (a calendar value or name,
-- with or without pauses), rollup and sla_compliance (as of now()), and the
-- accessors.  Rules: docs/rules.md, "Complaint handling" and "Service levels".

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
COMMENT ON FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz) IS
  'Transition function of sla_agg: classifies one item (start, stop, target, calendar, as_of[, pauses]) into the state. Not strict: a NULL start skips the row, a NULL target, calendar or as_of is an error, a NULL stop means unfinished, NULL pauses none.';
CREATE FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz) IS
  'Transition function of sla_agg: classifies one item (start, stop, target, calendar, as_of[, pauses]) into the state. Not strict: a NULL start skips the row, a NULL target, calendar or as_of is an error, a NULL stop means unfinished, NULL pauses none.';
CREATE FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz, tstzmultirange)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz, tstzmultirange) IS
  'Transition function of sla_agg: classifies one item (start, stop, target, calendar, as_of[, pauses]) into the state. Not strict: a NULL start skips the row, a NULL target, calendar or as_of is an error, a NULL stop means unfinished, NULL pauses none.';
CREATE FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz, tstzmultirange)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_trans(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz, tstzmultirange) IS
  'Transition function of sla_agg: classifies one item (start, stop, target, calendar, as_of[, pauses]) into the state. Not strict: a NULL start skips the row, a NULL target, calendar or as_of is an error, a NULL stop means unfinished, NULL pauses none.';
CREATE FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz) IS
  'Moving-window inverse of sla_agg: classifies one item (start, stop, target, calendar, as_of[, pauses]) and removes it from the state.';
CREATE FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz) IS
  'Moving-window inverse of sla_agg: classifies one item (start, stop, target, calendar, as_of[, pauses]) and removes it from the state.';
CREATE FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz, tstzmultirange)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz, tstzmultirange) IS
  'Moving-window inverse of sla_agg: classifies one item (start, stop, target, calendar, as_of[, pauses]) and removes it from the state.';
CREATE FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz, tstzmultirange)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_inv(appraisal.sla_stats, timestamptz, timestamptz, interval, text, timestamptz, tstzmultirange) IS
  'Moving-window inverse of sla_agg: classifies one item (start, stop, target, calendar, as_of[, pauses]) and removes it from the state.';
-- as of the transaction's start: STABLE
CREATE FUNCTION appraisal.sla_stats_trans_now(appraisal.sla_stats, timestamptz, timestamptz, interval)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_trans_now(appraisal.sla_stats, timestamptz, timestamptz, interval) IS
  'Transition function of sla_compliance: classifies one item as of the transaction''s start (now()) into the state. Not strict: a NULL start skips the row, a NULL target, calendar or as_of is an error, a NULL stop means unfinished, NULL pauses none.';
CREATE FUNCTION appraisal.sla_stats_trans_now(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_trans_now(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar) IS
  'Transition function of sla_compliance: classifies one item as of the transaction''s start (now()) into the state. Not strict: a NULL start skips the row, a NULL target, calendar or as_of is an error, a NULL stop means unfinished, NULL pauses none.';
CREATE FUNCTION appraisal.sla_stats_trans_now(appraisal.sla_stats, timestamptz, timestamptz, interval, text)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_trans_now(appraisal.sla_stats, timestamptz, timestamptz, interval, text) IS
  'Transition function of sla_compliance: classifies one item as of the transaction''s start (now()) into the state. Not strict: a NULL start skips the row, a NULL target, calendar or as_of is an error, a NULL stop means unfinished, NULL pauses none.';
CREATE FUNCTION appraisal.sla_stats_inv_now(appraisal.sla_stats, timestamptz, timestamptz, interval)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_inv_now(appraisal.sla_stats, timestamptz, timestamptz, interval) IS
  'Moving-window inverse of sla_compliance: classifies one item as of the transaction''s start (now()) and removes it from the state.';
CREATE FUNCTION appraisal.sla_stats_inv_now(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_inv_now(appraisal.sla_stats, timestamptz, timestamptz, interval, appraisal.business_calendar) IS
  'Moving-window inverse of sla_compliance: classifies one item as of the transaction''s start (now()) and removes it from the state.';
CREATE FUNCTION appraisal.sla_stats_inv_now(appraisal.sla_stats, timestamptz, timestamptz, interval, text)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_inv_now(appraisal.sla_stats, timestamptz, timestamptz, interval, text) IS
  'Moving-window inverse of sla_compliance: classifies one item as of the transaction''s start (now()) and removes it from the state.';
CREATE FUNCTION appraisal.sla_stats_combine(appraisal.sla_stats, appraisal.sla_stats)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_combine(appraisal.sla_stats, appraisal.sla_stats) IS
  'Combine function of the SLA aggregates and rollup: adds counts and business time.';
CREATE FUNCTION appraisal.sla_stats_combine_inv(appraisal.sla_stats, appraisal.sla_stats)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_combine_inv(appraisal.sla_stats, appraisal.sla_stats) IS
  'The inverse of sla_stats_combine: the first summary less the second, which it must hold (each count, and the business time of the finished items), exactly; else an error. refresh_scorecards() takes a changed ticket''s old contribution out of its day''s row with it.';

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
CREATE FUNCTION appraisal.compliance_percent(stats appraisal.sla_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'sla_stats_compliance_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.compliance_percent(appraisal.sla_stats) IS
  'Compliance as the scorecards show it: 100 * met / (met + breached), exact, truncated to two decimals (2 met of 3 judged is 66.66, never 66.67); NULL when no item was met or breached.';
CREATE FUNCTION appraisal.mean_elapsed(stats appraisal.sla_stats) RETURNS interval
  AS 'MODULE_PATHNAME', 'sla_stats_mean_elapsed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.mean_elapsed(appraisal.sla_stats) IS 'Mean business time (pauses excluded) of finished items, met and late, to the microsecond, as hours (e.g. 05:30:00); NULL when none finished.';
CREATE FUNCTION appraisal.mean_elapsed_hours(stats appraisal.sla_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'sla_stats_mean_elapsed_hours' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.mean_elapsed_hours(appraisal.sla_stats) IS
  'Mean business time (pauses excluded) of finished items, met and late, in hours as the scorecards show it: exact, truncated to two decimals (5 h 59 min 59 s is 5.99); NULL when none finished.';

CREATE FUNCTION appraisal.elapsed_seconds(stats appraisal.sla_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'sla_stats_elapsed_seconds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.elapsed_seconds(appraisal.sla_stats) IS 'Total business time (pauses excluded) of the finished items, met and late, in seconds, exact to the microsecond: the sum mean_elapsed divides. 0 when none finished.';

-- aggregates: sla_agg with a calendar value or name, with or without pauses

CREATE AGGREGATE appraisal.sla_agg(start timestamptz, stop timestamptz, target interval, calendar appraisal.business_calendar, as_of timestamptz) (
  SFUNC = appraisal.sla_stats_trans, STYPE = appraisal.sla_stats,
  INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.sla_stats_combine,
  MSFUNC = appraisal.sla_stats_trans, MINVFUNC = appraisal.sla_stats_inv, MSTYPE = appraisal.sla_stats,
  MINITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.sla_agg(timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz) IS
  'Two-step SLA compliance: classifies each item against due = business_due(start, target, calendar) into an appraisal.sla_stats: finished (stop <= as_of) at or before due is met, after it late; unfinished (stop NULL or after as_of) is overdue once as_of >= due, else pending; an item starting after as_of is ignored. Read with compliance, met, breached, pending, mean_elapsed; merge with rollup.';

CREATE AGGREGATE appraisal.sla_agg(start timestamptz, stop timestamptz, target interval, calendar appraisal.business_calendar, as_of timestamptz, tstzmultirange) (
  SFUNC = appraisal.sla_stats_trans, STYPE = appraisal.sla_stats,
  INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.sla_stats_combine,
  MSFUNC = appraisal.sla_stats_trans, MINVFUNC = appraisal.sla_stats_inv, MSTYPE = appraisal.sla_stats,
  MINITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.sla_agg(timestamptz, timestamptz, interval, appraisal.business_calendar, timestamptz, tstzmultirange) IS
  'Two-step SLA compliance: classifies each item against due = business_due(start, target, calendar, pauses) into an appraisal.sla_stats: finished (stop <= as_of) at or before due is met, after it late; unfinished (stop NULL or after as_of) is overdue once as_of >= due, else pending; an item starting after as_of is ignored. Read with compliance, met, breached, pending, mean_elapsed; merge with rollup.';

CREATE AGGREGATE appraisal.sla_agg(start timestamptz, stop timestamptz, target interval, calendar text, as_of timestamptz) (
  SFUNC = appraisal.sla_stats_trans, STYPE = appraisal.sla_stats,
  INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.sla_stats_combine,
  MSFUNC = appraisal.sla_stats_trans, MINVFUNC = appraisal.sla_stats_inv, MSTYPE = appraisal.sla_stats,
  MINITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.sla_agg(timestamptz, timestamptz, interval, text, timestamptz) IS
  'Two-step SLA compliance: classifies each item against due = business_due(start, target, calendar) into an appraisal.sla_stats: finished (stop <= as_of) at or before due is met, after it late; unfinished (stop NULL or after as_of) is overdue once as_of >= due, else pending; an item starting after as_of is ignored. The calendar is a name in appraisal.business_calendars, looked up once per call site. Read with compliance, met, breached, pending, mean_elapsed; merge with rollup.';

CREATE AGGREGATE appraisal.sla_agg(start timestamptz, stop timestamptz, target interval, calendar text, as_of timestamptz, tstzmultirange) (
  SFUNC = appraisal.sla_stats_trans, STYPE = appraisal.sla_stats,
  INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.sla_stats_combine,
  MSFUNC = appraisal.sla_stats_trans, MINVFUNC = appraisal.sla_stats_inv, MSTYPE = appraisal.sla_stats,
  MINITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.sla_agg(timestamptz, timestamptz, interval, text, timestamptz, tstzmultirange) IS
  'Two-step SLA compliance: classifies each item against due = business_due(start, target, calendar, pauses) into an appraisal.sla_stats: finished (stop <= as_of) at or before due is met, after it late; unfinished (stop NULL or after as_of) is overdue once as_of >= due, else pending; an item starting after as_of is ignored. The calendar is a name in appraisal.business_calendars, looked up once per call site. Read with compliance, met, breached, pending, mean_elapsed; merge with rollup.';

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

CREATE AGGREGATE appraisal.sla_compliance(start timestamptz, stop timestamptz, target interval) (
  SFUNC = appraisal.sla_stats_trans_now, STYPE = appraisal.sla_stats,
  INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  FINALFUNC = appraisal.compliance, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.sla_stats_combine,
  MSFUNC = appraisal.sla_stats_trans_now, MINVFUNC = appraisal.sla_stats_inv_now, MSTYPE = appraisal.sla_stats,
  MINITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  MFINALFUNC = appraisal.compliance, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.sla_compliance(timestamptz, timestamptz, interval) IS
  'Share of items kept within target on the 24x7 calendar (every instant counts; working days are UTC days), as of now(): compliance(sla_agg(start, stop, target, ''24x7'', now())). Met = finished at or before business_due(start, target, calendar); unfinished items count as breached once due, else are left out. NULL when no item was met or breached.';

CREATE AGGREGATE appraisal.sla_compliance(start timestamptz, stop timestamptz, target interval, calendar appraisal.business_calendar) (
  SFUNC = appraisal.sla_stats_trans_now, STYPE = appraisal.sla_stats,
  INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  FINALFUNC = appraisal.compliance, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.sla_stats_combine,
  MSFUNC = appraisal.sla_stats_trans_now, MINVFUNC = appraisal.sla_stats_inv_now, MSTYPE = appraisal.sla_stats,
  MINITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  MFINALFUNC = appraisal.compliance, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.sla_compliance(timestamptz, timestamptz, interval, appraisal.business_calendar) IS
  'Share of items kept within target in business time on the calendar, as of now(): compliance(sla_agg(start, stop, target, calendar, now())). Met = finished at or before business_due(start, target, calendar); unfinished items count as breached once due, else are left out. NULL when no item was met or breached.';

CREATE AGGREGATE appraisal.sla_compliance(start timestamptz, stop timestamptz, target interval, calendar text) (
  SFUNC = appraisal.sla_stats_trans_now, STYPE = appraisal.sla_stats,
  INITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  FINALFUNC = appraisal.compliance, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.sla_stats_combine,
  MSFUNC = appraisal.sla_stats_trans_now, MINVFUNC = appraisal.sla_stats_inv_now, MSTYPE = appraisal.sla_stats,
  MINITCOND = 'met=0 late=0 overdue=0 pending=0 elapsed=0s',
  MFINALFUNC = appraisal.compliance, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.sla_compliance(timestamptz, timestamptz, interval, text) IS
  'Share of items kept within target in business time on the calendar named in appraisal.business_calendars (looked up once per call site), as of now(). Met = finished at or before business_due(start, target, calendar); unfinished items count as breached once due, else are left out. NULL when no item was met or breached.';
