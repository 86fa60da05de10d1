-- 55: survey results: the points of every answer, the status of every
-- questionnaire sent, and whether a run counts: it must cover enough of the
-- customers in scope (80 %) with enough valid responses (70 %).  Rules:
-- docs/rules.md, "Satisfaction survey".

-- The customer's acceptance caps an answer's points at the best band it
-- allows.
CREATE FUNCTION appraisal.survey_acceptance_band(acceptance text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT CASE survey_acceptance_band.acceptance
           WHEN 'very satisfied' THEN 'A' WHEN 'basically satisfied' THEN 'B'
           WHEN 'acceptable' THEN 'D' WHEN 'not accepted' THEN 'E' END;
END;
COMMENT ON FUNCTION appraisal.survey_acceptance_band(text) IS
  'The best band an answer may reach with the customer''s acceptance (docs/rules.md, "Satisfaction survey": 2 days and very satisfied 15; 3 days and basically satisfied 11-14; 4 days and acceptable 4-7): very satisfied A, basically satisfied B, acceptable D, not accepted E; NULL for NULL (no cap).';

CREATE FUNCTION appraisal.survey_acceptance_cap(scale appraisal.item_scale_spec, acceptance text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT trunc(max(greatest(b.points_at_lower, b.points_at_upper)), 2)
  FROM appraisal.item_bands(survey_acceptance_cap.scale) b
  WHERE b.label = appraisal.survey_acceptance_band(survey_acceptance_cap.acceptance);
END;
COMMENT ON FUNCTION appraisal.survey_acceptance_cap(appraisal.item_scale_spec, text) IS
  'The most points an answer can have with the customer''s acceptance: the highest points of the scale''s bands labelled survey_acceptance_band(acceptance) (on resolution_days_15: very satisfied 15, basically satisfied 14, acceptable 7, not accepted 3). NULL (no cap) without acceptance or when the scale has no band of that label.';

-- Per answer: its item, band and points.
CREATE VIEW appraisal.customer_survey_points WITH (security_invoker = true) AS
SELECT a.run_id, r.questionnaire, r.period, a.customer_id, a.item_no, i.item, a.value,
       CASE WHEN cap.points < by_value.points THEN appraisal.survey_acceptance_band(a.acceptance)
            ELSE appraisal.item_band(a.value, i.scale) END AS band,
       least(by_value.points, cap.points) AS points,
       appraisal.item_max_points(i.scale) AS max_points,
       a.acceptance
FROM appraisal.customer_survey_answers a
JOIN appraisal.survey_runs r USING (run_id)
JOIN appraisal.survey_items i ON i.questionnaire = r.questionnaire AND i.item_no = a.item_no
CROSS JOIN LATERAL (SELECT appraisal.item_points(a.value, i.scale) AS points) by_value
CROSS JOIN LATERAL (SELECT appraisal.survey_acceptance_cap(i.scale, a.acceptance) AS points) cap;
COMMENT ON VIEW appraisal.customer_survey_points IS
  'Per answer of appraisal.customer_survey_answers: the item, the band of the value on the item''s scale and its points (item_points: interpolated inside the band, truncated to two decimals), capped by the customer''s acceptance where the item records one (survey_acceptance_cap; the band is then the one the acceptance allows).';
COMMENT ON COLUMN appraisal.customer_survey_points.run_id IS 'Survey run.';
COMMENT ON COLUMN appraisal.customer_survey_points.questionnaire IS 'Questionnaire of the run.';
COMMENT ON COLUMN appraisal.customer_survey_points.period IS 'Appraisal period of the run.';
COMMENT ON COLUMN appraisal.customer_survey_points.customer_id IS 'Customer who answered.';
COMMENT ON COLUMN appraisal.customer_survey_points.item_no IS 'Item number.';
COMMENT ON COLUMN appraisal.customer_survey_points.item IS 'Item name.';
COMMENT ON COLUMN appraisal.customer_survey_points.value IS 'Value answered.';
COMMENT ON COLUMN appraisal.customer_survey_points.band IS 'Band of the item scale holding the value (A-E on the shipped scales); when the acceptance caps the points, the band it allows.';
COMMENT ON COLUMN appraisal.customer_survey_points.points IS 'Points of the answer, truncated to two decimals, at most survey_acceptance_cap when the answer records an acceptance.';
COMMENT ON COLUMN appraisal.customer_survey_points.max_points IS 'Full marks of the item.';
COMMENT ON COLUMN appraisal.customer_survey_points.acceptance IS 'The customer''s acceptance recorded with the answer; NULL for items that take none.';

-- Per questionnaire sent: how complete, how many points, whether valid.
CREATE VIEW appraisal.customer_survey_status WITH (security_invoker = true) AS
WITH items AS (
  SELECT questionnaire, count(*) AS items_total, sum(appraisal.item_max_points(scale)) AS max_points
  FROM appraisal.survey_items GROUP BY questionnaire
), answered AS (
  SELECT run_id, customer_id, count(*) AS items_answered, sum(points) AS total_points
  FROM appraisal.customer_survey_points GROUP BY run_id, customer_id
), responses AS (
  SELECT s.run_id, r.questionnaire, r.period, s.customer_id, c.name AS customer_name, c.region,
         s.sent_on, s.returned_on, s.invalid_reason,
         coalesce(a.items_answered, 0) AS items_answered, coalesce(it.items_total, 0) AS items_total,
         a.total_points, it.max_points,
         CASE WHEN s.returned_on IS NULL THEN 'not returned'
              WHEN s.returned_on > r.closed_on THEN 'returned late'
              WHEN s.invalid_reason IS NOT NULL THEN 'marked invalid'
              WHEN coalesce(a.items_answered, 0) < coalesce(it.items_total, 0) OR it.items_total IS NULL THEN 'incomplete'
              ELSE 'valid' END AS status
  FROM appraisal.customer_surveys s
  JOIN appraisal.survey_runs r USING (run_id)
  JOIN appraisal.customers c USING (customer_id)
  LEFT JOIN items it ON it.questionnaire = r.questionnaire
  LEFT JOIN answered a ON a.run_id = s.run_id AND a.customer_id = s.customer_id
)
SELECT run_id, questionnaire, period, customer_id, customer_name, region, sent_on, returned_on,
       items_answered, items_total, total_points, max_points, status, status = 'valid' AS response_valid,
       invalid_reason
FROM responses;
COMMENT ON VIEW appraisal.customer_survey_status IS
  'Per questionnaire sent (appraisal.customer_surveys): items answered, total points and whether the response is valid: returned by the day the run closed, not marked invalid, every item answered. Whether the run itself counts is in appraisal.survey_validity; appraisal.survey_results joins the two.';

COMMENT ON COLUMN appraisal.customer_survey_status.run_id IS 'Survey run.';
COMMENT ON COLUMN appraisal.customer_survey_status.questionnaire IS 'Questionnaire of the run.';
COMMENT ON COLUMN appraisal.customer_survey_status.period IS 'Appraisal period of the run.';
COMMENT ON COLUMN appraisal.customer_survey_status.customer_id IS 'Customer surveyed.';
COMMENT ON COLUMN appraisal.customer_survey_status.customer_name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customer_survey_status.region IS 'Customer''s region.';
COMMENT ON COLUMN appraisal.customer_survey_status.sent_on IS 'Day the questionnaire was sent.';
COMMENT ON COLUMN appraisal.customer_survey_status.returned_on IS 'Day it came back; NULL when it has not.';
COMMENT ON COLUMN appraisal.customer_survey_status.items_answered IS 'Items answered.';
COMMENT ON COLUMN appraisal.customer_survey_status.items_total IS 'Items of the questionnaire.';
COMMENT ON COLUMN appraisal.customer_survey_status.total_points IS 'Sum of the points of the answers (each truncated to two decimals); NULL without answers. Counts only when response_valid.';
COMMENT ON COLUMN appraisal.customer_survey_status.max_points IS 'Full marks of the questionnaire (100 for the standard one).';
COMMENT ON COLUMN appraisal.customer_survey_status.status IS 'valid, not returned, returned late (after the run closed), marked invalid (invalid_reason) or incomplete (an item unanswered), checked in that order.';
COMMENT ON COLUMN appraisal.customer_survey_status.response_valid IS 'True when status is valid: the response counts towards the valid-response rate.';
COMMENT ON COLUMN appraisal.customer_survey_status.invalid_reason IS 'Why a returned questionnaire was marked invalid.';

-- Per run: coverage of the scope, valid responses, and whether it counts.
CREATE VIEW appraisal.survey_validity WITH (security_invoker = true) AS
WITH settings AS (
  SELECT max(value) FILTER (WHERE name = 'survey_min_coverage_percent')::numeric AS min_coverage,
         max(value) FILTER (WHERE name = 'survey_min_valid_percent')::numeric AS min_valid,
         max(value) FILTER (WHERE name = 'survey_allow_missed_key_customers')::boolean AS allow_missed_key
  FROM appraisal.current_settings
), scope AS (
  SELECT r.run_id, count(c.customer_id) AS in_scope,
         count(c.customer_id) FILTER (WHERE c.key_customer) AS key_in_scope,
         array_agg(c.customer_id ORDER BY c.customer_id)
           FILTER (WHERE c.key_customer AND NOT EXISTS (SELECT 1 FROM appraisal.customer_surveys s
                                                         WHERE s.run_id = r.run_id AND s.customer_id = c.customer_id))
           AS key_missed
  FROM appraisal.survey_runs r
  LEFT JOIN appraisal.customers c
    ON (r.region IS NULL OR c.region = r.region) AND (c.first_order_on IS NULL OR c.first_order_on <= r.closed_on)
  GROUP BY r.run_id
), responses AS (
  SELECT run_id, count(*) AS surveyed,
         count(*) FILTER (WHERE status NOT IN ('not returned', 'returned late')) AS returned,
         count(*) FILTER (WHERE response_valid) AS valid,
         sum(total_points) FILTER (WHERE response_valid) AS valid_points
  FROM appraisal.customer_survey_status GROUP BY run_id
), counted AS (
  SELECT r.run_id, r.questionnaire, r.period, r.region, r.opened_on, r.closed_on,
         sc.in_scope, sc.key_in_scope, coalesce(sc.key_missed, '{}') AS key_missed, s.allow_missed_key,
         coalesce(x.surveyed, 0) AS surveyed, coalesce(x.returned, 0) AS returned,
         coalesce(x.valid, 0) AS valid, x.valid_points, s.min_coverage, s.min_valid
  FROM appraisal.survey_runs r
  JOIN scope sc USING (run_id)
  CROSS JOIN settings s
  LEFT JOIN responses x USING (run_id)
), judged AS (
  SELECT c.*,
         CASE WHEN in_scope = 0 THEN 'no customers in scope'
              WHEN surveyed = 0 THEN 'no questionnaires sent'
              WHEN surveyed * 100 < min_coverage * in_scope
                THEN format('sent to %s %% of the customers in scope, below %s %%',
                            appraisal.share_percent(surveyed, in_scope), min_coverage)
              WHEN valid * 100 < min_valid * surveyed
                THEN format('%s %% of the questionnaires sent came back valid, below %s %%',
                            appraisal.share_percent(valid, surveyed), min_valid)
              WHEN cardinality(key_missed) > 0 AND NOT allow_missed_key
                THEN format('key customers not surveyed: %s', array_to_string(key_missed, ', '))
         END AS failure
  FROM counted c
)
SELECT run_id, questionnaire, period, region, opened_on, closed_on, closed_on < current_date AS closed,
       in_scope AS customers_in_scope, surveyed AS questionnaires_sent,
       appraisal.share_percent(surveyed, in_scope) AS coverage_percent,
       returned AS questionnaires_returned, valid AS valid_responses,
       appraisal.share_percent(valid, surveyed) AS valid_response_percent,
       min_coverage AS min_coverage_percent, min_valid AS min_valid_percent,
       failure IS NULL AS is_valid, coalesce(failure, 'valid') AS validity,
       CASE WHEN valid > 0 THEN trunc(valid_points / valid, 2) END AS mean_total_points,
       key_in_scope AS key_customers_in_scope, nullif(array_to_string(key_missed, ', '), '') AS key_customers_missed
FROM judged;
COMMENT ON VIEW appraisal.survey_validity IS
  'Per survey run: whether it counts (docs/rules.md, "Satisfaction survey"): sent to at least survey_min_coverage_percent (80) of the customers in scope, at least survey_min_valid_percent (70) of the questionnaires sent came back valid, and sent to every key customer in scope (unless survey_allow_missed_key_customers). The percentage tests compare the counts exactly (79.999 % is below 80 %); the percentages shown are truncated to two decimals.';

COMMENT ON COLUMN appraisal.survey_validity.run_id IS 'Survey run.';
COMMENT ON COLUMN appraisal.survey_validity.questionnaire IS 'Questionnaire of the run.';
COMMENT ON COLUMN appraisal.survey_validity.period IS 'Appraisal period of the run.';
COMMENT ON COLUMN appraisal.survey_validity.region IS 'Region in scope; NULL: every customer.';
COMMENT ON COLUMN appraisal.survey_validity.opened_on IS 'First day of the run.';
COMMENT ON COLUMN appraisal.survey_validity.closed_on IS 'Last day of the run.';
COMMENT ON COLUMN appraisal.survey_validity.closed IS 'True once closed_on has passed: before that the counts may still grow.';
COMMENT ON COLUMN appraisal.survey_validity.customers_in_scope IS 'Customers in the run''s scope: of its region (or all), first order on or before closed_on or unknown.';
COMMENT ON COLUMN appraisal.survey_validity.questionnaires_sent IS 'Customers the questionnaire was sent to.';
COMMENT ON COLUMN appraisal.survey_validity.coverage_percent IS '100 * questionnaires_sent / customers_in_scope, truncated to two decimals.';
COMMENT ON COLUMN appraisal.survey_validity.questionnaires_returned IS 'Questionnaires returned by the day the run closed.';
COMMENT ON COLUMN appraisal.survey_validity.valid_responses IS 'Questionnaires returned in time, not marked invalid and complete (customer_survey_status.response_valid).';
COMMENT ON COLUMN appraisal.survey_validity.valid_response_percent IS '100 * valid_responses / questionnaires_sent (有效回收率), truncated to two decimals.';
COMMENT ON COLUMN appraisal.survey_validity.min_coverage_percent IS 'The coverage a valid run needs (setting survey_min_coverage_percent).';
COMMENT ON COLUMN appraisal.survey_validity.min_valid_percent IS 'The valid-response rate a valid run needs (setting survey_min_valid_percent).';
COMMENT ON COLUMN appraisal.survey_validity.is_valid IS 'True when the run counts: coverage and valid-response rate both reach their minimum.';
COMMENT ON COLUMN appraisal.survey_validity.validity IS '''valid'', or why not: no customers in scope, no questionnaires sent, coverage or valid-response rate below its minimum, key customers not surveyed (checked in that order).';
COMMENT ON COLUMN appraisal.survey_validity.mean_total_points IS 'Mean total points of the valid responses, truncated to two decimals; NULL without any. Use it only when is_valid.';
COMMENT ON COLUMN appraisal.survey_validity.key_customers_in_scope IS 'Key customers (appraisal.customers.key_customer) in the run''s scope.';
COMMENT ON COLUMN appraisal.survey_validity.key_customers_missed IS 'Key customers in scope the run sent no questionnaire to, in order, separated by ", "; NULL when none. The run is not valid with any unless survey_allow_missed_key_customers is true.';

-- The results to use: responses with their run's validity.
CREATE VIEW appraisal.survey_results WITH (security_invoker = true) AS
SELECT x.run_id, x.questionnaire, x.period, x.customer_id, x.customer_name, x.region, x.returned_on,
       x.total_points, x.max_points, x.status, x.response_valid, v.is_valid AS run_valid,
       v.validity AS run_validity, x.response_valid AND v.is_valid AS counts
FROM appraisal.customer_survey_status x
JOIN appraisal.survey_validity v USING (run_id);
COMMENT ON VIEW appraisal.survey_results IS
  'Survey totals per customer with the validity of the response and of its run: a result counts only when both are valid; results of an invalid run are shown, flagged, never silently used.';

COMMENT ON COLUMN appraisal.survey_results.run_id IS 'Survey run.';
COMMENT ON COLUMN appraisal.survey_results.questionnaire IS 'Questionnaire of the run.';
COMMENT ON COLUMN appraisal.survey_results.period IS 'Appraisal period of the run.';
COMMENT ON COLUMN appraisal.survey_results.customer_id IS 'Customer surveyed.';
COMMENT ON COLUMN appraisal.survey_results.customer_name IS 'Customer name.';
COMMENT ON COLUMN appraisal.survey_results.region IS 'Customer''s region.';
COMMENT ON COLUMN appraisal.survey_results.returned_on IS 'Day the questionnaire came back; NULL when it has not.';
COMMENT ON COLUMN appraisal.survey_results.total_points IS 'Total points of the answers (see customer_survey_status).';
COMMENT ON COLUMN appraisal.survey_results.max_points IS 'Full marks of the questionnaire.';
COMMENT ON COLUMN appraisal.survey_results.status IS 'Status of the response (see customer_survey_status.status).';
COMMENT ON COLUMN appraisal.survey_results.response_valid IS 'True when the response is valid.';
COMMENT ON COLUMN appraisal.survey_results.run_valid IS 'True when the run counts (survey_validity.is_valid).';
COMMENT ON COLUMN appraisal.survey_results.run_validity IS 'Why the run counts or not (survey_validity.validity).';
COMMENT ON COLUMN appraisal.survey_results.counts IS 'True when both the response and its run are valid: use total_points only then.';

-- Failing items for quality to follow up: answers of valid responses in
-- valid runs that fell in the two lowest bands of their scale.
CREATE VIEW appraisal.survey_follow_up WITH (security_invoker = true) AS
SELECT p.run_id, p.questionnaire, p.period, p.customer_id, x.customer_name, x.region, p.item_no, p.item,
       p.value, p.acceptance, p.band, p.points, p.max_points
FROM appraisal.customer_survey_points p
JOIN appraisal.customer_survey_status x USING (run_id, customer_id)
JOIN appraisal.survey_validity v USING (run_id)
JOIN appraisal.survey_items i ON i.questionnaire = p.questionnaire AND i.item_no = p.item_no
WHERE x.response_valid AND v.is_valid
  AND p.band IN (SELECT l.label
                 FROM (SELECT b.label, max(greatest(b.points_at_lower, b.points_at_upper)) AS best
                       FROM appraisal.item_bands(i.scale) b GROUP BY b.label) l
                 ORDER BY l.best, l.label LIMIT 2);
COMMENT ON VIEW appraisal.survey_follow_up IS
  'Failing survey items for quality to follow up (docs/rules.md, "Satisfaction survey"): per customer, the answers of valid responses in valid runs whose band is one of the two lowest of the item''s scale (the two band labels whose best points are lowest: D and E on the shipped scales).';
COMMENT ON COLUMN appraisal.survey_follow_up.run_id IS 'Survey run.';
COMMENT ON COLUMN appraisal.survey_follow_up.questionnaire IS 'Questionnaire of the run.';
COMMENT ON COLUMN appraisal.survey_follow_up.period IS 'Appraisal period of the run.';
COMMENT ON COLUMN appraisal.survey_follow_up.customer_id IS 'Customer to follow up with.';
COMMENT ON COLUMN appraisal.survey_follow_up.customer_name IS 'Customer name.';
COMMENT ON COLUMN appraisal.survey_follow_up.region IS 'Customer''s region.';
COMMENT ON COLUMN appraisal.survey_follow_up.item_no IS 'Item number.';
COMMENT ON COLUMN appraisal.survey_follow_up.item IS 'Item name.';
COMMENT ON COLUMN appraisal.survey_follow_up.value IS 'Value answered.';
COMMENT ON COLUMN appraisal.survey_follow_up.acceptance IS 'The customer''s acceptance, for items that record one.';
COMMENT ON COLUMN appraisal.survey_follow_up.band IS 'Band of the answer: one of the two lowest of its scale.';
COMMENT ON COLUMN appraisal.survey_follow_up.points IS 'Points of the answer.';
COMMENT ON COLUMN appraisal.survey_follow_up.max_points IS 'Full marks of the item.';
