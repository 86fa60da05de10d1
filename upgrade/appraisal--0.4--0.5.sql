\echo Use "ALTER EXTENSION appraisal UPDATE TO '0.5'" to load this file. \quit
-- appraisal 0.4 -> 0.5, written by hand: what 0.5 changed in the objects of
-- 0.4.  A fresh install of 0.5 and an update from any earlier version must
-- end alike (sql/upgrade.sql compares every object, property, comment and
-- shipped row).

-- 0.5 refuses subnormal weights (below 2.2250738585072014e-308, other than
-- 0), as a restore would: a weight scheme of yours holding one stops the
-- update here, named, instead of leaving a table that no longer restores.
DO $$
DECLARE
  s record;
BEGIN
  FOR s IN SELECT name, scheme::text AS scheme FROM appraisal.weight_scheme LOOP
    BEGIN
      PERFORM s.scheme::appraisal.weight_scheme_spec;
    EXCEPTION WHEN numeric_value_out_of_range THEN
      RAISE EXCEPTION 'weight scheme "%" (%) has a weight 0.5 refuses: %', s.name, s.scheme, SQLERRM
        USING ERRCODE = 'numeric_value_out_of_range',
              HINT = 'Change the weight to 0 or a normal number (UPDATE appraisal.weight_scheme ...) under 0.4, then update.';
    END;
  END LOOP;
END
$$;

-- The demo data generator is its own extension now (CREATE EXTENSION
-- appraisal_demo): a production database no longer carries a function that
-- replaces the rows of every table.  IF EXISTS: a database may have taken it
-- out of the extension and dropped it already.  (An object of the user's
-- that depends on it stops the update; the CHANGELOG says to drop it first.)
DROP FUNCTION IF EXISTS appraisal.generate_demo_data(integer, integer, integer, boolean);
DROP FUNCTION IF EXISTS appraisal.demo_uniform(bigint, integer);

-- Comments and shipped descriptions cite the rules by their section in
-- docs/rules.md instead of a file outside the repository.
COMMENT ON AGGREGATE appraisal.csat(integer) IS
  'CSAT on the 1..5 scale (docs/rules.md, "Complaint handling" and "Service levels"): the share (0 to 1) of ratings that are 4 or 5. NULL ratings ignored, ratings outside 1..5 are errors, NULL when there is no rating.';
COMMENT ON AGGREGATE appraisal.fcr(integer) IS
  'First contact resolution (docs/rules.md, "Complaint handling"): share of resolved items resolved on the first contact. contacts is the contact on which an item was resolved (1 = first); NULL = not resolved, left out. contacts below 1 are errors. NULL when nothing was resolved.';
COMMENT ON AGGREGATE appraisal.fcr(integer,interval,interval) IS
  'First contact resolution with recurrence (docs/rules.md, "Complaint handling"): share of resolved items resolved on the first contact whose customer did not come back about the same problem within repeat_window. repeat_gap is the time from resolution to the comeback (NULL: none; e.g. lead() over customer and problem); recurred when repeat_gap <= repeat_window as SQL compares intervals (1 day = 24 hours, 1 month = 30 days). Rows with NULL contacts are left out; contacts below 1, a negative gap and a NULL or negative window are errors. NULL when nothing was resolved.';
COMMENT ON AGGREGATE appraisal.score_360(double precision,appraisal.rater_role) IS
  'The 360 composite (docs/rules.md, "360-degree scores"): mean per rater group, then superior 40 / peer 30 / subordinate 30; no peers 60/40, no subordinates 60/40, neither 100 (fixed fallbacks, not renormalised); no superior: 50/50. Self and customer ratings ignored, NULL scores ignored, no usable rating gives NULL. Scores outside [0, 100] are errors.';
COMMENT ON AGGREGATE appraisal.weighted_score(double precision,double precision) IS
  'Weighted composite of KPI points (docs/rules.md, "Department and manager KPIs"): sum of weight * score / sum of weight over the rows whose score is not NULL, so a missing indicator renormalises the rest. Scores must lie in [0, 100]; weights must be finite and >= 0; a NULL weight on a scored row is an error. NULL when nothing was scored or every weight was 0.';
COMMENT ON FUNCTION appraisal.csat_mean(appraisal.csat_stats,double precision) IS
  'Weighted mean rating with the scale''s lowest and highest ratings (1 and 5 on 1..5, 0 and 10 on 0..10) weighted by extreme_weight and all others by 1, since extreme ratings are less reliable (docs/rules.md, "Complaint handling"): 0.5 counts them half, 0 leaves them out, 1 is the plain mean. extreme_weight must be finite and >= 0 (above 1 weighs extremes more). NULL when nothing has weight (no responses, or only extreme ratings at weight 0).';
COMMENT ON FUNCTION appraisal.customer_class(numeric,integer,numeric,numeric,numeric,boolean,boolean,numeric,numeric) IS
  'The yearly customer class (docs/rules.md, "Customer classification") with the thresholds in effect, the first rule that applies: no business (no sales, no receivables); pending (no sales, receivables); stale (sales < 20,000 and receivables > 20,000); for a customer new that year: new while the year runs, then new-effective (sales > 100,000) or new-ineffective; deteriorating (sales down 50 % or more, or collection down more than 10 points, on the previous year); normal (sales > 100,000, more than 3 batches, collection > 95 %, returns < 5 %); abnormal (sales > 100,000 and collection < 95 % or returns > 5 %); otherwise other (none applies, e.g. sales up to 100,000, 3 batches or fewer, or collection exactly 95 %).';
COMMENT ON FUNCTION appraisal.customer_score(numeric,numeric,numeric,numeric,numeric) IS
  'The composite customer score (docs/rules.md, "Customer score") with the settings in effect: each item''s points on its linear range (sales 100,000 -> 2,100,000, growth 0 -> 25 %, collection 90 -> 100 %, return rate 5 -> 1 % reversed, the manager''s 0-100 evaluation), clamped, weighted 30/30/20/10/10, as one exact fraction truncated to two decimals, and its grade on customer_grade_scale (credit: AAA >= 90 ... C). Sales 2,000,000, growth 25, collection 92, returns 6, manager 80 give 95, 100, 20, 0, 80 -> 70.50, A. NULL composite and grade when an item of weight above 0 is NULL.';
COMMENT ON FUNCTION appraisal.service_measures(bigint,appraisal.sla_stats,appraisal.sla_stats,appraisal.fcr_stats,bigint,bigint,bigint,bigint,bigint) IS
  'The scorecard measures of pooled summaries (used by agent_scorecard, team_scorecard and kpi_breakdown): SLA counts and compliance, FCR, recurrence, CSAT, the complaint composite (docs/rules.md, "Complaint handling": weight_first_response / weight_resolution / weight_satisfaction of the three percentages, 40/30/30 by default) with its grade, the training flag and whether the evidence suffices (min_tickets, min_responses).';
