-- 57: the provider penalty ledger, which de-duplicates the provider events
-- and prices what is charged, and the provider scorecard, which puts the
-- penalties beside the service measures of the provider's technicians.
-- Rules: docs/rules.md, "Service providers".

-- The penalty ledger ---------------------------------------------------------------
--
-- Every event once, with its status, decided in this order (each step sees
-- only the events the steps before it left undecided; ties go to the
-- earlier event, then the smaller event_id in byte order, whatever the
-- database's collation):
--   (a) about_service = false: exempt;
--   (b) an SMS review repeated by a web review (same provider, rule and
--       order): duplicate of the web one (the earliest), in any window;
--   (c) bad_review: one customer in one window: the earliest counts,
--       the others are duplicates of it.  The customer is customer_key (the
--       same phone and address); a complaint without them is the customer of
--       its order: the phone and address of the order's earliest complaint
--       that has them (one judged here first; an exempt review or an SMS twin
--       still tells who the customer is), else the order alone.  One
--       customer's order is not charged twice because a report lacked them;
--   (d) a rule charged per order (fake_customer_data): one order counts once,
--       in any window;
--   (e) anything else (service_complaint, peak_understaffing, per case):
--       every event counts.
-- What counts is charged the amount of its rule in effect on its day (NULL
-- while the rule has none set: bad_review as shipped), unless the setting
-- refuse_charges_after_disqualification is on and the provider is
-- disqualified on the event's day: then it is refused (amount 0).
CREATE VIEW appraisal.penalty_ledger WITH (security_invoker = true) AS
WITH params AS (
  SELECT * FROM appraisal.provider_parameters() CROSS JOIN appraisal.provider_rule_parameters()
), ev AS (
  SELECT e.event_id, e.provider_id, e.rule_id, e.source, e.order_id, e.occurred_at, e.about_service,
         e.customer_key, d.occurred_on,
         CASE p.penalty_window WHEN 'week' THEN date_trunc('week', d.occurred_on::timestamp)::date
                               ELSE date_trunc('month', d.occurred_on::timestamp)::date END AS window_starts_on,
         p.penalty_window,
         r.amount, coalesce(r.unit, f.unit) AS unit, r.valid_from, r.description,
         CASE WHEN p.refuse_charges_after_disqualification AND st.status = 'disqualified' THEN st.effective_from END AS refused_from,
         st.reason AS status_reason
  FROM appraisal.provider_events e
  CROSS JOIN params p
  CROSS JOIN LATERAL (SELECT (e.occurred_at AT TIME ZONE p.report_time_zone)::date AS occurred_on) d
  LEFT JOIN LATERAL (SELECT r.amount, r.unit, r.valid_from, r.description FROM appraisal.penalty_rules r
                     WHERE r.rule_id = e.rule_id AND r.valid_from <= d.occurred_on
                     ORDER BY r.valid_from DESC LIMIT 1) r ON true
  LEFT JOIN LATERAL (SELECT r.unit FROM appraisal.penalty_rules r       -- (only when none is in effect)
                     WHERE r.rule_id = e.rule_id ORDER BY r.valid_from LIMIT 1) f ON r.unit IS NULL
  LEFT JOIN LATERAL (SELECT h.status, h.effective_from, h.reason FROM appraisal.provider_status_history h
                     WHERE h.provider_id = e.provider_id AND h.effective_from <= d.occurred_on
                     ORDER BY h.effective_from DESC, h.recorded_at DESC LIMIT 1) st ON true
), web_twin AS (   -- (b)
  SELECT DISTINCT ON (s.event_id) s.event_id, w.event_id AS web_event_id
  FROM ev s
  JOIN ev w ON w.provider_id = s.provider_id AND w.rule_id = s.rule_id AND w.order_id = s.order_id
           AND w.source = 'web' AND w.about_service
  WHERE s.source = 'sms' AND s.about_service
  ORDER BY s.event_id, w.occurred_at, w.event_id COLLATE "C"
), identified AS (   -- (c): a bad review without phone and address takes its order's customer
  SELECT ev.*, ev.about_service AND t.event_id IS NULL AS judged,
         CASE WHEN ev.rule_id = 'bad_review' AND ev.customer_key IS NULL AND ev.order_id IS NOT NULL
              THEN first_value(ev.customer_key) OVER (
                     PARTITION BY ev.provider_id, ev.rule_id, ev.order_id
                     ORDER BY ev.customer_key IS NULL, NOT (ev.about_service AND t.event_id IS NULL),
                              ev.occurred_at, ev.event_id COLLATE "C") END AS order_customer_key
  FROM ev
  LEFT JOIN web_twin t ON t.event_id = ev.event_id
), keyed AS (      -- (c), (d), (e): what makes two events one
  SELECT i.*,
         coalesce(i.customer_key, i.order_customer_key) AS match_key,
         i.order_customer_key IS NOT NULL AS key_from_order,
         CASE WHEN i.rule_id = 'bad_review' AND coalesce(i.customer_key, i.order_customer_key) IS NOT NULL THEN 'customer'
              WHEN i.rule_id = 'bad_review' THEN 'order'
              WHEN i.unit = 'order' AND i.order_id IS NOT NULL THEN 'order'
              ELSE 'case' END AS matched_by,
         CASE WHEN i.rule_id = 'bad_review' THEN i.window_starts_on END AS within_window
  FROM identified i
  WHERE i.judged
), judged AS (
  SELECT k.event_id, k.matched_by, k.key_from_order,
         first_value(k.event_id) OVER w AS counted_event_id,
         first_value(k.key_from_order) OVER w AS counted_key_from_order,
         first_value(k.order_id) OVER w AS counted_order_id
  FROM keyed k
  WINDOW w AS (PARTITION BY k.provider_id, k.rule_id, k.within_window, k.matched_by,
                            CASE k.matched_by WHEN 'customer' THEN k.match_key WHEN 'order' THEN k.order_id
                                              ELSE k.event_id END
               ORDER BY k.occurred_at, k.event_id COLLATE "C")
)
SELECT ev.event_id, ev.provider_id, ev.rule_id, ev.source, ev.order_id, ev.occurred_at, ev.occurred_on,
       ev.window_starts_on, s.status,
       coalesce(t.web_event_id, nullif(j.counted_event_id, ev.event_id)) AS duplicate_of,
       CASE
         WHEN NOT ev.about_service THEN 'exempt: about something other than the installation service'
         WHEN t.web_event_id IS NOT NULL
           THEN format('duplicate: the SMS review repeated by web review %s of order %s (the web one counts)',
                       t.web_event_id, ev.order_id)
         WHEN s.status = 'duplicate' AND j.matched_by = 'customer' AND j.key_from_order
           THEN format('duplicate: the same customer (the phone and address of order %s''s other reports) as %s in the %s from %s',
                       ev.order_id, j.counted_event_id, ev.penalty_window, ev.window_starts_on)
         WHEN s.status = 'duplicate' AND j.matched_by = 'customer' AND j.counted_key_from_order
           THEN format('duplicate: the same customer (phone and address) as %s, a report of their order %s, in the %s from %s',
                       j.counted_event_id, j.counted_order_id, ev.penalty_window, ev.window_starts_on)
         WHEN s.status = 'duplicate' AND j.matched_by = 'customer'
           THEN format('duplicate: the same customer (phone and address) as %s in the %s from %s',
                       j.counted_event_id, ev.penalty_window, ev.window_starts_on)
         WHEN s.status = 'duplicate' AND ev.rule_id = 'bad_review'
           THEN format('duplicate: the same order %s as %s in the %s from %s',
                       ev.order_id, j.counted_event_id, ev.penalty_window, ev.window_starts_on)
         WHEN s.status = 'duplicate'
           THEN format('duplicate: order %s counted once, by %s', ev.order_id, j.counted_event_id)
         WHEN s.status = 'refused'
           THEN format('refused: the provider is disqualified from %s (%s), and refuse_charges_after_disqualification is on',
                       ev.refused_from, ev.status_reason)
         WHEN ev.amount IS NULL AND ev.valid_from IS NOT NULL
           THEN format('counted, no amount: %s; rule %s has no amount set on %s (add a row of appraisal.penalty_rules with the year''s amount)',
                       ev.description, ev.rule_id, ev.occurred_on)
         WHEN ev.amount IS NULL
           THEN format('charged, but rule %s has no amount in effect on %s', ev.rule_id, ev.occurred_on)
         ELSE format('charged: %s, %s per %s%s', ev.description, ev.amount, ev.unit,
                     CASE WHEN ev.valid_from > '-infinity' THEN format(' (from %s)', ev.valid_from) ELSE '' END)
       END AS reason,
       CASE WHEN s.status = 'charged' THEN ev.amount ELSE 0 END AS amount,
       ev.unit
FROM ev
LEFT JOIN web_twin t ON t.event_id = ev.event_id
LEFT JOIN judged j ON j.event_id = ev.event_id
CROSS JOIN LATERAL (
  SELECT CASE WHEN NOT ev.about_service THEN 'exempt'
              WHEN t.web_event_id IS NOT NULL OR j.counted_event_id <> ev.event_id THEN 'duplicate'
              WHEN ev.refused_from IS NOT NULL THEN 'refused'
              ELSE 'charged' END AS status
) s;
COMMENT ON VIEW appraisal.penalty_ledger IS
  'Every provider event once, with what it costs the provider (docs/rules.md, "Service providers"), decided in this order: (a) a review not about the installation service is exempt; (b) an SMS review repeated by a web review of the same order is a duplicate of the web one; (c) a bad review of a customer (same phone and address; a review without them is the customer of its order, named by the order''s earliest bad review with them, one the ledger judges before an SMS twin or an exempt review; else the order alone) already counted in the window (penalty_window: the calendar month, or the week, of the day in report_time_zone) is a duplicate of the earliest; (d) a rule charged per order counts an order once; (e) anything else (service complaints among them) counts every case. Ties go to the earlier event, then the smaller event_id (byte order). Charged events cost their rule''s amount in effect on their day (NULL while none is set: bad reviews as shipped); with refuse_charges_after_disqualification on, an event of a provider disqualified on its day is refused instead.';

COMMENT ON COLUMN appraisal.penalty_ledger.event_id IS 'Event (appraisal.provider_events).';
COMMENT ON COLUMN appraisal.penalty_ledger.provider_id IS 'Provider (appraisal.providers).';
COMMENT ON COLUMN appraisal.penalty_ledger.rule_id IS 'Penalty rule (appraisal.penalty_rules).';
COMMENT ON COLUMN appraisal.penalty_ledger.source IS 'Where the report came from: web, sms, callback, dispatch, inspection or other.';
COMMENT ON COLUMN appraisal.penalty_ledger.order_id IS 'Order concerned, if known.';
COMMENT ON COLUMN appraisal.penalty_ledger.occurred_at IS 'When it happened.';
COMMENT ON COLUMN appraisal.penalty_ledger.occurred_on IS 'Its day in the report time zone: picks the window, the period and the amount in effect.';
COMMENT ON COLUMN appraisal.penalty_ledger.window_starts_on IS 'First day of its de-duplication window: the month (or, with penalty_window 1 week, the Monday) of occurred_on.';
COMMENT ON COLUMN appraisal.penalty_ledger.status IS 'charged (counts and costs amount, NULL while its rule has no amount set), duplicate (the same thing as duplicate_of, not charged again), exempt (not about the installation service, not charged) or refused (would be charged, but the provider is disqualified on its day and refuse_charges_after_disqualification is on).';
COMMENT ON COLUMN appraisal.penalty_ledger.duplicate_of IS 'For a duplicate, the event it repeats: the web review of an SMS review, else the customer''s or order''s event that counted; NULL otherwise.';
COMMENT ON COLUMN appraisal.penalty_ledger.reason IS 'Why the event has its status, in words (the rule and the event it repeats, or the amount charged).';
COMMENT ON COLUMN appraisal.penalty_ledger.amount IS 'Amount charged: the rule''s amount in effect on occurred_on for a charged event (NULL if none is set: a bad review before the year''s amount is entered), 0 otherwise.';
COMMENT ON COLUMN appraisal.penalty_ledger.unit IS 'order or case: what the rule''s amount is per.';

-- The installation orders, counted -----------------------------------------------
--
-- An order reported both online and offline in one window counts once: the
-- online record (the earliest, if several), the others are duplicates of it.
-- The window is the penalty ledger's (penalty_window of the reported day in
-- report_time_zone).  The counted record is judged on timeliness.
CREATE VIEW appraisal.provider_order_ledger WITH (security_invoker = true) AS
WITH params AS (
  SELECT * FROM appraisal.provider_parameters()
), o AS (
  SELECT o.record_id, o.provider_id, o.order_id, o.channel, o.reported_at, d.reported_on,
         CASE p.penalty_window WHEN 'week' THEN date_trunc('week', d.reported_on::timestamp)::date
                               ELSE date_trunc('month', d.reported_on::timestamp)::date END AS window_starts_on,
         p.penalty_window, o.due_at, o.completed_at
  FROM appraisal.provider_orders o
  CROSS JOIN params p
  CROSS JOIN LATERAL (SELECT (o.reported_at AT TIME ZONE p.report_time_zone)::date AS reported_on) d
), judged AS (
  SELECT o.*, first_value(o.record_id) OVER w AS counted_record_id, first_value(o.channel) OVER w AS counted_channel
  FROM o
  WINDOW w AS (PARTITION BY o.provider_id, o.order_id, o.window_starts_on
               ORDER BY o.channel = 'offline', o.reported_at, o.record_id COLLATE "C")
)
SELECT j.record_id, j.provider_id, j.order_id, j.channel, j.reported_at, j.reported_on, j.window_starts_on,
       CASE WHEN j.counted_record_id = j.record_id THEN 'counted' ELSE 'duplicate' END AS status,
       nullif(j.counted_record_id, j.record_id) AS duplicate_of,
       CASE WHEN j.counted_record_id = j.record_id
              THEN format('counted: the %s record of order %s', j.channel, j.order_id)
            WHEN j.channel = 'offline' AND j.counted_channel = 'online'
              THEN format('duplicate: order %s was reported online as %s in the %s from %s; the offline record is dropped',
                          j.order_id, j.counted_record_id, j.penalty_window, j.window_starts_on)
            ELSE format('duplicate: order %s is reported again (%s), counted once by %s in the %s from %s',
                        j.order_id, j.channel, j.counted_record_id, j.penalty_window, j.window_starts_on)
       END AS reason,
       j.due_at, j.completed_at,
       CASE WHEN j.counted_record_id <> j.record_id OR j.due_at IS NULL THEN NULL
            WHEN j.completed_at IS NULL AND j.due_at > now() THEN 'open'
            WHEN j.completed_at IS NULL THEN 'overdue'
            WHEN j.completed_at <= j.due_at THEN 'on time'
            ELSE 'late' END AS timeliness
