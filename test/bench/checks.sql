-- make bench, step 2: the queries, and the check that every hand-written
-- baseline returns the answer of ours (else the comparison means nothing).
--
-- kind: floor (the cost of a scan: count(*) and avg(x) over the same rows),
-- ours, baseline (what an analyst would write instead) or control.  answer: an
-- expression over the query's result row r giving comparable text; ours and
-- its compare_to must give the same answers, row for row.
SET client_min_messages = warning;
ALTER TABLE bench.query ADD COLUMN answer text;

-- tickets, as of the start of 2026 for the 24x7 SLA (pending and overdue
-- tickets included), of 2027 on the working calendar (all resolved by then)
INSERT INTO bench.query (name, source, kind, sql) VALUES
  ('tickets: count(*)', 'tickets', 'floor', 'SELECT count(*) FROM appraisal.tickets'),
  ('tickets: avg(contacts)', 'tickets', 'floor', 'SELECT avg(contacts) FROM appraisal.tickets');
INSERT INTO bench.query (name, source, kind, compare_to, sql, answer) VALUES
  ('sla_agg, 24x7, 48 hours', 'tickets', 'ours', 'SLA 24x7 in plain SQL (FILTER)',
   $q$SELECT appraisal.sla_agg(opened_at, resolved_at, '48 hours', '24x7', '2026-01-01 00:00+08') AS s FROM appraisal.tickets$q$,
   $a$concat_ws(' ', appraisal.met(r.s), appraisal.late(r.s), appraisal.overdue(r.s), appraisal.pending(r.s),
                trim_scale(appraisal.elapsed_seconds(r.s)))$a$),
  ('SLA 24x7 in plain SQL (FILTER)', 'tickets', 'baseline', NULL,
   $q$SELECT count(*) FILTER (WHERE resolved_at <= '2026-01-01 00:00+08' AND resolved_at <= opened_at + interval '48 hours') AS met,
             count(*) FILTER (WHERE resolved_at <= '2026-01-01 00:00+08' AND resolved_at > opened_at + interval '48 hours') AS late,
             count(*) FILTER (WHERE (resolved_at IS NULL OR resolved_at > '2026-01-01 00:00+08')
                                AND opened_at + interval '48 hours' <= '2026-01-01 00:00+08') AS overdue,
             count(*) FILTER (WHERE (resolved_at IS NULL OR resolved_at > '2026-01-01 00:00+08')
                                AND opened_at + interval '48 hours' > '2026-01-01 00:00+08') AS pending,
             extract(epoch FROM sum(resolved_at - opened_at) FILTER (WHERE resolved_at <= '2026-01-01 00:00+08')) AS elapsed
      FROM appraisal.tickets WHERE opened_at <= '2026-01-01 00:00+08'$q$,
   $a$concat_ws(' ', r.met, r.late, r.overdue, r.pending, trim_scale(r.elapsed))$a$),
  ('sla_agg, working calendar, 24 hours', 'tickets', 'ours', NULL,
   $q$SELECT appraisal.sla_agg(opened_at, resolved_at, '24 hours', 'demo_cn_office', '2027-01-01 00:00+08') FROM appraisal.tickets$q$, NULL),
  ('sla_agg, working calendar, 3 days', 'tickets', 'ours', NULL,
   $q$SELECT appraisal.sla_agg(opened_at, resolved_at, '3 days', 'demo_cn_office', '2027-01-01 00:00+08') FROM appraisal.tickets$q$, NULL),
  ('fcr(contacts)', 'tickets', 'ours', 'FCR in plain SQL',
   'SELECT appraisal.fcr(contacts) AS fcr FROM appraisal.tickets', 'r.fcr::text'),
  ('FCR in plain SQL', 'tickets', 'baseline', NULL,
   'SELECT count(*) FILTER (WHERE contacts = 1)::float8 / count(contacts) AS fcr FROM appraisal.tickets', 'r.fcr::text');

