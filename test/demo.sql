-- make demo: a small after-sales service team and its quarterly 360 review,
-- computed by the appraisal extension inside PostgreSQL.
\set ON_ERROR_STOP on
\set QUIET on
\pset null '-'
\pset footer off
SET client_min_messages = warning;

CREATE EXTENSION IF NOT EXISTS appraisal;
DROP SCHEMA IF EXISTS demo CASCADE;
CREATE SCHEMA demo;

-- The team: a service manager, two supervisors, four specialists.
CREATE TABLE demo.staff (
  id       text PRIMARY KEY,
  name     text NOT NULL,
  position text NOT NULL,
  manager  text REFERENCES demo.staff
);
INSERT INTO demo.staff VALUES
  ('M1', 'Wang Fang',   'manager',    NULL),
  ('S1', 'Li Na',       'supervisor', 'M1'),
  ('S2', 'Zhang Wei',   'supervisor', 'M1'),
  ('A1', 'Liu Yang',    'specialist', 'S1'),
  ('A2', 'Chen Jing',   'specialist', 'S1'),
  ('A3', 'Zhao Lei',    'specialist', 'S2'),
  ('A4', 'Huang Min',   'specialist', 'S2');

-- 360 reviews for 2026 Q3: one row per rater and ratee (the rater's overall score).
-- The manager is rated by the director (superior) and her subordinates only;
-- supervisors by superior, peer and subordinates; specialists by superior and peers.
CREATE TABLE demo.review (
  ratee  text REFERENCES demo.staff,
  rater  text,
  role   appraisal.rater_role,
  score  double precision
);
INSERT INTO demo.review VALUES
  ('M1','director','superior',88), ('M1','S1','subordinate',92), ('M1','S2','subordinate',95),
  ('M1','M1','self',97),
  ('S1','M1','superior',91), ('S1','S2','peer',86), ('S1','A1','subordinate',94), ('S1','A2','subordinate',90),
  ('S2','M1','superior',78), ('S2','S1','peer',80), ('S2','A3','subordinate',70), ('S2','A4','subordinate',75),
  ('A1','S1','superior',95), ('A1','A2','peer',90), ('A1','A1','self',99),
  ('A2','S1','superior',85), ('A2','A1','peer',83.5),
  ('A3','S2','superior',72), ('A3','A4','peer',66),
  ('A4','S2','superior',58), ('A4','A3','peer',61), ('A4','customer-1','customer',40);

\echo
\echo '360 composites, 2026 Q3 (weights: superior 40 / peer 30 / subordinate 30;'
\echo 'missing groups use the fixed fallbacks 60/40 and 100; self and customer ratings do not count)'
SELECT s.name,
       s.position,
       round(appraisal.group_mean(r, 'superior')::numeric, 2)    AS superior,
       round(appraisal.group_mean(r, 'peer')::numeric, 2)        AS peer,
       round(appraisal.group_mean(r, 'subordinate')::numeric, 2) AS subordinate,
       round(appraisal.score_360(r)::numeric, 2)                 AS composite,
       appraisal.grade_band(appraisal.score_360(r))              AS grade,
       appraisal.grade_band(appraisal.score_360(r), 'english')   AS "grade (en)",
       appraisal.weights_used(r)::text                           AS weights_used
FROM demo.staff s
JOIN (SELECT ratee, appraisal.rating_agg(score, role) AS r FROM demo.review GROUP BY ratee) x
  ON x.ratee = s.id
ORDER BY appraisal.score_360(r) DESC;

\echo
\echo 'The same team under a scheme that also weighs self-ratings and needs two peers'
\echo '(groups with fewer raters are suppressed for anonymity):'
INSERT INTO appraisal.weight_scheme (name, scheme, description) VALUES
  ('demo_self_10', 'superior 40, peer 25, subordinate 25, self 10; min_raters peer 2',
   'demo: self-rating counts 10 %, at least two peers');
SELECT s.name,
       round(appraisal.score_360(r.score, r.role, 'demo_self_10')::numeric, 2) AS composite,
       appraisal.grade_band(appraisal.score_360(r.score, r.role, 'demo_self_10'), 'staff') AS grade
FROM demo.staff s JOIN demo.review r ON r.ratee = s.id
GROUP BY s.name
ORDER BY 2 DESC;

\echo
\echo 'How one composite came about (for the person appraised):'
SELECT jsonb_pretty(appraisal.explain_360(appraisal.rating_agg(score, role))) AS "Liu Yang, 2026 Q3"
FROM demo.review WHERE ratee = 'A1';

\echo
\echo 'Overall appraisal from weighted KPI points (linear_score + weighted_score):'
SELECT s.name,
       round(appraisal.weighted_score(k.points, k.weight)::numeric, 2) AS overall,
       appraisal.grade_band(appraisal.weighted_score(k.points, k.weight)) AS grade
FROM demo.staff s
CROSS JOIN LATERAL (VALUES
  -- first-response compliance: 80 % -> 0 points, 100 % -> 100
  (appraisal.linear_score(CASE s.id WHEN 'A1' THEN 98 WHEN 'A2' THEN 93 WHEN 'A3' THEN 88 ELSE 82 END, 80, 100), 0.4),
  -- return visits per 100 tickets: 5 -> 0 points, 1 -> 100 (reversed)
  (appraisal.linear_score(CASE s.id WHEN 'A1' THEN 1.2 WHEN 'A2' THEN 2.0 WHEN 'A3' THEN 3.1 ELSE 4.4 END, 5, 1), 0.3),
  -- the 360 composite, already in points
  ((SELECT appraisal.score_360(score, role) FROM demo.review WHERE ratee = s.id), 0.3)
) AS k(points, weight)
WHERE s.position = 'specialist'
GROUP BY s.name
ORDER BY 2 DESC;

-- ---------------------------------------------------------------------------
-- Service KPIs in business time: the four specialists' tickets around the
-- 2026 National Day holiday, on a Chinese office calendar.
INSERT INTO appraisal.business_calendars (name, calendar, description) VALUES
  ('demo_cn_office',
   'Asia/Shanghai; Mon-Fri 09:00-12:00,13:30-18:00; holidays 2026-10-01..2026-10-07; workdays 2026-09-27, 2026-10-10',
   'demo: office hours in Shanghai, National Day week off, make-up workdays Sun 09-27 and Sat 10-10');

\echo
\echo 'The office calendar (a value; its text is the calendar itself):'
SELECT name, calendar::text FROM appraisal.business_calendars WHERE name = 'demo_cn_office';

-- 160 tickets opened 2026-09-21 .. 2026-10-16 during the day, four agents of
-- different speed and quality (pseudo-random but fixed: md5 of the ticket id).
-- contacts = customer contacts until resolved (NULL: unresolved); rating =
-- the customer's 1-5 survey answer (NULL: no answer).
CREATE TABLE demo.ticket (
  id          int PRIMARY KEY,
  agent       text REFERENCES demo.staff,
  opened      timestamptz NOT NULL,
  responded   timestamptz,
  resolved    timestamptz,
  contacts    int,
  rating      int
);
INSERT INTO demo.ticket
SELECT i, agent, opened,
       opened + respond_h * interval '1 hour',
       CASE WHEN i % 23 <> 0 THEN opened + (respond_h + resolve_h) * interval '1 hour' END,
       CASE WHEN i % 23 = 0 THEN NULL WHEN u[4] < p_first THEN 1 ELSE 2 + (u[5] * 2)::int END,
       CASE WHEN u[6] < 0.8 THEN greatest(1, 5 - floor(u[7] * spread)::int) END
FROM (SELECT i, a.*, u,
             timestamptz '2026-09-21 08:00+08' + floor(u[1] * 26) * interval '1 day'
                                                + floor(u[2] * 11) * interval '1 hour' AS opened,
             round((-ln(1 - u[3]) * a.respond_mean)::numeric, 1) AS respond_h,
             round((-ln(1 - u[8]) * a.resolve_mean)::numeric, 1) AS resolve_h
      FROM generate_series(1, 160) i
      CROSS JOIN LATERAL (SELECT array_agg(('x' || substr(md5(i || '/' || k), 1, 8))::bit(32)::bigint::float8 / 4294967296
                                          ORDER BY k) AS u
                          FROM generate_series(1, 8) k) r
      JOIN (VALUES ('A1', 0, 4.0, 10.0, 0.85, 1.6),
                   ('A2', 1, 8.0, 20.0, 0.75, 2.4),
                   ('A3', 2, 14.0, 30.0, 0.65, 3.0),
                   ('A4', 3, 24.0, 48.0, 0.45, 4.6)) a(agent, k, respond_mean, resolve_mean, p_first, spread)
        ON i % 4 = a.k) t;

\echo
\echo 'SLA compliance per agent, as of 2026-10-20: first response within 1 working day,'
\echo 'resolution within 3 working days on the office calendar (holidays do not count);'
\echo 'the last column is resolution within 72 hours on the 24x7 clock, for comparison.'
SELECT s.name,
       count(*) AS tickets,
       round(100 * appraisal.compliance(appraisal.sla_agg(t.opened, t.responded, '1 day', 'demo_cn_office', '2026-10-20'))::numeric, 1) AS "first response %",
       round(100 * appraisal.compliance(appraisal.sla_agg(t.opened, t.resolved, '3 days', 'demo_cn_office', '2026-10-20'))::numeric, 1) AS "resolution %",
       appraisal.mean_elapsed(appraisal.sla_agg(t.opened, t.resolved, '3 days', 'demo_cn_office', '2026-10-20')) AS "mean working time",
       appraisal.breached(appraisal.sla_agg(t.opened, t.resolved, '3 days', 'demo_cn_office', '2026-10-20')) AS breached,
       round(100 * appraisal.compliance(appraisal.sla_agg(t.opened, t.resolved, '72 hours', '24x7', '2026-10-20'))::numeric, 1) AS "72 h, 24x7 %"
FROM demo.ticket t JOIN demo.staff s ON s.id = t.agent
GROUP BY s.name
ORDER BY 3 DESC;

\echo
\echo 'Audit of one ticket across the holiday week (resolution target: 3 working days):'
\echo 'its stretches of time, the working time counted, and whether the due time had passed'
SELECT to_char(stretch_start AT TIME ZONE 'Asia/Shanghai', 'Dy MM-DD HH24:MI') AS "from",
       to_char(stretch_end AT TIME ZONE 'Asia/Shanghai', 'Dy MM-DD HH24:MI') AS "to",
       kind, working, cumulative, breached
FROM demo.ticket t,
     appraisal.sla_timeline(t.opened, t.resolved, '3 days', 'demo_cn_office')
WHERE t.id = (SELECT id FROM demo.ticket
              WHERE opened < '2026-10-01' AND resolved > '2026-10-01'
              ORDER BY resolved DESC, id
              LIMIT 1)
ORDER BY stretch_start;

\echo
\echo 'Resolution quality and satisfaction per agent: first contact resolution,'
\echo 'CSAT (share of 4-5 ratings), mean rating, and a Wilson lower bound that'
\echo 'keeps a few happy customers from outranking many:'
SELECT s.name,
       round(100 * appraisal.fcr(t.contacts)::numeric, 1) AS "FCR %",
       appraisal.responses(appraisal.csat_agg(t.rating)) AS responses,
       round(100 * appraisal.csat(t.rating)::numeric, 1) AS "CSAT %",
       round(appraisal.csat_mean(appraisal.csat_agg(t.rating))::numeric, 2) AS "mean rating",
       round(100 * appraisal.csat_lower_bound(appraisal.csat_agg(t.rating))::numeric, 1) AS "CSAT lower bound %"
FROM demo.ticket t JOIN demo.staff s ON s.id = t.agent
GROUP BY s.name
ORDER BY 2 DESC;

\echo
\echo 'Team totals pooled from per-agent summaries (rollup adds counts; rates are never averaged):'
SELECT round(100 * appraisal.compliance(appraisal.rollup(sla))::numeric, 1) AS "resolution %",
       round(100 * appraisal.fcr(appraisal.rollup(fcr))::numeric, 1) AS "FCR %",
       round(100 * appraisal.csat(appraisal.rollup(csat))::numeric, 1) AS "CSAT %"
FROM (SELECT agent,
             appraisal.sla_agg(opened, resolved, '3 days', 'demo_cn_office', '2026-10-20') AS sla,
             appraisal.fcr_agg(contacts) AS fcr,
             appraisal.csat_agg(rating) AS csat
      FROM demo.ticket GROUP BY agent) per_agent;