FROM judged j;
COMMENT ON VIEW appraisal.provider_order_ledger IS
  'Every record of appraisal.provider_orders once (docs/rules.md, "Service providers"): an installation order reported both online and offline in one window (penalty_window: the calendar month, or the week, of the reported day in report_time_zone) counts once, by its online record; the offline one is a duplicate (dropped). An order reported twice on one channel in a window also counts once (the earliest). The counted record is judged on timeliness: completed by its due time (on time), after it (late), not completed past it (overdue) or before it (open).';
COMMENT ON COLUMN appraisal.provider_order_ledger.record_id IS 'Record (appraisal.provider_orders).';
COMMENT ON COLUMN appraisal.provider_order_ledger.provider_id IS 'Provider (appraisal.providers).';
COMMENT ON COLUMN appraisal.provider_order_ledger.order_id IS 'Installation order.';
COMMENT ON COLUMN appraisal.provider_order_ledger.channel IS 'online or offline.';
COMMENT ON COLUMN appraisal.provider_order_ledger.reported_at IS 'When it was reported.';
COMMENT ON COLUMN appraisal.provider_order_ledger.reported_on IS 'Its day in the report time zone: picks the window and the period.';
COMMENT ON COLUMN appraisal.provider_order_ledger.window_starts_on IS 'First day of its window: the month (or, with penalty_window 1 week, the Monday) of reported_on.';
COMMENT ON COLUMN appraisal.provider_order_ledger.status IS 'counted (the order counts, once) or duplicate (another record of the same order in the window counts: the offline record of an order also reported online is dropped).';
COMMENT ON COLUMN appraisal.provider_order_ledger.duplicate_of IS 'For a duplicate, the record that counts; NULL otherwise.';
COMMENT ON COLUMN appraisal.provider_order_ledger.reason IS 'Why the record has its status, in words.';
COMMENT ON COLUMN appraisal.provider_order_ledger.due_at IS 'When the installation was due.';
COMMENT ON COLUMN appraisal.provider_order_ledger.completed_at IS 'When it was completed.';
COMMENT ON COLUMN appraisal.provider_order_ledger.timeliness IS 'For a counted record with a due time: on time (completed_at <= due_at), late, overdue (not completed and due before now) or open (not completed, not yet due); NULL for a duplicate or without a due time.';