-- survey responses (all on the 1..5 scale)
INSERT INTO bench.query (name, source, kind, sql) VALUES
  ('surveys: count(*)', 'surveys', 'floor', 'SELECT count(*) FROM appraisal.survey_responses'),
  ('surveys: avg(rating)', 'surveys', 'floor', 'SELECT avg(rating) FROM appraisal.survey_responses');
INSERT INTO bench.query (name, source, kind, compare_to, sql, answer) VALUES
  ('csat(rating)', 'surveys', 'ours', 'CSAT in plain SQL',
   'SELECT appraisal.csat(rating) AS csat FROM appraisal.survey_responses', 'r.csat::text'),
  ('CSAT in plain SQL', 'surveys', 'baseline', NULL,
   'SELECT count(*) FILTER (WHERE rating >= 4)::float8 / count(rating) AS csat FROM appraisal.survey_responses', 'r.csat::text');

-- 360 ratings: over all rows, and per ratee (where the fallbacks apply).
-- The plain-SQL composite: group means with FILTER, the fixed fallbacks of
-- docs/rules.md, "360-degree scores", with CASE.  Floats: compared to 9 decimals.
INSERT INTO bench.query (name, source, kind, sql) VALUES
  ('ratings: count(*)', 'ratings', 'floor', 'SELECT count(*) FROM bench.ratings'),
  ('ratings: avg(score)', 'ratings', 'floor', 'SELECT avg(score) FROM bench.ratings'),
  ('ratings: avg(score) per ratee', 'ratings per ratee', 'floor', 'SELECT ratee, avg(score) FROM bench.ratings GROUP BY ratee'),
  -- not a floor: a CPU-bound scan (an md5 per row), the parallel speed-up
  -- the machine gives when reading the rows is not what limits it
  ('ratings: CPU-bound control, sum(length(md5(ratee::text)))', 'ratings', 'control',
   'SELECT sum(length(md5(ratee::text))) FROM bench.ratings');