COMMENT ON FUNCTION appraisal.sla_policy_matrix() IS
  'The SLA policy in effect for every channel and priority named by some policy ('''' stands for all others): the most specific of appraisal.sla_policies (channel and priority, then channel, then priority, then general), else 24 hours to first response and 48 hours to resolution on 24x7 (docs/rules.md, "Complaint handling"). The materialized summaries find a ticket''s policy in it with one hash join.';
COMMENT ON TABLE appraisal.customer_credit IS
  'Credit-rating inputs (docs/rules.md, "Credit rating": 100 points, financial 30 and non-financial 70), re-rated every quarter.';
COMMENT ON TABLE appraisal.customers IS
  'Customers (dealers, accounts) evaluated yearly and quarterly (docs/rules.md, "Customer evaluation"): their figures are in appraisal.customer_figures, their credit-rating inputs in appraisal.customer_credit.';
COMMENT ON TABLE appraisal.delivery_batches IS
  'Delivery batches of a project (docs/rules.md, "Delivery quality"): how many households the batch plans to deliver to, and the concentrated-delivery window they should take delivery in.';
COMMENT ON TABLE appraisal.kpi_definitions IS
  'The KPIs each position is appraised on (docs/rules.md, "Department and manager KPIs"): weight, and the range linear_points maps to 0-100 points. A KPI''s value comes from appraisal.kpi_results, or, for a source other than manual, from the employee''s scorecard (own tickets and those of everyone reporting to them), unless a result was entered; an upheld appeal (appraisal.appeals) replaces either.';
COMMENT ON TABLE appraisal.penalty_rules IS
  'Penalties per rule (docs/rules.md, "Service providers"): the amount charged per order or per case from a day on. An event is charged the amount of its rule''s row with the latest valid_from on or before the event''s day, so a company changes an amount by adding a row with a later valid_from and earlier events keep theirs. The shipped rules cannot be changed; add rows (and rules) of your own.';
COMMENT ON TABLE appraisal.provider_events IS
  'What a provider is penalised for (docs/rules.md, "Service providers"), one row per report: a bad review or complaint (service_complaint), fake customer data on an order, under-staffing in a peak sales event, or a rule of your own. The same thing reported twice is de-duplicated by appraisal.penalty_ledger, not here: load every report.';
COMMENT ON TABLE appraisal.providers IS
  'Service providers (installation and repair outlets) appraised on the penalty ledger (docs/rules.md, "Service providers"). Their technicians are employees with provider_id set; their tickets give the provider''s service KPIs.';
COMMENT ON TABLE appraisal.reviews_360 IS
  '360 reviews (docs/rules.md, "360-degree scores"): one score per period, ratee, rater and dimension. A rater''s dimensions are averaged into one rating first, so each rater counts once in the group means.';
COMMENT ON TABLE appraisal.sla_policies IS
  'SLA targets per metric, channel and priority, in business time on a named calendar. A ticket takes the most specific policy: channel and priority, then channel (priority NULL), then priority (channel NULL), then the metric''s general policy (both NULL); without any, first response is due in 24 hours and resolution in 48 hours on the 24x7 calendar (docs/rules.md, "Complaint handling" and "Service levels").';
COMMENT ON TABLE appraisal.survey_questionnaires IS
  'Survey questionnaires; their items are in appraisal.survey_items. The shipped ''standard'' questionnaire is the seven-item customer satisfaction survey (docs/rules.md, "Satisfaction survey"; six items of 15 points and one of 10, total 100).';
COMMENT ON TABLE appraisal.survey_responses IS
  'Satisfaction ratings of tickets from surveys, SMS and call-backs. Scorecards count one response per ticket (docs/rules.md, "Complaint handling"): a web response beats a call-back, which beats an SMS; among equals the latest counts. Responses on different scales are summarised apart and pooled by their counts of responses and satisfied responses.';
COMMENT ON TABLE appraisal.tickets IS
  'Customer contacts handled by an agent (one row per ticket; load with COPY). Complaints carry their attribution: service-caused ones count against the agent, system-caused ones (company policy or system) never do (docs/rules.md, "Complaint handling").';
COMMENT ON COLUMN appraisal.employees."position" IS
  'specialist (quarterly appraisal), supervisor (quarterly) or manager (yearly; docs/rules.md, "Appraisal periods and results"); selects the KPI definitions.';
COMMENT ON COLUMN appraisal.kpi_definitions.full_at IS
  'Value scored 100 points (linear_points''s full_at); below zero_at for reversed KPIs such as recurrence rate.';
COMMENT ON COLUMN appraisal.kpi_definitions.zero_at IS
  'Value scored 0 points (linear_points''s zero_at).';
COMMENT ON VIEW appraisal.complaint_pareto IS
  'Complaint causes (ticket categories) per period, most frequent first, with their share and cumulative share of the period''s complaints; the top pareto_share percent of the categories (20 %, rounded up to whole categories) are flagged for process work (docs/rules.md, "Complaint handling").';
COMMENT ON VIEW appraisal.complaint_spikes IS
  'Weekly complaint rate per category (complaints per 100 tickets of the category, weeks from Monday) against its rate pooled over the trailing spike_weeks weeks; spike when the week has at least spike_min_complaints complaints and its rate is at least spike_factor times the trailing rate (docs/rules.md, "Complaint handling": a sudden rise triggers a cross-department alert). A week without trailing tickets never spikes.';
COMMENT ON VIEW appraisal.customer_scorecard IS
  'Per customer and period of appraisal.customer_figures: the composite customer score (points per item, exact, truncated to two decimals; docs/rules.md, "Customer score") with its credit grade, the credit rating of appraisal.customer_credit, the yearly class, and the trend against the previous period of the same kind (only when it is the period just before).';
COMMENT ON VIEW appraisal.delivery_quality IS
  'Delivery quality per batch and per project (docs/rules.md, "Delivery quality"): concentrated delivery rate = households delivered within the batch''s window / planned; defect-free delivery rate = delivered households without a valid defect report / delivered; defects per household = valid defect reports / delivered households. A household delivered outside the window still took delivery: it counts for the defect rates, not for the concentrated rate. Project rows add up the batches'' counts; every rate is computed from counts and truncated (percentages to 2 decimals, defects per household to 4).';
COMMENT ON VIEW appraisal.penalty_ledger IS
  'Every provider event once, with what it costs the provider (docs/rules.md, "Service providers"), decided in this order: (a) a review not about the installation service is exempt; (b) an SMS review repeated by a web review of the same order is a duplicate of the web one; (c) a service complaint of a customer (same phone and address; a complaint without them is the customer of its order, named by the order''s earliest complaint with them, one the ledger judges before an SMS twin or an exempt review; else the order alone) already counted in the window (penalty_window: the calendar month, or the week, of the day in report_time_zone) is a duplicate of the earliest; (d) a rule charged per order counts an order once; (e) anything else counts every case. Ties go to the earlier event, then the smaller event_id (byte order). Charged events cost their rule''s amount in effect on their day.';
COMMENT ON VIEW appraisal.survey_validity IS
  'Per survey run: whether it counts (docs/rules.md, "Satisfaction survey"): sent to at least survey_min_coverage_percent (80) of the customers in scope and at least survey_min_valid_percent (70) of the questionnaires sent came back valid. Both tests compare the counts exactly (79.999 % is below 80 %); the percentages shown are truncated to two decimals.';

-- Settings of type boolean (system_complaints_first_response) and period
-- kind (the positions' cycles).
ALTER TABLE appraisal.setting_definitions
  DROP CONSTRAINT setting_definitions_type_check,
  ADD CONSTRAINT setting_definitions_type_check
    CHECK (type IN ('integer', 'numeric', 'boolean', 'interval', 'time zone', 'period kind', 'grade scale', 'weight scheme'));
COMMENT ON COLUMN appraisal.setting_definitions.type IS 'What the value must be: integer, numeric, boolean, interval, time zone, period kind (month, quarter, half_year or year), or the name of a grade scale or weight scheme.';

-- (the shipped rows are read-only to users: their triggers are off while the
-- extension changes them)
ALTER TABLE appraisal.setting_definitions DISABLE TRIGGER refuse_change;
UPDATE appraisal.setting_definitions SET description = 'A customer with receivables above this and yearly sales below class_stale_sales is stale (docs/rules.md, "Customer classification": 20,000).' WHERE name = 'class_stale_receivables';
UPDATE appraisal.setting_definitions SET description = 'A customer with yearly sales below this and receivables above class_stale_receivables is stale (docs/rules.md, "Customer classification": 20,000).' WHERE name = 'class_stale_sales';
UPDATE appraisal.setting_definitions SET description = 'A normal customer ordered in more batches than this in the year (docs/rules.md, "Customer classification": 3).' WHERE name = 'class_normal_batches';
UPDATE appraisal.setting_definitions SET description = 'A normal customer''s collection rate is above this percentage, an abnormal one''s below (docs/rules.md, "Customer classification": 95).' WHERE name = 'class_collection_rate';
UPDATE appraisal.setting_definitions SET description = 'A normal customer''s return rate is below this percentage, an abnormal one''s above (docs/rules.md, "Customer classification": 5).' WHERE name = 'class_return_rate';
UPDATE appraisal.setting_definitions SET description = 'A survey run is valid only when at least this percentage of the questionnaires sent came back valid (docs/rules.md, "Satisfaction survey": 70).' WHERE name = 'survey_min_valid_percent';
UPDATE appraisal.setting_definitions SET description = 'A survey run is valid only when it was sent to at least this percentage of the customers in its scope (docs/rules.md, "Satisfaction survey": 80).' WHERE name = 'survey_min_coverage_percent';
UPDATE appraisal.setting_definitions SET description = 'Collection rate (percent) scoring 0 points (docs/rules.md, "Customer score": 90 %).' WHERE name = 'customer_collection_zero_at';
UPDATE appraisal.setting_definitions SET description = 'Collection rate (percent) scoring 100 points (docs/rules.md, "Customer score": 100 %).' WHERE name = 'customer_collection_full_at';
UPDATE appraisal.setting_definitions SET description = 'Collection rate down by more than this many points on the previous year: deteriorating (docs/rules.md, "Customer classification": 10).' WHERE name = 'class_collection_drop';
UPDATE appraisal.setting_definitions SET description = 'Consecutive appraisals graded in the worst band that raise the repeated-failing flag (docs/rules.md, "Appraisal periods and results").' WHERE name = 'failing_repeat';
UPDATE appraisal.setting_definitions SET description = 'Consecutive quarters graded in the best band that put a specialist in the reserve-supervisor pool (docs/rules.md, "Appraisal periods and results").' WHERE name = 'reserve_pool_streak';
UPDATE appraisal.setting_definitions SET description = 'De-duplication window of the provider penalty ledger: 1 month (calendar months) or 1 week (weeks from Monday), in the report time zone. One customer''s repeated bad reviews in a window count once (docs/rules.md, "Service providers").' WHERE name = 'penalty_window';
UPDATE appraisal.setting_definitions SET description = 'First-response compliance below this percentage sets the communication-skills training flag (docs/rules.md, "Appraisal periods and results").' WHERE name = 'training_threshold';
UPDATE appraisal.setting_definitions SET description = 'Grade scale of the composite customer score and the credit rating (docs/rules.md, "Grade bands": AAA, AA, A, B, C).' WHERE name = 'customer_grade_scale';
UPDATE appraisal.setting_definitions SET description = 'Return rate (percent) scoring 0 points (docs/rules.md, "Customer score": 5 %; reversed, higher is worse).' WHERE name = 'customer_returns_zero_at';
UPDATE appraisal.setting_definitions SET description = 'Return rate (percent) scoring 100 points (docs/rules.md, "Customer score": 1 %).' WHERE name = 'customer_returns_full_at';
UPDATE appraisal.setting_definitions SET description = 'Sales down by this percentage or more on the previous year: deteriorating (docs/rules.md, "Customer classification": 50).' WHERE name = 'class_sales_drop';
UPDATE appraisal.setting_definitions SET description = 'Sales growth (percent) scoring 0 points (docs/rules.md, "Customer score": 0 %).' WHERE name = 'customer_growth_zero_at';
UPDATE appraisal.setting_definitions SET description = 'Sales growth (percent) scoring 100 points (docs/rules.md, "Customer score": 25 %).' WHERE name = 'customer_growth_full_at';
UPDATE appraisal.setting_definitions SET description = 'Sales volume scoring 0 points (docs/rules.md, "Customer score": 100,000); linear up to customer_sales_full_at.' WHERE name = 'customer_sales_zero_at';
UPDATE appraisal.setting_definitions SET description = 'Sales volume scoring 100 points (docs/rules.md, "Customer score": 2,100,000).' WHERE name = 'customer_sales_full_at';
UPDATE appraisal.setting_definitions SET description = 'Share (percent) of complaint categories, the most frequent first, flagged for process work (docs/rules.md, "Complaint handling": 20).' WHERE name = 'pareto_share';
UPDATE appraisal.setting_definitions SET description = 'Weight of first-response SLA compliance in the complaint composite (docs/rules.md, "Complaint handling": 40).' WHERE name = 'weight_first_response';
UPDATE appraisal.setting_definitions SET description = 'Weight of resolution SLA compliance in the complaint composite (docs/rules.md, "Complaint handling": 30).' WHERE name = 'weight_resolution';
UPDATE appraisal.setting_definitions SET description = 'Weight of sales growth in the composite customer score (docs/rules.md, "Customer score": 30).' WHERE name = 'customer_weight_growth';
UPDATE appraisal.setting_definitions SET description = 'Weight of sales volume in the composite customer score (docs/rules.md, "Customer score": 30).' WHERE name = 'customer_weight_sales';
UPDATE appraisal.setting_definitions SET description = 'Weight of satisfaction (CSAT) in the complaint composite (docs/rules.md, "Complaint handling": 30).' WHERE name = 'weight_satisfaction';
UPDATE appraisal.setting_definitions SET description = 'Weight of the collection rate in the composite customer score (docs/rules.md, "Customer score": 20).' WHERE name = 'customer_weight_collection';
UPDATE appraisal.setting_definitions SET description = 'Weight of the return rate in the composite customer score (docs/rules.md, "Customer score": 10).' WHERE name = 'customer_weight_returns';
UPDATE appraisal.setting_definitions SET description = 'Weight of the sales manager''s evaluation (0-100 points) in the composite customer score (docs/rules.md, "Customer score": 10).' WHERE name = 'customer_weight_manager';
UPDATE appraisal.setting_definitions SET description = 'Yearly sales above this make a new customer effective, and a customer normal or abnormal (docs/rules.md, "Customer classification": 100,000).' WHERE name = 'class_effective_sales';
-- the settings 0.5 adds (several-failing, targets, soft KPIs, complaint
-- attribution, cycles, call-backs, quality inspection, extreme ratings, the
-- high-satisfaction flag) and min_raters'
-- new default
INSERT INTO appraisal.setting_definitions (name, type, min_value, max_value, default_value, description) VALUES
  ('min_soft_kpi_share', 'numeric', 0, 100, '30', 'Share (percent of the weights) that a position''s soft KPIs should reach at least (docs/rules.md, "Complaint handling": 30); a position below it is listed in appraisal.kpi_weight_warnings, not refused.'),
  ('several_failing_times', 'integer', 1, NULL, '2', 'Worst grades among the last several_failing_window appraised periods, consecutive or not, that raise the several-failing flag (docs/rules.md, "Appraisal periods and results": several failing results lead to dismissal review).'),
  ('several_failing_window', 'integer', 1, 100, '4', 'How many of the latest appraised periods (this one included) several_failing_times counts in: 4, a year of quarters.'),
  ('target_first_response', 'numeric', 0, 100, '95', 'First-response compliance (percent) a scorecard row should reach; the points below it are shown (docs/rules.md, "Complaint handling": 95).'),
  ('target_csat', 'numeric', 0, 100, '95', 'CSAT (percent) a scorecard row should reach (docs/rules.md, "Service levels": 95).'),
  ('target_resolution_accuracy', 'numeric', 0, 100, '98', 'Resolution accuracy (percent of resolved tickets that did not recur) a scorecard row should reach (docs/rules.md, "Service levels": 98).'),
('high_satisfaction_share', 'numeric', 0, 100, '20', 'Share (percent) of a team''s agents, the highest CSAT first, flagged high_satisfaction in agent_scorecard for the share-your-practice programme (docs/rules.md, "Appraisal periods and results"; the regulations name no share: 20 is the project''s, as for the complaint Pareto).'),
('core_kpis_min', 'integer', 1, NULL, '3', 'Fewest KPIs a position should be appraised on (docs/rules.md, "Complaint handling": 3 to 5 core indicators); a position with fewer is listed in appraisal.kpi_weight_warnings, not refused.'),
('core_kpis_max', 'integer', 1, NULL, '5', 'Most KPIs a position should be appraised on (docs/rules.md, "Complaint handling": 3 to 5 core indicators); a position with more is listed in appraisal.kpi_weight_warnings, not refused.'),
  ('system_complaints_first_response', 'boolean', NULL, NULL, 'true', 'Whether a system-caused complaint''s first response still counts in the agent''s first-response compliance: true (the default: answering in time is always the agent''s job) or false (the complaint is left out of every measure of the agent). Its resolution, FCR, recurrence and satisfaction never count (docs/rules.md, "Complaint handling": attribution). Read at the refresh of the summaries.'),
  ('cycle_specialist', 'period kind', NULL, NULL, 'quarter', 'Cycle specialists are appraised on: month, quarter, half_year or year (docs/rules.md, "Appraisal periods and results": quarterly; monthly in the appliance-service and repair regulations). Their annual result is the mean of their results of the year.'),
  ('cycle_supervisor', 'period kind', NULL, NULL, 'quarter', 'Cycle supervisors are appraised on: month, quarter, half_year or year (docs/rules.md, "Appraisal periods and results": quarterly).'),
  ('cycle_manager', 'period kind', NULL, NULL, 'year', 'Cycle managers are appraised on: month, quarter, half_year or year (docs/rules.md, "Appraisal periods and results": yearly).'),
  ('call_back_window', 'interval', NULL, NULL, '7 days', 'A resolved ticket counts as called back when a call-back (appraisal.call_backs, or a survey response from a call-back) falls within this time after its resolution, its end included (docs/rules.md, "Service levels").'),
  ('target_call_back_rate', 'numeric', 0, 100, '90', 'Call-back rate (percent of resolved tickets called back within call_back_window) a scorecard row should reach (docs/rules.md, "Service levels": 90).'),
  ('target_service_quality', 'numeric', 0, 100, '95', 'QA score (the mean score of the internal quality inspections, 0-100) a scorecard row should reach (docs/rules.md, "Complaint handling": 95).'),
  ('extreme_rating_weight', 'numeric', 0, 1, '1', 'Weight of an extreme survey rating (the lowest or the highest of its scale) in the extreme-weighted CSAT the scorecards show beside the plain one; the other ratings weigh 1. 1, the default, weighs all alike (docs/rules.md, "Complaint handling": extreme ratings are less reliable).');
UPDATE appraisal.setting_definitions SET description = 'Fewer results of the position''s cycle than this in a year (quarters by default): annual grade ''insufficient data''.' WHERE name = 'min_quarters';
UPDATE appraisal.setting_definitions SET default_value = '1', description = 'Fewer 360 raters than this, over the groups that count (each at or above its anonymity threshold in the weight scheme): grade ''insufficient data''. Anonymity is the scheme''s, per group; this is only how much evidence a grade needs.' WHERE name = 'min_raters';
ALTER TABLE appraisal.setting_definitions ENABLE TRIGGER refuse_change;
ALTER TABLE appraisal.item_scale DISABLE TRIGGER protect_shipped;
UPDATE appraisal.item_scale SET description = 'A 15-point survey item rated 0-100 by the customer, banded A-E (docs/rules.md, "Satisfaction survey"): 90 and above A 15; 75 to 90 B 11-14; 60 to 75 C 8-10; 40 to 60 D 4-7; below 40 E 0-3.' WHERE name = 'satisfaction_15';
UPDATE appraisal.item_scale SET description = 'Survey item "complaint handling" (docs/rules.md, "Satisfaction survey"), value = working days from complaint to resolution: within 2 working days 15 points; 3 days 14 down to 11; 4 days 10 down to 8; up to a week (7) 7 down to 4; beyond a week 3 down to 0 at two weeks, then 0.' WHERE name = 'resolution_days_15';
UPDATE appraisal.item_scale SET description = 'The 10-point survey item "overall image" rated 0-100 by the customer, banded A-E like satisfaction_15 (docs/rules.md, "Satisfaction survey"): A 10; B 7-9; C 5-6; D 3-4; E 0-2.' WHERE name = 'image_10';
ALTER TABLE appraisal.item_scale ENABLE TRIGGER protect_shipped;
ALTER TABLE appraisal.survey_questionnaires DISABLE TRIGGER protect_shipped;
UPDATE appraisal.survey_questionnaires SET description = 'The seven-item customer satisfaction survey (docs/rules.md, "Satisfaction survey"): six items of 15 points banded A-E and the overall image of 10 points, total 100.' WHERE questionnaire = 'standard';
ALTER TABLE appraisal.survey_questionnaires ENABLE TRIGGER protect_shipped;
ALTER TABLE appraisal.survey_items DISABLE TRIGGER protect_shipped;
UPDATE appraisal.survey_items SET answer = 'working days from the customer''s complaint to its resolution, on the company calendar (docs/rules.md, "Satisfaction survey"); 0 when the customer had nothing left unresolved' WHERE questionnaire = 'standard' AND item_no = 3;
ALTER TABLE appraisal.survey_items ENABLE TRIGGER protect_shipped;

-- One implementation of each rule of exact arithmetic, in C (percent.c):
-- share_percent, weighted_share_percent, linear_fraction and linear_points
-- were SQL and PL/pgSQL beside a C linear_score; the views take KPI points
-- from linear_points and the overall result from weighted_share_percent
-- instead of truncating linear_score's and weighted_score's doubles.
CREATE OR REPLACE FUNCTION appraisal.share_percent(part bigint, whole bigint) RETURNS numeric
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.share_percent(bigint, bigint) IS
  '100 * part / whole truncated to two decimals, computed exactly (2 of 3 is 66.66, never 66.67); NULL when whole is not positive or NULL.';

CREATE OR REPLACE FUNCTION appraisal.weighted_share_percent(weights numeric[], parts numeric[], wholes numeric[]) RETURNS numeric
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.weighted_share_percent(numeric[], numeric[], numeric[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] with weights[i], as one exact fraction truncated to two decimals (40 % of 9/10, 30 % of 8/10 and 30 % of 4/5 give 84.00; 30 % of 1/3 and 30 % of 2/3 give 50.00, never 49.99). Parts of weight 0 are left out; NULL when a weighted part has no whole or every weight is 0. A negative weight, and NaN or infinite numbers, are errors.';

CREATE OR REPLACE FUNCTION appraisal.linear_fraction(value numeric, zero_at numeric, full_at numeric,
                                          OUT part numeric, OUT whole numeric)
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.linear_fraction(numeric, numeric, numeric) IS
  'The share of the range from zero_at (0 points) to full_at (100 points) that value has covered, clamped to the range, as an exact fraction part / whole (whole > 0). Reversed when zero_at > full_at (return rate: 5 -> 1). NULL parts for a NULL value; equal ends, and NaN or infinite arguments, are errors.';

CREATE OR REPLACE FUNCTION appraisal.linear_points(value numeric, zero_at numeric, full_at numeric) RETURNS numeric
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.linear_points(numeric, numeric, numeric) IS
  'Points 0-100 for value on the linear range zero_at -> full_at (reversed when zero_at > full_at), clamped, computed exactly and truncated to two decimals: linear_points(2000000, 100000, 2100000) = 95.00, linear_points(6, 5, 1) = 0. NULL for a NULL value; equal ends, and NaN or infinite arguments, are errors.';

CREATE OR REPLACE FUNCTION appraisal.linear_score(value double precision, zero_at double precision, full_at double precision)
  RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.linear_score(double precision, double precision, double precision) IS
  'Points for a measured value on a linear scale: 0 at zero_at, 100 at full_at, linear between, clamped to [0, 100]: linear_points in double precision, not truncated. Reversed when zero_at > full_at (return rate: linear_score(r, 5, 1) gives 100 at <= 1, 0 at >= 5). Each argument is rounded to 15 significant digits, as a cast to numeric does, so linear_score(98.1, 90, 99) is exactly 90. zero_at = full_at and NaN or infinite arguments are errors.';



-- The rates the scorecards show come from accessors of the summary types,
-- computed by the same rule as share_percent, instead of being recomputed
-- from counts in service_measures.
CREATE FUNCTION appraisal.compliance_percent(stats appraisal.sla_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'sla_stats_compliance_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.compliance_percent(appraisal.sla_stats) IS
  'Compliance as the scorecards show it: 100 * met / (met + breached), exact, truncated to two decimals (2 met of 3 judged is 66.66, never 66.67); NULL when no item was met or breached.';
CREATE FUNCTION appraisal.fcr_percent(stats appraisal.fcr_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'fcr_stats_fcr_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr_percent(appraisal.fcr_stats) IS
  'FCR as the scorecards show it: 100 * first_contact_resolved / resolved, exact, truncated to two decimals; NULL when nothing was resolved.';
CREATE FUNCTION appraisal.recurrence_percent(stats appraisal.fcr_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'fcr_stats_recurrence_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.recurrence_percent(appraisal.fcr_stats) IS
  'Recurrence rate as the scorecards show it: 100 * recurred / resolved, exact, truncated to two decimals; NULL when nothing was resolved.';
CREATE FUNCTION appraisal.csat_percent(stats appraisal.csat_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'csat_stats_csat_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_percent(appraisal.csat_stats) IS
  'CSAT as a percent: 100 * satisfied / responses, exact, truncated to two decimals (the scorecards pool responses of several scales by these two counts); NULL when there are no responses.';

CREATE FUNCTION appraisal.mean_elapsed_hours(stats appraisal.sla_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'sla_stats_mean_elapsed_hours' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.mean_elapsed_hours(appraisal.sla_stats) IS
  'Mean business time (pauses excluded) of finished items, met and late, in hours as the scorecards show it: exact, truncated to two decimals (5 h 59 min 59 s is 5.99); NULL when none finished.';

CREATE OR REPLACE FUNCTION appraisal.service_measures(
  ticket_count bigint, first_response appraisal.sla_stats, resolution appraisal.sla_stats,
  fcr appraisal.fcr_stats, survey_responses bigint, satisfied_responses bigint,
  complaint_count bigint, service_complaint_count bigint, system_complaint_count bigint)
RETURNS TABLE (
  tickets bigint,
  first_response_met bigint, first_response_breached bigint, first_response_pending bigint,
  first_response_compliance numeric,
  resolution_met bigint, resolution_breached bigint, resolution_pending bigint,
  resolution_compliance numeric, mean_resolution_hours numeric,
  resolved bigint, first_contact_resolved bigint, fcr numeric, recurred bigint, recurrence_rate numeric,
  responses bigint, satisfied bigint, csat numeric,
  complaints bigint, service_complaints bigint, system_complaints bigint, unattributed_complaints bigint,
  composite_points numeric, composite_grade text, training_needed boolean, sufficient_data boolean)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT ticket_count,
         m.frm, m.frb, m.frp, m.frc, m.rsm, m.rsb, m.rsp, m.rsc, m.hours,
         m.res, m.fcres, m.fcrp, m.rec, m.recp, m.resp, m.sat, m.csatp,
         complaint_count, service_complaint_count, system_complaint_count,
         m.unattributed,
         c.points,
         CASE WHEN NOT m.sufficient OR c.points IS NULL THEN 'insufficient data'
              ELSE appraisal.grade_band(c.points::double precision, p.grade_scale) END,
         CASE WHEN m.sufficient THEN m.frc < p.training_threshold END,
         m.sufficient
  FROM appraisal.scorecard_parameters() p
  CROSS JOIN LATERAL (
    SELECT appraisal.met(first_response) AS frm, appraisal.breached(first_response) AS frb,
           appraisal.pending(first_response) AS frp,
           appraisal.compliance_percent(first_response) AS frc,
           appraisal.met(resolution) AS rsm, appraisal.breached(resolution) AS rsb,
           appraisal.pending(resolution) AS rsp,
           appraisal.compliance_percent(resolution) AS rsc,
           appraisal.mean_elapsed_hours(resolution) AS hours,
           appraisal.resolved(fcr) AS res, appraisal.first_contact_resolved(fcr) AS fcres,
           appraisal.fcr_percent(fcr) AS fcrp,
           appraisal.recurred(fcr) AS rec,
           appraisal.recurrence_percent(fcr) AS recp,
           coalesce(survey_responses, 0) AS resp, coalesce(satisfied_responses, 0) AS sat,
           appraisal.share_percent(satisfied_responses, survey_responses) AS csatp,
           complaint_count - service_complaint_count - system_complaint_count AS unattributed,
           ticket_count >= p.min_tickets AND coalesce(survey_responses, 0) >= p.min_responses AS sufficient
  ) m
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_percent(
             ARRAY[p.weight_first_response, p.weight_resolution, p.weight_satisfaction],
             ARRAY[m.frm, m.rsm, m.sat],
             ARRAY[m.frm + m.frb, m.rsm + m.rsb, m.resp]) AS points
  ) c;
END;

-- A KPI range's ends are compared as the decimals linear_points reads (15
-- significant digits): 1 and 1.0000000000000002 are one end, refused here
-- instead of failing every overall appraisal of the position.
ALTER TABLE appraisal.kpi_definitions
  DROP CONSTRAINT "KPI range must not be empty",
  ADD CONSTRAINT "KPI range must not be empty" CHECK (zero_at::numeric <> full_at::numeric);


-- Functions with a body in a string resolve names when they run: pin the
-- search_path of the last one that did not, so that a function of the same
-- name elsewhere on a caller's path can never run in its place.
ALTER FUNCTION appraisal.protect_shipped_rows() SET search_path = pg_catalog, pg_temp;

-- A restore loads tables in any order: the triggers that check a row
-- against rows of another table let it through while a dump is replayed and
-- those rows are not back yet (answers of a questionnaire of the user's used
-- to be lost: their check ran before the questionnaire's items were back).
CREATE FUNCTION appraisal.replaying_dump() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN NOT pg_catalog.current_setting('check_function_bodies')::boolean
       AND pg_catalog.pg_has_role(session_user,
                                  (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'appraisal'),
                                  'MEMBER');
COMMENT ON FUNCTION appraisal.replaying_dump() IS
  'True in a session that replays a dump: check_function_bodies off (as pg_dump''s scripts and pg_restore set it) and a login that owns the extension''s schema or is a superuser. The triggers that check a row against rows of another table then let it through when those rows are not restored yet.';

CREATE OR REPLACE FUNCTION appraisal.check_setting() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  d appraisal.setting_definitions;
  n numeric;
BEGIN
  SELECT * INTO d FROM appraisal.setting_definitions WHERE name = NEW.name;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  BEGIN
    CASE d.type
      WHEN 'integer' THEN n := NEW.value::integer;
      WHEN 'numeric' THEN
        n := NEW.value::numeric;
        IF n IN ('NaN', 'Infinity', '-Infinity') THEN
          RAISE EXCEPTION 'must be a finite number' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'boolean' THEN PERFORM NEW.value::boolean;
      WHEN 'interval' THEN
        IF NEW.value::interval <= interval '0' THEN
          RAISE EXCEPTION 'must be positive' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'period kind' THEN
        IF NEW.value NOT IN ('month', 'quarter', 'half_year', 'year') THEN
          RAISE EXCEPTION 'must be month, quarter, half_year or year' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'time zone' THEN
        IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.value)
           OR lower(NEW.value) = 'localtime' THEN
          RAISE EXCEPTION 'unknown time zone (see pg_timezone_names)' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      -- a restore loads settings before weight_scheme (name order; no
      -- foreign key orders them): names are checked when entered
      WHEN 'grade scale' THEN
        IF NOT EXISTS (SELECT 1 FROM appraisal.grade_scale WHERE name = NEW.value)
           AND NOT appraisal.replaying_dump() THEN
          RAISE EXCEPTION 'no such grade scale in appraisal.grade_scale' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'weight scheme' THEN
        IF NOT EXISTS (SELECT 1 FROM appraisal.weight_scheme WHERE name = NEW.value)
           AND NOT appraisal.replaying_dump() THEN
          RAISE EXCEPTION 'no such weight scheme in appraisal.weight_scheme' USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END CASE;
  EXCEPTION WHEN data_exception OR invalid_parameter_value OR datetime_field_overflow THEN
    RAISE EXCEPTION 'invalid value "%" for setting "%": %', NEW.value, NEW.name, SQLERRM
      USING ERRCODE = 'invalid_parameter_value',
            HINT = format('Setting "%s" takes a value of type %s%s.', NEW.name, d.type,
                          CASE WHEN d.min_value IS NOT NULL OR d.max_value IS NOT NULL
                               THEN format(', from %s to %s', coalesce(d.min_value::text, '-infinity'),
                                           coalesce(d.max_value::text, 'infinity')) ELSE '' END);
  END;
  IF NEW.name IN ('weight_first_response', 'weight_resolution', 'weight_satisfaction') AND n = 0
     AND NOT EXISTS (SELECT 1 FROM appraisal.current_settings c
                     WHERE c.name IN ('weight_first_response', 'weight_resolution', 'weight_satisfaction')
                       AND c.name <> NEW.name AND c.value::numeric > 0) THEN
    RAISE EXCEPTION 'invalid value "%" for setting "%": the three composite weights cannot all be 0', NEW.value, NEW.name
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF n IS NOT NULL AND (n < d.min_value OR n > d.max_value) THEN
    RAISE EXCEPTION 'invalid value "%" for setting "%": outside % to %', NEW.value, NEW.name,
      coalesce(d.min_value::text, '-infinity'), coalesce(d.max_value::text, 'infinity')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION appraisal.check_kpi_result() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  pos text;
  cycle text;
  kind text;
BEGIN
  IF appraisal.replaying_dump() THEN   -- (the definitions may be restored later)
    RETURN NEW;
  END IF;
  SELECT position INTO pos FROM appraisal.employees WHERE employee_id = NEW.employee_id;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  SELECT coalesce(d.cycle, c.cycle) INTO cycle
  FROM appraisal.kpi_definitions d JOIN appraisal.position_cycles c USING (position)
  WHERE d.position = pos AND d.kpi = NEW.kpi;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'KPI "%" is not defined for position %, the position of employee "%"', NEW.kpi, pos, NEW.employee_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Add it to appraisal.kpi_definitions first, or check the spelling: '
                   || coalesce((SELECT string_agg(format('"%s"', kpi), ', ' ORDER BY kpi) FROM appraisal.kpi_definitions WHERE position = pos), 'none is defined') || '.';
  END IF;
  SELECT p.kind INTO kind FROM appraisal.periods p WHERE p.period = NEW.period;
  IF kind <> cycle THEN   -- a result no appraisal would read
    RAISE EXCEPTION 'KPI "%" of position % is measured per %, but period "%" is a %', NEW.kpi, pos, cycle, NEW.period, kind
      USING ERRCODE = 'check_violation',
            HINT = format('Enter its result for the %s the value belongs to (kpi_definitions.cycle, or the position''s cycle in appraisal.position_cycles).', cycle);
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION appraisal.customer_survey_answers_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  returned date;
  q text;
  scale_of_item appraisal.item_scale_spec;
BEGIN
  SELECT s.returned_on, r.questionnaire INTO returned, q
  FROM appraisal.customer_surveys s JOIN appraisal.survey_runs r USING (run_id)
  WHERE s.run_id = NEW.run_id AND s.customer_id = NEW.customer_id;
  IF q IS NULL THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  IF returned IS NULL THEN
    RAISE EXCEPTION 'questionnaire of survey run "%" to customer "%" has not been returned', NEW.run_id, NEW.customer_id
      USING ERRCODE = 'check_violation',
            HINT = 'Set customer_surveys.returned_on first.';
  END IF;
  SELECT i.scale INTO scale_of_item FROM appraisal.survey_items i
  WHERE i.questionnaire = q AND i.item_no = NEW.item_no;
  IF scale_of_item IS NULL AND appraisal.replaying_dump() THEN
    RETURN NEW;   -- the items are restored later
  END IF;
  IF scale_of_item IS NULL THEN
    RAISE EXCEPTION 'questionnaire "%" of survey run "%" has no item %', q, NEW.run_id, NEW.item_no
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  PERFORM appraisal.item_points(NEW.value, scale_of_item);   -- a value outside the scale is an error
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION appraisal.check_provider_event() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  day date;
  first_from date;
BEGIN
  SELECT min(valid_from) INTO first_from FROM appraisal.penalty_rules WHERE rule_id = NEW.rule_id;
  IF first_from IS NULL AND appraisal.replaying_dump() THEN
    RETURN NEW;   -- the rule is restored later
  END IF;
  IF first_from IS NULL THEN
    RAISE EXCEPTION 'penalty rule "%" of provider event "%" is not a known rule', NEW.rule_id, NEW.event_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Add it to appraisal.penalty_rules first, or check the spelling: '
                   || (SELECT string_agg(DISTINCT format('"%s"', rule_id), ', ' ORDER BY format('"%s"', rule_id))
                       FROM appraisal.penalty_rules) || '.';
  END IF;
  IF NOT appraisal.replaying_dump() THEN   -- (the report time zone may be restored later)
    day := (NEW.occurred_at AT TIME ZONE (SELECT report_time_zone FROM appraisal.provider_parameters()))::date;
    IF day < first_from THEN
      RAISE EXCEPTION 'penalty rule "%" has no amount in effect on %, the day of provider event "%"', NEW.rule_id, day, NEW.event_id
        USING ERRCODE = 'foreign_key_violation',
              HINT = format('Its first amount is valid from %s.', first_from);
    END IF;
  END IF;
  RETURN NEW;
END
$$;

-- Refreshing and scheduling are for appraisal_admin: refresh_scorecards runs
-- as the extension's owner (refreshing takes the materialized views' owner),
-- and the three functions are no longer executable by PUBLIC.  require_pg_cron
-- no longer needs pg_read_all_settings when pg_cron is installed.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'appraisal_admin') THEN
    CREATE ROLE appraisal_admin NOLOGIN;
  END IF;
END
$$;
REVOKE ALL ON FUNCTION appraisal.refresh_scorecards() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.refresh_scorecards() TO appraisal_admin;
REVOKE ALL ON FUNCTION appraisal.schedule_refresh(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.schedule_refresh(text) TO appraisal_admin;
REVOKE ALL ON FUNCTION appraisal.unschedule_refresh() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.unschedule_refresh() TO appraisal_admin;
CREATE OR REPLACE FUNCTION appraisal.require_pg_cron() RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  preloaded boolean;   -- NULL: this role cannot tell
  cron_db text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
    RETURN;
  END IF;
  -- only for the message: both settings take pg_read_all_settings
  BEGIN
    preloaded := current_setting('shared_preload_libraries') ~ '(^|[\s,])"?pg_cron"?($|[\s,])';
    cron_db := coalesce(current_setting('cron.database_name', true), 'postgres');
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;
  RAISE EXCEPTION 'pg_cron is not installed in database "%"', current_database()
    USING ERRCODE = 'feature_not_supported',
          DETAIL = CASE WHEN preloaded IS NULL THEN format('Role %s cannot read whether pg_cron is preloaded (shared_preload_libraries takes pg_read_all_settings).', current_user)
                        WHEN NOT preloaded THEN 'pg_cron is not in shared_preload_libraries.'
                        WHEN cron_db <> current_database() THEN format('pg_cron is preloaded and keeps its jobs in database "%s".', cron_db)
                        ELSE 'pg_cron is preloaded, but the extension is not created in this database.' END,
          HINT = CASE WHEN preloaded IS NULL
                        THEN 'Ask a superuser to install pg_cron and to run CREATE EXTENSION pg_cron in this database.'
                      WHEN NOT preloaded
                        THEN format('Install postgresql-15-cron, set shared_preload_libraries = ''pg_cron'' and cron.database_name = %L in postgresql.conf, restart the server, then run CREATE EXTENSION pg_cron in this database.', current_database())
                      WHEN cron_db <> current_database()
                        THEN format('Set cron.database_name = %L and restart the server, then run CREATE EXTENSION pg_cron here; or, connected to database "%s", run SELECT cron.schedule_in_database(%L, ''30 2 * * *'', ''SELECT * FROM appraisal.refresh_scorecards()'', %L).',
                                    current_database(), cron_db, appraisal.cron_job_name(), current_database())
                      ELSE 'Run CREATE EXTENSION pg_cron in this database.' END;
END
$$;

-- cron.schedule, not schedule_in_database and alter_job, which pg_cron keeps
-- for superusers: a member of appraisal_admin with USAGE on schema cron
-- schedules the refresh.
CREATE OR REPLACE FUNCTION appraisal.schedule_refresh(cron text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  job bigint;
BEGIN
  PERFORM appraisal.require_pg_cron();
  -- pg_cron is installed here, so this is its database: cron.schedule, which
  -- pg_cron lets every role with USAGE on schema cron call (unlike
  -- schedule_in_database and alter_job), schedules the job here as the
  -- calling role.  It updates the job of the same name and role in place
  -- (same job id) but keeps its active flag: a paused job is replaced.
  IF EXISTS (SELECT 1 FROM cron.job
             WHERE jobname = appraisal.cron_job_name() AND username = current_user AND NOT active) THEN
    EXECUTE 'SELECT cron.unschedule($1)' USING appraisal.cron_job_name();
  END IF;
  EXECUTE 'SELECT cron.schedule($1, $2, $3)'
    INTO job
    USING appraisal.cron_job_name(), cron, 'SELECT * FROM appraisal.refresh_scorecards()';
  RETURN job;
END
$$;
COMMENT ON FUNCTION appraisal.schedule_refresh(text) IS
  'Has pg_cron run appraisal.refresh_scorecards() in this database on the given cron schedule (e.g. ''30 2 * * *'', nightly at 02:30 GMT: pg_cron 1.4 reads schedules in GMT, later versions in cron.timezone); scheduling again replaces the schedule (a paused job is replaced by an active one). Returns the pg_cron job id. Fails, saying how to enable it, when pg_cron is not installed.';

-- The summaries (agent_daily_follow_up among them) are refreshed from the
-- same data: one snapshot under REPEATABLE READ, the tables they read kept
-- from changing under READ COMMITTED; and as the extension's owner
-- (SECURITY DEFINER).
CREATE OR REPLACE FUNCTION appraisal.refresh_scorecards()
RETURNS TABLE (materialized_view text, mode text, rows bigint, started_at timestamptz, duration interval)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  mv regclass;
  t0 timestamptz;
  problem text;
BEGIN
  -- The summaries must describe the same data: a ticket committed
  -- between two of them would count as a ticket but not in its SLA columns,
  -- or a response without its ticket.  Under REPEATABLE READ (or
  -- SERIALIZABLE) every REFRESH reads the transaction's one snapshot.  Under
  -- READ COMMITTED each takes a snapshot of its own, so the tables they read
  -- are kept from changing until the transaction ends: writers wait, readers
  -- do not (docs/operations.md, "Refreshing on a schedule with pg_cron").
  IF current_setting('transaction_isolation') = 'read committed' THEN
    LOCK TABLE appraisal.tickets, appraisal.survey_responses, appraisal.reviews_360, appraisal.employees,
               appraisal.sla_policies, appraisal.business_calendars, appraisal.settings,
               appraisal.call_backs, appraisal.quality_inspections IN SHARE MODE;
  END IF;
  -- The small tables the views join rarely reach autovacuum's thresholds;
  -- without statistics the planner guesses hundreds of periods and plans
  -- (and JIT-compiles) as for millions of rows.
  ANALYZE appraisal.setting_definitions, appraisal.settings, appraisal.employees, appraisal.periods,
          appraisal.sla_policies, appraisal.kpi_definitions, appraisal.kpi_results;
  -- A rater counts once per ratee and period: one role for all dimensions.
  SELECT format('%s rates %s in %s as %s', rater_id, ratee_id, period, string_agg(DISTINCT role::text, ' and '))
    INTO problem
    FROM appraisal.reviews_360
   GROUP BY period, ratee_id, rater_id
  HAVING count(DISTINCT role) > 1
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a 360 rater has two roles: %', problem
      USING ERRCODE = 'check_violation',
            HINT = 'Give every dimension of one rater''s review of one ratee in one period the same role in appraisal.reviews_360.';
  END IF;
  -- dependency order: none reads another yet, but keep this list in the
  -- order they would have to be refreshed in
  FOREACH mv IN ARRAY ARRAY['appraisal.agent_daily', 'appraisal.agent_daily_csat',
                            'appraisal.category_daily', 'appraisal.period_ratings',
                            'appraisal.agent_daily_follow_up']::regclass[] LOOP
    t0 := clock_timestamp();
    IF (SELECT relispopulated FROM pg_class WHERE oid = mv) THEN
      EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', mv);
      mode := 'concurrently';
    ELSE   -- the first refresh cannot be concurrent
      EXECUTE format('REFRESH MATERIALIZED VIEW %s', mv);
      mode := 'full';
    END IF;
    EXECUTE format('ANALYZE %s', mv);   -- fresh statistics for the views' plans
    materialized_view := mv::text;
    started_at := t0;
    duration := clock_timestamp() - t0;
    EXECUTE format('SELECT count(*) FROM %s', mv) INTO rows;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION appraisal.refresh_scorecards() IS
  'Refreshes the materialized per-day summaries the scorecards read, in dependency order, all from the same data (one snapshot under REPEATABLE READ; under READ COMMITTED the tables they read are kept from changing until the transaction ends): concurrently (readers are not blocked) once populated, in full the first time, and analyzes them and the small tables the views join, so that the views are planned for their real sizes. Returns per materialized view the mode, its rows, when it started and how long it took (with its ANALYZE). For members of appraisal_admin (runs as the extension''s owner).';

-- provider_events.customer_key was the MD5 of phone and address, which
-- anyone who knows both can recompute: it becomes a keyed pseudonym, set by
-- a trigger, under a key of the database's own (made here if there are
-- events to pseudonymise).  The ledger matches the same events as before.
-- Keyed pseudonyms ------------------------------------------------------------------
--
-- A customer's phone and address become a pseudonym the ledger matches on:
-- HMAC-SHA-256 under a key of this database's own, so that whoever reads
-- the pseudonyms but not the key cannot recompute one from a phone number
-- and address they know (a plain hash can be).

CREATE FUNCTION appraisal.hmac_sha256(key bytea, message text) RETURNS bytea
  AS 'MODULE_PATHNAME', 'hmac_sha256' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.hmac_sha256(bytea, text) IS
  'HMAC-SHA-256 (RFC 2104) of message (its bytes in the database encoding) under key: 32 bytes.';

CREATE FUNCTION appraisal.new_pseudonym_key() RETURNS bytea
  AS 'MODULE_PATHNAME', 'new_pseudonym_key' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.new_pseudonym_key() IS
  '32 bytes from the server''s strong random source: a key for appraisal.pseudonym_key.';

-- One key per database, made with the first pseudonym it is needed for (not
-- at CREATE EXTENSION: a restore then brings the database's own key back
-- without meeting a new one) and dumped with the data.  Only the owner
-- reads it.
CREATE TABLE appraisal.pseudonym_key (
  only_row   boolean PRIMARY KEY DEFAULT true CONSTRAINT "a database has one pseudonym key" CHECK (only_row),
  key        bytea NOT NULL CONSTRAINT "a pseudonym key has 32 bytes" CHECK (octet_length(key) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE appraisal.pseudonym_key IS
  'The secret key of this database''s customer pseudonyms (provider_events.customer_key), made with the first one and kept by pg_dump. Readable by the extension''s owner only: whoever reads it can recompute a customer''s pseudonym from their phone and address. Replacing it changes every pseudonym made afterwards; the existing ones stay as they are.';
COMMENT ON COLUMN appraisal.pseudonym_key.only_row IS 'Always true: one row.';
COMMENT ON COLUMN appraisal.pseudonym_key.key IS 'The HMAC-SHA-256 key, 32 random bytes.';
COMMENT ON COLUMN appraisal.pseudonym_key.created_at IS 'When the key was made.';
REVOKE ALL ON appraisal.pseudonym_key FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.pseudonym_key', '');

ALTER TABLE appraisal.provider_events ALTER COLUMN customer_key DROP EXPRESSION;
COMMENT ON COLUMN appraisal.provider_events.customer_key IS 'Set by the database (trigger set_customer_key): the keyed pseudonym of the normalised phone and address, HMAC-SHA-256 under this database''s secret appraisal.pseudonym_key in hex, the same for the same customer; NULL without both. The ledger matches customers on it, so a reader of the ledger needs no right to the phone and address, and cannot recompute it from them without the key.';

-- The pseudonym of an event's customer, set on every insert and on every
-- change of the phone, the address or the pseudonym itself.  SECURITY
-- DEFINER: it reads the key, which the roles that load events do not; a
-- trigger function runs only as its trigger, so it opens no way to the key.
CREATE FUNCTION appraisal.set_customer_key() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  phone text := appraisal.normalise_phone(NEW.customer_phone);
  address text := appraisal.normalise_address(NEW.customer_address);
  k bytea;
BEGIN
  -- a restore brings the pseudonyms back as they were (the key may follow them)
  IF TG_OP = 'INSERT' AND NEW.customer_key IS NOT NULL AND appraisal.replaying_dump() THEN
    RETURN NEW;
  END IF;
  IF phone IS NULL OR address IS NULL THEN
    NEW.customer_key := NULL;
    RETURN NEW;
  END IF;
  SELECT p.key INTO k FROM appraisal.pseudonym_key p;
  IF NOT FOUND THEN   -- the database's first pseudonym
    INSERT INTO appraisal.pseudonym_key AS p (key) VALUES (appraisal.new_pseudonym_key())
    ON CONFLICT (only_row) DO UPDATE SET key = p.key
    RETURNING p.key INTO k;
  END IF;
  NEW.customer_key := encode(appraisal.hmac_sha256(k, phone || '|' || address), 'hex');
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.set_customer_key() IS
  'Trigger of appraisal.provider_events: sets customer_key to the keyed pseudonym of the normalised phone and address (HMAC-SHA-256 under appraisal.pseudonym_key, made on first use), NULL without both; runs as the extension''s owner to read the key. While a dump is replayed, a restored customer_key is kept.';
REVOKE ALL ON FUNCTION appraisal.set_customer_key() FROM PUBLIC;
CREATE TRIGGER set_customer_key BEFORE INSERT OR UPDATE OF customer_phone, customer_address, customer_key
  ON appraisal.provider_events
  FOR EACH ROW EXECUTE FUNCTION appraisal.set_customer_key();
UPDATE appraisal.provider_events SET customer_key = NULL WHERE customer_key IS NOT NULL;   -- the trigger sets each anew

-- 360 anonymity per rater group: the standard scheme leaves out peers and
-- subordinates fewer than 3 (a superior counts alone); min_raters becomes
-- only the evidence a grade needs (default 1: a superior-only review is a
-- valid composite); scorecard_360 shows the groups past their thresholds,
-- with its owner's rights, so that readers need no right to period_ratings.
ALTER TABLE appraisal.weight_scheme DISABLE TRIGGER protect_shipped;
UPDATE appraisal.weight_scheme SET scheme = 'superior 40, peer 30, subordinate 30; fallback superior 60, subordinate 40; fallback superior 60, peer 40; fallback superior 100; min_raters peer 3, subordinate 3',
  description = 'The appraisal regulations'' 360 scheme: superior 40 %, peer 30 %, subordinate 30 %; no peers 60/40, no subordinates 60/40, neither 100; no superior: peer and subordinate renormalised to 50/50. Peers and subordinates stay anonymous: a group of fewer than 3 is left out as if missing (a superior counts alone). Self and customer ratings do not count.'
WHERE name = 'standard' AND shipped;
ALTER TABLE appraisal.weight_scheme ENABLE TRIGGER protect_shipped;

-- Everyone reads the settings (the scorecards and row checks of every role do).
GRANT SELECT ON appraisal.settings, appraisal.current_settings TO PUBLIC;

-- Complaint attribution: a system-caused complaint leaves the agent's
-- resolution, FCR, recurrence and satisfaction (and first response, if the
-- setting system_complaints_first_response says so), and the handling of
-- service-caused complaints is summarised.  A materialized view cannot be
-- replaced: the two summaries of 0.4 step aside under other names, the new
-- ones are made beside them, the views and functions that read the old ones
-- are replaced below to read the new ones (keeping their grants), and the
-- old ones are dropped at the end.
ALTER MATERIALIZED VIEW appraisal.agent_daily RENAME TO agent_daily_0_4;
ALTER MATERIALIZED VIEW appraisal.agent_daily_csat RENAME TO agent_daily_csat_0_4;
ALTER INDEX appraisal.agent_daily_agent_id_day_idx RENAME TO agent_daily_0_4_agent_id_day_idx;
ALTER INDEX appraisal.agent_daily_csat_agent_id_day_scale_max_idx RENAME TO agent_daily_csat_0_4_agent_id_day_scale_max_idx;
-- Tickets per agent and day: SLA, FCR and complaint counts.  A complaint
-- caused by the company's system or policy is not the agent's (docs/rules.md,
-- "Complaint handling": attribution): it is left out of the agent's resolution, FCR and
-- recurrence (as a ticket, and as the comeback that would make an earlier
-- ticket recur), and of first response too unless the setting
-- system_complaints_first_response keeps it there (the default).
CREATE MATERIALIZED VIEW appraisal.agent_daily AS
WITH params AS (
  SELECT p.report_time_zone, p.repeat_window, s.value::boolean AS system_first_response
  FROM appraisal.scorecard_parameters() p
  CROSS JOIN (SELECT value FROM appraisal.current_settings WHERE name = 'system_complaints_first_response') s
), keyed AS (
  SELECT t.agent_id, t.opened_at, t.first_response_at, t.resolved_at, t.contacts, t.pauses,
         t.complaint, t.cause, coalesce(t.cause = 'system', false) AS system_caused,
         CASE WHEN t.channel IN (SELECT channel FROM appraisal.sla_policy_matrix()) THEN t.channel ELSE '' END AS channel_key,
         CASE WHEN t.priority IN (SELECT priority FROM appraisal.sla_policy_matrix()) THEN t.priority ELSE '' END AS priority_key,
         -- the same customer's next ticket of the same category: a comeback
         -- (system-caused complaints make their own partition: never one)
         CASE WHEN t.customer_id IS NOT NULL THEN
           lead(t.opened_at) OVER (PARTITION BY t.customer_id, t.category, coalesce(t.cause = 'system', false)
                                   ORDER BY t.opened_at, t.ticket_id)
         END AS next_opened_at
  FROM appraisal.tickets t
)
SELECT k.agent_id,
       (k.opened_at AT TIME ZONE params.report_time_zone)::date AS day,
       count(*) AS tickets,
       -- resolving a ticket answers it: a ticket resolved without a recorded
       -- first response was first answered when resolved
       appraisal.sla_agg(k.opened_at, coalesce(k.first_response_at, k.resolved_at), m.first_response_target,
                         m.first_response_calendar, now(), k.pauses)
         FILTER (WHERE NOT k.system_caused OR params.system_first_response) AS first_response,
       appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target,
                         m.resolution_calendar, now(), k.pauses)
         FILTER (WHERE NOT k.system_caused) AS resolution,
       appraisal.fcr_agg(CASE WHEN k.resolved_at <= now() THEN k.contacts END,
                         -- a comeback before the resolution recurred too (gap 0)
                         CASE WHEN k.next_opened_at IS NOT NULL
                              THEN greatest(k.next_opened_at - k.resolved_at, interval '0') END,
                         params.repeat_window)
         FILTER (WHERE NOT k.system_caused) AS fcr,
       count(*) FILTER (WHERE k.complaint) AS complaints,
       count(*) FILTER (WHERE k.cause = 'service') AS service_complaints,
       count(*) FILTER (WHERE k.system_caused) AS system_complaints,
       count(*) FILTER (WHERE k.system_caused AND NOT params.system_first_response) AS system_first_responses_excluded,
       -- complaint handling: the service-caused complaints against their resolution target
       appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target,
                         m.resolution_calendar, now(), k.pauses)
         FILTER (WHERE k.cause = 'service') AS complaint_handling,
       now() AS as_of
FROM keyed k
CROSS JOIN params
JOIN appraisal.sla_policy_matrix() m ON m.channel = k.channel_key AND m.priority = k.priority_key
WHERE k.opened_at <= now()   -- a ticket from after the refresh counts from the next one
GROUP BY 1, 2
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily (agent_id, day);
COMMENT ON MATERIALIZED VIEW appraisal.agent_daily IS
  'Per agent and day (tickets opened that day in the report time zone): two-step summaries of first-response and resolution SLA (against the ticket''s SLA policy, as of the refresh), FCR with recurrence, complaint counts and the handling of service-caused complaints. System-caused complaints are left out of resolution, FCR and recurrence, and of first response when system_complaints_first_response is false (docs/rules.md, "Complaint handling": attribution). Refreshed by appraisal.refresh_scorecards(); the scorecards roll it up.';
COMMENT ON COLUMN appraisal.agent_daily.agent_id IS 'Agent (appraisal.employees).';
COMMENT ON COLUMN appraisal.agent_daily.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily.tickets IS 'Tickets opened that day, by the refresh (system-caused complaints included).';
COMMENT ON COLUMN appraisal.agent_daily.first_response IS 'First-response SLA summary (sla_stats) as of the refresh; system-caused complaints in it unless system_complaints_first_response was false.';
COMMENT ON COLUMN appraisal.agent_daily.resolution IS 'Resolution SLA summary (sla_stats) as of the refresh, without system-caused complaints.';
COMMENT ON COLUMN appraisal.agent_daily.fcr IS 'FCR summary (fcr_stats) of the tickets resolved by the refresh, without system-caused complaints; recurred when the customer came back in the same category within the repeat window (a system-caused complaint is no comeback).';
COMMENT ON COLUMN appraisal.agent_daily.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.agent_daily.service_complaints IS 'Service-caused complaints (count against the agent).';
COMMENT ON COLUMN appraisal.agent_daily.system_complaints IS 'System-caused complaints (never count against the agent).';
COMMENT ON COLUMN appraisal.agent_daily.system_first_responses_excluded IS 'System-caused complaints left out of first response too (system_complaints_first_response false at the refresh); 0 otherwise.';
COMMENT ON COLUMN appraisal.agent_daily.complaint_handling IS 'Resolution SLA summary (sla_stats) of the service-caused complaints alone: complaints closed within their target.';
COMMENT ON COLUMN appraisal.agent_daily.as_of IS 'When the summary was computed (the refresh).';

-- Survey responses per agent and day of the rated ticket, one per ticket;
-- a rating of a system-caused complaint is not the agent's.
CREATE MATERIALIZED VIEW appraisal.agent_daily_csat AS
WITH params AS (
  SELECT report_time_zone FROM appraisal.scorecard_parameters()
), counted AS (   -- docs/rules.md, "Complaint handling": one response per ticket, web beats the rest
  SELECT DISTINCT ON (r.ticket_id) r.ticket_id, r.rating, r.scale_max
  FROM appraisal.survey_responses r
  ORDER BY r.ticket_id, CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END, r.responded_at DESC
)
SELECT t.agent_id,
       (t.opened_at AT TIME ZONE params.report_time_zone)::date AS day,
       c.scale_max,
       appraisal.csat_agg(c.rating, c.scale_max) AS csat,
       now() AS as_of
FROM counted c
JOIN appraisal.tickets t USING (ticket_id)
CROSS JOIN params
WHERE t.cause IS DISTINCT FROM 'system'
GROUP BY 1, 2, 3
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily_csat (agent_id, day, scale_max);
COMMENT ON MATERIALIZED VIEW appraisal.agent_daily_csat IS
  'Per agent, day the rated tickets were opened and rating scale: two-step CSAT summary (csat_stats) of one response per ticket (web, else call-back, else SMS; the latest of equals; docs/rules.md, "Complaint handling"), system-caused complaints left out (docs/rules.md, "Complaint handling": attribution).';
COMMENT ON COLUMN appraisal.agent_daily_csat.agent_id IS 'Agent who handled the rated tickets.';
COMMENT ON COLUMN appraisal.agent_daily_csat.day IS 'Day the rated tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily_csat.scale_max IS 'Top of the rating scale (summaries of different scales are kept apart; the scorecards add up their counts of responses and satisfied responses).';
COMMENT ON COLUMN appraisal.agent_daily_csat.csat IS 'Counts of the ratings (csat_stats).';
COMMENT ON COLUMN appraisal.agent_daily_csat.as_of IS 'When the summary was computed (the refresh).';

-- Scorecards scoped by role, and readable without the summaries beneath
-- them.  The per-agent and pooled summaries become views (agent_summaries,
-- pooled_summaries, with their owner's rights as reporting_lines now has:
-- a scorecard reads them with those rights whoever reads it;
-- agent_period_summaries() stays, as their rows), the table
-- scorecard_access lists the teams and employees a role may see, and the
-- person-level scorecards and the provider scorecard run with their owner's
-- rights and show what may_see allows.
CREATE VIEW appraisal.agent_summaries WITH (security_invoker = false) AS
WITH t AS (
  SELECT d.agent_id, p.period, sum(d.tickets)::bigint AS tickets,
         appraisal.rollup(d.first_response) AS first_response, appraisal.rollup(d.resolution) AS resolution,
         appraisal.rollup(d.fcr) AS fcr, sum(d.complaints)::bigint AS complaints,
         sum(d.service_complaints)::bigint AS service_complaints,
         sum(d.system_complaints)::bigint AS system_complaints,
         sum(d.system_first_responses_excluded)::bigint AS system_first_responses_excluded,
         appraisal.rollup(d.complaint_handling) AS complaint_handling, max(d.as_of) AS as_of
  FROM appraisal.agent_daily d
  JOIN appraisal.periods p ON d.day BETWEEN p.starts_on AND p.ends_on
  GROUP BY d.agent_id, p.period
), c AS (
  -- counts, not csat_stats: summaries of different survey scales add up
  SELECT d.agent_id, p.period, sum(appraisal.responses(d.csat))::bigint AS responses,
         sum(appraisal.satisfied(d.csat))::bigint AS satisfied
  FROM appraisal.agent_daily_csat d
  JOIN appraisal.periods p ON d.day BETWEEN p.starts_on AND p.ends_on
  GROUP BY d.agent_id, p.period
)
SELECT t.agent_id, t.period, t.tickets, t.first_response, t.resolution, t.fcr,
       coalesce(c.responses, 0) AS responses, coalesce(c.satisfied, 0) AS satisfied,
       t.complaints, t.service_complaints, t.system_complaints, t.system_first_responses_excluded,
       t.complaint_handling, t.as_of
FROM t LEFT JOIN c USING (agent_id, period);
COMMENT ON VIEW appraisal.agent_summaries IS
  'The materialized per-day summaries of every agent rolled up into every period of appraisal.periods (two-step summary types): what the scorecards are computed from. Not for BI tools: it shows every agent, and summary types.';
COMMENT ON COLUMN appraisal.agent_summaries.agent_id IS 'Agent (employee code).';
COMMENT ON COLUMN appraisal.agent_summaries.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.agent_summaries.tickets IS 'Tickets opened in the period.';
COMMENT ON COLUMN appraisal.agent_summaries.first_response IS 'First-response SLA summary (sla_stats).';
COMMENT ON COLUMN appraisal.agent_summaries.resolution IS 'Resolution SLA summary (sla_stats).';
COMMENT ON COLUMN appraisal.agent_summaries.fcr IS 'First contact resolution summary (fcr_stats).';
COMMENT ON COLUMN appraisal.agent_summaries.responses IS 'Survey responses counted (one per ticket).';
COMMENT ON COLUMN appraisal.agent_summaries.satisfied IS 'Responses with one of the two top ratings.';
COMMENT ON COLUMN appraisal.agent_summaries.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.agent_summaries.service_complaints IS 'Service-caused complaints.';
COMMENT ON COLUMN appraisal.agent_summaries.system_complaints IS 'System-caused complaints.';
COMMENT ON COLUMN appraisal.agent_summaries.as_of IS 'When the summaries were computed (the last refresh).';
COMMENT ON COLUMN appraisal.agent_summaries.system_first_responses_excluded IS 'System-caused complaints left out of first response too (system_complaints_first_response false at the refresh).';
COMMENT ON COLUMN appraisal.agent_summaries.complaint_handling IS 'Resolution SLA summary (sla_stats) of the service-caused complaints alone.';
ALTER VIEW appraisal.reporting_lines SET (security_invoker = false);
CREATE OR REPLACE FUNCTION appraisal.agent_period_summaries()
RETURNS TABLE (agent_id text, period text, tickets bigint,
               first_response appraisal.sla_stats, resolution appraisal.sla_stats, fcr appraisal.fcr_stats,
               responses bigint, satisfied bigint, complaints bigint, service_complaints bigint, system_complaints bigint,
               as_of timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT agent_id, period, tickets, first_response, resolution, fcr, responses, satisfied,
         complaints, service_complaints, system_complaints, as_of
  FROM appraisal.agent_summaries;
END;
COMMENT ON FUNCTION appraisal.agent_period_summaries() IS
  'The rows of the view appraisal.agent_summaries (its columns of 0.4): the materialized per-day summaries of every agent rolled up into every period.';
CREATE VIEW appraisal.pooled_summaries WITH (security_invoker = false) AS
SELECT g.pooling, g.pool_id, s.period, count(*) AS agents, sum(s.tickets)::bigint AS tickets,
       appraisal.rollup(s.first_response) AS first_response, appraisal.rollup(s.resolution) AS resolution,
       appraisal.rollup(s.fcr) AS fcr, sum(s.responses)::bigint AS responses, sum(s.satisfied)::bigint AS satisfied,
       sum(s.complaints)::bigint AS complaints, sum(s.service_complaints)::bigint AS service_complaints,
       sum(s.system_complaints)::bigint AS system_complaints,
       sum(s.system_first_responses_excluded)::bigint AS system_first_responses_excluded,
       appraisal.rollup(s.complaint_handling) AS complaint_handling, max(s.as_of) AS as_of
FROM appraisal.agent_summaries s
JOIN (SELECT 'team', team, employee_id FROM appraisal.employees
      UNION ALL
      SELECT 'provider', provider_id, employee_id FROM appraisal.employees WHERE provider_id IS NOT NULL
      UNION ALL
      SELECT 'responsibility', manager_id, employee_id FROM appraisal.reporting_lines) g(pooling, pool_id, agent_id)
  ON g.agent_id = s.agent_id
GROUP BY g.pooling, g.pool_id, s.period;
COMMENT ON VIEW appraisal.pooled_summaries IS
  'The summaries of appraisal.agent_summaries pooled per group of agents and period: pooling team (pool_id a team), provider (a provider''s technicians) or responsibility (pool_id a manager: everyone they answer for, themselves included, appraisal.reporting_lines); counts added and two-step summaries rolled up, so that every rate read from a row is a ratio of the group''s totals, never an average of its agents'' rates. Feed a row to appraisal.service_measures for the scorecard measures. Not for BI tools: summary types.';
COMMENT ON COLUMN appraisal.pooled_summaries.pooling IS 'How the agents are grouped: team, provider or responsibility.';
COMMENT ON COLUMN appraisal.pooled_summaries.pool_id IS 'The team, the provider or the manager.';
COMMENT ON COLUMN appraisal.pooled_summaries.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.pooled_summaries.agents IS 'Agents of the group with tickets in the period.';
COMMENT ON COLUMN appraisal.pooled_summaries.tickets IS 'Tickets opened in the period.';
COMMENT ON COLUMN appraisal.pooled_summaries.first_response IS 'First-response SLA summary (sla_stats), pooled.';
COMMENT ON COLUMN appraisal.pooled_summaries.resolution IS 'Resolution SLA summary (sla_stats), pooled.';
COMMENT ON COLUMN appraisal.pooled_summaries.fcr IS 'First contact resolution summary (fcr_stats), pooled.';
COMMENT ON COLUMN appraisal.pooled_summaries.responses IS 'Survey responses counted.';
COMMENT ON COLUMN appraisal.pooled_summaries.satisfied IS 'Responses with one of the two top ratings.';
COMMENT ON COLUMN appraisal.pooled_summaries.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.pooled_summaries.service_complaints IS 'Service-caused complaints.';
COMMENT ON COLUMN appraisal.pooled_summaries.system_complaints IS 'System-caused complaints.';
COMMENT ON COLUMN appraisal.pooled_summaries.as_of IS 'When the summaries were computed (the last refresh).';
COMMENT ON COLUMN appraisal.pooled_summaries.system_first_responses_excluded IS 'System-caused complaints left out of first response too, pooled.';
COMMENT ON COLUMN appraisal.pooled_summaries.complaint_handling IS 'Resolution SLA summary (sla_stats) of the service-caused complaints, pooled.';
CREATE TABLE appraisal.scorecard_access (
  grantee     name NOT NULL,
  team        text,
  employee_id text CONSTRAINT "employee must be a known employee"
              REFERENCES appraisal.employees ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT "an access row names a team or an employee" CHECK ((team IS NULL) <> (employee_id IS NULL)),
  CONSTRAINT "one access row per grantee and team or employee" UNIQUE NULLS NOT DISTINCT (grantee, team, employee_id)
);
COMMENT ON TABLE appraisal.scorecard_access IS
  'Row scoping of the person-level scorecards: a role listed here (or a member of a role listed here) sees in agent_scorecard, team_scorecard, scorecard_360, kpi_breakdown, overall_appraisal and annual_results only the teams and employees listed for it. Roles not listed see every row they are granted; superusers see all. Each role reads only its own rows.';
COMMENT ON COLUMN appraisal.scorecard_access.grantee IS 'Role (or group role, for its members) that is scoped.';
COMMENT ON COLUMN appraisal.scorecard_access.team IS 'A team whose employees and team rows the grantee sees (or NULL with employee_id).';
COMMENT ON COLUMN appraisal.scorecard_access.employee_id IS 'An employee the grantee sees (or NULL with team).';

-- every role reads its own rows, and its login's: whether and how it is
-- scoped (may_see reads them so)
ALTER TABLE appraisal.scorecard_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON appraisal.scorecard_access FOR SELECT
  USING (grantee IN (SELECT r.rolname FROM pg_catalog.pg_roles r
                     WHERE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
                        OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')));
GRANT SELECT ON appraisal.scorecard_access TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.scorecard_access', '');

-- A role is scoped by the rows of the roles it is a member of, and so is
-- the login behind it (session_user): SET ROLE to an unlisted role it may
-- also be does not lift a login's scope.
CREATE FUNCTION appraisal.may_see(employee text, team text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false)
      OR NOT EXISTS (SELECT 1 FROM appraisal.scorecard_access a
                     JOIN pg_catalog.pg_roles r ON r.rolname = a.grantee
                     WHERE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
                        OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'))
      OR EXISTS (SELECT 1 FROM appraisal.scorecard_access a
                 JOIN pg_catalog.pg_roles r ON r.rolname = a.grantee
                 WHERE (pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
                        OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'))
                   AND (a.employee_id = may_see.employee OR a.team = may_see.team));
END;
COMMENT ON FUNCTION appraisal.may_see(text, text) IS
  'Whether the current role may see the scorecard rows of an employee (with their team) or of a team (employee NULL): always for superusers; for other roles when neither they nor their login (session_user) are members of a role in appraisal.scorecard_access, else when the employee or the team is listed for such a role.';

-- A grantee must be a role: a misspelt name would leave the role it meant
-- unscoped.  (A restore may list roles the cluster has not yet.)
CREATE FUNCTION appraisal.check_scorecard_access() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = NEW.grantee) AND NOT appraisal.replaying_dump() THEN
    RAISE EXCEPTION 'role "%" does not exist', NEW.grantee
      USING ERRCODE = 'undefined_object',
            HINT = 'scorecard_access names roles as they are; after renaming a role, rename its rows here too.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_scorecard_access() IS
  'Trigger of appraisal.scorecard_access: the grantee must be an existing role (a misspelt one would leave the intended role unscoped).';
CREATE TRIGGER check_scorecard_access BEFORE INSERT OR UPDATE ON appraisal.scorecard_access
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_scorecard_access();


-- Monthly periods (the appliance-service and repair regulations appraise
-- monthly): a period kind of its own, added by add_periods on request.
ALTER TABLE appraisal.periods
  DROP CONSTRAINT "period kind must be quarter, half_year or year",
  ADD CONSTRAINT "period kind must be month, quarter, half_year or year"
    CHECK (kind IN ('month', 'quarter', 'half_year', 'year'));
COMMENT ON TABLE appraisal.periods IS 'Appraisal periods: months (the monthly appraisal of appliance-service and repair staff), quarters (specialists and supervisors), half-years (knowledge and skills) and years (managers; the annual result). Periods of one kind must not overlap. appraisal.add_periods(year) adds a calendar year''s, with its months on request.';
COMMENT ON COLUMN appraisal.periods.period IS 'Period name, e.g. 2026-07, 2026-Q3, 2026-H2, 2026.';
COMMENT ON COLUMN appraisal.periods.kind IS 'month, quarter, half_year or year.';
DROP FUNCTION appraisal.add_periods(integer);
CREATE FUNCTION appraisal.add_periods(year integer, months boolean DEFAULT false) RETURNS SETOF appraisal.periods
LANGUAGE sql BEGIN ATOMIC
  INSERT INTO appraisal.periods (period, kind, starts_on, ends_on)
  SELECT p.period, p.kind, p.starts_on, (p.starts_on + p.len - interval '1 day')::date
  FROM (VALUES (year::text, 'year', make_date(year, 1, 1), interval '1 year'),
               (year || '-H1', 'half_year', make_date(year, 1, 1), interval '6 months'),
               (year || '-H2', 'half_year', make_date(year, 7, 1), interval '6 months'),
               (year || '-Q1', 'quarter', make_date(year, 1, 1), interval '3 months'),
               (year || '-Q2', 'quarter', make_date(year, 4, 1), interval '3 months'),
               (year || '-Q3', 'quarter', make_date(year, 7, 1), interval '3 months'),
               (year || '-Q4', 'quarter', make_date(year, 10, 1), interval '3 months')) p(period, kind, starts_on, len)
  UNION ALL
  SELECT to_char(make_date(year, m, 1), 'YYYY-MM'), 'month', make_date(year, m, 1),
         (make_date(year, m, 1) + interval '1 month' - interval '1 day')::date
  FROM generate_series(1, 12) m
  WHERE add_periods.months
  ON CONFLICT (period) DO NOTHING
  RETURNING *;
END;
COMMENT ON FUNCTION appraisal.add_periods(integer, boolean) IS
  'Adds the calendar year''s periods: the year (e.g. 2026), its halves (2026-H1, 2026-H2) and quarters (2026-Q1 to 2026-Q4), and with months => true its months (2026-01 to 2026-12, for the monthly appraisal of appliance-service and repair staff); periods already there are left as they are. Returns the periods added.';
COMMENT ON COLUMN appraisal.complaint_pareto.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.customer_scorecard.period_kind IS 'year, half_year, quarter or month.';

-- Soft KPIs should weigh at least 30 % of a position's: each KPI is hard or
-- soft, and kpi_weight_warnings lists the positions below the setting
-- min_soft_kpi_share.
ALTER TABLE appraisal.kpi_definitions ADD COLUMN nature text NOT NULL DEFAULT 'hard'
  CONSTRAINT "KPI nature must be hard or soft" CHECK (nature IN ('hard', 'soft'));
COMMENT ON COLUMN appraisal.kpi_definitions.nature IS
  'hard (measured: SLA, FCR, CSAT, counts) or soft (judged: emotion management, collaboration, scored by case review); soft KPIs should weigh at least min_soft_kpi_share percent of a position (appraisal.kpi_weight_warnings).';

-- Service-caused complaints enter the appraisal (their rate and how they
-- were handled), and so do the call-back rate, survey coverage, the QA
-- score and the extreme-weighted CSAT: KPI sources.
ALTER TABLE appraisal.kpi_definitions
  DROP CONSTRAINT "KPI source must be manual or a scorecard measure",
  ADD CONSTRAINT "KPI source must be manual or a scorecard measure"
    CHECK (source IN ('manual', 'first_response_compliance', 'resolution_compliance', 'fcr',
                      'recurrence_rate', 'csat', 'complaint_composite', 'score_360',
                      'complaint_rate', 'complaint_handling_rate',
                      'call_back_rate', 'survey_coverage', 'qa_score', 'csat_extreme_weighted'));
COMMENT ON COLUMN appraisal.kpi_definitions.source IS 'manual (from appraisal.kpi_results) or the scorecard measure that supplies the value: first_response_compliance, resolution_compliance, fcr, recurrence_rate, csat, complaint_handling_rate, call_back_rate, survey_coverage, csat_extreme_weighted (percentages), complaint_rate (service-caused complaints per 100 tickets; a reversed range scores fewer higher), complaint_composite, score_360 or qa_score (points). complaint_handling_rate is 100 for someone with enough tickets and no service-caused complaint to judge (none handled late).';

-- The regulations' cycles: each position is appraised on a cycle of its
-- settings, each KPI measured on its own (a half-yearly exam counts in its
-- quarters), and a result is entered for a period of its KPI's cycle.
-- The cycle each position is appraised on: configuration (settings
-- cycle_specialist, cycle_supervisor, cycle_manager), read as one table.
CREATE VIEW appraisal.position_cycles WITH (security_invoker = true) AS
SELECT v.position, s.value AS cycle
FROM (VALUES ('specialist'), ('supervisor'), ('manager')) v(position)
JOIN appraisal.current_settings s ON s.name = 'cycle_' || v.position;
COMMENT ON VIEW appraisal.position_cycles IS
  'The cycle each position is appraised on (docs/rules.md, "Appraisal periods and results"): quarter for specialists and supervisors and year for managers unless the settings cycle_specialist, cycle_supervisor or cycle_manager say otherwise. Overall appraisals are made per period of that kind, and the annual result is their mean.';
COMMENT ON COLUMN appraisal.position_cycles.position IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.position_cycles.cycle IS 'Kind of period the position is appraised on: month, quarter, half_year or year.';
GRANT SELECT ON appraisal.position_cycles TO PUBLIC;
COMMENT ON COLUMN appraisal.employees.position IS 'specialist, supervisor or manager: selects the KPI definitions and the appraisal cycle (appraisal.position_cycles: quarterly, quarterly and yearly by default; docs/rules.md, "Appraisal periods and results").';
ALTER TABLE appraisal.kpi_definitions ADD COLUMN cycle text
  CONSTRAINT "KPI cycle must be month, quarter, half_year or year" CHECK (cycle IN ('month', 'quarter', 'half_year', 'year'));
COMMENT ON COLUMN appraisal.kpi_definitions.cycle IS
  'Cycle the KPI is measured on: month, quarter, half_year or year; NULL for the position''s own (appraisal.position_cycles). An appraisal takes the KPI from the period of this kind containing it (a half-yearly skills exam counts in both quarters of its half-year); a KPI of a shorter cycle is measured over the appraised period, or, entered in kpi_results, is the mean of its results inside it (docs/rules.md, "Appraisal periods and results"). Its kpi_results are entered per period of this kind.';
COMMENT ON FUNCTION appraisal.check_kpi_result() IS
  'Trigger of appraisal.kpi_results: the KPI must be defined for the employee''s position in appraisal.kpi_definitions, and the result entered for a period of the KPI''s cycle (its own, else the position''s).';
-- A position's KPI set, against the regulations' advice: 3 to 5 core
-- indicators (core_kpis_min, core_kpis_max), soft ones (judged by case
-- review) weighing at least min_soft_kpi_share (30 %).  Warnings, not
-- refusals.
CREATE VIEW appraisal.kpi_weight_warnings WITH (security_invoker = true) AS
SELECT w.position, w.kpis, w.soft_kpis, w.total_weight, w.soft_weight, w.soft_share, w.min_soft_share,
       w.min_kpis, w.max_kpis,
       concat_ws('; ',
                 CASE WHEN w.soft_share < w.min_soft_share
                      THEN format('soft KPIs weigh %s %%, below %s %%', w.soft_share, w.min_soft_share) END,
                 CASE WHEN w.kpis < w.min_kpis OR w.kpis > w.max_kpis
                      THEN format('%s KPIs, not %s to %s', w.kpis, w.min_kpis, w.max_kpis) END) AS warning
FROM (SELECT d.position, count(*) AS kpis, count(*) FILTER (WHERE d.nature = 'soft') AS soft_kpis,
             sum(d.weight) AS total_weight, coalesce(sum(d.weight) FILTER (WHERE d.nature = 'soft'), 0) AS soft_weight,
             appraisal.weighted_share_percent(ARRAY[1], ARRAY[coalesce(sum(d.weight) FILTER (WHERE d.nature = 'soft'), 0)],
                                              ARRAY[sum(d.weight)]) AS soft_share,
             max(s.min_soft_share) AS min_soft_share, max(s.min_kpis) AS min_kpis, max(s.max_kpis) AS max_kpis
      FROM appraisal.kpi_definitions d
      CROSS JOIN (SELECT max(value) FILTER (WHERE name = 'min_soft_kpi_share')::numeric AS min_soft_share,
                         max(value) FILTER (WHERE name = 'core_kpis_min')::integer AS min_kpis,
                         max(value) FILTER (WHERE name = 'core_kpis_max')::integer AS max_kpis
                  FROM appraisal.current_settings) s
      GROUP BY d.position) w
WHERE w.soft_share < w.min_soft_share OR w.kpis < w.min_kpis OR w.kpis > w.max_kpis;
COMMENT ON VIEW appraisal.kpi_weight_warnings IS
  'Positions whose KPI set breaks the regulations'' advice (docs/rules.md, "Complaint handling"): soft KPIs (kpi_definitions.nature = soft: emotion management, collaboration, scored by case review) weighing less than min_soft_kpi_share percent (30) of the KPIs'' weights, or fewer than core_kpis_min (3) or more than core_kpis_max (5) KPIs: a warning to review the KPI set, not a refusal. Empty when every position meets both.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.position IS 'Position whose KPI set breaks a rule.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.kpis IS 'KPIs of the position.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.soft_kpis IS 'Soft KPIs among them.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.total_weight IS 'Sum of the KPIs'' weights.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.soft_weight IS 'Sum of the soft KPIs'' weights.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.soft_share IS 'Soft weight over total weight, percent, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.min_soft_share IS 'The setting min_soft_kpi_share: the share the soft KPIs should reach.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.min_kpis IS 'The setting core_kpis_min: the fewest KPIs a position should have (3).';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.max_kpis IS 'The setting core_kpis_max: the most KPIs a position should have (5).';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.warning IS 'Which rule the KPI set breaks, in words.';


-- The regulations' targets, read off the shown values: met or missed, and
-- for first response the points below (each point below affects the
-- bonus).  NULL with too little evidence, as the training flag.
CREATE FUNCTION appraisal.service_targets(first_response_compliance numeric, csat numeric,
                                          resolved bigint, recurred bigint, sufficient boolean)
RETURNS TABLE (resolution_accuracy numeric, meets_first_response_target boolean,
               first_response_points_below_target numeric, meets_csat_target boolean,
               meets_resolution_accuracy_target boolean)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT a.accuracy,
         CASE WHEN service_targets.sufficient
              THEN service_targets.first_response_compliance >= t.first_response END,
         CASE WHEN service_targets.sufficient
              THEN greatest(t.first_response - service_targets.first_response_compliance, 0) END,
         CASE WHEN service_targets.sufficient THEN service_targets.csat >= t.csat END,
         CASE WHEN service_targets.sufficient THEN a.accuracy >= t.accuracy END
  FROM (SELECT max(value) FILTER (WHERE name = 'target_first_response')::numeric AS first_response,
               max(value) FILTER (WHERE name = 'target_csat')::numeric AS csat,
               max(value) FILTER (WHERE name = 'target_resolution_accuracy')::numeric AS accuracy
        FROM appraisal.current_settings) t
  CROSS JOIN LATERAL (SELECT appraisal.share_percent(service_targets.resolved - service_targets.recurred,
                                                     service_targets.resolved) AS accuracy) a;
END;
COMMENT ON FUNCTION appraisal.service_targets(numeric, numeric, bigint, bigint, boolean) IS
  'The regulations'' targets for one scorecard row (settings target_first_response 95, target_csat 95, target_resolution_accuracy 98; docs/rules.md, "Service levels"): the resolution accuracy (resolved tickets that did not recur, percent, truncated), whether each target is met, read off the shown value, and the first-response points below its target; NULL where the row has too little evidence.';

-- Complaint attribution in the measures (docs/rules.md, "Complaint
-- handling": attribution): what the service-caused complaints say of the agent (their
-- rate per 100 tickets, and how many were closed within their target), and
-- what the system-caused ones were left out of, in words.
CREATE FUNCTION appraisal.complaint_measures(ticket_count bigint, service_complaint_count bigint,
                                             system_complaint_count bigint,
                                             system_first_responses_excluded bigint,
                                             complaint_handling appraisal.sla_stats)
RETURNS TABLE (complaint_rate numeric, complaints_handled_in_time bigint, complaints_handled_late bigint,
               complaint_handling_rate numeric, excluded_tickets bigint, excluded_reason text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT appraisal.share_percent(service_complaint_count, ticket_count),
         coalesce(appraisal.met(complaint_handling), 0),
         coalesce(appraisal.breached(complaint_handling), 0),
         appraisal.compliance_percent(complaint_handling),
         coalesce(system_complaint_count, 0),
         CASE WHEN system_complaint_count > 0 THEN
           format('%s system-caused complaint%s (company policy or system): left out of resolution, FCR, recurrence, satisfaction and the composite%s',
                  system_complaint_count, CASE WHEN system_complaint_count > 1 THEN 's' ELSE '' END,
                  CASE WHEN coalesce(system_first_responses_excluded, 0) = 0 THEN '; first response counted'
                       WHEN system_first_responses_excluded = system_complaint_count THEN ', and of first response'
                       ELSE format(', and %s of them of first response', system_first_responses_excluded) END)
         END;
END;
COMMENT ON FUNCTION appraisal.complaint_measures(bigint, bigint, bigint, bigint, appraisal.sla_stats) IS
  'Complaint attribution for one scorecard row (docs/rules.md, "Complaint handling": attribution): the service complaint rate (service-caused complaints per 100 tickets, truncated to 2 decimals), the service-caused complaints closed within their resolution target and after it, the complaint-handling rate (in time / judged, truncated; NULL without a judged complaint), and the tickets left out of the agent''s measures as system-caused complaints, with the reason in words.';

-- Probationers are outside the appraisal.
ALTER TABLE appraisal.employees ADD COLUMN probation_ends_on date
  CONSTRAINT "probation must end on a finite day" CHECK (isfinite(probation_ends_on));
COMMENT ON COLUMN appraisal.employees.probation_ends_on IS
  'Last day of probation (试用期); NULL when not on probation. Probationers are outside the appraisal: an appraised period ending on or before this day is not graded (docs/rules.md, "Appraisal periods and results").';

-- The follow-up after a ticket (issue 16): call-backs and the call-back
-- rate, survey coverage, the internal quality inspection with its QA score,
-- and the CSAT with extreme ratings down-weighted (docs/rules.md, "Service
-- levels" and "Complaint handling"): two tables, a materialized summary
-- refreshed with the others, their roll-up and measures, and four new KPI
-- sources.
CREATE TABLE appraisal.call_backs (
  ticket_id text NOT NULL CONSTRAINT "call-back must be about a known ticket" REFERENCES appraisal.tickets ON DELETE CASCADE,
  called_at timestamptz NOT NULL CONSTRAINT "call-back time must be finite" CHECK (isfinite(called_at)),
  caller    text,
  outcome   text,
  note      text,
  PRIMARY KEY (ticket_id, called_at)
);
COMMENT ON TABLE appraisal.call_backs IS
  'Call-backs (回访): the customer called back about a ticket, with or without a rating (docs/rules.md, "Call-backs and survey coverage"). A resolved ticket counts as called back when a call-back here, or a survey response with source call_back, falls within call_back_window after its resolution. Every row counts, whatever its outcome; a rating given in the call goes to appraisal.survey_responses (source call_back).';
COMMENT ON COLUMN appraisal.call_backs.ticket_id IS 'Ticket the call-back was about.';
COMMENT ON COLUMN appraisal.call_backs.called_at IS 'When the customer was called back.';
COMMENT ON COLUMN appraisal.call_backs.caller IS 'Who called (an employee code or a name); optional.';
COMMENT ON COLUMN appraisal.call_backs.outcome IS 'What came of the call (e.g. satisfied, problem reopened), in your own words; optional, not read by the scorecards.';
COMMENT ON COLUMN appraisal.call_backs.note IS 'Free note; optional.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.call_backs', '');

CREATE TABLE appraisal.quality_inspections (
  ticket_id    text NOT NULL CONSTRAINT "inspection must be about a known ticket" REFERENCES appraisal.tickets ON DELETE CASCADE,
  reviewer     text NOT NULL CONSTRAINT "reviewer must not be empty" CHECK (reviewer <> ''),
  inspected_on date NOT NULL CONSTRAINT "inspection date must be finite" CHECK (isfinite(inspected_on)),
  score        numeric NOT NULL CONSTRAINT "QA score must lie in 0..100" CHECK (score BETWEEN 0 AND 100),
  note         text,
  PRIMARY KEY (ticket_id, reviewer, inspected_on)
);
COMMENT ON TABLE appraisal.quality_inspections IS
  'Internal quality inspection (内部质检): sampled tickets scored 0-100 by a reviewer (docs/rules.md, "Quality inspection"). Every inspection is one sample of the agent who handled the ticket, counted in the period the ticket was opened: a ticket inspected by two reviewers counts twice. To replace a score (an appeal), update or delete its row.';
COMMENT ON COLUMN appraisal.quality_inspections.ticket_id IS 'Ticket inspected.';
COMMENT ON COLUMN appraisal.quality_inspections.reviewer IS 'Who inspected it (an employee code or a name).';
COMMENT ON COLUMN appraisal.quality_inspections.inspected_on IS 'Day of the inspection.';
COMMENT ON COLUMN appraisal.quality_inspections.score IS 'Score, 0 to 100 (decimals allowed; summed exactly).';
COMMENT ON COLUMN appraisal.quality_inspections.note IS 'What the reviewer found; optional.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.quality_inspections', '');

CREATE MATERIALIZED VIEW appraisal.agent_daily_follow_up AS
WITH params AS (
  SELECT p.report_time_zone,
         (SELECT value::interval FROM appraisal.current_settings WHERE name = 'call_back_window') AS call_back_window
  FROM appraisal.scorecard_parameters() p
), calls AS (         -- a survey response given in a call-back is a call-back too
  SELECT ticket_id, called_at FROM appraisal.call_backs
  UNION ALL
  SELECT ticket_id, responded_at FROM appraisal.survey_responses WHERE source = 'call_back'
), called_back AS (   -- resolved by the refresh and called back within the window after it, its end included
  SELECT DISTINCT c.ticket_id
  FROM calls c
  JOIN appraisal.tickets t USING (ticket_id)
  CROSS JOIN params
  WHERE t.resolved_at <= now() AND c.called_at <= now()
    AND c.called_at BETWEEN t.resolved_at AND t.resolved_at + params.call_back_window
), counted AS (       -- one response per ticket, as agent_daily_csat counts it (docs/rules.md, "Complaint handling")
  SELECT DISTINCT ON (r.ticket_id) r.ticket_id, r.rating, r.scale_max
  FROM appraisal.survey_responses r
  ORDER BY r.ticket_id, CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END, r.responded_at DESC
), inspected AS (
  SELECT ticket_id, count(*) AS inspections, sum(score) AS score_sum
  FROM appraisal.quality_inspections
  GROUP BY ticket_id
)
SELECT t.agent_id,
       (t.opened_at AT TIME ZONE params.report_time_zone)::date AS day,
       count(*) FILTER (WHERE t.resolved_at <= now() AND NOT a.system_caused) AS resolved,
       count(cb.ticket_id) FILTER (WHERE NOT a.system_caused) AS called_back,
       -- no call-back yet, but the window is still open at the refresh: not judged yet
       count(*) FILTER (WHERE t.resolved_at <= now() AND NOT a.system_caused AND cb.ticket_id IS NULL
                          AND t.resolved_at + params.call_back_window >= now()) AS call_back_pending,
       count(c.ticket_id) FILTER (WHERE t.resolved_at <= now() AND NOT a.system_caused) AS surveyed,
       -- an inspection judges the agent's handling, whatever caused the complaint
       coalesce(sum(q.inspections), 0)::bigint AS inspections,
       coalesce(sum(q.score_sum), 0) AS inspection_score_sum,
       count(c.ticket_id) FILTER (WHERE NOT a.system_caused AND c.rating IN (1, c.scale_max)) AS extreme_responses,
       count(c.ticket_id) FILTER (WHERE NOT a.system_caused AND c.rating IN (1, c.scale_max)
                                    AND c.rating >= c.scale_max - 1) AS extreme_satisfied,
       count(c.ticket_id) FILTER (WHERE NOT a.system_caused AND c.rating NOT IN (1, c.scale_max)) AS other_responses,
       count(c.ticket_id) FILTER (WHERE NOT a.system_caused AND c.rating NOT IN (1, c.scale_max)
                                    AND c.rating >= c.scale_max - 1) AS other_satisfied,
       now() AS as_of
FROM appraisal.tickets t
CROSS JOIN params
-- a system-caused complaint is not the agent's (docs/rules.md, "Complaint handling": attribution)
CROSS JOIN LATERAL (SELECT coalesce(t.cause = 'system', false) AS system_caused) a
LEFT JOIN called_back cb USING (ticket_id)
LEFT JOIN counted c USING (ticket_id)
LEFT JOIN inspected q USING (ticket_id)
WHERE t.opened_at <= now()   -- a ticket from after the refresh counts from the next one
GROUP BY 1, 2
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily_follow_up (agent_id, day);
COMMENT ON MATERIALIZED VIEW appraisal.agent_daily_follow_up IS
  'Per agent and day the tickets were opened (report time zone), system-caused complaints left out but for their quality inspections: resolved tickets, those called back within call_back_window of their resolution (appraisal.call_backs and call-back survey responses) and those not judged yet, those with a survey rating, the quality inspections with their exact score sum, and the counted survey responses (one per ticket, as agent_daily_csat) split into extreme and other ratings. Refreshed by appraisal.refresh_scorecards(); rolled up by appraisal.follow_up_summaries (docs/rules.md, "Service levels" and "Complaint handling").';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.agent_id IS 'Agent who handled the tickets.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.resolved IS 'Tickets resolved by the refresh.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.called_back IS 'Resolved tickets called back within call_back_window after their resolution (its end included), by the refresh.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.call_back_pending IS 'Resolved tickets not called back yet whose window was still open at the refresh: left out of the call-back rate.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.surveyed IS 'Resolved tickets with at least one survey response (any source).';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.inspections IS 'Quality inspections of the tickets (each one a sample).';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.inspection_score_sum IS 'Exact sum of the inspections'' scores.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.extreme_responses IS 'Counted responses (one per ticket) with an extreme rating: 1 or the top of the scale.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.extreme_satisfied IS 'Of those, satisfied ones (the top rating).';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.other_responses IS 'Counted responses with a rating between the extremes.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.other_satisfied IS 'Of those, satisfied ones (the second rating from the top).';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.as_of IS 'When the summary was computed (the refresh).';

-- With its owner's rights, as agent_summaries and pooled_summaries: the
-- scoped scorecards read it whoever reads them.  Granted to nobody: it
-- shows every agent.
CREATE VIEW appraisal.follow_up_summaries WITH (security_invoker = false) AS
WITH per_agent AS (
  SELECT d.agent_id, p.period, sum(d.resolved)::bigint AS resolved, sum(d.called_back)::bigint AS called_back,
         sum(d.call_back_pending)::bigint AS call_back_pending, sum(d.surveyed)::bigint AS surveyed,
         sum(d.inspections)::bigint AS inspections, sum(d.inspection_score_sum) AS inspection_score_sum,
         sum(d.extreme_responses)::bigint AS extreme_responses, sum(d.extreme_satisfied)::bigint AS extreme_satisfied,
         sum(d.other_responses)::bigint AS other_responses, sum(d.other_satisfied)::bigint AS other_satisfied,
         max(d.as_of) AS as_of
  FROM appraisal.agent_daily_follow_up d
  JOIN appraisal.periods p ON d.day BETWEEN p.starts_on AND p.ends_on
  GROUP BY d.agent_id, p.period
)
SELECT g.pooling, g.pool_id, s.period, sum(s.resolved)::bigint AS resolved, sum(s.called_back)::bigint AS called_back,
       sum(s.call_back_pending)::bigint AS call_back_pending, sum(s.surveyed)::bigint AS surveyed,
       sum(s.inspections)::bigint AS inspections, sum(s.inspection_score_sum) AS inspection_score_sum,
       sum(s.extreme_responses)::bigint AS extreme_responses, sum(s.extreme_satisfied)::bigint AS extreme_satisfied,
       sum(s.other_responses)::bigint AS other_responses, sum(s.other_satisfied)::bigint AS other_satisfied,
       max(s.as_of) AS as_of
FROM per_agent s
JOIN (SELECT 'agent', employee_id, employee_id FROM appraisal.employees
      UNION ALL
      SELECT 'team', team, employee_id FROM appraisal.employees
      UNION ALL
      SELECT 'provider', provider_id, employee_id FROM appraisal.employees WHERE provider_id IS NOT NULL
      UNION ALL
      SELECT 'responsibility', manager_id, employee_id FROM appraisal.reporting_lines) g(pooling, pool_id, agent_id)
  ON g.agent_id = s.agent_id
GROUP BY g.pooling, g.pool_id, s.period;
COMMENT ON VIEW appraisal.follow_up_summaries IS
  'The follow-up counts of appraisal.agent_daily_follow_up per period and agent (pooling agent) or group of agents, pooled as appraisal.pooled_summaries pools (team, provider, responsibility: a manager and everyone they answer for): counts and score sums added, so that every rate read from a row is a ratio of the group''s totals. Feed a row to appraisal.follow_up_measures. Not for BI tools: it shows every agent.';
COMMENT ON COLUMN appraisal.follow_up_summaries.pooling IS 'How the agents are grouped: agent (one agent), team, provider or responsibility.';
COMMENT ON COLUMN appraisal.follow_up_summaries.pool_id IS 'The agent, the team, the provider or the manager.';
COMMENT ON COLUMN appraisal.follow_up_summaries.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.follow_up_summaries.resolved IS 'Tickets opened in the period and resolved by the refresh.';
COMMENT ON COLUMN appraisal.follow_up_summaries.called_back IS 'Resolved tickets called back within call_back_window after their resolution.';
COMMENT ON COLUMN appraisal.follow_up_summaries.call_back_pending IS 'Resolved tickets not called back yet whose window was still open at the refresh.';
COMMENT ON COLUMN appraisal.follow_up_summaries.surveyed IS 'Resolved tickets with at least one survey response.';
COMMENT ON COLUMN appraisal.follow_up_summaries.inspections IS 'Quality inspections of the tickets.';
COMMENT ON COLUMN appraisal.follow_up_summaries.inspection_score_sum IS 'Exact sum of the inspections'' scores.';
COMMENT ON COLUMN appraisal.follow_up_summaries.extreme_responses IS 'Counted survey responses with an extreme rating (1 or the top of the scale).';
COMMENT ON COLUMN appraisal.follow_up_summaries.extreme_satisfied IS 'Of those, satisfied ones.';
COMMENT ON COLUMN appraisal.follow_up_summaries.other_responses IS 'Counted survey responses with a rating between the extremes.';
COMMENT ON COLUMN appraisal.follow_up_summaries.other_satisfied IS 'Of those, satisfied ones.';
COMMENT ON COLUMN appraisal.follow_up_summaries.as_of IS 'When the summaries were computed (the last refresh).';

-- The follow-up measures of one row of follow_up_summaries (NULL counts are
-- 0: a row the summaries do not have).  Targets are read off the shown
-- values and NULL without evidence: the call-back rate needs min_tickets
-- judged tickets, the QA score one inspection.
CREATE FUNCTION appraisal.follow_up_measures(
  resolved_tickets bigint, called_back_tickets bigint, pending_tickets bigint, surveyed_tickets bigint,
  inspection_count bigint, score_sum numeric, extreme_count bigint, extreme_satisfied_count bigint,
  other_count bigint, other_satisfied_count bigint)
RETURNS TABLE (called_back bigint, call_back_pending bigint, call_back_rate numeric, meets_call_back_target boolean,
               surveyed bigint, survey_coverage numeric, qa_sampled bigint, qa_score numeric,
               meets_service_quality_target boolean, csat_extreme_weighted numeric, extreme_rating_weight numeric)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT c.cb, c.pend, r.rate,
         CASE WHEN c.res - c.pend >= t.min_tickets THEN r.rate >= t.call_back END,
         c.surv, appraisal.share_percent(c.surv, c.res),
         c.insp, r.qa,
         CASE WHEN c.insp >= 1 THEN r.qa >= t.quality END,
         appraisal.weighted_share_percent(ARRAY[1::numeric],
                                          ARRAY[t.weight * c.ext_sat + c.oth_sat],
                                          ARRAY[t.weight * c.ext + c.oth]),
         t.weight
  FROM (SELECT coalesce(resolved_tickets, 0) AS res, coalesce(called_back_tickets, 0) AS cb,
               coalesce(pending_tickets, 0) AS pend, coalesce(surveyed_tickets, 0) AS surv,
               coalesce(inspection_count, 0) AS insp, coalesce(score_sum, 0) AS total,
               coalesce(extreme_count, 0) AS ext, coalesce(extreme_satisfied_count, 0) AS ext_sat,
               coalesce(other_count, 0) AS oth, coalesce(other_satisfied_count, 0) AS oth_sat) c
  CROSS JOIN (SELECT max(value) FILTER (WHERE name = 'min_tickets')::integer AS min_tickets,
                     max(value) FILTER (WHERE name = 'target_call_back_rate')::numeric AS call_back,
                     max(value) FILTER (WHERE name = 'target_service_quality')::numeric AS quality,
                     max(value) FILTER (WHERE name = 'extreme_rating_weight')::numeric AS weight
              FROM appraisal.current_settings) t
  CROSS JOIN LATERAL (
    SELECT appraisal.share_percent(c.cb, c.res - c.pend) AS rate,
           -- the mean score, exact: the percent of the sum over 100 per inspection
           appraisal.weighted_share_percent(ARRAY[1::numeric], ARRAY[c.total], ARRAY[100 * c.insp::numeric]) AS qa
  ) r;
END;
COMMENT ON FUNCTION appraisal.follow_up_measures(bigint, bigint, bigint, bigint, bigint, numeric, bigint, bigint, bigint, bigint) IS
  'The follow-up measures of one row of appraisal.follow_up_summaries (docs/rules.md, "Service levels" and "Complaint handling"): the call-back rate (resolved tickets called back within call_back_window, over the resolved ones less those whose window is still open) and whether it meets target_call_back_rate (90; NULL below min_tickets judged tickets); survey coverage (resolved tickets with a survey rating over resolved tickets); the QA score (exact mean of the inspections'' scores) and whether it meets target_service_quality (95; NULL without inspections); the CSAT with extreme ratings weighted by extreme_rating_weight, and that weight. Percentages and means exact, truncated to 2 decimals.';

-- Appeals (申诉): staff appeal a KPI result or a complaint's attribution,
-- the appraisal committee (appraisal_admin) decides; appeals and decisions
-- are insert-only histories, and only an upheld decision changes a score.
-- kpi_results no longer stands for appeals.
COMMENT ON TABLE appraisal.kpi_results IS
  'Measured KPI values per period and employee: manual KPIs, and values entered in place of a scorecard measure (say why in note). Appeals are not entered here: they are filed in appraisal.appeals and decided by the committee, and kpi_breakdown shows the measured value beside the appealed and decided ones.';
COMMENT ON COLUMN appraisal.kpi_results.note IS 'Where the value comes from, or why it replaces the scorecard''s.';

-- The tables of appeals and published results keep their history: no row
-- is changed or removed (DROP EXTENSION still drops them whole).
CREATE FUNCTION appraisal.refuse_history_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION '%.% keeps a history: its rows cannot be %', TG_TABLE_SCHEMA, TG_TABLE_NAME,
    CASE TG_OP WHEN 'UPDATE' THEN 'updated' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END
    USING ERRCODE = 'insufficient_privilege',
          HINT = TG_ARGV[0];
END
$$;
COMMENT ON FUNCTION appraisal.refuse_history_change() IS
  'Trigger of the history tables (appeals, appeal_decisions, publications, published_results): their rows are never updated, deleted or truncated. Argument: the hint saying how to record a change instead.';

CREATE TABLE appraisal.appeals (
  appeal_id      integer PRIMARY KEY CONSTRAINT "appeal number must be positive" CHECK (appeal_id > 0),
  employee_id    text NOT NULL CONSTRAINT "appealing employee must be a known employee" REFERENCES appraisal.employees,
  period         text CONSTRAINT "appealed period must be in appraisal.periods" REFERENCES appraisal.periods,
  kpi            text,
  measured_value numeric,
  appealed_value numeric,
  ticket_id      text CONSTRAINT "appealed ticket must be a known ticket" REFERENCES appraisal.tickets,
  measured_cause text,
  appealed_cause text,
  reason         text NOT NULL CONSTRAINT "an appeal must give its reason" CHECK (btrim(reason) <> ''),
  filed_by       text NOT NULL DEFAULT session_user,
  filed_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "an appeal is about a KPI result or about a ticket's attribution" CHECK (
       (kpi IS NOT NULL AND period IS NOT NULL AND appealed_value IS NOT NULL
        AND ticket_id IS NULL AND measured_cause IS NULL AND appealed_cause IS NULL)
    OR (ticket_id IS NOT NULL AND appealed_cause IS NOT NULL
        AND kpi IS NULL AND period IS NULL AND measured_value IS NULL AND appealed_value IS NULL)),
  CONSTRAINT "appeal values must be finite" CHECK (measured_value BETWEEN '-1e300' AND '1e300'
                                                  AND appealed_value BETWEEN '-1e300' AND '1e300'),
  CONSTRAINT "an appeal's causes are service or system" CHECK (measured_cause IN ('service', 'system')
                                                               AND appealed_cause IN ('service', 'system'))
);
COMMENT ON TABLE appraisal.appeals IS
  'Appeals filed (docs/rules.md, "Appeals and publication"): an employee''s KPI result in an appraised period (the value measured when filed and the value asked for) or a complaint ticket''s attribution (the cause measured and the cause asked for), with the reason. Filed with appraisal.file_appeal or appraisal.file_attribution_appeal; decided in appraisal.appeal_decisions. Never updated or deleted.';
COMMENT ON COLUMN appraisal.appeals.appeal_id IS 'Appeal number (1, 2, ... in the order filed).';
COMMENT ON COLUMN appraisal.appeals.employee_id IS 'Employee whose result is appealed (for an attribution appeal, the ticket''s agent).';
COMMENT ON COLUMN appraisal.appeals.period IS 'Appraised period of the KPI result; NULL for an attribution appeal.';
COMMENT ON COLUMN appraisal.appeals.kpi IS 'KPI appealed (appraisal.kpi_definitions of the employee''s position); NULL for an attribution appeal.';
COMMENT ON COLUMN appraisal.appeals.measured_value IS 'The KPI''s value when the appeal was filed (kpi_breakdown.measured_value: entered or measured, before any appeal); NULL when it had none.';
COMMENT ON COLUMN appraisal.appeals.appealed_value IS 'The value the employee asks for.';
COMMENT ON COLUMN appraisal.appeals.ticket_id IS 'Complaint ticket whose attribution is appealed; NULL for a KPI appeal.';
COMMENT ON COLUMN appraisal.appeals.measured_cause IS 'The ticket''s cause when the appeal was filed: service, system or NULL (not attributed).';
COMMENT ON COLUMN appraisal.appeals.appealed_cause IS 'The cause asked for: service or system.';
COMMENT ON COLUMN appraisal.appeals.reason IS 'Why the result is appealed.';
COMMENT ON COLUMN appraisal.appeals.filed_by IS 'Login (session_user) that filed the appeal.';
COMMENT ON COLUMN appraisal.appeals.filed_at IS 'When the appeal was filed.';
CREATE INDEX ON appraisal.appeals (employee_id, period, kpi);
CREATE INDEX ON appraisal.appeals (ticket_id);
CREATE TRIGGER keep_history BEFORE UPDATE OR DELETE ON appraisal.appeals
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_history_change('An appeal stays as filed: decide it with appraisal.decide_appeal (a new row of appraisal.appeal_decisions).');
CREATE TRIGGER keep_history_truncate BEFORE TRUNCATE ON appraisal.appeals
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_history_change('An appeal stays as filed: decide it with appraisal.decide_appeal (a new row of appraisal.appeal_decisions).');
GRANT SELECT ON appraisal.appeals TO appraisal_admin;

SELECT pg_catalog.pg_extension_config_dump('appraisal.appeals', '');

CREATE TABLE appraisal.appeal_decisions (
  appeal_id     integer NOT NULL CONSTRAINT "decided appeal must be filed" REFERENCES appraisal.appeals,
  decision_no   integer NOT NULL CONSTRAINT "decision number must be positive" CHECK (decision_no > 0),
  decision      text NOT NULL
                CONSTRAINT "decision must be pending, upheld or rejected" CHECK (decision IN ('pending', 'upheld', 'rejected')),
  decided_value numeric CONSTRAINT "decided value must be finite" CHECK (decided_value BETWEEN '-1e300' AND '1e300'),
  decided_cause text CONSTRAINT "decided cause must be service or system" CHECK (decided_cause IN ('service', 'system')),
  note          text,
  decided_by    text NOT NULL DEFAULT session_user,
  decided_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (appeal_id, decision_no),
  CONSTRAINT "an upheld decision states one value or cause decided, no other decision does"
    CHECK (num_nonnulls(decided_value, decided_cause) = CASE decision WHEN 'upheld' THEN 1 ELSE 0 END)
);
COMMENT ON TABLE appraisal.appeal_decisions IS
  'The appraisal committee''s decisions on appeals (docs/rules.md, "Appeals and publication"), recorded by appraisal.decide_appeal: an appeal decided again gets a new row, and the latest decision (highest decision_no) is in force; an appeal without one is pending. Only an upheld decision changes a score. Never updated or deleted.';
COMMENT ON COLUMN appraisal.appeal_decisions.appeal_id IS 'Appeal decided (appraisal.appeals).';
COMMENT ON COLUMN appraisal.appeal_decisions.decision_no IS 'Decision number within the appeal (1, 2, ...); the highest is in force.';
COMMENT ON COLUMN appraisal.appeal_decisions.decision IS 'pending (sent back for review), upheld or rejected.';
COMMENT ON COLUMN appraisal.appeal_decisions.decided_value IS 'The KPI value decided (upheld KPI appeals only): it replaces the measured value in kpi_breakdown.';
COMMENT ON COLUMN appraisal.appeal_decisions.decided_cause IS 'The cause decided (upheld attribution appeals only): set on the ticket.';
COMMENT ON COLUMN appraisal.appeal_decisions.note IS 'The committee''s reasons.';
COMMENT ON COLUMN appraisal.appeal_decisions.decided_by IS 'Login (session_user) that recorded the decision.';
COMMENT ON COLUMN appraisal.appeal_decisions.decided_at IS 'When the decision was recorded.';
CREATE TRIGGER keep_history BEFORE UPDATE OR DELETE ON appraisal.appeal_decisions
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_history_change('A decision stays as recorded: decide the appeal again with appraisal.decide_appeal (the latest decision is in force).');
CREATE TRIGGER keep_history_truncate BEFORE TRUNCATE ON appraisal.appeal_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_history_change('A decision stays as recorded: decide the appeal again with appraisal.decide_appeal (the latest decision is in force).');
GRANT SELECT ON appraisal.appeal_decisions TO appraisal_admin;

SELECT pg_catalog.pg_extension_config_dump('appraisal.appeal_decisions', '');

-- Each appeal with the decision in force, scoped and with their owner's
-- rights as the scorecards are (kpi_breakdown reads kpi_appeals).
CREATE VIEW appraisal.kpi_appeals WITH (security_invoker = false, security_barrier = true) AS
SELECT a.appeal_id, a.employee_id, e.name, e.team, a.period, a.kpi,
       a.measured_value, a.appealed_value, coalesce(d.decision, 'pending') AS status, d.decided_value,
       CASE WHEN d.decision = 'upheld' THEN d.decided_value ELSE a.measured_value END AS final_value,
       a.reason, a.filed_by, a.filed_at, coalesce(d.decision_no, 0) AS decisions, d.decided_by, d.decided_at, d.note
FROM appraisal.appeals a
JOIN appraisal.employees e ON e.employee_id = a.employee_id
LEFT JOIN LATERAL (SELECT x.* FROM appraisal.appeal_decisions x WHERE x.appeal_id = a.appeal_id
                   ORDER BY x.decision_no DESC LIMIT 1) d ON true
WHERE a.kpi IS NOT NULL AND appraisal.may_see(e.employee_id, e.team);
COMMENT ON VIEW appraisal.kpi_appeals IS
  'KPI appeals side by side (docs/rules.md, "Appeals and publication"): the value measured when filed, the value asked for, the decision in force (the latest; pending until one is recorded) and the final value: the decided value when upheld, else the measured one. The upheld appeal of a KPI (the latest filed, when several are) sets its value in kpi_breakdown. Scoped by appraisal.scorecard_access.';
COMMENT ON COLUMN appraisal.kpi_appeals.appeal_id IS 'Appeal number.';
COMMENT ON COLUMN appraisal.kpi_appeals.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.kpi_appeals.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.kpi_appeals.team IS 'Team.';
COMMENT ON COLUMN appraisal.kpi_appeals.period IS 'Appraised period.';
COMMENT ON COLUMN appraisal.kpi_appeals.kpi IS 'KPI appealed.';
COMMENT ON COLUMN appraisal.kpi_appeals.measured_value IS 'Value when the appeal was filed (entered or measured); NULL when it had none.';
COMMENT ON COLUMN appraisal.kpi_appeals.appealed_value IS 'Value asked for.';
COMMENT ON COLUMN appraisal.kpi_appeals.status IS 'The decision in force: pending, upheld or rejected.';
COMMENT ON COLUMN appraisal.kpi_appeals.decided_value IS 'Value decided (upheld only).';
COMMENT ON COLUMN appraisal.kpi_appeals.final_value IS 'The decided value when upheld, else the measured value.';
COMMENT ON COLUMN appraisal.kpi_appeals.reason IS 'Why the result was appealed.';
COMMENT ON COLUMN appraisal.kpi_appeals.filed_by IS 'Login that filed the appeal.';
COMMENT ON COLUMN appraisal.kpi_appeals.filed_at IS 'When it was filed.';
COMMENT ON COLUMN appraisal.kpi_appeals.decisions IS 'Decisions recorded so far (0: never decided).';
COMMENT ON COLUMN appraisal.kpi_appeals.decided_by IS 'Login that recorded the decision in force.';
COMMENT ON COLUMN appraisal.kpi_appeals.decided_at IS 'When the decision in force was recorded.';
COMMENT ON COLUMN appraisal.kpi_appeals.note IS 'The committee''s reasons for the decision in force.';
GRANT SELECT ON appraisal.kpi_appeals TO appraisal_admin;

CREATE VIEW appraisal.attribution_appeals WITH (security_invoker = false, security_barrier = true) AS
SELECT a.appeal_id, a.ticket_id, a.employee_id, e.name, e.team,
       a.measured_cause, a.appealed_cause, coalesce(d.decision, 'pending') AS status, d.decided_cause,
       CASE WHEN d.decision = 'upheld' THEN d.decided_cause ELSE a.measured_cause END AS final_cause,
       t.cause AS ticket_cause,
       a.reason, a.filed_by, a.filed_at, coalesce(d.decision_no, 0) AS decisions, d.decided_by, d.decided_at, d.note
FROM appraisal.appeals a
JOIN appraisal.employees e ON e.employee_id = a.employee_id
JOIN appraisal.tickets t ON t.ticket_id = a.ticket_id
LEFT JOIN LATERAL (SELECT x.* FROM appraisal.appeal_decisions x WHERE x.appeal_id = a.appeal_id
                   ORDER BY x.decision_no DESC LIMIT 1) d ON true
WHERE appraisal.may_see(e.employee_id, e.team);
COMMENT ON VIEW appraisal.attribution_appeals IS
  'Appeals of a complaint''s attribution side by side (docs/rules.md, "Appeals and publication"): the cause when filed, the cause asked for, the decision in force (the latest; pending until one is recorded), the final cause (decided when upheld, else the measured one) and the ticket''s cause now (an upheld decision sets it; the summaries count it from their next refresh). Scoped by appraisal.scorecard_access.';
COMMENT ON COLUMN appraisal.attribution_appeals.appeal_id IS 'Appeal number.';
COMMENT ON COLUMN appraisal.attribution_appeals.ticket_id IS 'Complaint ticket.';
COMMENT ON COLUMN appraisal.attribution_appeals.employee_id IS 'The ticket''s agent.';
COMMENT ON COLUMN appraisal.attribution_appeals.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.attribution_appeals.team IS 'Team.';
COMMENT ON COLUMN appraisal.attribution_appeals.measured_cause IS 'Cause when the appeal was filed: service, system or NULL (not attributed).';
COMMENT ON COLUMN appraisal.attribution_appeals.appealed_cause IS 'Cause asked for.';
COMMENT ON COLUMN appraisal.attribution_appeals.status IS 'The decision in force: pending, upheld or rejected.';
COMMENT ON COLUMN appraisal.attribution_appeals.decided_cause IS 'Cause decided (upheld only).';
COMMENT ON COLUMN appraisal.attribution_appeals.final_cause IS 'The decided cause when upheld, else the measured cause.';
COMMENT ON COLUMN appraisal.attribution_appeals.ticket_cause IS 'The ticket''s cause now (appraisal.tickets.cause).';
COMMENT ON COLUMN appraisal.attribution_appeals.reason IS 'Why the attribution was appealed.';
COMMENT ON COLUMN appraisal.attribution_appeals.filed_by IS 'Login that filed the appeal.';
COMMENT ON COLUMN appraisal.attribution_appeals.filed_at IS 'When it was filed.';
COMMENT ON COLUMN appraisal.attribution_appeals.decisions IS 'Decisions recorded so far (0: never decided).';
COMMENT ON COLUMN appraisal.attribution_appeals.decided_by IS 'Login that recorded the decision in force.';
COMMENT ON COLUMN appraisal.attribution_appeals.decided_at IS 'When the decision in force was recorded.';
COMMENT ON COLUMN appraisal.attribution_appeals.note IS 'The committee''s reasons for the decision in force.';
GRANT SELECT ON appraisal.attribution_appeals TO appraisal_admin;

-- Who files: the committee (appraisal_admin) for anyone; an employee for
-- themselves only, as the login that appraisal.scorecard_access scopes to
-- them (a row with grantee = the login and their employee_id), once
-- granted EXECUTE.  The login (session_user) counts, not a role SET to.
CREATE FUNCTION appraisal.check_appeal_filer(employee text) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'appraisal_admin', 'MEMBER')
     AND NOT EXISTS (SELECT 1 FROM appraisal.scorecard_access a
                     WHERE a.grantee = session_user AND a.employee_id = check_appeal_filer.employee) THEN
    RAISE EXCEPTION 'role "%" may not file an appeal for employee "%"', session_user, employee
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Staff file their own appeals, as the login appraisal.scorecard_access scopes to them (a row naming the login and the employee); the appraisal committee (members of appraisal_admin) files for anyone.';
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.check_appeal_filer(text) IS
  'Raises an error unless the login (session_user) may file an appeal for the employee: a member of appraisal_admin (the appraisal committee), or the employee themselves (a row of appraisal.scorecard_access with grantee = the login and this employee_id).';

CREATE FUNCTION appraisal.check_appeal_reason(reason text) RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF coalesce(btrim(reason), '') = '' THEN
    RAISE EXCEPTION 'an appeal must give its reason'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Say why the result is wrong: the committee decides on it.';
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.check_appeal_reason(text) IS
  'Raises an error when an appeal''s reason is missing or blank.';

-- Appeals are numbered 1, 2, ... in the order filed, under a lock that
-- makes concurrent filers wait for each other (readers are not blocked).
CREATE FUNCTION appraisal.file_appeal(employee_id text, period text, kpi text, appealed_value numeric, reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  pos text;
  appraised_kind text;
  kind text;
  measured numeric;
  open_appeal integer;
  id integer;
BEGIN
  SELECT e.position INTO pos FROM appraisal.employees e WHERE e.employee_id = file_appeal.employee_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'employee "%" is not in appraisal.employees', employee_id
      USING ERRCODE = 'foreign_key_violation', HINT = 'Appeal the result of a known employee.';
  END IF;
  PERFORM appraisal.check_appeal_filer(employee_id);
  appraised_kind := CASE pos WHEN 'manager' THEN 'year' ELSE 'quarter' END;
  SELECT p.kind INTO kind FROM appraisal.periods p WHERE p.period = file_appeal.period;
  IF NOT FOUND OR kind <> appraised_kind THEN
    RAISE EXCEPTION 'period "%" is not an appraised period of employee "%" (a %)', period, employee_id, pos
      USING ERRCODE = 'invalid_parameter_value',
            HINT = format('A %s is appraised by %s: name one of appraisal.periods of kind %s.',
                          pos, CASE pos WHEN 'manager' THEN 'year' ELSE 'quarter' END, appraised_kind);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM appraisal.kpi_definitions d WHERE d.position = pos AND d.kpi = file_appeal.kpi) THEN
    RAISE EXCEPTION 'KPI "%" is not defined for position %, the position of employee "%"', kpi, pos, employee_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Appeal one of the position''s KPIs: '
                   || coalesce((SELECT string_agg(format('"%s"', d.kpi), ', ' ORDER BY d.kpi)
                                FROM appraisal.kpi_definitions d WHERE d.position = pos), 'none is defined') || '.';
  END IF;
  IF appealed_value IS NULL OR NOT appealed_value BETWEEN '-1e300' AND '1e300' THEN
    RAISE EXCEPTION 'the value asked for KPI "%" must be a finite number, not %', kpi, coalesce(appealed_value::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Ask for a value in the unit of the KPI''s range.';
  END IF;
  PERFORM appraisal.check_appeal_reason(reason);
  LOCK TABLE appraisal.appeals IN SHARE ROW EXCLUSIVE MODE;
  SELECT k.appeal_id INTO open_appeal FROM appraisal.kpi_appeals k
  WHERE k.employee_id = file_appeal.employee_id AND k.period = file_appeal.period AND k.kpi = file_appeal.kpi
    AND k.status = 'pending';
  IF FOUND THEN
    RAISE EXCEPTION 'appeal % on KPI "%" of employee "%" in % is still pending', open_appeal, kpi, employee_id, period
      USING ERRCODE = 'unique_violation',
            HINT = 'The committee decides it first (appraisal.decide_appeal); a decided appeal may be followed by a new one.';
  END IF;
  -- the value before any appeal, as the appraisal shows it now
  SELECT b.measured_value INTO measured FROM appraisal.kpi_breakdown b
  WHERE b.employee_id = file_appeal.employee_id AND b.period = file_appeal.period AND b.kpi = file_appeal.kpi;
  SELECT coalesce(max(a.appeal_id), 0) + 1 INTO id FROM appraisal.appeals a;
  INSERT INTO appraisal.appeals (appeal_id, employee_id, period, kpi, measured_value, appealed_value, reason)
  VALUES (id, employee_id, period, kpi, measured, appealed_value, reason);
  RETURN id;
END
$$;
COMMENT ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) IS
  'Files an appeal of an employee''s KPI result in an appraised period (docs/rules.md, "Appeals and publication"): records the value kpi_breakdown measures now, the value asked for and the reason; returns the appeal number. One pending appeal per KPI and period at a time. Staff file their own (the login appraisal.scorecard_access scopes to the employee, granted EXECUTE), the committee (appraisal_admin) anyone''s. Runs as the extension''s owner.';
REVOKE ALL ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) TO appraisal_admin;

CREATE FUNCTION appraisal.file_attribution_appeal(ticket_id text, appealed_cause text, reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  t appraisal.tickets;
  open_appeal integer;
  id integer;
BEGIN
  SELECT * INTO t FROM appraisal.tickets x WHERE x.ticket_id = file_attribution_appeal.ticket_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ticket "%" is not in appraisal.tickets', ticket_id
      USING ERRCODE = 'foreign_key_violation', HINT = 'Appeal the attribution of a known complaint ticket.';
  END IF;
  PERFORM appraisal.check_appeal_filer(t.agent_id);
  IF NOT t.complaint THEN
    RAISE EXCEPTION 'ticket "%" is not a complaint: it has no attribution to appeal', ticket_id
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Only complaints have a cause (service or system).';
  END IF;
  IF appealed_cause IS NULL OR appealed_cause NOT IN ('service', 'system') OR appealed_cause IS NOT DISTINCT FROM t.cause THEN
    RAISE EXCEPTION 'cause "%" cannot be asked for ticket "%", attributed to %', appealed_cause, ticket_id, coalesce(t.cause, 'nothing yet')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Ask for service or system, other than the ticket''s cause now.';
  END IF;
  PERFORM appraisal.check_appeal_reason(reason);
  LOCK TABLE appraisal.appeals IN SHARE ROW EXCLUSIVE MODE;
  SELECT k.appeal_id INTO open_appeal FROM appraisal.attribution_appeals k
  WHERE k.ticket_id = file_attribution_appeal.ticket_id AND k.status = 'pending';
  IF FOUND THEN
    RAISE EXCEPTION 'appeal % on the attribution of ticket "%" is still pending', open_appeal, ticket_id
      USING ERRCODE = 'unique_violation',
            HINT = 'The committee decides it first (appraisal.decide_appeal); a decided appeal may be followed by a new one.';
  END IF;
  SELECT coalesce(max(a.appeal_id), 0) + 1 INTO id FROM appraisal.appeals a;
  INSERT INTO appraisal.appeals (appeal_id, employee_id, ticket_id, measured_cause, appealed_cause, reason)
  VALUES (id, t.agent_id, ticket_id, t.cause, appealed_cause, reason);
  RETURN id;
END
$$;
COMMENT ON FUNCTION appraisal.file_attribution_appeal(text, text, text) IS
  'Files an appeal of a complaint ticket''s attribution (e.g. service → system; docs/rules.md, "Appeals and publication"): records the ticket''s cause now, the cause asked for and the reason; returns the appeal number. One pending appeal per ticket at a time. The ticket''s agent files their own (as for file_appeal), the committee (appraisal_admin) anyone''s. Runs as the extension''s owner.';
REVOKE ALL ON FUNCTION appraisal.file_attribution_appeal(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.file_attribution_appeal(text, text, text) TO appraisal_admin;

-- A decision is a new row; for an attribution appeal the decision in force
-- is applied to the ticket at once: upheld sets the decided cause, a later
-- decision that is not upheld puts the cause measured at filing back.
CREATE FUNCTION appraisal.decide_appeal(appeal_id integer, decision text, decided_value numeric DEFAULT NULL,
                                        decided_cause text DEFAULT NULL, note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  a appraisal.appeals;
  previous text;
  n integer;
BEGIN
  SELECT * INTO a FROM appraisal.appeals x WHERE x.appeal_id = decide_appeal.appeal_id
    FOR UPDATE;   -- one decision at a time per appeal (a lock, no update)
  IF NOT FOUND THEN
    RAISE EXCEPTION 'appeal % does not exist', coalesce(appeal_id::text, 'NULL')
      USING ERRCODE = 'no_data_found', HINT = 'Appeals are numbered in appraisal.appeals (kpi_appeals, attribution_appeals).';
  END IF;
  IF decision IS NULL OR decision NOT IN ('pending', 'upheld', 'rejected') THEN
    RAISE EXCEPTION 'decision "%" on appeal % is not pending, upheld or rejected', decision, appeal_id
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Decide pending (back to review), upheld or rejected.';
  END IF;
  IF decision = 'upheld' AND a.kpi IS NOT NULL AND (decided_value IS NULL OR decided_cause IS NOT NULL) THEN
    RAISE EXCEPTION 'upholding appeal % (KPI "%") needs the value decided', appeal_id, a.kpi
      USING ERRCODE = 'invalid_parameter_value',
            HINT = format('Pass decided_value (asked for: %s); decided_cause is for attribution appeals.', a.appealed_value);
  END IF;
  IF decision = 'upheld' AND a.ticket_id IS NOT NULL AND (decided_cause IS NULL OR decided_value IS NOT NULL) THEN
    RAISE EXCEPTION 'upholding appeal % (attribution of ticket "%") needs the cause decided', appeal_id, a.ticket_id
      USING ERRCODE = 'invalid_parameter_value',
            HINT = format('Pass decided_cause (asked for: %s); decided_value is for KPI appeals.', a.appealed_cause);
  END IF;
  IF decision <> 'upheld' AND (decided_value IS NOT NULL OR decided_cause IS NOT NULL) THEN
    RAISE EXCEPTION 'a % decision on appeal % states no value or cause', decision, appeal_id
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Only an upheld decision changes a result: leave decided_value and decided_cause out.';
  END IF;
  IF EXISTS (SELECT 1 FROM appraisal.scorecard_access s WHERE s.grantee = session_user AND s.employee_id = a.employee_id) THEN
    RAISE EXCEPTION 'role "%" may not decide appeal %, an appeal of its own employee "%"', session_user, appeal_id, a.employee_id
      USING ERRCODE = 'insufficient_privilege', HINT = 'Another member of the appraisal committee decides it.';
  END IF;
  SELECT d.decision, d.decision_no INTO previous, n FROM appraisal.appeal_decisions d
  WHERE d.appeal_id = decide_appeal.appeal_id ORDER BY d.decision_no DESC LIMIT 1;
  n := coalesce(n, 0) + 1;
  INSERT INTO appraisal.appeal_decisions (appeal_id, decision_no, decision, decided_value, decided_cause, note)
  VALUES (appeal_id, n, decision, decided_value, decided_cause, note);
  IF a.ticket_id IS NOT NULL AND (decision = 'upheld' OR previous = 'upheld') THEN
    UPDATE appraisal.tickets t SET cause = CASE WHEN decision = 'upheld' THEN decided_cause ELSE a.measured_cause END
    WHERE t.ticket_id = a.ticket_id;
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION appraisal.decide_appeal(integer, text, numeric, text, text) IS
  'The appraisal committee''s decision on an appeal (docs/rules.md, "Appeals and publication"): pending, upheld (with the value decided for a KPI appeal, or the cause decided for an attribution appeal) or rejected, with a note; recorded as a new row of appraisal.appeal_decisions by the login deciding, the latest in force. An upheld attribution sets the ticket''s cause (counted by the summaries from their next refresh); a later decision that is not upheld puts the cause measured at filing back. Nobody decides an appeal of the employee appraisal.scorecard_access scopes them to. Returns the decision number. For members of appraisal_admin (runs as the extension''s owner).';
REVOKE ALL ON FUNCTION appraisal.decide_appeal(integer, text, numeric, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.decide_appeal(integer, text, numeric, text, text) TO appraisal_admin;

-- Published results: the committee freezes a period's results
-- (publish_results, with the views that read the scorecards' final form
-- after them); histories as the appeals.
CREATE TABLE appraisal.publications (
  period          text NOT NULL CONSTRAINT "published period must be in appraisal.periods" REFERENCES appraisal.periods,
  publication     integer NOT NULL CONSTRAINT "publication number must be positive" CHECK (publication > 0),
  published_by    text NOT NULL DEFAULT session_user,
  published_at    timestamptz NOT NULL DEFAULT now(),
  summaries_as_of timestamptz,
  PRIMARY KEY (period, publication)
);
COMMENT ON TABLE appraisal.publications IS
  'Each publication of a period''s results by the appraisal committee (appraisal.publish_results; docs/rules.md, "Appeals and publication"): the first is number 1, a republication the next number, with who published and when; the latest publication of a period is in force. Never updated or deleted.';
COMMENT ON COLUMN appraisal.publications.period IS 'Period published (appraisal.periods).';
COMMENT ON COLUMN appraisal.publications.publication IS 'Publication number within the period (1, 2, ...); the highest is in force.';
COMMENT ON COLUMN appraisal.publications.published_by IS 'Login (session_user) that published.';
COMMENT ON COLUMN appraisal.publications.published_at IS 'When the results were published.';
COMMENT ON COLUMN appraisal.publications.summaries_as_of IS 'The as_of of the materialized summaries the published results were computed from (their last refresh); NULL when they held no tickets.';
CREATE TRIGGER keep_history BEFORE UPDATE OR DELETE ON appraisal.publications
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_history_change('A publication stays as published: publish the period again with appraisal.publish_results (a new publication number).');
CREATE TRIGGER keep_history_truncate BEFORE TRUNCATE ON appraisal.publications
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_history_change('A publication stays as published: publish the period again with appraisal.publish_results (a new publication number).');
GRANT SELECT ON appraisal.publications TO appraisal_admin;

SELECT pg_catalog.pg_extension_config_dump('appraisal.publications', '');

CREATE TABLE appraisal.published_results (
  period            text NOT NULL,
  publication       integer NOT NULL,
  employee_id       text NOT NULL CONSTRAINT "published employee must be a known employee" REFERENCES appraisal.employees,
  name              text NOT NULL,
  team              text NOT NULL,
  position          text NOT NULL,
  kpis_defined      bigint,
  kpis_scored       bigint,
  points            numeric,
  grade             text,
  sufficient_data   boolean,
  excellent_streak  integer,
  failing_streak    integer,
  reserve_pool      boolean,
  repeated_failing  boolean,
  failing_in_window bigint,
  several_failing   boolean,
  coaching_needed   boolean,
  coaching_reason   text,
  on_probation      boolean,
  kpis              jsonb NOT NULL,
  PRIMARY KEY (period, publication, employee_id),
  CONSTRAINT "published results belong to a publication" FOREIGN KEY (period, publication) REFERENCES appraisal.publications
);
COMMENT ON TABLE appraisal.published_results IS
  'The rows of appraisal.overall_appraisal of a period as published (docs/rules.md, "Appeals and publication"), one per employee and publication, with the KPIs of appraisal.kpi_breakdown behind them: later data changes none of them (appraisal.published_differences lists where the live results now differ). Written by appraisal.publish_results; never updated or deleted.';
COMMENT ON COLUMN appraisal.published_results.period IS 'Period published.';
COMMENT ON COLUMN appraisal.published_results.publication IS 'Publication number (appraisal.publications).';
COMMENT ON COLUMN appraisal.published_results.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.published_results.name IS 'Employee name, as published.';
COMMENT ON COLUMN appraisal.published_results.team IS 'Team, as published.';
COMMENT ON COLUMN appraisal.published_results."position" IS 'Position, as published.';
COMMENT ON COLUMN appraisal.published_results.kpis_defined IS 'KPIs of the position (the evidence: overall_appraisal.kpis_defined).';
COMMENT ON COLUMN appraisal.published_results.kpis_scored IS 'KPIs with a value.';
COMMENT ON COLUMN appraisal.published_results.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.published_results.grade IS 'Grade band of the points, ''insufficient data'' or ''on probation''.';
COMMENT ON COLUMN appraisal.published_results.sufficient_data IS 'Whether every KPI had a value (and the period was not on probation).';
COMMENT ON COLUMN appraisal.published_results.excellent_streak IS 'Consecutive appraised periods graded in the best band, ending with this one.';
COMMENT ON COLUMN appraisal.published_results.failing_streak IS 'Consecutive appraised periods graded in the worst band, ending with this one.';
COMMENT ON COLUMN appraisal.published_results.reserve_pool IS 'Reserve-supervisor pool flag.';
COMMENT ON COLUMN appraisal.published_results.repeated_failing IS 'Repeated-failing flag (consecutive worst grades).';
COMMENT ON COLUMN appraisal.published_results.failing_in_window IS 'Worst grades among the last several_failing_window appraised periods.';
COMMENT ON COLUMN appraisal.published_results.several_failing IS 'Several-failing flag.';
COMMENT ON COLUMN appraisal.published_results.coaching_needed IS 'Training and coaching flag (one of the two lowest bands).';
COMMENT ON COLUMN appraisal.published_results.coaching_reason IS 'Why coaching is needed.';
COMMENT ON COLUMN appraisal.published_results.on_probation IS 'Whether the period ended in probation (not graded).';
COMMENT ON COLUMN appraisal.published_results.kpis IS 'The KPIs behind the points, as kpi_breakdown showed them: a JSON array, by KPI name, of objects with kpi, weight, value, value_from, points, measured_value, appeal_id, appeal_status and appealed_value.';
CREATE INDEX ON appraisal.published_results (employee_id);
CREATE TRIGGER keep_history BEFORE UPDATE OR DELETE ON appraisal.published_results
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_history_change('A published result stays as published: publish the period again with appraisal.publish_results (a new publication number).');
CREATE TRIGGER keep_history_truncate BEFORE TRUNCATE ON appraisal.published_results
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_history_change('A published result stays as published: publish the period again with appraisal.publish_results (a new publication number).');
GRANT SELECT ON appraisal.published_results TO appraisal_admin;

SELECT pg_catalog.pg_extension_config_dump('appraisal.published_results', '');

-- Importing a file with a report (issue 19): try_cast and input_error
-- (import.c), create_staging and import.  As in src/sql/61_import.sql.

CREATE FUNCTION appraisal.try_cast(value text, type_of anyelement) RETURNS anyelement
  AS 'MODULE_PATHNAME', 'try_cast' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.try_cast(text, anyelement) IS
  'value read as the type of type_of (pass a NULL of the type: try_cast(''2026-13-01'', NULL::date)), or NULL when it is not valid input for that type, instead of an error. STABLE: dates and times are read in the session''s DateStyle and TimeZone.';

CREATE FUNCTION appraisal.input_error(value text, type regtype) RETURNS text
  AS 'MODULE_PATHNAME', 'input_error' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.input_error(text, regtype) IS
  'NULL when value is valid input for type, else the error message its input function gives (e.g. input_error(''abc'', ''integer'') = ''invalid input syntax for type integer: "abc"'').';

-- The staging table: the target's columns as text, in the target's order,
-- and the line each row came from, numbered by an identity column as COPY
-- reads the file (from 2 when the file has a header line).  By default a
-- temporary table, the session's own: a loader needs no schema of their
-- own, nor any right on the extension's schema but using the target.  In a
-- schema named, an unlogged table: it holds a copy of a file, which a crash
-- may empty.
CREATE FUNCTION appraisal.create_staging(target regclass, staging text DEFAULT NULL, header boolean DEFAULT true)
RETURNS regclass
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  target_name text;
  name_parts text[];
  qualified text;
  rejects text;
  columns text;
BEGIN
  SELECT c.relname INTO target_name
  FROM pg_class c
  WHERE c.oid = target AND c.relnamespace = 'appraisal'::regnamespace AND c.relkind = 'r';
  IF NOT FOUND THEN
    RAISE EXCEPTION '% is not a table of the appraisal extension', target
      USING ERRCODE = 'wrong_object_type',
            HINT = 'Stage a file for one of the tables you load, e.g. appraisal.tickets.';
  END IF;
  name_parts := parse_ident(coalesce(staging, target_name || '_staging'));
  IF cardinality(name_parts) = 1 THEN   -- the session's own
    name_parts := ARRAY['pg_temp', name_parts[1]];
  END IF;
  qualified := format('%I.%I', name_parts[1], name_parts[2]);
  rejects := format('%I.%I', name_parts[1], name_parts[2] || '_rejects');
  SELECT string_agg(format('%I text', a.attname), ', ' ORDER BY a.attnum) INTO columns
  FROM pg_attribute a
  WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
  EXECUTE format('CREATE %s TABLE %s (%s, line bigint GENERATED BY DEFAULT AS IDENTITY (START WITH %s))',
                 CASE WHEN name_parts[1] = 'pg_temp' THEN 'TEMPORARY' ELSE 'UNLOGGED' END, qualified, columns, CASE WHEN header THEN 2 ELSE 1 END);
  EXECUTE format('COMMENT ON TABLE %s IS %L', qualified,
                 format('Rows of a file for %s, as text, read by appraisal.import(%L); line: where each came from (TRUNCATE it RESTART IDENTITY before loading the next file).', target, target));
  EXECUTE format('CREATE %s TABLE %s (line bigint NOT NULL, column_name text, value text, reason text NOT NULL)',
                 CASE WHEN name_parts[1] = 'pg_temp' THEN 'TEMPORARY' ELSE 'UNLOGGED' END, rejects);
  EXECUTE format('COMMENT ON TABLE %s IS %L', rejects,
                 format('The rules the rows of %s broke at its last appraisal.import: one row per rule and row.', qualified));
  RETURN qualified::regclass;
END
$$;
COMMENT ON FUNCTION appraisal.create_staging(regclass, text, boolean) IS
  'Creates, with the caller''s rights, a staging table for importing a file into target (a table of the appraisal extension): a table named staging (default <table>_staging: a temporary table, the session''s own; a name with a schema makes an unlogged table there) with every column of target as text, in target''s order, and line, numbered as COPY reads the rows (from 2 when header, the file''s header taking line 1); and beside it <staging>_rejects (line, column_name, value, reason), where appraisal.import reports the rules rows break. \copy the file into it naming the file''s columns, then call appraisal.import(target, staging). Returns the staging table.';

-- The import.  Every check is one set-based pass: the staging rows are read
-- once with each value through try_cast, joined (hash joins) to the keys of
-- the tables their foreign keys reference and to the keys repeated in the
-- file, and only the rows breaking some rule are expanded into one reject
-- row per rule broken.  The valid rows are then applied by one INSERT ...
-- ON CONFLICT, sorted by key (a sorted insert into the key's index is about
-- a third cheaper).  It runs with the caller's rights in the caller's
-- transaction: an error (a checking trigger the rules missed, a lock
-- timeout) applies nothing.
CREATE FUNCTION appraisal.import(target regclass, staging regclass DEFAULT NULL, all_or_nothing boolean DEFAULT false)
RETURNS TABLE (inserted bigint, updated bigint, unchanged bigint, rejected bigint, reasons bigint)
LANGUAGE plpgsql
-- the keys of a million-row file grouped and sorted in memory
SET work_mem = '256MB'
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  target_name text;
  rejects regclass;
  missing text;
  col record;
  con record;
  typed text[] := '{}';      -- the check pass: each column read with try_cast
  applied text[] := '{}';    -- the insert: each present column cast
  present text[] := '{}';    -- target columns the staging table has
  updatable text[] := '{}';  -- present columns outside the key
  key_cols text[];           -- the primary key's columns
  key_typed text[];
  key_names text[];          -- the same, unquoted
  joins text := '';
  outer_cols text[] := '{}'; -- beside the typed row: what the joins found
  conds text[] := '{}';      -- per rule: when a row breaks it
  rules text[] := '{}';      -- per rule: (column_name, value, reason) of its reject row
  self_refs text[] := '{}';  -- foreign keys of the table to itself: (fk columns, key columns, name)
  cols_of text[];
  ok_of text;
  value_of text;
  n bigint;
  total bigint;
  q text;
BEGIN
  SELECT c.relname INTO target_name
  FROM pg_class c
  WHERE c.oid = target AND c.relnamespace = 'appraisal'::regnamespace AND c.relkind = 'r';
  IF NOT FOUND THEN
    RAISE EXCEPTION '% is not a table of the appraisal extension', target
      USING ERRCODE = 'wrong_object_type',
            HINT = 'Import into one of the tables you load, e.g. appraisal.tickets.';
  END IF;
  IF staging IS NULL THEN
    staging := to_regclass(quote_ident(target_name || '_staging'));
    IF staging IS NULL THEN
      RAISE EXCEPTION 'no staging table "%" on the search path', target_name || '_staging'
        USING ERRCODE = 'undefined_table',
              HINT = format('Create it with appraisal.create_staging(%L) and \copy the file into it, or name yours.', target::text);
    END IF;
  END IF;
  SELECT to_regclass(format('%I.%I', n.nspname, c.relname || '_rejects')) INTO rejects
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = staging;
  IF rejects IS NULL THEN
    RAISE EXCEPTION 'staging table % has no rejects table beside it', staging
      USING ERRCODE = 'undefined_table',
            HINT = format('Create the staging table with appraisal.create_staging, which makes %s_rejects (line, column_name, value, reason) too.', staging);
  END IF;
  -- what the apply needs, said at once rather than after the checks
  SELECT string_agg(p, ', ') INTO missing
  FROM unnest(ARRAY['INSERT', 'UPDATE', 'SELECT']) p
  WHERE NOT has_table_privilege(target, p);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'permission denied to import into %: % needs %', target, current_user, missing
      USING ERRCODE = 'insufficient_privilege',
            HINT = format('An import inserts new rows and updates those whose key exists: the table''s owner can GRANT INSERT, UPDATE, SELECT ON %s TO %I (and SELECT on the tables its foreign keys reference).', target, current_user);
  END IF;
  SELECT string_agg(format('"%s"', a.attname), ', ') INTO missing
  FROM pg_attribute a
  WHERE a.attrelid = staging AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'line'
    AND NOT EXISTS (SELECT FROM pg_attribute t WHERE t.attrelid = target AND t.attname = a.attname
                    AND t.attnum > 0 AND NOT t.attisdropped AND t.attgenerated = '');
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'staging table % has columns that % does not have: %', staging, target, missing
      USING ERRCODE = 'undefined_column',
            HINT = 'Name the staging columns after the target''s (appraisal.create_staging makes them).';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = staging AND a.attname = 'line' AND a.atttypid = 'bigint'::regtype) THEN
    RAISE EXCEPTION 'staging table % has no bigint column "line"', staging
      USING ERRCODE = 'undefined_column',
            HINT = 'Create it with appraisal.create_staging, which numbers the rows as they are loaded.';
  END IF;

  -- The columns: read with try_cast for the checks; an empty (NULL) field
  -- takes the column's default, a column the file lacks likewise.
  FOR col IN
    SELECT a.attname AS name, a.attnum, format_type(a.atttypid, a.atttypmod) AS type,
           a.atttypid IN ('text'::regtype, 'character varying'::regtype) AS is_text, a.attnotnull,
           coalesce(pg_get_expr(d.adbin, d.adrelid), format('NULL::%s', format_type(a.atttypid, a.atttypmod))) AS dflt,
           EXISTS (SELECT FROM pg_attribute s WHERE s.attrelid = staging AND s.attname = a.attname AND NOT s.attisdropped) AS here
    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    ORDER BY a.attnum
  LOOP
    IF col.here THEN
      present := present || quote_ident(col.name);
      typed := typed || format('CASE WHEN s.%1$I IS NULL THEN %2$s ELSE %3$s END AS %1$I, s.%1$I AS %4$I',
                               col.name, col.dflt,
                               CASE WHEN col.is_text THEN format('s.%I', col.name)
                                    ELSE format('appraisal.try_cast(s.%I, NULL::%s)', col.name, col.type) END,
                               'raw ' || col.name);
      applied := applied || format('CASE WHEN s.%1$I IS NULL THEN %2$s ELSE s.%1$I::%3$s END', col.name, col.dflt, col.type);
      IF NOT col.is_text THEN
        conds := conds || format('(b.%1$I IS NOT NULL AND b.%2$I IS NULL)', 'raw ' || col.name, col.name);
        rules := rules || format('(%L, b.%I, CASE WHEN b.%I IS NOT NULL AND b.%I IS NULL THEN appraisal.input_error(b.%I, %L) END)',
                                 col.name, 'raw ' || col.name, 'raw ' || col.name, col.name, 'raw ' || col.name, col.type);
      END IF;
    ELSE
      typed := typed || format('%s AS %I, NULL::text AS %I', col.dflt, col.name, 'raw ' || col.name);
    END IF;
    IF col.attnotnull THEN
      conds := conds || format('(b.%1$I IS NULL AND b.%2$I IS NULL)', col.name, 'raw ' || col.name);
      rules := rules || format('(%L, NULL::text, CASE WHEN b.%I IS NULL AND b.%I IS NULL THEN %L END)',
                               col.name, col.name, 'raw ' || col.name, col.name || ' must not be empty');
    END IF;
  END LOOP;
  SELECT array_agg(quote_ident(a.attname) ORDER BY k.i) INTO key_cols
  FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, i)
  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
  WHERE c.conrelid = target AND c.contype = 'p';
  SELECT array_agg(a.attname::text ORDER BY k.i) INTO key_names
  FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, i)
  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
  WHERE c.conrelid = target AND c.contype = 'p';
  SELECT coalesce(array_agg(p), '{}') INTO updatable FROM unnest(present) p WHERE p <> ALL (coalesce(key_cols, '{}'));

  -- Each CHECK constraint, on the typed values, unless one of its columns
  -- is not valid input (that is reported already, and NULL would pass or
  -- fail the check by accident); each foreign key, against the referenced
  -- table (and the file itself, when the table references itself).
  FOR con IN
    SELECT c.conname, c.contype, pg_get_expr(c.conbin, c.conrelid) AS expr, c.confrelid,
           array_agg(a.attname ORDER BY k.i) AS cols,
           array_agg(fa.attname ORDER BY k.i) AS ref_cols,
           row_number() OVER (ORDER BY c.conname) AS nr
    FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, i)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    LEFT JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[k.i]
    WHERE c.conrelid = target AND c.contype IN ('c', 'f')
    GROUP BY c.oid, c.conname, c.contype, c.conbin, c.conrelid, c.confrelid
    ORDER BY c.conname
  LOOP
    SELECT string_agg(format('NOT (b.%I IS NOT NULL AND b.%I IS NULL)', 'raw ' || x, x), ' AND '),
           CASE WHEN count(*) = 1 THEN format('b.%I', 'raw ' || min(x))
                ELSE 'concat_ws('', '', ' || string_agg(format('%L || '' = '' || coalesce(quote_literal(coalesce(b.%I, b.%I::text)), ''empty'')', x, 'raw ' || x, x), ', ') || ')' END
      INTO ok_of, value_of
    FROM unnest(con.cols) x;
    IF con.contype = 'c' THEN
      conds := conds || format('(NOT coalesce((%s), true) AND %s)', con.expr, ok_of);
      rules := rules || format('(%L, %s, CASE WHEN NOT coalesce((%s), true) AND %s THEN %L END)',
                               array_to_string(con.cols, ', '), value_of, con.expr, ok_of, con.conname);
    ELSE
      joins := joins || format(' LEFT JOIN (SELECT %s, true AS present FROM ONLY %s%s) f%s ON %s',
        (SELECT string_agg(format('%I AS k%s', r, i), ', ') FROM unnest(con.ref_cols) WITH ORDINALITY r(r, i)),
        con.confrelid::regclass,
        CASE WHEN con.confrelid = target THEN   -- the keys of the file count too
          format(' UNION SELECT %s FROM %s s', (SELECT string_agg(CASE WHEN t.atttypid IN ('text'::regtype, 'character varying'::regtype)
                                                                      THEN format('s.%I', r)
                                                                      ELSE format('appraisal.try_cast(s.%I, NULL::%s)', r, format_type(t.atttypid, t.atttypmod)) END
                                                                 || ', true', ', ')
                                               FROM unnest(con.ref_cols) r JOIN pg_attribute t ON t.attrelid = target AND t.attname = r), staging)
        ELSE '' END,
        con.nr,
        (SELECT string_agg(format('f%s.k%s = t.%I', con.nr, i, x), ' AND ') FROM unnest(con.cols) WITH ORDINALITY x(x, i)));
      outer_cols := outer_cols || format('f%s.present AS %I', con.nr, 'fk ' || con.nr);
      cols_of := ARRAY(SELECT format('b.%I IS NOT NULL', x) FROM unnest(con.cols) x);
      conds := conds || format('(%s AND b.%I IS NULL AND %s)', array_to_string(cols_of, ' AND '), 'fk ' || con.nr, ok_of);
      rules := rules || format('(%L, %s, CASE WHEN %s AND b.%I IS NULL AND %s THEN %L END)',
                               array_to_string(con.cols, ', '), value_of, array_to_string(cols_of, ' AND '), 'fk ' || con.nr, ok_of, con.conname);
      IF con.confrelid = target THEN
        self_refs := self_refs || ARRAY[array_to_string(con.cols, ','), array_to_string(con.ref_cols, ','), con.conname];
      END IF;
    END IF;
  END LOOP;

  -- A key on two lines of the file: both are rejected (which one is right
  -- is for the user to say).
  IF key_cols IS NOT NULL THEN
    SELECT array_agg(CASE WHEN a.atttypid IN ('text'::regtype, 'character varying'::regtype) THEN format('s.%I', a.attname)
                          ELSE format('appraisal.try_cast(s.%I, NULL::%s)', a.attname, format_type(a.atttypid, a.atttypmod)) END
                     || format(' AS %I', a.attname) ORDER BY array_position(key_cols, quote_ident(a.attname)))
      INTO key_typed
    FROM pg_attribute a WHERE a.attrelid = target AND quote_ident(a.attname) = ANY (key_cols);
    joins := joins || format(' LEFT JOIN (SELECT %s, count(*) AS lines, min(s.line) AS first_line FROM %s s GROUP BY %s HAVING count(*) > 1) d ON %s',
                             array_to_string(key_typed, ', '), staging,
                             (SELECT string_agg(i::text, ', ') FROM generate_series(1, cardinality(key_cols)) i),
                             (SELECT string_agg(format('d.%1$s = t.%1$s', k), ' AND ') FROM unnest(key_cols) k));
    outer_cols := outer_cols || ARRAY['d.lines AS "key lines"', 'd.first_line AS "key first line"'];
    conds := conds || '(b."key lines" IS NOT NULL)'::text;
    rules := rules || format('(%L, %s, CASE WHEN b."key lines" IS NOT NULL THEN format(%L, b."key lines", b."key first line") END)',
                             array_to_string(key_cols, ', '),
                             (SELECT CASE WHEN count(*) = 1 THEN format('b.%I', 'raw ' || min(x)) ELSE
                                'concat_ws('', '', ' || string_agg(format('%L || '' = '' || coalesce(quote_literal(b.%I), ''empty'')', x, 'raw ' || x), ', ' ORDER BY i) || ')' END
                              FROM unnest(key_names) WITH ORDINALITY k(x, i)),
                             'the key is on %s lines of the file (first on line %s): a row may appear once');
  END IF;

  -- The rules of the checking triggers, which no constraint states.
  IF target = 'appraisal.kpi_results'::regclass THEN
    outer_cols := outer_cols || ARRAY[
      '(SELECT e.position FROM appraisal.employees e WHERE e.employee_id = t.employee_id) AS "position"',
      '(SELECT p.kind FROM appraisal.periods p WHERE p.period = t.period) AS "period kind"'];
    q := '(SELECT coalesce(k.cycle, c.cycle) FROM appraisal.kpi_definitions k JOIN appraisal.position_cycles c USING (position) WHERE k.position = b."position" AND k.kpi = b.kpi)';
    conds := conds || ARRAY[
      format('(b."position" IS NOT NULL AND %s IS NULL)', q),
      format('(b."period kind" <> %s)', q)];
    rules := rules || ARRAY[
      format('(''kpi'', b.kpi, CASE WHEN b."position" IS NOT NULL AND %s IS NULL THEN format(''KPI is not defined for position %%s, the position of employee %%s'', b."position", b.employee_id) END)', q),
      format('(''period'', b.period, CASE WHEN b."period kind" <> %1$s THEN format(''the KPI is measured per %%s, but the period is a %%s'', %1$s, b."period kind") END)', q)];
  END IF;

  EXECUTE format('DELETE FROM %s', rejects);
  q := format('INSERT INTO %s (line, column_name, value, reason) '
                 'SELECT b.line, r."reject column", r."reject value", r."reject reason" '
                 'FROM (SELECT t.*%s FROM (SELECT s.line, %s FROM %s s OFFSET 0) t%s) b '
                 'CROSS JOIN LATERAL (VALUES %s) r("reject column", "reject value", "reject reason") '
                 'WHERE (%s) AND r."reject reason" IS NOT NULL',
                 rejects,
                 (SELECT string_agg(', ' || o, '') FROM unnest(outer_cols) o), array_to_string(typed, ', '), staging, joins,
                 array_to_string(rules, ', '),
                 array_to_string(conds, ' OR '));
  RAISE DEBUG 'appraisal.import checks: %', q;
  EXECUTE q;

  -- A row referring to a key of the file whose every row is rejected is
  -- rejected too, and so on down the chain (a few rounds at most: one per
  -- level of, say, the management chain).
  FOR i IN 1 .. cardinality(self_refs) / 3 LOOP
    LOOP
      EXECUTE format('INSERT INTO %1$s (line, column_name, value, reason) '
                     'SELECT s.line, %2$L, %3$s, %4$L || '' (its row in the file is rejected)'' '
                     'FROM %5$s s '
                     'WHERE %6$s AND NOT EXISTS (SELECT FROM ONLY %7$s x WHERE %8$s) '
                     'AND NOT EXISTS (SELECT FROM %5$s u WHERE %9$s AND u.line NOT IN (SELECT line FROM %1$s)) '
                     'AND NOT EXISTS (SELECT FROM %1$s r WHERE r.line = s.line AND r.reason LIKE %10$L)',
                     rejects, replace(self_refs[3 * i - 2], ',', ', '),
                     (SELECT CASE WHEN count(*) = 1 THEN format('s.%I', min(c)) ELSE 'concat_ws('', '', ' || string_agg(format('s.%I', c), ', ') || ')' END
                      FROM unnest(string_to_array(self_refs[3 * i - 2], ',')) c),
                     self_refs[3 * i], staging,
                     (SELECT string_agg(format('s.%I IS NOT NULL', c), ' AND ') FROM unnest(string_to_array(self_refs[3 * i - 2], ',')) c),
                     target,
                     (SELECT string_agg(format('x.%I::text = s.%I', k, c), ' AND ')
                      FROM unnest(string_to_array(self_refs[3 * i - 2], ','), string_to_array(self_refs[3 * i - 1], ',')) z(c, k)),
                     (SELECT string_agg(format('u.%I = s.%I', k, c), ' AND ')
                      FROM unnest(string_to_array(self_refs[3 * i - 2], ','), string_to_array(self_refs[3 * i - 1], ',')) z(c, k)),
                     self_refs[3 * i] || '%');
      GET DIAGNOSTICS n = ROW_COUNT;
      EXIT WHEN n = 0;
    END LOOP;
  END LOOP;

  EXECUTE format('SELECT count(*), count(DISTINCT r.line) FROM %s r', rejects) INTO reasons, rejected;
  EXECUTE format('SELECT count(*) FROM %s', staging) INTO total;
  inserted := 0;
  updated := 0;
  IF rejected = 0 OR NOT all_or_nothing THEN
    q := format('WITH applied AS (INSERT INTO %1$s AS d (%2$s) SELECT %3$s FROM %4$s s WHERE s.line NOT IN (SELECT r.line FROM %5$s r)%6$s RETURNING d.xmax = 0 AS fresh) '
                   'SELECT count(*) FILTER (WHERE fresh), count(*) FILTER (WHERE NOT fresh) FROM applied',
                   target, array_to_string(present, ', '), array_to_string(applied, ', '), staging, rejects,
                   CASE WHEN key_cols IS NULL THEN ''
                        ELSE format(' ORDER BY %s ON CONFLICT (%s) DO %s', array_to_string(key_cols, ', '), array_to_string(key_cols, ', '),
                                    CASE WHEN cardinality(updatable) = 0 THEN 'NOTHING'
                                         ELSE format('UPDATE SET (%1$s) = ROW(%2$s) WHERE (%3$s) IS DISTINCT FROM (%2$s)',
                                                     array_to_string(updatable, ', '),
                                                     (SELECT string_agg('EXCLUDED.' || u, ', ') FROM unnest(updatable) u),
                                                     (SELECT string_agg('d.' || u, ', ') FROM unnest(updatable) u)) END) END);
    RAISE DEBUG 'appraisal.import applies: %', q;
    EXECUTE q INTO inserted, updated;
  END IF;
  unchanged := CASE WHEN rejected = 0 OR NOT all_or_nothing THEN total - rejected - inserted - updated ELSE 0 END;
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION appraisal.import(regclass, regclass, boolean) IS
  'Imports the rows of a staging table (appraisal.create_staging) into target, a table of the appraisal extension, with the caller''s rights, in the caller''s transaction. Checks every row against every rule target enforces: each value valid input for its column''s type, required columns given (an empty field takes the column''s default), each CHECK constraint, each foreign key (against the referenced table, and for a table referring to itself the rows of the same file, a row referring to a rejected one rejected too), a key on one line only, and the rules of target''s checking triggers (kpi_results: the KPI defined for the employee''s position, the period of its cycle). Each rule a row breaks is a row of <staging>_rejects (line, column_name, value, reason: the constraint''s name or the input error, in plain words), emptied first. Then applies the valid rows in one statement: inserted where the key is new, updated where it exists and differs (unchanged where equal), unless all_or_nothing and a row is rejected, which applies none. The staging rows are left as they are. Returns the counts of rows inserted, updated and unchanged, of rows rejected and of reasons. Needs INSERT, UPDATE and SELECT on target and SELECT on the tables its foreign keys reference.';

-- The scorecards, each in its final 0.5 form, once, in the order they
-- depend on one another: scoped by scorecard_access with their owner's
-- rights as security barriers, pooled through pooled_summaries, with the
-- 360 groups suppressed below their thresholds, the targets, and the
-- several-failing, coaching and probation columns of overall_appraisal.
-- (CREATE OR REPLACE keeps their grants and their users' dependent views.)
CREATE OR REPLACE VIEW appraisal.agent_scorecard WITH (security_invoker = false, security_barrier = true) AS
SELECT r.agent_id AS employee_id, r.name, r.team, r.position,
       p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       m.tickets, m.first_response_met, m.first_response_breached, m.first_response_pending,
       m.first_response_compliance, m.resolution_met, m.resolution_breached, m.resolution_pending,
       m.resolution_compliance, m.mean_resolution_hours, m.resolved, m.first_contact_resolved, m.fcr,
       m.recurred, m.recurrence_rate, m.responses, m.satisfied, m.csat, m.complaints, m.service_complaints,
       m.system_complaints, m.unattributed_complaints, m.composite_points,
       -- probationers are outside the appraisal: listed, never graded or flagged
       CASE WHEN r.on_probation THEN 'on probation' ELSE m.composite_grade END AS composite_grade,
       CASE WHEN NOT r.on_probation THEN m.training_needed END AS training_needed,
       m.sufficient_data, r.as_of,
       tg.resolution_accuracy,
       CASE WHEN NOT r.on_probation THEN tg.meets_first_response_target END AS meets_first_response_target,
       CASE WHEN NOT r.on_probation THEN tg.first_response_points_below_target END AS first_response_points_below_target,
       CASE WHEN NOT r.on_probation THEN tg.meets_csat_target END AS meets_csat_target,
       CASE WHEN NOT r.on_probation THEN tg.meets_resolution_accuracy_target END AS meets_resolution_accuracy_target,
       cm.*,
       fu.called_back, fu.call_back_pending, fu.call_back_rate,
       CASE WHEN NOT r.on_probation THEN fu.meets_call_back_target END AS meets_call_back_target,
       fu.surveyed, fu.survey_coverage, fu.qa_sampled, fu.qa_score,
       CASE WHEN NOT r.on_probation THEN fu.meets_service_quality_target END AS meets_service_quality_target,
       fu.csat_extreme_weighted, fu.extreme_rating_weight,
       r.on_probation, r.high_satisfaction
FROM (   -- the high-satisfaction place is the team's ranking, taken before may_see hides any of it
  SELECT s.*, e.name, e.team, e.position, pr.on_probation,
         CASE WHEN pr.ranked THEN
           rank() OVER ranking <= ceil(count(*) OVER team_period * h.share / 100)
         END AS high_satisfaction
  FROM appraisal.agent_summaries s
  JOIN appraisal.employees e ON e.employee_id = s.agent_id
  JOIN appraisal.periods q ON q.period = s.period
  CROSS JOIN appraisal.scorecard_parameters() prm
  CROSS JOIN (SELECT value::numeric AS share FROM appraisal.current_settings WHERE name = 'high_satisfaction_share') h
  -- on probation: the period ends on or before the probation's last day (as overall_appraisal reads it)
  CROSS JOIN LATERAL (SELECT coalesce(e.probation_ends_on >= q.ends_on, false) AS on_probation) o
  CROSS JOIN LATERAL (SELECT o.on_probation, NOT o.on_probation AND s.responses >= prm.min_responses AS ranked) pr
  WINDOW team_period AS (PARTITION BY e.team, s.period, pr.ranked),
         ranking AS (team_period ORDER BY appraisal.share_percent(s.satisfied, s.responses) DESC)
) r
JOIN appraisal.periods p ON p.period = r.period
CROSS JOIN LATERAL appraisal.service_measures(r.tickets, r.first_response, r.resolution, r.fcr, r.responses, r.satisfied,
                                              r.complaints, r.service_complaints, r.system_complaints) m
CROSS JOIN LATERAL appraisal.service_targets(m.first_response_compliance, m.csat, m.resolved, m.recurred, m.sufficient_data) tg
CROSS JOIN LATERAL appraisal.complaint_measures(r.tickets, r.service_complaints, r.system_complaints,
                                                r.system_first_responses_excluded, r.complaint_handling) cm
LEFT JOIN appraisal.follow_up_summaries f ON f.pooling = 'agent' AND f.pool_id = r.agent_id AND f.period = r.period
CROSS JOIN LATERAL appraisal.follow_up_measures(f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections,
                                                f.inspection_score_sum, f.extreme_responses, f.extreme_satisfied,
                                                f.other_responses, f.other_satisfied) fu
WHERE appraisal.may_see(r.agent_id, r.team);
COMMENT ON VIEW appraisal.agent_scorecard IS
  'Service scorecard per agent and period (every period of appraisal.periods in which the agent had tickets): SLA compliance, FCR, recurrence, CSAT, complaints by attribution, and the closed-loop complaint composite (docs/rules.md, "Complaint handling") with grade and training flag, the targets, the follow-up measures and the high-satisfaction flag; a probationer''s rows are listed (on_probation) but never graded or flagged (docs/rules.md, "Appraisal periods and results"). Read from the materialized summaries as of their last refresh.';
COMMENT ON COLUMN appraisal.agent_scorecard.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.agent_scorecard.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.agent_scorecard.team IS 'Team.';
COMMENT ON COLUMN appraisal.agent_scorecard."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.agent_scorecard.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.agent_scorecard.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.agent_scorecard.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.agent_scorecard.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.agent_scorecard.tickets IS 'Tickets opened in the period.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_met IS 'Tickets answered by their first-response due time.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_breached IS 'Tickets answered late, or unanswered past their due time at the refresh.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_pending IS 'Tickets unanswered but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_compliance IS 'First-response SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_met IS 'Tickets resolved by their resolution due time.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_breached IS 'Tickets resolved late, or unresolved past their due time at the refresh.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_pending IS 'Tickets unresolved but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_compliance IS 'Resolution SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.mean_resolution_hours IS 'Mean business hours (pauses excluded) from opening to resolution of the resolved tickets, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolved IS 'Tickets resolved (by the refresh).';
COMMENT ON COLUMN appraisal.agent_scorecard.first_contact_resolved IS 'Resolved tickets resolved on the first contact and not recurred.';
COMMENT ON COLUMN appraisal.agent_scorecard.fcr IS 'First contact resolution, percent: first_contact_resolved / resolved.';
COMMENT ON COLUMN appraisal.agent_scorecard.recurred IS 'Resolved tickets whose customer came back in the same category within the repeat window.';
COMMENT ON COLUMN appraisal.agent_scorecard.recurrence_rate IS 'Recurrence rate, percent: recurred / resolved.';
COMMENT ON COLUMN appraisal.agent_scorecard.responses IS 'Survey responses counted (one per ticket: web, else call-back, else SMS).';
COMMENT ON COLUMN appraisal.agent_scorecard.satisfied IS 'Responses with one of the two top ratings (4 or 5 of 5).';
COMMENT ON COLUMN appraisal.agent_scorecard.csat IS 'CSAT, percent: satisfied / responses.';
COMMENT ON COLUMN appraisal.agent_scorecard.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.agent_scorecard.service_complaints IS 'Service-caused complaints: count against the agent.';
COMMENT ON COLUMN appraisal.agent_scorecard.system_complaints IS 'System-caused complaints (company policy or system): never count against the agent.';
COMMENT ON COLUMN appraisal.agent_scorecard.unattributed_complaints IS 'Complaints not yet attributed to service or system.';
COMMENT ON COLUMN appraisal.agent_scorecard.composite_points IS 'Closed-loop complaint composite in points: weight_first_response (40) x first-response compliance + weight_resolution (30) x resolution compliance + weight_satisfaction (30) x CSAT, over the weights, exact and truncated to 2 decimals; NULL when a part has no evidence.';
COMMENT ON COLUMN appraisal.agent_scorecard.composite_grade IS 'Grade band of composite_points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.agent_scorecard.training_needed IS 'Communication-skills training flag: first-response compliance below training_threshold (80 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.agent_scorecard.as_of IS 'When the summaries were computed (the last refresh); SLA pending and overdue are as of then.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_accuracy IS 'Resolution accuracy, percent: resolved tickets that did not recur / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_first_response_target IS 'First-response compliance at or above target_first_response (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_points_below_target IS 'Points of first-response compliance below target_first_response (each affects the bonus); 0 when met; NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_csat_target IS 'CSAT at or above target_csat (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_resolution_accuracy_target IS 'Resolution accuracy at or above target_resolution_accuracy (98 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.complaint_rate IS 'Service complaint rate: service-caused complaints per 100 tickets, truncated to 2 decimals (docs/rules.md, "Complaint handling": attribution).';
COMMENT ON COLUMN appraisal.agent_scorecard.complaints_handled_in_time IS 'Service-caused complaints closed within their resolution target.';
COMMENT ON COLUMN appraisal.agent_scorecard.complaints_handled_late IS 'Service-caused complaints closed late, or open past their target at the refresh.';
COMMENT ON COLUMN appraisal.agent_scorecard.complaint_handling_rate IS 'Complaint-handling rate, percent: service-caused complaints closed within their target / those judged (open ones not yet due are not), truncated to 2 decimals; NULL without one.';
COMMENT ON COLUMN appraisal.agent_scorecard.excluded_tickets IS 'Tickets left out of the measures as not the agent''s: system-caused complaints (company policy or system), never in resolution, FCR, recurrence, satisfaction or the composite.';
COMMENT ON COLUMN appraisal.agent_scorecard.excluded_reason IS 'Why excluded_tickets were left out, and whether their first response counted (setting system_complaints_first_response); NULL when none was.';
COMMENT ON COLUMN appraisal.agent_scorecard.called_back IS 'Resolved tickets called back within call_back_window (7 days) after their resolution, its end included: a call-back in appraisal.call_backs or a survey response from a call-back.';
COMMENT ON COLUMN appraisal.agent_scorecard.call_back_pending IS 'Resolved tickets not called back yet whose call-back window was still open at the refresh: left out of the call-back rate.';
COMMENT ON COLUMN appraisal.agent_scorecard.call_back_rate IS 'Call-back rate (回访率), percent: called_back / (resolved - call_back_pending), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_call_back_target IS 'Call-back rate at or above target_call_back_rate (90 %); NULL with fewer than min_tickets resolved tickets judged.';
COMMENT ON COLUMN appraisal.agent_scorecard.surveyed IS 'Resolved tickets with at least one survey response.';
COMMENT ON COLUMN appraisal.agent_scorecard.survey_coverage IS 'Survey coverage, percent: surveyed / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.qa_sampled IS 'Internal quality inspections (内部质检) of the tickets opened in the period: each one a sample.';
COMMENT ON COLUMN appraisal.agent_scorecard.qa_score IS 'QA score: the exact mean of the inspections'' scores (0-100), truncated to 2 decimals; NULL without inspections.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_service_quality_target IS 'QA score at or above target_service_quality (95); NULL without inspections.';
COMMENT ON COLUMN appraisal.agent_scorecard.csat_extreme_weighted IS 'CSAT, percent, with the extreme ratings (1 or the top of the scale) weighted by extreme_rating_weight and the others by 1: the satisfied weight over the responses'' weight, truncated to 2 decimals; equals csat at the default weight 1.';
COMMENT ON COLUMN appraisal.agent_scorecard.extreme_rating_weight IS 'The setting extreme_rating_weight the extreme-weighted CSAT was computed with (1: plain).';
COMMENT ON COLUMN appraisal.agent_scorecard.on_probation IS 'The agent was on probation at the end of the period (employees.probation_ends_on): outside the appraisal, so composite_grade is ''on probation'' and training_needed, high_satisfaction and the meets_*_target verdicts are NULL; the measures are shown.';
COMMENT ON COLUMN appraisal.agent_scorecard.high_satisfaction IS 'High-satisfaction flag for the share-your-practice programme: CSAT (as shown) among the top high_satisfaction_share percent (20) of the team''s agents in the period with min_responses responses and not on probation, places rounded up, ties sharing a place; NULL for an agent not ranked (too few responses, or on probation).';
CREATE OR REPLACE VIEW appraisal.team_scorecard WITH (security_invoker = false, security_barrier = true) AS
SELECT t.pool_id AS team, p.period, p.kind AS period_kind, p.starts_on, p.ends_on, t.agents,
       m.*, t.as_of, tg.*, cm.*, fu.*
FROM appraisal.pooled_summaries t
JOIN appraisal.periods p ON p.period = t.period
CROSS JOIN LATERAL appraisal.service_measures(t.tickets, t.first_response, t.resolution, t.fcr, t.responses, t.satisfied,
                                              t.complaints, t.service_complaints, t.system_complaints) m
CROSS JOIN LATERAL appraisal.service_targets(m.first_response_compliance, m.csat, m.resolved, m.recurred, m.sufficient_data) tg
CROSS JOIN LATERAL appraisal.complaint_measures(t.tickets, t.service_complaints, t.system_complaints,
                                                t.system_first_responses_excluded, t.complaint_handling) cm
LEFT JOIN appraisal.follow_up_summaries f ON f.pooling = 'team' AND f.pool_id = t.pool_id AND f.period = t.period
CROSS JOIN LATERAL appraisal.follow_up_measures(f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections,
                                                f.inspection_score_sum, f.extreme_responses, f.extreme_satisfied,
                                                f.other_responses, f.other_satisfied) fu
WHERE t.pooling = 'team' AND appraisal.may_see(NULL, t.pool_id);
COMMENT ON VIEW appraisal.team_scorecard IS
  'Service scorecard per team and period: the counts of the team''s agents pooled (appraisal.pooled_summaries), so that rates are ratios of team totals, never averages of the agents'' rates. Same measures as appraisal.agent_scorecard.';
COMMENT ON COLUMN appraisal.team_scorecard.team IS 'Team.';
COMMENT ON COLUMN appraisal.team_scorecard.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.team_scorecard.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.team_scorecard.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.team_scorecard.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.team_scorecard.agents IS 'Agents of the team with tickets in the period.';
COMMENT ON COLUMN appraisal.team_scorecard.tickets IS 'Tickets opened in the period.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_met IS 'Tickets answered by their first-response due time.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_breached IS 'Tickets answered late, or unanswered past their due time at the refresh.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_pending IS 'Tickets unanswered but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_compliance IS 'First-response SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_met IS 'Tickets resolved by their resolution due time.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_breached IS 'Tickets resolved late, or unresolved past their due time at the refresh.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_pending IS 'Tickets unresolved but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_compliance IS 'Resolution SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.mean_resolution_hours IS 'Mean business hours (pauses excluded) from opening to resolution of the resolved tickets, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.resolved IS 'Tickets resolved (by the refresh).';
COMMENT ON COLUMN appraisal.team_scorecard.first_contact_resolved IS 'Resolved tickets resolved on the first contact and not recurred.';
COMMENT ON COLUMN appraisal.team_scorecard.fcr IS 'First contact resolution, percent: first_contact_resolved / resolved.';
COMMENT ON COLUMN appraisal.team_scorecard.recurred IS 'Resolved tickets whose customer came back in the same category within the repeat window.';
COMMENT ON COLUMN appraisal.team_scorecard.recurrence_rate IS 'Recurrence rate, percent: recurred / resolved.';
COMMENT ON COLUMN appraisal.team_scorecard.responses IS 'Survey responses counted (one per ticket: web, else call-back, else SMS).';
COMMENT ON COLUMN appraisal.team_scorecard.satisfied IS 'Responses with one of the two top ratings (4 or 5 of 5).';
COMMENT ON COLUMN appraisal.team_scorecard.csat IS 'CSAT, percent: satisfied / responses.';
COMMENT ON COLUMN appraisal.team_scorecard.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.team_scorecard.service_complaints IS 'Service-caused complaints: count against the agent.';
COMMENT ON COLUMN appraisal.team_scorecard.system_complaints IS 'System-caused complaints (company policy or system): never count against the agent.';
COMMENT ON COLUMN appraisal.team_scorecard.unattributed_complaints IS 'Complaints not yet attributed to service or system.';
COMMENT ON COLUMN appraisal.team_scorecard.composite_points IS 'Closed-loop complaint composite in points: weight_first_response (40) x first-response compliance + weight_resolution (30) x resolution compliance + weight_satisfaction (30) x CSAT, over the weights, exact and truncated to 2 decimals; NULL when a part has no evidence.';
COMMENT ON COLUMN appraisal.team_scorecard.composite_grade IS 'Grade band of composite_points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.team_scorecard.training_needed IS 'Communication-skills training flag: first-response compliance below training_threshold (80 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.team_scorecard.as_of IS 'When the summaries were computed (the last refresh); SLA pending and overdue are as of then.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_accuracy IS 'Resolution accuracy, percent: resolved tickets that did not recur / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_first_response_target IS 'First-response compliance at or above target_first_response (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_points_below_target IS 'Points of first-response compliance below target_first_response (each affects the bonus); 0 when met; NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_csat_target IS 'CSAT at or above target_csat (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_resolution_accuracy_target IS 'Resolution accuracy at or above target_resolution_accuracy (98 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.complaint_rate IS 'Service complaint rate: service-caused complaints per 100 tickets, truncated to 2 decimals (docs/rules.md, "Complaint handling": attribution).';
COMMENT ON COLUMN appraisal.team_scorecard.complaints_handled_in_time IS 'Service-caused complaints closed within their resolution target.';
COMMENT ON COLUMN appraisal.team_scorecard.complaints_handled_late IS 'Service-caused complaints closed late, or open past their target at the refresh.';
COMMENT ON COLUMN appraisal.team_scorecard.complaint_handling_rate IS 'Complaint-handling rate, percent: service-caused complaints closed within their target / those judged (open ones not yet due are not), truncated to 2 decimals; NULL without one.';
COMMENT ON COLUMN appraisal.team_scorecard.excluded_tickets IS 'Tickets left out of the measures as not the agent''s: system-caused complaints (company policy or system), never in resolution, FCR, recurrence, satisfaction or the composite.';
COMMENT ON COLUMN appraisal.team_scorecard.excluded_reason IS 'Why excluded_tickets were left out, and whether their first response counted (setting system_complaints_first_response); NULL when none was.';
COMMENT ON COLUMN appraisal.team_scorecard.called_back IS 'Resolved tickets called back within call_back_window (7 days) after their resolution, its end included: a call-back in appraisal.call_backs or a survey response from a call-back.';
COMMENT ON COLUMN appraisal.team_scorecard.call_back_pending IS 'Resolved tickets not called back yet whose call-back window was still open at the refresh: left out of the call-back rate.';
COMMENT ON COLUMN appraisal.team_scorecard.call_back_rate IS 'Call-back rate (回访率), percent: called_back / (resolved - call_back_pending), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_call_back_target IS 'Call-back rate at or above target_call_back_rate (90 %); NULL with fewer than min_tickets resolved tickets judged.';
COMMENT ON COLUMN appraisal.team_scorecard.surveyed IS 'Resolved tickets with at least one survey response.';
COMMENT ON COLUMN appraisal.team_scorecard.survey_coverage IS 'Survey coverage, percent: surveyed / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.qa_sampled IS 'Internal quality inspections (内部质检) of the tickets opened in the period: each one a sample.';
COMMENT ON COLUMN appraisal.team_scorecard.qa_score IS 'QA score: the exact mean of the inspections'' scores (0-100), truncated to 2 decimals; NULL without inspections.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_service_quality_target IS 'QA score at or above target_service_quality (95); NULL without inspections.';
COMMENT ON COLUMN appraisal.team_scorecard.csat_extreme_weighted IS 'CSAT, percent, with the extreme ratings (1 or the top of the scale) weighted by extreme_rating_weight and the others by 1: the satisfied weight over the responses'' weight, truncated to 2 decimals; equals csat at the default weight 1.';
COMMENT ON COLUMN appraisal.team_scorecard.extreme_rating_weight IS 'The setting extreme_rating_weight the extreme-weighted CSAT was computed with (1: plain).';
CREATE OR REPLACE VIEW appraisal.scorecard_360 WITH (security_invoker = false, security_barrier = true) AS
SELECT e.employee_id, e.name, e.team, e.position, p.period, p.kind AS period_kind,
       (x.g -> 'superior' ->> 'raters')::bigint AS superior_raters,
       trunc((x.g -> 'superior' ->> 'mean')::numeric, 2) AS superior_mean,
       (x.g -> 'peer' ->> 'raters')::bigint AS peer_raters,
       trunc((x.g -> 'peer' ->> 'mean')::numeric, 2) AS peer_mean,
       (x.g -> 'subordinate' ->> 'raters')::bigint AS subordinate_raters,
       trunc((x.g -> 'subordinate' ->> 'mean')::numeric, 2) AS subordinate_mean,
       trunc(100 * coalesce((x.g -> 'superior' ->> 'weight')::numeric, 0), 2) AS superior_weight,
       trunc(100 * coalesce((x.g -> 'peer' ->> 'weight')::numeric, 0), 2) AS peer_weight,
       trunc(100 * coalesce((x.g -> 'subordinate' ->> 'weight')::numeric, 0), 2) AS subordinate_weight,
       x.rule AS weight_rule,
       x.score AS score_360,
       CASE WHEN x.score IS NULL OR x.weighted_raters < prm.min_raters THEN 'insufficient data'
            ELSE appraisal.grade_band(x.score::double precision, prm.grade_scale) END AS grade,
       x.score IS NOT NULL AND x.weighted_raters >= prm.min_raters AS sufficient_data,
       r.as_of,
       x.suppressed AS suppressed_groups
FROM appraisal.period_ratings r
JOIN appraisal.employees e ON e.employee_id = r.ratee_id AND appraisal.may_see(e.employee_id, e.team)
JOIN appraisal.periods p ON p.period = r.period
CROSS JOIN appraisal.scorecard_parameters() prm
CROSS JOIN LATERAL (
  SELECT j -> 'groups' AS g, j ->> 'rule' AS rule,
         trunc((j ->> 'score')::numeric, 2) AS score,
         (SELECT coalesce(sum((v ->> 'raters')::bigint), 0)
            FROM jsonb_each(j -> 'groups') AS grp(k, v)
           WHERE (v ->> 'weight')::numeric > 0) AS weighted_raters,
         (SELECT string_agg(format('%s: fewer than %s', k, v ->> 'min_raters'), ', '
                            ORDER BY array_position(ARRAY['superior', 'peer', 'subordinate', 'self', 'customer'], k))
            FROM jsonb_each(j -> 'groups') AS grp(k, v)
           WHERE (v ->> 'suppressed')::boolean) AS suppressed
  FROM appraisal.explain_360(r.ratings, prm.weight_scheme) AS j
) x;
COMMENT ON VIEW appraisal.scorecard_360 IS
  '360 scorecard per employee and period (docs/rules.md, "360-degree scores"): raters and mean per group (each rater''s dimensions averaged first), the weights actually applied after the fixed fallbacks, the composite and its grade. A group with fewer raters than its anonymity threshold in the weight scheme (standard: peer 3, subordinate 3; a superior counts alone) is suppressed: no raters, no mean, left out of the composite as if missing, and named in suppressed_groups. ''insufficient data'' when no group counts, or the groups that count have fewer raters than min_raters (1). Runs with its owner''s rights: readers need no right to period_ratings.';
COMMENT ON COLUMN appraisal.scorecard_360.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.scorecard_360.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.scorecard_360.team IS 'Team.';
COMMENT ON COLUMN appraisal.scorecard_360."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.scorecard_360.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.scorecard_360.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.scorecard_360.superior_raters IS 'Superiors who rated; NULL when suppressed (fewer than the scheme''s threshold).';
COMMENT ON COLUMN appraisal.scorecard_360.superior_mean IS 'Mean superior rating (truncated to 2 decimals); NULL when none or suppressed.';
COMMENT ON COLUMN appraisal.scorecard_360.peer_raters IS 'Peers who rated; NULL when suppressed (fewer than the scheme''s threshold, 3 in standard).';
COMMENT ON COLUMN appraisal.scorecard_360.peer_mean IS 'Mean peer rating (truncated to 2 decimals); NULL when none or suppressed.';
COMMENT ON COLUMN appraisal.scorecard_360.subordinate_raters IS 'Subordinates who rated; NULL when suppressed (fewer than the scheme''s threshold, 3 in standard).';
COMMENT ON COLUMN appraisal.scorecard_360.subordinate_mean IS 'Mean subordinate rating (truncated to 2 decimals); NULL when none or suppressed.';
COMMENT ON COLUMN appraisal.scorecard_360.superior_weight IS 'Weight applied to the superior mean, percent.';
COMMENT ON COLUMN appraisal.scorecard_360.peer_weight IS 'Weight applied to the peer mean, percent.';
COMMENT ON COLUMN appraisal.scorecard_360.subordinate_weight IS 'Weight applied to the subordinate mean, percent.';
COMMENT ON COLUMN appraisal.scorecard_360.weight_rule IS 'How the weights were chosen: primary (all groups), fallback (a fixed fallback of the scheme), proportional (primary weights renormalised) or none.';
COMMENT ON COLUMN appraisal.scorecard_360.score_360 IS '360 composite, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.scorecard_360.grade IS 'Grade band of the points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.scorecard_360.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.scorecard_360.as_of IS 'When the summaries were computed (the last refresh); SLA pending and overdue are as of then.';
COMMENT ON COLUMN appraisal.scorecard_360.suppressed_groups IS 'Rater groups left out for anonymity, with their threshold, e.g. ''peer: fewer than 3''; NULL when none.';
CREATE OR REPLACE VIEW appraisal.kpi_breakdown WITH (security_invoker = false, security_barrier = true) AS
WITH appraised AS (   -- the periods of the position's cycle (docs/rules.md, "Appraisal periods and results")
  SELECT e.employee_id, e.position, p.period, p.kind, p.starts_on, p.ends_on
  FROM appraisal.employees e
  JOIN appraisal.position_cycles c ON c.position = e.position
  JOIN appraisal.periods p ON p.kind = c.cycle
  WHERE appraisal.may_see(e.employee_id, e.team)
), responsible AS (   -- the service measures of all tickets the employee answers for
  SELECT s.pool_id AS employee_id, s.period, m.*, cm.complaint_rate, cm.complaint_handling_rate
  FROM appraisal.pooled_summaries s
  CROSS JOIN LATERAL appraisal.service_measures(s.tickets, s.first_response, s.resolution, s.fcr, s.responses, s.satisfied,
                                                s.complaints, s.service_complaints, s.system_complaints) m
  CROSS JOIN LATERAL appraisal.complaint_measures(s.tickets, s.service_complaints, s.system_complaints,
                                                  s.system_first_responses_excluded, s.complaint_handling) cm
  WHERE s.pooling = 'responsibility'
), measured AS (      -- a measure is a KPI value only with enough evidence of its own kind
  SELECT r.employee_id, r.period, v.source, v.value
  FROM responsible r
  CROSS JOIN appraisal.scorecard_parameters() prm
  CROSS JOIN LATERAL (VALUES ('first_response_compliance', r.first_response_compliance, r.tickets >= prm.min_tickets),
                             ('resolution_compliance', r.resolution_compliance, r.tickets >= prm.min_tickets),
                             ('fcr', r.fcr, r.tickets >= prm.min_tickets),
                             ('recurrence_rate', r.recurrence_rate, r.tickets >= prm.min_tickets),
                             ('csat', r.csat, r.responses >= prm.min_responses),
                             ('complaint_composite', r.composite_points, r.sufficient_data),
                             ('complaint_rate', r.complaint_rate, r.tickets >= prm.min_tickets),
                             -- no service-caused complaint to judge: none handled late
                             ('complaint_handling_rate', coalesce(r.complaint_handling_rate, 100.00),
                              r.tickets >= prm.min_tickets)) v(source, value, enough)
  WHERE v.enough
  UNION ALL
  SELECT employee_id, period, 'score_360', score_360 FROM appraisal.scorecard_360 WHERE sufficient_data
  UNION ALL           -- the follow-up measures of the same tickets: min_tickets judged for the call-back rate,
  SELECT f.pool_id, f.period, v.source, v.value   -- min_tickets resolved for coverage, one inspection for QA
  FROM appraisal.follow_up_summaries f
  CROSS JOIN appraisal.scorecard_parameters() prm
  CROSS JOIN LATERAL appraisal.follow_up_measures(f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections,
                                                  f.inspection_score_sum, f.extreme_responses, f.extreme_satisfied,
                                                  f.other_responses, f.other_satisfied) m
  CROSS JOIN LATERAL (VALUES ('call_back_rate', m.call_back_rate, f.resolved - f.call_back_pending >= prm.min_tickets),
                             ('survey_coverage', m.survey_coverage, f.resolved >= prm.min_tickets),
                             ('qa_score', m.qa_score, f.inspections >= 1),
                             ('csat_extreme_weighted', m.csat_extreme_weighted,
                              f.extreme_responses + f.other_responses >= prm.min_responses)) v(source, value, enough)
  WHERE f.pooling = 'responsibility' AND v.enough
), cycled AS (       -- each KPI on its own cycle: the period of that kind containing the appraised one, if any
  SELECT a.employee_id, a.period, d.kpi, d.source, d.weight, d.zero_at, d.full_at,
         coalesce(d.cycle, a.kind) AS cycle, q.period AS cycle_period, a.starts_on, a.ends_on
  FROM appraised a
  JOIN appraisal.kpi_definitions d ON d.position = a.position
  LEFT JOIN appraisal.periods q
    ON q.kind = coalesce(d.cycle, a.kind) AND q.starts_on <= a.starts_on AND q.ends_on >= a.ends_on
), entered AS (      -- results of the containing period, or the mean of those of a shorter cycle inside
  SELECT c.employee_id, c.period, c.kpi, trim_scale(avg(r.value::numeric)) AS value,
         string_agg(r.period, ', ' ORDER BY q.starts_on) AS periods
  FROM cycled c
  JOIN appraisal.kpi_results r ON r.employee_id = c.employee_id AND r.kpi = c.kpi
  JOIN appraisal.periods q ON q.period = r.period AND q.kind = c.cycle
  WHERE q.period = c.cycle_period OR (c.cycle_period IS NULL AND q.starts_on >= c.starts_on AND q.ends_on <= c.ends_on)
  GROUP BY c.employee_id, c.period, c.kpi
), kpis AS (         -- a measure of a shorter cycle is taken over the appraised period itself
  SELECT c.employee_id, c.period, c.kpi, c.source, c.weight, c.zero_at, c.full_at, c.cycle,
         kr.value AS entered, kr.periods AS entered_periods, dv.value AS measured,
         coalesce(c.cycle_period, c.period) AS measured_period,
         ap.appeal_id, ap.status, ap.appealed_value, ap.decided_value
  FROM cycled c
  LEFT JOIN entered kr USING (employee_id, period, kpi)
  LEFT JOIN measured dv ON dv.employee_id = c.employee_id AND dv.period = coalesce(c.cycle_period, c.period)
                       AND dv.source = c.source
  -- the KPI's appeal in the appraised period: the latest filed upheld one, else the latest filed
  LEFT JOIN LATERAL (SELECT k.appeal_id, k.status, k.appealed_value, k.decided_value
                     FROM appraisal.kpi_appeals k
                     WHERE k.employee_id = c.employee_id AND k.period = c.period AND k.kpi = c.kpi
                     ORDER BY k.status = 'upheld' DESC, k.appeal_id DESC LIMIT 1) ap ON true
), valued AS (
  SELECT k.*, coalesce(k.entered, k.measured) AS before_appeal,
         -- only an upheld appeal changes the value
         CASE WHEN k.status = 'upheld' THEN k.decided_value ELSE coalesce(k.entered, k.measured) END AS v
  FROM kpis k
), counted AS (
  SELECT v.*, count(v.v) OVER (PARTITION BY v.employee_id, v.period) AS any_value
  FROM valued v
)
SELECT employee_id, period, kpi, source, weight,
       v AS value,
       CASE WHEN status = 'upheld' THEN 'appeal' WHEN entered IS NOT NULL THEN 'kpi_results' WHEN measured IS NOT NULL THEN 'scorecard' END AS value_from,
       zero_at::numeric AS zero_at, full_at::numeric AS full_at,
       appraisal.linear_points(v, zero_at::numeric, full_at::numeric) AS points,
       cycle,
       CASE WHEN entered IS NOT NULL THEN entered_periods WHEN measured IS NOT NULL THEN measured_period END AS value_period,
       before_appeal AS measured_value, appeal_id, status AS appeal_status, appealed_value
FROM counted
WHERE any_value > 0;
COMMENT ON VIEW appraisal.kpi_breakdown IS
  'Every KPI of every employee''s appraisal (per period of the position''s cycle, appraisal.position_cycles: quarters for specialists and supervisors, years for managers by default; docs/rules.md, "Appraisal periods and results" and "Department and manager KPIs") with a value: the value, taken from the period of the KPI''s own cycle containing the appraised one (or, for a shorter cycle, measured over the appraised period or averaged over its entered results), where it came from (an upheld appeal''s decided value, else kpi_results, or the scorecard of all tickets the employee answers for, or the 360 scorecard, when there is enough evidence of its kind: min_tickets tickets for SLA, FCR and recurrence, min_responses responses for CSAT, both for the composite, min_raters raters for the 360, min_tickets resolved tickets judged for the call-back rate and survey coverage, min_responses responses for the extreme-weighted CSAT, one inspection for the QA score), the range and its points (linear_points: exact, truncated to two decimals); beside them the measured value and the KPI''s appeal (docs/rules.md, "Appeals and publication": a pending or rejected appeal leaves the measured value).';
COMMENT ON COLUMN appraisal.kpi_breakdown.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.kpi_breakdown.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.kpi_breakdown.kpi IS 'KPI name.';
COMMENT ON COLUMN appraisal.kpi_breakdown.source IS 'manual, or the scorecard measure the KPI''s value comes from.';
COMMENT ON COLUMN appraisal.kpi_breakdown.weight IS 'Weight of the KPI in the overall appraisal.';
COMMENT ON COLUMN appraisal.kpi_breakdown.value IS 'Final value of the KPI: the value decided on an upheld appeal, else the measured value (measured_value); NULL when missing.';
COMMENT ON COLUMN appraisal.kpi_breakdown.value_from IS 'appeal (an upheld appeal''s decided value), kpi_results (entered), scorecard (measured) or NULL (missing).';
COMMENT ON COLUMN appraisal.kpi_breakdown.zero_at IS 'Value scored 0 points.';
COMMENT ON COLUMN appraisal.kpi_breakdown.full_at IS 'Value scored 100 points.';
COMMENT ON COLUMN appraisal.kpi_breakdown.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.kpi_breakdown.cycle IS 'Cycle the KPI is measured on (kpi_definitions.cycle, else the position''s): month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.kpi_breakdown.value_period IS 'The period(s) the value comes from: the appraised period, the period of the KPI''s longer cycle containing it (e.g. 2026-H1 for 2026-Q1), or the results of a shorter cycle averaged (e.g. 2026-01, 2026-02); NULL when missing.';
COMMENT ON COLUMN appraisal.kpi_breakdown.measured_value IS 'Value before any appeal: entered in kpi_results, else measured by the scorecard; NULL when missing.';
COMMENT ON COLUMN appraisal.kpi_breakdown.appeal_id IS 'The KPI''s appeal in this period (appraisal.kpi_appeals): the latest filed upheld one, else the latest filed; NULL when none.';
COMMENT ON COLUMN appraisal.kpi_breakdown.appeal_status IS 'That appeal''s decision in force: pending, upheld or rejected; NULL when none. Only upheld changes value.';
COMMENT ON COLUMN appraisal.kpi_breakdown.appealed_value IS 'The value that appeal asks for; NULL when none.';
CREATE OR REPLACE VIEW appraisal.overall_appraisal WITH (security_invoker = false, security_barrier = true) AS
WITH per AS (
  SELECT b.employee_id, b.period, count(*) AS kpis_defined, count(b.points) AS kpis_scored,
         -- the weighted mean of the points, exact: points / 100 as fractions
         appraisal.weighted_share_percent(array_agg(b.weight) FILTER (WHERE b.points IS NOT NULL),
                                          array_agg(b.points) FILTER (WHERE b.points IS NOT NULL),
                                          array_agg(100::numeric) FILTER (WHERE b.points IS NOT NULL)) AS points
  FROM appraisal.kpi_breakdown b
  GROUP BY b.employee_id, b.period
), graded AS (        -- every appraised period, with or without a result, so that gaps break streaks
  SELECT e.employee_id, e.name, e.team, e.position, p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
         r.kpis_defined, r.kpis_scored, r.points,
         r.kpis_scored = r.kpis_defined AND NOT pr.on_probation AS sufficient_data,
         CASE WHEN pr.on_probation THEN 'on probation'
              WHEN r.kpis_scored = r.kpis_defined
              THEN appraisal.grade_band(r.points::double precision, prm.grade_scale)
              ELSE 'insufficient data' END AS grade,
         pr.on_probation,
         coalesce(r.kpis_scored = r.kpis_defined AND NOT pr.on_probation
                  AND appraisal.grade_rank(r.points::double precision, prm.grade_scale) = 1, false) AS best,
         coalesce(r.kpis_scored = r.kpis_defined AND NOT pr.on_probation
                  AND appraisal.grade_rank(r.points::double precision, prm.grade_scale)
                      = (SELECT max(rank) FROM appraisal.grade_bands(prm.grade_scale)), false) AS worst,
         -- the two lowest bands (staff scale: 待提升, 不合格) call for coaching
         coalesce(r.kpis_scored = r.kpis_defined AND NOT pr.on_probation
                  AND appraisal.grade_rank(r.points::double precision, prm.grade_scale)
                      >= (SELECT max(rank) - 1 FROM appraisal.grade_bands(prm.grade_scale)), false) AS lowest_two,
         prm.reserve_pool_streak, prm.failing_repeat, sf.failing_times, sf.failing_window
  FROM appraisal.employees e
  JOIN appraisal.position_cycles c ON c.position = e.position
  JOIN appraisal.periods p ON p.kind = c.cycle
  CROSS JOIN appraisal.scorecard_parameters() prm
  CROSS JOIN (SELECT max(value) FILTER (WHERE name = 'several_failing_times')::integer AS failing_times,
                     max(value) FILTER (WHERE name = 'several_failing_window')::integer AS failing_window
              FROM appraisal.current_settings) sf
  LEFT JOIN per r ON r.employee_id = e.employee_id AND r.period = p.period
  -- probationers are outside the appraisal: a period ending in probation is not graded
  CROSS JOIN LATERAL (SELECT coalesce(e.probation_ends_on >= p.ends_on, false) AS on_probation) pr
  WHERE appraisal.may_see(e.employee_id, e.team)
), runs AS (          -- gaps and islands: a run of equal flags shares a group number
  SELECT g.*,
         row_number() OVER (PARTITION BY employee_id ORDER BY starts_on)
         - row_number() OVER (PARTITION BY employee_id, best ORDER BY starts_on) AS best_run,
         row_number() OVER (PARTITION BY employee_id ORDER BY starts_on)
         - row_number() OVER (PARTITION BY employee_id, worst ORDER BY starts_on) AS worst_run
  FROM graded g
), streaks AS (
  SELECT r.*,
         CASE WHEN best THEN row_number() OVER (PARTITION BY employee_id, best, best_run ORDER BY starts_on) ELSE 0 END::integer AS excellent_streak,
         CASE WHEN worst THEN row_number() OVER (PARTITION BY employee_id, worst, worst_run ORDER BY starts_on) ELSE 0 END::integer AS failing_streak,
         count(*) FILTER (WHERE worst) OVER (PARTITION BY employee_id ORDER BY starts_on) AS worst_so_far
  FROM runs r
), windowed AS (      -- worst grades among the last failing_window appraised periods, this one included
  SELECT s.*,
         s.worst_so_far - lag(s.worst_so_far, s.failing_window, 0::bigint)
                          OVER (PARTITION BY s.employee_id ORDER BY s.starts_on) AS failing_in_window
  FROM streaks s
)
SELECT employee_id, name, team, position, period, period_kind, starts_on, ends_on,
       kpis_defined, kpis_scored, points, grade, sufficient_data,
       excellent_streak, failing_streak,
       position = 'specialist' AND excellent_streak >= reserve_pool_streak AS reserve_pool,
       failing_streak >= failing_repeat AS repeated_failing,
       failing_in_window, failing_in_window >= failing_times AS several_failing,
       lowest_two AS coaching_needed,
       CASE WHEN lowest_two THEN format('grade %s: one of the two lowest bands of the scale', grade) END AS coaching_reason,
       on_probation
FROM windowed
WHERE kpis_scored > 0;
COMMENT ON VIEW appraisal.overall_appraisal IS
  'Overall appraisal per employee and appraised period (the periods of the position''s cycle, appraisal.position_cycles: quarters for specialists and supervisors, years for managers by default): the weighted mean of the KPI points of appraisal.kpi_breakdown by the position''s weights (weighted_share_percent: exact, truncated to two decimals; KPIs without a value left out), the grade (''insufficient data'' unless every KPI has a value), the runs of consecutive best and worst grades over the appraised periods (a period without a result breaks a run), the reserve-supervisor pool flag (specialists, reserve_pool_streak best grades in a row, docs/rules.md, "Appraisal periods and results"), the repeated-failing flag (consecutive) and the several-failing flag (several_failing_times worst grades among the last several_failing_window appraised periods, consecutive or not) and the coaching flag (one of the two lowest bands), with its reason.';
COMMENT ON COLUMN appraisal.overall_appraisal.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.overall_appraisal.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.overall_appraisal.team IS 'Team.';
COMMENT ON COLUMN appraisal.overall_appraisal."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.overall_appraisal.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.overall_appraisal.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.overall_appraisal.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.overall_appraisal.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.overall_appraisal.kpis_defined IS 'KPIs of the position.';
COMMENT ON COLUMN appraisal.overall_appraisal.kpis_scored IS 'KPIs with a value.';
COMMENT ON COLUMN appraisal.overall_appraisal.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.overall_appraisal.grade IS 'Grade band of the points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.overall_appraisal.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.overall_appraisal.excellent_streak IS 'Consecutive appraised periods graded in the best band, ending with this one.';
COMMENT ON COLUMN appraisal.overall_appraisal.failing_streak IS 'Consecutive appraised periods graded in the worst band, ending with this one.';
COMMENT ON COLUMN appraisal.overall_appraisal.reserve_pool IS 'Reserve-supervisor pool: a specialist with reserve_pool_streak (3) best grades in a row (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.overall_appraisal.repeated_failing IS 'failing_repeat (2) or more worst grades in a row: improvement plan / dismissal review (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.overall_appraisal.failing_in_window IS 'Appraised periods graded in the worst band among the last several_failing_window (4), this one included; a period without a result counts as one that was not.';
COMMENT ON COLUMN appraisal.overall_appraisal.several_failing IS 'several_failing_times (2) or more worst grades among the last several_failing_window (4) appraised periods, consecutive or not: dismissal review (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.overall_appraisal.coaching_needed IS 'Training and coaching flag: graded in one of the two lowest bands of the grade scale (staff scale: 待提升, 不合格; docs/rules.md, "Appraisal periods and results"). The service scorecards'' training_needed is the other rule (first-response compliance below 80 %).';
COMMENT ON COLUMN appraisal.overall_appraisal.coaching_reason IS 'Which rule raised coaching_needed, in words; NULL when not raised.';
COMMENT ON COLUMN appraisal.overall_appraisal.on_probation IS 'The employee was on probation at the end of the period (employees.probation_ends_on): outside the appraisal, graded ''on probation'', counted in no streak, flag or annual result.';
CREATE OR REPLACE VIEW appraisal.annual_results WITH (security_invoker = false, security_barrier = true) AS
WITH overall AS MATERIALIZED (   -- computed once for both kinds of employee
  SELECT * FROM appraisal.overall_appraisal
), years AS (
  SELECT period AS year, starts_on, ends_on FROM appraisal.periods WHERE kind = 'year'
), within AS (       -- the results of a cycle shorter than the year inside each year (probation ones are outside the appraisal)
  SELECT y.year, o.*
  FROM years y
  JOIN overall o
    ON o.period_kind <> 'year' AND o.starts_on >= y.starts_on AND o.ends_on <= y.ends_on AND NOT o.on_probation
), pooled AS (
  SELECT year, employee_id, count(*) AS results_counted,
         div(100 * sum(points), count(*)) * 0.01 AS points, bool_and(sufficient_data) AS all_sufficient
  FROM within
  GROUP BY year, employee_id
), latest AS (
  SELECT DISTINCT ON (year, employee_id) *
  FROM within
  ORDER BY year, employee_id, starts_on DESC
)
SELECT l.employee_id, l.name, l.team, l.position, a.year, a.results_counted AS quarters_counted, a.points,
       CASE WHEN a.all_sufficient AND a.results_counted >= prm.min_quarters
            THEN appraisal.grade_band(a.points::double precision, prm.grade_scale)
            ELSE 'insufficient data' END AS grade,
       a.all_sufficient AND a.results_counted >= prm.min_quarters AS sufficient_data,
       l.excellent_streak, l.reserve_pool, l.failing_streak, l.repeated_failing,
       l.period_kind AS cycle
FROM pooled a
JOIN latest l USING (year, employee_id)
CROSS JOIN appraisal.scorecard_parameters() prm
UNION ALL
SELECT o.employee_id, o.name, o.team, o.position, o.period, 0, o.points, o.grade, o.sufficient_data,
       o.excellent_streak, o.reserve_pool, o.failing_streak, o.repeated_failing, o.period_kind
FROM overall o
WHERE o.period_kind = 'year';
COMMENT ON VIEW appraisal.annual_results IS
  'Year-end results (docs/rules.md, "Appraisal periods and results"): the arithmetic mean of the results of the position''s cycle inside the year (quarters for specialists and supervisors by default; exact, truncated to two decimals), or the yearly appraisal of a position appraised yearly (managers by default); the grade, and the streaks and flags as of the year''s last appraised period.';
COMMENT ON COLUMN appraisal.annual_results.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.annual_results.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.annual_results.team IS 'Team.';
COMMENT ON COLUMN appraisal.annual_results."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.annual_results.year IS 'Year (a period of kind year).';
COMMENT ON COLUMN appraisal.annual_results.quarters_counted IS 'Results of the position''s cycle averaged: quarters by default, months for a monthly position (cycle); 0 for a position appraised yearly.';
COMMENT ON COLUMN appraisal.annual_results.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.annual_results.grade IS 'Grade band of the points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.annual_results.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.annual_results.excellent_streak IS 'Consecutive appraised periods graded in the best band, ending with this one.';
COMMENT ON COLUMN appraisal.annual_results.reserve_pool IS 'Reserve-supervisor pool: a specialist with reserve_pool_streak (3) best grades in a row (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.annual_results.failing_streak IS 'Consecutive appraised periods graded in the worst band, ending with this one.';
COMMENT ON COLUMN appraisal.annual_results.repeated_failing IS 'failing_repeat (2) or more worst grades in a row: improvement plan / dismissal review (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.annual_results.cycle IS 'The position''s cycle whose results were averaged (month, quarter or half_year), or year.';
CREATE OR REPLACE VIEW appraisal.provider_scorecard WITH (security_invoker = false, security_barrier = true) AS
WITH penalties AS (
  SELECT l.provider_id, p.period, count(*) AS events,
         count(*) FILTER (WHERE l.status = 'charged') AS charged_events,
         count(*) FILTER (WHERE l.status = 'duplicate') AS duplicates,
         count(*) FILTER (WHERE l.status = 'exempt') AS exempt,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'fake_customer_data') AS fake_data_orders,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'service_complaint') AS complaint_cases,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'peak_understaffing') AS understaffing_cases,
         coalesce(sum(l.amount) FILTER (WHERE l.status = 'charged'), 0) AS penalty_amount
  FROM appraisal.penalty_ledger l
  JOIN appraisal.periods p ON l.occurred_on BETWEEN p.starts_on AND p.ends_on
  GROUP BY l.provider_id, p.period
), pooled AS (
  SELECT pool_id AS provider_id, period, agents AS technicians, tickets, first_response, resolution, fcr,
         responses, satisfied, complaints, service_complaints, system_complaints,
         system_first_responses_excluded, complaint_handling, as_of
  FROM appraisal.pooled_summaries
  WHERE pooling = 'provider'
), both_sides AS (
  SELECT coalesce(x.provider_id, t.provider_id) AS provider_id, coalesce(x.period, t.period) AS period,
         x.events, x.charged_events, x.duplicates, x.exempt, x.fake_data_orders, x.complaint_cases,
         x.understaffing_cases, x.penalty_amount,
         t.technicians, t.tickets, t.first_response, t.resolution, t.fcr, t.responses, t.satisfied,
         t.complaints, t.service_complaints, t.system_complaints, t.system_first_responses_excluded,
         t.complaint_handling, t.as_of
  FROM penalties x
  FULL JOIN pooled t ON t.provider_id = x.provider_id AND t.period = x.period
)
SELECT b.provider_id, v.name, p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       coalesce(b.events, 0) AS events, coalesce(b.charged_events, 0) AS charged_events,
       coalesce(b.duplicates, 0) AS duplicates, coalesce(b.exempt, 0) AS exempt,
       coalesce(b.fake_data_orders, 0) AS fake_data_orders, coalesce(b.complaint_cases, 0) AS complaint_cases,
       coalesce(b.understaffing_cases, 0) AS understaffing_cases, coalesce(b.penalty_amount, 0) AS penalty_amount,
       coalesce(b.technicians, 0) AS technicians,
       m.*, b.as_of, tg.*, cm.*, fu.*
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
  'Per service provider and period (every period of appraisal.periods in which the provider has events or its technicians have tickets): the penalty ledger''s events of the days in the period by status, the charged ones by rule and their total amount (docs/rules.md, "Service providers"); and the service measures of the provider''s technicians (employees with its provider_id), their summaries pooled by appraisal.pooled_summaries as a team''s are. Ticket measures are read from the materialized summaries as of their last refresh; the penalties are read live.';
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
COMMENT ON COLUMN appraisal.provider_scorecard.complaint_cases IS 'Service-caused complaints (bad reviews) charged, after de-duplication.';
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
COMMENT ON COLUMN appraisal.provider_scorecard.system_complaints IS 'System-caused complaints (company policy or system): never count against the agent.';
COMMENT ON COLUMN appraisal.provider_scorecard.unattributed_complaints IS 'Complaints not yet attributed to service or system.';
COMMENT ON COLUMN appraisal.provider_scorecard.composite_points IS 'Closed-loop complaint composite in points: weight_first_response (40) x first-response compliance + weight_resolution (30) x resolution compliance + weight_satisfaction (30) x CSAT, over the weights, exact and truncated to 2 decimals; NULL when a part has no evidence.';
COMMENT ON COLUMN appraisal.provider_scorecard.composite_grade IS 'Grade band of composite_points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.provider_scorecard.training_needed IS 'Communication-skills training flag: first-response compliance below training_threshold (80 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.provider_scorecard.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.provider_scorecard.as_of IS 'When the ticket summaries were computed (the last refresh); NULL without tickets. The penalties are read live.';
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

-- Publishing a period's results and what has changed since: after the
-- scorecards, whose final form published_differences reads.
CREATE VIEW appraisal.published_appraisal WITH (security_invoker = false, security_barrier = true) AS
SELECT r.period, r.publication, r.publication = l.latest AS in_force, p.published_by, p.published_at, p.summaries_as_of,
       r.employee_id, r.name, r.team, r.position, r.kpis_defined, r.kpis_scored, r.points, r.grade, r.sufficient_data,
       r.excellent_streak, r.failing_streak, r.reserve_pool, r.repeated_failing, r.failing_in_window, r.several_failing,
       r.coaching_needed, r.coaching_reason, r.on_probation, r.kpis::text AS kpis
FROM appraisal.published_results r
JOIN appraisal.publications p USING (period, publication)
JOIN (SELECT period, max(publication) AS latest FROM appraisal.publications GROUP BY period) l USING (period)
JOIN appraisal.employees e ON e.employee_id = r.employee_id
WHERE appraisal.may_see(e.employee_id, e.team);
COMMENT ON VIEW appraisal.published_appraisal IS
  'Published results (docs/rules.md, "Appeals and publication"): every publication of every period, each employee''s overall appraisal as it was published, with who published it and when; in_force marks the latest publication of the period. Later data changes none of these rows. Scoped by appraisal.scorecard_access (by the employee''s team now).';
COMMENT ON COLUMN appraisal.published_appraisal.period IS 'Period published.';
COMMENT ON COLUMN appraisal.published_appraisal.publication IS 'Publication number within the period (1, 2, ...).';
COMMENT ON COLUMN appraisal.published_appraisal.in_force IS 'Whether this is the period''s latest publication.';
COMMENT ON COLUMN appraisal.published_appraisal.published_by IS 'Login that published.';
COMMENT ON COLUMN appraisal.published_appraisal.published_at IS 'When the results were published.';
COMMENT ON COLUMN appraisal.published_appraisal.summaries_as_of IS 'The as_of of the summaries the results were computed from.';
COMMENT ON COLUMN appraisal.published_appraisal.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.published_appraisal.name IS 'Employee name, as published.';
COMMENT ON COLUMN appraisal.published_appraisal.team IS 'Team, as published.';
COMMENT ON COLUMN appraisal.published_appraisal."position" IS 'Position, as published.';
COMMENT ON COLUMN appraisal.published_appraisal.kpis_defined IS 'KPIs of the position.';
COMMENT ON COLUMN appraisal.published_appraisal.kpis_scored IS 'KPIs with a value.';
COMMENT ON COLUMN appraisal.published_appraisal.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.published_appraisal.grade IS 'Grade band of the points, ''insufficient data'' or ''on probation''.';
COMMENT ON COLUMN appraisal.published_appraisal.sufficient_data IS 'Whether every KPI had a value (and the period was not on probation).';
COMMENT ON COLUMN appraisal.published_appraisal.excellent_streak IS 'Consecutive appraised periods graded in the best band, ending with this one.';
COMMENT ON COLUMN appraisal.published_appraisal.failing_streak IS 'Consecutive appraised periods graded in the worst band, ending with this one.';
COMMENT ON COLUMN appraisal.published_appraisal.reserve_pool IS 'Reserve-supervisor pool flag.';
COMMENT ON COLUMN appraisal.published_appraisal.repeated_failing IS 'Repeated-failing flag (consecutive worst grades).';
COMMENT ON COLUMN appraisal.published_appraisal.failing_in_window IS 'Worst grades among the last several_failing_window appraised periods.';
COMMENT ON COLUMN appraisal.published_appraisal.several_failing IS 'Several-failing flag.';
COMMENT ON COLUMN appraisal.published_appraisal.coaching_needed IS 'Training and coaching flag (one of the two lowest bands).';
COMMENT ON COLUMN appraisal.published_appraisal.coaching_reason IS 'Why coaching is needed.';
COMMENT ON COLUMN appraisal.published_appraisal.on_probation IS 'Whether the period ended in probation (not graded).';
COMMENT ON COLUMN appraisal.published_appraisal.kpis IS 'The KPIs behind the points as published: a JSON array of objects (kpi, weight, value, value_from, points, measured_value, appeal_id, appeal_status, appealed_value).';
GRANT SELECT ON appraisal.published_appraisal TO appraisal_admin;

-- Live against published: the columns a publication froze (but for name,
-- team and position, which describe the employee), compared value by value.
CREATE VIEW appraisal.published_differences WITH (security_invoker = false, security_barrier = true) AS
WITH latest AS (
  SELECT DISTINCT ON (period) period, publication, published_at
  FROM appraisal.publications
  ORDER BY period, publication DESC
), published AS (
  SELECT l.published_at, r.*
  FROM latest l
  JOIN appraisal.published_results r USING (period, publication)
  JOIN appraisal.employees e ON e.employee_id = r.employee_id
  WHERE appraisal.may_see(e.employee_id, e.team)
), live AS (
  SELECT o.*
  FROM appraisal.overall_appraisal o
  WHERE o.period IN (SELECT period FROM latest)
), compared AS (
  SELECT coalesce(p.period, o.period) AS period, l.publication, l.published_at,
         coalesce(o.employee_id, p.employee_id) AS employee_id, coalesce(o.name, p.name) AS name,
         coalesce(o.team, p.team) AS team,
         CASE WHEN p.employee_id IS NULL THEN 'only live' WHEN o.employee_id IS NULL THEN 'only published' ELSE 'changed' END AS difference,
         (SELECT string_agg(f.key, ', ' ORDER BY f.key)
          FROM jsonb_each(to_jsonb(p) - ARRAY['period', 'publication', 'published_at', 'employee_id', 'name', 'team', 'position', 'kpis']) f
          WHERE o.employee_id IS NOT NULL AND f.value IS DISTINCT FROM to_jsonb(o) -> f.key) AS changed_columns,
         p.points AS published_points, o.points AS live_points, p.grade AS published_grade, o.grade AS live_grade
  FROM published p
  FULL JOIN live o ON o.period = p.period AND o.employee_id = p.employee_id
  JOIN latest l ON l.period = coalesce(p.period, o.period)
)
SELECT period, publication, published_at, employee_id, name, team, difference, changed_columns,
       published_points, live_points, published_grade, live_grade
FROM compared
WHERE difference <> 'changed' OR changed_columns IS NOT NULL;
COMMENT ON VIEW appraisal.published_differences IS
  'Where the live results differ from the latest publication of their period (docs/rules.md, "Appeals and publication"): an employee whose overall_appraisal row now differs in points, grade, evidence counts or any flag or streak (changed_columns names them), one with live results not published (only live), and one published without live results now (only published). Empty while nothing has changed. Scoped by appraisal.scorecard_access.';
COMMENT ON COLUMN appraisal.published_differences.period IS 'Period published.';
COMMENT ON COLUMN appraisal.published_differences.publication IS 'The period''s latest publication, compared with.';
COMMENT ON COLUMN appraisal.published_differences.published_at IS 'When it was published.';
COMMENT ON COLUMN appraisal.published_differences.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.published_differences.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.published_differences.team IS 'Team.';
COMMENT ON COLUMN appraisal.published_differences.difference IS 'changed, only live or only published.';
COMMENT ON COLUMN appraisal.published_differences.changed_columns IS 'The columns of overall_appraisal that differ, by name, comma-separated (changed rows only).';
COMMENT ON COLUMN appraisal.published_differences.published_points IS 'Points as published.';
COMMENT ON COLUMN appraisal.published_differences.live_points IS 'Points now.';
COMMENT ON COLUMN appraisal.published_differences.published_grade IS 'Grade as published.';
COMMENT ON COLUMN appraisal.published_differences.live_grade IS 'Grade now.';
GRANT SELECT ON appraisal.published_differences TO appraisal_admin;

-- As the extension's owner, who sees every row whatever scorecard_access
-- says of the login publishing (the owner is a superuser: may_see).
CREATE FUNCTION appraisal.publish_results(period text)
RETURNS TABLE (publication integer, employees integer, published_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  p text := publish_results.period;
  n integer;
  frozen integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM appraisal.periods x WHERE x.period = p) THEN
    RAISE EXCEPTION 'period "%" is not in appraisal.periods', p
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Publish a period by its name in appraisal.periods (e.g. 2026-Q3); appraisal.add_periods(year) adds a year''s.';
  END IF;
  -- one publication of a period at a time; the latest gets the next number
  LOCK TABLE appraisal.publications IN SHARE ROW EXCLUSIVE MODE;
  SELECT coalesce(max(x.publication), 0) + 1 INTO n FROM appraisal.publications x WHERE x.period = p;
  INSERT INTO appraisal.publications (period, publication, summaries_as_of)
  VALUES (p, n, (SELECT max(d.as_of) FROM appraisal.agent_daily d));
  INSERT INTO appraisal.published_results
  SELECT o.period, n, o.employee_id, o.name, o.team, o.position, o.kpis_defined, o.kpis_scored, o.points, o.grade,
         o.sufficient_data, o.excellent_streak, o.failing_streak, o.reserve_pool, o.repeated_failing, o.failing_in_window,
         o.several_failing, o.coaching_needed, o.coaching_reason, o.on_probation,
         coalesce((SELECT jsonb_agg(jsonb_build_object('kpi', b.kpi, 'weight', b.weight, 'value', b.value, 'value_from', b.value_from,
                                                       'points', b.points, 'measured_value', b.measured_value,
                                                       'appeal_id', b.appeal_id, 'appeal_status', b.appeal_status,
                                                       'appealed_value', b.appealed_value) ORDER BY b.kpi)
                   FROM appraisal.kpi_breakdown b WHERE b.employee_id = o.employee_id AND b.period = o.period), '[]')
  FROM appraisal.overall_appraisal o
  WHERE o.period = p;
  GET DIAGNOSTICS frozen = ROW_COUNT;
  IF frozen = 0 THEN
    RAISE EXCEPTION 'period "%" has no results to publish', p
      USING ERRCODE = 'no_data_found',
            HINT = 'overall_appraisal has a row for an employee appraised in the period (quarters for specialists and supervisors, years for managers) with a KPI value: enter the results and refresh the summaries first.';
  END IF;
  RETURN QUERY SELECT n, frozen, x.published_at FROM appraisal.publications x WHERE x.period = p AND x.publication = n;
END
$$;
COMMENT ON FUNCTION appraisal.publish_results(text) IS
  'Publishes a period''s results (docs/rules.md, "Appeals and publication"): freezes every row of appraisal.overall_appraisal for the period (points, grade, evidence counts, flags and streaks, with the KPIs of kpi_breakdown) in appraisal.published_results under the next publication number of the period, recording the login publishing, when, and the summaries'' as_of (refresh them first: whether they are current is the committee''s call). Publishing again is a republication; earlier ones stay. Returns the publication number, the employees frozen and the time. Refuses a period not in appraisal.periods, or one without results. For members of appraisal_admin (runs as the extension''s owner, who sees every row).';
REVOKE ALL ON FUNCTION appraisal.publish_results(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.publish_results(text) TO appraisal_admin;

-- The summaries of 0.4 go, now that nothing of the extension reads them.
-- An object of yours that does stops the update here, named.  Privileges
-- granted on them are not carried over (the scorecards read the new ones
-- with their owner's rights, and a role granted the summaries would see
-- every agent, past scorecard_access): a warning lists them to grant again
-- if you mean it.  The new summaries (and agent_daily_follow_up, new in
-- 0.5) are refreshed if the old ones were populated, so that the
-- scorecards read on as before.
DO $$
DECLARE
  users_objects text;
  grants text;
BEGIN
  SELECT string_agg(DISTINCT coalesce('view ' || r.ev_class::regclass::text,
                                       pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid))
                    || ' reads ' || replace(d.refobjid::regclass::text, '_0_4', ''), '; ')
    INTO users_objects
  FROM pg_catalog.pg_depend d
  LEFT JOIN pg_catalog.pg_rewrite r ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND r.oid = d.objid
  WHERE d.refclassid = 'pg_catalog.pg_class'::regclass
    AND d.refobjid IN ('appraisal.agent_daily_0_4'::regclass, 'appraisal.agent_daily_csat_0_4'::regclass)
    AND d.deptype = 'n'
    AND r.ev_class IS DISTINCT FROM d.refobjid;
  IF users_objects IS NOT NULL THEN
    RAISE EXCEPTION 'appraisal 0.5 replaces the materialized views agent_daily and agent_daily_csat, which objects outside the extension read: %', users_objects
      USING ERRCODE = 'dependent_objects_still_exist',
            HINT = 'Drop those objects, update the extension, and create them again (the new summaries have the same columns and more).';
  END IF;
  SELECT string_agg(format('GRANT %s ON appraisal.%s TO %s', a.privilege_type, replace(c.relname, '_0_4', ''),
                           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END),
                    '; ' ORDER BY c.relname, a.grantee, a.privilege_type)
    INTO grants
  FROM pg_catalog.pg_class c
  CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
  WHERE c.oid IN ('appraisal.agent_daily_0_4'::regclass, 'appraisal.agent_daily_csat_0_4'::regclass)
    AND a.grantee <> c.relowner;
  IF grants IS NOT NULL THEN
    RAISE WARNING 'appraisal 0.5 re-creates agent_daily and agent_daily_csat without the privileges granted on them: %', grants
      USING HINT = 'The scorecards no longer need them (they read the summaries with their owner''s rights); grant them again only to roles meant to see every agent.';
  END IF;
  IF (SELECT relispopulated FROM pg_catalog.pg_class WHERE oid = 'appraisal.agent_daily_0_4'::regclass) THEN
    REFRESH MATERIALIZED VIEW appraisal.agent_daily;
    REFRESH MATERIALIZED VIEW appraisal.agent_daily_follow_up;   -- new in 0.5, beside it
  END IF;
  IF (SELECT relispopulated FROM pg_catalog.pg_class WHERE oid = 'appraisal.agent_daily_csat_0_4'::regclass) THEN
    REFRESH MATERIALIZED VIEW appraisal.agent_daily_csat;
  END IF;
END
$$;
DROP MATERIALIZED VIEW appraisal.agent_daily_0_4, appraisal.agent_daily_csat_0_4;