-- The provider scorecard -------------------------------------------------------
--
-- Per provider and period: the ledger's events of the days in the period,
-- and the service measures of the provider's technicians, pooled from their
-- summaries by pooled_summaries as a team's are (never rates averaged).
-- A provider appears in a period in which it has either.  Like the
-- person-level scorecards it runs with its owner's rights and honours
-- scorecard_access: roles scoped to teams or employees see no provider.
CREATE VIEW appraisal.provider_scorecard WITH (security_invoker = false, security_barrier = true) AS
WITH penalties AS (
  SELECT l.provider_id, p.period, count(*) AS events,
         count(*) FILTER (WHERE l.status = 'charged') AS charged_events,
         count(*) FILTER (WHERE l.status = 'duplicate') AS duplicates,
         count(*) FILTER (WHERE l.status = 'exempt') AS exempt,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'fake_customer_data') AS fake_data_orders,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'service_complaint') AS complaint_cases,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'peak_understaffing') AS understaffing_cases,
         coalesce(sum(l.amount) FILTER (WHERE l.status = 'charged'), 0) AS penalty_amount,
         count(*) FILTER (WHERE l.status IN ('charged', 'refused') AND l.rule_id = 'bad_review') AS bad_reviews,
         count(*) FILTER (WHERE l.status = 'refused') AS refused_events,
         count(*) FILTER (WHERE l.status = 'charged' AND l.amount IS NULL) AS unpriced_events
  FROM appraisal.penalty_ledger l
  JOIN appraisal.periods p ON l.occurred_on BETWEEN p.starts_on AND p.ends_on
  GROUP BY l.provider_id, p.period
), orders AS (
  SELECT o.provider_id, p.period,
         count(*) FILTER (WHERE o.status = 'counted') AS orders,
         count(*) FILTER (WHERE o.status = 'duplicate') AS duplicate_order_records,
         count(*) FILTER (WHERE o.timeliness = 'on time') AS orders_on_time,
         count(*) FILTER (WHERE o.timeliness IN ('late', 'overdue')) AS orders_late
  FROM appraisal.provider_order_ledger o
  JOIN appraisal.periods p ON o.reported_on BETWEEN p.starts_on AND p.ends_on
  GROUP BY o.provider_id, p.period
), pooled AS (
  SELECT pool_id AS provider_id, period, agents AS technicians, tickets, first_response, resolution, fcr,
         responses, satisfied, complaints, service_complaints, system_complaints,
         system_first_responses_excluded, complaint_handling, as_of
  FROM appraisal.pooled_summaries
  WHERE pooling = 'provider'
), both_sides AS (
  SELECT coalesce(x.provider_id, t.provider_id, o.provider_id) AS provider_id,
         coalesce(x.period, t.period, o.period) AS period,
         x.events, x.charged_events, x.duplicates, x.exempt, x.fake_data_orders, x.complaint_cases,
         x.understaffing_cases, x.penalty_amount, x.bad_reviews, x.refused_events, x.unpriced_events,
         t.technicians, t.tickets, t.first_response, t.resolution, t.fcr, t.responses, t.satisfied,
         t.complaints, t.service_complaints, t.system_complaints, t.system_first_responses_excluded,
         t.complaint_handling, t.as_of,
         o.orders, o.duplicate_order_records, o.orders_on_time, o.orders_late
  FROM penalties x
  FULL JOIN pooled t ON t.provider_id = x.provider_id AND t.period = x.period
  FULL JOIN orders o ON o.provider_id = coalesce(x.provider_id, t.provider_id) AND o.period = coalesce(x.period, t.period)
)
SELECT b.provider_id, v.name, p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       coalesce(b.events, 0) AS events, coalesce(b.charged_events, 0) AS charged_events,
       coalesce(b.duplicates, 0) AS duplicates, coalesce(b.exempt, 0) AS exempt,
       coalesce(b.fake_data_orders, 0) AS fake_data_orders, coalesce(b.complaint_cases, 0) AS complaint_cases,
       coalesce(b.understaffing_cases, 0) AS understaffing_cases, coalesce(b.penalty_amount, 0) AS penalty_amount,
       coalesce(b.technicians, 0) AS technicians,
       m.*, b.as_of, tg.*, cm.*, fu.*,
       coalesce(b.bad_reviews, 0) AS bad_reviews, coalesce(b.orders, 0) AS orders,
       coalesce(b.duplicate_order_records, 0) AS duplicate_order_records,
       appraisal.share_percent(coalesce(b.bad_reviews, 0), b.orders) AS bad_review_rate,
       coalesce(b.orders_on_time, 0) AS orders_on_time, coalesce(b.orders_late, 0) AS orders_late,
       appraisal.share_percent(b.orders_on_time, b.orders_on_time + b.orders_late) AS completion_timeliness,
       coalesce(b.refused_events, 0) AS refused_events, coalesce(b.unpriced_events, 0) AS unpriced_events