INSERT INTO bench.query (name, source, kind, compare_to, sql, answer)
SELECT q.name, q.source, q.kind, q.compare_to, q.sql, q.answer
FROM (VALUES ('CASE WHEN sup IS NOT NULL AND peer IS NOT NULL AND sub IS NOT NULL THEN 0.4 * sup + 0.3 * peer + 0.3 * sub
                    WHEN sup IS NOT NULL AND sub IS NOT NULL THEN 0.6 * sup + 0.4 * sub
                    WHEN sup IS NOT NULL AND peer IS NOT NULL THEN 0.6 * sup + 0.4 * peer
                    WHEN sup IS NOT NULL THEN sup
                    WHEN peer IS NOT NULL AND sub IS NOT NULL THEN 0.5 * peer + 0.5 * sub
                    ELSE coalesce(peer, sub) END',
              'avg(score) FILTER (WHERE role = ''superior'') AS sup,
               avg(score) FILTER (WHERE role = ''peer'') AS peer,
               avg(score) FILTER (WHERE role = ''subordinate'') AS sub')) f(composite, means),
LATERAL (VALUES
  ('score_360(score, role)', 'ratings', 'ours', '360 in plain SQL (FILTER + CASE)',
   'SELECT appraisal.score_360(score, role) AS score FROM bench.ratings', 'round(r.score::numeric, 9)::text'),
  ('360 in plain SQL (FILTER + CASE)', 'ratings', 'baseline', NULL,
   format('SELECT %s AS score FROM (SELECT %s FROM bench.ratings) x', f.composite, f.means), 'round(r.score::numeric, 9)::text'),
  ('score_360 per ratee', 'ratings per ratee', 'ours', '360 per ratee in plain SQL',
   'SELECT ratee, appraisal.score_360(score, role) AS score FROM bench.ratings GROUP BY ratee',
   'r.ratee || '': '' || round(r.score::numeric, 9)'),
  ('360 per ratee in plain SQL', 'ratings per ratee', 'baseline', NULL,
   format('SELECT ratee, %s AS score FROM (SELECT ratee, %s FROM bench.ratings GROUP BY ratee) x', f.composite, f.means),
   'r.ratee || '': '' || round(r.score::numeric, 9)'),
  ('weighted_score(score, weight)', 'ratings', 'ours', 'weighted mean in plain SQL',
   'SELECT appraisal.weighted_score(score, weight) AS score FROM bench.ratings', 'round(r.score::numeric, 9)::text'),
  ('weighted mean in plain SQL', 'ratings', 'baseline', NULL,
   'SELECT sum(weight * score) / sum(weight) AS score FROM bench.ratings', 'round(r.score::numeric, 9)::text')
) q(name, source, kind, compare_to, sql, answer);

-- business time on the working calendar: the PL/pgSQL day loop on the sample
INSERT INTO bench.query (name, source, kind, compare_to, sql, answer) VALUES
  ('sample: business time, PL/pgSQL day loop', 'sample', 'baseline', NULL,
   'SELECT sum(bench.plpgsql_elapsed(opened_at, resolved_at)) AS total FROM bench.sample',
   'extract(epoch FROM r.total)::text'),
  ('sample: business_elapsed', 'sample', 'ours', 'sample: business time, PL/pgSQL day loop',
   $q$SELECT sum(appraisal.business_elapsed(opened_at, resolved_at, 'demo_cn_office')) AS total FROM bench.sample$q$,
   'extract(epoch FROM r.total)::text'),
  ('sample: SLA 24 working hours, PL/pgSQL day loop', 'sample', 'baseline', NULL,
   $q$SELECT count(*) FILTER (WHERE e <= interval '24 hours') AS met, count(*) FILTER (WHERE e > interval '24 hours') AS late
      FROM (SELECT bench.plpgsql_elapsed(opened_at, resolved_at) AS e FROM bench.sample OFFSET 0) s$q$,
   $a$r.met || ' ' || r.late$a$),
  ('sample: sla_agg, working calendar, 24 hours', 'sample', 'ours', 'sample: SLA 24 working hours, PL/pgSQL day loop',
   $q$SELECT appraisal.sla_agg(opened_at, resolved_at, '24 hours', 'demo_cn_office', '2027-01-01 00:00+08') AS s FROM bench.sample$q$,
   $a$appraisal.met(r.s) || ' ' || appraisal.late(r.s)$a$);

-- business_elapsed and business_due per call: ours over every ticket (the
-- sample is too small to time them apart from the query around them), the
-- day loops over the sample, each less the same query without business time
-- (the floors), so that the ratio compares the functions, not sum() or max()
INSERT INTO bench.query (name, source, kind, compare_to, sql, answer) VALUES
  ('sample: business due, PL/pgSQL day loop', 'sample', 'baseline', NULL,
   $q$SELECT sum(extract(epoch FROM bench.plpgsql_due(opened_at, '24 hours') - opened_at)) AS total FROM bench.sample$q$,
   'r.total::text'),
  ('sample: business_due', 'sample', 'ours', 'sample: business due, PL/pgSQL day loop',
   $q$SELECT sum(extract(epoch FROM appraisal.business_due(opened_at, '24 hours', 'demo_cn_office') - opened_at)) AS total FROM bench.sample$q$,
   'r.total::text'),
  ('sample: floor of business time, sum(resolved_at - opened_at)', 'sample', 'floor', NULL,
   'SELECT sum(resolved_at - opened_at) FROM bench.sample', NULL),
  ('sample: floor of due times, sum(extract(epoch FROM opened_at + 24 hours - opened_at))', 'sample', 'floor', NULL,
   $q$SELECT sum(extract(epoch FROM opened_at + interval '24 hours' - opened_at)) FROM bench.sample$q$, NULL),
  ('business_elapsed, working calendar', 'tickets', 'ours', NULL,
   $q$SELECT sum(appraisal.business_elapsed(opened_at, resolved_at, 'demo_cn_office')) FROM appraisal.tickets WHERE resolved_at IS NOT NULL$q$, NULL),
  ('tickets: floor of business time, sum(resolved_at - opened_at)', 'tickets', 'floor', NULL,
   'SELECT sum(resolved_at - opened_at) FROM appraisal.tickets WHERE resolved_at IS NOT NULL', NULL),
  ('business_due, working calendar, 24 hours', 'tickets', 'ours', NULL,
   $q$SELECT max(appraisal.business_due(opened_at, '24 hours', 'demo_cn_office')) FROM appraisal.tickets$q$, NULL),
  ('tickets: floor of due times, max(opened_at + 24 hours)', 'tickets', 'floor', NULL,
   $q$SELECT max(opened_at + interval '24 hours') FROM appraisal.tickets$q$, NULL);

-- A quarter's team scorecard: read from the daily summaries (rolled up by
-- the view), against the same figures recomputed from the raw tickets and
-- surveys the way the materialized views define them (the SLA policy of
-- each ticket, comebacks of the same customer and category, one survey
-- response per ticket, system-caused complaints left out of all but first
-- response and the counts), pooled per team.
INSERT INTO bench.query (name, source, kind, compare_to, sql, answer) VALUES
  ('team scorecard of 2025-Q4 from the daily roll-ups', 'scorecard', 'ours', 'team scorecard of 2025-Q4 from raw tickets',
   $q$SELECT team, tickets, first_response_met, first_response_breached, first_response_pending, first_response_compliance,
             resolution_met, resolution_breached, resolution_pending, resolution_compliance, mean_resolution_hours,
             resolved, first_contact_resolved, fcr, recurred, recurrence_rate, responses, satisfied, csat,
             complaints, service_complaints, system_complaints, unattributed_complaints,
             composite_points, composite_grade, training_needed, sufficient_data,
             complaint_rate, complaints_handled_in_time, complaints_handled_late, complaint_handling_rate,
             excluded_tickets, excluded_reason
      FROM appraisal.team_scorecard WHERE period = '2025-Q4'$q$,
   'r::text'),
  ('team scorecard of 2025-Q4 from raw tickets', 'scorecard', 'baseline', NULL,
   $q$WITH params AS (
        SELECT report_time_zone AS tz, repeat_window,
               (SELECT value::boolean FROM appraisal.current_settings WHERE name = 'system_complaints_first_response') AS system_fr
        FROM appraisal.scorecard_parameters()
      ), q AS (
        SELECT (p.starts_on::timestamp AT TIME ZONE params.tz) AS t_from, ((p.ends_on + 1)::timestamp AT TIME ZONE params.tz) AS t_to
        FROM appraisal.periods p, params WHERE p.period = '2025-Q4'
      ), m AS (
        SELECT * FROM appraisal.sla_policy_matrix()
      ), keyed AS (   -- from the quarter's start on: its tickets and the comebacks after them
        SELECT t.*, e.team, t.cause IS NOT DISTINCT FROM 'system' AS sys,
               CASE WHEN t.customer_id IS NOT NULL THEN
                 lead(t.opened_at) OVER (PARTITION BY t.customer_id, t.category, t.cause IS NOT DISTINCT FROM 'system'
                                         ORDER BY t.opened_at, t.ticket_id)
               END AS next_opened_at
        FROM appraisal.tickets t JOIN appraisal.employees e ON e.employee_id = t.agent_id, q
        WHERE t.opened_at >= q.t_from
      ), tk AS (
        SELECT k.team, count(*) AS tickets,
               appraisal.sla_agg(k.opened_at, coalesce(k.first_response_at, k.resolved_at), m.first_response_target,
                                 m.first_response_calendar, now(), k.pauses)
                 FILTER (WHERE NOT k.sys OR params.system_fr) AS first_response,
               appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target, m.resolution_calendar, now(), k.pauses)
                 FILTER (WHERE NOT k.sys) AS resolution,
               appraisal.fcr_agg(CASE WHEN k.resolved_at <= now() THEN k.contacts END,
                                 CASE WHEN k.next_opened_at IS NOT NULL
                                      THEN greatest(k.next_opened_at - k.resolved_at, interval '0') END,
                                 params.repeat_window) FILTER (WHERE NOT k.sys) AS fcr,
               count(*) FILTER (WHERE k.complaint) AS complaints,
               count(*) FILTER (WHERE k.cause = 'service') AS service_complaints,
               count(*) FILTER (WHERE k.sys) AS system_complaints,
               count(*) FILTER (WHERE k.sys AND NOT params.system_fr) AS system_fr_excluded,
               appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target, m.resolution_calendar, now(), k.pauses)
                 FILTER (WHERE k.cause = 'service') AS handling
        FROM keyed k CROSS JOIN q CROSS JOIN params
        JOIN m ON m.channel = CASE WHEN k.channel IN (SELECT channel FROM m) THEN k.channel ELSE '' END
              AND m.priority = CASE WHEN k.priority IN (SELECT priority FROM m) THEN k.priority ELSE '' END
        WHERE k.opened_at < q.t_to AND k.opened_at <= now()
        GROUP BY k.team
      ), cs AS (
        SELECT e.team, count(*) AS responses, count(*) FILTER (WHERE c.rating >= c.scale_max - 1) AS satisfied
        FROM (SELECT DISTINCT ON (r.ticket_id) r.ticket_id, t.agent_id, r.rating, r.scale_max
              FROM appraisal.survey_responses r JOIN appraisal.tickets t USING (ticket_id) CROSS JOIN q
              WHERE t.opened_at >= q.t_from AND t.opened_at < q.t_to AND t.cause IS DISTINCT FROM 'system'
              ORDER BY r.ticket_id, CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END, r.responded_at DESC) c
        JOIN appraisal.employees e ON e.employee_id = c.agent_id
        GROUP BY e.team
      )
      SELECT tk.team, s.*, c.*
      FROM tk LEFT JOIN cs USING (team)
      CROSS JOIN LATERAL appraisal.service_measures(tk.tickets, tk.first_response, tk.resolution, tk.fcr,
                                                    coalesce(cs.responses, 0), coalesce(cs.satisfied, 0),
                                                    tk.complaints, tk.service_complaints, tk.system_complaints) s
      CROSS JOIN LATERAL appraisal.complaint_measures(tk.tickets, tk.service_complaints, tk.system_complaints,
                                                      tk.system_fr_excluded, tk.handling) c$q$,
   'r::text');

-- every pair must agree (on the whole result, row by row)
DO $$
DECLARE
  p record;
  ours text;
  theirs text;
BEGIN
  FOR p IN SELECT o.name, o.sql, o.answer, b.name AS b_name, b.sql AS b_sql, b.answer AS b_answer
           FROM bench.query o JOIN bench.query b ON b.name = o.compare_to ORDER BY o.ord LOOP
    EXECUTE format('SELECT string_agg(a, E''\n'' ORDER BY a) FROM (SELECT (%s) AS a FROM (%s) r) x', p.answer, p.sql) INTO ours;
    EXECUTE format('SELECT string_agg(a, E''\n'' ORDER BY a) FROM (SELECT (%s) AS a FROM (%s) r) x', p.b_answer, p.b_sql) INTO theirs;
    IF ours IS NULL OR ours IS DISTINCT FROM theirs THEN
      RAISE EXCEPTION 'bench: "%" and "%" disagree', p.name, p.b_name
        USING DETAIL = format(E'ours:\n%s\ntheirs:\n%s', left(ours, 2000), left(theirs, 2000));
    END IF;
    RAISE NOTICE 'agrees: % = %', p.name, p.b_name;
  END LOOP;
END
$$;
