-- 17: first contact resolution and recurrence: fcr(contacts) and
-- fcr(contacts, repeat_gap, repeat_window) with the two-step summary
-- appraisal.fcr_stats.  Rules: docs/rules.md, "Complaint handling".

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
CREATE FUNCTION appraisal.fcr_stats_combine_inv(appraisal.fcr_stats, appraisal.fcr_stats)
  RETURNS appraisal.fcr_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr_stats_combine_inv(appraisal.fcr_stats, appraisal.fcr_stats) IS
  'The inverse of fcr_stats_combine: the first summary less the second, which it must hold (its first-contact, recurred and other resolved items), exactly; else an error. refresh_scorecards() takes a changed ticket''s old contribution out of its day''s row with it.';

-- accessors
CREATE FUNCTION appraisal.fcr(stats appraisal.fcr_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'fcr_stats_fcr' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr(appraisal.fcr_stats) IS
  'First contact resolution rate: first_contact / resolved, the share of resolved items resolved on the first contact that did not recur. NULL when nothing was resolved.';
CREATE FUNCTION appraisal.recurrence_rate(stats appraisal.fcr_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'fcr_stats_recurrence_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.recurrence_rate(appraisal.fcr_stats) IS
  'Recurrence rate: recurred / resolved, the share of resolved items whose customer came back about the same problem within the window. 0 for summaries made without repeat_gap; NULL when nothing was resolved.';
CREATE FUNCTION appraisal.fcr_percent(stats appraisal.fcr_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'fcr_stats_fcr_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr_percent(appraisal.fcr_stats) IS
  'FCR as the scorecards show it: 100 * first_contact_resolved / resolved, exact, truncated to two decimals; NULL when nothing was resolved.';
CREATE FUNCTION appraisal.recurrence_percent(stats appraisal.fcr_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'fcr_stats_recurrence_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.recurrence_percent(appraisal.fcr_stats) IS
  'Recurrence rate as the scorecards show it: 100 * recurred / resolved, exact, truncated to two decimals; NULL when nothing was resolved.';
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
  'First contact resolution (docs/rules.md, "Complaint handling"): share of resolved items resolved on the first contact. contacts is the contact on which an item was resolved (1 = first); NULL = not resolved, left out. contacts below 1 are errors. NULL when nothing was resolved.';

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
  'First contact resolution with recurrence (docs/rules.md, "Complaint handling"): share of resolved items resolved on the first contact whose customer did not come back about the same problem within repeat_window. repeat_gap is the time from resolution to the comeback (NULL: none; e.g. lead() over customer and problem); recurred when repeat_gap <= repeat_window as SQL compares intervals (1 day = 24 hours, 1 month = 30 days). Rows with NULL contacts are left out; contacts below 1, a negative gap and a NULL or negative window are errors. NULL when nothing was resolved.';

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