FROM both_sides b
JOIN appraisal.providers v ON v.provider_id = b.provider_id
JOIN appraisal.periods p ON p.period = b.period
CROSS JOIN LATERAL appraisal.service_measures(coalesce(b.tickets, 0), b.first_response, b.resolution, b.fcr,
                                              coalesce(b.responses, 0), coalesce(b.satisfied, 0),
                                              coalesce(b.complaints, 0), coalesce(b.service_complaints, 0),
                                              coalesce(b.system_complaints, 0)) m
CROSS JOIN LATERAL appraisal.service_targets(m.first_response_compliance, m.csat, m.resolved, m.recurred, m.sufficient_data) tg
CROSS JOIN LATERAL appraisal.complaint_measures(coalesce(b.tickets, 0), coalesce(b.service_complaints, 0),
                                                coalesce(b.system_complaints, 0),
                                                coalesce(b.system_first_responses_excluded, 0), b.complaint_handling) cm
LEFT JOIN appraisal.follow_up_summaries f ON f.pooling = 'provider' AND f.pool_id = b.provider_id AND f.period = b.period
CROSS JOIN LATERAL appraisal.follow_up_measures(f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections,
                                                f.inspection_score_sum, f.extreme_responses, f.extreme_satisfied,
                                                f.other_responses, f.other_satisfied) fu
WHERE appraisal.may_see(NULL, NULL);
COMMENT ON VIEW appraisal.provider_scorecard IS
  'Per service provider and period (every period of appraisal.periods in which the provider has events, reported orders or technicians with tickets): the penalty ledger''s events of the days in the period by status, the charged ones by rule and their total amount (docs/rules.md, "Service providers"); the counted installation orders (appraisal.provider_order_ledger), the bad-review rate and the completion timeliness; and the service measures of the provider''s technicians (employees with its provider_id), their summaries pooled by appraisal.pooled_summaries as a team''s are. Ticket measures are read from the materialized summaries as of their last refresh; the penalties are read live.';

COMMENT ON COLUMN appraisal.provider_scorecard.provider_id IS 'Provider (appraisal.providers).';
COMMENT ON COLUMN appraisal.provider_scorecard.name IS 'Provider name.';
COMMENT ON COLUMN appraisal.provider_scorecard.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.provider_scorecard.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.provider_scorecard.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.provider_scorecard.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.provider_scorecard.events IS 'Provider events whose day falls in the period, whatever their status.';
COMMENT ON COLUMN appraisal.provider_scorecard.charged_events IS 'Events charged (status charged).';
COMMENT ON COLUMN appraisal.provider_scorecard.duplicates IS 'Events not charged because they repeat another (an SMS review repeated on the web, the same customer in a window, the same order).';
COMMENT ON COLUMN appraisal.provider_scorecard.exempt IS 'Events not charged because they are not about the installation service.';
COMMENT ON COLUMN appraisal.provider_scorecard.fake_data_orders IS 'Orders charged for fake customer data.';
COMMENT ON COLUMN appraisal.provider_scorecard.complaint_cases IS 'Service-caused complaints charged: every complaint (no same-customer de-duplication; an SMS report repeated on the web is one).';
COMMENT ON COLUMN appraisal.provider_scorecard.understaffing_cases IS 'Cases of under-staffing in peak sales events charged.';
COMMENT ON COLUMN appraisal.provider_scorecard.penalty_amount IS 'Total amount charged in the period: each charged event at its rule''s amount in effect on its day (rules of your own included).';
COMMENT ON COLUMN appraisal.provider_scorecard.technicians IS 'The provider''s technicians (employees with its provider_id) with tickets in the period.';
COMMENT ON COLUMN appraisal.provider_scorecard.tickets IS 'Tickets of the provider''s technicians opened in the period (0 without any; the measures are then NULL and the grade ''insufficient data'').';
COMMENT ON COLUMN appraisal.provider_scorecard.first_response_met IS 'Tickets answered by their first-response due time.';
COMMENT ON COLUMN appraisal.provider_scorecard.first_response_breached IS 'Tickets answered late, or unanswered past their due time at the refresh.';
COMMENT ON COLUMN appraisal.provider_scorecard.first_response_pending IS 'Tickets unanswered but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.provider_scorecard.first_response_compliance IS 'First-response SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.provider_scorecard.resolution_met IS 'Tickets resolved by their resolution due time.';
COMMENT ON COLUMN appraisal.provider_scorecard.resolution_breached IS 'Tickets resolved late, or unresolved past their due time at the refresh.';
COMMENT ON COLUMN appraisal.provider_scorecard.resolution_pending IS 'Tickets unresolved but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.provider_scorecard.resolution_compliance IS 'Resolution SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.provider_scorecard.mean_resolution_hours IS 'Mean business hours (pauses excluded) from opening to resolution of the resolved tickets, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.provider_scorecard.resolved IS 'Tickets resolved (by the refresh).';
COMMENT ON COLUMN appraisal.provider_scorecard.first_contact_resolved IS 'Resolved tickets resolved on the first contact and not recurred.';
COMMENT ON COLUMN appraisal.provider_scorecard.fcr IS 'First contact resolution, percent: first_contact_resolved / resolved.';
COMMENT ON COLUMN appraisal.provider_scorecard.recurred IS 'Resolved tickets whose customer came back in the same category within the repeat window.';
COMMENT ON COLUMN appraisal.provider_scorecard.recurrence_rate IS 'Recurrence rate, percent: recurred / resolved.';
COMMENT ON COLUMN appraisal.provider_scorecard.responses IS 'Survey responses counted (one per ticket: web, else call-back, else SMS).';
COMMENT ON COLUMN appraisal.provider_scorecard.satisfied IS 'Responses with one of the two top ratings (4 or 5 of 5).';
COMMENT ON COLUMN appraisal.provider_scorecard.csat IS 'CSAT, percent: satisfied / responses.';
COMMENT ON COLUMN appraisal.provider_scorecard.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.provider_scorecard.service_complaints IS 'Service-caused complaints: count against the agent.';
COMMENT ON COLUMN appraisal.provider_scorecard.system_complaints IS 'System-caused complaints (company policy or system): left out of the agent''s measures but for their first response (setting system_complaints_first_response).';
COMMENT ON COLUMN appraisal.provider_scorecard.unattributed_complaints IS 'Complaints not yet attributed to service or system.';
COMMENT ON COLUMN appraisal.provider_scorecard.composite_points IS 'Closed-loop complaint composite in points: weight_first_response (40) x first-response compliance + weight_resolution (30) x resolution compliance + weight_satisfaction (30) x CSAT, over the weights, exact and truncated to 2 decimals; NULL when a part has no evidence.';
COMMENT ON COLUMN appraisal.provider_scorecard.composite_grade IS 'Grade band of composite_points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.provider_scorecard.training_needed IS 'Communication-skills training flag: first-response compliance below training_threshold (80 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.provider_scorecard.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.provider_scorecard.as_of IS 'When the ticket summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them); NULL without tickets. The penalties are read live.';
COMMENT ON COLUMN appraisal.provider_scorecard.resolution_accuracy IS 'Resolution accuracy, percent: resolved tickets that did not recur / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.provider_scorecard.meets_first_response_target IS 'First-response compliance at or above target_first_response (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.provider_scorecard.first_response_points_below_target IS 'Points of first-response compliance below target_first_response (each affects the bonus); 0 when met; NULL with insufficient data.';
COMMENT ON COLUMN appraisal.provider_scorecard.meets_csat_target IS 'CSAT at or above target_csat (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.provider_scorecard.meets_resolution_accuracy_target IS 'Resolution accuracy at or above target_resolution_accuracy (98 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.provider_scorecard.complaint_rate IS 'Service complaint rate of the technicians: service-caused complaints per 100 tickets, truncated to 2 decimals (docs/rules.md, "Complaint handling": attribution).';
COMMENT ON COLUMN appraisal.provider_scorecard.complaints_handled_in_time IS 'Service-caused complaints closed within their resolution target.';
COMMENT ON COLUMN appraisal.provider_scorecard.complaints_handled_late IS 'Service-caused complaints closed late, or open past their target at the refresh.';
COMMENT ON COLUMN appraisal.provider_scorecard.complaint_handling_rate IS 'Complaint-handling rate, percent: service-caused complaints closed within their target / those judged (open ones not yet due are not), truncated to 2 decimals; NULL without one.';
COMMENT ON COLUMN appraisal.provider_scorecard.excluded_tickets IS 'Tickets left out of the measures as not the technicians'': system-caused complaints (company policy or system), never in resolution, FCR, recurrence, satisfaction or the composite.';
COMMENT ON COLUMN appraisal.provider_scorecard.excluded_reason IS 'Why excluded_tickets were left out, and whether their first response counted (setting system_complaints_first_response); NULL when none was.';
COMMENT ON COLUMN appraisal.provider_scorecard.called_back IS 'Resolved tickets called back within call_back_window (7 days) after their resolution, its end included: a call-back in appraisal.call_backs or a survey response from a call-back.';
COMMENT ON COLUMN appraisal.provider_scorecard.call_back_pending IS 'Resolved tickets not called back yet whose call-back window was still open at the refresh: left out of the call-back rate.';
COMMENT ON COLUMN appraisal.provider_scorecard.call_back_rate IS 'Call-back rate (回访率), percent: called_back / (resolved - call_back_pending), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.provider_scorecard.meets_call_back_target IS 'Call-back rate at or above target_call_back_rate (90 %); NULL with fewer than min_tickets resolved tickets judged.';
COMMENT ON COLUMN appraisal.provider_scorecard.surveyed IS 'Resolved tickets with at least one survey response.';
COMMENT ON COLUMN appraisal.provider_scorecard.survey_coverage IS 'Survey coverage, percent: surveyed / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.provider_scorecard.qa_sampled IS 'Internal quality inspections (内部质检) of the tickets opened in the period: each one a sample.';
COMMENT ON COLUMN appraisal.provider_scorecard.qa_score IS 'QA score: the exact mean of the inspections'' scores (0-100), truncated to 2 decimals; NULL without inspections.';
COMMENT ON COLUMN appraisal.provider_scorecard.meets_service_quality_target IS 'QA score at or above target_service_quality (95); NULL without inspections.';
COMMENT ON COLUMN appraisal.provider_scorecard.csat_extreme_weighted IS 'CSAT, percent, with the extreme ratings (1 or the top of the scale) weighted by extreme_rating_weight and the others by 1: the satisfied weight over the responses'' weight, truncated to 2 decimals; equals csat at the default weight 1.';
COMMENT ON COLUMN appraisal.provider_scorecard.extreme_rating_weight IS 'The setting extreme_rating_weight the extreme-weighted CSAT was computed with (1: plain).';
COMMENT ON COLUMN appraisal.provider_scorecard.bad_reviews IS 'Bad reviews counted (charged or refused) after the de-duplication (exempt, SMS repeated on the web, the same customer in a window).';
COMMENT ON COLUMN appraisal.provider_scorecard.orders IS 'Installation orders counted in the period (appraisal.provider_order_ledger, status counted, by the reported day): an order reported online and offline in one window counts once.';
COMMENT ON COLUMN appraisal.provider_scorecard.duplicate_order_records IS 'Order records dropped in the period as duplicates (the offline record of an order also reported online, or an order reported again).';
COMMENT ON COLUMN appraisal.provider_scorecard.bad_review_rate IS 'Bad-review rate, percent: bad_reviews / orders, truncated to 2 decimals; NULL without orders.';
COMMENT ON COLUMN appraisal.provider_scorecard.orders_on_time IS 'Counted orders completed by their due time.';
COMMENT ON COLUMN appraisal.provider_scorecard.orders_late IS 'Counted orders completed after their due time, or not completed past it (now).';
COMMENT ON COLUMN appraisal.provider_scorecard.completion_timeliness IS 'Completion timeliness, percent: orders_on_time / (orders_on_time + orders_late), truncated to 2 decimals; open orders and orders without a due time are not judged; NULL without a judged order.';
COMMENT ON COLUMN appraisal.provider_scorecard.refused_events IS 'Events not charged because the provider was disqualified on their day and refuse_charges_after_disqualification is on.';
COMMENT ON COLUMN appraisal.provider_scorecard.unpriced_events IS 'Events counted without an amount, their rule having none set on their day (bad reviews until the year''s amount is entered): not in penalty_amount.';
