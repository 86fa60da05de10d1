\echo Use "ALTER EXTENSION appraisal UPDATE TO '0.5'" to load this file. \quit
-- appraisal 0.4 -> 0.5, written by hand: what 0.5 changed in the objects of
-- 0.4.  A fresh install of 0.5 and an update from any earlier version must
-- end alike (sql/upgrade.sql compares every object, property, comment and
-- shipped row).

-- Whether appraisal.tickets is a Citus table: the installation was
-- distributed (62_citus.sql).  Checked at run time, so defined first.
CREATE FUNCTION appraisal.distributed() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
    RETURN false;
  END IF;
  RETURN EXISTS (SELECT FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = 'appraisal.tickets'::regclass);
END
$$;
COMMENT ON FUNCTION appraisal.distributed() IS
  'True once appraisal.distribute() has made this installation a distributed one (appraisal.tickets is a Citus table); false without Citus.';

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
COMMENT ON FUNCTION appraisal.customer_class(numeric, integer, numeric, numeric, numeric, boolean, boolean, numeric, numeric) IS
  'The yearly customer class (docs/rules.md, "Customer classification") with the thresholds in effect, the first rule that applies: no business (no sales, no receivables); pending (no sales but receivables, or fewer than 2 batches and receivables above 0); stale (sales < 20,000 and receivables of 20,000 or more); for a customer new that year: new while the year runs, then new-effective (sales > 100,000) or new-ineffective; deteriorating (sales down 50 % or more, or collection down more than 10 points, on the previous year); normal (sales > 100,000, more than 3 batches, collection > 95 %, returns < 5 %); abnormal (sales > 100,000 and collection < 95 % or returns > 5 %); otherwise other (none applies, e.g. sales up to 100,000, 3 batches or fewer, or collection exactly 95 %). "More than 100,000" is strict: exactly 100,000 is not above.';
COMMENT ON FUNCTION appraisal.customer_score(numeric,numeric,numeric,numeric,numeric) IS
  'The composite customer score (docs/rules.md, "Customer score") with the settings in effect: each item''s points on its linear range (sales 100,000 -> 2,100,000, growth 0 -> 25 %, collection 90 -> 100 %, return rate 5 -> 1 % reversed, the manager''s 0-100 evaluation), clamped, weighted 30/30/20/10/10, as one exact fraction truncated to two decimals, and its grade on customer_grade_scale (credit: AAA >= 90 ... C). Sales 2,000,000, growth 25, collection 92, returns 6, manager 80 give 95, 100, 20, 0, 80 -> 70.50, A. NULL composite and grade when an item of weight above 0 is NULL.';
COMMENT ON FUNCTION appraisal.service_measures(bigint,appraisal.sla_stats,appraisal.sla_stats,appraisal.fcr_stats,bigint,bigint,bigint,bigint,bigint) IS
  'The scorecard measures of pooled summaries (used by agent_scorecard, team_scorecard and kpi_breakdown): SLA counts and compliance, FCR, recurrence, CSAT, the complaint composite (docs/rules.md, "Complaint handling": weight_first_response / weight_resolution / weight_satisfaction of the three percentages, 40/30/30 by default) with its grade, the training flag and whether the evidence suffices (min_tickets, min_responses).';
COMMENT ON FUNCTION appraisal.sla_policy_matrix() IS
  'The SLA policy in effect for every channel and priority named by some policy ('''' stands for all others): the most specific of appraisal.sla_policies (channel and priority, then channel, then priority, then general), else 24 hours to first response and 48 hours to resolution on 24x7 (docs/rules.md, "Complaint handling"). The materialized summaries find a ticket''s policy in it with one hash join.';
COMMENT ON TABLE appraisal.customer_credit IS 'Credit ratings (docs/rules.md, "Credit rating": 100 points, financial 30 and non-financial 70 = quality characteristics 35 + capital 18 + credit fulfilment 17), re-rated every quarter on the previous quarter; the financial ratios are optional inputs kept beside the points. appraisal.customer_credit_ratings shows them.';
COMMENT ON TABLE appraisal.customers IS
  'Customers (dealers, accounts) evaluated yearly and quarterly (docs/rules.md, "Customer evaluation"): their figures are in appraisal.customer_figures, their credit-rating inputs in appraisal.customer_credit.';
COMMENT ON TABLE appraisal.delivery_batches IS
  'Delivery batches of a project (docs/rules.md, "Delivery quality"): how many households the batch plans to deliver to, and the concentrated-delivery window they should take delivery in.';
COMMENT ON TABLE appraisal.kpi_definitions IS
  'The KPIs each position is appraised on (docs/rules.md, "Department and manager KPIs"): weight, and the range linear_points maps to 0-100 points. A KPI''s value comes from appraisal.kpi_results, or, for a source other than manual, from the employee''s scorecard (own tickets and those of everyone reporting to them), unless a result was entered; an upheld appeal (appraisal.appeals) replaces either.';
COMMENT ON TABLE appraisal.penalty_rules IS
  'Penalties per rule (docs/rules.md, "Service providers"): the amount charged per order or per case from a day on. An event is charged the amount of its rule''s row with the latest valid_from on or before the event''s day, so a company changes an amount by adding a row with a later valid_from and earlier events keep theirs. A NULL amount is not set: the shipped bad_review rule has none (the regulation prices bad reviews by the year''s satisfaction rules and names no amount); its events are counted with no amount until a row of the year sets one. The shipped rules cannot be changed; add rows (and rules) of your own.';
COMMENT ON TABLE appraisal.provider_events IS
  'What a provider is penalised for (docs/rules.md, "Service providers"), one row per report: a bad review (bad_review: dissatisfied in the after-sales system, 1 or 2 stars on a platform), a service-caused complaint (service_complaint), fake customer data on an order, under-staffing in a peak sales event, or a rule of your own. The same thing reported twice is de-duplicated by appraisal.penalty_ledger, not here: load every report.';
COMMENT ON TABLE appraisal.providers IS
  'Service providers (installation and repair outlets) appraised on the penalty ledger (docs/rules.md, "Service providers"). Their technicians are employees with provider_id set; their tickets give the provider''s service KPIs.';
COMMENT ON TABLE appraisal.reviews_360 IS
  '360 reviews (docs/rules.md, "360-degree scores"): one score per period, ratee, rater and dimension. A rater''s dimensions are averaged into one rating first, so each rater counts once in the group means.';
COMMENT ON TABLE appraisal.sla_policies IS
  'SLA targets per metric, channel and priority, in business time on a named calendar. A ticket takes the most specific policy: channel and priority, then channel (priority NULL), then priority (channel NULL), then the metric''s general policy (both NULL); without any, first response is due in 24 hours and resolution in 48 hours on the 24x7 calendar (docs/rules.md, "Complaint handling" and "Service levels").';
COMMENT ON TABLE appraisal.survey_questionnaires IS
  'Survey questionnaires; their items are in appraisal.survey_items. The shipped ''standard'' questionnaire is the seven-element customer satisfaction survey of the procedure (docs/rules.md, "Satisfaction survey"; six items of 15 points and one of 10, total 100); ''standard_0_4'' is the seven-item questionnaire shipped as ''standard'' up to 0.4 (0-100 ratings), kept for the runs that used it.';
COMMENT ON TABLE appraisal.survey_responses IS
  'Satisfaction ratings of tickets from surveys, SMS and call-backs. Scorecards count one response per ticket (docs/rules.md, "Complaint handling"): a web response beats a call-back, which beats an SMS; among equals the latest counts. Responses on different scales are summarised apart and pooled by their counts of responses and satisfied responses.';
-- (the responses given in a call after an instant: through a BRIN index
-- of the time of the response, as appraisal.call_backs's calls)
CREATE INDEX ON appraisal.survey_responses USING brin (responded_at);
COMMENT ON TABLE appraisal.tickets IS
  'Customer contacts handled by an agent (one row per ticket; load with COPY). Complaints carry their attribution: service-caused ones count against the agent; system-caused ones (company policy or system) are left out of the agent''s measures but for their first response, unless system_complaints_first_response is false (docs/rules.md, "Complaint handling").';
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
  'Delivery quality per batch and per project (docs/rules.md, "Delivery quality"), all "within the concentrated delivery cycle": concentrated delivery rate = households delivered within the batch''s window / planned; defect-free delivery rate = households delivered within the window without a valid defect report / households delivered within the window; defects per household = valid defect reports of the households delivered within the window / those households. Households delivered outside the window and their reports are shown apart (delivered_out_of_window, out_of_window_valid_reports) and count in no rate. Project rows add up the batches'' counts; every rate is computed from counts and truncated (percentages to 2 decimals, defects per household to 4).';
COMMENT ON VIEW appraisal.penalty_ledger IS
  'Every provider event once, with what it costs the provider (docs/rules.md, "Service providers"), decided in this order: (a) a review not about the installation service is exempt; (b) an SMS review repeated by a web review of the same order is a duplicate of the web one; (c) a bad review of a customer (same phone and address; a review without them is the customer of its order, named by the order''s earliest bad review with them, one the ledger judges before an SMS twin or an exempt review; else the order alone) already counted in the window (penalty_window: the calendar month, or the week, of the day in report_time_zone) is a duplicate of the earliest; (d) a rule charged per order counts an order once; (e) anything else (service complaints among them) counts every case. Ties go to the earlier event, then the smaller event_id (byte order). Charged events cost their rule''s amount in effect on their day (NULL while none is set: bad reviews as shipped); with refuse_charges_after_disqualification on, an event of a provider disqualified on its day is refused instead.';
COMMENT ON VIEW appraisal.survey_validity IS
  'Per survey run: whether it counts (docs/rules.md, "Satisfaction survey"): sent to at least survey_min_coverage_percent (80) of the customers in scope, at least survey_min_valid_percent (70) of the questionnaires sent came back valid, and sent to every key customer in scope (unless survey_allow_missed_key_customers). The percentage tests compare the counts exactly (79.999 % is below 80 %); the percentages shown are truncated to two decimals.';

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
UPDATE appraisal.setting_definitions SET description = 'A customer with receivables of this or more and yearly sales below class_stale_sales is stale (docs/rules.md, "Customer classification": receivables of 20,000 and above).' WHERE name = 'class_stale_receivables';
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
UPDATE appraisal.setting_definitions SET description = 'Consecutive appraised periods (of the position''s cycle: quarters by default) graded in the best band that put a specialist in the reserve-supervisor pool (docs/rules.md, "Appraisal periods and results").' WHERE name = 'reserve_pool_streak';
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
-- high-satisfaction flag, the providers' standing and the sales companies'
-- assessment) and min_raters'
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
  ('extreme_rating_weight', 'numeric', 0, 1, '1', 'Weight of an extreme survey rating (the lowest or the highest of its scale) in the extreme-weighted CSAT the scorecards show beside the plain one; the other ratings weigh 1. 1, the default, weighs all alike (docs/rules.md, "Complaint handling": extreme ratings are less reliable).'),
  ('refuse_charges_after_disqualification', 'boolean', NULL, NULL, 'false', 'Whether the penalty ledger refuses to charge a provider''s events from the day its disqualification takes effect (status refused, amount 0): false, the default, charges them as before (docs/rules.md, "Service providers").'),
  ('disqualify_period', 'period kind', NULL, NULL, 'quarter', 'Kind of period (month, quarter, half_year or year) in which appraisal.disqualification_candidates counts a provider''s charged complaints and penalties (docs/rules.md, "Service providers"; the regulation names no window: a quarter is the project''s).'),
  ('disqualify_complaints', 'integer', 0, NULL, '3', 'Charged service complaints in one disqualify_period that propose a provider for disqualification; 0: never by count (docs/rules.md, "Service providers"; the regulation names no number: 3 is the project''s).'),
  ('disqualify_amount', 'numeric', 0, NULL, '0', 'Penalty amount charged in one disqualify_period that proposes a provider for disqualification; 0, the default: never by amount (docs/rules.md, "Service providers").'),
  ('sales_weight_sms', 'numeric', 0, 100, '40', 'Weight of the SMS satisfaction in a sales company''s combined assessment (docs/rules.md, "Service providers"; the regulation names no weights: 40/30/30 is the project''s).'),
  ('sales_weight_call_back', 'numeric', 0, 100, '30', 'Weight of the head-office call-back satisfaction in a sales company''s combined assessment (docs/rules.md, "Service providers").'),
  ('sales_weight_feedback', 'numeric', 0, 100, '30', 'Weight of the sales company''s own feedback score in its combined assessment (docs/rules.md, "Service providers").'),
  ('class_pending_batches', 'integer', 0, NULL, '2', 'A customer with receivables and fewer order batches than this in the year is pending (docs/rules.md, "Customer classification": fewer than 2 sales batches and money owed); 0 leaves only the no-business branch.'),
  ('survey_allow_missed_key_customers', 'boolean', NULL, NULL, 'false', 'Whether a survey run that sent no questionnaire to a key customer in its scope can still be valid: false (the default: key customers must be surveyed, docs/rules.md, "Satisfaction survey") or true (the run only lists them).'),
  ('customer_value_tier_scale', 'grade scale', NULL, NULL, 'value_tier', 'Grade scale of the customer value points (docs/rules.md, "Customer value tiers": gold >= 80, silver >= 60, ordinary); a customer in its lowest band whose potential points reach value_potential_points is potential instead.'),
  ('value_weight_purchase', 'numeric', 0, 100, '60', 'Weight of purchase behaviour (the sales points) in the customer value points (docs/rules.md, "Customer value tiers": 60, the project''s).'),
  ('value_weight_loyalty', 'numeric', 0, 100, '40', 'Weight of loyalty (repurchase, referrals, recommendation) in the customer value points (docs/rules.md, "Customer value tiers": 40, the project''s).'),
  ('value_sales_full_at', 'numeric', 0, NULL, '1000000', 'Yearly sales scoring 100 purchase points (0 scores 0, linear between; docs/rules.md, "Customer value tiers": 1,000,000, the project''s).'),
  ('value_batches_full_at', 'integer', 2, NULL, '12', 'Order batches in the year scoring 100 repurchase points (one batch, no repurchase, scores 0, linear between; docs/rules.md, "Customer value tiers": 12, a monthly reorder).'),
  ('value_referrals_full_at', 'integer', 1, NULL, '5', 'Referrals in the year scoring 100 referral points (none scores 0, linear between; docs/rules.md, "Customer value tiers": 5, the project''s).'),
  ('value_weight_repurchase', 'numeric', 0, 100, '50', 'Weight of the repurchase points in the loyalty points (docs/rules.md, "Customer value tiers": 50).'),
  ('value_weight_referrals', 'numeric', 0, 100, '25', 'Weight of the referral points in the loyalty points (docs/rules.md, "Customer value tiers": 25); left out when referrals are not recorded.'),
  ('value_weight_recommendation', 'numeric', 0, 100, '25', 'Weight of the recommendation points (the 0-10 answer times 10) in the loyalty points (docs/rules.md, "Customer value tiers": 25); left out when not asked.'),
  ('value_growth_full_at', 'numeric', 0, NULL, '25', 'Sales growth (percent) scoring 100 growth points (0 % and less score 0, linear between; docs/rules.md, "Customer value tiers": 25 %, as in the customer score).'),
  ('value_weight_growth', 'numeric', 0, 100, '50', 'Weight of the growth points in the potential points (docs/rules.md, "Customer value tiers": 50); left out when the growth is unknown.'),
  ('value_weight_potential_rating', 'numeric', 0, 100, '50', 'Weight of the sales manager''s potential rating in the potential points (docs/rules.md, "Customer value tiers": 50); left out when not rated.'),
  ('value_potential_points', 'numeric', 0, 100, '60', 'Potential points from which a customer in the lowest band of customer_value_tier_scale is potential, not ordinary (docs/rules.md, "Customer value tiers": 60, the project''s).');
UPDATE appraisal.setting_definitions SET max_value = 12, description = 'Fewer results of the position''s cycle than this in a year (quarters by default; up to 12 for a monthly position, at most 2 can be met by a half-yearly one): annual grade ''insufficient data''.' WHERE name = 'min_quarters';
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

-- The inverses of combining two summaries: what the changed refresh takes
-- out of a day's row for a ticket written since the last refresh.
CREATE FUNCTION appraisal.sla_stats_combine_inv(appraisal.sla_stats, appraisal.sla_stats)
  RETURNS appraisal.sla_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.sla_stats_combine_inv(appraisal.sla_stats, appraisal.sla_stats) IS
  'The inverse of sla_stats_combine: the first summary less the second, which it must hold (each count, and the business time of the finished items), exactly; else an error. refresh_scorecards() takes a changed ticket''s old contribution out of its day''s row with it.';
CREATE FUNCTION appraisal.fcr_stats_combine_inv(appraisal.fcr_stats, appraisal.fcr_stats)
  RETURNS appraisal.fcr_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.fcr_stats_combine_inv(appraisal.fcr_stats, appraisal.fcr_stats) IS
  'The inverse of fcr_stats_combine: the first summary less the second, which it must hold (its first-contact, recurred and other resolved items), exactly; else an error. refresh_scorecards() takes a changed ticket''s old contribution out of its day''s row with it.';

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
  needs boolean;
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
  SELECT i.scale, i.needs_acceptance INTO scale_of_item, needs FROM appraisal.survey_items i
  WHERE i.questionnaire = q AND i.item_no = NEW.item_no;
  IF scale_of_item IS NULL AND appraisal.replaying_dump() THEN
    RETURN NEW;   -- the items are restored later
  END IF;
  IF scale_of_item IS NULL THEN
    RAISE EXCEPTION 'questionnaire "%" of survey run "%" has no item %', q, NEW.run_id, NEW.item_no
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  PERFORM appraisal.item_points(NEW.value, scale_of_item);   -- a value outside the scale is an error
  IF needs IS DISTINCT FROM (NEW.acceptance IS NOT NULL) THEN
    RAISE EXCEPTION 'item % of questionnaire "%" %', NEW.item_no, q,
      CASE WHEN needs THEN 'needs the customer''s acceptance' ELSE 'takes no acceptance' END
      USING ERRCODE = 'check_violation',
            HINT = CASE WHEN needs THEN 'Set acceptance to very satisfied, basically satisfied, acceptable or not accepted.'
                        ELSE 'Leave acceptance NULL: only items with needs_acceptance record it.' END;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.customer_survey_answers_check() IS
  'Trigger on appraisal.customer_survey_answers: the questionnaire was returned, the item belongs to the run''s questionnaire, the value lies within the item''s scale, and acceptance is given exactly for the items that need it.';

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
-- The job's command: the refresh under REPEATABLE READ, so that every
-- summary reads one snapshot without keeping writers waiting (under READ
-- COMMITTED the refresh keeps the tables it reads from changing).  SET
-- TRANSACTION, not BEGIN: pg_cron runs a job's statements in one
-- transaction and refuses transaction control in its background workers.
CREATE FUNCTION appraisal.cron_job_command() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SELECT * FROM appraisal.refresh_scorecards()';
END;
COMMENT ON FUNCTION appraisal.cron_job_command() IS
  'The command of the pg_cron job schedule_refresh registers: refresh_scorecards() under REPEATABLE READ (one snapshot for every summary; writers never wait for it).';

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
                        THEN format('Set cron.database_name = %L and restart the server, then run CREATE EXTENSION pg_cron here; or, connected to database "%s", run SELECT cron.schedule_in_database(%L, ''30 2 * * *'', %L, %L).',
                                    current_database(), cron_db, appraisal.cron_job_name(), appraisal.cron_job_command(), current_database())
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
    USING appraisal.cron_job_name(), cron, appraisal.cron_job_command();
  RETURN job;
END
$$;
COMMENT ON FUNCTION appraisal.schedule_refresh(text) IS
  'Has pg_cron run appraisal.refresh_scorecards() in this database on the given cron schedule (e.g. ''30 2 * * *'', nightly at 02:30 GMT: pg_cron 1.4 reads schedules in GMT, later versions in cron.timezone; ''* * * * *'' every minute costs next to nothing while nothing changes), under REPEATABLE READ (appraisal.cron_job_command: writers never wait for it); scheduling again replaces the schedule (a paused job is replaced by an active one). Returns the pg_cron job id. Fails, saying how to enable it, when pg_cron is not installed.';

-- The summaries (agent_daily_follow_up among them) are refreshed from the
-- same data: one snapshot under REPEATABLE READ, the tables they read kept
-- from changing under READ COMMITTED; and as the extension's owner
-- (SECURITY DEFINER).  It logs its progress and reports the problems of
-- appraisal.data_health, with a last row of mode check: a new result column
-- (problems); and it does nothing when nothing changed since the last
-- refresh (appraisal.refresh_log and refresh_state, made at the end of this
-- script), unless called with full => true: a new argument, so the function
-- is created again (its grants with it).
DROP FUNCTION appraisal.refresh_scorecards();
CREATE FUNCTION appraisal.refresh_scorecards(full boolean DEFAULT false)
RETURNS TABLE (materialized_view text, mode text, rows bigint, started_at timestamptz, duration interval, problems text[])
LANGUAGE plpgsql SECURITY DEFINER
-- JIT-compiling the summaries' long expressions costs more than it saves:
-- about a sixth of agent_daily's time at 2M tickets
SET jit = off
-- each statement planned for the arrays of keys it is given, at every call
-- (and the statements of the functions it calls: keep_recurred_tickets).
-- PL/pgSQL's plan cache would switch to a generic plan after five calls in
-- one session, where an array is a parameter of unknown length: estimated
-- at a few elements, and `= ANY` and `<> ALL` over it tested element by
-- element instead of hashed.  At 10M tickets, in a session that had
-- refreshed five times, a refresh after a day of tickets took 2.2 s
-- instead of 0.86 s, and 19.8 s instead of 0.99 s after a day in which
-- every ticket came back (34,000 ticket ids compared with each of 31,000
-- comebacks).  A custom plan costs its planning at each call: some 30 ms.
SET plan_cache_mode = force_custom_plan
-- the per agent and day groups of a year of tickets hashed in memory
-- rather than every ticket sorted on disk (360,000 agent-days take about
-- 240 MB of the 512 MB a hash may use with hash_mem_multiplier 2)
SET work_mem = '256MB'
-- the summaries' calendar arithmetic (a call-back window of days) in the
-- report time zone, whoever refreshes (set below), not in the session's
SET TimeZone = 'UTC'
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  stale regclass[];   -- the summaries to recompute, in refresh order
  mv regclass;
  summary record;
  st appraisal.refresh_state;
  whole boolean;
  report_zone text;
  any_whole boolean := false;   -- a summary recomputed whole (or a materialized view refreshed)
  time_agents text[] := '{}';   -- the agent-days time alone has moved since the last refresh
  time_days date[] := '{}';
  agents text[];
  days date[];
  t0 timestamptz;
  key_order text;   -- the columns of a summary's unique index, in order
  problem text;
  h record;
  every_row boolean;   -- every summary of tickets recomputed whole
  parallel_workers constant text := current_setting('max_parallel_workers_per_gather');   -- the caller's
  setup_cost constant text := current_setting('parallel_setup_cost');   -- the caller's
  tuple_cost constant text := current_setting('parallel_tuple_cost');   -- the caller's
  keys record;   -- of a summary: refresh_keys
  follow_up_mode text;   -- the follow-up summary's, when written with the CSAT one
  time_whole boolean := false;   -- a summary that changes with time recomputed whole
  written_tickets text[];   -- the tickets written, when only their events can be new
  calls_written boolean;   -- with them: call-backs or survey responses written
  added text[];   -- the tickets inserted, which category_daily adds to its counts
  time_next timestamptz;   -- when time alone has moved figures: its next change after now()
  ticket_rows tid[];   -- on one node, the tickets of the agent-days of agent_daily and of the CSAT and follow-up pass
  read_agents text[];   -- with read_days: those agent-days
  read_days date[];
  pass_keys record;   -- refresh_keys of agent_daily_csat and agent_daily_follow_up, when read with agent_daily's
  pass_follow_up_keys record;
  pass_known boolean := false;
  customers text[];   -- with categories: those of the tickets written, gone or moved (on one node)
  categories text[];
  customer_rows tid[];   -- the tickets of those customers and categories
  adjusted bigint := 0;   -- agent_daily's rows whose FCR the kept comebacks changed
  missing_agents text[];   -- with missing_days: agent-days so changed without a row
  missing_days date[];
  by_difference boolean := false;   -- agent_daily adjusted by the difference the tickets written make
  written text[] := '{}';   -- those tickets
  versions jsonb;   -- the versions of those that the last refresh counted, with their comebacks then
  written_rows tid[];   -- with written_agents and written_days: those tickets now, their addresses and agent-days
  written_agents text[];
  written_days date[];
  inserted_rows tid[];   -- with the two below: those of them inserted since the last refresh
  inserted_agents text[];
  inserted_days date[];
  differenced bigint := 0;   -- agent_daily's rows so written
  extending boolean := false;   -- the comebacks of those tickets found from the active tickets alone
  if_active text[];   -- and those tickets whose resolution changed, if each is an active ticket
  written_comebacks jsonb;   -- the comebacks of the tickets written, as of now (keep_recurred_tickets)
  pass_by_difference boolean := false;   -- the CSAT and follow-up summaries adjusted so too
  version_agents text[];   -- with version_days: the agent-days of those versions
  version_days date[];
  no_sla constant appraisal.sla_stats := 'met=0 late=0 overdue=0 pending=0 elapsed=0s';
  no_fcr constant appraisal.fcr_stats := 'resolved=0 first_contact=0 recurred=0';
  row_counts jsonb;   -- per summary of agent-days its rows, as the last refresh left them (refresh_state.summary_rows)
  whole_rows jsonb := '{}';   -- per summary recomputed whole, the rows its statement wrote
  agent_daily_change bigint := 0;   -- in a changed refresh, the rows it inserted less those it deleted:
  csat_change bigint := 0;          -- of agent_daily, agent_daily_csat and agent_daily_follow_up
  follow_up_change bigint := 0;
  inserted_count bigint;   -- with deleted_count and the two below: the rows of one statement
  deleted_count bigint;
  csat_inserted bigint;
  csat_deleted bigint;
  recompute_all boolean;   -- every summary whole: full, or the comebacks kept lost
  unanalyzed text;   -- the small tables to analyze, as a list
BEGIN
  -- Only the summaries that may have changed are recomputed: those whose
  -- tables were written since the last refresh, those time alone has
  -- changed since, all of them the first time or on full => true (42:
  -- stale_summaries); the others are what a refresh would compute, and say
  -- so in a row of mode unchanged.  With none to recompute, the health
  -- check is not repeated either (the view appraisal.data_health runs it
  -- on demand).  A change committed after this look is refreshed by the
  -- next call.
  -- One refresh at a time: a second one while another runs would redo its
  -- work (under REPEATABLE READ only to fail on refresh_state at the end).
  -- It returns at once, mode busy; the running one takes every change
  -- committed before it started, the next call the rest.
  IF NOT pg_try_advisory_xact_lock('appraisal.refresh_state'::regclass::oid::integer, 0) THEN
    RAISE NOTICE 'appraisal: another refresh_scorecards() is running: this call did nothing';
    RETURN QUERY SELECT m.summary::text, 'busy'::text, NULL::bigint, clock_timestamp(), interval '0', NULL::text[]
                   FROM appraisal.summary_sources() m ORDER BY m.refresh_order;
    RETURN;
  END IF;
  -- under REPEATABLE READ, a snapshot taken before another refresh committed
  -- fails here at once (serialization) rather than after all its work
  PERFORM FROM appraisal.refresh_state FOR UPDATE;
  -- On a Citus cluster the writes to the distributed tables are logged on
  -- the workers: their rows are taken into this log first, before the
  -- refresh reads any shard, so that every change taken is one its reads
  -- see (42: take_node_logs)
  IF appraisal.distributed() THEN
    PERFORM appraisal.take_node_logs();
  END IF;
  report_zone := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  PERFORM set_config('TimeZone', report_zone, true);
  -- On one node the comebacks the refresh keeps are unlogged tables (40:
  -- recurred_tickets, active_tickets): after a crash or a standby's
  -- promotion they are empty, comebacks_kept with them, and every summary
  -- is recomputed, as with full => true, which computes them anew.
  recompute_all := refresh_scorecards.full
                   OR NOT appraisal.distributed() AND NOT EXISTS (SELECT FROM appraisal.comebacks_kept);
  SELECT CASE WHEN recompute_all THEN array_agg(m.summary ORDER BY m.refresh_order)
              ELSE appraisal.stale_summaries(now()) END
    INTO stale
    FROM appraisal.summary_sources() m;
  IF cardinality(stale) = 0 THEN
    RETURN QUERY SELECT m.summary::text, 'unchanged'::text, NULL::bigint, clock_timestamp(), interval '0', NULL::text[]
                   FROM appraisal.summary_sources() m ORDER BY m.refresh_order;
    RETURN;
  END IF;
  -- The summaries must describe the same data: a ticket committed
  -- between two of them would count as a ticket but not in its SLA columns,
  -- or a response without its ticket.  Under REPEATABLE READ (or
  -- SERIALIZABLE) every REFRESH reads the transaction's one snapshot, the
  -- one stale_summaries read the log with.  Under READ COMMITTED each
  -- statement takes a snapshot of its own, so the tables the summaries read
  -- are kept from changing until the transaction ends (their writers wait,
  -- readers do not; docs/operations.md, "One snapshot"), and the log is read
  -- again once they are: what was written before is all there is, and every
  -- log row the refresh deletes at the end is one it has seen.
  IF current_setting('transaction_isolation') = 'read committed' THEN
    EXECUTE (SELECT format('LOCK TABLE %s IN SHARE MODE', string_agg(DISTINCT t::text, ', '))
               FROM appraisal.summary_sources() m, unnest(m.sources || 'appraisal.employees'::regclass) t);
    IF NOT recompute_all THEN
      stale := appraisal.stale_summaries(now());
    END IF;
  END IF;
  -- The small tables the views join rarely reach autovacuum's thresholds;
  -- without statistics the planner guesses hundreds of periods and plans
  -- (and JIT-compiles) as for millions of rows.  Those written since their
  -- last analysis, as the statistics collector has seen it, or never
  -- analyzed (analyzing all seven took 12-15 ms at 10M tickets, a tenth
  -- of a small refresh, mostly for nothing).  A write counted after this
  -- look is analyzed by the next refresh.
  -- (On Citus they are reference tables, analyzed on the workers.)
  IF NOT appraisal.distributed() THEN
    SELECT string_agg(t::text, ', ')
      INTO unanalyzed
      FROM unnest(ARRAY['appraisal.setting_definitions', 'appraisal.settings', 'appraisal.employees', 'appraisal.periods',
                        'appraisal.sla_policies', 'appraisal.kpi_definitions', 'appraisal.kpi_results']::regclass[]) t
     WHERE pg_stat_get_mod_since_analyze(t) > 0
        OR coalesce(pg_stat_get_last_analyze_time(t), pg_stat_get_last_autoanalyze_time(t)) IS NULL;
    IF unanalyzed IS NOT NULL THEN
      EXECUTE 'ANALYZE ' || unanalyzed;
    END IF;
  END IF;
  -- A rater counts once per ratee and period: one role for all dimensions
  -- (checked when period_ratings, which reads the reviews, is recomputed:
  -- the reviews were written since the last refresh, which checked them)
  IF 'appraisal.period_ratings'::regclass = ANY (stale) THEN
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
  END IF;
  -- Each summary of tickets is recomputed whole (full => true, the first
  -- refresh, after an update, or when a table it reads was written in a way
  -- not logged per agent-day: a setting, a policy, a calendar, a TRUNCATE),
  -- else only for the agent-days logged for its tables (refresh_log), those
  -- whose figures time alone has moved since the last refresh
  -- (summary_events), and for agent_daily the earlier tickets whose
  -- comeback those changes may have changed (comeback_agent_days): each
  -- summary's from refresh_keys.  The
  -- rows are deleted and computed again in this transaction: readers see
  -- the old ones until it commits.  period_ratings, a materialized view, is
  -- refreshed whole.
  SELECT * INTO st FROM appraisal.refresh_state;
  row_counts := st.summary_rows;
  every_row := recompute_all OR st.refreshed_at IS NULL OR st.next_change_at = '-infinity';
  -- Recomputing some agent-days, as a refresh scheduled every minute does
  -- while the tickets come in, it runs serially: with parallel workers it
  -- would take every core from the writers.  At 10M tickets on 2 cores,
  -- single-ticket inserts with such a refresh every 10 s had a p99 of 7.0
  -- and 12.0 ms; serially a median of 2.9 ms over six runs, against 4.3 ms
  -- over seven without any refresh (a noisy machine), each refresh taking
  -- 25-31 s instead of 20-28 s (docs/performance.md).  A summary recomputed
  -- whole has the caller's workers.
  IF NOT every_row THEN
    PERFORM set_config('max_parallel_workers_per_gather', '0', true);
  END IF;
  IF NOT recompute_all AND st.refreshed_at IS NOT NULL AND now() >= st.next_change_at THEN
    -- (and, from the same read of the tickets, the first instant still to come)
    SELECT coalesce(array_agg(e.agent_id) FILTER (WHERE e.due), '{}'), coalesce(array_agg(e.day) FILTER (WHERE e.due), '{}'),
           coalesce(min(e.next_at), 'infinity')
      INTO time_agents, time_days, time_next
      FROM (SELECT e.agent_id, e.day, bool_or(e.at <= now()) AS due, min(e.next_at) AS next_at
              FROM appraisal.summary_events(st.refreshed_at, NULL, now()) e
             GROUP BY e.agent_id, e.day) e;
  END IF;
  FOR summary IN SELECT * FROM appraisal.summary_sources() x ORDER BY x.refresh_order LOOP
    mv := summary.summary;
    t0 := clock_timestamp();
    materialized_view := mv::text;
    started_at := t0;
    IF NOT mv = ANY (stale) THEN
      mode := 'unchanged';
      rows := NULL;
      duration := interval '0';
      RETURN NEXT;
      CONTINUE;
    END IF;
    IF mv = 'appraisal.period_ratings'::regclass THEN
      IF (SELECT relispopulated FROM pg_class WHERE oid = mv) THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY appraisal.period_ratings;
        mode := 'concurrently';
      ELSE   -- the first refresh cannot be concurrent
        REFRESH MATERIALIZED VIEW appraisal.period_ratings;
        mode := 'full';
      END IF;
      any_whole := true;
    ELSE
      IF NOT (mv = 'appraisal.agent_daily_follow_up'::regclass AND follow_up_mode IS NOT NULL) THEN
        IF mv = 'appraisal.agent_daily_csat'::regclass AND pass_known THEN
          keys := pass_keys;
        ELSE
          -- (of agent_daily on one node, adjusted by difference, whole alone)
          SELECT * INTO keys FROM appraisal.refresh_keys(mv, every_row, time_agents, time_days,
                                                         NOT (mv = 'appraisal.agent_daily'::regclass AND NOT appraisal.distributed()));
        END IF;
        whole := keys.whole;
        agents := keys.agents;
        days := keys.days;
        added := keys.added;
      END IF;
      -- On one node, when agent_daily is not recomputed whole, its rows are
      -- adjusted by difference: each ticket written since the last refresh
      -- (refresh_log) is taken out of its agent-day's row as it counted
      -- then (the version before the first statement that wrote it, logged
      -- by the trigger, with the comeback it had, as of the last refresh:
      -- agent_daily_rows given versions) and added as it counts now, with
      -- the comeback keep_recurred_tickets returns for it (none of a ticket
      -- inserted since, or deleted); the summaries' types have
      -- exact inverses (sla_stats_combine_inv, fcr_stats_combine_inv).
      -- Nothing else of those rows can have changed but by time, and the
      -- agent-days time alone has moved are recomputed.  (Every update or
      -- delete logged per agent-day logs its rows as they were; a mass one,
      -- logged without, has every row recomputed.)
      -- The tickets that recurred are kept for the tickets written
      -- (recurred_tickets, 40; keep_recurred_tickets, 42).  One read of
      -- every ticket finds the addresses (ctid) of the tickets of the
      -- agent-days recomputed and of those the CSAT and follow-up pass
      -- recomputes (its keys read here), which both then read alone
      -- (agent_daily_rows, agent_daily_csat_follow_up_rows), and of the
      -- tickets of the customers and categories written, gone or moved,
      -- whose entries are computed anew from them.  An entry that came or
      -- went changes the FCR of its ticket's agent-day by one recurrence
      -- (and one first-contact resolution): a written ticket's is in its
      -- difference, an agent-day recomputed has it, any other ticket's is
      -- added to its row, nothing else of it having changed since the last
      -- refresh.  (At 10M tickets, after the bench's change, the read
      -- testing both took 1.54-1.61 s, against 1.15 s and 1.09-1.14 s for
      -- two reads, one before the entries, one after, for the agent-days
      -- whose entries changed.)  An agent-day that has no row then (none is
      -- expected: its ticket would have been counted by the last refresh) is
      -- recomputed, its tickets read apart.
      IF mv = 'appraisal.agent_daily'::regclass AND NOT whole AND NOT appraisal.distributed() THEN
        by_difference := true;
        -- Each ticket written, and the version the first statement that
        -- wrote it found (none: it inserted it), with its comeback then;
        -- and the address and agent-day of each one there now, those
        -- inserted since the last refresh apart (each looked up by its
        -- key, the comeback only for a ticket with a version).
        -- The comebacks are found from the active tickets alone
        -- (keep_recurred_tickets without customers) when every ticket
        -- written that is a customer's (system-caused complaints left out),
        -- as it was or as it is, was opened after the latest opening seen
        -- (inserted since), or kept its customer, category, opening and
        -- cause and either its resolution too or is an active ticket
        -- (extending).  Any other write has the tickets of the customers
        -- written read.
        SELECT coalesce(array_agg(f.ticket_id), '{}'),
               coalesce(jsonb_agg(f.version || jsonb_build_object('next_opened_at', c.next_opened_at))
                          FILTER (WHERE f.version IS NOT NULL), '[]'),
               coalesce(array_agg((f.o).agent_id) FILTER (WHERE f.version IS NOT NULL), '{}'),
               coalesce(array_agg(appraisal.local_day((f.o).opened_at, report_zone)) FILTER (WHERE f.version IS NOT NULL), '{}'),
               coalesce(array_agg(t.ctid) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NOT NULL), '{}'),
               coalesce(array_agg(t.agent_id) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NOT NULL), '{}'),
               coalesce(array_agg(appraisal.local_day(t.opened_at, report_zone)) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NOT NULL), '{}'),
               coalesce(array_agg(t.ctid) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NULL), '{}'),
               coalesce(array_agg(t.agent_id) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NULL), '{}'),
               coalesce(array_agg(appraisal.local_day(t.opened_at, report_zone)) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NULL), '{}'),
               coalesce(bool_and(e.extends IS DISTINCT FROM false), true),
               coalesce(array_agg(t.ticket_id) FILTER (WHERE e.extends IS NULL), '{}')
          INTO written, versions, version_agents, version_days, written_rows, written_agents, written_days,
               inserted_rows, inserted_agents, inserted_days, extending, if_active
          FROM (SELECT f.ticket_id, f.version,   -- (the version as a row, o, for a ticket that has one)
                       CASE WHEN f.version IS NOT NULL THEN jsonb_populate_record(NULL::appraisal.tickets, f.version) END AS o
                  FROM (SELECT DISTINCT ON (e.ticket_id COLLATE "C") e.ticket_id, e.version
                          FROM appraisal.refresh_log r
                          CROSS JOIN LATERAL (SELECT o ->> 'ticket_id', 0, o FROM jsonb_array_elements(r.before) o
                                              UNION ALL
                                              SELECT n, 1, NULL::jsonb FROM unnest(r.tickets) n) e(ticket_id, side, version)
                         WHERE r.source = 'appraisal.tickets'
                         ORDER BY e.ticket_id COLLATE "C", r.id, e.side) f
                OFFSET 0) f   -- (computed once, not at each use)
          LEFT JOIN LATERAL (SELECT c.next_opened_at FROM appraisal.recurred_tickets c
                              WHERE f.version IS NOT NULL AND c.ticket_id = f.ticket_id OFFSET 0) c ON true
          LEFT JOIN appraisal.tickets t ON t.ticket_id = f.ticket_id
          -- whether it lets the comebacks be found from the active tickets
          -- (NULL: if it is one; an open ticket is)
          CROSS JOIN LATERAL (
            SELECT CASE WHEN NOT ((f.o).customer_id IS NOT NULL AND (f.o).cause IS DISTINCT FROM 'system')
                             AND NOT (t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system') THEN true
                        WHEN f.version IS NULL THEN coalesce(t.opened_at > st.latest_opening, false)
                        WHEN t.ctid IS NULL THEN false
                        WHEN ((f.o).customer_id, (f.o).category, (f.o).opened_at, (f.o).customer_id IS NOT NULL AND (f.o).cause IS DISTINCT FROM 'system')
                             IS DISTINCT FROM
                             (t.customer_id, t.category, t.opened_at, t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system')
                        THEN false
                        WHEN (f.o).resolved_at IS NOT DISTINCT FROM t.resolved_at OR (f.o).resolved_at IS NULL THEN true END AS extends) e;
        -- the others whose resolution changed, if each is an active ticket
        -- (the table has no index, 40: one scan of it, hashed against them)
        IF extending AND cardinality(if_active) > 0 THEN
          extending := (SELECT count(DISTINCT a.ticket_id) FROM appraisal.active_tickets a WHERE a.ticket_id IN (SELECT unnest(if_active))) = cardinality(if_active);
        END IF;
        written_rows := written_rows || inserted_rows;
        written_agents := written_agents || inserted_agents;
        written_days := written_days || inserted_days;
        agents := time_agents;   -- recomputed: the agent-days time alone has moved
        days := time_days;
        read_agents := agents;
        read_days := days;
        IF 'appraisal.agent_daily_csat'::regclass = ANY (stale) AND 'appraisal.agent_daily_follow_up'::regclass = ANY (stale) THEN
          -- The CSAT and follow-up pass by difference too when only tickets
          -- were written: the responses, call-backs and inspections of the
          -- tickets written are then as the last refresh counted them, and
          -- their old versions with them count as they did (it recomputes the
          -- agent-days time alone has moved, read for agent_daily).  A write
          -- of a row of those tables has it recompute the agent-days logged
          -- (a statement that wrote none, as a ticket's delete cascading to
          -- no response, is logged with no ticket).  Their keys: whether
          -- whole alone, by difference; else their agent-days too, read here
          -- with agent_daily's.
          pass_by_difference := NOT EXISTS (SELECT FROM appraisal.refresh_log r
                                            WHERE to_regclass(r.source) IN ('appraisal.survey_responses'::regclass, 'appraisal.call_backs'::regclass,
                                                                            'appraisal.quality_inspections'::regclass)
                                              AND cardinality(r.tickets) IS DISTINCT FROM 0);
          SELECT * INTO pass_keys FROM appraisal.refresh_keys('appraisal.agent_daily_csat', every_row, time_agents, time_days, NOT pass_by_difference);
          SELECT * INTO pass_follow_up_keys FROM appraisal.refresh_keys('appraisal.agent_daily_follow_up', every_row, time_agents, time_days,
                                                                        NOT pass_by_difference);
          pass_known := true;
          IF pass_by_difference AND (pass_keys.whole OR pass_follow_up_keys.whole) THEN
            -- (then as their keys say, with their agent-days)
            pass_by_difference := false;
            SELECT * INTO pass_keys FROM appraisal.refresh_keys('appraisal.agent_daily_csat', every_row, time_agents, time_days);
            SELECT * INTO pass_follow_up_keys FROM appraisal.refresh_keys('appraisal.agent_daily_follow_up', every_row, time_agents, time_days);
          END IF;
          IF NOT pass_by_difference AND NOT pass_keys.whole AND NOT pass_follow_up_keys.whole THEN
            read_agents := read_agents || pass_keys.agents || pass_follow_up_keys.agents;
            read_days := read_days || pass_keys.days || pass_follow_up_keys.days;
          END IF;
        END IF;
        -- the customers and categories of the tickets written, gone or moved
        customers := '{}';
        categories := '{}';
        IF NOT extending THEN
          SELECT coalesce(array_agg(c.customer_id), '{}'), coalesce(array_agg(c.category), '{}')
            INTO customers, categories
            FROM (SELECT t.customer_id, t.category
                    FROM appraisal.tickets t
                   WHERE t.customer_id IS NOT NULL   -- (through the table's key)
                     AND t.ticket_id = ANY (ARRAY(SELECT unnest(r.tickets) FROM appraisal.refresh_log r WHERE r.source = 'appraisal.tickets'))
                  UNION
                  SELECT m.customer_id, m.category
                    FROM appraisal.refresh_log r
                    CROSS JOIN jsonb_to_recordset(r.moved) m(customer_id text, category text)
                   WHERE r.source = 'appraisal.tickets' AND m.customer_id IS NOT NULL) c;
        END IF;
        ticket_rows := '{}';
        customer_rows := '{}';
        IF cardinality(read_days) > 0 OR cardinality(customers) > 0 THEN
          SELECT coalesce(array_agg(x.ctid) FILTER (WHERE x.asked), '{}'), coalesce(array_agg(x.ctid) FILTER (WHERE x.written), '{}')
            INTO ticket_rows, customer_rows
            FROM (SELECT t.ctid,
                         appraisal.pair_in(t.agent_id, appraisal.local_day(t.opened_at, report_zone), read_agents, read_days) AS asked,
                         appraisal.pair_in(t.customer_id, t.category, customers, categories) AS written
                    FROM appraisal.tickets t) x
           WHERE x.asked OR x.written;
        END IF;
        WITH kept AS MATERIALIZED (
          SELECT c.* FROM appraisal.keep_recurred_tickets(CASE WHEN NOT extending THEN customers END, categories,
                                                          CASE WHEN extending THEN written_rows ELSE customer_rows END,
                                                          CASE WHEN by_difference THEN written ELSE '{}' END) c
        ), changes AS (
          SELECT c.* FROM kept c
          WHERE c.agent_id IS NOT NULL AND (c.first_contact_change, c.recurred_change) <> (0, 0)
            AND NOT EXISTS (SELECT FROM unnest(agents, days) a(agent_id, day) WHERE a.agent_id = c.agent_id AND a.day = c.day)
        ), changed AS (
          UPDATE appraisal.agent_daily d
             SET fcr = format('resolved=%s first_contact=%s recurred=%s', appraisal.resolved(d.fcr),
                              appraisal.first_contact_resolved(d.fcr) + c.first_contact_change,
                              appraisal.recurred(d.fcr) + c.recurred_change)::appraisal.fcr_stats,
                 as_of = now()
            FROM changes c
           WHERE d.agent_id = c.agent_id AND d.day = c.day
          RETURNING d.agent_id, d.day
        )
        SELECT (SELECT count(*) FROM changed),
               coalesce(array_agg(c.agent_id), '{}'), coalesce(array_agg(c.day), '{}'),
               -- (of each ticket written, the entry keep_recurred_tickets
               -- returns, else that of its version: a ticket it did not
               -- compute kept its entry)
               (SELECT coalesce(jsonb_object_agg(e.ticket_id, e.next_opened_at) FILTER (WHERE e.next_opened_at IS NOT NULL), '{}')
                  FROM (SELECT DISTINCT ON (e.ticket_id) e.ticket_id, e.next_opened_at
                          FROM (SELECT k.ticket_id, k.next_opened_at, 0 AS rank FROM kept k WHERE k.agent_id IS NULL
                                UNION ALL
                                SELECT v.ticket_id, v.next_opened_at, 1
                                  FROM jsonb_to_recordset(versions) v(ticket_id text, next_opened_at timestamptz)) e
                         ORDER BY e.ticket_id, e.rank) e)
          INTO adjusted, missing_agents, missing_days, written_comebacks
          FROM changes c
         WHERE NOT EXISTS (SELECT FROM changed u WHERE u.agent_id = c.agent_id AND u.day = c.day);
        IF cardinality(missing_days) > 0 THEN
          agents := agents || missing_agents;
          days := days || missing_days;
          ticket_rows := ticket_rows || ARRAY(SELECT t.ctid FROM appraisal.tickets t
                                               WHERE appraisal.pair_in(t.agent_id, appraisal.local_day(t.opened_at, report_zone),
                                                                       missing_agents, missing_days));
        END IF;
        -- the difference, in the agent-days not recomputed: a row less the
        -- written tickets as they counted, plus them as they count now;
        -- gone when it counts no ticket (those now from the tickets at
        -- their addresses, without the agent-days they fall on: each is on
        -- one of them, and testing every ticket against them cost 15-25 ms
        -- at the bench's change)
        IF by_difference AND cardinality(written) > 0 THEN
          WITH delta AS (
            SELECT d.*, 1 AS sign FROM appraisal.agent_daily_rows(NULL, NULL, written_rows, true, comebacks => written_comebacks) d
            UNION ALL
            SELECT d.*, -1 FROM appraisal.agent_daily_rows(NULL, NULL, NULL, true, st.refreshed_at, versions) d
          ), summed AS (
            SELECT d.agent_id, d.day, sum(d.sign * d.tickets) AS tickets,
                   appraisal.rollup(d.first_response) FILTER (WHERE d.sign > 0) AS first_response_in,
                   appraisal.rollup(d.first_response) FILTER (WHERE d.sign < 0) AS first_response_out,
                   appraisal.rollup(d.resolution) FILTER (WHERE d.sign > 0) AS resolution_in,
                   appraisal.rollup(d.resolution) FILTER (WHERE d.sign < 0) AS resolution_out,
                   appraisal.rollup(d.fcr) FILTER (WHERE d.sign > 0) AS fcr_in,
                   appraisal.rollup(d.fcr) FILTER (WHERE d.sign < 0) AS fcr_out,
                   sum(d.sign * d.complaints) AS complaints, sum(d.sign * d.service_complaints) AS service_complaints,
                   sum(d.sign * d.system_complaints) AS system_complaints,
                   sum(d.sign * d.system_first_responses_excluded) AS system_first_responses_excluded,
                   appraisal.rollup(d.complaint_handling) FILTER (WHERE d.sign > 0) AS complaint_handling_in,
                   appraisal.rollup(d.complaint_handling) FILTER (WHERE d.sign < 0) AS complaint_handling_out
              FROM delta d
             WHERE NOT EXISTS (SELECT FROM unnest(agents, days) a(agent_id, day) WHERE a.agent_id = d.agent_id AND a.day = d.day)
             GROUP BY d.agent_id, d.day
          ), gone AS (
            DELETE FROM appraisal.agent_daily a USING summed s
             WHERE a.agent_id = s.agent_id AND a.day = s.day
            RETURNING a.*
          ), came AS (
            INSERT INTO appraisal.agent_daily
            SELECT s.agent_id, s.day, coalesce(g.tickets, 0) + s.tickets,
                   appraisal.sla_stats_combine_inv(appraisal.sla_stats_combine(coalesce(g.first_response, no_sla), s.first_response_in), s.first_response_out),
                   appraisal.sla_stats_combine_inv(appraisal.sla_stats_combine(coalesce(g.resolution, no_sla), s.resolution_in), s.resolution_out),
                   appraisal.fcr_stats_combine_inv(appraisal.fcr_stats_combine(coalesce(g.fcr, no_fcr), s.fcr_in), s.fcr_out),
                   coalesce(g.complaints, 0) + s.complaints, coalesce(g.service_complaints, 0) + s.service_complaints,
                   coalesce(g.system_complaints, 0) + s.system_complaints,
                   coalesce(g.system_first_responses_excluded, 0) + s.system_first_responses_excluded,
                   appraisal.sla_stats_combine_inv(appraisal.sla_stats_combine(coalesce(g.complaint_handling, no_sla), s.complaint_handling_in),
                                                   s.complaint_handling_out),
                   now()
              FROM summed s
              LEFT JOIN gone g ON g.agent_id = s.agent_id AND g.day = s.day
             WHERE coalesce(g.tickets, 0) + s.tickets > 0
             ORDER BY s.agent_id, s.day
            RETURNING 1
          )
          SELECT (SELECT count(*) FROM came), (SELECT count(*) FROM gone) INTO differenced, deleted_count;
          agent_daily_change := agent_daily_change + differenced - deleted_count;
        END IF;
      END IF;
      -- The rows are written in the order of the table's unique index: its
      -- entries then go in one after the other, and the uniqueness check of
      -- each finds the row it replaces (deleted just before, in this
      -- transaction) where the last refresh wrote it, next to the previous
      -- one's.  In the order the rows come, every entry and every check
      -- lands on another page (at 10M tickets the follow-up summary's rows
      -- took 1.9-3.2 s to write that way, 1.2-1.8 s in index order).
      SELECT string_agg(format('%I', a.attname), ', ' ORDER BY k.n)
        INTO key_order
        FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = mv AND i.indisunique;
      -- The CSAT and follow-up summaries on one node: from one pass over the
      -- tickets and their responses (41: agent_daily_csat_follow_up_rows)
      -- when both are recomputed, every row of both or the agent-days of
      -- either in both, each written in the order of its unique index.  (On
      -- Citus each from its own distributed query.)
      IF mv = 'appraisal.agent_daily_csat'::regclass AND NOT appraisal.distributed()
         AND 'appraisal.agent_daily_follow_up'::regclass = ANY (stale) THEN
        IF pass_known THEN
          keys := pass_follow_up_keys;
        ELSE
          SELECT * INTO keys FROM appraisal.refresh_keys('appraisal.agent_daily_follow_up', every_row, time_agents, time_days);
        END IF;
        IF whole AND keys.whole THEN
          follow_up_mode := 'full';
        ELSIF NOT whole AND NOT keys.whole AND pass_by_difference THEN
          agents := time_agents;   -- recomputed; the tickets written by difference
          days := time_days;
          follow_up_mode := CASE WHEN cardinality(days) > 0 OR cardinality(written) > 0 THEN 'changed' END;
        ELSIF NOT whole AND NOT keys.whole THEN
          SELECT coalesce(array_agg(k.agent_id), '{}'), coalesce(array_agg(k.day), '{}')
            INTO agents, days
            FROM (SELECT * FROM unnest(agents, days) UNION SELECT * FROM unnest(keys.agents, keys.days)) k(agent_id, day);
          follow_up_mode := CASE WHEN cardinality(days) > 0 THEN 'changed' END;
        END IF;
      END IF;
      IF mv = 'appraisal.agent_daily_follow_up'::regclass AND follow_up_mode IS NOT NULL THEN
        mode := follow_up_mode;   -- written with the CSAT summary, above
      ELSIF NOT whole AND cardinality(days) = 0 AND coalesce(cardinality(added), 0) = 0
            AND NOT (mv = 'appraisal.agent_daily'::regclass AND (adjusted > 0 OR cardinality(written) > 0))
            AND NOT (mv = 'appraisal.agent_daily_csat'::regclass AND pass_by_difference AND cardinality(written) > 0) THEN
        -- no row can have changed (for category_daily, updates that moved no ticket)
        mode := 'unchanged';
        rows := NULL;
        duration := interval '0';
        RETURN NEXT;
        CONTINUE;
      ELSE
        IF whole THEN
          PERFORM set_config('max_parallel_workers_per_gather', parallel_workers, true);
          -- category_daily of every ticket on one node, its tickets costed as
          -- free to pass up from the workers, which read them while the
          -- leader groups them: the planner, which takes a group per opening
          -- instant (1.6M, where 10M tickets fall in 2,555 categories and
          -- days), would read them all in the leader alone.  At 10M tickets
          -- 1.08-1.11 s against 1.89-1.97 s, three alternated rounds (40:
          -- category_daily_rows flattens its subquery for every day).
          IF mv = 'appraisal.category_daily'::regclass AND NOT appraisal.distributed() THEN
            PERFORM set_config('parallel_tuple_cost', '0', true);
          END IF;
          agents := NULL;   -- every row
          days := NULL;
        END IF;
        IF mv = 'appraisal.agent_daily_csat'::regclass AND follow_up_mode IS NOT NULL THEN
          IF agents IS NULL OR cardinality(days) > 0 THEN
            DELETE FROM appraisal.agent_daily_csat d WHERE agents IS NULL OR (d.agent_id, d.day) IN (SELECT * FROM unnest(agents, days));
            GET DIAGNOSTICS csat_deleted = ROW_COUNT;
            DELETE FROM appraisal.agent_daily_follow_up d WHERE agents IS NULL OR (d.agent_id, d.day) IN (SELECT * FROM unnest(agents, days));
            GET DIAGNOSTICS deleted_count = ROW_COUNT;
            -- (each in the order of its key, its ids by their bytes: the
            -- same order for ids of ASCII letters and digits, a sort of rows
            -- that mostly come in it already, without strcoll)
            WITH f AS MATERIALIZED (
              SELECT * FROM appraisal.agent_daily_csat_follow_up_rows(agents, days, ticket_rows)
            ), follow_up AS (
              INSERT INTO appraisal.agent_daily_follow_up
              SELECT f.agent_id, f.day, f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections, f.inspection_score_sum,
                     f.extreme_responses, f.extreme_satisfied, f.other_responses, f.other_satisfied, f.as_of
              FROM f WHERE f.opened > 0 ORDER BY f.agent_id COLLATE "C", f.day
              RETURNING 1
            ), csat AS (
              INSERT INTO appraisal.agent_daily_csat
              SELECT f.agent_id, f.day, s.scale_max, s.csat, f.as_of
              FROM f CROSS JOIN unnest(f.scales, f.csats) s(scale_max, csat)
              ORDER BY f.agent_id COLLATE "C", f.day, s.scale_max
              RETURNING 1
            )
            SELECT (SELECT count(*) FROM follow_up), (SELECT count(*) FROM csat) INTO inserted_count, csat_inserted;
            follow_up_change := follow_up_change + inserted_count - deleted_count;
            csat_change := csat_change + csat_inserted - csat_deleted;
            IF agents IS NULL THEN
              whole_rows := whole_rows || jsonb_build_object('appraisal.agent_daily_csat', csat_inserted,
                                                             'appraisal.agent_daily_follow_up', inserted_count);
            END IF;
          END IF;
          -- by difference, in the agent-days not recomputed: the rows less the
          -- tickets written as they counted, plus them as they count now; a
          -- follow-up row kept while its agent-day has tickets opened by now
          -- (as agent_daily's row, written above), a CSAT row while it counts
          -- a response
          IF pass_by_difference AND cardinality(written) > 0 THEN
            WITH delta AS MATERIALIZED (
              SELECT f.*, 1 AS sign   -- (those with a version: the first ones)
                FROM appraisal.agent_daily_csat_follow_up_rows(written_agents[:cardinality(written_agents) - cardinality(inserted_rows)],
                                                               written_days[:cardinality(written_days) - cardinality(inserted_rows)],
                                                               written_rows[:cardinality(written_rows) - cardinality(inserted_rows)]) f
               WHERE cardinality(written_rows) > cardinality(inserted_rows)
              UNION ALL   -- (those inserted since: none of their responses, call-backs and inspections exists)
              SELECT f.*, 1 AS sign
                FROM appraisal.agent_daily_csat_follow_up_rows(inserted_agents, inserted_days, inserted_rows, facts => false) f
               WHERE cardinality(inserted_rows) > 0
              UNION ALL
              SELECT f.*, -1 FROM appraisal.agent_daily_csat_follow_up_rows(version_agents, version_days, NULL, st.refreshed_at, versions) f
            ), kept AS (
              SELECT d.* FROM delta d
               WHERE NOT EXISTS (SELECT FROM unnest(agents, days) a(agent_id, day) WHERE a.agent_id = d.agent_id AND a.day = d.day)
            ), summed AS (
              SELECT d.agent_id, d.day, sum(d.sign * d.resolved) AS resolved, sum(d.sign * d.called_back) AS called_back,
                     sum(d.sign * d.call_back_pending) AS call_back_pending, sum(d.sign * d.surveyed) AS surveyed,
                     sum(d.sign * d.inspections) AS inspections, sum(d.sign * d.inspection_score_sum) AS inspection_score_sum,
                     sum(d.sign * d.extreme_responses) AS extreme_responses, sum(d.sign * d.extreme_satisfied) AS extreme_satisfied,
                     sum(d.sign * d.other_responses) AS other_responses, sum(d.sign * d.other_satisfied) AS other_satisfied
                FROM kept d
               GROUP BY d.agent_id, d.day
            ), gone AS (
              DELETE FROM appraisal.agent_daily_follow_up a USING summed s
               WHERE a.agent_id = s.agent_id AND a.day = s.day
              RETURNING a.*
            ), follow_up AS (
              INSERT INTO appraisal.agent_daily_follow_up
              SELECT s.agent_id, s.day, coalesce(g.resolved, 0) + s.resolved, coalesce(g.called_back, 0) + s.called_back,
                     coalesce(g.call_back_pending, 0) + s.call_back_pending, coalesce(g.surveyed, 0) + s.surveyed,
                     coalesce(g.inspections, 0) + s.inspections, coalesce(g.inspection_score_sum, 0) + s.inspection_score_sum,
                     coalesce(g.extreme_responses, 0) + s.extreme_responses, coalesce(g.extreme_satisfied, 0) + s.extreme_satisfied,
                     coalesce(g.other_responses, 0) + s.other_responses, coalesce(g.other_satisfied, 0) + s.other_satisfied, now()
                FROM summed s
                LEFT JOIN gone g ON g.agent_id = s.agent_id AND g.day = s.day
               WHERE EXISTS (SELECT FROM appraisal.agent_daily a WHERE a.agent_id = s.agent_id AND a.day = s.day)
               ORDER BY s.agent_id, s.day
              RETURNING 1
            ), scaled AS (
              SELECT d.agent_id, d.day, c.scale_max,
                     appraisal.rollup(c.csat) FILTER (WHERE d.sign > 0) AS csat_in, appraisal.rollup(c.csat) FILTER (WHERE d.sign < 0) AS csat_out
                FROM kept d
                CROSS JOIN unnest(d.scales, d.csats) c(scale_max, csat)
               GROUP BY d.agent_id, d.day, c.scale_max
            ), gone_csat AS (
              DELETE FROM appraisal.agent_daily_csat a USING scaled s
               WHERE a.agent_id = s.agent_id AND a.day = s.day AND a.scale_max = s.scale_max
              RETURNING a.*
            ), csat AS (
              INSERT INTO appraisal.agent_daily_csat
              SELECT s.agent_id, s.day, s.scale_max, c.csat, now()
                FROM scaled s
                LEFT JOIN gone_csat g ON g.agent_id = s.agent_id AND g.day = s.day AND g.scale_max = s.scale_max
                CROSS JOIN LATERAL (SELECT appraisal.csat_stats_combine_inv(appraisal.csat_stats_combine(coalesce(g.csat, 'empty'), s.csat_in),
                                                                            s.csat_out) AS csat) c
               WHERE appraisal.responses(c.csat) > 0
               ORDER BY s.agent_id, s.day, s.scale_max
              RETURNING 1
            )
            SELECT (SELECT count(*) FROM follow_up), (SELECT count(*) FROM gone), (SELECT count(*) FROM csat), (SELECT count(*) FROM gone_csat)
              INTO inserted_count, deleted_count, csat_inserted, csat_deleted;
            follow_up_change := follow_up_change + inserted_count - deleted_count;
            csat_change := csat_change + csat_inserted - csat_deleted;
          END IF;
        ELSIF whole THEN
          EXECUTE format('DELETE FROM %s', mv);
          -- agent_daily of every ticket on one node: the planner, costing
          -- each ticket passed up from a worker, plans it serially; costed
          -- as free, the workers read the tickets and compute the
          -- comebacks, each for a part of the customers (40:
          -- comeback_rows_in_parts; at 10M tickets on 2 cores, when the
          -- workers sorted a share each for one window in the leader,
          -- 29.5-31.8 s against 35.9-38.8 s serially, five alternated
          -- rounds; the CSAT and follow-up pass so planned was slower)
          -- (and the tickets that recurred, computed anew first and kept;
          -- each agent-day counted as if no ticket had come back, then its
          -- tickets that recurred moved from first contact to recurred
          -- (fcr_stats_combine and its exact inverse): no look-up of a
          -- comeback for each of the 10M tickets, 557,090 of which
          -- recurred (at 10M tickets that look-up, a hash join by the
          -- ticket's id, took 1.5-2.7 s of 7.5-8.4 s with two workers;
          -- the agent-days that recurred, 177,535, are grouped and joined
          -- to the 359,693 rows by hashing in about 0.5 s); rather than
          -- grouping the comebacks' window per agent-day apart)
          IF mv = 'appraisal.agent_daily'::regclass AND NOT appraisal.distributed() THEN
            PERFORM set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true);
            -- (and the active tickets beside them, from the same window,
            -- from the latest opening of a customer's ticket less the
            -- repeat window: comeback_rows_in_parts without active_from,
            -- in parts, one a parallel worker, each the pass in C unless
            -- row-level security is on the tickets; the pass finds that
            -- opening in its own scan, where a query of its own read every
            -- ticket again, 0.49 s at 10M tickets)
            TRUNCATE appraisal.recurred_tickets, appraisal.active_tickets;
            WITH c AS MATERIALIZED (
              SELECT * FROM appraisal.comeback_rows_in_parts(NULL, greatest(parallel_workers::integer, 1))
            ), recurred AS (
              -- (in the order of the table's key: each entry then goes in
              -- at the right end of its index, where in the customers'
              -- order each landed on another page; at 10M tickets 557,090
              -- rows took 0.59 s so, the sort included, against 0.96 s)
              INSERT INTO appraisal.recurred_tickets
              SELECT c.ticket_id, c.customer_id, c.category, c.next_opened_at FROM c WHERE c.recurred
               ORDER BY c.ticket_id COLLATE "C"
            ), active AS (
              INSERT INTO appraisal.active_tickets
              SELECT c.ticket_id, c.customer_id, c.category, c.opened_at, c.resolved_at, c.next_opened_at, c.agent_id, c.contacts
                FROM c WHERE c.active
            ), came_back AS (   -- per agent-day, its tickets that recurred, counted with their comeback and without
              SELECT c.agent_id COLLATE "C" AS agent_id, appraisal.local_day(c.opened_at, report_zone) AS day,
                     appraisal.fcr_agg(CASE WHEN c.resolved_at <= now() THEN c.contacts END,
                                       greatest(c.next_opened_at - c.resolved_at, interval '0'), p.repeat_window) AS recurred,
                     appraisal.fcr_agg(CASE WHEN c.resolved_at <= now() THEN c.contacts END, NULL, p.repeat_window) AS not_recurred
                FROM c CROSS JOIN appraisal.scorecard_parameters() p
               WHERE c.recurred AND c.opened_at <= now()   -- (never a system-caused complaint)
               GROUP BY 1, 2
            )
            INSERT INTO appraisal.agent_daily
            SELECT a.agent_id, a.day, a.tickets, a.first_response, a.resolution,
                   coalesce(appraisal.fcr_stats_combine_inv(appraisal.fcr_stats_combine(a.fcr, b.recurred), b.not_recurred), a.fcr),
                   a.complaints, a.service_complaints, a.system_complaints, a.system_first_responses_excluded,
                   a.complaint_handling, a.as_of
              FROM appraisal.agent_daily_rows(NULL, NULL, comebacks => '{}') a
              LEFT JOIN came_back b ON b.agent_id = a.agent_id COLLATE "C" AND b.day = a.day
             ORDER BY a.agent_id COLLATE "C", a.day;   -- (the key's order by the ids' bytes, as the CSAT and follow-up rows above)
            GET DIAGNOSTICS inserted_count = ROW_COUNT;
            whole_rows := whole_rows || jsonb_build_object(mv::text, inserted_count);
            INSERT INTO appraisal.comebacks_kept DEFAULT VALUES ON CONFLICT DO NOTHING;
            -- (the latest ticket is always an active one)
            UPDATE appraisal.refresh_state SET latest_opening = (SELECT max(a.opened_at) FROM appraisal.active_tickets a);
          ELSE
            EXECUTE format('INSERT INTO %s SELECT * FROM %s_rows(%s) ORDER BY %s', mv, mv,
                           CASE mv WHEN 'appraisal.category_daily'::regclass THEN 'NULL' ELSE 'NULL, NULL' END, key_order);
            GET DIAGNOSTICS inserted_count = ROW_COUNT;
            whole_rows := whole_rows || jsonb_build_object(mv::text, inserted_count);
          END IF;
        ELSIF mv = 'appraisal.category_daily'::regclass THEN
          -- the days of tickets deleted or moved (and those time moved) read
          -- again; on the others, the counts of the tickets inserted added
          -- to the day's, the tickets found by key: no read of every ticket
          -- for a day of new ones
          days := ARRAY(SELECT DISTINCT unnest(days));
          IF cardinality(days) > 0 THEN
            DELETE FROM appraisal.category_daily d WHERE d.day = ANY (days);
            EXECUTE format('INSERT INTO appraisal.category_daily SELECT * FROM appraisal.category_daily_rows($1) ORDER BY %s', key_order)
              USING days;
          END IF;
          -- (none on Citus, where added is NULL: category_daily_rows would
          -- count every ticket)
          -- (after agent_daily by difference without a delete, each one a
          -- ticket whose first write inserted it, read at the address found
          -- then)
          IF coalesce(cardinality(added), 0) > 0 THEN
            IF by_difference AND NOT EXISTS (SELECT FROM appraisal.refresh_log r
                                             WHERE r.source = 'appraisal.tickets' AND r.operation = 'DELETE') THEN
              added := NULL;
            END IF;
            INSERT INTO appraisal.category_daily AS c
            SELECT * FROM appraisal.category_daily_rows(NULL, added, CASE WHEN added IS NULL THEN inserted_rows END) a
             WHERE a.day <> ALL (days)
            ON CONFLICT (category, day) DO UPDATE
              SET tickets = c.tickets + excluded.tickets, complaints = c.complaints + excluded.complaints,
                  service_complaints = c.service_complaints + excluded.service_complaints,
                  system_complaints = c.system_complaints + excluded.system_complaints, as_of = excluded.as_of;
          END IF;
        ELSIF cardinality(days) > 0 THEN
          EXECUTE format('DELETE FROM %s d WHERE (d.agent_id, d.day) IN (SELECT * FROM unnest($1, $2))', mv) USING agents, days;
          GET DIAGNOSTICS deleted_count = ROW_COUNT;
          EXECUTE format('INSERT INTO %s SELECT * FROM %s_rows($1, $2%s) ORDER BY %s', mv, mv,
                         CASE WHEN mv = 'appraisal.agent_daily'::regclass THEN ', $3, true' ELSE '' END, key_order)
            USING agents, days, ticket_rows;
          GET DIAGNOSTICS inserted_count = ROW_COUNT;
          CASE mv
            WHEN 'appraisal.agent_daily'::regclass THEN agent_daily_change := agent_daily_change + inserted_count - deleted_count;
            WHEN 'appraisal.agent_daily_csat'::regclass THEN csat_change := csat_change + inserted_count - deleted_count;
            WHEN 'appraisal.agent_daily_follow_up'::regclass THEN follow_up_change := follow_up_change + inserted_count - deleted_count;
          END CASE;
        END IF;
        IF whole THEN
          PERFORM set_config('parallel_setup_cost', setup_cost, true), set_config('parallel_tuple_cost', tuple_cost, true);
          IF NOT every_row THEN
            PERFORM set_config('max_parallel_workers_per_gather', '0', true);
          END IF;
        END IF;
        mode := CASE WHEN whole THEN 'full' ELSE 'changed' END;
      END IF;
      IF mode = 'full' THEN
        any_whole := true;
        time_whole := time_whole OR summary.changes_with_time;
      END IF;
    END IF;
    IF mode <> 'changed' THEN
      EXECUTE format('ANALYZE %s', mv);   -- fresh statistics for the views' plans
    END IF;
    duration := clock_timestamp() - t0;
    -- Its rows: on one node, after a changed refresh of a summary of
    -- agent-days, those the last refresh left and those this one inserted,
    -- less those it deleted, each statement's own count (counting 360,000
    -- rows took about 20 ms each, most of a small refresh's time); after a
    -- summary recomputed whole, those its statement wrote; else counted.
    -- Every refresh keeps them (refresh_state.summary_rows).
    IF mode = 'changed' AND row_counts ? mv::text AND NOT appraisal.distributed()
       AND mv IN ('appraisal.agent_daily'::regclass, 'appraisal.agent_daily_csat'::regclass, 'appraisal.agent_daily_follow_up'::regclass) THEN
      rows := (row_counts ->> mv::text)::bigint + CASE mv WHEN 'appraisal.agent_daily'::regclass THEN agent_daily_change
                                                         WHEN 'appraisal.agent_daily_csat'::regclass THEN csat_change
                                                         ELSE follow_up_change END;
    ELSIF mode = 'full' AND whole_rows ? mv::text THEN
      rows := (whole_rows ->> mv::text)::bigint;
    ELSE
      EXECUTE format('SELECT count(*) FROM %s', mv) INTO rows;
    END IF;
    row_counts := row_counts || jsonb_build_object(mv::text, rows);
    RAISE LOG 'appraisal: refreshed % (%): % rows', mv, mode, to_char(rows, 'FM999,999,999,999,990')
      USING DETAIL = format('in %s s', to_char(extract(epoch FROM duration), 'FM999,999,990.000'))
                     || CASE WHEN follow_up_mode IS NOT NULL AND mv IN ('appraisal.agent_daily_csat'::regclass, 'appraisal.agent_daily_follow_up'::regclass)
                             THEN '; agent_daily_csat and agent_daily_follow_up computed in one pass, in agent_daily_csat''s time' ELSE '' END
                     || CASE WHEN by_difference AND mv = 'appraisal.agent_daily'::regclass
                             THEN format('; %s tickets written: %s rows adjusted by their difference, %s agent-days recomputed, %s rows adjusted for comebacks',
                                         cardinality(written), differenced, cardinality(days), adjusted) ELSE '' END;
    RETURN NEXT;
  END LOOP;
  -- When time alone will next change a figure.  Had it come, the read of
  -- every ticket for the agent-days it moved found it too (time_next).
  -- Had it not (no agent-day was recomputed for time) and was nothing
  -- recomputed whole (no setting, policy or calendar changed), every ticket
  -- not written still has its first event at it or later: the earlier of it
  -- and the written tickets' first events, found through the tables' keys
  -- (every write of them logs its tickets but a delete, whose tickets have
  -- none left: the instant kept is then early at worst, and a refresh then
  -- finds nothing due).  Else from every ticket.  (Their calls only when
  -- call-backs or survey responses were written: a call's event depends on
  -- the call alone, and those not written have theirs at the instant kept
  -- or later.  When only tickets were written and adjusted by difference,
  -- those written are read at the addresses found for it.)
  IF time_next IS NULL AND NOT time_whole AND now() < st.next_change_at THEN
    calls_written := EXISTS (SELECT FROM appraisal.refresh_log r
                             WHERE to_regclass(r.source) IN ('appraisal.call_backs'::regclass, 'appraisal.survey_responses'::regclass));
    -- (read at their addresses without their calls, the tickets' ids are
    -- not looked at: those adjusted by difference)
    written_tickets := CASE WHEN pass_by_difference AND NOT calls_written THEN written
                            ELSE ARRAY(SELECT DISTINCT unnest(r.tickets) FROM appraisal.refresh_log r) END;
  END IF;
  -- The log rows this refresh has seen are done with: under REPEATABLE READ
  -- this reads the snapshot stale_summaries read; under READ COMMITTED the
  -- locks above have kept every writer of a logged table out since the log
  -- was read.
  DELETE FROM appraisal.refresh_log;
  -- (the instant only moves when a summary that changes with time was
  -- recomputed: their tables are the ones it reads)
  UPDATE appraisal.refresh_state
     SET refreshed_at = now(),
         summary_rows = row_counts,
         next_change_at = CASE WHEN NOT EXISTS (SELECT FROM appraisal.summary_sources() m
                                                WHERE m.changes_with_time AND m.summary = ANY (stale))
                               THEN next_change_at
                               WHEN time_next IS NOT NULL THEN time_next
                               WHEN written_tickets IS NOT NULL
                               THEN least(next_change_at,
                                          appraisal.next_summary_change(now(), written_tickets, calls_written,
                                                                        CASE WHEN pass_by_difference AND NOT calls_written THEN written_rows END))
                               ELSE appraisal.next_summary_change(now()) END;
  -- then what would leave the scorecards empty or thin, said once: after a
  -- summary was recomputed whole, else at most once an hour (the check
  -- reads every ticket; the view appraisal.data_health runs it on demand)
  t0 := clock_timestamp();
  materialized_view := NULL;
  started_at := t0;
  IF NOT any_whole AND st.checked_at > now() - interval '1 hour' THEN
    mode := 'unchecked';
    rows := NULL;
    problems := NULL;
    duration := interval '0';
    PERFORM set_config('max_parallel_workers_per_gather', parallel_workers, true);
    RETURN NEXT;
    RETURN;
  END IF;
  UPDATE appraisal.refresh_state SET checked_at = now();
  mode := 'check';
  problems := '{}';
  -- (with every summary just recomputed whole from the tables, the first
  -- time, with full => true or after a crash, the check takes the
  -- summaries for them: 59, check_data_health(summaries_recomputed))
  FOR h IN SELECT * FROM appraisal.check_data_health(every_row AND cardinality(stale) = (SELECT count(*) FROM appraisal.summary_sources())) d
            WHERE d.items > 0 LOOP
    problems := problems || h.problem;
    IF h.severity IN ('empty', 'stale') THEN
      RAISE WARNING 'appraisal: %', h.problem USING HINT = h.fix;
    ELSE
      RAISE NOTICE 'appraisal: %', h.problem USING HINT = h.fix;
    END IF;
  END LOOP;
  duration := clock_timestamp() - t0;
  rows := cardinality(problems);
  RAISE LOG 'appraisal: checked data health (appraisal.data_health): % problems', rows
    USING DETAIL = format('in %s s', to_char(extract(epoch FROM duration), 'FM999,999,990.000'));
  PERFORM set_config('max_parallel_workers_per_gather', parallel_workers, true);
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION appraisal.refresh_scorecards(boolean) IS
  'Brings the per-day summaries the scorecards read up to date (appraisal.stale_summaries: those whose tables were written since the last refresh, those time alone has changed since, all of them before the first refresh or with full true); the others keep their rows and say mode unchanged (rows NULL), and with nothing to recompute nothing else is done. While another refresh runs, it does nothing and says mode busy. In the four tables of tickets it deletes and recomputes only the rows of the agent-days written (appraisal.refresh_log), moved by time (appraisal.summary_events) or whose comebacks changed (on Citus appraisal.comeback_agent_days; on one node an agent-day whose comebacks alone changed gets its FCR changed in place, from appraisal.recurred_tickets), mode changed (in category_daily the days of tickets added, deleted or moved to another category, opening, cause or complaint flag: after updates that moved none it says unchanged); every row (mode full) the first time, with full true, after a crash or a standby''s promotion on one node (the comebacks it keeps are unlogged: appraisal.comebacks_kept), or after a write not known per agent-day (a setting, a policy, a calendar, a TRUNCATE, a mass update); period_ratings is refreshed whole (concurrently once populated). All from the same data (one snapshot under REPEATABLE READ; under READ COMMITTED every table the summaries read is kept from changing until the transaction ends), in the report time zone, readers never blocked (they see the old rows until it commits). Then, after a summary recomputed whole and otherwise at most once an hour, checks the data''s health (appraisal.data_health). Returns per summary the mode, its rows, when it started and how long it took, and a last row (materialized_view NULL) of mode check, whose rows counts the problems found and problems lists them (each also raised, as WARNING for severity empty or stale, NOTICE for thin and info, with the fix as HINT), or unchecked. A refresh of some agent-days runs without parallel workers, leaving the cores to the writers it runs among. Progress goes to the server log, one LOG line per step with its rows and seconds (SET client_min_messages = log to see it). Scheduled every minute (schedule_refresh), it costs next to nothing while nothing changes. For members of appraisal_admin (runs as the extension''s owner).';
REVOKE ALL ON FUNCTION appraisal.refresh_scorecards(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.refresh_scorecards(boolean) TO appraisal_admin;

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

-- Whether the summaries have been computed: the views that read them call
-- it (a pseudo-constant condition, evaluated once per query), so that a
-- scorecard read before the first refresh fails instead of showing the
-- numbers of empty tables.
CREATE FUNCTION appraisal.summaries_ready() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM appraisal.refresh_state WHERE refreshed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'the scorecards'' summaries have not been computed yet'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Run SELECT * FROM appraisal.refresh_scorecards(); once after an installation or a restore (appraisal_admin), then on a schedule: SELECT appraisal.schedule_refresh(''* * * * *'');';
  END IF;
  RETURN true;
END
$$;
COMMENT ON FUNCTION appraisal.summaries_ready() IS
  'True once refresh_scorecards() has computed the summaries; before (after an installation or a restore) an error (55000) saying to run it. The views that read the summaries call it, so that a scorecard never shows the numbers of empty summaries.';

-- The table a trigger fired on, as the log names it.  On a Citus cluster
-- (62_citus.sql) the triggers fire on the shards, each named after its
-- table with _<shard id> appended, and on each node's copy of a reference
-- table: logged as the table.  (By the names the trigger is given: Citus
-- hides the shards from pg_class.)
CREATE FUNCTION appraisal.logged_table(schema_name name, table_name name) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT format('%I.%I', schema_name,
                CASE WHEN s.base IS NULL THEN table_name
                     WHEN to_regclass(format('%I.%I', schema_name, s.base)) IS NOT NULL THEN s.base
                     ELSE table_name END)
  FROM (SELECT substring(table_name FROM '^(.*)_[0-9]+$') AS base) s;
END;
COMMENT ON FUNCTION appraisal.logged_table(name, name) IS
  'The schema-qualified name under which appraisal.refresh_log logs a write to the table schema_name.table_name: its own, or for a Citus shard (the table''s name followed by _ and the shard''s number) its table''s.';

-- Complaint attribution: a system-caused complaint leaves the agent's
-- resolution, FCR, recurrence and satisfaction (and first response, if the
-- setting system_complaints_first_response says so), and the handling of
-- service-caused complaints is summarised.  A materialized view cannot be
-- replaced: the two summaries of 0.4 step aside under other names, the new
-- ones are made beside them, the views and functions that read the old ones
-- are replaced below to read the new ones (keeping their grants), and the
-- old ones are dropped at the end.
COMMENT ON COLUMN appraisal.tickets.cause IS 'Complaint attribution: service (counts against the agent) or system (company policy or system; left out of the agent''s measures but for its first response, per system_complaints_first_response); NULL while not attributed.';
COMMENT ON COLUMN appraisal.complaint_pareto.system_complaints IS 'System-caused complaints (company policy or system): left out of the agent''s measures but for their first response (setting system_complaints_first_response).';
ALTER MATERIALIZED VIEW appraisal.agent_daily RENAME TO agent_daily_0_4;
ALTER MATERIALIZED VIEW appraisal.agent_daily_csat RENAME TO agent_daily_csat_0_4;
ALTER INDEX appraisal.agent_daily_agent_id_day_idx RENAME TO agent_daily_0_4_agent_id_day_idx;
ALTER INDEX appraisal.agent_daily_csat_agent_id_day_scale_max_idx RENAME TO agent_daily_csat_0_4_agent_id_day_scale_max_idx;
-- 0.5 keeps the summaries of tickets as tables, recomputed per agent-day:
-- category_daily steps aside too, and its two views are replaced below.
ALTER MATERIALIZED VIEW appraisal.category_daily RENAME TO category_daily_0_4;
ALTER INDEX appraisal.category_daily_category_day_idx RENAME TO category_daily_0_4_category_day_idx;

-- A ticket's day in the report time zone, read from the zone's table of
-- offset changes.
CREATE FUNCTION appraisal.local_day(instant timestamptz, zone text) RETURNS date
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.local_day(timestamptz, text) IS
  'The date of instant on the clocks of zone: (instant AT TIME ZONE zone)::date, the same for every instant and zone, read from the zone''s table of UTC-offset changes (kept per call site) instead of converting through a broken-down time: the daily summaries group every ticket by it. An abbreviation such as EST or CET (read as AT TIME ZONE reads it, a fixed or dynamic offset) and instants outside 1900-2199 are read the built-in way.';


-- sla_policy_matrix and sla_policy_arrays as in 40
CREATE OR REPLACE FUNCTION appraisal.sla_policy_matrix()
RETURNS TABLE (channel text, priority text, first_response_target interval, first_response_calendar text,
               resolution_target interval, resolution_calendar text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  WITH channels(channel) AS (
    SELECT channel FROM appraisal.sla_policies WHERE channel IS NOT NULL UNION SELECT ''
  ), priorities(priority) AS (
    SELECT priority FROM appraisal.sla_policies WHERE priority IS NOT NULL UNION SELECT ''
  ), candidates AS (   -- (columns named in the select list, not as the CTE's: Citus sends the query
                      -- to the nodes without the CTE's names, and reads a column rank as the function)
    SELECT sp.metric, c.channel, p.priority, sp.target, sp.calendar,
           2 * (sp.channel IS NULL)::int + (sp.priority IS NULL)::int AS precedence   -- 0: the most specific
    FROM appraisal.sla_policies sp
    JOIN channels c ON sp.channel = c.channel OR sp.channel IS NULL
    JOIN priorities p ON sp.priority = p.priority OR sp.priority IS NULL
    UNION ALL   -- the defaults of docs/rules.md, "Complaint handling", below every policy
    SELECT m.metric, c.channel, p.priority, m.target, '24x7', 4
    FROM (VALUES ('first_response', interval '24 hours'), ('resolution', interval '48 hours')) m(metric, target),
         channels c, priorities p
  ), best AS (
    SELECT DISTINCT ON (metric, channel, priority) * FROM candidates ORDER BY metric, channel, priority, precedence
  )
  SELECT f.channel, f.priority, f.target, f.calendar, r.target, r.calendar
  FROM best f JOIN best r USING (channel, priority)
  WHERE f.metric = 'first_response' AND r.metric = 'resolution';
END;
COMMENT ON FUNCTION appraisal.sla_policy_matrix() IS
  'The SLA policy in effect for every channel and priority named by some policy ('''' stands for all others): the most specific of appraisal.sla_policies (channel and priority, then channel, then priority, then general), else 24 hours to first response and 48 hours to resolution on 24x7 (docs/rules.md, "Complaint handling"). The materialized summaries find a ticket''s policy in it with one hash join.';

-- The matrix as one row of arrays, its calendars as values: the constants
-- the summaries' queries take (so that on Citus no worker looks a calendar
-- up by name: a reference table read from within a query on a shard is
-- refused there).  Each policy's elements at the same index.
CREATE FUNCTION appraisal.sla_policy_arrays(OUT channels text[], OUT priorities text[],
                                            OUT first_response_targets interval[],
                                            OUT first_response_calendars appraisal.business_calendar[],
                                            OUT resolution_targets interval[],
                                            OUT resolution_calendars appraisal.business_calendar[])
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT array_agg(m.channel), array_agg(m.priority), array_agg(m.first_response_target), array_agg(f.calendar),
         array_agg(m.resolution_target), array_agg(r.calendar)
  FROM appraisal.sla_policy_matrix() m
  JOIN appraisal.business_calendars f ON f.name = m.first_response_calendar
  JOIN appraisal.business_calendars r ON r.name = m.resolution_calendar;
END;
COMMENT ON FUNCTION appraisal.sla_policy_arrays() IS
  'appraisal.sla_policy_matrix() as one row of arrays (the elements of one channel and priority at the same index), with the calendars as values: what the summaries take as constants.';

-- 19 (new): whether a pair of keys is among a list of pairs (pairs.c): the test
-- the refresh makes of every ticket when it recomputes some agent-days
-- (agent, day) or reads the tickets of some customers (customer,
-- category).  The lists are hashed once per query when they are constants
-- or its parameters: at 10M tickets the test costs less than half of what
-- the executor's hash join or hashed subplan spends on it
-- (docs/performance.md).

CREATE FUNCTION appraisal.pair_in(a text, b date, a_list text[], b_list date[]) RETURNS boolean
  AS 'MODULE_PATHNAME', 'pair_in_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.pair_in(text, date, text[], date[]) IS
  'Whether (a, b) is one of the pairs (a_list[i], b_list[i]): (a, b) IN (SELECT * FROM unnest(a_list, b_list)), texts compared by their bytes (equality under every deterministic collation), a pair with a NULL matching nothing; the lists must be as long. The lists are hashed once per query when they are constants or parameters (e.g. agent-days: pair_in(agent_id, day, agents, days)).';

CREATE FUNCTION appraisal.pair_in(a text, b text, a_list text[], b_list text[]) RETURNS boolean
  AS 'MODULE_PATHNAME', 'pair_in_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.pair_in(text, text, text[], text[]) IS
  'Whether (a, b) is one of the pairs (a_list[i], b_list[i]) of texts: (a, b) IN (SELECT * FROM unnest(a_list, b_list)), compared by their bytes (equality under every deterministic collation), a pair with a NULL matching nothing; the lists must be as long. The lists are hashed once per query when they are constants or parameters (e.g. customers and categories).';

-- Whether the tickets are stored about in the order of their ids (as when
-- ids grow with time), by the planner's statistics (pg_stats.correlation
-- of ticket_id at least 0.9; false without statistics).  Then a summary of
-- every ticket on one node reads the tickets through their key, in order,
-- and merges them with the other tables read the same way, rather than
-- hashing or sorting ten million ids (agent_daily_csat_rows below,
-- agent_daily_follow_up_rows in 41; docs/performance.md).
CREATE FUNCTION appraisal.tickets_in_id_order() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce((SELECT s.correlation >= 0.9 FROM pg_stats s
                    WHERE s.schemaname = 'appraisal' AND s.tablename = 'tickets' AND s.attname = 'ticket_id'), false);
END;
COMMENT ON FUNCTION appraisal.tickets_in_id_order() IS
  'Whether appraisal.tickets is stored about in the order of its ids (pg_stats.correlation of ticket_id at least 0.9; false without statistics): the full refresh then merges the tickets with their responses, call-backs and inspections in the order of their keys.';

-- The ids that split the tickets into parts of about as many tickets, in
-- the order of their key: the parts - 1 bounds between them, from the
-- planner's histogram of ticket_id (none without statistics, or when the
-- histogram has no more bounds than parts).  The full pass of the CSAT and
-- follow-up summaries, merged in the order of the keys, runs a part per
-- range, one to each parallel process (agent_daily_csat_follow_up_rows,
-- 41).  A bound may be any id: the ranges cover every id whatever the
-- statistics, only their sizes depend on them.
CREATE FUNCTION appraisal.ticket_id_bounds(parts integer) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce((SELECT array_agg(h.bounds[1 + i * (cardinality(h.bounds) - 1) / parts] ORDER BY i)
                     FROM (SELECT s.histogram_bounds::text::text[] AS bounds FROM pg_stats s
                            WHERE s.schemaname = 'appraisal' AND s.tablename = 'tickets' AND s.attname = 'ticket_id') h
                     CROSS JOIN generate_series(1, parts - 1) i
                    WHERE cardinality(h.bounds) > parts), '{}');
END;
COMMENT ON FUNCTION appraisal.ticket_id_bounds(integer) IS
  'The ids that split appraisal.tickets into the given number of parts of about as many tickets, in the order of its key: parts - 1 ids from the planner''s histogram of ticket_id (an empty array without statistics, or when the histogram has no more bounds than parts). The full refresh''s CSAT and follow-up pass reads a range of ids per parallel process.';

-- Tickets per agent and day: SLA, FCR and complaint counts.  A complaint
-- caused by the company's system or policy is not the agent's (docs/rules.md,
-- "Complaint handling": attribution): it is left out of the agent's resolution, FCR and
-- recurrence (as a ticket, and as the comeback that would make an earlier
-- ticket recur), and of first response too unless the setting
-- system_complaints_first_response keeps it there (the default).
-- The summaries group (and agent_daily partitions) by the ids' bytes,
-- COLLATE "C": the same groups as by the database's collation, sorted
-- several times faster (no strcoll, abbreviated keys); the columns keep the
-- default collation.  agent_daily computes the day beside each ticket: the
-- planner, knowing nothing of its values, then expects some hundreds of days
-- (not a day per ticket) and groups by hashing, in refresh_scorecards'
-- work_mem, instead of sorting every ticket.
-- The rows for the agent-days agents[i], days[i] (both NULL: every one).
-- A comeback is the same customer's next ticket of the same category, with
-- any agent on any day.  For some agent-days on one node the window runs
-- beside each ticket over every ticket of the customers and categories of
-- the tickets asked for, whole partitions, so that each asked ticket's next
-- one is the one a full computation finds.  For every agent-day (and on
-- Citus always) the FCR of the customers' tickets is computed apart, from a
-- window over their few columns, and joined to the rest of each agent-day,
-- grouped unsorted.
--
-- The summaries' functions are PL/pgSQL running one query (RETURN QUERY):
-- the settings and the SLA policies are read first, into variables, and
-- the query sees them as constants.  So the query reads no table through a
-- function (on Citus, a function reading a table from within a query on
-- the workers is refused, and an inlined SQL function hides its tables
-- from Citus's planner), its plan is made for the agent-days asked (or
-- all), and it may run in parallel, which an INSERT ... SELECT may not
-- (agent_daily 20 % faster, the follow-up 13 % at 2M tickets).
--
-- On a Citus cluster (62_citus.sql) the tickets are distributed by
-- ticket_id, and a customer's tickets are on several shards: a window over
-- them would ship every ticket to the coordinator.  There the function
-- first copies the few columns of the comebacks (the tickets of customers,
-- but for system-caused complaints) into comeback_staging, distributed by
-- customer: an INSERT ... SELECT that Citus repartitions from worker to
-- worker.  Each worker then runs the window over its customers and the
-- FCR of their tickets; the rest of each agent-day (SLA, counts, the FCR
-- of tickets naming no customer) is aggregated on the tickets' shards;
-- the coordinator adds up the partial summaries and joins the two.  The
-- query is written once, for either case (RETURN QUERY EXECUTE).
CREATE TABLE appraisal.comeback_staging (
  customer_id text NOT NULL,
  category    text NOT NULL,
  opened_at   timestamptz NOT NULL,
  ticket_id   text NOT NULL,
  agent_id    text NOT NULL,
  day         date NOT NULL,
  resolved_at timestamptz,
  contacts    integer
);
COMMENT ON TABLE appraisal.comeback_staging IS
  'Work table of appraisal.agent_daily_rows on a Citus cluster, distributed by customer_id (appraisal.distribute): the tickets of customers (system-caused complaints left out) whose comebacks are being computed, copied there during the call and emptied after it. Empty on one node and between refreshes.';
COMMENT ON COLUMN appraisal.comeback_staging.customer_id IS 'Customer of the ticket (the distribution column: a customer''s tickets on one shard).';
COMMENT ON COLUMN appraisal.comeback_staging.category IS 'Category of the ticket: a comeback is the same customer''s next ticket of the same category.';
COMMENT ON COLUMN appraisal.comeback_staging.opened_at IS 'When the ticket was opened.';
COMMENT ON COLUMN appraisal.comeback_staging.ticket_id IS 'Ticket number (orders tickets opened at the same instant).';
COMMENT ON COLUMN appraisal.comeback_staging.agent_id IS 'Agent of the ticket.';
COMMENT ON COLUMN appraisal.comeback_staging.day IS 'Day the ticket was opened, in the report time zone.';
COMMENT ON COLUMN appraisal.comeback_staging.resolved_at IS 'When the ticket was resolved; NULL while open.';
COMMENT ON COLUMN appraisal.comeback_staging.contacts IS 'Contact on which the ticket was resolved.';

-- The tickets that recurred, on one node: each resolved ticket whose
-- customer came back in the same category within the repeat window (the
-- same customer's next ticket of the same category, system-caused
-- complaints left out, opened no later than repeat_window after the
-- resolution; one opened before it counts too, gap 0), with that next
-- ticket's opening.  What the FCR of agent_daily counts as a comeback:
-- fcr_agg counts a gap beyond the window as none, so a ticket absent here
-- did not recur.  A ticket's entry depends on its own resolution and its
-- customer's tickets of its category alone.
--
-- refresh_scorecards() keeps the table (60): a full refresh computes it
-- anew, then agent_daily's FCR from it, instead of grouping the
-- comebacks' window per agent-day; a changed refresh computes anew the
-- entries of the customers and categories of the tickets written
-- (keep_recurred_tickets, 42), adds what those that came or went change
-- in the FCR to the agent-days it does not recompute, and takes every
-- recomputed ticket's comeback from here, with no window over its
-- customer's tickets.  Like the summaries it is not
-- dumped: after a restore the first refresh recomputes everything.
-- Unlogged: a changed refresh writes a day's comebacks here without their
-- WAL (at 10M tickets, after the bench's change, 1.08-1.12 s against
-- 1.18-1.24 s with active_tickets logged too, a checkpoint before each:
-- the first write of each page after one logs the whole page).  A crash
-- empties it (comebacks_kept, below, says so): the next refresh then
-- recomputes everything, as after a restore.
-- Its key compares the ids' bytes (COLLATE "C"; equality is the same in
-- every deterministic collation, and a comparison with a ticket's id takes
-- this collation): in the database's collation every comparison calls the
-- C library's strcoll (at 10M tickets, the bench's 32,000 new entries took
-- 58-84 ms to insert so, 49-75 ms in "C", three alternated rounds).
CREATE UNLOGGED TABLE appraisal.recurred_tickets (
  ticket_id      text COLLATE "C" PRIMARY KEY,
  customer_id    text NOT NULL,
  category       text NOT NULL,
  next_opened_at timestamptz NOT NULL
);
COMMENT ON TABLE appraisal.recurred_tickets IS
  'On one node, kept by refresh_scorecards() with agent_daily: every resolved ticket whose customer came back in the same category within the repeat window (the next ticket of the same customer and category, system-caused complaints left out, opened no later than repeat_window after the resolution), as of the last refresh (appraisal.recurred_tickets_rows computes it afresh). agent_daily''s FCR counts these tickets as recurred. Not dumped, not logged: after a restore or a crash the first refresh computes it again (appraisal.comebacks_kept). Not used on a Citus cluster, where agent_daily_rows computes the comebacks on the workers.';
COMMENT ON COLUMN appraisal.recurred_tickets.ticket_id IS 'The ticket that recurred.';
COMMENT ON COLUMN appraisal.recurred_tickets.customer_id IS 'Its customer (the comebacks of a customer and category are kept together).';
COMMENT ON COLUMN appraisal.recurred_tickets.category IS 'Its category.';
COMMENT ON COLUMN appraisal.recurred_tickets.next_opened_at IS 'When the customer''s next ticket of the category was opened (the repeat gap is from the resolution to it, 0 when before).';

-- The tickets whose comeback a changed refresh may still have to find
-- without reading their customer's other tickets, on one node: every open
-- ticket (its comeback waits for its resolution) and every last ticket of
-- its customer and category resolved within the repeat window before the
-- latest opening the refresh has seen (refresh_state.latest_opening); a
-- ticket opened later than that is the last of its customer and category,
-- and can only be the comeback of one of these.  Each with its next
-- ticket's opening, as recurred_tickets_rows finds it, and its agent and
-- contacts (what its comeback changes in agent_daily).  A changed refresh
-- whose tickets written are only such later tickets, or tickets here whose
-- resolution changed, keeps recurred_tickets from this table alone
-- (keep_recurred_tickets, 42); any other write reads the tickets of the
-- customers and categories written.  It may hold more rows than these
-- (tickets no write has touched since they left the window), each exact.
-- Not dumped either.  No index: a changed refresh takes the rows it
-- needs out of it in one scan, each row's customer and category, or its
-- id, hashed against those of the tickets written, and writes a day's
-- rows back with no index entry to make (keep_recurred_tickets, 42).  (At
-- 10M tickets, after the bench's change, 32,000 rows took 14-16 ms to
-- insert without an index, 77-82 ms with one on the customer and
-- category, whose look-ups the scan replaces: the whole changed refresh
-- took 0.94-0.99 s without it against 1.07-1.13 s with it, six alternated
-- rounds of two runs, three runs of 1.2-1.9 s aside.)  Its customer and
-- category compare their bytes (COLLATE "C", as recurred_tickets' key),
-- as the refresh's window over them does.
CREATE UNLOGGED TABLE appraisal.active_tickets (
  ticket_id      text NOT NULL,
  customer_id    text COLLATE "C" NOT NULL,
  category       text COLLATE "C" NOT NULL,
  opened_at      timestamptz NOT NULL,
  resolved_at    timestamptz,
  next_opened_at timestamptz,
  agent_id       text NOT NULL,
  contacts       integer
);
COMMENT ON TABLE appraisal.active_tickets IS
  'On one node, kept by refresh_scorecards() with appraisal.recurred_tickets: every open ticket of a customer (system-caused complaints left out) and every last ticket of its customer and category resolved within the repeat window before appraisal.refresh_state.latest_opening, each with its next ticket''s opening, its agent and its contacts: what a changed refresh needs to find the comebacks of tickets opened after that instant, and of the resolutions of open tickets, without reading the customers'' other tickets. May hold more rows, each exact. Not dumped, not logged: after a restore or a crash the first refresh computes it again (appraisal.comebacks_kept).';
COMMENT ON COLUMN appraisal.active_tickets.ticket_id IS 'The ticket.';
COMMENT ON COLUMN appraisal.active_tickets.customer_id IS 'Its customer.';
COMMENT ON COLUMN appraisal.active_tickets.category IS 'Its category (a comeback is the same customer''s next ticket of the same category).';
COMMENT ON COLUMN appraisal.active_tickets.opened_at IS 'When it was opened.';
COMMENT ON COLUMN appraisal.active_tickets.resolved_at IS 'When it was resolved; NULL while open.';
COMMENT ON COLUMN appraisal.active_tickets.next_opened_at IS 'When the customer''s next ticket of the category was opened; NULL for the last one.';
COMMENT ON COLUMN appraisal.active_tickets.agent_id IS 'Its agent (whose FCR its comeback changes).';
COMMENT ON COLUMN appraisal.active_tickets.contacts IS 'The contact it was resolved on (1: at the first contact); NULL while open.';

-- One row while recurred_tickets and active_tickets hold what the refresh
-- keeps: a full refresh of agent_daily writes it with them.  Unlogged as
-- they are, a crash empties it with them (so does a standby's promotion:
-- a standby has no unlogged rows), and the next refresh on one node then
-- recomputes every summary (60: refresh_scorecards).
CREATE UNLOGGED TABLE appraisal.comebacks_kept (
  only_row boolean PRIMARY KEY DEFAULT true CONSTRAINT "comebacks_kept has one row" CHECK (only_row)
);
COMMENT ON TABLE appraisal.comebacks_kept IS
  'On one node, one row while appraisal.recurred_tickets and appraisal.active_tickets hold what refresh_scorecards() keeps (written with them by a full refresh of agent_daily); unlogged as they are, so that after a crash or a standby''s promotion it is empty and the next refresh recomputes every summary.';
COMMENT ON COLUMN appraisal.comebacks_kept.only_row IS 'Always true: the table has at most one row.';

-- Whether a ticket recurred: resolved, and its customer's next ticket of
-- its category opened no later than the repeat window after the
-- resolution (one opened before it too: gap 0).
CREATE FUNCTION appraisal.came_back(resolved_at timestamptz, next_opened_at timestamptz, repeat_window interval) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN resolved_at IS NOT NULL AND next_opened_at IS NOT NULL AND greatest(next_opened_at - resolved_at, interval '0') <= repeat_window;
COMMENT ON FUNCTION appraisal.came_back(timestamptz, timestamptz, interval) IS
  'Whether a ticket resolved at resolved_at recurred when its customer''s next ticket of its category was opened at next_opened_at: resolved, and that ticket opened no later than repeat_window after the resolution (one opened before it too). The rule of appraisal.recurred_tickets.';

-- The tickets at the addresses (ctid) given, as a changed refresh reads
-- those of the agent-days, customers and tickets it recomputes: one TID
-- scan, each address fetched once and in the order of the table's pages.
-- Planned with sequential scans off, so that it stays a TID scan: the
-- planner costs each fetch as a page read from disk and, at 10M tickets,
-- would scan every ticket for 60,000 addresses or more.  Not inlined (the
-- SET clause), so that the setting holds for this scan alone, with the
-- number of addresses as the planner's estimate of its rows
-- (tickets_at_support): the query around it is planned for them.  A
-- lateral subquery fetching each address apart, as the summaries'
-- functions read them before, spent about 1 microsecond a row on the
-- scan's restart; the changed refresh after the bench's day took
-- 0.57-0.62 s so against 0.63-0.66 s, four alternated runs at 10M
-- tickets (docs/performance.md).
CREATE FUNCTION appraisal.tickets_at_support(internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.tickets_at_support(internal) IS
  'Planner support of appraisal.tickets_at: its rows are expected to be as many as its addresses.';

CREATE FUNCTION appraisal.tickets_at(addresses tid[]) RETURNS SETOF appraisal.tickets
LANGUAGE sql STABLE STRICT PARALLEL SAFE SUPPORT appraisal.tickets_at_support
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
AS $$ SELECT * FROM appraisal.tickets t WHERE t.ctid = ANY (addresses) $$;
COMMENT ON FUNCTION appraisal.tickets_at(tid[]) IS
  'The rows of appraisal.tickets at the addresses (ctid) given, each once, in the order of the table''s pages (an address with no visible row gives none): how the summaries'' functions read the tickets a changed refresh recomputes, given their addresses read in the same transaction. Always a TID scan.';

-- The comebacks of the customers[i], categories[i] given (both NULL: all),
-- as of now: the window over those customers' tickets of those categories,
-- whole (a ticket's next one may be any later ticket of its customer and
-- category, resolved or not), on one node by the ids' bytes as
-- agent_daily_rows partitions them; given ticket_rows, from the tickets
-- at those addresses alone, fetched as agent_daily_rows fetches them.
-- Every ticket, or, given active_from, those that recurred or belong in
-- active_tickets (open, or the last of their customer and category and
-- resolved at or after active_from).  The customer and category returned
-- are the partition's keys themselves (the same bytes): returned as read,
-- each would be sorted and merged a second time beside its key (at 10M
-- tickets 7.0-7.2 s against 7.7-8.0 s, three alternated rounds).  RETURN
-- QUERY, so that the query may run in parallel (an INSERT ... SELECT may
-- not).  Given parts > 1, only the customers of part number part (0 to
-- parts - 1) of a hash of their ids' bytes (comeback_rows_in_parts).
CREATE FUNCTION appraisal.comeback_rows(customers text[], categories text[], ticket_rows tid[] DEFAULT NULL,
                                        active_from timestamptz DEFAULT NULL, part integer DEFAULT 0, parts integer DEFAULT 1)
RETURNS TABLE (ticket_id text, customer_id text, category text, opened_at timestamptz, resolved_at timestamptz,
               next_opened_at timestamptz, agent_id text, contacts integer, recurred boolean, active boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  repeat_window constant interval := (SELECT p.repeat_window FROM appraisal.scorecard_parameters() p);
BEGIN
  IF parts IS NULL OR parts < 1 OR part IS NULL OR part < 0 OR part >= parts THEN
    RAISE EXCEPTION 'invalid part % of % parts', coalesce(part::text, 'NULL'), coalesce(parts::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', DETAIL = 'A part is numbered from 0 to parts - 1, and there is one part or more.';
  END IF;
  RETURN QUERY EXECUTE format($query$
    SELECT k.ticket_id, k.customer_id, k.category, k.opened_at, k.resolved_at, k.next_opened_at, k.agent_id, k.contacts, k.recurred,
           k.resolved_at IS NULL OR k.next_opened_at IS NULL AND k.resolved_at >= $5
    FROM (SELECT t.ticket_id, t.customer_id, t.category, t.opened_at, t.resolved_at, t.next_opened_at, t.agent_id, t.contacts,
                 appraisal.came_back(t.resolved_at, t.next_opened_at, $3) AS recurred
            FROM (SELECT t.ticket_id, t.customer_id COLLATE "C" AS customer_id, t.category COLLATE "C" AS category,
                         t.opened_at, t.resolved_at, t.agent_id, t.contacts,
                         lead(t.opened_at) OVER (PARTITION BY t.customer_id COLLATE "C", t.category COLLATE "C"
                                                 ORDER BY t.opened_at, t.ticket_id) AS next_opened_at
                    FROM %s
                   WHERE t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system' %s %s) t) k
    WHERE $5 IS NULL OR k.recurred OR k.resolved_at IS NULL OR k.next_opened_at IS NULL AND k.resolved_at >= $5 $query$,
    CASE WHEN ticket_rows IS NULL THEN 'appraisal.tickets t' ELSE 'appraisal.tickets_at($4) t' END,
    CASE WHEN customers IS NOT NULL THEN 'AND appraisal.pair_in(t.customer_id, t.category, $1, $2)' ELSE '' END,
    CASE WHEN parts > 1 THEN 'AND (hashtext(t.customer_id COLLATE "C") & 2147483647) % $7 = $6' ELSE '' END)
  USING customers, categories, repeat_window, ticket_rows, active_from, part, parts;
END
$$;
COMMENT ON FUNCTION appraisal.comeback_rows(text[], text[], tid[], timestamptz, integer, integer) IS
  'As of now, for the customers[i] and categories[i] given, or for all with both NULL: each ticket of a customer (system-caused complaints left out) with its customer''s next ticket of its category (its opening, next_opened_at), its agent and contacts, whether it recurred (appraisal.came_back) and whether it belongs in appraisal.active_tickets (open, or the last of its customer and category and resolved at or after active_from). Every such ticket, or given active_from, those that recurred or are active: what refresh_scorecards() keeps in appraisal.recurred_tickets and appraisal.active_tickets on one node. ticket_rows (optional, on one node): the addresses (ctid) of rows of appraisal.tickets among which every ticket of those customers and categories is, read in this transaction. With parts > 1, only the customers in part number part (0 to parts - 1) of a hash of their ids (appraisal.comeback_rows_in_parts).';

-- The window in C (comeback_pass.c): comeback_rows's rows given
-- active_from, of the customers of part number part (0 to parts - 1) of a
-- hash of their ids' bytes (its own, not comeback_rows's), their tickets
-- read in one scan and sorted by PostgreSQL's tuplesort within work_mem.
-- Without active_from, active from the latest opening of a customer's
-- ticket (system-caused complaints left out) less the repeat window, but
-- never after that opening (comeback_rows_in_parts): each part's scan
-- reads every ticket, so each finds the same.  Costed as a scan of a
-- million tickets: the planner then gives each part to a worker.
CREATE FUNCTION appraisal.comeback_pass(part integer, parts integer, repeat_window interval, active_from timestamptz)
RETURNS TABLE (ticket_id text, customer_id text, category text, opened_at timestamptz, resolved_at timestamptz,
               next_opened_at timestamptz, agent_id text, contacts integer, recurred boolean, active boolean)
AS 'MODULE_PATHNAME', 'comeback_pass'
LANGUAGE C STABLE PARALLEL SAFE COST 8000000 ROWS 50000;
COMMENT ON FUNCTION appraisal.comeback_pass(integer, integer, interval, timestamptz) IS
  'The rows of appraisal.comeback_rows(NULL, NULL, NULL, active_from) with the repeat window given (each ticket of a customer, system-caused complaints left out, that recurred or is active, with its customer''s next ticket of its category) for the customers of part (0 .. parts - 1) of a hash of their ids'' bytes, read in one scan with the caller''s rights (not under row-level security) and sorted within work_mem: what appraisal.comeback_rows_in_parts computes on one node, a part per parallel worker. With active_from NULL, active from the latest opening of a customer''s ticket (system-caused complaints left out, every part''s alike) less repeat_window, or from that opening when earlier.';

-- The comebacks of every customer (comeback_rows) in parts, as many as
-- the caller's parallel workers: each part's customers (a hash of their
-- ids) read, sorted and run through the window by one process, a parallel
-- append handing each part whole to a worker.  Without the leader: it
-- would take a part too, and the workers, their queues full, would wait
-- while it fills its function's result.  As it was, the window's sort
-- ran in the workers and the leader alone merged their runs and ran the
-- window over all of them.  At 10M tickets on 2 cores 5.2-5.3 s in two
-- parts against 6.2 s (6.2-6.4 s with the leader taking a part).
-- Each part is the pass in C (comeback_pass) unless row-level security is
-- on the tickets (it reads the table itself, which only a query would read
-- under the policies); at 10M tickets a part of two took 2.9-3.1 s so
-- against 4.7 s for comeback_rows's query, which ran a window, a SQL
-- function and a filter over each ticket (one process,
-- docs/performance.md).  Otherwise comeback_rows's query.
-- Without active_from, the active tickets are those a full refresh keeps:
-- from the latest opening of a customer's ticket (system-caused complaints
-- left out) less the repeat window, or from that opening when earlier
-- (an interval such as 1 month less 29 days may end after it), so that
-- the latest ticket is always among them.  Each pass finds that opening in
-- its own scan; the query's parts are given it, from a scan of its own.
CREATE FUNCTION appraisal.comeback_rows_in_parts(active_from timestamptz, parts integer)
RETURNS TABLE (ticket_id text, customer_id text, category text, opened_at timestamptz, resolved_at timestamptz,
               next_opened_at timestamptz, agent_id text, contacts integer, recurred boolean, active boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET parallel_leader_participation = off AS $$
DECLARE
  pass constant boolean := NOT (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = 'appraisal.tickets'::regclass);
  repeat_window constant interval := (SELECT p.repeat_window FROM appraisal.scorecard_parameters() p);
  latest timestamptz;
BEGIN
  IF parts IS NULL OR parts < 1 THEN
    RAISE EXCEPTION 'invalid number of parts %', coalesce(parts::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', DETAIL = 'The comebacks are computed in one part or more.';
  END IF;
  IF active_from IS NULL AND NOT pass THEN
    -- (by EXECUTE, which may have parallel workers, as an assignment may not)
    EXECUTE $latest$SELECT max(t.opened_at) FROM appraisal.tickets t
                     WHERE t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system'$latest$
      INTO latest;
    active_from := least(latest - repeat_window, latest);
  END IF;
  RETURN QUERY EXECUTE (SELECT string_agg(format(CASE WHEN pass THEN 'SELECT * FROM appraisal.comeback_pass(%s, $2, $3, $1)'
                                                     ELSE 'SELECT * FROM appraisal.comeback_rows(NULL, NULL, NULL, $1, %s, $2)' END, i),
                                          ' UNION ALL ')
                          FROM generate_series(0, parts - 1) i)
  USING active_from, parts, repeat_window;
END
$$;
COMMENT ON FUNCTION appraisal.comeback_rows_in_parts(timestamptz, integer) IS
  'The rows of appraisal.comeback_rows(NULL, NULL, NULL, active_from) (every customer''s), computed in the given number of parts, each the customers of a part of a hash of their ids, run by parallel workers (one part each, without the leader); with active_from NULL, active from the latest opening of a customer''s ticket (system-caused complaints left out) less the repeat window, or from that opening when earlier: what a full refresh_scorecards() keeps on one node, in as many parts as its parallel workers. Each part is appraisal.comeback_pass unless row-level security is on appraisal.tickets, else comeback_rows''s query.';

CREATE FUNCTION appraisal.recurred_tickets_rows(customers text[], categories text[])
RETURNS TABLE (ticket_id text, customer_id text, category text, next_opened_at timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT c.ticket_id, c.customer_id, c.category, c.next_opened_at
  FROM appraisal.comeback_rows(customers, categories) c
  WHERE c.recurred;
END;
COMMENT ON FUNCTION appraisal.recurred_tickets_rows(text[], text[]) IS
  'The rows of appraisal.recurred_tickets as of now for the customers[i] and categories[i] given, or for all with both NULL: every resolved ticket whose customer came back in the same category within the repeat window, with the next ticket''s opening (appraisal.comeback_rows). What refresh_scorecards() keeps on one node.';

-- The pass in C (agent_daily_pass.c): per agent and day, the summaries of
-- the tickets of one part of the table's pages (part of parts, of blocks
-- pages counted by the caller; the last part to the table's end), opened
-- by instant, without comebacks.  Costed as a scan of a million tickets,
-- with some ten thousand rows: the planner then gives each part to a
-- worker, without compiling the query.
CREATE FUNCTION appraisal.agent_daily_pass(part integer, parts integer, blocks bigint, zone text, instant timestamptz,
                                           system_first_response boolean, repeat_window interval,
                                           channels text[], priorities text[],
                                           first_response_targets interval[],
                                           first_response_calendars appraisal.business_calendar[],
                                           resolution_targets interval[],
                                           resolution_calendars appraisal.business_calendar[],
                                           named_channels text[], named_priorities text[])
RETURNS TABLE (agent_id text, day date, tickets bigint, first_response appraisal.sla_stats,
               resolution appraisal.sla_stats, fcr appraisal.fcr_stats, complaints bigint,
               service_complaints bigint, system_complaints bigint, system_first_responses_excluded bigint,
               complaint_handling appraisal.sla_stats)
AS 'MODULE_PATHNAME', 'agent_daily_pass'
LANGUAGE C STABLE PARALLEL SAFE COST 8000000 ROWS 50000;
COMMENT ON FUNCTION appraisal.agent_daily_pass(integer, integer, bigint, text, timestamptz, boolean, interval, text[], text[], interval[], appraisal.business_calendar[], interval[], appraisal.business_calendar[], text[], text[]) IS
  'The tickets of part (0 .. parts - 1) of the pages of appraisal.tickets (blocks of them as the caller counted; the last part to the end), read in one scan with the caller''s rights (not under row-level security), opened by instant: per agent and day of opening (local_day in zone), the summaries of appraisal.agent_daily without comebacks (the SLA items against the policies given as appraisal.sla_policy_arrays() gives them, a channel or priority no policy names taken as any; FCR with repeat_window; complaints). What appraisal.agent_daily_rows rolls up for every ticket on one node, given no comebacks.';

CREATE FUNCTION appraisal.agent_daily_rows(agents text[], days date[], ticket_rows tid[] DEFAULT NULL,
                                           kept_comebacks boolean DEFAULT false, instant timestamptz DEFAULT NULL,
                                           versions jsonb DEFAULT NULL, comebacks jsonb DEFAULT NULL)
RETURNS TABLE (agent_id text, day date, tickets bigint, first_response appraisal.sla_stats,
               resolution appraisal.sla_stats, fcr appraisal.fcr_stats, complaints bigint,
               service_complaints bigint, system_complaints bigint, system_first_responses_excluded bigint,
               complaint_handling appraisal.sla_stats, as_of timestamptz)
-- (VOLATILE: on a Citus cluster it fills comeback_staging)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone text;
  repeat_window interval;
  system_first_response boolean;
  policy record;   -- the SLA policies (sla_policy_arrays)
  -- the channels (priorities) some policy names, each once: a ticket's
  -- is looked up in them, by its bytes, before the matrix is joined (the
  -- matrix's arrays repeat each for every pair, and a comparison in the
  -- database's collation first looks the collation up: at 10M tickets,
  -- serially, 7.3 s against 8.2-8.4 s for every agent-day, two
  -- alternated rounds)
  named_channels text[];
  named_priorities text[];
  customers text[];    -- with categories: the customers and categories of the tickets asked for
  categories text[];
  distributed constant boolean := appraisal.distributed();
  -- on one node, given kept_comebacks, each ticket's comeback from
  -- recurred_tickets, kept by the refresh: no window; given versions,
  -- each one's own; given comebacks, from them
  kept constant boolean := (kept_comebacks AND NOT distributed) OR versions IS NOT NULL OR comebacks IS NOT NULL;
  -- else the comebacks apart from the rest (on Citus; on one node for
  -- every agent-day), or beside each ticket
  apart constant boolean := NOT kept AND (distributed OR agents IS NULL);
  -- on one node the ids are grouped and partitioned by their bytes (40, above)
  bytes constant text := CASE WHEN distributed THEN '' ELSE ' COLLATE "C"' END;
  -- a ticket's FCR: resolved by the refresh; a comeback before the
  -- resolution recurred too (gap 0)
  fcr_of constant text := $fcr$
    appraisal.fcr_agg(CASE WHEN k.resolved_at <= $8 THEN k.contacts END,
                      CASE WHEN k.next_opened_at IS NOT NULL
                           THEN greatest(k.next_opened_at - k.resolved_at, interval '0') END,
                      $6) $fcr$;
  -- the same customer's next ticket of the same category: a comeback
  -- (system-caused complaints make their own partition: never one)
  comeback constant text := format($next$
    lead(t.opened_at) OVER (PARTITION BY t.customer_id%1$s, t.category%1$s%2$s ORDER BY t.opened_at, t.ticket_id) $next$,
    -- (comeback_staging, and the tickets read for the comebacks apart, hold
    -- no system-caused complaint)
    bytes, CASE WHEN apart THEN '' ELSE $c$, coalesce(t.cause = 'system', false)$c$ END);
BEGIN
  IF versions IS NOT NULL AND comebacks IS NOT NULL THEN
    RAISE EXCEPTION 'appraisal.agent_daily_rows: versions and comebacks given together'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'Each version carries its own comeback (next_opened_at); comebacks are those of the table''s tickets.';
  END IF;
  SELECT p.report_time_zone, p.repeat_window INTO report_zone, repeat_window FROM appraisal.scorecard_parameters() p;
  system_first_response := (SELECT s.value::boolean FROM appraisal.current_settings s WHERE s.name = 'system_complaints_first_response');
  SELECT * INTO policy FROM appraisal.sla_policy_arrays();
  named_channels := ARRAY(SELECT DISTINCT c FROM unnest(policy.channels) c WHERE c <> '');
  named_priorities := ARRAY(SELECT DISTINCT p FROM unnest(policy.priorities) p WHERE p <> '');
  -- Every ticket on one node without comebacks (what the full refresh
  -- counts before it adds each agent-day's comebacks, 60): the pass in C
  -- (agent_daily_pass), in as many parts of the tickets' pages as the
  -- caller's parallel workers, a parallel append handing each part to one
  -- process, the parts' summaries of an agent-day rolled up (its tickets
  -- may lie in two parts).  At 10M tickets on 2 cores 1.7-2.7 s against
  -- 5.8 s for the query, which grouped every ticket in one process
  -- (docs/performance.md).  Not under row-level security, which only
  -- queries apply.  (The parts' rows sorted, then rolled up in that order:
  -- the rows come out in the order of the key, which the full refresh
  -- sorts them into again, then at no cost; grouped by hashing, the rows
  -- of the 360,000 agent-days at 10M tickets were sorted after it, 2.03-
  -- 2.08 s against 2.24-2.28 s for this function and that sort.)
  IF agents IS NULL AND comebacks = '{}' AND versions IS NULL AND ticket_rows IS NULL AND NOT distributed
     AND NOT (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = 'appraisal.tickets'::regclass) THEN
    RETURN QUERY EXECUTE format($pass$
      WITH parted AS MATERIALIZED (%s)
      SELECT (p.agent_id COLLATE "C") COLLATE "default", p.day, sum(p.tickets)::bigint, appraisal.rollup(p.first_response),
             appraisal.rollup(p.resolution), appraisal.rollup(p.fcr), sum(p.complaints)::bigint,
             sum(p.service_complaints)::bigint, sum(p.system_complaints)::bigint,
             sum(p.system_first_responses_excluded)::bigint, appraisal.rollup(p.complaint_handling), $5
      FROM (SELECT * FROM parted p ORDER BY p.agent_id COLLATE "C", p.day) p
      GROUP BY p.agent_id COLLATE "C", p.day $pass$,
      (SELECT string_agg(format('SELECT * FROM appraisal.agent_daily_pass(%s, $1, $2, $3, $5, $4, $6, '
                                '$7, $8, $9, $10, $11, $12, $13, $14)', i), ' UNION ALL ' ORDER BY i)
         FROM generate_series(0, greatest(current_setting('max_parallel_workers_per_gather')::integer, 1) - 1) i))
    USING greatest(current_setting('max_parallel_workers_per_gather')::integer, 1),
          pg_relation_size('appraisal.tickets') / current_setting('block_size')::bigint,
          report_zone, system_first_response, coalesce(instant, now()), repeat_window,
          policy.channels, policy.priorities, policy.first_response_targets, policy.first_response_calendars,
          policy.resolution_targets, policy.resolution_calendars, named_channels, named_priorities;
    RETURN;
  END IF;
  -- (a query of its own, whose result the next one takes as a constant:
  -- Citus computes a subquery of the tickets within a query of the tickets
  -- on each shard alone, and would find a customer's tickets on one shard)
  -- (Given ticket_rows, the tickets at those addresses alone, each fetched
  -- by its address (tickets_at): no read of every ticket.)
  IF agents IS NOT NULL AND NOT kept THEN
    EXECUTE format($customers$
      SELECT coalesce(array_agg(c.customer_id), '{}'), coalesce(array_agg(c.category), '{}')
        FROM (SELECT DISTINCT u.customer_id, u.category
                FROM %s
               WHERE u.customer_id IS NOT NULL
                 AND appraisal.pair_in(u.agent_id, appraisal.local_day(u.opened_at, $1), $2, $3)) c $customers$,
      CASE WHEN ticket_rows IS NULL THEN 'appraisal.tickets u' ELSE 'appraisal.tickets_at($4) u' END)
      INTO customers, categories
      USING report_zone, agents, days, ticket_rows;
  END IF;
  IF distributed AND NOT kept THEN   -- the comebacks' tickets, to their customers' shards
    TRUNCATE appraisal.comeback_staging;
    INSERT INTO appraisal.comeback_staging
    SELECT t.customer_id, t.category, t.opened_at, t.ticket_id, t.agent_id,
           appraisal.local_day(t.opened_at, report_zone), t.resolved_at, t.contacts
    FROM appraisal.tickets t
    WHERE t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system'
      AND (agents IS NULL
           OR appraisal.pair_in(t.customer_id, t.category, customers, categories));
  END IF;
  -- $1, $2 the agent-days asked; $3 the report time zone; $4, $5 the
  -- customers and categories of their tickets; $6 the repeat window; $7
  -- whether system-caused complaints count in first response; $8 the
  -- instant (now); $9 to $14 the SLA policies (sla_policy_arrays); $15
  -- ticket_rows; $16 versions; $17 comebacks; $18, $19 the channels and
  -- priorities the policies name
  RETURN QUERY EXECUTE format($query$
    WITH asked AS (
      SELECT a.agent_id, a.day FROM unnest($1, $2) a(agent_id, day)
    ), dated AS NOT MATERIALIZED (
      SELECT t.*, appraisal.local_day(t.opened_at, $3) AS day
      FROM %10$s
    ), keyed AS (
      SELECT t.agent_id, t.opened_at, t.first_response_at, t.resolved_at, t.contacts, t.pauses,
             t.complaint, t.cause, coalesce(t.cause = 'system', false) AS system_caused, t.customer_id,
             CASE WHEN t.channel COLLATE "C" = ANY ($18) THEN t.channel ELSE '' END AS channel_key,
             CASE WHEN t.priority COLLATE "C" = ANY ($19) THEN t.priority ELSE '' END AS priority_key,
             %3$s AS next_opened_at,
             t.day
      FROM dated t%11$s
      WHERE $1 IS NULL
         %4$s
      %9$s
    ), counted AS (
      SELECT k.agent_id%1$s AS agent_id,
             k.day,
             count(*) AS tickets,
             -- resolving a ticket answers it: a ticket resolved without a recorded
             -- first response was first answered when resolved
             appraisal.sla_agg(k.opened_at, coalesce(k.first_response_at, k.resolved_at), m.first_response_target,
                               m.first_response_calendar, $8, k.pauses)
               FILTER (WHERE NOT k.system_caused OR $7) AS first_response,
             appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target,
                               m.resolution_calendar, $8, k.pauses)
               FILTER (WHERE NOT k.system_caused) AS resolution,
             %2$s FILTER (WHERE NOT k.system_caused %5$s) AS fcr,
             count(*) FILTER (WHERE k.complaint) AS complaints,
             count(*) FILTER (WHERE k.cause = 'service') AS service_complaints,
             count(*) FILTER (WHERE k.system_caused) AS system_complaints,
             count(*) FILTER (WHERE k.system_caused AND NOT $7) AS system_first_responses_excluded,
             -- complaint handling: the service-caused complaints against their resolution target
             appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target,
                               m.resolution_calendar, $8, k.pauses)
               FILTER (WHERE k.cause = 'service') AS complaint_handling
      FROM keyed k
      -- every key has its row in the matrix: LEFT JOIN says so to the planner,
      -- which would otherwise expect a few dozen tickets to group (and sort them)
      LEFT JOIN unnest($9, $10, $11, $12, $13, $14)
                  m(channel, priority, first_response_target, first_response_calendar, resolution_target, resolution_calendar)
             ON m.channel = k.channel_key AND m.priority = k.priority_key
      WHERE k.opened_at <= $8   -- a ticket from after the refresh counts from the next one
        AND ($1 IS NULL OR (k.agent_id, k.day) IN (SELECT agent_id, day FROM asked))
      GROUP BY k.agent_id%1$s, k.day
    )%6$s
    SELECT c.agent_id COLLATE "default", c.day, c.tickets, c.first_response, c.resolution,
           %7$s AS fcr,
           c.complaints, c.service_complaints, c.system_complaints, c.system_first_responses_excluded,
           c.complaint_handling, $8 AS as_of
    FROM counted c%8$s
    $query$,
    bytes,
    fcr_of,
    -- 3: the comeback kept (or given: looked up by the ticket's id in the
    -- object, no join; given an empty object, none), or beside each
    -- ticket, unless computed apart
    CASE WHEN comebacks = '{}' THEN 'NULL::timestamptz'
         WHEN comebacks IS NOT NULL THEN '($17 ->> t.ticket_id)::timestamptz'
         WHEN kept THEN 'r.next_opened_at' WHEN apart THEN 'NULL::timestamptz'
         ELSE format('CASE WHEN t.customer_id IS NOT NULL THEN %s END', comeback) END,
    -- 4: with the comebacks apart, the agent-days asked; else the window
    -- runs over the asked customers' whole partitions, which hold every
    -- asked ticket naming a customer: the agent-days asked are looked up
    -- for the tickets naming none alone (one hash of each ticket instead of
    -- two, and no day computed for the tickets left out: at 10M tickets,
    -- after a day of tickets and 1 % of the open ones resolved,
    -- agent_daily's step 0.6-0.9 s shorter, two alternated rounds)
    CASE WHEN apart OR kept THEN 'OR appraisal.pair_in(t.agent_id, t.day, $1, $2)' ELSE
      $w$OR appraisal.pair_in(t.customer_id, t.category, $4, $5)
         OR t.customer_id IS NULL AND appraisal.pair_in(t.agent_id, t.day, $1, $2)$w$ END,
    -- 5: with the comebacks apart, this FCR is of the tickets naming no customer alone
    CASE WHEN apart THEN 'AND k.customer_id IS NULL' ELSE '' END,
    -- 6: the FCR of the others apart, per agent-day: on Citus on the
    -- customers' shards; on one node from a window over their few columns
    -- alone, the rest grouped by hashing, unsorted (at 10M tickets 33.9-42.5 s
    -- against 37.6-45.8 s sorting every column of every ticket for the
    -- window, three alternated rounds, and 652 MB sorted on disk instead of
    -- 1,088 MB)
    CASE WHEN apart THEN format($b$, comebacks AS (
      SELECT k.agent_id, k.day, %1$s AS fcr
      FROM (SELECT t.agent_id, t.day, t.opened_at, t.resolved_at, t.contacts, %2$s AS next_opened_at
              FROM %3$s t) k
      WHERE k.opened_at <= $8
        AND ($1 IS NULL OR (k.agent_id, k.day) IN (SELECT agent_id, day FROM asked))
      GROUP BY k.agent_id, k.day
    )$b$, fcr_of, comeback,
      CASE WHEN distributed THEN 'appraisal.comeback_staging' ELSE
        $s$(SELECT u.customer_id, u.category, u.opened_at, u.ticket_id, u.agent_id COLLATE "C" AS agent_id,
                   appraisal.local_day(u.opened_at, $3) AS day, u.resolved_at, u.contacts
              FROM appraisal.tickets u
             WHERE u.customer_id IS NOT NULL AND u.cause IS DISTINCT FROM 'system')$s$ END) ELSE '' END,
    CASE WHEN apart THEN 'coalesce(appraisal.fcr_stats_combine(c.fcr, b.fcr), c.fcr)' ELSE 'c.fcr' END,
    CASE WHEN apart THEN ' LEFT JOIN comebacks b ON b.agent_id = c.agent_id AND b.day = c.day' ELSE '' END,
    -- 9: on one node without the window, a subquery of its own (OFFSET 0: the
    -- planner, knowing nothing of the day's values, then expects some
    -- hundreds of days and groups by hashing, as the window's output makes
    -- it do; on Citus it would compute it on the coordinator)
    CASE WHEN (apart OR kept) AND NOT distributed THEN 'OFFSET 0' ELSE '' END,
    -- 10: the versions given; the tickets at the addresses given, when no
    -- window needs their customers' other tickets (with agents NULL, all
    -- of them, none tested against the agent-days); else every ticket
    CASE WHEN versions IS NOT NULL THEN 'jsonb_populate_recordset(NULL::appraisal.tickets, $16) t'
         WHEN kept AND ticket_rows IS NOT NULL THEN 'appraisal.tickets_at($15) t'
         ELSE 'appraisal.tickets t' END,
    -- 11: the comebacks kept, or the versions' own (none given comebacks)
    CASE WHEN versions IS NOT NULL THEN ' LEFT JOIN jsonb_to_recordset($16) r(ticket_id text, next_opened_at timestamptz) ON r.ticket_id = t.ticket_id'
         WHEN comebacks IS NOT NULL THEN ''
         WHEN kept THEN ' LEFT JOIN appraisal.recurred_tickets r ON r.ticket_id = t.ticket_id' ELSE '' END)
  USING agents, days, report_zone, customers, categories, repeat_window, system_first_response, coalesce(instant, now()),
        policy.channels, policy.priorities, policy.first_response_targets, policy.first_response_calendars,
        policy.resolution_targets, policy.resolution_calendars, ticket_rows, versions, comebacks, named_channels, named_priorities;
  IF distributed AND NOT kept THEN
    TRUNCATE appraisal.comeback_staging;
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.agent_daily_rows(text[], date[], tid[], boolean, timestamptz, jsonb, jsonb) IS
  'The rows of appraisal.agent_daily as of now() (or the instant given) for the agent-days agents[i], days[i], or for every agent and day when both are NULL: what refresh_scorecards() stores. ticket_rows (optional, on one node): the addresses (ctid) of rows of appraisal.tickets among which every ticket of those agent-days is, read in this transaction: refresh_scorecards() reads them once for this summary and the CSAT and follow-up ones. kept_comebacks (on one node): each ticket''s comeback taken from appraisal.recurred_tickets, as the refresh keeps it, instead of computed from its customer''s tickets (false: computed, the definition). versions (a JSON array of rows of appraisal.tickets, each with its comeback''s opening as next_opened_at, NULL or absent for none): what those tickets alone count for, instead of the table''s: refresh_scorecards() takes what the tickets written since the last refresh counted for then, as of that refresh''s instant, out of their days'' rows. comebacks (a JSON object, not with versions): each ticket''s comeback''s opening under its id instead (a ticket absent: none; the empty object: no ticket has one): refresh_scorecards() counts the tickets written as they count now with the comebacks keep_recurred_tickets returns for them, and every ticket without a comeback before it adds those of the tickets that recurred.';

CREATE TABLE appraisal.agent_daily AS SELECT * FROM appraisal.agent_daily_rows(NULL, NULL) WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily (agent_id, day);
COMMENT ON TABLE appraisal.agent_daily IS
  'Per agent and day (tickets opened that day in the report time zone): two-step summaries of first-response and resolution SLA (against the ticket''s SLA policy, as of the refresh), FCR with recurrence, complaint counts and the handling of service-caused complaints. System-caused complaints are left out of resolution, FCR and recurrence, and of first response when system_complaints_first_response is false (docs/rules.md, "Complaint handling": attribution). Refreshed by appraisal.refresh_scorecards(); the scorecards roll it up.';
COMMENT ON COLUMN appraisal.agent_daily.agent_id IS 'Agent (appraisal.employees).';
COMMENT ON COLUMN appraisal.agent_daily.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily.tickets IS 'Tickets opened that day, by the refresh (system-caused complaints included).';
COMMENT ON COLUMN appraisal.agent_daily.first_response IS 'First-response SLA summary (sla_stats) as of the refresh; system-caused complaints in it unless system_complaints_first_response was false.';
COMMENT ON COLUMN appraisal.agent_daily.resolution IS 'Resolution SLA summary (sla_stats) as of the refresh, without system-caused complaints.';
COMMENT ON COLUMN appraisal.agent_daily.fcr IS 'FCR summary (fcr_stats) of the tickets resolved by the refresh, without system-caused complaints; recurred when the customer came back in the same category within the repeat window (a system-caused complaint is no comeback).';
COMMENT ON COLUMN appraisal.agent_daily.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.agent_daily.service_complaints IS 'Service-caused complaints (count against the agent).';
COMMENT ON COLUMN appraisal.agent_daily.system_complaints IS 'System-caused complaints (left out of the agent''s measures but for their first response, per system_complaints_first_response).';
COMMENT ON COLUMN appraisal.agent_daily.system_first_responses_excluded IS 'System-caused complaints left out of first response too (system_complaints_first_response false at the refresh); 0 otherwise.';
COMMENT ON COLUMN appraisal.agent_daily.complaint_handling IS 'Resolution SLA summary (sla_stats) of the service-caused complaints alone: complaints closed within their target.';
COMMENT ON COLUMN appraisal.agent_daily.as_of IS 'When the row was computed: the refresh that last recomputed it (the others found it unchanged).';

-- Survey responses per agent and day of the rated ticket, one per ticket;
-- a rating of a system-caused complaint is not the agent's.
--
-- The query is written for the case (every ticket, or those of the
-- agent-days asked for) and the installation: on one node the ids are
-- sorted and joined by their bytes (COLLATE "C": the same groups and
-- matches, sorted several times faster than by the database's collation);
-- on a Citus cluster (62_citus.sql) as they are, and every ticket read
-- from the table itself, so that Citus sees its distribution column and
-- computes each shard's responses and tickets on its worker, combining
-- the partial csat_stats on the coordinator.
CREATE FUNCTION appraisal.agent_daily_csat_rows(agents text[], days date[])
RETURNS TABLE (agent_id text, day date, scale_max integer, csat appraisal.csat_stats, as_of timestamptz)
LANGUAGE plpgsql STABLE PARALLEL SAFE
-- serial: in a parallel plan every worker sorts all the responses to pick
-- one per ticket (22 % slower at 2M tickets)
SET max_parallel_workers_per_gather = 0
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  distributed constant boolean := appraisal.distributed();
  -- every ticket on one node, stored in the order of the ids: the responses
  -- picked, in the order of their ids, then merged with the tickets read
  -- through their key, which refresh_scorecards() has the planner choose
  -- (60: hash joins off for its INSERT; at 10M tickets 13.4-14.3 s against
  -- 17.1-18.8 s hashing every ticket, alternated)
  merged constant boolean := agents IS NULL AND NOT distributed AND appraisal.tickets_in_id_order();
  bytes constant text := CASE WHEN distributed OR merged THEN '' ELSE ' COLLATE "C"' END;
BEGIN
  RETURN QUERY EXECUTE format($query$
    WITH asked AS MATERIALIZED (   -- the tickets of the agent-days asked for (read when some are)
      SELECT t.ticket_id, t.agent_id, t.opened_at, t.cause
      FROM appraisal.tickets t
      WHERE appraisal.pair_in(t.agent_id, appraisal.local_day(t.opened_at, $3), $1, $2)
    ), counted AS (   -- docs/rules.md, "Complaint handling": one response per ticket, web beats the rest
      SELECT DISTINCT ON (r.ticket_id%1$s) r.ticket_id, r.rating, r.scale_max
      FROM appraisal.survey_responses r
      WHERE %3$s
      ORDER BY r.ticket_id%1$s, CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END, r.responded_at DESC
    )
    SELECT (t.agent_id%1$s) COLLATE "default" AS agent_id,
           appraisal.local_day(t.opened_at, $3) AS day,
           c.scale_max,
           appraisal.csat_agg(c.rating, c.scale_max) AS csat,
           $4 AS as_of
    FROM counted c
    JOIN %2$s t ON t.ticket_id%1$s = c.ticket_id%1$s   -- (as counted is sorted: the same matches)
    WHERE t.cause IS DISTINCT FROM 'system'
    GROUP BY t.agent_id%1$s, 2, 3
    $query$,
    bytes,
    CASE WHEN agents IS NULL THEN 'appraisal.tickets' ELSE 'asked' END,
    CASE WHEN agents IS NULL THEN 'true' ELSE 'r.ticket_id IN (SELECT ticket_id FROM asked)' END)
  USING agents, days, report_zone, now();   -- (the coordinator's instant, a constant to Citus)
END
$$;
COMMENT ON FUNCTION appraisal.agent_daily_csat_rows(text[], date[]) IS
  'The rows of appraisal.agent_daily_csat as of now() for the agent-days agents[i], days[i], or for every agent and day when both are NULL: what refresh_scorecards() stores.';

CREATE TABLE appraisal.agent_daily_csat AS SELECT * FROM appraisal.agent_daily_csat_rows(NULL, NULL) WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily_csat (agent_id, day, scale_max);
COMMENT ON TABLE appraisal.agent_daily_csat IS
  'Per agent, day the rated tickets were opened and rating scale: two-step CSAT summary (csat_stats) of one response per ticket (web, else call-back, else SMS; the latest of equals; docs/rules.md, "Complaint handling"), system-caused complaints left out (docs/rules.md, "Complaint handling": attribution).';
COMMENT ON COLUMN appraisal.agent_daily_csat.agent_id IS 'Agent who handled the rated tickets.';
COMMENT ON COLUMN appraisal.agent_daily_csat.day IS 'Day the rated tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily_csat.scale_max IS 'Top of the rating scale (summaries of different scales are kept apart; the scorecards add up their counts of responses and satisfied responses).';
COMMENT ON COLUMN appraisal.agent_daily_csat.csat IS 'Counts of the ratings (csat_stats).';
COMMENT ON COLUMN appraisal.agent_daily_csat.as_of IS 'When the row was computed: the refresh that last recomputed it (the others found it unchanged).';

-- The pass in C (category_daily_pass.c): per category and day, the
-- counts of the tickets of one part of the table's pages (as
-- agent_daily_pass), opened by instant.  Costed as a scan of a million
-- tickets: the planner then gives each part to a worker.
CREATE FUNCTION appraisal.category_daily_pass(part integer, parts integer, blocks bigint, zone text, instant timestamptz)
RETURNS TABLE (category text, day date, tickets bigint, complaints bigint, service_complaints bigint, system_complaints bigint)
AS 'MODULE_PATHNAME', 'category_daily_pass'
LANGUAGE C STABLE PARALLEL SAFE COST 2000000 ROWS 5000;
COMMENT ON FUNCTION appraisal.category_daily_pass(integer, integer, bigint, text, timestamptz) IS
  'The tickets of part (0 .. parts - 1) of the pages of appraisal.tickets (blocks of them as the caller counted; the last part to the end), read in one scan with the caller''s rights (not under row-level security), opened by instant: per category and day of opening (local_day in zone), the counts of appraisal.category_daily. What appraisal.category_daily_rows adds up for every day on one node.';

-- Complaints per category and day: Pareto and spikes.  Every day on one
-- node (no row-level security on the tickets, which only queries apply):
-- the pass in C (category_daily_pass), in as many parts of the tickets'
-- pages as the caller's parallel workers, a parallel append handing each
-- part to one process, the parts' counts of a category-day added up (at
-- 10M tickets on 2 cores 0.57-0.59 s against 0.97 s for the query,
-- docs/performance.md).  Otherwise a query.  On one node, given days, the
-- day is computed once per ticket in a subquery of its own (OFFSET 0: it is
-- compared with the days, then grouped); for every day the subquery is
-- flattened, so that parallel workers may read the tickets for the leader
-- to group (refresh_scorecards() then costs them as free to pass up, 60; a
-- fenced subquery kept the workers out).  On Citus the tickets are grouped
-- as they are read, on their shards (a subquery with OFFSET it would
-- compute on the coordinator, every ticket shipped there).  Given
-- ticket_ids, those tickets' counts alone, found through the table's key
-- (or given ticket_rows, at those addresses): what refresh_scorecards()
-- adds to the days' counts for tickets inserted (60).
CREATE FUNCTION appraisal.category_daily_rows(days date[], ticket_ids text[] DEFAULT NULL, ticket_rows tid[] DEFAULT NULL)
RETURNS TABLE (category text, day date, tickets bigint, complaints bigint, service_complaints bigint,
               system_complaints bigint, as_of timestamptz)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  parts constant integer := greatest(current_setting('max_parallel_workers_per_gather')::integer, 1);
BEGIN
  IF days IS NULL AND ticket_ids IS NULL AND ticket_rows IS NULL AND NOT appraisal.distributed()
     AND NOT (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = 'appraisal.tickets'::regclass) THEN
    RETURN QUERY EXECUTE format($pass$
      WITH parted AS MATERIALIZED (%s)
      SELECT (p.category COLLATE "C") COLLATE "default", p.day, sum(p.tickets)::bigint, sum(p.complaints)::bigint,
             sum(p.service_complaints)::bigint, sum(p.system_complaints)::bigint, $4
      FROM parted p
      GROUP BY p.category COLLATE "C", p.day $pass$,
      (SELECT string_agg(format('SELECT * FROM appraisal.category_daily_pass(%s, $1, $2, $3, $4)', i), ' UNION ALL ' ORDER BY i)
         FROM generate_series(0, parts - 1) i))
    USING parts, pg_relation_size('appraisal.tickets') / current_setting('block_size')::bigint, report_zone, now();
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format($query$
    SELECT t.category, t.day,
           count(*) AS tickets,
           count(*) FILTER (WHERE t.complaint) AS complaints,
           count(*) FILTER (WHERE t.cause = 'service') AS service_complaints,
           count(*) FILTER (WHERE t.cause = 'system') AS system_complaints,
           $3 AS as_of
    FROM (SELECT t.category, t.complaint, t.cause, appraisal.local_day(t.opened_at, $2) AS day
          FROM %s
          WHERE t.opened_at <= $3 %s
          %s) t
    WHERE $1 IS NULL OR t.day = ANY ($1)
    GROUP BY 1, 2
    $query$,
    CASE WHEN ticket_rows IS NULL THEN 'appraisal.tickets t' ELSE 'appraisal.tickets_at($5) t' END,
    CASE WHEN ticket_ids IS NOT NULL THEN 'AND t.ticket_id = ANY ($4)' ELSE '' END,
    CASE WHEN appraisal.distributed() OR days IS NULL THEN '' ELSE 'OFFSET 0' END)
  USING days, report_zone, now(), ticket_ids, ticket_rows;   -- ($3: the coordinator's instant, a constant to Citus)
END
$$;
COMMENT ON FUNCTION appraisal.category_daily_rows(date[], text[], tid[]) IS
  'The rows of appraisal.category_daily as of now() for the given days, or for every day when days is NULL: what refresh_scorecards() stores. Given ticket_ids, the counts of those tickets alone: what it adds to the days'' counts for tickets inserted; given ticket_rows (on one node), of the tickets at those addresses (ctid, read in this transaction) alone.';

CREATE TABLE appraisal.category_daily AS SELECT * FROM appraisal.category_daily_rows(NULL) WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.category_daily (category, day);
COMMENT ON TABLE appraisal.category_daily IS 'Per ticket category and day: tickets and complaints, for the complaint Pareto and spike alerts.';
COMMENT ON COLUMN appraisal.category_daily.category IS 'Ticket category.';
COMMENT ON COLUMN appraisal.category_daily.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.category_daily.tickets IS 'Tickets opened that day, by the refresh.';
COMMENT ON COLUMN appraisal.category_daily.complaints IS 'Complaints among them.';
COMMENT ON COLUMN appraisal.category_daily.service_complaints IS 'Service-caused complaints.';
COMMENT ON COLUMN appraisal.category_daily.system_complaints IS 'System-caused complaints.';
COMMENT ON COLUMN appraisal.category_daily.as_of IS 'When the counts were taken: the refresh that last recomputed the row (the others found it unchanged).';

-- The complaint views read the new category_daily (same columns; their
-- comments and grants stay).
CREATE OR REPLACE VIEW appraisal.complaint_pareto WITH (security_invoker = true) AS
WITH counts AS (
  SELECT p.period, p.kind AS period_kind, d.category,
         sum(d.complaints)::bigint AS complaints, sum(d.service_complaints)::bigint AS service_complaints,
         sum(d.system_complaints)::bigint AS system_complaints
  FROM appraisal.category_daily d
  JOIN appraisal.periods p ON d.day BETWEEN p.starts_on AND p.ends_on
  WHERE appraisal.summaries_ready()   -- fails before the first refresh
  GROUP BY p.period, p.kind, d.category
  HAVING sum(d.complaints) > 0
), ranked AS (
  SELECT c.*,
         row_number() OVER w AS rank,
         sum(complaints) OVER w AS running,
         sum(complaints) OVER (PARTITION BY period) AS total,
         count(*) OVER (PARTITION BY period) AS categories
  FROM counts c
  WINDOW w AS (PARTITION BY period ORDER BY complaints DESC, category ROWS UNBOUNDED PRECEDING)
)
SELECT r.period, r.period_kind, r.category, r.complaints, r.service_complaints, r.system_complaints,
       r.rank, appraisal.share_percent(r.complaints, r.total::bigint) AS share,
       appraisal.share_percent(r.running::bigint, r.total::bigint) AS cumulative_share,
       r.rank <= ceil(r.categories * prm.pareto_share / 100) AS top_cause
FROM ranked r CROSS JOIN appraisal.scorecard_parameters() prm;
CREATE OR REPLACE VIEW appraisal.complaint_spikes WITH (security_invoker = true) AS
WITH weeks AS (
  SELECT category, date_trunc('week', day)::date AS week_start,
         sum(tickets)::bigint AS tickets, sum(complaints)::bigint AS complaints
  FROM appraisal.category_daily
  WHERE appraisal.summaries_ready()   -- fails before the first refresh
  GROUP BY 1, 2
)
SELECT w.week_start, w.category, w.tickets, w.complaints,
       appraisal.share_percent(w.complaints, w.tickets) AS complaint_rate,
       t.tickets AS trailing_tickets, t.complaints AS trailing_complaints,
       appraisal.share_percent(t.complaints, t.tickets) AS trailing_rate,
       coalesce(w.complaints >= prm.spike_min_complaints AND t.tickets > 0
                AND w.complaints::numeric * t.tickets >= prm.spike_factor * t.complaints * w.tickets, false) AS spike
FROM weeks w
CROSS JOIN appraisal.scorecard_parameters() prm
JOIN (   -- the trailing weeks of every week: a join on the category, not a scan per week
  SELECT w2.category, w2.week_start,
         coalesce(sum(x.tickets), 0)::bigint AS tickets, coalesce(sum(x.complaints), 0)::bigint AS complaints
  FROM weeks w2
  CROSS JOIN appraisal.scorecard_parameters() p2
  LEFT JOIN weeks x ON x.category = w2.category
                   AND x.week_start >= w2.week_start - 7 * p2.spike_weeks AND x.week_start < w2.week_start
  GROUP BY w2.category, w2.week_start
) t ON t.category = w.category AND t.week_start = w.week_start;

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
FROM t LEFT JOIN c USING (agent_id, period)
WHERE appraisal.summaries_ready();   -- fails before the first refresh
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
COMMENT ON COLUMN appraisal.agent_summaries.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them).';
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
COMMENT ON COLUMN appraisal.pooled_summaries.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them).';
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
-- scoped (may_see reads them so).  The policy calls a function rather than
-- holding the subquery: Citus refuses a subquery in the policy of a table
-- it distributes (docs/scaling.md).
CREATE FUNCTION appraisal.member_of(role_name name) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT EXISTS (SELECT FROM pg_catalog.pg_roles r
                 WHERE r.rolname = member_of.role_name
                   AND (pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
                        OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')));
END;
COMMENT ON FUNCTION appraisal.member_of(name) IS
  'Whether the current role or the login behind it (session_user) is a member of the role named (false when no such role exists): the row policy of appraisal.scorecard_access.';
ALTER TABLE appraisal.scorecard_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON appraisal.scorecard_access FOR SELECT USING (appraisal.member_of(grantee));
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
-- (PL/pgSQL: on Citus, where periods is a reference table, an SQL function
-- writing it with its arguments as parameters is refused)
CREATE FUNCTION appraisal.add_periods(year integer, months boolean DEFAULT false) RETURNS SETOF appraisal.periods
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN QUERY
  INSERT INTO appraisal.periods AS x (period, kind, starts_on, ends_on)
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
  RETURNING x.*;
END
$$;
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
                      THEN format('%s KPIs, not %s to %s', w.kpis, w.min_kpis, w.max_kpis) END,
                 CASE WHEN w.kpis > 0 AND w.longer_kpis = w.kpis
                      THEN format('every KPI is measured on a longer cycle than the position''s %s: its results repeat, and streaks count one result several times', w.cycle) END)
         AS warning
FROM (SELECT c.position, c.cycle, count(d.kpi) AS kpis, count(*) FILTER (WHERE d.nature = 'soft') AS soft_kpis,
             coalesce(sum(d.weight), 0) AS total_weight, coalesce(sum(d.weight) FILTER (WHERE d.nature = 'soft'), 0) AS soft_weight,
             CASE WHEN count(d.kpi) > 0 THEN
               appraisal.weighted_share_percent(ARRAY[1], ARRAY[coalesce(sum(d.weight) FILTER (WHERE d.nature = 'soft'), 0)],
                                                ARRAY[sum(d.weight)]) END AS soft_share,
             count(*) FILTER (WHERE array_position(ARRAY['month', 'quarter', 'half_year', 'year'], d.cycle)
                                    > array_position(ARRAY['month', 'quarter', 'half_year', 'year'], c.cycle)) AS longer_kpis,
             max(s.min_soft_share) AS min_soft_share, max(s.min_kpis) AS min_kpis, max(s.max_kpis) AS max_kpis
      FROM appraisal.position_cycles c
      LEFT JOIN appraisal.kpi_definitions d ON d.position = c.position
      CROSS JOIN (SELECT max(value) FILTER (WHERE name = 'min_soft_kpi_share')::numeric AS min_soft_share,
                         max(value) FILTER (WHERE name = 'core_kpis_min')::integer AS min_kpis,
                         max(value) FILTER (WHERE name = 'core_kpis_max')::integer AS max_kpis
                  FROM appraisal.current_settings) s
      GROUP BY c.position, c.cycle) w
WHERE w.soft_share < w.min_soft_share OR w.kpis < w.min_kpis OR w.kpis > w.max_kpis
   OR (w.kpis > 0 AND w.longer_kpis = w.kpis);
COMMENT ON VIEW appraisal.kpi_weight_warnings IS
  'Positions whose KPI set breaks the regulations'' advice (docs/rules.md, "Complaint handling"): soft KPIs (kpi_definitions.nature = soft: emotion management, collaboration, scored by case review) weighing less than min_soft_kpi_share percent (30) of the KPIs'' weights, or fewer than core_kpis_min (3; a position without KPIs too) or more than core_kpis_max (5) KPIs; and positions whose every KPI is measured on a cycle longer than the position''s (docs/rules.md, "Appraisal periods and results": the appraisals would repeat one result). A warning to review the KPI set, not a refusal. Empty when every position meets them all.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.position IS 'Position whose KPI set breaks a rule.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.kpis IS 'KPIs of the position.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.soft_kpis IS 'Soft KPIs among them.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.total_weight IS 'Sum of the KPIs'' weights.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.soft_weight IS 'Sum of the soft KPIs'' weights.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.soft_share IS 'Soft weight over total weight, percent, truncated to 2 decimals; NULL without KPIs.';
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
           format('%s system-caused complaint%s (company policy or system): left out of resolution, FCR, recurrence and satisfaction (their parts of the composite)%s',
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

-- The follow-up after a ticket: call-backs and the call-back
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
-- The calls after an instant (summary_events: those not yet counted) are
-- found through a BRIN index of the time of the call: a few dozen
-- kilobytes, its ranges summarized by VACUUM, next to nothing to keep on
-- a load, where a scan of every call-back took about 0.2 s at 8.8M
-- (docs/performance.md).
CREATE INDEX ON appraisal.call_backs USING brin (called_at);

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

-- The counted response of each ticket is the one agent_daily_csat counts
-- (40): the same pass gives that summary too, one per scale (scales[i],
-- csats[i]).  Each agent-day is grouped first by the scale of its tickets'
-- counted responses (none for the tickets without one), then as a whole,
-- the follow-up's counts added up.  A full
-- refresh on one node writes both summaries from one call (60): at 10M
-- tickets 49.7-54.5 s for both, against 56.7-59.3 s apart (CSAT 16-17 s,
-- follow-up 40-43 s), two alternated rounds of the whole refresh.
-- The pass in C (follow_up_pass.c): per agent and day of the tickets whose
-- ids lie in [lower, upper) (NULL: unbounded), a row per scale rated, with
-- its count and CSAT summary, the first with the follow-up's counts (else one
-- row of those, scale_max NULL).  Costed as a scan of a million tickets,
-- with some ten thousand rows: the planner then gives each part to a
-- worker, without compiling the query (JIT: 0.2 s at 10M tickets).
CREATE FUNCTION appraisal.follow_up_pass(lower text, upper text, zone text, call_back_window interval, instant timestamptz)
RETURNS TABLE (agent_id text, day date, scale_max integer, opened bigint, resolved bigint, called_back bigint,
               call_back_pending bigint, surveyed bigint, inspections bigint, score_sum numeric, extreme_responses bigint,
               extreme_satisfied bigint, other_responses bigint, other_satisfied bigint, rated bigint, csat appraisal.csat_stats)
AS 'MODULE_PATHNAME', 'follow_up_pass'
LANGUAGE C STABLE PARALLEL SAFE COST 8000000 ROWS 50000;
COMMENT ON FUNCTION appraisal.follow_up_pass(text, text, text, interval, timestamptz) IS
  'The tickets with ids from lower (included) to upper (excluded; NULL: unbounded) with their call-backs, survey responses and quality inspections, read in the order of the tables'' primary keys and merged (with the caller''s rights; not under row-level security): per agent and day of opening (local_day in zone), one row per rating scale of the counted responses with their number (rated) and CSAT summary, the first with the follow-up counts of appraisal.agent_daily_follow_up as of instant (inspections and score_sum of the tickets opened by instant; the other rows'' counts 0), or, with no response rated, one row of those counts with scale_max NULL. What appraisal.agent_daily_csat_follow_up_rows adds up for every ticket on one node.';

CREATE FUNCTION appraisal.agent_daily_csat_follow_up_rows(agents text[], days date[], ticket_rows tid[] DEFAULT NULL,
                                                         instant timestamptz DEFAULT NULL, versions jsonb DEFAULT NULL,
                                                         facts boolean DEFAULT true)
RETURNS TABLE (agent_id text, day date, resolved bigint, called_back bigint, call_back_pending bigint,
               surveyed bigint, inspections bigint, inspection_score_sum numeric, extreme_responses bigint,
               extreme_satisfied bigint, other_responses bigint, other_satisfied bigint, as_of timestamptz,
               opened bigint, scales integer[], csats appraisal.csat_stats[])
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  call_back_window constant interval := (SELECT s.value::interval FROM appraisal.current_settings s WHERE s.name = 'call_back_window');
  distributed constant boolean := appraisal.distributed();
  -- (follow_up_pass reads the tables directly: not under row-level security,
  -- which only queries apply)
  merged constant boolean := agents IS NULL AND facts AND NOT distributed AND appraisal.tickets_in_id_order()
                             AND NOT EXISTS (SELECT FROM pg_class c
                                             WHERE c.oid IN ('appraisal.tickets'::regclass, 'appraisal.call_backs'::regclass,
                                                             'appraisal.survey_responses'::regclass,
                                                             'appraisal.quality_inspections'::regclass)
                                               AND c.relrowsecurity);
  -- the ids compared by their bytes on one node
  bytes constant text := CASE WHEN distributed THEN '' ELSE ' COLLATE "C"' END;
  -- a table of the tickets' responses or inspections (%1$s, alias %2$s):
  -- every row, or those of the tickets asked for.  On one node each
  -- ticket's rows are looked up by its key in the order the tickets were
  -- read (a subquery of its own per ticket: joined, the planner hashes
  -- every response), which is about the keys' order when they are stored
  -- in the order of their ids: at 10M tickets 103,000 look-ups in the
  -- responses took 0.21-0.27 s so, against 0.45 s in the order of a hash
  -- of the ids, as a semi-join takes them (two rounds each); on Citus the
  -- semi-join, which it plans on the shards.
  -- (without facts, none: tickets that have no response, call-back or
  -- inspection, as those the refresh knows were inserted since the rows
  -- of those tables it counted)
  of_asked constant text := CASE WHEN NOT facts THEN '%1$s %2$s WHERE false'
                                 WHEN agents IS NULL THEN '%1$s %2$s'
                                 WHEN distributed THEN '%1$s %2$s WHERE %2$s.ticket_id IN (SELECT a.ticket_id FROM asked a)'
                                 ELSE 'asked a CROSS JOIN LATERAL (SELECT * FROM %1$s x WHERE x.ticket_id = a.ticket_id OFFSET 0) %2$s' END;
  -- Merged, the pass is split into parts by ranges of ids, as many as the
  -- caller's parallel workers ($8: the ids between them, from the
  -- planner's statistics, 40: ticket_id_bounds): a parallel append hands
  -- each part whole to one process (the leader takes the last; one worker
  -- finds none left); the parts' counts per agent, day and scale are then
  -- added up from a materialized union (an agent-day's tickets may lie in
  -- two ranges), sorted first: the sums then come in the order the
  -- agent-day's row is built in (5, below), where grouped by hashing they
  -- were sorted after it (at 10M tickets 3.21-3.34 s against 3.51-3.67 s
  -- for this function).  One part, the whole range, without workers or
  -- statistics.
  bounds constant text[] := CASE WHEN merged
                                 THEN appraisal.ticket_id_bounds(current_setting('max_parallel_workers_per_gather')::integer)
                                 ELSE '{}' END;
  -- the tickets counted per agent, day and scale of the counted response:
  -- follow_up_pass's parts added up, or the query below
  part text;
BEGIN
  IF merged THEN
    SELECT format($sum$
      WITH parted AS MATERIALIZED (%s)
      SELECT p.agent_id COLLATE "C" AS agent_id, p.day, p.scale_max, sum(p.opened::integer) AS opened, sum(p.resolved::integer) AS resolved,
             sum(p.called_back::integer) AS called_back, sum(p.call_back_pending::integer) AS call_back_pending,
             sum(p.surveyed::integer) AS surveyed, sum(p.inspections) AS inspections, sum(p.score_sum) AS score_sum,
             sum(p.extreme_responses::integer) AS extreme_responses, sum(p.extreme_satisfied::integer) AS extreme_satisfied,
             sum(p.other_responses::integer) AS other_responses, sum(p.other_satisfied::integer) AS other_satisfied,
             sum(p.rated::integer) AS rated, appraisal.rollup(p.csat) AS csat
      FROM (SELECT * FROM parted p ORDER BY p.agent_id COLLATE "C", p.day, p.scale_max) p
      GROUP BY p.agent_id COLLATE "C", p.day, p.scale_max $sum$,
                  string_agg(format('SELECT * FROM appraisal.follow_up_pass(%s, %s, $3, $4, $5)',
                                    CASE WHEN i > 1 THEN format('$8[%s]', i - 1) ELSE 'NULL' END,
                                    CASE WHEN i <= cardinality(bounds) THEN format('$8[%s]', i) ELSE 'NULL' END),
                             ' UNION ALL ' ORDER BY i))
      INTO part
      FROM generate_series(1, cardinality(bounds) + 1) i;
  ELSE
    part := format($part$
      SELECT t.agent_id%1$s AS agent_id,
             t.day,
             count(*) FILTER (WHERE t.counts) AS opened,
             count(*) FILTER (WHERE t.counts AND t.resolved_at <= $5 AND NOT t.system_caused) AS resolved,
             count(*) FILTER (WHERE t.counts AND cb.ticket_id IS NOT NULL AND NOT t.system_caused) AS called_back,
             -- no call-back yet, but the window is still open at the refresh: not judged yet
             count(*) FILTER (WHERE t.counts AND t.resolved_at <= $5 AND NOT t.system_caused AND cb.ticket_id IS NULL
                                AND t.resolved_at + $4 >= $5) AS call_back_pending,
             count(c.ticket_id) FILTER (WHERE t.counts AND t.resolved_at <= $5 AND NOT t.system_caused) AS surveyed,
             -- an inspection judges the agent's handling, whatever caused the complaint
             -- (summed over the inspected tickets alone: a sum's state is
             -- allocated at its first row, NULL or not, which for every
             -- group made the hash table spill to disk at 10M tickets)
             sum(q.inspections) FILTER (WHERE t.counts AND q.ticket_id IS NOT NULL) AS inspections,
             sum(q.score_sum) FILTER (WHERE t.counts AND q.ticket_id IS NOT NULL) AS score_sum,
             count(c.ticket_id) FILTER (WHERE t.counts AND NOT t.system_caused AND c.rating IN (1, c.scale_max)) AS extreme_responses,
             count(c.ticket_id) FILTER (WHERE t.counts AND NOT t.system_caused AND c.rating IN (1, c.scale_max)
                                          AND c.rating >= c.scale_max - 1) AS extreme_satisfied,
             count(c.ticket_id) FILTER (WHERE t.counts AND NOT t.system_caused AND c.rating NOT IN (1, c.scale_max)) AS other_responses,
             count(c.ticket_id) FILTER (WHERE t.counts AND NOT t.system_caused AND c.rating NOT IN (1, c.scale_max)
                                          AND c.rating >= c.scale_max - 1) AS other_satisfied, c.scale_max,
             count(c.ticket_id) FILTER (WHERE NOT t.system_caused) AS rated,
             appraisal.csat_agg(c.rating, c.scale_max) FILTER (WHERE NOT t.system_caused) AS csat
      -- the tickets with their day and whether they were called back (A
      -- system-caused complaint is not the agent's: docs/rules.md, "Complaint
      -- handling": attribution); on one node in a subquery of their own
      -- (OFFSET 0: the planner, knowing nothing of the day's values, then
      -- expects some hundreds of days and groups by hashing, as agent_daily)
      FROM (SELECT t.ticket_id, t.agent_id, t.resolved_at, coalesce(t.cause = 'system', false) AS system_caused,
                   appraisal.local_day(t.opened_at, $3) AS day, t.opened_at <= $5 AS counts
            FROM counted_tickets t
            %2$s) t
      LEFT JOIN called_back cb ON cb.ticket_id%1$s = t.ticket_id%1$s
      -- one response per ticket, as agent_daily_csat counts it (docs/rules.md,
      -- "Complaint handling"; ordered in a subquery of its own, whose sort
      -- the planner may take from the table's key on the ticket (an
      -- incremental sort, each ticket's few responses apart), as it does not
      -- for a DISTINCT ON: at 10M tickets 1.9 s against 3.2 s for a full
      -- sort of 4.3M responses)
      LEFT JOIN (SELECT DISTINCT ON (r.ticket_id%1$s) r.ticket_id, r.rating, r.scale_max
                 FROM (SELECT r.ticket_id, r.rating, r.scale_max, r.responded_at,
                              CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END AS preference
                       FROM %3$s
                       ORDER BY r.ticket_id%1$s, preference, r.responded_at DESC) r
                 ORDER BY r.ticket_id%1$s, r.preference, r.responded_at DESC) c ON c.ticket_id%1$s = t.ticket_id%1$s
      LEFT JOIN (SELECT q.ticket_id%1$s AS ticket_id, count(*) AS inspections, sum(q.score) AS score_sum
                 FROM %4$s
                 GROUP BY q.ticket_id%1$s) q ON q.ticket_id%1$s = t.ticket_id%1$s
      GROUP BY t.agent_id%1$s, t.day, c.scale_max $part$,
      bytes, CASE WHEN distributed THEN '' ELSE 'OFFSET 0' END,
      format(of_asked, 'appraisal.survey_responses', 'r'), format(of_asked, 'appraisal.quality_inspections', 'q'));
  END IF;
  RETURN QUERY EXECUTE format($query$
    WITH asked AS MATERIALIZED (   -- the tickets of the agent-days asked for (read when some are)
      SELECT t.ticket_id, t.agent_id, t.opened_at, t.resolved_at, t.cause
      FROM %4$s
      WHERE appraisal.pair_in(t.agent_id, appraisal.local_day(t.opened_at, $3), $1, $2)
    ), counted_tickets AS NOT MATERIALIZED (   -- every ticket, or those asked for
      %1$s
    ), calls AS NOT MATERIALIZED (   -- a survey response given in a call-back is a call-back too
      SELECT ticket_id, called_at FROM appraisal.call_backs
      UNION ALL
      SELECT ticket_id, responded_at FROM appraisal.survey_responses WHERE source = 'call_back'
    ), called_back AS (   -- resolved by the refresh and called back within the window after it, its end included
      %2$s
    -- The follow-up counts the tickets opened by the refresh (t.counts: a
    -- ticket from after it counts from the next one); the CSAT summary, as
    -- agent_daily_csat_rows, every rated ticket: per agent, day and scale
    -- of the counted response, one part's counts or the parts' added up.
    ), scaled AS (
      %3$s
    )
    -- (each count a sum of integers, an agent-day's tickets: added in a
    -- 64-bit integer, not in a numeric as a sum of bigints is)
    SELECT s.agent_id COLLATE "default", s.day,
           sum(s.resolved::integer), sum(s.called_back::integer), sum(s.call_back_pending::integer), sum(s.surveyed::integer),
           coalesce(sum(s.inspections), 0)::bigint, coalesce(sum(s.score_sum), 0),
           sum(s.extreme_responses::integer), sum(s.extreme_satisfied::integer), sum(s.other_responses::integer),
           sum(s.other_satisfied::integer), $5, sum(s.opened::integer),
           %5$s
    GROUP BY s.agent_id, s.day
    $query$,
    -- (on one node both, the one not needed removed by the planner: the
    -- plans measured fastest; on Citus the one needed, which it sees whole)
    concat_ws(' UNION ALL ',
              CASE WHEN agents IS NULL OR NOT distributed
                   THEN 'SELECT t.ticket_id, t.agent_id, t.opened_at, t.resolved_at, t.cause FROM appraisal.tickets t WHERE $1 IS NULL' END,
              CASE WHEN agents IS NOT NULL OR NOT distributed
                   THEN 'SELECT a.ticket_id, a.agent_id, a.opened_at, a.resolved_at, a.cause FROM asked a WHERE $1 IS NOT NULL' END),
    -- each ticket once, however many calls: on one node a semi-join; on
    -- Citus a join and DISTINCT, which it computes on the shards (the calls
    -- of a semi-join it would compute apart and ship to every shard's task)
    CASE WHEN NOT facts THEN $called$
      SELECT t.ticket_id FROM counted_tickets t WHERE false $called$
    WHEN distributed THEN $called$
      SELECT t.ticket_id
      FROM counted_tickets t
      JOIN appraisal.call_backs c ON c.ticket_id = t.ticket_id
      WHERE t.resolved_at <= $5
        AND c.called_at <= $5 AND c.called_at BETWEEN t.resolved_at AND t.resolved_at + $4
      UNION
      SELECT t.ticket_id
      FROM counted_tickets t
      JOIN appraisal.survey_responses c ON c.ticket_id = t.ticket_id
      WHERE t.resolved_at <= $5 AND c.source = 'call_back'
        AND c.responded_at <= $5 AND c.responded_at BETWEEN t.resolved_at AND t.resolved_at + $4 $called$
    WHEN agents IS NULL THEN $called$
      SELECT t.ticket_id
      FROM counted_tickets t
      WHERE t.resolved_at <= $5
        AND EXISTS (SELECT FROM calls c
                    WHERE c.ticket_id COLLATE "C" = t.ticket_id COLLATE "C"
                      AND c.called_at <= $5 AND c.called_at BETWEEN t.resolved_at AND t.resolved_at + $4) $called$
    -- (the tickets of some agent-days: each one's calls found through the
    -- tables' keys rather than every call hashed: at 10M tickets, after a
    -- day of tickets and 1 % of the open ones resolved, this step of the
    -- refresh took 2.5-2.6 s instead of 5.8-8.1)
    ELSE $called$
      SELECT t.ticket_id
      FROM counted_tickets t
      WHERE t.resolved_at <= $5
        AND (EXISTS (SELECT FROM appraisal.call_backs c
                     WHERE c.ticket_id = t.ticket_id
                       AND c.called_at <= $5 AND c.called_at BETWEEN t.resolved_at AND t.resolved_at + $4)
             OR EXISTS (SELECT FROM appraisal.survey_responses c
                        WHERE c.ticket_id = t.ticket_id AND c.source = 'call_back'
                          AND c.responded_at <= $5 AND c.responded_at BETWEEN t.resolved_at AND t.resolved_at + $4)) $called$ END,
    -- 3: the counts per agent, day and scale
    part,
    -- 4: given versions, those rows; given ticket_rows, the tickets at
    -- those addresses alone (tickets_at, 40)
    CASE WHEN versions IS NOT NULL THEN 'jsonb_populate_recordset(NULL::appraisal.tickets, $7) t'
         WHEN ticket_rows IS NULL THEN 'appraisal.tickets t' ELSE 'appraisal.tickets_at($6) t' END,
    -- 5: the scales of each agent-day and their summaries, in the order of
    -- the scales: on one node each array in the order of the rows, which
    -- come sorted (an aggregate's own ORDER BY sorts each group apart: at
    -- 10M tickets the full pass took 0.45 s longer); the two arrays pair up
    -- whatever the order, both built from the same rows, and the refresh
    -- unnests them into rows.  (On Citus, which plans the subquery apart,
    -- each ordered by the aggregate.)
    CASE WHEN distributed THEN $scales$
           array_agg(s.scale_max ORDER BY s.scale_max) FILTER (WHERE s.rated > 0),
           array_agg(s.csat ORDER BY s.scale_max) FILTER (WHERE s.rated > 0)
    FROM scaled s $scales$ ELSE $scales$
           array_agg(s.scale_max) FILTER (WHERE s.rated > 0),
           array_agg(s.csat) FILTER (WHERE s.rated > 0)
    FROM (SELECT * FROM scaled s ORDER BY s.agent_id, s.day, s.scale_max) s $scales$ END)
  USING agents, days, report_zone, call_back_window, coalesce(instant, now()),   -- ($5: the coordinator's instant, a constant to Citus)
        ticket_rows, versions, bounds;
END
$$;
COMMENT ON FUNCTION appraisal.agent_daily_csat_follow_up_rows(text[], date[], tid[], timestamptz, jsonb, boolean) IS
  'Per agent-day (agents[i], days[i], or every agent and day when both are NULL) as of now() (or the instant given), in one pass: the follow-up counts of appraisal.agent_daily_follow_up (of the tickets opened by now: opened, 0 for an agent-day of later tickets alone, which has no row there) and the CSAT summaries of appraisal.agent_daily_csat, one per rating scale (scales[i], csats[i]; NULL without a counted response). A full refresh on one node writes both summaries from it. ticket_rows (optional, on one node): the addresses (ctid) of rows of appraisal.tickets among which every ticket of those agent-days is, read in this transaction (appraisal.agent_daily_rows). versions (with agents and days, on one node): a JSON array of rows of appraisal.tickets counted instead of the table''s, each with its responses, call-backs and inspections as they are: refresh_scorecards() takes what the tickets written since the last refresh counted for then, as of that refresh''s instant, out of their days'' rows. facts false: the tickets are counted as having no response, call-back or inspection (refresh_scorecards() so counts the tickets inserted since the last refresh when none of those was written since).';

CREATE FUNCTION appraisal.agent_daily_follow_up_rows(agents text[], days date[])
RETURNS TABLE (agent_id text, day date, resolved bigint, called_back bigint, call_back_pending bigint,
               surveyed bigint, inspections bigint, inspection_score_sum numeric, extreme_responses bigint,
               extreme_satisfied bigint, other_responses bigint, other_satisfied bigint, as_of timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT f.agent_id, f.day, f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections, f.inspection_score_sum,
         f.extreme_responses, f.extreme_satisfied, f.other_responses, f.other_satisfied, f.as_of
  FROM appraisal.agent_daily_csat_follow_up_rows(agents, days) f WHERE f.opened > 0;
END;
COMMENT ON FUNCTION appraisal.agent_daily_follow_up_rows(text[], date[]) IS
  'The rows of appraisal.agent_daily_follow_up as of now() for the agent-days agents[i], days[i], or for every agent and day when both are NULL: what refresh_scorecards() stores (from appraisal.agent_daily_csat_follow_up_rows).';

CREATE TABLE appraisal.agent_daily_follow_up AS SELECT * FROM appraisal.agent_daily_follow_up_rows(NULL, NULL) WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily_follow_up (agent_id, day);
COMMENT ON TABLE appraisal.agent_daily_follow_up IS
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
COMMENT ON COLUMN appraisal.agent_daily_follow_up.as_of IS 'When the row was computed: the refresh that last recomputed it (the others found it unchanged).';

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
WHERE appraisal.summaries_ready()   -- fails before the first refresh
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
COMMENT ON COLUMN appraisal.follow_up_summaries.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them).';

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

-- (The appealed tickets are read first, on their own: on Citus, where the
-- tickets are distributed, the rest of the query, may_see included, then
-- runs on the coordinator; may_see reads a reference table, which a query
-- on the workers' shards may not.)
CREATE VIEW appraisal.attribution_appeals WITH (security_invoker = false, security_barrier = true) AS
WITH appealed AS MATERIALIZED (
  SELECT t.ticket_id, t.cause FROM appraisal.tickets t
  WHERE t.ticket_id IN (SELECT x.ticket_id FROM appraisal.appeals x WHERE x.ticket_id IS NOT NULL)
)
SELECT a.appeal_id, a.ticket_id, a.employee_id, e.name, e.team,
       a.measured_cause, a.appealed_cause, coalesce(d.decision, 'pending') AS status, d.decided_cause,
       CASE WHEN d.decision = 'upheld' THEN d.decided_cause ELSE a.measured_cause END AS final_cause,
       t.cause AS ticket_cause,
       a.reason, a.filed_by, a.filed_at, coalesce(d.decision_no, 0) AS decisions, d.decided_by, d.decided_at, d.note
FROM appraisal.appeals a
JOIN appraisal.employees e ON e.employee_id = a.employee_id
JOIN appealed t ON t.ticket_id = a.ticket_id
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
CREATE FUNCTION appraisal.check_appeal_filer(employee text, subject text) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'appraisal_admin', 'MEMBER')
     AND NOT EXISTS (SELECT 1 FROM appraisal.scorecard_access a
                     WHERE a.grantee = session_user AND a.employee_id = check_appeal_filer.employee) THEN
    RAISE EXCEPTION 'role "%" may not file an appeal for %', session_user, subject
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Staff file their own appeals, as the login appraisal.scorecard_access scopes to them (a row naming the login and the employee); the appraisal committee (members of appraisal_admin) files for anyone.';
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.check_appeal_filer(text, text) IS
  'Raises an error naming the subject of the appeal (what the filer named: the employee, or the ticket, never its agent) unless the login (session_user) may file an appeal for the employee: a member of appraisal_admin (the appraisal committee), or the employee themselves (a row of appraisal.scorecard_access with grantee = the login and this employee_id).';

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
  kinds constant text[] := ARRAY['month', 'quarter', 'half_year', 'year'];
  pos text;
  appraised_kind text;
  kpi_cycle text;
  kind text;
  measured numeric;
  open_appeal integer;
  id integer;
BEGIN
  -- first: nothing is told to whoever may not file
  PERFORM appraisal.check_appeal_filer(employee_id, format('employee "%s"', employee_id));
  SELECT e.position, c.cycle INTO pos, appraised_kind
  FROM appraisal.employees e JOIN appraisal.position_cycles c USING (position)
  WHERE e.employee_id = file_appeal.employee_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'employee "%" is not in appraisal.employees', employee_id
      USING ERRCODE = 'foreign_key_violation', HINT = 'Appeal the result of a known employee.';
  END IF;
  SELECT d.cycle INTO kpi_cycle FROM appraisal.kpi_definitions d WHERE d.position = pos AND d.kpi = file_appeal.kpi;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'KPI "%" is not defined for position %, the position of employee "%"', kpi, pos, employee_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Appeal one of the position''s KPIs: '
                   || coalesce((SELECT string_agg(format('"%s"', d.kpi), ', ' ORDER BY d.kpi)
                                FROM appraisal.kpi_definitions d WHERE d.position = pos), 'none is defined') || '.';
  END IF;
  -- a KPI's value is appealed where it is measured: in the period of its own
  -- cycle when that is the position's or longer (a half-yearly exam in its
  -- half-year), in the appraised period when its cycle is shorter
  IF array_position(kinds, coalesce(kpi_cycle, appraised_kind)) > array_position(kinds, appraised_kind) THEN
    appraised_kind := kpi_cycle;
  END IF;
  SELECT p.kind INTO kind FROM appraisal.periods p WHERE p.period = file_appeal.period;
  IF NOT FOUND OR kind <> appraised_kind THEN
    RAISE EXCEPTION 'period "%" is not a period KPI "%" of employee "%" is appealed in', period, kpi, employee_id
      USING ERRCODE = 'invalid_parameter_value',
            HINT = format('KPI "%s" of a %s is appealed per %s: name one of appraisal.periods of that kind.',
                          kpi, pos, appraised_kind);
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
  WHERE b.employee_id = file_appeal.employee_id AND b.kpi = file_appeal.kpi
    AND (b.period = file_appeal.period OR b.value_period = file_appeal.period)
  LIMIT 1;
  SELECT coalesce(max(a.appeal_id), 0) + 1 INTO id FROM appraisal.appeals a;
  INSERT INTO appraisal.appeals (appeal_id, employee_id, period, kpi, measured_value, appealed_value, reason)
  VALUES (id, employee_id, period, kpi, measured, appealed_value, reason);
  RETURN id;
END
$$;
COMMENT ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) IS
  'Files an appeal of an employee''s KPI result (docs/rules.md, "Appeals and publication") in the period the KPI is measured in: of the KPI''s own cycle when that is the position''s (appraisal.position_cycles) or longer, else the appraised period: records the value kpi_breakdown measures now, the value asked for and the reason; returns the appeal number. One pending appeal per KPI and period at a time. Staff file their own (the login appraisal.scorecard_access scopes to the employee, granted EXECUTE), the committee (appraisal_admin) anyone''s. Runs as the extension''s owner.';
REVOKE ALL ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) TO appraisal_admin;

CREATE FUNCTION appraisal.file_attribution_appeal(ticket_id text, appealed_cause text, reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  t appraisal.tickets;
  known boolean;
  open_appeal integer;
  id integer;
BEGIN
  -- On Citus it reads the tickets' shards, then writes reference tables: one
  -- connection per node, as Citus requires of such a transaction
  IF appraisal.distributed() THEN
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  END IF;
  SELECT * INTO t FROM appraisal.tickets x WHERE x.ticket_id = file_attribution_appeal.ticket_id;
  known := FOUND;
  -- whoever may not file for the ticket's agent learns nothing of the ticket,
  -- not even whether it exists
  PERFORM appraisal.check_appeal_filer(t.agent_id, format('ticket "%s"', ticket_id));
  IF NOT known THEN
    RAISE EXCEPTION 'ticket "%" is not in appraisal.tickets', ticket_id
      USING ERRCODE = 'foreign_key_violation', HINT = 'Appeal the attribution of a known complaint ticket.';
  END IF;
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

-- A decision is a new row; for an attribution appeal the decisions in force
-- are applied to the ticket at once: the latest filed upheld appeal's cause,
-- else the cause the ticket had before its first appeal.
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
  IF appraisal.distributed() THEN   -- (as file_attribution_appeal)
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  END IF;
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
  -- nobody decides an appeal they filed (a superuser, who could bypass any
  -- check, is not stopped)
  IF a.filed_by = session_user AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    RAISE EXCEPTION 'role "%" may not decide appeal %: it filed it', session_user, appeal_id
      USING ERRCODE = 'insufficient_privilege', HINT = 'Another member of the appraisal committee decides it.';
  END IF;
  SELECT d.decision, d.decision_no INTO previous, n FROM appraisal.appeal_decisions d
  WHERE d.appeal_id = decide_appeal.appeal_id ORDER BY d.decision_no DESC LIMIT 1;
  n := coalesce(n, 0) + 1;
  INSERT INTO appraisal.appeal_decisions (appeal_id, decision_no, decision, decided_value, decided_cause, note)
  VALUES (appeal_id, n, decision, decided_value, decided_cause, note);
  IF a.ticket_id IS NOT NULL AND (decision = 'upheld' OR previous = 'upheld') THEN
    -- the ticket's cause follows the appeals in force: the latest filed
    -- upheld one, else the cause before the ticket's first appeal
    UPDATE appraisal.tickets t
    SET cause = coalesce((SELECT k.decided_cause FROM appraisal.appeals x
                          CROSS JOIN LATERAL (SELECT y.decision, y.decided_cause FROM appraisal.appeal_decisions y
                                              WHERE y.appeal_id = x.appeal_id ORDER BY y.decision_no DESC LIMIT 1) k
                          WHERE x.ticket_id = a.ticket_id AND k.decision = 'upheld'
                          ORDER BY x.appeal_id DESC LIMIT 1),
                         (SELECT x.measured_cause FROM appraisal.appeals x WHERE x.ticket_id = a.ticket_id
                          ORDER BY x.appeal_id LIMIT 1))
    WHERE t.ticket_id = a.ticket_id;
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION appraisal.decide_appeal(integer, text, numeric, text, text) IS
  'The appraisal committee''s decision on an appeal (docs/rules.md, "Appeals and publication"): pending, upheld (with the value decided for a KPI appeal, or the cause decided for an attribution appeal) or rejected, with a note; recorded as a new row of appraisal.appeal_decisions by the login deciding, the latest in force. An upheld attribution sets the ticket''s cause (counted by the summaries from their next refresh): the ticket takes the cause of the latest filed appeal upheld in force, else the cause it had before its first appeal. Nobody decides an appeal they filed, or one of the employee appraisal.scorecard_access scopes them to. Returns the decision number. For members of appraisal_admin (runs as the extension''s owner).';
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
COMMENT ON COLUMN appraisal.publications.summaries_as_of IS 'When the summaries the published results were computed from were last refreshed (appraisal.refresh_state.refreshed_at); NULL before the first refresh.';
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

-- Service providers: bad reviews are a rule of their own
-- (bad_review, shipped without an amount: the regulation prices them by the
-- year's satisfaction rules) and the ones de-duplicated per customer and
-- window; service complaints are charged one by one.  The events of 0.4's
-- service_complaint that came from a review channel (web, sms, callback,
-- dispatch) become bad reviews; those from an inspection or elsewhere stay
-- complaints.  Installation orders reported online and offline, the
-- providers' status (disqualification), and the sales companies with their
-- combined assessment are new.
CREATE FUNCTION appraisal.provider_rule_parameters()
RETURNS TABLE (refuse_charges_after_disqualification boolean, disqualify_period text, disqualify_complaints integer,
               disqualify_amount numeric, sales_weight_sms numeric, sales_weight_call_back numeric,
               sales_weight_feedback numeric, grade_scale text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'refuse_charges_after_disqualification')::boolean,
         max(value) FILTER (WHERE name = 'disqualify_period'),
         max(value) FILTER (WHERE name = 'disqualify_complaints')::integer,
         max(value) FILTER (WHERE name = 'disqualify_amount')::numeric,
         max(value) FILTER (WHERE name = 'sales_weight_sms')::numeric,
         max(value) FILTER (WHERE name = 'sales_weight_call_back')::numeric,
         max(value) FILTER (WHERE name = 'sales_weight_feedback')::numeric,
         max(value) FILTER (WHERE name = 'grade_scale')
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.provider_rule_parameters() IS
  'The settings of the providers'' standing and of the sales companies'' assessment in effect, as one row: whether the ledger refuses charges after a disqualification, the disqualification trigger (period kind, complaints, amount; 0 is off), the three weights of the combined assessment and the grade scale.';

-- The sales companies that head office appraises on the service of their
-- providers (docs/rules.md, "Service providers": sales companies).
CREATE TABLE appraisal.sales_companies (
  sales_company_id text PRIMARY KEY,
  name             text NOT NULL,
  region           text
);
COMMENT ON TABLE appraisal.sales_companies IS
  'Sales companies: head office gives each a negative incentive from the combined assessment of appraisal.sales_company_scorecard (SMS satisfaction, head-office call-backs and the company''s feedback; docs/rules.md, "Service providers"). Their service providers name them in appraisal.providers.sales_company_id.';
COMMENT ON COLUMN appraisal.sales_companies.sales_company_id IS 'Sales company code.';
COMMENT ON COLUMN appraisal.sales_companies.name IS 'Sales company name.';
COMMENT ON COLUMN appraisal.sales_companies.region IS 'Region, for grouping.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.sales_companies', '');

ALTER TABLE appraisal.providers
  ADD COLUMN sales_company_id text CONSTRAINT "sales company must be a known sales company" REFERENCES appraisal.sales_companies;
COMMENT ON COLUMN appraisal.providers.sales_company_id IS 'Sales company whose service provider it is (appraisal.sales_companies); NULL when none. Its technicians'' tickets count in that company''s appraisal.sales_company_scorecard.';

ALTER TABLE appraisal.penalty_rules ALTER COLUMN amount DROP NOT NULL;
COMMENT ON COLUMN appraisal.penalty_rules.rule_id IS 'Rule: bad_review, service_complaint, fake_customer_data and peak_understaffing are shipped; a company may add its own.';
COMMENT ON COLUMN appraisal.penalty_rules.amount IS 'Penalty per unit, in the company''s currency; NULL: not set (the shipped bad_review row: the regulation gives no amount), events counted without an amount.';
ALTER TABLE appraisal.penalty_rules DISABLE TRIGGER protect_shipped;
INSERT INTO appraisal.penalty_rules (rule_id, valid_from, description, amount, unit, shipped) VALUES
  ('bad_review', '-infinity', 'Bad review (dissatisfied, or 1 or 2 stars), amount not set by the regulation', NULL, 'case', true);
ALTER TABLE appraisal.penalty_rules ENABLE TRIGGER protect_shipped;
ALTER TABLE appraisal.provider_events DROP CONSTRAINT "a service complaint needs phone and address, or the order";
UPDATE appraisal.provider_events SET rule_id = 'bad_review'
WHERE rule_id = 'service_complaint' AND source IN ('web', 'sms', 'callback', 'dispatch');
ALTER TABLE appraisal.provider_events ADD CONSTRAINT "a bad review needs phone and address, or the order"
    CHECK (rule_id <> 'bad_review' OR order_id IS NOT NULL
           OR (appraisal.normalise_phone(customer_phone) IS NOT NULL AND appraisal.normalise_address(customer_address) IS NOT NULL));
COMMENT ON COLUMN appraisal.provider_events.rule_id IS 'Penalty rule (appraisal.penalty_rules): bad_review, service_complaint, fake_customer_data, peak_understaffing or one of your own.';
COMMENT ON COLUMN appraisal.provider_events.order_id IS 'Repair or installation order concerned; required for fake customer data, and for a bad review without phone and address. An SMS and a web report of the same order and rule are one.';
COMMENT ON COLUMN appraisal.provider_events.about_service IS 'False for a report clearly about something other than the installation service (e.g. a bad review of the product or the price): exempt, never charged.';

-- Installation orders -----------------------------------------------------------------
--
-- The installation orders a provider reports, online (the company's order
-- system or an e-commerce platform) or offline (paper, a phone call to the
-- outlet): one row per record, so that an order reported both ways is two
-- rows.  appraisal.provider_order_ledger drops the offline one.
CREATE TABLE appraisal.provider_orders (
  record_id    text PRIMARY KEY,
  provider_id  text NOT NULL CONSTRAINT "order provider must be a known provider" REFERENCES appraisal.providers,
  order_id     text NOT NULL CONSTRAINT "an order record needs its order" CHECK (btrim(order_id) <> ''),
  channel      text NOT NULL CONSTRAINT "order channel must be online or offline" CHECK (channel IN ('online', 'offline')),
  reported_at  timestamptz NOT NULL CONSTRAINT "order report time must be finite" CHECK (isfinite(reported_at)),
  due_at       timestamptz CONSTRAINT "order due time must be finite" CHECK (isfinite(due_at)),
  completed_at timestamptz CONSTRAINT "order completion time must be finite" CHECK (isfinite(completed_at)),
  note         text
);
COMMENT ON TABLE appraisal.provider_orders IS
  'Installation orders as the providers report them (docs/rules.md, "Service providers"), one row per record: an order reported both online and offline is two rows, and appraisal.provider_order_ledger drops the offline one when both fall in one window. The counted orders are the denominator of the bad-review rate and give the completion timeliness of appraisal.provider_scorecard.';
COMMENT ON COLUMN appraisal.provider_orders.record_id IS 'Record identifier (one per report of an order).';
COMMENT ON COLUMN appraisal.provider_orders.provider_id IS 'Provider that reported the order (appraisal.providers).';
COMMENT ON COLUMN appraisal.provider_orders.order_id IS 'Installation order; the same order_id of one provider reported twice is one order.';
COMMENT ON COLUMN appraisal.provider_orders.channel IS 'online (reported in the order system or on a platform) or offline (reported outside it).';
COMMENT ON COLUMN appraisal.provider_orders.reported_at IS 'When the order was reported; its day in the report time zone picks the window and the period.';
COMMENT ON COLUMN appraisal.provider_orders.due_at IS 'When the installation was due to be complete; NULL: no due time, the order is not judged on timeliness.';
COMMENT ON COLUMN appraisal.provider_orders.completed_at IS 'When the installation was completed; NULL while open.';
COMMENT ON COLUMN appraisal.provider_orders.note IS 'Free text.';
CREATE INDEX ON appraisal.provider_orders (provider_id, order_id);
SELECT pg_catalog.pg_extension_config_dump('appraisal.provider_orders', '');

CREATE TABLE appraisal.provider_status_history (
  provider_id    text NOT NULL CONSTRAINT "status provider must be a known provider" REFERENCES appraisal.providers,
  effective_from date NOT NULL CONSTRAINT "a status takes effect on a finite day" CHECK (isfinite(effective_from)),
  status         text NOT NULL CONSTRAINT "provider status must be active, warned or disqualified"
                 CHECK (status IN ('active', 'warned', 'disqualified')),
  reason         text NOT NULL CONSTRAINT "a provider status must give its reason" CHECK (btrim(reason) <> ''),
  decided_by     text NOT NULL DEFAULT session_user,
  recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (provider_id, effective_from, recorded_at)
);
COMMENT ON TABLE appraisal.provider_status_history IS
  'A provider''s standing over time (docs/rules.md, "Service providers": serious cases disqualify the provider): each row a status in effect from a day until the provider''s next row; a provider without a row is active. Insert-only: a change, a lifted disqualification or a correction is a new row (for the same day, the later recorded one is in force), so no status is overwritten silently. appraisal.disqualification_candidates proposes whom to disqualify; the setting refuse_charges_after_disqualification makes the penalty ledger refuse charges from the day of a disqualification.';
COMMENT ON COLUMN appraisal.provider_status_history.provider_id IS 'Provider (appraisal.providers).';
COMMENT ON COLUMN appraisal.provider_status_history.effective_from IS 'First day (report time zone) the status is in effect.';
COMMENT ON COLUMN appraisal.provider_status_history.status IS 'active, warned or disqualified.';
COMMENT ON COLUMN appraisal.provider_status_history.reason IS 'Why (e.g. the cases that led to it); required.';
COMMENT ON COLUMN appraisal.provider_status_history.decided_by IS 'Who recorded it (the login, by default).';
COMMENT ON COLUMN appraisal.provider_status_history.recorded_at IS 'When it was recorded; among rows of one provider and day, the latest is in force.';
CREATE TRIGGER keep_history BEFORE UPDATE OR DELETE ON appraisal.provider_status_history
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_history_change('A provider''s status changes with a new row of appraisal.provider_status_history (the latest effective_from on or before a day is in force).');
CREATE TRIGGER keep_history_truncate BEFORE TRUNCATE ON appraisal.provider_status_history
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_history_change('A provider''s status changes with a new row of appraisal.provider_status_history (the latest effective_from on or before a day is in force).');
SELECT pg_catalog.pg_extension_config_dump('appraisal.provider_status_history', '');

-- Today's standing of every provider (today in the report time zone).
CREATE VIEW appraisal.provider_status WITH (security_invoker = true) AS
SELECT v.provider_id, v.name, coalesce(h.status, 'active') AS status, h.effective_from AS since, h.reason, h.decided_by
FROM appraisal.providers v
LEFT JOIN LATERAL (
  SELECT h.status, h.effective_from, h.reason, h.decided_by
  FROM appraisal.provider_status_history h
  WHERE h.provider_id = v.provider_id
    AND h.effective_from <= (now() AT TIME ZONE (SELECT report_time_zone FROM appraisal.provider_parameters()))::date
  ORDER BY h.effective_from DESC, h.recorded_at DESC
  LIMIT 1) h ON true;
COMMENT ON VIEW appraisal.provider_status IS
  'Every provider''s standing today (report time zone): the row of appraisal.provider_status_history with the latest effective_from up to today (the latest recorded among those of one day), else active.';
COMMENT ON COLUMN appraisal.provider_status.provider_id IS 'Provider (appraisal.providers).';
COMMENT ON COLUMN appraisal.provider_status.name IS 'Provider name.';
COMMENT ON COLUMN appraisal.provider_status.status IS 'active, warned or disqualified (active without a row).';
COMMENT ON COLUMN appraisal.provider_status.since IS 'Day the status took effect; NULL for a provider never given one.';
COMMENT ON COLUMN appraisal.provider_status.reason IS 'Reason recorded with the status.';
COMMENT ON COLUMN appraisal.provider_status.decided_by IS 'Who recorded the status.';

CREATE TABLE appraisal.sales_company_feedback (
  sales_company_id text NOT NULL CONSTRAINT "feedback must be from a known sales company" REFERENCES appraisal.sales_companies,
  period           text NOT NULL CONSTRAINT "feedback period must be in appraisal.periods" REFERENCES appraisal.periods,
  score            numeric NOT NULL CONSTRAINT "feedback score must lie in 0..100" CHECK (score BETWEEN 0 AND 100),
  note             text,
  PRIMARY KEY (sales_company_id, period)
);
COMMENT ON TABLE appraisal.sales_company_feedback IS
  'The sales company''s feedback on the after-sales service of its providers, as a score from 0 to 100 per period (docs/rules.md, "Service providers": the third part of the sales company''s assessment in appraisal.sales_company_scorecard).';
COMMENT ON COLUMN appraisal.sales_company_feedback.sales_company_id IS 'Sales company (appraisal.sales_companies).';
COMMENT ON COLUMN appraisal.sales_company_feedback.period IS 'Period the feedback is about (appraisal.periods).';
COMMENT ON COLUMN appraisal.sales_company_feedback.score IS 'Feedback score, 0 to 100 (decimals allowed).';
COMMENT ON COLUMN appraisal.sales_company_feedback.note IS 'What the company said; optional.';
SELECT pg_catalog.pg_extension_config_dump('appraisal.sales_company_feedback', '');

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
CREATE OR REPLACE VIEW appraisal.penalty_ledger WITH (security_invoker = true) AS
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
COMMENT ON COLUMN appraisal.penalty_ledger.status IS 'charged (counts and costs amount, NULL while its rule has no amount set), duplicate (the same thing as duplicate_of, not charged again), exempt (not about the installation service, not charged) or refused (would be charged, but the provider is disqualified on its day and refuse_charges_after_disqualification is on).';
COMMENT ON COLUMN appraisal.penalty_ledger.amount IS 'Amount charged: the rule''s amount in effect on occurred_on for a charged event (NULL if none is set: a bad review before the year''s amount is entered), 0 otherwise.';

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

-- Per provider and period of the kind disqualify_period: a provider whose
-- charged service complaints reach disqualify_complaints, or whose charged
-- amount reaches disqualify_amount (0 switches either off), and who is not
-- disqualified today.  A proposal: the decision is a row of
-- provider_status_history.
CREATE VIEW appraisal.disqualification_candidates WITH (security_invoker = true) AS
WITH params AS (
  SELECT * FROM appraisal.provider_rule_parameters()
), counts AS (
  SELECT l.provider_id, p.period, p.starts_on, p.ends_on,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'service_complaint') AS complaints,
         coalesce(sum(l.amount) FILTER (WHERE l.status = 'charged'), 0) AS penalty_amount
  FROM appraisal.penalty_ledger l
  JOIN appraisal.periods p ON l.occurred_on BETWEEN p.starts_on AND p.ends_on
  WHERE p.kind = (SELECT disqualify_period FROM params)
  GROUP BY l.provider_id, p.period, p.starts_on, p.ends_on
)
SELECT c.provider_id, s.name, c.period, c.starts_on, c.ends_on, c.complaints, c.penalty_amount,
       s.status, s.since,
       concat_ws('; ',
         CASE WHEN t.by_complaints THEN format('%s charged service complaints in %s (disqualify_complaints %s)',
                                               c.complaints, c.period, q.disqualify_complaints) END,
         CASE WHEN t.by_amount THEN format('%s charged in %s (disqualify_amount %s)',
                                           c.penalty_amount, c.period, q.disqualify_amount) END) AS reason
FROM counts c
CROSS JOIN params q
JOIN appraisal.provider_status s ON s.provider_id = c.provider_id
CROSS JOIN LATERAL (
  SELECT q.disqualify_complaints > 0 AND c.complaints >= q.disqualify_complaints AS by_complaints,
         q.disqualify_amount > 0 AND c.penalty_amount >= q.disqualify_amount AS by_amount
) t
WHERE (t.by_complaints OR t.by_amount) AND s.status <> 'disqualified';
COMMENT ON VIEW appraisal.disqualification_candidates IS
  'Providers proposed for disqualification (docs/rules.md, "Service providers": serious cases disqualify the provider): per period of the kind disqualify_period (quarter), those whose charged service complaints reach disqualify_complaints (3) or whose charged penalty amount reaches disqualify_amount (0: off), unless disqualified today. A proposal only: record the decision in appraisal.provider_status_history.';
COMMENT ON COLUMN appraisal.disqualification_candidates.provider_id IS 'Provider (appraisal.providers).';
COMMENT ON COLUMN appraisal.disqualification_candidates.name IS 'Provider name.';
COMMENT ON COLUMN appraisal.disqualification_candidates.period IS 'Period in which the trigger was met (appraisal.periods, kind disqualify_period).';
COMMENT ON COLUMN appraisal.disqualification_candidates.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.disqualification_candidates.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.disqualification_candidates.complaints IS 'Service complaints charged in the period (penalty_ledger status charged).';
COMMENT ON COLUMN appraisal.disqualification_candidates.penalty_amount IS 'Amount charged in the period, every rule.';
COMMENT ON COLUMN appraisal.disqualification_candidates.status IS 'The provider''s standing today (appraisal.provider_status): active or warned.';
COMMENT ON COLUMN appraisal.disqualification_candidates.since IS 'Day that standing took effect; NULL if never set.';
COMMENT ON COLUMN appraisal.disqualification_candidates.reason IS 'Which trigger was met, in words, with the setting.';

-- Per sales company and period: the three parts of head office's
-- assessment, each a percentage, and their weighted combination.  The SMS
-- and call-back satisfaction are read from survey_responses (the latest of
-- each source per ticket; a ticket in the period of its day in the report
-- time zone, as in the scorecards; ratings of system-caused complaints left
-- out) of the tickets of the technicians of the company's providers.
-- Scoped as provider_scorecard: with its owner's rights, for roles
-- scorecard_access does not scope.
CREATE VIEW appraisal.sales_company_scorecard WITH (security_invoker = false, security_barrier = true) AS
WITH params AS (
  SELECT * FROM appraisal.provider_parameters() CROSS JOIN appraisal.provider_rule_parameters()
), responses AS (
  SELECT DISTINCT ON (r.ticket_id, r.source) v.sales_company_id, r.source,
         (t.opened_at AT TIME ZONE q.report_time_zone)::date AS day,
         r.rating >= r.scale_max - 1 AS satisfied
  FROM appraisal.survey_responses r
  JOIN appraisal.tickets t ON t.ticket_id = r.ticket_id
  JOIN appraisal.employees e ON e.employee_id = t.agent_id
  JOIN appraisal.providers v ON v.provider_id = e.provider_id
  CROSS JOIN params q
  WHERE r.source IN ('sms', 'call_back') AND v.sales_company_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system'
  ORDER BY r.ticket_id, r.source, r.responded_at DESC
), parts AS (
  SELECT r.sales_company_id, p.period,
         count(*) FILTER (WHERE r.source = 'sms') AS sms_responses,
         count(*) FILTER (WHERE r.source = 'sms' AND r.satisfied) AS sms_satisfied,
         count(*) FILTER (WHERE r.source = 'call_back') AS call_back_responses,
         count(*) FILTER (WHERE r.source = 'call_back' AND r.satisfied) AS call_back_satisfied
  FROM responses r
  JOIN appraisal.periods p ON r.day BETWEEN p.starts_on AND p.ends_on
  GROUP BY r.sales_company_id, p.period
), both_sides AS (
  SELECT coalesce(x.sales_company_id, f.sales_company_id) AS sales_company_id, coalesce(x.period, f.period) AS period,
         coalesce(x.sms_responses, 0) AS sms_responses, coalesce(x.sms_satisfied, 0) AS sms_satisfied,
         coalesce(x.call_back_responses, 0) AS call_back_responses,
         coalesce(x.call_back_satisfied, 0) AS call_back_satisfied, f.score
  FROM parts x
  FULL JOIN appraisal.sales_company_feedback f ON f.sales_company_id = x.sales_company_id AND f.period = x.period
)
SELECT b.sales_company_id, c.name, p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       b.sms_responses, b.sms_satisfied, appraisal.share_percent(b.sms_satisfied, b.sms_responses) AS sms_satisfaction,
       b.call_back_responses, b.call_back_satisfied,
       appraisal.share_percent(b.call_back_satisfied, b.call_back_responses) AS call_back_satisfaction,
       b.score AS feedback_score, w.combined_score,
       CASE WHEN w.combined_score IS NULL THEN 'insufficient data'
            ELSE appraisal.grade_band(w.combined_score::double precision, q.grade_scale) END AS grade,
       q.sales_weight_sms AS weight_sms, q.sales_weight_call_back AS weight_call_back,
       q.sales_weight_feedback AS weight_feedback
FROM both_sides b
JOIN appraisal.sales_companies c ON c.sales_company_id = b.sales_company_id
JOIN appraisal.periods p ON p.period = b.period
CROSS JOIN params q
CROSS JOIN LATERAL (
  SELECT appraisal.weighted_share_percent(
           ARRAY[q.sales_weight_sms, q.sales_weight_call_back, q.sales_weight_feedback],
           ARRAY[b.sms_satisfied, b.call_back_satisfied, b.score]::numeric[],
           ARRAY[b.sms_responses, b.call_back_responses, CASE WHEN b.score IS NOT NULL THEN 100 END]::numeric[]) AS combined_score
) w
WHERE appraisal.may_see(NULL, NULL);
COMMENT ON VIEW appraisal.sales_company_scorecard IS
  'Per sales company and period (every period of appraisal.periods with SMS or call-back responses on its providers'' tickets, or with its feedback): head office''s assessment of the company (docs/rules.md, "Service providers"): the SMS satisfaction and the head-office call-back satisfaction of the tickets of its providers'' technicians (the share of the latest SMS, or call-back, response of each ticket in the top two ratings; system-caused complaints left out), the company''s own feedback score (appraisal.sales_company_feedback), and their weighted combination (sales_weight_sms 40, sales_weight_call_back 30, sales_weight_feedback 30; the regulation names none) with its grade. Like provider_scorecard it runs with its owner''s rights and shows rows only to roles scorecard_access does not scope.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.sales_company_id IS 'Sales company (appraisal.sales_companies).';
COMMENT ON COLUMN appraisal.sales_company_scorecard.name IS 'Sales company name.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.sales_company_scorecard.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.sms_responses IS 'Tickets of the providers'' technicians opened in the period with an SMS satisfaction response (the latest counts).';
COMMENT ON COLUMN appraisal.sales_company_scorecard.sms_satisfied IS 'Of those, the ones whose SMS rating is one of the top two of its scale.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.sms_satisfaction IS 'SMS satisfaction, percent: sms_satisfied / sms_responses, truncated to 2 decimals; NULL without a response.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.call_back_responses IS 'Tickets of the providers'' technicians opened in the period rated at a head-office call-back (survey response source call_back; the latest counts).';
COMMENT ON COLUMN appraisal.sales_company_scorecard.call_back_satisfied IS 'Of those, the ones rated in the top two ratings.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.call_back_satisfaction IS 'Call-back satisfaction, percent: call_back_satisfied / call_back_responses, truncated to 2 decimals; NULL without a response.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.feedback_score IS 'The sales company''s feedback score for the period (0-100; appraisal.sales_company_feedback); NULL when none was entered.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.combined_score IS 'Combined assessment, points: (weight_sms x SMS satisfaction + weight_call_back x call-back satisfaction + weight_feedback x feedback score) / the weights, one exact fraction truncated to 2 decimals; NULL when a part of weight above 0 is missing.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.grade IS 'Grade band of combined_score on the setting grade_scale, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.weight_sms IS 'The setting sales_weight_sms the combination used.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.weight_call_back IS 'The setting sales_weight_call_back the combination used.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.weight_feedback IS 'The setting sales_weight_feedback the combination used.';

-- Customers, the satisfaction survey and delivery, read line by line
-- against the regulations: pending has a second branch, the
-- stale receivables include 20,000, the credit rating keeps its parts, the
-- shipped questionnaire becomes the procedure's seven elements (the 0.4 one
-- stays as standard_0_4, and the runs that used it follow it there), key
-- customers must be surveyed, failing items are listed for follow-up, the
-- defect figures count the households delivered within the cycle only, and
-- the 30-day rule is checked per batch.
ALTER TABLE appraisal.customers
  ADD COLUMN customer_kind    text CONSTRAINT "customer kind must be final or intermediate" CHECK (customer_kind IN ('final', 'intermediate')),
  ADD COLUMN key_customer     boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN appraisal.customers.customer_kind IS 'final (the end user) or intermediate (a dealer, a reseller): the respondents of the satisfaction survey are customers of either kind (docs/rules.md, "Satisfaction survey"). NULL: not recorded.';
COMMENT ON COLUMN appraisal.customers.key_customer IS 'True for a key customer: every survey run whose scope holds it must send it a questionnaire (appraisal.survey_validity, setting survey_allow_missed_key_customers).';
ALTER TABLE appraisal.customer_credit
  ADD COLUMN quality_points       numeric CONSTRAINT "quality characteristics points must be 0 to 35" CHECK (quality_points BETWEEN 0 AND 35),
  ADD COLUMN capital_points       numeric CONSTRAINT "capital points must be 0 to 18" CHECK (capital_points BETWEEN 0 AND 18),
  ADD COLUMN fulfilment_points    numeric CONSTRAINT "credit fulfilment points must be 0 to 17" CHECK (fulfilment_points BETWEEN 0 AND 17),
  ADD COLUMN debt_ratio           numeric,
  ADD COLUMN current_ratio        numeric,
  ADD COLUMN quick_ratio          numeric,
  ADD COLUMN net_margin           numeric,
  ADD COLUMN operating_cash_flow  numeric,
  ADD CONSTRAINT "non-financial points are the sum of their three parts" CHECK (
    num_nonnulls(quality_points, capital_points, fulfilment_points) = 0
    OR (num_nonnulls(quality_points, capital_points, fulfilment_points) = 3
        AND quality_points + capital_points + fulfilment_points = non_financial_points));
COMMENT ON COLUMN appraisal.customer_credit.quality_points IS 'Non-financial part: points for the quality characteristics, 0-35. With capital_points and fulfilment_points it makes non_financial_points; all three NULL: the split was not recorded.';
COMMENT ON COLUMN appraisal.customer_credit.capital_points IS 'Non-financial part: points for capital, 0-18.';
COMMENT ON COLUMN appraisal.customer_credit.fulfilment_points IS 'Non-financial part: points for credit fulfilment, 0-17 (the rest of the 70).';
COMMENT ON COLUMN appraisal.customer_credit.debt_ratio IS 'Financial input (optional, not scored by the extension): debt ratio, percent.';
COMMENT ON COLUMN appraisal.customer_credit.current_ratio IS 'Financial input (optional, not scored): current ratio.';
COMMENT ON COLUMN appraisal.customer_credit.quick_ratio IS 'Financial input (optional, not scored): quick ratio.';
COMMENT ON COLUMN appraisal.customer_credit.net_margin IS 'Financial input (optional, not scored): net profit margin, percent.';
COMMENT ON COLUMN appraisal.customer_credit.operating_cash_flow IS 'Financial input (optional, not scored): operating cash flow in the period, in the currency of the sales figures.';
ALTER TABLE appraisal.delivery_batches
  ADD COLUMN rectification_done_on date CONSTRAINT "rectification date must be finite" CHECK (isfinite(rectification_done_on)),
  ADD COLUMN property_takeover_on   date CONSTRAINT "property takeover date must be finite" CHECK (isfinite(property_takeover_on));
COMMENT ON COLUMN appraisal.delivery_batches.rectification_done_on IS 'Day the pre-delivery inspection and rectification finished; due 30 days before handover (window_starts_on) at the latest (docs/rules.md, "Delivery quality"; appraisal.delivery_readiness). NULL: not recorded yet.';
COMMENT ON COLUMN appraisal.delivery_batches.property_takeover_on IS 'Day the property management took the batch over; due within the month before handover (window_starts_on - 1 month to the day before; appraisal.delivery_readiness). NULL: not recorded yet.';

CREATE OR REPLACE FUNCTION appraisal.customer_class(sales numeric, batches integer, collection_rate numeric, return_rate numeric,
                                         receivables numeric, new_customer boolean, period_ended boolean,
                                         previous_sales numeric, previous_collection_rate numeric)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT CASE
           WHEN f.sales = 0 AND f.receivables = 0 THEN 'no business'
           WHEN f.sales = 0 THEN 'pending'
           WHEN f.receivables > 0
                AND f.batches < (SELECT value::integer FROM appraisal.current_settings
                                 WHERE name = 'class_pending_batches') THEN 'pending'
           WHEN f.sales < p.class_stale_sales AND f.receivables >= p.class_stale_receivables THEN 'stale'
           WHEN f.new_customer AND NOT f.period_ended THEN 'new'
           WHEN f.new_customer AND f.sales > p.class_effective_sales THEN 'new-effective'
           WHEN f.new_customer THEN 'new-ineffective'
           WHEN f.previous_sales > 0 AND f.sales <= f.previous_sales * (100 - p.class_sales_drop) / 100 THEN 'deteriorating'
           WHEN f.previous_collection_rate - f.collection_rate > p.class_collection_drop THEN 'deteriorating'
           WHEN f.sales > p.class_effective_sales AND f.batches > p.class_normal_batches
                AND f.collection_rate > p.class_collection_rate AND f.return_rate < p.class_return_rate THEN 'normal'
           WHEN f.sales > p.class_effective_sales
                AND (f.collection_rate < p.class_collection_rate OR f.return_rate > p.class_return_rate) THEN 'abnormal'
           ELSE 'other'
         END
  FROM appraisal.customer_parameters() p,
       (SELECT customer_class.sales, customer_class.batches, customer_class.collection_rate,
               customer_class.return_rate, customer_class.receivables, customer_class.new_customer,
               customer_class.period_ended, customer_class.previous_sales,
               customer_class.previous_collection_rate) f;
END;

-- Credit ratings with their parts, the latest per customer flagged when it
-- is older than the quarter just ended (re-rated quarterly on the previous
-- quarter).
CREATE VIEW appraisal.customer_credit_ratings WITH (security_invoker = true) AS
SELECT cr.customer_id, c.name, cr.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       cr.financial_points, cr.quality_points, cr.capital_points, cr.fulfilment_points,
       cr.non_financial_points, cr.financial_points + cr.non_financial_points AS rating_points,
       appraisal.grade_band((cr.financial_points + cr.non_financial_points)::double precision, s.grade_scale) AS rating_grade,
       cr.debt_ratio, cr.current_ratio, cr.quick_ratio, cr.net_margin, cr.operating_cash_flow, cr.rated_by,
       p.ends_on = max(p.ends_on) OVER (PARTITION BY cr.customer_id) AS latest,
       max(p.ends_on) OVER (PARTITION BY cr.customer_id)
         < (date_trunc('quarter', current_date)::date - 1) AS rating_stale
FROM appraisal.customer_credit cr
JOIN appraisal.customers c USING (customer_id)
JOIN appraisal.periods p ON p.period = cr.period
CROSS JOIN appraisal.customer_parameters() s;
COMMENT ON VIEW appraisal.customer_credit_ratings IS
  'Credit ratings of appraisal.customer_credit with their parts (docs/rules.md, "Credit rating"): financial (0-30) plus non-financial (0-70: quality characteristics 0-35, capital 0-18, credit fulfilment 0-17), the grade on customer_grade_scale, the optional financial ratios, and whether the customer''s latest rating is stale: re-rated every quarter on the quarter before, a rating whose period ended before the last day of the quarter just ended is older than a quarter.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.period IS 'Period rated (appraisal.periods), usually a quarter.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.period_kind IS 'year, half_year, quarter or month.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.starts_on IS 'First day of the period rated.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.ends_on IS 'Last day of the period rated.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.financial_points IS 'Financial points, 0-30.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.quality_points IS 'Quality characteristics points, 0-35; NULL when the split was not recorded.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.capital_points IS 'Capital points, 0-18; NULL when the split was not recorded.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.fulfilment_points IS 'Credit fulfilment points, 0-17; NULL when the split was not recorded.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.non_financial_points IS 'Non-financial points, 0-70 (the sum of the three parts when recorded).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.rating_points IS 'Credit rating: financial_points + non_financial_points, 0-100.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.rating_grade IS 'Grade of the rating on customer_grade_scale (AAA, AA, A, B, C).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.debt_ratio IS 'Debt ratio as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.current_ratio IS 'Current ratio as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.quick_ratio IS 'Quick ratio as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.net_margin IS 'Net margin as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.operating_cash_flow IS 'Operating cash flow as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.rated_by IS 'Who rated.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.latest IS 'True on the customer''s latest rating (the period that ends last).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.rating_stale IS 'True on every row of a customer whose latest rating is older than a quarter: its period ended before the last day of the quarter just ended (today''s quarter start - 1 day).';

CREATE OR REPLACE VIEW appraisal.delivery_quality WITH (security_invoker = true) AS
WITH households AS (
  SELECT d.project_id, d.batch, d.household_id,
         d.delivered_on BETWEEN b.window_starts_on AND b.window_ends_on AS in_window,
         coalesce(r.valid_reports, 0) AS valid_reports
  FROM appraisal.deliveries d
  JOIN appraisal.delivery_batches b USING (project_id, batch)
  LEFT JOIN (SELECT project_id, batch, household_id, count(*) AS valid_reports
             FROM appraisal.defect_reports WHERE valid
             GROUP BY project_id, batch, household_id) r USING (project_id, batch, household_id)
), batches AS (
  -- the defect figures count the households delivered within the cycle only
  SELECT b.project_id, b.batch, b.planned_households::bigint AS planned,
         count(h.household_id) AS delivered,
         count(h.household_id) FILTER (WHERE h.in_window) AS delivered_in_window,
         count(h.household_id) FILTER (WHERE h.in_window AND h.valid_reports > 0) AS with_defect,
         coalesce(sum(h.valid_reports) FILTER (WHERE h.in_window), 0)::bigint AS valid_reports,
         coalesce(sum(h.valid_reports) FILTER (WHERE NOT h.in_window), 0)::bigint AS outside_reports
  FROM appraisal.delivery_batches b
  LEFT JOIN households h USING (project_id, batch)
  GROUP BY b.project_id, b.batch, b.planned_households
), levels AS (
  SELECT project_id, batch, CASE WHEN GROUPING(batch) = 1 THEN 'project' ELSE 'batch' END AS level,
         sum(planned)::bigint AS planned, sum(delivered)::bigint AS delivered,
         sum(delivered_in_window)::bigint AS delivered_in_window,
         sum(with_defect)::bigint AS with_defect, sum(valid_reports)::bigint AS valid_reports,
         sum(outside_reports)::bigint AS outside_reports
  FROM batches
  GROUP BY GROUPING SETS ((project_id, batch), (project_id))
)
SELECT project_id, batch, level,
       planned AS planned_households, delivered AS delivered_households, delivered_in_window,
       appraisal.share_percent(delivered_in_window, planned) AS concentrated_delivery_rate,
       with_defect AS households_with_valid_defect,
       delivered_in_window - with_defect AS defect_free_households,
       appraisal.share_percent(delivered_in_window - with_defect, delivered_in_window) AS defect_free_delivery_rate,
       valid_reports AS valid_defect_reports,
       CASE WHEN delivered_in_window > 0 THEN div(10000 * valid_reports::numeric, delivered_in_window) * 0.0001 END AS defects_per_household,
       delivered - delivered_in_window AS delivered_out_of_window,
       outside_reports AS out_of_window_valid_reports
FROM levels;
COMMENT ON COLUMN appraisal.delivery_quality.project_id IS 'Project.';
COMMENT ON COLUMN appraisal.delivery_quality.batch IS 'Batch; NULL on a project''s total row.';
COMMENT ON COLUMN appraisal.delivery_quality.level IS 'batch, or project for the project''s total over its batches.';
COMMENT ON COLUMN appraisal.delivery_quality.planned_households IS 'Households planned (appraisal.delivery_batches).';
COMMENT ON COLUMN appraisal.delivery_quality.delivered_households IS 'Households that took delivery, in or outside the window.';
COMMENT ON COLUMN appraisal.delivery_quality.delivered_in_window IS 'Households that took delivery within the batch''s concentrated-delivery window.';
COMMENT ON COLUMN appraisal.delivery_quality.concentrated_delivery_rate IS '100 * delivered_in_window / planned_households, truncated to two decimals.';
COMMENT ON COLUMN appraisal.delivery_quality.households_with_valid_defect IS 'Households delivered within the window with at least one valid defect report.';
COMMENT ON COLUMN appraisal.delivery_quality.defect_free_households IS 'Households delivered within the window without a valid defect report.';
COMMENT ON COLUMN appraisal.delivery_quality.defect_free_delivery_rate IS '100 * defect_free_households / delivered_in_window, truncated to two decimals; NULL when nothing was delivered within the window.';
COMMENT ON COLUMN appraisal.delivery_quality.valid_defect_reports IS 'Valid defect reports (appraisal.defect_reports.valid) of the households delivered within the window.';
COMMENT ON COLUMN appraisal.delivery_quality.defects_per_household IS 'valid_defect_reports / delivered_in_window, truncated to four decimals; NULL when nothing was delivered within the window.';
COMMENT ON COLUMN appraisal.delivery_quality.delivered_out_of_window IS 'Households that took delivery outside the batch''s window (before or after it): outside the concentrated delivery cycle, counted in no rate.';
COMMENT ON COLUMN appraisal.delivery_quality.out_of_window_valid_reports IS 'Valid defect reports of the households delivered outside the window: shown, counted in no rate.';

-- The 30-day rule per batch: rectification done 30 days before handover,
-- property takeover within the month before it.
CREATE VIEW appraisal.delivery_readiness WITH (security_invoker = true) AS
WITH due AS (
  SELECT b.project_id, b.batch, b.window_starts_on AS handover_on,
         b.window_starts_on - 30 AS rectification_due_by, b.rectification_done_on,
         (b.window_starts_on - interval '1 month')::date AS takeover_from,
         b.window_starts_on - 1 AS takeover_due_by, b.property_takeover_on
  FROM appraisal.delivery_batches b
), judged AS (
  SELECT d.*,
         d.rectification_done_on <= d.rectification_due_by AS rectification_on_time,
         d.property_takeover_on BETWEEN d.takeover_from AND d.takeover_due_by AS takeover_on_time,
         array_remove(ARRAY[
           CASE WHEN d.rectification_done_on IS NULL THEN 'rectification not recorded'
                WHEN d.rectification_done_on > d.rectification_due_by
                  THEN format('rectification finished %s, due by %s', d.rectification_done_on, d.rectification_due_by) END,
           CASE WHEN d.property_takeover_on IS NULL THEN 'property takeover not recorded'
                WHEN d.property_takeover_on > d.takeover_due_by
                  THEN format('property takeover %s, due by %s', d.property_takeover_on, d.takeover_due_by)
                WHEN d.property_takeover_on < d.takeover_from
                  THEN format('property takeover %s, more than a month before handover (from %s)', d.property_takeover_on, d.takeover_from) END
         ], NULL) AS problems
  FROM due d
)
SELECT project_id, batch, handover_on, rectification_done_on, rectification_due_by, rectification_on_time,
       property_takeover_on, takeover_from, takeover_due_by, takeover_on_time,
       rectification_on_time AND takeover_on_time AS ready,
       CASE WHEN cardinality(problems) = 0 THEN 'ready' ELSE array_to_string(problems, '; ') END AS readiness
FROM judged;
COMMENT ON VIEW appraisal.delivery_readiness IS
  'Per delivery batch, the 30-day rule (docs/rules.md, "Delivery quality"): inspection and rectification finish 30 days before handover at the latest, and the property takeover falls within the month before handover. Handover is the first day of the batch''s concentrated-delivery window. A batch with a date missing or out of its span is flagged, the reasons in words.';
COMMENT ON COLUMN appraisal.delivery_readiness.project_id IS 'Project.';
COMMENT ON COLUMN appraisal.delivery_readiness.batch IS 'Batch (appraisal.delivery_batches).';
COMMENT ON COLUMN appraisal.delivery_readiness.handover_on IS 'Handover: the first day of the concentrated-delivery window.';
COMMENT ON COLUMN appraisal.delivery_readiness.rectification_done_on IS 'Day inspection and rectification finished; NULL: not recorded.';
COMMENT ON COLUMN appraisal.delivery_readiness.rectification_due_by IS 'Last day rectification may finish: handover_on - 30 days.';
COMMENT ON COLUMN appraisal.delivery_readiness.rectification_on_time IS 'True when rectification finished by rectification_due_by; NULL when not recorded.';
COMMENT ON COLUMN appraisal.delivery_readiness.property_takeover_on IS 'Day of the property takeover; NULL: not recorded.';
COMMENT ON COLUMN appraisal.delivery_readiness.takeover_from IS 'First day of the month before handover: handover_on - 1 month (calendar month).';
COMMENT ON COLUMN appraisal.delivery_readiness.takeover_due_by IS 'Last day of the month before handover: the day before handover_on.';
COMMENT ON COLUMN appraisal.delivery_readiness.takeover_on_time IS 'True when the takeover falls from takeover_from to takeover_due_by; NULL when not recorded.';
COMMENT ON COLUMN appraisal.delivery_readiness.ready IS 'True when both dates are recorded and on time; false when one missed; NULL when one is missing and none missed.';
COMMENT ON COLUMN appraisal.delivery_readiness.readiness IS '''ready'', or what is missing or late, in words, separated by "; ".';

-- the item scales of the seven elements
ALTER TABLE appraisal.item_scale DISABLE TRIGGER protect_shipped;
INSERT INTO appraisal.item_scale (name, scale, description, shipped) VALUES
  ('nonconformance_15',
   'A [0,0] 15; B (0,5] 14..11; C (5,30] 10..8; D (30,40] 7..4; E (40,100] 3..0',
   'Survey item "product delivery quality" (docs/rules.md, "Satisfaction survey"), value = non-conformance rate of the goods delivered, percent: all good (0) 15 points; up to 5 % 14 down to 11; above 5 up to 30 % 10 down to 8; above 30 up to 40 % 7 down to 4; above 40 % 3 down to 0 at 100 %.',
   true),
  ('fulfilment_15',
   'E [0,60] 0; E (60,70] 0..3; D (70,80] 4..7; C (80,90] 8..10; B (90,100) 11..14; A [100,100] 15',
   'Survey item "delivery capability" (docs/rules.md, "Satisfaction survey"), value = order fulfilment rate, percent: 100 % 15 points; above 90 % 11 up to 14; above 80 up to 90 % 8 up to 10; above 70 up to 80 % 4 up to 7; above 60 up to 70 % 0 up to 3; 60 % and below, which the procedure leaves undefined, 0.',
   true),
  ('missed_feedback_15',
   'A [0,0] 15; B (0,1] 11; C (1,2] 8; D (2,3] 4; E (3,) 0',
   'Survey item "communication" (docs/rules.md, "Satisfaction survey"), value = times in the period the company missed a feedback or failed to cooperate: none 15 points; once 11; twice 8; three times 4; more 0 (the procedure names the measure, not the bands: one time per band, each at its lowest points).',
   true);
ALTER TABLE appraisal.item_scale ENABLE TRIGGER protect_shipped;

ALTER TABLE appraisal.survey_items ADD COLUMN needs_acceptance boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN appraisal.survey_items.needs_acceptance IS 'True when an answer also records the customer''s acceptance (customer_survey_answers.acceptance), which caps the points: very satisfied up to band A, basically satisfied up to B, acceptable up to D, not accepted E (docs/rules.md, "Satisfaction survey": complaint-handling timeliness).';
COMMENT ON COLUMN appraisal.survey_items.shipped IS 'True for the items of the shipped questionnaires; those cannot be changed.';
COMMENT ON COLUMN appraisal.survey_questionnaires.shipped IS 'True for the questionnaires shipped with the extension (standard, standard_0_4); they and their items cannot be changed.';
ALTER TABLE appraisal.customer_survey_answers ADD COLUMN acceptance  text CONSTRAINT "acceptance must be one of the procedure's four levels"
              CHECK (acceptance IN ('very satisfied', 'basically satisfied', 'acceptable', 'not accepted'));
COMMENT ON COLUMN appraisal.customer_survey_answers.acceptance IS 'The customer''s acceptance of the outcome, for an item that needs it (survey_items.needs_acceptance) and only then: very satisfied, basically satisfied, acceptable or not accepted; it caps the points (appraisal.survey_acceptance_cap).';
COMMENT ON FUNCTION appraisal.survey_items_check() IS
  'Trigger on appraisal.survey_items: the shipped questionnaires take no further items (their total stays 100).';

-- The questionnaire shipped as 'standard' up to 0.4 becomes standard_0_4,
-- the runs that used it with it (the foreign keys cascade): their answers
-- keep their meaning.  'standard' is the procedure's seven elements.
ALTER TABLE appraisal.survey_questionnaires DISABLE TRIGGER protect_shipped;
ALTER TABLE appraisal.survey_items DISABLE TRIGGER protect_shipped;
UPDATE appraisal.survey_questionnaires
SET questionnaire = 'standard_0_4', title = '客户满意度调查 (0.4) Customer satisfaction survey, 0.4 items',
    description = 'The questionnaire shipped as ''standard'' up to 0.4, kept for the runs that used it (docs/rules.md, "Satisfaction survey"): six items of 15 points and the overall image of 10, all but complaint handling rated 0-100 and banded A-E, total 100. Not the procedure''s seven elements: use ''standard'' for new runs.'
WHERE questionnaire = 'standard';
INSERT INTO appraisal.survey_questionnaires (questionnaire, title, description, shipped) VALUES
  ('standard', '客户满意度调查 Customer satisfaction survey',
   'The seven elements of the customer satisfaction procedure (docs/rules.md, "Satisfaction survey"): product delivery quality from the non-conformance rate, delivery capability from the fulfilment rate, communication from missed feedback, product development capability, complaint-handling timeliness by working days and the customer''s acceptance, price competitiveness against peers (15 points each) and the overall image (10 points), total 100.',
   true);
INSERT INTO appraisal.survey_items (questionnaire, item_no, item, title, answer, scale, shipped, needs_acceptance)
SELECT v.questionnaire, v.item_no, v.item, v.title, v.answer, s.scale, true, v.needs_acceptance
FROM (VALUES
  ('standard', 1, 'delivery_quality', '产品交付质量 Product delivery quality',
   'non-conformance rate of the goods delivered in the period, percent (0: all good)', 'nonconformance_15', false),
  ('standard', 2, 'delivery_capability', '交付能力 Delivery capability',
   'fulfilment rate of the orders in the period, percent', 'fulfilment_15', false),
  ('standard', 3, 'communication', '沟通配合 Communication and cooperation',
   'times in the period the company missed a feedback or failed to cooperate', 'missed_feedback_15', false),
  ('standard', 4, 'product_development', '产品开发能力 Product development capability', 'rating 0-100', 'satisfaction_15', false),
  ('standard', 5, 'complaint_handling', '投诉处理及时性 Complaint-handling timeliness',
   'working days from the customer''s complaint to its resolution, on the company calendar, with the customer''s acceptance of the outcome (acceptance); 0 and very satisfied when nothing was left unresolved',
   'resolution_days_15', true),
  ('standard', 6, 'price_competitiveness', '价格竞争力 Price competitiveness', 'rating 0-100 against the peers the customer buys from', 'satisfaction_15', false),
  ('standard', 7, 'overall_image', '整体形象 Overall image', 'rating 0-100', 'image_10', false)
) v(questionnaire, item_no, item, title, answer, scale_name, needs_acceptance)
JOIN appraisal.item_scale s ON s.name = v.scale_name;
ALTER TABLE appraisal.survey_items ENABLE TRIGGER protect_shipped;
ALTER TABLE appraisal.survey_questionnaires ENABLE TRIGGER protect_shipped;

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

CREATE OR REPLACE VIEW appraisal.customer_survey_points WITH (security_invoker = true) AS
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

CREATE OR REPLACE VIEW appraisal.survey_validity WITH (security_invoker = true) AS
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

-- Importing a file with a report: try_cast and input_error
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
-- row per rule broken.  The valid rows are then applied by one plain
-- INSERT; should a key exist already (a corrected file imported again), that
-- insert stops at it, is rolled back, and the rows are applied by one
-- INSERT ... ON CONFLICT instead, sorted by key.  A file of new rows (the
-- usual day's export) so skips the speculative insertion of ON CONFLICT,
-- a fifth of the import's time at a million rows.  It runs with the
-- caller's rights in the caller's transaction: an error (a checking trigger
-- the rules missed, a lock timeout) applies nothing.
CREATE FUNCTION appraisal.import(target regclass, staging regclass DEFAULT NULL, all_or_nothing boolean DEFAULT false)
RETURNS TABLE (inserted bigint, updated bigint, unchanged bigint, rejected bigint, reasons bigint)
LANGUAGE plpgsql
-- the keys of a million-row file grouped and sorted in memory; compiling
-- the long generated expressions costs more than it saves
SET work_mem = '256MB'
SET jit = off
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
  started timestamptz := clock_timestamp();
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
  -- progress, as refresh_scorecards reports it: the server log (and the
  -- session with client_min_messages = log), the seconds in DETAIL
  RAISE LOG 'appraisal: import into % checked % rows: % rejected (% reasons)', target, total, rejected, reasons
    USING DETAIL = format('in %s s', to_char(extract(epoch FROM clock_timestamp() - started), 'FM999,999,990.000'));
  started := clock_timestamp();
  inserted := 0;
  updated := 0;
  IF rejected = 0 OR NOT all_or_nothing THEN
    BEGIN
      q := format('INSERT INTO %1$s (%2$s) SELECT %3$s FROM %4$s s WHERE s.line NOT IN (SELECT r.line FROM %5$s r)',
                  target, array_to_string(present, ', '), array_to_string(applied, ', '), staging, rejects);
      RAISE DEBUG 'appraisal.import inserts: %', q;
      EXECUTE q;
      GET DIAGNOSTICS inserted = ROW_COUNT;
    EXCEPTION WHEN unique_violation THEN
      IF key_cols IS NULL THEN   -- a unique constraint other than a key
        RAISE;
      END IF;
      q := format('WITH applied AS (INSERT INTO %1$s AS d (%2$s) SELECT %3$s FROM %4$s s WHERE s.line NOT IN (SELECT r.line FROM %5$s r) '
                     'ORDER BY %6$s ON CONFLICT (%6$s) DO %7$s RETURNING d.xmax = 0 AS fresh) '
                     'SELECT count(*) FILTER (WHERE fresh), count(*) FILTER (WHERE NOT fresh) FROM applied',
                     target, array_to_string(present, ', '), array_to_string(applied, ', '), staging, rejects,
                     array_to_string(key_cols, ', '),
                     CASE WHEN cardinality(updatable) = 0 THEN 'NOTHING'
                          ELSE format('UPDATE SET (%1$s) = ROW(%2$s) WHERE (%3$s) IS DISTINCT FROM (%2$s)',
                                      array_to_string(updatable, ', '),
                                      (SELECT string_agg('EXCLUDED.' || u, ', ') FROM unnest(updatable) u),
                                      (SELECT string_agg('d.' || u, ', ') FROM unnest(updatable) u)) END);
      RAISE DEBUG 'appraisal.import applies: %', q;
      EXECUTE q INTO inserted, updated;
    END;
    RAISE LOG 'appraisal: import into % applied: % inserted, % updated', target, inserted, updated
      USING DETAIL = format('in %s s', to_char(extract(epoch FROM clock_timestamp() - started), 'FM999,999,990.000'));
  END IF;
  unchanged := CASE WHEN rejected = 0 OR NOT all_or_nothing THEN total - rejected - inserted - updated ELSE 0 END;
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION appraisal.import(regclass, regclass, boolean) IS
  'Imports the rows of a staging table (appraisal.create_staging) into target, a table of the appraisal extension, with the caller''s rights, in the caller''s transaction. Checks every row against every rule target enforces: each value valid input for its column''s type, required columns given (an empty field takes the column''s default), each CHECK constraint, each foreign key (against the referenced table, and for a table referring to itself the rows of the same file, a row referring to a rejected one rejected too), a key on one line only, and the rules of target''s checking triggers (kpi_results: the KPI defined for the employee''s position, the period of its cycle). Each rule a row breaks is a row of <staging>_rejects (line, column_name, value, reason: the constraint''s name or the input error, in plain words), emptied first. Then applies the valid rows: inserted where the key is new, updated where it exists and differs (unchanged where equal), by one plain INSERT when every key is new, else (the INSERT stopping at the first existing key and undone) by one INSERT ... ON CONFLICT; none when all_or_nothing and a row is rejected. The staging rows are left as they are. Returns the counts of rows inserted, updated and unchanged, of rows rejected and of reasons; reports its progress (rows checked and rejected, rows applied, with the seconds) as LOG messages. Needs INSERT, UPDATE and SELECT on target and SELECT on the tables its foreign keys reference.';

-- Customer value tiers (gold, silver, ordinary, potential): the optional
-- inputs of loyalty and potential in customer_figures, the shipped scale
-- value_tier (its settings are with the others above), and the function and
-- view that grade them.  customer_scorecard reads customer_figures.* in a
-- CTE: made again so that it reads the new columns as a fresh install's does.
ALTER TABLE appraisal.customer_figures
  ADD COLUMN referrals integer CONSTRAINT "referrals cannot be negative" CHECK (referrals >= 0),
  ADD COLUMN recommendation numeric CONSTRAINT "recommendation must be 0 to 10" CHECK (recommendation BETWEEN 0 AND 10),
  ADD COLUMN potential_rating numeric CONSTRAINT "potential rating must be 0 to 100 points" CHECK (potential_rating BETWEEN 0 AND 100);
COMMENT ON COLUMN appraisal.customer_figures.referrals IS 'New customers this customer referred in the period (value tier: loyalty). NULL: not recorded, left out of the loyalty points.';
COMMENT ON COLUMN appraisal.customer_figures.recommendation IS 'The customer''s answer to "how likely are you to recommend us", 0-10 (the NPS question; value tier: loyalty). NULL: not asked, left out of the loyalty points.';
COMMENT ON COLUMN appraisal.customer_figures.potential_rating IS 'The sales manager''s rating of the customer''s potential, 0-100 points (value tier: potential). NULL: not rated.';
ALTER TABLE appraisal.grade_scale DISABLE TRIGGER protect_shipped;
INSERT INTO appraisal.grade_scale (name, scale, description, shipped) VALUES
  ('value_tier', '0..100: gold >= 80, silver >= 60, ordinary',
   'Customer value tiers (docs/rules.md, "Customer value tiers") on the value points (purchase and loyalty): gold 80-100, silver 60-79, ordinary below 60, where a customer with enough potential is potential instead. The thresholds are the project''s: the standards name the tiers, not their bounds.',
   true);
ALTER TABLE appraisal.grade_scale ENABLE TRIGGER protect_shipped;
CREATE OR REPLACE VIEW appraisal.customer_scorecard WITH (security_invoker = true) AS
WITH figures AS (
  SELECT f.*, p.kind AS period_kind, p.starts_on, p.ends_on,
         lag(f.period) OVER w AS previous_period,
         lag(f.sales) OVER w AS previous_sales,
         lag(f.collection_rate) OVER w AS previous_collection_rate,
         lag(p.ends_on) OVER w AS previous_ends_on
  FROM appraisal.customer_figures f
  JOIN appraisal.periods p ON p.period = f.period
  WINDOW w AS (PARTITION BY f.customer_id, p.kind ORDER BY p.starts_on)
), adjacent AS (
  -- the previous period of the same kind counts only when it is the one just before
  SELECT f.*, coalesce(f.previous_ends_on = f.starts_on - 1, false) AS has_previous
  FROM figures f
), scored AS (
  SELECT a.*, c.name, c.first_order_on, g.growth_used, s.*
  FROM adjacent a
  JOIN appraisal.customers c USING (customer_id)
  CROSS JOIN LATERAL (
    SELECT coalesce(a.sales_growth,
                    CASE WHEN a.has_previous AND a.previous_sales > 0
                         THEN (a.sales - a.previous_sales) * 100 / a.previous_sales END) AS growth_used
  ) g
  CROSS JOIN LATERAL appraisal.customer_score(a.sales, g.growth_used, a.collection_rate, a.return_rate,
                                              a.manager_evaluation) s
)
SELECT s.customer_id, s.name, s.period, s.period_kind, s.starts_on, s.ends_on,
       s.sales, s.batches, trim_scale(s.growth_used) AS sales_growth,
       s.sales_growth IS NULL AND s.growth_used IS NOT NULL AS growth_computed,
       s.collection_rate, s.return_rate, s.receivables, s.manager_evaluation,
       s.sales_points, s.growth_points, s.collection_points, s.returns_points, s.manager_points,
       s.composite_points,
       coalesce(s.credit_grade, 'insufficient data') AS credit_grade,
       cr.financial_points + cr.non_financial_points AS credit_rating_points,
       CASE WHEN cr.customer_id IS NOT NULL
            THEN appraisal.grade_band((cr.financial_points + cr.non_financial_points)::double precision, p.grade_scale)
       END AS credit_rating_grade,
       CASE WHEN s.period_kind = 'year' THEN
         appraisal.customer_class(s.sales, s.batches, s.collection_rate, s.return_rate, s.receivables,
                                  coalesce(s.first_order_on BETWEEN s.starts_on AND s.ends_on, false),
                                  s.ends_on < current_date,
                                  CASE WHEN s.has_previous THEN s.previous_sales END,
                                  CASE WHEN s.has_previous THEN s.previous_collection_rate END)
       END AS class,
       CASE WHEN s.has_previous THEN s.previous_period END AS previous_period,
       prev.composite_points AS previous_composite_points,
       s.composite_points - prev.composite_points AS composite_change,
       CASE WHEN s.composite_points > prev.composite_points THEN 'up'
            WHEN s.composite_points < prev.composite_points THEN 'down'
            WHEN s.composite_points = prev.composite_points THEN 'flat' END AS trend
FROM scored s
CROSS JOIN appraisal.customer_parameters() p
LEFT JOIN appraisal.customer_credit cr ON cr.customer_id = s.customer_id AND cr.period = s.period
LEFT JOIN scored prev ON s.has_previous AND prev.customer_id = s.customer_id AND prev.period = s.previous_period;

CREATE FUNCTION appraisal.customer_value_parameters()
RETURNS TABLE (tier_scale text, weight_purchase numeric, weight_loyalty numeric, sales_full_at numeric,
               batches_full_at integer, referrals_full_at integer, weight_repurchase numeric,
               weight_referrals numeric, weight_recommendation numeric, growth_full_at numeric,
               weight_growth numeric, weight_potential_rating numeric, potential_points numeric)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'customer_value_tier_scale'),
         max(value) FILTER (WHERE name = 'value_weight_purchase')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_loyalty')::numeric,
         max(value) FILTER (WHERE name = 'value_sales_full_at')::numeric,
         max(value) FILTER (WHERE name = 'value_batches_full_at')::integer,
         max(value) FILTER (WHERE name = 'value_referrals_full_at')::integer,
         max(value) FILTER (WHERE name = 'value_weight_repurchase')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_referrals')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_recommendation')::numeric,
         max(value) FILTER (WHERE name = 'value_growth_full_at')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_growth')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_potential_rating')::numeric,
         max(value) FILTER (WHERE name = 'value_potential_points')::numeric
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.customer_value_parameters() IS
  'The settings of the customer value tiers in effect (the tier scale, the weights and ranges of the purchase, loyalty and potential points, the potential threshold) as one row with a typed column per setting; see appraisal.setting_definitions.';

-- Each input is scored 0-100 on a linear range (linear_fraction), the parts
-- of a dimension weighted as one exact fraction (weighted_share_percent); an
-- optional input that is NULL has its weight left out, the others being the
-- whole.  The value points are formed from the loyalty points as shown
-- (truncated), so that the value can be recomputed from the columns shown.
CREATE FUNCTION appraisal.customer_value_tier(sales numeric, batches integer, referrals integer,
                                              recommendation numeric, sales_growth numeric,
                                              potential_rating numeric)
RETURNS TABLE (purchase_points numeric, repurchase_points numeric, referral_points numeric,
               recommendation_points numeric, loyalty_points numeric, value_points numeric,
               growth_points numeric, potential_rating_points numeric, potential_points numeric,
               tier text, tier_reason text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT appraisal.linear_points(customer_value_tier.sales, 0, p.sales_full_at),
         appraisal.linear_points(customer_value_tier.batches, 1, p.batches_full_at),
         appraisal.linear_points(customer_value_tier.referrals, 0, p.referrals_full_at),
         appraisal.linear_points(customer_value_tier.recommendation, 0, 10),
         l.points,
         v.points,
         appraisal.linear_points(customer_value_tier.sales_growth, 0, p.growth_full_at),
         appraisal.linear_points(customer_value_tier.potential_rating, 0, 100),
         pt.points,
         CASE WHEN v.points IS NULL THEN NULL
              WHEN b.lowest AND pt.points >= p.potential_points THEN 'potential'
              ELSE b.label END,
         CASE WHEN v.points IS NULL THEN 'no sales figure'
              WHEN NOT b.lowest THEN format('value %s in %s (from %s)', v.points, b.label, b.lower_bound)
              ELSE format('value %s in %s (below %s), ', v.points, b.label, b.upper_bound)
                   || CASE WHEN pt.points IS NULL THEN 'potential unknown (no sales growth, no potential rating)'
                           WHEN pt.points >= p.potential_points
                           THEN format('potential %s from %s', pt.points, p.potential_points)
                           ELSE format('potential %s below %s', pt.points, p.potential_points) END
         END
  FROM appraisal.customer_value_parameters() p
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.sales, 0, p.sales_full_at) s
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.batches, 1, p.batches_full_at) r
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.referrals, 0, p.referrals_full_at) f
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.recommendation, 0, 10) n
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.sales_growth, 0, p.growth_full_at) g
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.potential_rating, 0, 100) m
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_share_percent(
             ARRAY[p.weight_repurchase,
                   CASE WHEN f.whole IS NOT NULL THEN p.weight_referrals ELSE 0 END,
                   CASE WHEN n.whole IS NOT NULL THEN p.weight_recommendation ELSE 0 END],
             ARRAY[r.part, f.part, n.part], ARRAY[r.whole, f.whole, n.whole]) AS points
  ) l
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_share_percent(ARRAY[p.weight_purchase, p.weight_loyalty],
                                            ARRAY[s.part, l.points], ARRAY[s.whole, 100]) AS points
  ) v
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_share_percent(
             ARRAY[CASE WHEN g.whole IS NOT NULL THEN p.weight_growth ELSE 0 END,
                   CASE WHEN m.whole IS NOT NULL THEN p.weight_potential_rating ELSE 0 END],
             ARRAY[g.part, m.part], ARRAY[g.whole, m.whole]) AS points
  ) pt
  LEFT JOIN LATERAL (
    SELECT gb.label, gb.lower_bound, gb.upper_bound,
           gb.rank = (SELECT max(a.rank) FROM appraisal.grade_bands(p.tier_scale) a) AS lowest
    FROM appraisal.grade_bands(p.tier_scale) gb
    WHERE gb.rank = appraisal.grade_rank(v.points::double precision, p.tier_scale)
  ) b ON true;
END;
COMMENT ON FUNCTION appraisal.customer_value_tier(numeric, integer, integer, numeric, numeric, numeric) IS
  'The customer value tier (docs/rules.md, "Customer value tiers") with the settings in effect. Purchase: sales 0 -> 1,000,000 (value_sales_full_at). Loyalty: repurchase (batches 1 -> 12) 50, referrals (0 -> 5) 25, recommendation (0 -> 10) 25, a NULL referral count or recommendation left out. Value = purchase 60 + loyalty 40 (as shown), graded on customer_value_tier_scale (value_tier: gold >= 80, silver >= 60, ordinary). Potential: sales growth (0 -> 25 %) 50 and the manager''s potential rating (0-100) 50, a NULL one left out (both NULL: unknown); in the lowest band, potential of 60 (value_potential_points) or more makes the tier potential. Every points column exact, truncated to two decimals; tier_reason says which bound decided. NULL points and tier for a NULL sales figure.';

CREATE VIEW appraisal.customer_value_tiers WITH (security_invoker = true) AS
WITH years AS (   -- the years some customer has figures for
  SELECT p.period, p.starts_on, p.ends_on
  FROM appraisal.periods p
  WHERE p.kind = 'year' AND EXISTS (SELECT 1 FROM appraisal.customer_figures f WHERE f.period = p.period)
)
SELECT c.customer_id, c.name, y.period, y.starts_on, y.ends_on, f.customer_id IS NOT NULL AS has_figures,
       f.sales, f.batches, f.referrals, f.recommendation, s.sales_growth, s.growth_computed, f.potential_rating,
       t.purchase_points, t.repurchase_points, t.referral_points, t.recommendation_points, t.loyalty_points,
       t.value_points, t.growth_points, t.potential_rating_points, t.potential_points, t.tier,
       CASE WHEN f.customer_id IS NULL THEN 'no figures for the year' ELSE t.tier_reason END AS tier_reason
FROM appraisal.customers c
JOIN years y ON c.first_order_on IS NULL OR c.first_order_on <= y.ends_on
LEFT JOIN appraisal.customer_figures f ON f.customer_id = c.customer_id AND f.period = y.period
LEFT JOIN appraisal.customer_scorecard s ON s.customer_id = c.customer_id AND s.period = y.period
CROSS JOIN LATERAL appraisal.customer_value_tier(f.sales, f.batches, f.referrals, f.recommendation,
                                                 s.sales_growth, f.potential_rating) t;
COMMENT ON VIEW appraisal.customer_value_tiers IS
  'Per customer and year (every year some customer has figures for, from the year of the customer''s first order): the value tier (docs/rules.md, "Customer value tiers": gold, silver, ordinary or potential) from purchase behaviour, loyalty and potential, with each input, each dimension''s points and the reason. A customer without figures for the year is listed with has_figures false and no tier.';
COMMENT ON COLUMN appraisal.customer_value_tiers.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_value_tiers.name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customer_value_tiers.period IS 'The year (appraisal.periods of kind year).';
COMMENT ON COLUMN appraisal.customer_value_tiers.starts_on IS 'First day of the year.';
COMMENT ON COLUMN appraisal.customer_value_tiers.ends_on IS 'Last day of the year.';
COMMENT ON COLUMN appraisal.customer_value_tiers.has_figures IS 'True when appraisal.customer_figures holds the customer''s figures for the year; false: no points, no tier.';
COMMENT ON COLUMN appraisal.customer_value_tiers.sales IS 'Sales volume in the year (purchase behaviour).';
COMMENT ON COLUMN appraisal.customer_value_tiers.batches IS 'Order batches in the year (repurchase: the batches after the first).';
COMMENT ON COLUMN appraisal.customer_value_tiers.referrals IS 'New customers referred in the year; NULL: not recorded.';
COMMENT ON COLUMN appraisal.customer_value_tiers.recommendation IS 'Likelihood to recommend, 0-10 (the NPS question); NULL: not asked.';
COMMENT ON COLUMN appraisal.customer_value_tiers.sales_growth IS 'Sales growth in percent, as in appraisal.customer_scorecard: recorded, else computed from the year before.';
COMMENT ON COLUMN appraisal.customer_value_tiers.growth_computed IS 'True when sales_growth was computed from the year before, not recorded.';
COMMENT ON COLUMN appraisal.customer_value_tiers.potential_rating IS 'The sales manager''s rating of the customer''s potential, 0-100; NULL: not rated.';
COMMENT ON COLUMN appraisal.customer_value_tiers.purchase_points IS 'Purchase points, 0-100: sales linear from 0 to value_sales_full_at (1,000,000), clamped.';
COMMENT ON COLUMN appraisal.customer_value_tiers.repurchase_points IS 'Repurchase points, 0-100: batches linear from 1 (no repurchase) to value_batches_full_at (12), clamped.';
COMMENT ON COLUMN appraisal.customer_value_tiers.referral_points IS 'Referral points, 0-100: referrals linear from 0 to value_referrals_full_at (5), clamped; NULL when not recorded.';
COMMENT ON COLUMN appraisal.customer_value_tiers.recommendation_points IS 'Recommendation points, 0-100: the 0-10 answer times 10; NULL when not asked.';
COMMENT ON COLUMN appraisal.customer_value_tiers.loyalty_points IS 'Loyalty points: repurchase, referral and recommendation points weighted 50/25/25 by default (a NULL one left out, the others the whole), exact, truncated to two decimals.';
COMMENT ON COLUMN appraisal.customer_value_tiers.value_points IS 'Value points: purchase and loyalty points weighted 60/40 by default, exact, truncated to two decimals; graded on customer_value_tier_scale.';
COMMENT ON COLUMN appraisal.customer_value_tiers.growth_points IS 'Growth points, 0-100: sales growth linear from 0 % to value_growth_full_at (25 %), clamped; NULL when the growth is unknown.';
COMMENT ON COLUMN appraisal.customer_value_tiers.potential_rating_points IS 'The potential rating as points, 0-100, truncated to two decimals; NULL when not rated.';
COMMENT ON COLUMN appraisal.customer_value_tiers.potential_points IS 'Potential points: growth and potential rating points weighted 50/50 by default (a NULL one left out); NULL when both are unknown.';
COMMENT ON COLUMN appraisal.customer_value_tiers.tier IS 'gold, silver or ordinary (the bands of customer_value_tier_scale for the value points), or potential: in the lowest band with potential points of value_potential_points (60) or more. NULL without figures.';
COMMENT ON COLUMN appraisal.customer_value_tiers.tier_reason IS 'Why: the value points and the bound of their band, and for the lowest band the potential points against value_potential_points; ''no figures for the year'' without figures.';

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
  -- ranked: not on probation, with min_responses responses and at least one (no CSAT, no place)
  CROSS JOIN LATERAL (SELECT o.on_probation,
                             NOT o.on_probation AND s.responses >= prm.min_responses AND s.responses > 0 AS ranked) pr
  WINDOW team_period AS (PARTITION BY e.team, s.period, pr.ranked),
         ranking AS (team_period ORDER BY appraisal.share_percent(s.satisfied, s.responses) DESC NULLS LAST)
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
COMMENT ON COLUMN appraisal.agent_scorecard.system_complaints IS 'System-caused complaints (company policy or system): left out of the agent''s measures but for their first response (setting system_complaints_first_response).';
COMMENT ON COLUMN appraisal.agent_scorecard.unattributed_complaints IS 'Complaints not yet attributed to service or system.';
COMMENT ON COLUMN appraisal.agent_scorecard.composite_points IS 'Closed-loop complaint composite in points: weight_first_response (40) x first-response compliance + weight_resolution (30) x resolution compliance + weight_satisfaction (30) x CSAT, over the weights, exact and truncated to 2 decimals; NULL when a part has no evidence.';
COMMENT ON COLUMN appraisal.agent_scorecard.composite_grade IS 'Grade band of composite_points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.agent_scorecard.training_needed IS 'Communication-skills training flag: first-response compliance below training_threshold (80 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.agent_scorecard.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them); SLA pending and overdue are as of then.';
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
COMMENT ON COLUMN appraisal.agent_scorecard.high_satisfaction IS 'High-satisfaction flag for the share-your-practice programme: CSAT (as shown) among the top high_satisfaction_share percent (20) of the team''s agents in the period with min_responses responses (at least one) and not on probation, places rounded up, ties sharing a place; NULL for an agent not ranked (too few responses, or on probation).';
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
COMMENT ON COLUMN appraisal.team_scorecard.system_complaints IS 'System-caused complaints (company policy or system): left out of the agent''s measures but for their first response (setting system_complaints_first_response).';
COMMENT ON COLUMN appraisal.team_scorecard.unattributed_complaints IS 'Complaints not yet attributed to service or system.';
COMMENT ON COLUMN appraisal.team_scorecard.composite_points IS 'Closed-loop complaint composite in points: weight_first_response (40) x first-response compliance + weight_resolution (30) x resolution compliance + weight_satisfaction (30) x CSAT, over the weights, exact and truncated to 2 decimals; NULL when a part has no evidence.';
COMMENT ON COLUMN appraisal.team_scorecard.composite_grade IS 'Grade band of composite_points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.team_scorecard.training_needed IS 'Communication-skills training flag: first-response compliance below training_threshold (80 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.team_scorecard.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them); SLA pending and overdue are as of then.';
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
COMMENT ON COLUMN appraisal.scorecard_360.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them); SLA pending and overdue are as of then.';
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
         coalesce(d.cycle, a.kind) AS cycle, q.period AS cycle_period, a.starts_on, a.ends_on,
         -- months, quarters, half-years, years: a KPI of a shorter cycle than the appraisal
         array_position(ARRAY['month', 'quarter', 'half_year', 'year'], coalesce(d.cycle, a.kind))
           < array_position(ARRAY['month', 'quarter', 'half_year', 'year'], a.kind) AS shorter
  FROM appraised a
  JOIN appraisal.kpi_definitions d ON d.position = a.position
  LEFT JOIN appraisal.periods q
    ON q.kind = coalesce(d.cycle, a.kind) AND q.starts_on <= a.starts_on AND q.ends_on >= a.ends_on
), entered AS (      -- results of the containing period, or the mean of those of a shorter cycle inside: all of them
  SELECT c.employee_id, c.period, c.kpi, trim_scale(avg(r.value::numeric)) AS value,
         string_agg(r.period, ', ' ORDER BY q.starts_on) AS periods,
         count(*) = (SELECT count(*) FROM appraisal.periods w
                     WHERE w.kind = c.cycle AND w.starts_on >= c.starts_on AND w.ends_on <= c.ends_on) AS complete
  FROM cycled c
  JOIN appraisal.kpi_results r ON r.employee_id = c.employee_id AND r.kpi = c.kpi
  JOIN appraisal.periods q ON q.period = r.period AND q.kind = c.cycle
  WHERE q.period = c.cycle_period OR (c.shorter AND q.starts_on >= c.starts_on AND q.ends_on <= c.ends_on)
  GROUP BY c.employee_id, c.period, c.kpi, c.cycle, c.starts_on, c.ends_on
), kpis AS (         -- a measure of a shorter cycle is taken over the appraised period itself;
                     -- of a longer one, over its period containing the appraised one (none: no value)
  SELECT c.employee_id, c.period, c.kpi, c.source, c.weight, c.zero_at, c.full_at, c.cycle,
         CASE WHEN c.cycle_period IS NOT NULL OR kr.complete THEN kr.value END AS entered,
         kr.periods AS entered_periods, dv.value AS measured, m.measured_in AS measured_period,
         ap.appeal_id, ap.status, ap.appealed_value, ap.decided_value
  FROM cycled c
  CROSS JOIN LATERAL (SELECT CASE WHEN c.shorter THEN c.period ELSE c.cycle_period END AS measured_in) m
  LEFT JOIN entered kr ON kr.employee_id = c.employee_id AND kr.period = c.period AND kr.kpi = c.kpi
  LEFT JOIN measured dv ON dv.employee_id = c.employee_id AND dv.period = m.measured_in AND dv.source = c.source
  -- the KPI's appeal, of the period its value is measured in: the latest filed upheld one, else the latest filed
  LEFT JOIN LATERAL (SELECT k.appeal_id, k.status, k.appealed_value, k.decided_value
                     FROM appraisal.kpi_appeals k
                     WHERE k.employee_id = c.employee_id AND k.period = m.measured_in AND k.kpi = c.kpi
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
         -- the two lowest bands (staff scale: 待提升, 不合格) call for coaching; never the best
         -- (on a scale of two bands, the lower one alone)
         coalesce(r.kpis_scored = r.kpis_defined AND NOT pr.on_probation
                  AND appraisal.grade_rank(r.points::double precision, prm.grade_scale)
                      >= (SELECT greatest(max(rank) - 1, 2) FROM appraisal.grade_bands(prm.grade_scale)), false) AS lowest_two,
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
COMMENT ON COLUMN appraisal.overall_appraisal.coaching_needed IS 'Training and coaching flag: graded in one of the two lowest bands of the grade scale, never the best (staff scale: 待提升, 不合格; on a scale of two bands the lower one; docs/rules.md, "Appraisal periods and results"). The service scorecards'' training_needed is the other rule (first-response compliance below 80 %).';
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
  VALUES (p, n, (SELECT s.refreshed_at FROM appraisal.refresh_state s));   -- (the summaries' last refresh)
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
            HINT = 'overall_appraisal has a row for an employee appraised in the period (of the position''s cycle, appraisal.position_cycles) with a KPI value: enter the results and refresh the summaries first.';
  END IF;
  RETURN QUERY SELECT n, frozen, x.published_at FROM appraisal.publications x WHERE x.period = p AND x.publication = n;
END
$$;
COMMENT ON FUNCTION appraisal.publish_results(text) IS
  'Publishes a period''s results (docs/rules.md, "Appeals and publication"): freezes every row of appraisal.overall_appraisal for the period (points, grade, evidence counts, flags and streaks, with the KPIs of kpi_breakdown) in appraisal.published_results under the next publication number of the period, recording the login publishing, when, and the summaries'' as_of (refresh them first: whether they are current is the committee''s call). Publishing again is a republication; earlier ones stay. Returns the publication number, the employees frozen and the time. Refuses a period not in appraisal.periods, or one without results. For members of appraisal_admin (runs as the extension''s owner, who sees every row).';
REVOKE ALL ON FUNCTION appraisal.publish_results(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.publish_results(text) TO appraisal_admin;

-- Improvement periods (改善期): a table of the user's, its
-- checking trigger, the scoped view of their outcomes (it reads
-- overall_appraisal in its final form, above) and open_improvement_period();
-- as in src/sql/58_improvement_periods.sql.
CREATE TABLE appraisal.improvement_periods (
  employee_id   text NOT NULL CONSTRAINT "employee must be known" REFERENCES appraisal.employees,
  from_period   text NOT NULL CONSTRAINT "period must be in appraisal.periods"
                REFERENCES appraisal.periods ON UPDATE CASCADE,
  deadline      date NOT NULL CONSTRAINT "deadline must be a finite day" CHECK (isfinite(deadline)),
  target_points numeric CONSTRAINT "target points must be between 0 and 100" CHECK (target_points BETWEEN 0 AND 100),
  opened_by     text NOT NULL DEFAULT session_user,
  opened_at     timestamptz NOT NULL DEFAULT now(),
  note          text,
  CONSTRAINT "one improvement period per employee and failing result" PRIMARY KEY (employee_id, from_period)
);
COMMENT ON TABLE appraisal.improvement_periods IS
  'Improvement periods (改善期, docs/rules.md, "Appraisal periods and results"): an employee graded failing in an appraised period is given a deadline to improve; appraisal.improvement_outcomes says whether the next appraised result met it. Opened with appraisal.open_improvement_period(), which requires a failing result; a row inserted directly records HR''s decision as it is. A record: only its note may change (a new deadline is a new improvement period, from a later failing result).';
COMMENT ON COLUMN appraisal.improvement_periods.employee_id IS 'Employee given the improvement period.';
COMMENT ON COLUMN appraisal.improvement_periods.from_period IS 'The appraised period (of the position''s cycle) whose failing result opened it.';
COMMENT ON COLUMN appraisal.improvement_periods.deadline IS 'Last day of the improvement period: the result that meets it must be of an appraised period ending on or before this day. After the end of from_period.';
COMMENT ON COLUMN appraisal.improvement_periods.target_points IS 'Points (0-100) the next result must also reach; NULL: a grade above the worst band is enough.';
COMMENT ON COLUMN appraisal.improvement_periods.opened_by IS 'Who opened it (the login, by default).';
COMMENT ON COLUMN appraisal.improvement_periods.opened_at IS 'When it was opened.';
COMMENT ON COLUMN appraisal.improvement_periods.note IS 'The plan, or why it was opened; the only column that may change.';

-- The deadline must follow the failing period, and the period must be one
-- the employee is appraised on (else no result would open or judge it).  A
-- recorded period is history: only its note changes; a period renamed in
-- appraisal.periods carries its improvement periods along (the cascade).
CREATE FUNCTION appraisal.check_improvement_period() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p appraisal.periods;
  cycle text;
  pos text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF (NEW.employee_id, NEW.deadline, NEW.target_points, NEW.opened_by, NEW.opened_at)
       IS DISTINCT FROM (OLD.employee_id, OLD.deadline, OLD.target_points, OLD.opened_by, OLD.opened_at)
       OR (NEW.from_period <> OLD.from_period   -- but for a renamed period
           AND EXISTS (SELECT 1 FROM appraisal.periods WHERE period = OLD.from_period)) THEN
      RAISE EXCEPTION 'the improvement period of employee "%" from period "%" is a record: only its note may change', OLD.employee_id, OLD.from_period
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'A new deadline is a new improvement period, opened from a later failing result; a row entered by mistake is deleted and entered again.';
    END IF;
    RETURN NEW;
  END IF;
  IF appraisal.replaying_dump() THEN   -- (the periods and employees may be restored later)
    RETURN NEW;
  END IF;
  SELECT * INTO p FROM appraisal.periods WHERE period = NEW.from_period;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  IF NEW.deadline <= p.ends_on THEN
    RAISE EXCEPTION 'deadline % of the improvement period of employee "%" is not after the end of period "%" (%)', NEW.deadline, NEW.employee_id, p.period, p.ends_on
      USING ERRCODE = 'check_violation',
            HINT = 'The deadline is the last day by which the employee must improve: after the failing period, normally the last day of the next appraised period.';
  END IF;
  SELECT e.position, c.cycle INTO pos, cycle
  FROM appraisal.employees e JOIN appraisal.position_cycles c USING (position)
  WHERE e.employee_id = NEW.employee_id;
  IF FOUND AND cycle <> p.kind THEN
    RAISE EXCEPTION 'period "%" is a %, but employee "%" (%) is appraised per %', p.period, p.kind, NEW.employee_id, pos, cycle
      USING ERRCODE = 'check_violation',
            HINT = 'An improvement period starts from an appraised result: name a period of the position''s cycle (appraisal.position_cycles).';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_improvement_period() IS
  'Trigger of appraisal.improvement_periods: the deadline must be after the end of from_period, and from_period a period of the employee''s appraisal cycle (appraisal.position_cycles); once recorded, only the note may change (a renamed period is followed).';
CREATE TRIGGER check_improvement_period BEFORE INSERT OR UPDATE ON appraisal.improvement_periods
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_improvement_period();

SELECT pg_catalog.pg_extension_config_dump('appraisal.improvement_periods', '');

-- Scoped by appraisal.scorecard_access and run with the owner's rights, as
-- the appraisal views of 52 are.  "The next cycle's result" is the result of
-- the first appraised period after from_period (the position's cycle,
-- periods ending in probation left out: they are outside the appraisal); it
-- judges the improvement period only when that period ends by the deadline.
CREATE VIEW appraisal.improvement_outcomes WITH (security_invoker = false, security_barrier = true) AS
WITH overall AS MATERIALIZED (   -- computed once for the failing and the next result
  SELECT * FROM appraisal.overall_appraisal
), opened AS (
  SELECT i.*, e.name, e.team, e.position, e.probation_ends_on, f.ends_on AS from_ends_on
  FROM appraisal.improvement_periods i
  JOIN appraisal.employees e ON e.employee_id = i.employee_id
  JOIN appraisal.periods f ON f.period = i.from_period
  WHERE appraisal.may_see(e.employee_id, e.team)
), later AS (         -- the appraised periods after from_period, in order
  SELECT o.employee_id, o.from_period, p.period, p.ends_on,
         row_number() OVER (PARTITION BY o.employee_id, o.from_period ORDER BY p.starts_on) AS n,
         count(*) FILTER (WHERE p.ends_on <= o.deadline) OVER (PARTITION BY o.employee_id, o.from_period) AS by_deadline
  FROM opened o
  JOIN appraisal.position_cycles c ON c.position = o.position
  JOIN appraisal.periods p ON p.kind = c.cycle AND p.starts_on > o.from_ends_on
  WHERE NOT coalesce(o.probation_ends_on >= p.ends_on, false)
)
SELECT o.employee_id, o.name, o.team, o.position, o.from_period,
       fa.points AS from_points, fa.grade AS from_grade,
       coalesce(fa.failing_streak > 0 OR fa.several_failing, false) AS from_failing,
       coalesce(fa.repeated_failing, false) AS repeated_failing,
       coalesce(fa.several_failing, false) AS several_failing,
       o.deadline, o.target_points,
       coalesce(nx.by_deadline, 0) AS periods_by_deadline,
       nx.period AS next_period, nx.ends_on AS next_ends_on, na.points AS next_points, na.grade AS next_grade,
       CASE WHEN nx.ends_on <= o.deadline AND na.grade = 'insufficient data' THEN 'insufficient data'
            WHEN nx.ends_on <= o.deadline AND na.sufficient_data
            THEN CASE WHEN na.failing_streak = 0 AND na.points >= coalesce(o.target_points, 0) THEN 'met' ELSE 'missed' END
            WHEN t.today <= o.deadline THEN 'open'
            ELSE 'missed' END AS status,
       o.opened_by, o.opened_at, o.note
FROM opened o
CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE prm.report_time_zone)::date AS today
                    FROM appraisal.scorecard_parameters() prm) t
LEFT JOIN overall fa ON fa.employee_id = o.employee_id AND fa.period = o.from_period
LEFT JOIN later nx ON nx.employee_id = o.employee_id AND nx.from_period = o.from_period AND nx.n = 1
LEFT JOIN overall na ON na.employee_id = o.employee_id AND na.period = nx.period;
COMMENT ON VIEW appraisal.improvement_outcomes IS
  'Every improvement period (改善期, appraisal.improvement_periods; docs/rules.md, "Appraisal periods and results") with the failing result that opened it (grade, and the repeated- and several-failing flags of appraisal.overall_appraisal at that period) and its outcome, read off the next cycle''s result: the first appraised period of the position''s cycle after from_period (periods ending in probation left out). status: met (that period ends by the deadline and is graded above the worst band, with target_points if set), missed (graded in the worst band or under target_points, or the deadline passed without such a result), insufficient data (its grade), open (no result by the deadline yet, and the deadline not passed: the day in report_time_zone). Recomputed when read: a result entered late still counts.';

COMMENT ON COLUMN appraisal.improvement_outcomes.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.improvement_outcomes.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.improvement_outcomes.team IS 'Team.';
COMMENT ON COLUMN appraisal.improvement_outcomes."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.improvement_outcomes.from_period IS 'The appraised period whose failing result opened the improvement period.';
COMMENT ON COLUMN appraisal.improvement_outcomes.from_points IS 'Points of that period (overall_appraisal), truncated to 2 decimals; NULL without a result.';
COMMENT ON COLUMN appraisal.improvement_outcomes.from_grade IS 'Grade of that period (overall_appraisal); NULL without a result.';
COMMENT ON COLUMN appraisal.improvement_outcomes.from_failing IS 'Whether that result was failing: graded in the worst band, or several failing results (several_failing) at that period. False for a row entered directly for another reason.';
COMMENT ON COLUMN appraisal.improvement_outcomes.repeated_failing IS 'overall_appraisal.repeated_failing at from_period: failing_repeat (2) or more worst grades in a row.';
COMMENT ON COLUMN appraisal.improvement_outcomes.several_failing IS 'overall_appraisal.several_failing at from_period: several_failing_times (2) or more worst grades among the last several_failing_window (4) appraised periods.';
COMMENT ON COLUMN appraisal.improvement_outcomes.deadline IS 'Last day of the improvement period.';
COMMENT ON COLUMN appraisal.improvement_outcomes.target_points IS 'Points the next result must also reach; NULL: a grade above the worst band is enough.';
COMMENT ON COLUMN appraisal.improvement_outcomes.periods_by_deadline IS 'Appraised periods of the position''s cycle after from_period that end on or before the deadline (in appraisal.periods; probation ones left out).';
COMMENT ON COLUMN appraisal.improvement_outcomes.next_period IS 'The next cycle: the first appraised period after from_period (probation ones left out); NULL while appraisal.periods has none.';
COMMENT ON COLUMN appraisal.improvement_outcomes.next_ends_on IS 'Last day of next_period: it judges the improvement period only if on or before the deadline.';
COMMENT ON COLUMN appraisal.improvement_outcomes.next_points IS 'Points of next_period (overall_appraisal), truncated to 2 decimals; NULL without a result.';
COMMENT ON COLUMN appraisal.improvement_outcomes.next_grade IS 'Grade of next_period (overall_appraisal), or ''insufficient data''; NULL without a result.';
COMMENT ON COLUMN appraisal.improvement_outcomes.status IS 'met, missed, insufficient data or open (see the view''s comment).';
COMMENT ON COLUMN appraisal.improvement_outcomes.opened_by IS 'Who opened it.';
COMMENT ON COLUMN appraisal.improvement_outcomes.opened_at IS 'When it was opened.';
COMMENT ON COLUMN appraisal.improvement_outcomes.note IS 'The plan, or why it was opened.';

-- Opening one checks what the table cannot: the result it follows is
-- failing, and a result could meet the deadline.
CREATE FUNCTION appraisal.open_improvement_period(employee_id text, from_period text, deadline date,
                                                  note text DEFAULT NULL, target_points numeric DEFAULT NULL)
RETURNS appraisal.improvement_periods
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  opened appraisal.improvement_periods;
  r record;
BEGIN
  INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline, target_points, note)
  VALUES (open_improvement_period.employee_id, open_improvement_period.from_period, open_improvement_period.deadline,
          open_improvement_period.target_points, open_improvement_period.note)
  RETURNING * INTO opened;
  SELECT o.grade, o.from_failing, o.next_period, o.next_ends_on INTO r
  FROM (SELECT v.from_grade AS grade, v.from_failing, v.next_period, v.next_ends_on
        FROM appraisal.improvement_outcomes v
        WHERE v.employee_id = opened.employee_id AND v.from_period = opened.from_period) o;
  IF NOT coalesce(r.from_failing, false) THEN
    RAISE EXCEPTION 'employee "%" was not graded failing in period "%" (grade: %)', opened.employee_id, opened.from_period, coalesce(r.grade, 'no result')
      USING ERRCODE = 'check_violation',
            HINT = 'An improvement period follows a failing result: the worst band of the grade scale, or several failing results (appraisal.overall_appraisal). To record one opened for another reason, insert into appraisal.improvement_periods.';
  END IF;
  IF r.next_ends_on > opened.deadline THEN
    RAISE EXCEPTION 'deadline % comes before the end of the next appraised period "%" (%): no result could meet it', opened.deadline, r.next_period, r.next_ends_on
      USING ERRCODE = 'check_violation',
            HINT = format('Give a deadline on or after %s.', r.next_ends_on);
  END IF;
  RETURN opened;
END
$$;
COMMENT ON FUNCTION appraisal.open_improvement_period(text, text, date, text, numeric) IS
  'Opens an improvement period (docs/rules.md, "Appraisal periods and results"): records it in appraisal.improvement_periods and returns it. Refused unless the employee was graded failing in from_period (worst band, or several failing results, in appraisal.overall_appraisal as the caller sees it) and unless the next appraised period, if appraisal.periods has it, ends by the deadline. target_points: points the next result must also reach.';

-- Data health: what makes the scorecards empty, thin or out of
-- date, each with a count, examples and the fix; for appraisal_admin (reads
-- every row as the extension's owner).  After the scorecards, which its
-- checks read in their final form.
-- "a, b, c, d, e and 7 more": the first five examples of a list.
CREATE FUNCTION appraisal.health_examples(examples text[], total bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT array_to_string(examples[1:5], ', ')
         || CASE WHEN total > 5 THEN format(' and %s more', total - 5) ELSE '' END;
END;
COMMENT ON FUNCTION appraisal.health_examples(text[], bigint) IS
  'The first five of a list of examples, comma-separated, followed by "and N more" when total (the length of the whole list) is larger: the examples column of appraisal.data_health.';

-- The checks, given whether every summary was just recomputed from the
-- tables in this transaction (summaries_recomputed: refresh_scorecards,
-- 60, when it has recomputed every summary whole: the first time, with
-- full => true, after a crash).
-- Then the summaries hold what the tables hold, by construction: the days
-- of tickets are read from agent_daily and the tickets are not scanned
-- (they are for the channel/priority pairs only when some metric has no
-- general policy), nor are the summaries compared with the data (at 10M
-- tickets 0.1 s + 1.2 s of a 3.6 s check).  Owner only: called so
-- otherwise, it would pass stale summaries as current.
CREATE FUNCTION appraisal.check_data_health(summaries_recomputed boolean)
RETURNS TABLE (check_name text, severity text, items bigint, problem text, examples text, fix text, description text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
-- (its queries over the scorecard views are large but read small
-- summaries: JIT would spend seconds compiling them, as refresh_scorecards
-- never lets it)
SET jit = off
-- (the groups of the one scan of tickets costed as free to pass up from
-- parallel workers: the planner, which cannot know how many days the
-- tickets fall on, guesses a group per opening instant, and with a large
-- work_mem, as the refresh's, would group every ticket in one process)
SET parallel_tuple_cost = 0
-- (no memoized nested loop over the periods: the checks of the scorecards
-- roll every summary up into every period, and the planner, which takes
-- a period for a tenth of the days when a year holds them all, would look
-- each period's days up through an index, the cache never hit.  After a
-- full refresh, in its own transaction, at 10M tickets: the check 3.6 s
-- against 4.8 s, kpis_without_results 1.9 s against 2.7 s)
SET enable_memoize = off
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  summaries regclass[] := ARRAY['appraisal.agent_daily', 'appraisal.agent_daily_csat', 'appraisal.category_daily',
                                'appraisal.period_ratings', 'appraisal.agent_daily_follow_up']::regclass[];
  unpopulated text[];
  refreshed timestamptz := '-infinity';   -- the last refresh; -infinity when the summaries hold no row
  summarised bigint := 0;                  -- tickets agent_daily counts
  last_refresh timestamptz;                -- as refresh_state says
  t record;                                -- what the one scan of tickets found
  more record;
  not_checked constant text := 'Not checked: the summaries have not been computed (see summaries_not_populated).';
  -- (constants to the queries, as the summaries take them: on Citus the
  -- coordinator's clock, and no zone joined to every ticket on a shard)
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  instant constant timestamptz := now();
BEGIN
  -- the first refresh computes every summary (42: refresh_state)
  SELECT CASE WHEN s.refreshed_at IS NULL THEN summaries::text[] ELSE '{}' END, s.refreshed_at
    INTO unpopulated, last_refresh
    FROM appraisal.refresh_state s;
  IF summaries_recomputed IS NULL THEN
    RAISE EXCEPTION 'summaries_recomputed must be true or false, not NULL'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF summaries_recomputed AND last_refresh IS DISTINCT FROM instant THEN
    RAISE EXCEPTION 'summaries_recomputed is true, but the last refresh was not this transaction''s'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'summaries_recomputed is true for refresh_scorecards() alone, when it has recomputed every summary whole; call appraisal.check_data_health() (the view appraisal.data_health).';
  END IF;
  IF summaries_recomputed THEN
    refreshed := instant;   -- (nothing newer; the scan below counts nothing by it either)
  ELSIF cardinality(unpopulated) = 0 THEN
    SELECT coalesce(greatest((SELECT max(as_of) FROM appraisal.agent_daily), (SELECT max(as_of) FROM appraisal.agent_daily_csat),
                             (SELECT max(as_of) FROM appraisal.category_daily), (SELECT max(as_of) FROM appraisal.period_ratings),
                             (SELECT max(as_of) FROM appraisal.agent_daily_follow_up)), '-infinity'),
           (SELECT coalesce(sum(tickets), 0) FROM appraisal.agent_daily)
      INTO refreshed, summarised;
  END IF;

  check_name := 'summaries_not_populated'; severity := 'empty';
  items := cardinality(unpopulated);
  problem := format('%s of the 5 summaries have never been computed: every scorecard fails with "have not been computed yet"', items);
  examples := appraisal.health_examples(unpopulated, items);
  fix := 'SELECT * FROM appraisal.refresh_scorecards(); then refresh on a schedule (appraisal.schedule_refresh).';
  description := 'The summaries the scorecards read were never computed in this database (a new installation, or after a restore). Until they are, thin_scorecards, suppressed_360_groups and kpis_without_results are not checked.';
  RETURN NEXT;

  -- One scan of tickets, grouped by day, channel and priority (a few
  -- thousand groups): the day as agent_daily reads it, and what happened
  -- between the last refresh and now.  (Run by EXECUTE, as the next one:
  -- PL/pgSQL runs a SELECT ... INTO of its own without parallel workers;
  -- see parallel_tuple_cost above.  At 10M tickets the grouping took 0.9 s
  -- so, 1.8 s in one process.)  With the summaries just recomputed ($4),
  -- the days' tickets are agent_daily's and the tickets are grouped by
  -- channel and priority alone, if some metric has no general policy.
  EXECUTE $query$
    WITH grouped AS MATERIALIZED (
      SELECT appraisal.local_day(k.opened_at, $1) AS day, k.channel, k.priority,
             count(*) FILTER (WHERE k.opened_at <= $2) AS tickets,
             count(*) FILTER (WHERE k.opened_at <= $3) AS by_refresh,
             count(*) FILTER (WHERE k.opened_at > $3 AND k.opened_at <= $2
                                 OR k.first_response_at > $3 AND k.first_response_at <= $2
                                 OR k.resolved_at > $3 AND k.resolved_at <= $2) AS since_refresh
      FROM appraisal.tickets k
      WHERE NOT $4
      GROUP BY 1, 2, 3
    ), days AS (
      SELECT g.day, sum(g.tickets) AS tickets FROM grouped g GROUP BY g.day
      UNION ALL
      SELECT d.day, sum(d.tickets) FROM appraisal.agent_daily d WHERE $4 GROUP BY d.day
    ), uncovered AS (
      SELECT g.day, g.tickets
      FROM days g
      WHERE g.tickets > 0
        AND NOT EXISTS (SELECT 1 FROM appraisal.periods p WHERE g.day BETWEEN p.starts_on AND p.ends_on)
    ), pairs AS (
      SELECT g.channel, g.priority, sum(g.tickets) AS tickets
      FROM grouped g WHERE g.tickets > 0 GROUP BY g.channel, g.priority
      UNION ALL
      SELECT k.channel, k.priority, count(*)
      FROM appraisal.tickets k
      WHERE $4 AND k.opened_at <= $2
        AND NOT (EXISTS (SELECT FROM appraisal.sla_policies sp
                         WHERE sp.metric = 'first_response' AND sp.channel IS NULL AND sp.priority IS NULL)
                 AND EXISTS (SELECT FROM appraisal.sla_policies sp
                             WHERE sp.metric = 'resolution' AND sp.channel IS NULL AND sp.priority IS NULL))
      GROUP BY k.channel, k.priority
    ), defaulted AS (   -- the metrics no policy matches (sla_policy_matrix() gives them the defaults)
      SELECT x.channel, x.priority, x.tickets, string_agg(replace(m.metric, '_', ' '), ' and ' ORDER BY m.metric DESC) AS metrics
      FROM pairs x
      CROSS JOIN (VALUES ('first_response'), ('resolution')) m(metric)
      WHERE NOT EXISTS (SELECT 1 FROM appraisal.sla_policies sp
                        WHERE sp.metric = m.metric AND (sp.channel IS NULL OR sp.channel = x.channel)
                          AND (sp.priority IS NULL OR sp.priority = x.priority))
      GROUP BY x.channel, x.priority, x.tickets
    )
    SELECT (SELECT coalesce(sum(tickets), 0) FROM uncovered) AS uncovered_tickets,
           (SELECT count(*) FROM uncovered) AS uncovered_days,
           (SELECT array_agg(format('%s (tickets %s)', to_char(day, 'YYYY-MM-DD'), tickets) ORDER BY day) FROM uncovered) AS uncovered_examples,
           (SELECT string_agg(format('SELECT appraisal.add_periods(%s);', y), ' ' ORDER BY y)
              FROM (SELECT DISTINCT extract(year FROM day)::integer AS y FROM uncovered) ys) AS uncovered_fix,
           (SELECT count(*) FROM defaulted) AS defaulted_pairs,
           (SELECT coalesce(sum(tickets), 0) FROM defaulted) AS defaulted_tickets,
           (SELECT array_agg(format('%s/%s (tickets %s: %s)', channel, priority, tickets, metrics) ORDER BY channel, priority)
              FROM defaulted) AS defaulted_examples,
           (SELECT coalesce(sum(by_refresh), 0) FROM grouped) AS by_refresh,
           (SELECT coalesce(sum(since_refresh), 0) FROM grouped) AS since_refresh
  $query$
    INTO t
    USING report_zone, instant, refreshed, summaries_recomputed;

  check_name := 'summaries_stale'; severity := 'stale';
  IF cardinality(unpopulated) > 0 THEN
    items := NULL; problem := not_checked; examples := NULL;
  ELSE
    -- (the responses and call-backs are not read at all when the summaries
    -- are as new as now, as in the refresh's own transaction: $1 < $2; nor
    -- the raters when period_ratings was just recomputed: $3)
    EXECUTE $query$
      SELECT (SELECT count(*) FROM appraisal.survey_responses r
               WHERE $1 < $2 AND r.responded_at > $1 AND r.responded_at <= $2) AS responses,
             (SELECT count(*) FROM appraisal.call_backs c
               WHERE $1 < $2 AND c.called_at > $1 AND c.called_at <= $2) AS call_backs,
             -- raters per period, ratee and role: period_ratings against reviews_360
             -- (counted under a scheme without anonymity thresholds: every group)
             CASE WHEN NOT $3 THEN
               abs((SELECT count(*) FROM (SELECT DISTINCT period, ratee_id, rater_id, role FROM appraisal.reviews_360) d)
                   - (SELECT coalesce(sum(appraisal.rater_count(pr.ratings, ro.role, 'superior 1'::appraisal.weight_scheme_spec)), 0)
                        FROM appraisal.period_ratings pr
                        CROSS JOIN unnest(enum_range(NULL::appraisal.rater_role)) ro(role))) ELSE 0 END AS ratings
    $query$
      INTO more
      USING refreshed, instant, summaries_recomputed;
    items := t.since_refresh + abs(t.by_refresh - summarised) + more.responses + more.call_backs + more.ratings;
    problem := format('%s changes to the data are newer than the summaries: the scorecards do not show them yet', items);
    examples := nullif(concat_ws(', ',
      CASE WHEN t.since_refresh > 0 THEN format('tickets opened, answered or resolved since the refresh: %s', t.since_refresh) END,
      CASE WHEN t.by_refresh <> summarised THEN format('tickets loaded with earlier dates or deleted since the refresh: %s', abs(t.by_refresh - summarised)) END,
      CASE WHEN more.responses > 0 THEN format('survey responses since the refresh: %s', more.responses) END,
      CASE WHEN more.call_backs > 0 THEN format('call-backs since the refresh: %s', more.call_backs) END,
      CASE WHEN more.ratings > 0 THEN format('360 raters added or removed since the refresh: %s', more.ratings) END), '');
  END IF;
  fix := 'SELECT * FROM appraisal.refresh_scorecards(); (or wait for the scheduled refresh).';
  description := 'Data the summaries do not reflect: tickets opened, answered or resolved between the last refresh and now; tickets opened before the refresh that the summaries do not count (loaded later with earlier dates) or count but are gone; survey responses and call-backs since the refresh; 360 raters that differ from period_ratings. Changes to SLA policies, calendars, settings or quality inspections since the refresh are not detected: refresh after making them.';
  RETURN NEXT;

  check_name := 'tickets_outside_periods'; severity := 'empty';
  items := t.uncovered_tickets;
  problem := format('%s tickets fall on %s days no period covers: no scorecard counts them', items, t.uncovered_days);
  examples := appraisal.health_examples(t.uncovered_examples, t.uncovered_days);
  fix := coalesce('Add the periods of their years: ' || t.uncovered_fix || ' (with months => true for a monthly appraisal), then refresh.',
                  'SELECT appraisal.add_periods(<year>); adds a year''s periods.');
  description := 'Tickets opened (by now) on a day, in the setting report_time_zone, that no period of appraisal.periods contains: the scorecards roll the daily summaries up into periods, so these tickets are in none, and an agent with only such tickets has no scorecard row at all.';
  RETURN NEXT;

  check_name := 'tickets_without_sla_policy'; severity := 'info';
  items := t.defaulted_pairs;
  problem := format('%s tickets in %s channel/priority pairs match no SLA policy: the defaults apply (first response within 24 hours, resolution within 48 hours, 24x7)',
                    t.defaulted_tickets, items);
  examples := appraisal.health_examples(t.defaulted_examples, items);
  fix := 'Add a policy to appraisal.sla_policies for the channel, the priority, or both (a general one has channel and priority NULL), then refresh; nothing to do if the defaults are meant.';
  description := 'Pairs of ticket channel and priority for which no SLA policy of a metric (first response, resolution) names the channel, the priority or neither: their tickets are judged against the defaults of docs/rules.md, "Complaint handling".';
  RETURN NEXT;

  -- Specialists and supervisors report to someone; a manager may head the chain.
  SELECT count(*), appraisal.health_examples(array_agg(format('%s (%s)', e.employee_id, e.position) ORDER BY e.employee_id), count(*))
    INTO items, examples
    FROM appraisal.employees e
   WHERE e.manager_id IS NULL AND e.position IN ('specialist', 'supervisor');
  check_name := 'employees_without_manager'; severity := 'info';
  problem := format('%s specialists or supervisors have no manager: no one above answers for their tickets (kpi_breakdown pools everyone reporting to a manager)', items);
  fix := 'Set appraisal.employees.manager_id to the direct manager; only the head of the chain (a manager) has none.';
  description := 'Specialists and supervisors without a manager (employees.manager_id NULL): every specialist and supervisor reports to someone, only a manager may head the chain. (Every employee has a team: employees.team is required.)';
  RETURN NEXT;

  -- A rater who is an employee stands where the reporting lines put them:
  -- a superior above the ratee, a subordinate below, a peer neither.
  WITH rated AS (
    SELECT DISTINCT r.period, r.ratee_id, r.rater_id, r.role
    FROM appraisal.reviews_360 r
    WHERE r.role IN ('superior', 'subordinate', 'peer')
      AND EXISTS (SELECT 1 FROM appraisal.employees e WHERE e.employee_id = r.rater_id)
  ), placed AS (
    SELECT d.*,
           EXISTS (SELECT 1 FROM appraisal.reporting_lines l
                   WHERE l.manager_id = d.rater_id AND l.employee_id = d.ratee_id AND l.depth > 0) AS above,
           EXISTS (SELECT 1 FROM appraisal.reporting_lines l
                   WHERE l.manager_id = d.ratee_id AND l.employee_id = d.rater_id AND l.depth > 0) AS below
    FROM rated d
  ), conflicts AS (
    SELECT p.*, CASE p.role WHEN 'superior' THEN 'not above ' || p.ratee_id
                            WHEN 'subordinate' THEN 'not below ' || p.ratee_id
                            ELSE CASE WHEN p.above THEN 'above ' ELSE 'below ' END || p.ratee_id END AS why
    FROM placed p
    WHERE CASE p.role WHEN 'superior' THEN NOT p.above WHEN 'subordinate' THEN NOT p.below ELSE p.above OR p.below END
  )
  SELECT count(*),
         appraisal.health_examples(array_agg(format('%s rates %s in %s as %s, %s', rater_id, ratee_id, period, role, why)
                                             ORDER BY period, ratee_id, rater_id), count(*))
    INTO items, examples
    FROM conflicts;
  check_name := 'rater_role_conflicts'; severity := 'info';
  problem := format('%s 360 raters have a role the reporting lines contradict: their ratings count in that role''s group', items);
  fix := 'Correct appraisal.reviews_360.role (superior: above the ratee in the chain of managers; subordinate: below; peer: neither), or employees.manager_id if the chain is wrong, then refresh.';
  description := '360 ratings whose role disagrees with the chain of managers in appraisal.employees (appraisal.reporting_lines): a superior who is not above the ratee, a subordinate who is not below, a peer who is above or below. Only raters who are employees are checked; self and customer ratings never.';
  RETURN NEXT;

  check_name := 'thin_scorecards'; severity := 'thin';
  IF cardinality(unpopulated) > 0 THEN
    items := NULL; problem := not_checked; examples := NULL;
  ELSE
    WITH scored AS (
      SELECT s.agent_id, s.period, s.tickets, s.responses, p.starts_on, p.ends_on,
             s.tickets < prm.min_tickets OR s.responses < prm.min_responses AS thin, prm.min_tickets, prm.min_responses
      FROM appraisal.agent_summaries s
      JOIN appraisal.periods p ON p.period = s.period
      CROSS JOIN appraisal.scorecard_parameters() prm
    )
    SELECT count(*) FILTER (WHERE thin) AS thin, count(*) AS all_rows,
           appraisal.health_examples(array_agg(format('%s %s (tickets %s, responses %s)', agent_id, period, tickets, responses)
                                               ORDER BY starts_on, ends_on, agent_id) FILTER (WHERE thin),
                                     count(*) FILTER (WHERE thin)) AS examples,
           (SELECT min_tickets FROM appraisal.scorecard_parameters()) AS min_tickets,
           (SELECT min_responses FROM appraisal.scorecard_parameters()) AS min_responses
      INTO more
      FROM scored;
    items := more.thin;
    problem := format('%s of %s agent scorecard rows have fewer than %s tickets or %s survey responses: graded ''insufficient data''',
                      items, more.all_rows, more.min_tickets, more.min_responses);
    examples := more.examples;
  END IF;
  fix := 'Expected early in a period; otherwise check that the agents'' tickets and survey responses are all loaded, or set min_tickets / min_responses lower in appraisal.settings if your volumes are small.';
  description := 'Rows of agent_scorecard (agent and period, every kind of period) with fewer than min_tickets tickets or min_responses survey responses: they are graded ''insufficient data'' and get no targets, flags or measured KPI values (docs/rules.md, "Too little evidence says so").';
  RETURN NEXT;

  check_name := 'suppressed_360_groups'; severity := 'thin';
  IF cardinality(unpopulated) > 0 THEN
    items := NULL; problem := not_checked; examples := NULL;
  ELSE
    SELECT count(*),
           appraisal.health_examples(array_agg(format('%s %s (%s)', s.employee_id, s.period, s.suppressed_groups)
                                               ORDER BY p.starts_on, p.ends_on, s.employee_id), count(*))
      INTO items, examples
      FROM appraisal.scorecard_360 s
      JOIN appraisal.periods p ON p.period = s.period
     WHERE s.suppressed_groups IS NOT NULL;
    problem := format('%s 360 scorecards leave out a rater group with fewer raters than its anonymity threshold: the fallback weights apply', items);
  END IF;
  fix := 'Collect ratings from more raters of those groups (the standard scheme needs 3 peers and 3 subordinates), or accept the fallback weights.';
  description := 'Rows of scorecard_360 with a suppressed group (suppressed_groups): fewer raters than the weight scheme''s anonymity threshold, so the group is left out as if missing and the fixed fallback weights apply (docs/rules.md, "360-degree scores").';
  RETURN NEXT;

  check_name := 'kpis_without_results'; severity := 'thin';
  IF cardinality(unpopulated) > 0 THEN
    items := NULL; problem := not_checked; examples := NULL;
  ELSE
    WITH prm AS (
      SELECT (now() AT TIME ZONE report_time_zone)::date AS today FROM appraisal.scorecard_parameters()
    ), breakdown AS MATERIALIZED (
      SELECT b.employee_id, b.period, b.kpi, b.value FROM appraisal.kpi_breakdown b
    ), appraised AS (   -- ended periods of the position's cycle, outside probation, with something to appraise
      -- (tickets the employee answers for: an agent-day in the period of
      -- someone they answer for, what gives them a row of pooled_summaries
      -- (pooling responsibility), read without rolling up its figures:
      -- at 10M tickets 1.72-1.77 s for this check against 2.00-2.04 s)
      SELECT e.employee_id, e.position, p.period, p.starts_on
      FROM appraisal.employees e
      JOIN appraisal.position_cycles c ON c.position = e.position
      JOIN appraisal.periods p ON p.kind = c.cycle
      CROSS JOIN prm
      WHERE p.ends_on < prm.today AND NOT coalesce(e.probation_ends_on >= p.ends_on, false)
        AND ((e.employee_id, p.period) IN (SELECT employee_id, period FROM breakdown)
             OR (e.employee_id, p.period) IN (SELECT r.manager_id, s.period
                                                FROM (SELECT DISTINCT d.agent_id, q.period
                                                        FROM appraisal.agent_daily d
                                                        JOIN appraisal.periods q ON d.day BETWEEN q.starts_on AND q.ends_on) s
                                                JOIN appraisal.reporting_lines r ON r.employee_id = s.agent_id))
    ), missing AS (
      SELECT a.employee_id, a.period, a.starts_on, d.kpi,
             NOT EXISTS (SELECT 1 FROM breakdown b WHERE b.employee_id = a.employee_id AND b.period = a.period) AS valueless
      FROM appraised a
      JOIN appraisal.kpi_definitions d ON d.position = a.position
      LEFT JOIN breakdown b ON b.employee_id = a.employee_id AND b.period = a.period AND b.kpi = d.kpi
      WHERE b.value IS NULL
    )
    SELECT count(*) AS kpis, count(DISTINCT (employee_id, period)) AS appraisals,
           count(DISTINCT (employee_id, period)) FILTER (WHERE valueless) AS empty,
           appraisal.health_examples(array_agg(format('%s %s %s', employee_id, period, kpi) ORDER BY starts_on, employee_id, kpi),
                                     count(*)) AS examples
      INTO more
      FROM missing;
    items := more.kpis;
    problem := format('%s KPI values are missing in %s appraisals of ended periods (%s of them without any value, so without an overall_appraisal row): graded ''insufficient data''',
                      items, more.appraisals, more.empty);
    examples := more.examples;
  END IF;
  fix := 'Enter the manual KPIs in appraisal.kpi_results for the period of the KPI''s cycle; a KPI measured by the scorecards is missing while its evidence is below min_tickets / min_responses (see thin_scorecards).';
  description := 'KPIs defined for an employee''s position (appraisal.kpi_definitions) without a value in an appraisal of an ended period of the position''s cycle (outside probation) that has something to appraise (a KPI value, or tickets the employee answers for): the overall appraisal is graded ''insufficient data'', and without any value it has no row.';
  RETURN NEXT;

  SELECT count(*),
         appraisal.health_examples(array_agg(format('%s (%s)', v.run_id, v.validity) ORDER BY v.closed_on, v.run_id), count(*))
    INTO items, examples
    FROM appraisal.survey_validity v
   WHERE v.closed AND NOT v.is_valid;
  check_name := 'invalid_survey_runs'; severity := 'thin';
  problem := format('%s closed survey runs are invalid: none of their results counts', items);
  fix := 'Survey more of the customers in scope, or get more valid questionnaires back, in the next run (settings survey_min_coverage_percent, survey_min_valid_percent); a closed run''s results stay flagged.';
  description := 'Closed survey runs (appraisal.survey_validity) sent to too few of the customers in scope, or with too few valid questionnaires back: survey_results shows their results flagged, never counted (docs/rules.md, "Satisfaction survey").';
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION appraisal.check_data_health(boolean) IS
  'The checks of appraisal.check_data_health(); given summaries_recomputed true, in the transaction of refresh_scorecards() after it has recomputed every summary whole from the tables (the first time, with full true, after a crash; refused when the last refresh is not this transaction''s, and NULL refused): the days of tickets read from agent_daily, the summaries not compared with the data. For the extension''s owner, which refresh_scorecards runs as.';
REVOKE ALL ON FUNCTION appraisal.check_data_health(boolean) FROM PUBLIC;

CREATE FUNCTION appraisal.check_data_health()
RETURNS TABLE (check_name text, severity text, items bigint, problem text, examples text, fix text, description text)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM appraisal.check_data_health(false);
END;
COMMENT ON FUNCTION appraisal.check_data_health() IS
  'The checks behind appraisal.data_health, one row per check in a fixed order, with the count found (NULL when not checked); problem and examples are meaningful only when items > 0. For members of appraisal_admin (runs as the extension''s owner: it reads every row).';
REVOKE ALL ON FUNCTION appraisal.check_data_health() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.check_data_health() TO appraisal_admin;

CREATE VIEW appraisal.data_health WITH (security_invoker = true) AS
SELECT h.check_name, h.severity,
       CASE WHEN h.items IS NULL THEN 'not checked' WHEN h.items > 0 THEN 'problem' ELSE 'ok' END AS status,
       h.items,
       CASE WHEN h.items IS NULL OR h.items > 0 THEN h.problem END AS problem,
       CASE WHEN h.items > 0 THEN h.examples END AS examples,
       h.fix, h.description
FROM appraisal.check_data_health() h;
COMMENT ON VIEW appraisal.data_health IS
  'What makes the scorecards empty, thin or out of date (docs/operations.md, "Data health"): one row per check, every check always listed, with its status, how many it found, examples, and the fix. Severity empty: scorecard rows are missing; stale: the summaries are older than the data; thin: rows are graded ''insufficient data'' or computed from less; info: computed, perhaps not as meant. refresh_scorecards() reports the problems it finds too. For members of appraisal_admin: it reads every row, whatever appraisal.scorecard_access says.';
COMMENT ON COLUMN appraisal.data_health.check_name IS 'Stable name of the check: summaries_not_populated, summaries_stale, tickets_outside_periods, tickets_without_sla_policy, employees_without_manager, rater_role_conflicts, thin_scorecards, suppressed_360_groups, kpis_without_results, invalid_survey_runs.';
COMMENT ON COLUMN appraisal.data_health.severity IS 'What the problem does to the scorecards: empty (rows missing), stale (older than the data), thin (graded ''insufficient data'' or computed from less), info (computed, perhaps not as meant).';
COMMENT ON COLUMN appraisal.data_health.status IS 'ok, problem, or not checked (the check reads the summaries, which have not been populated).';
COMMENT ON COLUMN appraisal.data_health.items IS 'How many the check found (the problem says of what: tickets, channel/priority pairs, employees, raters, scorecard rows, KPI values, runs, changes); 0 when ok, NULL when not checked.';
COMMENT ON COLUMN appraisal.data_health.problem IS 'The problem in one sentence, with its numbers and what it does to the scorecards; NULL when ok.';
COMMENT ON COLUMN appraisal.data_health.examples IS 'Up to five examples (days, pairs, employee codes, periods, runs), then how many more; NULL when ok.';
COMMENT ON COLUMN appraisal.data_health.fix IS 'What to do about it.';
COMMENT ON COLUMN appraisal.data_health.description IS 'What the check looks for and why it matters.';
GRANT SELECT ON appraisal.data_health TO appraisal_admin;

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
  extras text;
  g record;
BEGIN
  SELECT string_agg(DISTINCT coalesce('view ' || r.ev_class::regclass::text,
                                       pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid))
                    || ' reads ' || replace(d.refobjid::regclass::text, '_0_4', ''), '; ')
    INTO users_objects
  FROM pg_catalog.pg_depend d
  LEFT JOIN pg_catalog.pg_rewrite r ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND r.oid = d.objid
  WHERE d.refclassid = 'pg_catalog.pg_class'::regclass
    AND d.refobjid IN ('appraisal.agent_daily_0_4'::regclass, 'appraisal.agent_daily_csat_0_4'::regclass, 'appraisal.category_daily_0_4'::regclass)
    AND d.deptype = 'n'
    AND r.ev_class IS DISTINCT FROM d.refobjid;
  IF users_objects IS NOT NULL THEN
    RAISE EXCEPTION 'appraisal 0.5 replaces the materialized views agent_daily, agent_daily_csat and category_daily, which objects outside the extension read: %', users_objects
      USING ERRCODE = 'dependent_objects_still_exist',
            HINT = 'Drop those objects, update the extension, and create them again (the new summaries, now tables, have the same columns and more).';
  END IF;
  SELECT string_agg(format('GRANT %s ON appraisal.%s TO %s', a.privilege_type, replace(c.relname, '_0_4', ''),
                           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END),
                    '; ' ORDER BY c.relname, a.grantee, a.privilege_type)
    INTO grants
  FROM pg_catalog.pg_class c
  CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
  WHERE c.oid IN ('appraisal.agent_daily_0_4'::regclass, 'appraisal.agent_daily_csat_0_4'::regclass)
    AND a.grantee <> c.relowner;
  -- category_daily's grants are carried over: complaint_pareto and
  -- complaint_spikes read it with their reader's rights (docs/operations.md
  -- grants it to the BI role)
  FOR g IN SELECT format('GRANT %s ON appraisal.category_daily TO %s', a.privilege_type,
                         CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END) AS stmt
             FROM pg_catalog.pg_class c
             CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
            WHERE c.oid = 'appraisal.category_daily_0_4'::regclass AND a.grantee <> c.relowner LOOP
    EXECUTE g.stmt;
  END LOOP;
  -- indexes and statistics objects of the user's on them go with them: say
  -- how to make them again on the new summaries
  SELECT string_agg(replace(d, '_0_4', '') || ';', ' ' ORDER BY d)
    INTO extras
  FROM (SELECT pg_catalog.pg_get_indexdef(i.indexrelid) AS d
        FROM pg_catalog.pg_index i
        WHERE i.indrelid IN ('appraisal.agent_daily_0_4'::regclass, 'appraisal.agent_daily_csat_0_4'::regclass, 'appraisal.category_daily_0_4'::regclass)
          AND i.indexrelid NOT IN ('appraisal.agent_daily_0_4_agent_id_day_idx'::regclass,
                                   'appraisal.agent_daily_csat_0_4_agent_id_day_scale_max_idx'::regclass,
                                   'appraisal.category_daily_0_4_category_day_idx'::regclass)
        UNION ALL
        SELECT regexp_replace(pg_catalog.pg_get_statisticsobjdef(x.oid), ' FROM ((agent|category)_daily\w*)$', ' FROM appraisal.\1')
        FROM pg_catalog.pg_statistic_ext x
        WHERE x.stxrelid IN ('appraisal.agent_daily_0_4'::regclass, 'appraisal.agent_daily_csat_0_4'::regclass, 'appraisal.category_daily_0_4'::regclass)) o(d);
  IF extras IS NOT NULL THEN
    RAISE WARNING 'appraisal 0.5 re-creates agent_daily, agent_daily_csat and category_daily (as tables) without your indexes and statistics on them: %', extras
      USING HINT = 'Run these statements again after the update if you still need them.';
  END IF;
  IF grants IS NOT NULL THEN
    RAISE WARNING 'appraisal 0.5 re-creates agent_daily and agent_daily_csat (as tables) without the privileges granted on them: %', grants
      USING HINT = 'The scorecards no longer need them (they read the summaries with their owner''s rights); grant them again only to roles meant to see every agent.';
  END IF;
  -- summaries that were refreshed are computed again (the refresh's
  -- bookkeeping, made at the end, then says so), with the refresh's memory
  -- and without JIT (the settings end with the script)
  PERFORM set_config('work_mem', '256MB', true), set_config('jit', 'off', true);
  IF (SELECT relispopulated FROM pg_catalog.pg_class WHERE oid = 'appraisal.agent_daily_0_4'::regclass) THEN
    INSERT INTO appraisal.agent_daily SELECT * FROM appraisal.agent_daily_rows(NULL, NULL);
    INSERT INTO appraisal.agent_daily_follow_up SELECT * FROM appraisal.agent_daily_follow_up_rows(NULL, NULL);   -- new in 0.5
    INSERT INTO appraisal.agent_daily_csat SELECT * FROM appraisal.agent_daily_csat_rows(NULL, NULL);
    INSERT INTO appraisal.category_daily SELECT * FROM appraisal.category_daily_rows(NULL);
  END IF;
END
$$;
DROP MATERIALIZED VIEW appraisal.agent_daily_0_4, appraisal.agent_daily_csat_0_4, appraisal.category_daily_0_4;

-- What changed since the summaries were computed: every statement that
-- writes a table the summaries read is logged (statement-level triggers),
-- and refresh_scorecards() keeps when time alone next changes a figure; with
-- neither, a refresh has nothing to do.  -infinity: the next refresh
-- computes.
CREATE TABLE appraisal.refresh_log (
  logged_at timestamptz NOT NULL DEFAULT statement_timestamp(),
  source    text NOT NULL,
  operation text NOT NULL CONSTRAINT "operation must be a kind of write" CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
  agents    text[],
  days      date[] CONSTRAINT "agents and days pair up" CHECK (cardinality(days) = cardinality(agents) AND (days IS NULL) = (agents IS NULL)),
  moved     jsonb,
  tickets   text[],
  zone      text,
  id        bigint GENERATED ALWAYS AS IDENTITY,
  before    jsonb
);
-- A load's tickets stored as they are: compressing the million ids of a
-- COPY took a writer 0.7 s, storing them 0.3 s (0.3-0.5 s for the
-- agent-days logged before).  The rows live until the next refresh.
ALTER TABLE appraisal.refresh_log ALTER COLUMN tickets SET STORAGE EXTERNAL;
COMMENT ON TABLE appraisal.refresh_log IS
  'One row per statement that wrote a table the summaries read since the last refresh (statement-level triggers; a statement that changed no row is logged too). refresh_scorecards() deletes the rows its refresh has seen. Written by the triggers with the owner''s rights; read through appraisal.refresh_status. Not dumped: after a restore the summaries are refreshed in full anyway.';
COMMENT ON COLUMN appraisal.refresh_log.logged_at IS 'When the statement started.';
COMMENT ON COLUMN appraisal.refresh_log.source IS 'Table written (schema-qualified).';
COMMENT ON COLUMN appraisal.refresh_log.operation IS 'INSERT, UPDATE, DELETE or TRUNCATE (COPY logs as INSERT).';
COMMENT ON COLUMN appraisal.refresh_log.agents IS 'With days: for tickets updated or deleted, the agent-days (agents[i] on days[i], the day the ticket was opened in the report time zone) of the rows written, before and after; for tickets inserted, survey responses, call-backs and inspections empty (see tickets); NULL: not known per agent-day (a TRUNCATE, a setting, a policy, a calendar, a 360 review, an update or delete of more than 100,000 tickets): every row of the summaries that read the table.';
COMMENT ON COLUMN appraisal.refresh_log.days IS 'The days of those agent-days (see agents).';
COMMENT ON COLUMN appraisal.refresh_log.tickets IS 'For tickets inserted, and for survey responses, call-backs and inspections: the tickets whose rows were written; the refresh finds their agent-days in its own snapshot (a ticket may move to another agent or day meanwhile). For tickets updated: the tickets, whose first events after the refresh it looks up (appraisal.next_summary_change); their agent-days are in agents and days. NULL otherwise.';
COMMENT ON COLUMN appraisal.refresh_log.zone IS 'The report time zone the days were computed in (NULL: no day logged); a row with days logged in another zone than the current one makes the refresh recompute everything.';
COMMENT ON COLUMN appraisal.refresh_log.id IS 'Number of the row in this node''s log (on a Citus cluster the coordinator takes the workers'' rows by their numbers: appraisal.take_node_logs).';
COMMENT ON COLUMN appraisal.refresh_log.before IS 'For tickets updated or deleted (but in a mass update or delete, logged without agent-days): every row as it was before the statement (JSON array of the rows of appraisal.tickets). refresh_scorecards() takes from each ticket''s first logged version what it counted for in agent_daily, and adds what it counts for now. NULL otherwise.';
COMMENT ON COLUMN appraisal.refresh_log.moved IS 'For tickets updated or deleted: the customer, category and opening of each one that went, and of each one that moved (its opening, customer, category, cause or complaint flag changed) before and after (JSON array; NULL when none). The earlier tickets of those customers may now come back differently (agent_daily), and those days'' counts per category have changed (category_daily); an update that moved no ticket leaves category_daily as it was.';

-- One row: the last refresh and when time alone next changes a summary.
-- -infinity: not known (a new installation, an update): refresh.
CREATE TABLE appraisal.refresh_state (
  only_row       boolean PRIMARY KEY DEFAULT true CONSTRAINT "refresh_state has one row" CHECK (only_row),
  refreshed_at   timestamptz,
  next_change_at timestamptz NOT NULL,
  checked_at     timestamptz,
  node_logs_taken jsonb NOT NULL DEFAULT '{}',
  latest_opening timestamptz,
  summary_rows   jsonb NOT NULL DEFAULT '{}'
);
INSERT INTO appraisal.refresh_state (refreshed_at, next_change_at) VALUES (NULL, '-infinity');
-- Everyone may read whether the summaries were computed (the scorecards
-- check that they were: summaries_ready); only the refresh writes it.
GRANT SELECT (refreshed_at) ON appraisal.refresh_state TO PUBLIC;
COMMENT ON TABLE appraisal.refresh_state IS
  'The one row refresh_scorecards() keeps: when the summaries were last computed and the first instant after that at which time alone changes one of their figures (appraisal.next_summary_change). Its refreshed_at is readable by everyone (the scorecards check that the summaries were computed: appraisal.summaries_ready); appraisal.refresh_status tells more.';
COMMENT ON COLUMN appraisal.refresh_state.only_row IS 'Always true: the table has one row.';
COMMENT ON COLUMN appraisal.refresh_state.refreshed_at IS 'The last refresh that recomputed a summary (its transaction''s start: the as_of of the rows it recomputed; a summary it left unchanged keeps an earlier as_of); NULL before the first.';
COMMENT ON COLUMN appraisal.refresh_state.checked_at IS 'When a refresh last checked the data''s health (appraisal.data_health): after a summary recomputed whole, else at most once an hour; NULL before the first.';
COMMENT ON COLUMN appraisal.refresh_state.latest_opening IS 'On one node, the latest opening of a ticket of a customer (system-caused complaints left out) the refresh has seen: a ticket opened later is the last of its customer and category, whose comebacks a changed refresh finds in appraisal.active_tickets (keep_recurred_tickets). NULL before the first refresh, or with no such ticket.';
COMMENT ON COLUMN appraisal.refresh_state.summary_rows IS 'Per summary (its name) the rows it had after the last refresh that recomputed it, as refresh_scorecards() returned them: a changed refresh of agent_daily, agent_daily_csat or agent_daily_follow_up on one node adds the rows it inserted less those it deleted, rather than counting them. {} before the first refresh.';
COMMENT ON COLUMN appraisal.refresh_state.node_logs_taken IS 'On a Citus cluster: per worker (its group id) the numbers of the rows of its refresh_log the last refresh took into the coordinator''s (appraisal.take_node_logs); the next one deletes them there. {} on one node.';
COMMENT ON COLUMN appraisal.refresh_state.next_change_at IS 'First instant after refreshed_at at which time alone changes a summary; infinity: none; -infinity: not known, the next refresh computes.';

CREATE FUNCTION appraisal.log_summary_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO appraisal.refresh_log (source, operation)
  VALUES (appraisal.logged_table(TG_TABLE_SCHEMA, TG_TABLE_NAME), TG_OP);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.log_summary_change() IS
  'Statement-level trigger on the tables the summaries read that are not logged per agent-day (360 reviews, settings, SLA policies, calendars) and on TRUNCATE of the others: logs the statement in appraisal.refresh_log (with the owner''s rights, so that a writer needs no right on the log), for every row to be recomputed.';
REVOKE ALL ON FUNCTION appraisal.log_summary_change() FROM PUBLIC;

-- The agent-days a statement wrote on tickets: those of the rows before and
-- after, in the report time zone as the summaries count them (a change of
-- that setting is logged apart and recomputes everything), and the tickets
-- that went, and those that moved to another customer, category, opening,
-- cause or complaint flag, before and after; an
-- update or delete of more than 100,000 tickets is logged without them
-- (every row is recomputed).
CREATE FUNCTION appraisal.log_ticket_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT report_time_zone FROM appraisal.scorecard_parameters());
  -- the rows of an update or delete, before and after (a delete has only
  -- the old ones; an insert is logged by its tickets alone)
  written constant text := CASE TG_OP WHEN 'UPDATE' THEN 'TABLE new_rows UNION ALL TABLE old_rows'
                                      WHEN 'DELETE' THEN 'TABLE old_rows' END;
  ids text[];
  agents text[];
  days date[];
  moved jsonb;
  before jsonb;
  mass boolean := false;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    EXECUTE 'SELECT count(*) > 100000 FROM old_rows' INTO mass;
  END IF;
  IF TG_OP <> 'DELETE' AND NOT mass THEN
    EXECUTE 'SELECT coalesce(array_agg(w.ticket_id), ''{}'') FROM new_rows w' INTO ids;
  END IF;
  -- a mass update or delete is logged without its agent-days (every row is
  -- recomputed) rather than with a list as long as the statement
  IF TG_OP = 'INSERT' THEN
    agents := '{}';
    days := '{}';
  ELSIF NOT mass THEN
    EXECUTE format('SELECT coalesce(array_agg(k.agent_id), ''{}''), coalesce(array_agg(k.day), ''{}'')
                    FROM (SELECT DISTINCT w.agent_id, appraisal.local_day(w.opened_at, $1) AS day FROM (%s) w) k', written)
      INTO agents, days USING report_zone;
    -- the tickets that went, and both versions of those that moved to
    -- another customer, category, opening, cause or complaint flag
    EXECUTE format('SELECT jsonb_agg(jsonb_build_object(''customer_id'', o.customer_id, ''category'', o.category, ''opened_at'', o.opened_at))
                      FROM (%s) o',
                     CASE TG_OP WHEN 'UPDATE' THEN
                       '(SELECT ticket_id, customer_id, category, opened_at, cause, complaint FROM old_rows
                         EXCEPT SELECT ticket_id, customer_id, category, opened_at, cause, complaint FROM new_rows)
                        UNION ALL
                        (SELECT ticket_id, customer_id, category, opened_at, cause, complaint FROM new_rows
                         EXCEPT SELECT ticket_id, customer_id, category, opened_at, cause, complaint FROM old_rows)'
                       ELSE 'SELECT customer_id, category, opened_at FROM old_rows' END)
      INTO moved;
    -- the rows as they were, whose contributions the refresh takes out
    EXECUTE 'SELECT coalesce(jsonb_agg(to_jsonb(o)), ''[]'') FROM old_rows o' INTO before;
  END IF;
  INSERT INTO appraisal.refresh_log (source, operation, agents, days, moved, tickets, zone, before)
  VALUES ('appraisal.tickets', TG_OP, agents, days, moved, ids, CASE WHEN TG_OP <> 'INSERT' THEN report_zone END, before);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.log_ticket_change() IS
  'Statement-level trigger on appraisal.tickets (with its transition tables): logs in appraisal.refresh_log the tickets inserted or updated, the agent-days of the rows updated or deleted, before and after, those rows as they were, and the tickets that went or moved, with the owner''s rights.';
REVOKE ALL ON FUNCTION appraisal.log_ticket_change() FROM PUBLIC;

-- The tickets whose survey responses, call-backs or inspections a statement
-- wrote; the refresh finds their agent-days in its own snapshot, where a
-- ticket may since have moved to another agent or day.
CREATE FUNCTION appraisal.log_follow_up_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  written constant text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT ticket_id FROM new_rows'
                                      WHEN 'UPDATE' THEN 'SELECT ticket_id FROM new_rows UNION SELECT ticket_id FROM old_rows'
                                      ELSE 'SELECT ticket_id FROM old_rows' END;
  ids text[];
BEGIN
  EXECUTE format('SELECT coalesce(array_agg(DISTINCT w.ticket_id), ''{}'') FROM (%s) w', written) INTO ids;
  INSERT INTO appraisal.refresh_log (source, operation, agents, days, tickets)
  VALUES (appraisal.logged_table(TG_TABLE_SCHEMA, TG_TABLE_NAME), TG_OP, '{}', '{}', ids);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.log_follow_up_change() IS
  'Statement-level trigger on appraisal.survey_responses, call_backs and quality_inspections (with their transition tables): logs in appraisal.refresh_log the tickets whose rows were written, with the owner''s rights.';
REVOKE ALL ON FUNCTION appraisal.log_follow_up_change() FROM PUBLIC;

CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.tickets
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_insert AFTER INSERT ON appraisal.tickets REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_ticket_change();
CREATE TRIGGER log_summary_update AFTER UPDATE ON appraisal.tickets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_ticket_change();
CREATE TRIGGER log_summary_delete AFTER DELETE ON appraisal.tickets REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_ticket_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.survey_responses
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_insert AFTER INSERT ON appraisal.survey_responses REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_update AFTER UPDATE ON appraisal.survey_responses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_delete AFTER DELETE ON appraisal.survey_responses REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.call_backs
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_insert AFTER INSERT ON appraisal.call_backs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_update AFTER UPDATE ON appraisal.call_backs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_delete AFTER DELETE ON appraisal.call_backs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.quality_inspections
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_insert AFTER INSERT ON appraisal.quality_inspections REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_update AFTER UPDATE ON appraisal.quality_inspections REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_delete AFTER DELETE ON appraisal.quality_inspections REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_write AFTER INSERT OR UPDATE OR DELETE ON appraisal.reviews_360
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.reviews_360
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_write AFTER INSERT OR UPDATE OR DELETE ON appraisal.settings
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.settings
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_write AFTER INSERT OR UPDATE OR DELETE ON appraisal.sla_policies
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.sla_policies
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_write AFTER INSERT OR UPDATE OR DELETE ON appraisal.business_calendars
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.business_calendars
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
-- ALWAYS: logged also in a session whose session_replication_role is
-- replica.  (Logical replication's apply worker fires no statement-level
-- trigger for the rows it applies: a subscriber refreshes with full =>
-- true; docs/operations.md.)
ALTER TABLE appraisal.tickets ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.tickets ENABLE ALWAYS TRIGGER log_summary_insert;
ALTER TABLE appraisal.tickets ENABLE ALWAYS TRIGGER log_summary_update;
ALTER TABLE appraisal.tickets ENABLE ALWAYS TRIGGER log_summary_delete;
ALTER TABLE appraisal.survey_responses ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.survey_responses ENABLE ALWAYS TRIGGER log_summary_insert;
ALTER TABLE appraisal.survey_responses ENABLE ALWAYS TRIGGER log_summary_update;
ALTER TABLE appraisal.survey_responses ENABLE ALWAYS TRIGGER log_summary_delete;
ALTER TABLE appraisal.call_backs ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.call_backs ENABLE ALWAYS TRIGGER log_summary_insert;
ALTER TABLE appraisal.call_backs ENABLE ALWAYS TRIGGER log_summary_update;
ALTER TABLE appraisal.call_backs ENABLE ALWAYS TRIGGER log_summary_delete;
ALTER TABLE appraisal.quality_inspections ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.quality_inspections ENABLE ALWAYS TRIGGER log_summary_insert;
ALTER TABLE appraisal.quality_inspections ENABLE ALWAYS TRIGGER log_summary_update;
ALTER TABLE appraisal.quality_inspections ENABLE ALWAYS TRIGGER log_summary_delete;
ALTER TABLE appraisal.reviews_360 ENABLE ALWAYS TRIGGER log_summary_write;
ALTER TABLE appraisal.reviews_360 ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.settings ENABLE ALWAYS TRIGGER log_summary_write;
ALTER TABLE appraisal.settings ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.sla_policies ENABLE ALWAYS TRIGGER log_summary_write;
ALTER TABLE appraisal.sla_policies ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.business_calendars ENABLE ALWAYS TRIGGER log_summary_write;
ALTER TABLE appraisal.business_calendars ENABLE ALWAYS TRIGGER log_summary_change;

-- Which tables each summary reads (through the views and functions it
-- calls too; calendars by their name, at run time) and whether time alone
-- changes it, in the order refresh_scorecards() refreshes them: a summary is
-- recomputed only when one of its tables was written, or its time came.
CREATE FUNCTION appraisal.summary_sources()
RETURNS TABLE (refresh_order integer, summary regclass, sources regclass[], changes_with_time boolean)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT v.refresh_order, v.summary, v.sources, v.changes_with_time
  FROM (VALUES
    (1, 'appraisal.agent_daily'::regclass,
     ARRAY['appraisal.tickets', 'appraisal.settings', 'appraisal.sla_policies', 'appraisal.business_calendars']::regclass[], true),
    (2, 'appraisal.agent_daily_csat'::regclass,
     ARRAY['appraisal.tickets', 'appraisal.survey_responses', 'appraisal.settings']::regclass[], false),
    (3, 'appraisal.category_daily'::regclass,
     ARRAY['appraisal.tickets', 'appraisal.settings']::regclass[], true),
    (4, 'appraisal.period_ratings'::regclass,
     ARRAY['appraisal.reviews_360']::regclass[], false),
    (5, 'appraisal.agent_daily_follow_up'::regclass,
     ARRAY['appraisal.tickets', 'appraisal.call_backs', 'appraisal.survey_responses', 'appraisal.quality_inspections',
           'appraisal.settings']::regclass[], true)
  ) v(refresh_order, summary, sources, changes_with_time)
  ORDER BY v.refresh_order;
END;
COMMENT ON FUNCTION appraisal.summary_sources() IS
  'The summaries in the order refresh_scorecards() refreshes them (refresh_order), each with the tables it reads (directly, or through the views and functions it calls; the shipped setting_definitions aside, which no one writes) and whether time alone changes its figures (appraisal.next_summary_change). A refresh recomputes a summary only when one of its tables was written since the last refresh (appraisal.refresh_log) or, for those that change with time, when that time has come.';

-- Per ticket (its agent and day), the first instant after `after` at which
-- time alone changes a summary's figure for it: every rule of 40 and 41
-- that compares with now().  A ticket counts once opened (opened_at <=
-- now()); an SLA item is finished at its stop, and an unfinished one falls
-- overdue at its due time (sla.c); a ticket is resolved for FCR and the
-- follow-up at resolved_at; a call counts once made; a resolved ticket's
-- call-back is pending while resolved_at + call_back_window >= now(), i.e.
-- until one microsecond after.  An instant too early costs a recomputation
-- that finds the same figures; one too late would leave a figure wrong, so
-- every rule is here.  Without calls, the calls are left out: for tickets
-- whose call-backs and survey responses were not written since the instant
-- kept for them (a call's event depends on it alone); NULL counts them, as
-- the default does (an event left out would be found too late).  Given
-- ticket_rows, the tickets at those addresses (read in this transaction),
-- fetched by them rather than looked up by their ids.
CREATE FUNCTION appraisal.summary_events(after timestamptz, tickets text[] DEFAULT NULL, later timestamptz DEFAULT NULL,
                                         calls boolean DEFAULT true, ticket_rows tid[] DEFAULT NULL)
RETURNS TABLE (agent_id text, day date, at timestamptz, next_at timestamptz)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  call_back_pending_for constant interval :=
    (SELECT s.value::interval + interval '1 microsecond' FROM appraisal.current_settings s WHERE s.name = 'call_back_window');
  -- resolved_at + call_back_pending_for (calendar arithmetic in the
  -- session's time zone) comes at most this long after resolved_at: its
  -- months of 31 days, its days of 24 hours, and 26 hours for the changes
  -- of the UTC offset on the way (from -12:00 to +14:00 at most)
  call_back_reach constant interval := make_interval(secs =>
    extract(epoch FROM call_back_pending_for)
    + 86400 * (12 * extract(year FROM call_back_pending_for) + extract(month FROM call_back_pending_for))
    + 93600);
  policy record;   -- the SLA policies, as agent_daily_rows reads them (40)
  -- a ticket's first event after the instant %1$s: opened, answered,
  -- resolved, its call-back window closed, an open SLA item falling due
  first_event constant text := $e$
    least(CASE WHEN d.opened_at > %1$s THEN d.opened_at END,
          CASE WHEN d.first_response_at > %1$s THEN d.first_response_at END,
          CASE WHEN d.resolved_at > %1$s THEN d.resolved_at END,
          CASE WHEN d.resolved_at + $3 > %1$s THEN d.resolved_at + $3 END,
          CASE WHEN d.opened_at <= %1$s AND (d.answered_at IS NULL OR d.answered_at > %1$s) AND d.first_response_due > %1$s
               THEN d.first_response_due END,
          CASE WHEN d.opened_at <= %1$s AND (d.resolved_at IS NULL OR d.resolved_at > %1$s) AND d.resolution_due > %1$s
               THEN d.resolution_due END) $e$;
BEGIN
  SELECT * INTO policy FROM appraisal.sla_policy_arrays();
  -- $1 after, $2 the tickets (NULL: all), $3 the call-back window and a
  -- microsecond, $4 to $9 the SLA policies, $10 the report time zone, $11
  -- later.  One read of the tickets: the due times of the SLA items not
  -- finished by after computed once, for them alone (their policy joined
  -- from the few policies' arrays: a join, which parallel workers run, where
  -- a subquery per ticket left them all to the leader), and compared with
  -- both instants.  A
  -- ticket opened, answered and resolved by after, its call-back window
  -- closed by then, has no event after it (nor after later): those, nearly
  -- every ticket of a year, are passed over with four comparisons of
  -- timestamps with constants ($12: after less call_back_reach), before any
  -- date arithmetic (at 10M tickets, an hour after the last events: 3.0-3.8 s
  -- instead of 5.3-5.5 s, two alternated rounds).
  RETURN QUERY EXECUTE format($query$
    WITH written AS NOT MATERIALIZED (
      SELECT t.* FROM %5$s
      WHERE (t.opened_at > $1 OR t.first_response_at > $1 OR t.resolved_at IS NULL OR t.resolved_at > $12)
            %1$s
    ), due AS MATERIALIZED (   -- (each due time computed once, not once per use)
      SELECT t.agent_id, t.opened_at, t.first_response_at, t.resolved_at, t.answered_at,
             CASE WHEN m.channel IS NOT NULL AND (t.answered_at IS NULL OR t.answered_at > $1)
                  THEN appraisal.business_due(t.opened_at, m.first_response_target, m.first_response_calendar, t.pauses) END
               AS first_response_due,
             CASE WHEN m.channel IS NOT NULL AND (t.resolved_at IS NULL OR t.resolved_at > $1)
                  THEN appraisal.business_due(t.opened_at, m.resolution_target, m.resolution_calendar, t.pauses) END
               AS resolution_due
      FROM (SELECT t.agent_id, t.opened_at, t.first_response_at, t.resolved_at, t.pauses,
                   coalesce(t.first_response_at, t.resolved_at) AS answered_at,
                   CASE WHEN t.channel = ANY ($4) THEN t.channel ELSE '' END AS channel_key,
                   CASE WHEN t.priority = ANY ($5) THEN t.priority ELSE '' END AS priority_key
              FROM written t) t
      LEFT JOIN unnest($4, $5, $6, $7, $8, $9)
                  m(channel, priority, first_response_target, first_response_calendar, resolution_target, resolution_calendar)
             ON m.channel = t.channel_key AND m.priority = t.priority_key
    ), events AS (
      SELECT d.agent_id, d.opened_at, %2$s AS at, %3$s AS next_at
      FROM due d
      %4$s
    )
    SELECT e.agent_id, appraisal.local_day(e.opened_at, $10), e.at, e.next_at
    FROM events e
    WHERE e.at IS NOT NULL
    $query$,
    CASE WHEN tickets IS NOT NULL AND ticket_rows IS NULL THEN 'AND t.ticket_id = ANY ($2)' ELSE '' END,
    format(first_event, '$1'),
    format(first_event, '$11'),
    CASE WHEN calls IS NOT FALSE THEN format($calls$
      UNION ALL   -- calls made after: call-backs, and survey responses given in one
      SELECT t.agent_id, t.opened_at, c.called_at, CASE WHEN c.called_at > $11 THEN c.called_at END
      FROM (SELECT ticket_id, called_at FROM appraisal.call_backs WHERE called_at > $1 %1$s
            UNION ALL
            SELECT ticket_id, responded_at FROM appraisal.survey_responses WHERE source = 'call_back' AND responded_at > $1 %1$s) c
      JOIN appraisal.tickets t USING (ticket_id) $calls$,
      CASE WHEN tickets IS NOT NULL THEN 'AND ticket_id = ANY ($2)' ELSE '' END) ELSE '' END,
    CASE WHEN ticket_rows IS NULL THEN 'appraisal.tickets t' ELSE 'appraisal.tickets_at($13) t' END)
  USING after, tickets, call_back_pending_for,
        policy.channels, policy.priorities, policy.first_response_targets, policy.first_response_calendars,
        policy.resolution_targets, policy.resolution_calendars, report_zone, later, after - call_back_reach, ticket_rows;
END
$$;
COMMENT ON FUNCTION appraisal.summary_events(timestamptz, text[], timestamptz, boolean, tid[]) IS
  'Per ticket (its agent and the day it was opened, in the report time zone) the first instant after `after` at which time alone changes a summary computed as of `after` (at): a ticket opening, an SLA item finishing or falling overdue at its due time, a ticket resolved, a call made, a call-back window closing; and the first after `later` (next_at; NULL without later, which is no earlier than after). Of every ticket, or of the tickets given (their ids, found through the tables'' keys); with calls false, the calls left out (for tickets whose calls were not written since the instant kept for them; NULL counts them); given ticket_rows (on one node), the tickets at those addresses (ctid, read in this transaction) instead of those with the ids given, whose calls are still those of the ids. The refresh recomputes the agent-days of the events it has reached since the last refresh and keeps the first one still to come, from one read of the tickets (appraisal.refresh_scorecards, appraisal.next_summary_change).';

-- The first of those events after as_of.
CREATE FUNCTION appraisal.next_summary_change(as_of timestamptz, tickets text[] DEFAULT NULL, calls boolean DEFAULT true,
                                              ticket_rows tid[] DEFAULT NULL)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT coalesce(min(e.at), 'infinity') FROM appraisal.summary_events(as_of, tickets, NULL, calls, ticket_rows) e;
END;
COMMENT ON FUNCTION appraisal.next_summary_change(timestamptz, text[], boolean, tid[]) IS
  'The first instant after as_of at which time alone changes a summary computed as of as_of (infinity: never, until the data change; appraisal.summary_events), for every ticket or the tickets given (their ids, or on one node their addresses, ticket_rows; their calls left out with calls false). refresh_scorecards() keeps it in appraisal.refresh_state and refreshes again when it is reached, even if no data changed; after writes alone it takes the earlier of the instant it kept and that of the tickets written.';

-- The earlier tickets whose comeback may have changed with the tickets
-- given (inserted: refresh_log.tickets) or with those that went or moved
-- (refresh_log.moved, before and after): the same customer's tickets of the
-- same category opened no later and resolved no earlier than repeat_window
-- before.  A ticket resolved earlier than that recurred with neither the
-- old next ticket nor the new one (docs/rules.md, "First contact
-- resolution"), one not yet resolved is not counted.  No other write
-- changes a comeback: it depends on the customer, category, cause and
-- opening of the next ticket alone.  Their agent-days, which agent_daily
-- recomputes with those written, on a Citus cluster (on one node the
-- refresh keeps the tickets that recurred instead: keep_recurred_tickets,
-- below).
CREATE FUNCTION appraisal.comeback_agent_days(tickets text[], moved jsonb)
RETURNS TABLE (agent_id text, day date)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  report_zone text;
  repeat_window interval;
  customers text[];   -- with categories and openings: the changed tickets of customers
  categories text[];
  openings timestamptz[];
BEGIN
  SELECT p.report_time_zone, p.repeat_window INTO report_zone, repeat_window FROM appraisal.scorecard_parameters() p;
  -- The changed tickets first, in a query of their own, which the next
  -- one takes as constants: it then plans for as many as there are.
  -- (Planned together, it expected a few and looked every earlier ticket
  -- up in all of them, one after the other: with 60,000 new tickets of
  -- one agent-day at 10M tickets, over two minutes where hashing them
  -- takes 4-6 s.)  EXECUTE, so that it is planned with the arrays' values
  -- on every call: a saved plan for any arrays would guess their length.
  SELECT coalesce(array_agg(c.customer_id), '{}'), coalesce(array_agg(c.category), '{}'), coalesce(array_agg(c.opened_at), '{}')
    INTO customers, categories, openings
    FROM (SELECT t.customer_id, t.category, t.opened_at
            FROM appraisal.tickets t
           WHERE t.customer_id IS NOT NULL
             AND t.ticket_id = ANY (tickets)   -- (through the table's key)
          UNION ALL
          SELECT m.customer_id, m.category, m.opened_at
            FROM jsonb_to_recordset(moved) m(customer_id text, category text, opened_at timestamptz)
           WHERE m.customer_id IS NOT NULL) c;
  -- the same customers' earlier tickets of the same categories, found by
  -- hashing their customers and categories (not every ticket), then paired
  -- with the changed ones (the gap compared as fcr_agg compares it: an
  -- interval, days of 24 hours).  Only a ticket resolved no earlier than
  -- repeat_window before the earliest changed one ($6: the window as that
  -- comparison counts it, in microseconds, not in calendar days, which a
  -- change of summer time makes an hour shorter) can be paired: that
  -- comparison of timestamps first spares the hashing of nearly every
  -- ticket when the changed ones are recent (at 10M tickets, after a day of
  -- new tickets, 1.0-1.1 s instead of 2.4-2.6 s).
  RETURN QUERY EXECUTE $query$
    SELECT DISTINCT p.agent_id, appraisal.local_day(p.opened_at, $4)
    FROM (SELECT p.agent_id, p.customer_id, p.category, p.opened_at, p.resolved_at
            FROM appraisal.tickets p
           WHERE p.resolved_at >= $6
             AND appraisal.pair_in(p.customer_id, p.category, $1, $2)) p
    JOIN unnest($1, $2, $3) c(customer_id, category, opened_at)
      ON c.customer_id = p.customer_id AND c.category = p.category
    WHERE p.opened_at <= c.opened_at AND c.opened_at - p.resolved_at <= $5 $query$
    USING customers, categories, openings, report_zone, repeat_window,
          (SELECT min(o) FROM unnest(openings) o) - make_interval(secs => extract(epoch FROM repeat_window) + 1);
END
$$;
COMMENT ON FUNCTION appraisal.comeback_agent_days(text[], jsonb) IS
  'The agent-days of the tickets whose comeback (FCR recurrence) may have changed with the tickets given (their ids: those inserted, appraisal.refresh_log.tickets) or with the tickets that went or moved (a JSON array of customer_id, category, opened_at, before and after; appraisal.refresh_log.moved): the same customer''s earlier tickets of the same category resolved no earlier than repeat_window before. On a Citus cluster refresh_scorecards() recomputes them in appraisal.agent_daily (on one node it keeps appraisal.recurred_tickets instead: keep_recurred_tickets).';

-- On one node the refresh keeps the tickets that recurred (40:
-- recurred_tickets) instead, and the active tickets with them
-- (active_tickets).  Given customers: for the customers and categories of
-- the tickets written (inserted or updated: refresh_log.tickets) and of
-- those that went or moved (refresh_log.moved, before and after), the
-- entries are computed anew, whole, from those customers' tickets of those
-- categories (the refresh finds them in the read of every ticket it makes
-- for the agent-days it recomputes), and those that came, went or changed
-- are replaced; their active tickets too.  That is exact: a ticket's entry
-- depends on its own resolution and cause and on its customer's tickets of
-- its category alone, and every write that can change either logs the
-- ticket or the move (a cause, customer, category or opening changed, a
-- ticket deleted).  Without customers (NULL): the tickets written (at the
-- addresses ticket_rows) are only tickets opened after the latest opening
-- the refresh has seen (refresh_state.latest_opening), each the last of
-- its customer and category but for the others so written, and active
-- tickets whose resolution alone changed (refresh_scorecards checks it):
-- their entries are computed from the active tickets alone (a pair's
-- last one is now followed by the first of those opened after it; a
-- ticket opened after it by the next of them; a resolution keeps its next
-- ticket), with no read of the customers' tickets.  Only the active tickets written can
-- have an entry then: one opened later was not seen by the last refresh,
-- and a pair's last one has no next ticket.
-- Returns, per agent-day (ticket_id NULL), what the entries that came or
-- went change in agent_daily's FCR, as of now: an entry that came makes
-- its ticket recurred, and no longer resolved at the first contact if it
-- was; one that went, the other way; a changed next ticket changes
-- neither.  (Only the tickets agent_daily counts: opened and resolved by
-- now, and not among those written, whose whole contribution the refresh
-- takes out and adds again.)  For a ticket not written since the last refresh nothing
-- else of it can have changed, so the refresh adds these changes to its
-- agent-day's row, with the agent and contacts the ticket has (read with
-- it, or kept in active_tickets: a write of either is a ticket written).
-- And, of the tickets written, the entry of each one computed that has
-- one now, and each one whose entry went (next_opened_at NULL), in rows
-- of their own (agent_id NULL, ticket_id, next_opened_at): any other
-- ticket written has the entry it had (a ticket inserted, none).  The
-- refresh counts the tickets written as they count now with these
-- (agent_daily_rows given comebacks) instead of looking each one up in
-- recurred_tickets (at 10M tickets, after the bench's change, 34,000
-- look-ups for some hundred entries: the changed refresh took 0.92-1.00 s
-- so, median 0.97 s, against 0.98-1.00 s, median 0.99 s, four alternated
-- rounds of two runs).
CREATE FUNCTION appraisal.keep_recurred_tickets(customers text[], categories text[], ticket_rows tid[], written text[])
RETURNS TABLE (agent_id text, day date, first_contact_change bigint, recurred_change bigint, ticket_id text, next_opened_at timestamptz)
LANGUAGE plpgsql VOLATILE
-- the entries kept of the tickets computed hashed, not both sides sorted
-- by their ids (the planner merges them: at 10M tickets, after the bench's
-- change, 64,000 tickets sorted for 1,500 entries)
SET enable_mergejoin = off
-- its statement planned for the arrays it is given at every call, not
-- generic after five calls in a session (refresh_scorecards, 60, says why)
SET plan_cache_mode = force_custom_plan
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  repeat_window constant interval := (SELECT p.repeat_window FROM appraisal.scorecard_parameters() p);
  latest constant timestamptz := (SELECT s.latest_opening FROM appraisal.refresh_state s);
BEGIN
  IF cardinality(customers) = 0 THEN
    RETURN;
  END IF;
  -- One statement, each step a CTE (the tickets computed anew flow from
  -- one to the next, not through arrays): of the branches for customers
  -- NULL or given, the planner keeps one.
  RETURN QUERY
  WITH written_now AS MATERIALIZED (   -- without customers: the tickets written that are a customer's
    SELECT t.ticket_id, t.customer_id, t.category, t.opened_at, t.resolved_at, t.agent_id, t.contacts
      FROM appraisal.tickets_at(ticket_rows) t   -- (40)
     WHERE customers IS NULL AND t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system'
  ), taken AS (
    -- without customers, out of active_tickets in one scan of it (the
    -- table has no index: a row goes in cheaper without one, 40): the last
    -- active ticket of each customer and category of the tickets written
    -- opened after the latest opening, and the active tickets written, each
    -- row's customer and category, then its id, hashed against those of
    -- the tickets written (a ticket still active goes back in below, with
    -- the others computed; an active ticket written kept its customer and
    -- category, refresh_scorecards checks it, so its id finds it)
    DELETE FROM appraisal.active_tickets a
     WHERE customers IS NULL
       AND (a.next_opened_at IS NULL
            AND (a.customer_id, a.category) IN (SELECT w.customer_id, w.category FROM written_now w WHERE w.opened_at > latest)
            OR a.ticket_id IN (SELECT w.ticket_id FROM written_now w WHERE w.opened_at <= latest))
    RETURNING a.*
  ), found AS (
    -- those opened after the latest opening (origin 0), the active ones
    -- written with their next tickets' openings (1), and the last active
    -- ticket of each customer and category of those opened later, not
    -- written (2)
    SELECT w.*, NULL::timestamptz AS next_opened_at, 0 AS origin
      FROM written_now w
     WHERE w.opened_at > latest
    UNION ALL
    SELECT w.*, a.next_opened_at, 1
      FROM written_now w
      JOIN taken a ON a.ticket_id = w.ticket_id
     WHERE w.opened_at <= latest
    UNION ALL
    SELECT a.ticket_id, a.customer_id, a.category, a.opened_at, a.resolved_at, a.agent_id, a.contacts, a.next_opened_at, 2
      FROM taken a
     WHERE NOT EXISTS (SELECT FROM written_now w WHERE w.ticket_id = a.ticket_id)
  ), computed AS MATERIALIZED (
    -- the tickets whose entries are computed anew, each with its next
    -- ticket's opening: without customers, a pair's last active ticket
    -- followed by the first of those opened later, each of those by the
    -- next of them (a resolution keeps its next ticket); given customers,
    -- every ticket of theirs (from the tickets at the addresses ticket_rows)
    SELECT f.ticket_id, f.customer_id, f.category, f.opened_at, f.resolved_at,
           coalesce(f.next_opened_at,
                    lead(f.opened_at) OVER (PARTITION BY f.customer_id COLLATE "C", f.category COLLATE "C"
                                            ORDER BY f.opened_at, f.ticket_id)) AS next_opened_at,
           f.agent_id, f.contacts, f.origin
      FROM found f
    UNION ALL
    SELECT c.ticket_id, c.customer_id, c.category, c.opened_at, c.resolved_at, c.next_opened_at, c.agent_id, c.contacts, 3
      FROM appraisal.comeback_rows(customers, categories, ticket_rows) c
     WHERE customers IS NOT NULL
  ), latest_seen AS (
    SELECT greatest(latest, max(c.opened_at)) AS at FROM computed c
  ), customers_active_gone AS (
    DELETE FROM appraisal.active_tickets a
     WHERE customers IS NOT NULL AND appraisal.pair_in(a.customer_id, a.category, customers, categories)
  ), active_now AS (
    INSERT INTO appraisal.active_tickets
    SELECT c.ticket_id, c.customer_id, c.category, c.opened_at, c.resolved_at, c.next_opened_at, c.agent_id, c.contacts
      FROM computed c, latest_seen l
     WHERE c.resolved_at IS NULL OR c.next_opened_at IS NULL AND c.resolved_at >= l.at - repeat_window
  ), state AS (
    UPDATE appraisal.refresh_state SET latest_opening = (SELECT l.at FROM latest_seen l)
  ), kept AS MATERIALIZED (   -- their entries (without customers, only active tickets written can have one)
    SELECT r.* FROM appraisal.recurred_tickets r
     WHERE customers IS NULL AND r.ticket_id IN (SELECT c.ticket_id FROM computed c WHERE c.origin = 1)
    UNION ALL
    SELECT r.* FROM appraisal.recurred_tickets r
     WHERE customers IS NOT NULL AND appraisal.pair_in(r.customer_id, r.category, customers, categories)
  ), diff AS MATERIALIZED (   -- the entries that came (+1), went (-1) or changed (0)
    SELECT c.ticket_id, c.recurred, c.customer_id, c.category, c.next_opened_at,
           CASE WHEN k.ticket_id IS NULL THEN 1 WHEN NOT c.recurred THEN -1 ELSE 0 END AS sign,
           c.agent_id, c.opened_at, c.resolved_at, c.contacts
      FROM (SELECT c.*, appraisal.came_back(c.resolved_at, c.next_opened_at, repeat_window) AS recurred FROM computed c) c
      LEFT JOIN kept k ON k.ticket_id = c.ticket_id
     WHERE CASE WHEN k.ticket_id IS NULL THEN c.recurred
                WHEN c.recurred
                THEN (c.customer_id, c.category, c.next_opened_at) IS DISTINCT FROM (k.customer_id, k.category, k.next_opened_at)
                ELSE true END
    UNION ALL   -- the entries of tickets gone
    SELECT k.ticket_id, false, NULL, NULL, NULL, -1, NULL, NULL, NULL, NULL
      FROM kept k
     WHERE NOT EXISTS (SELECT FROM computed c WHERE c.ticket_id = k.ticket_id)
  ), went AS (   -- (each found by its key: a join would hash every entry)
    DELETE FROM appraisal.recurred_tickets r WHERE r.ticket_id = ANY (ARRAY(SELECT d.ticket_id FROM diff d WHERE d.sign < 0))
  ), changed AS (
    UPDATE appraisal.recurred_tickets r
       SET customer_id = d.customer_id, category = d.category, next_opened_at = d.next_opened_at
      FROM diff d
     WHERE r.ticket_id = d.ticket_id AND d.sign = 0
  ), came AS (
    INSERT INTO appraisal.recurred_tickets
    SELECT d.ticket_id, d.customer_id, d.category, d.next_opened_at FROM diff d WHERE d.sign > 0
  ), written_entries AS (   -- the entries of the tickets written computed, and those gone (NULL)
    SELECT c.ticket_id, c.next_opened_at
      FROM computed c
     WHERE c.ticket_id = ANY (written) AND appraisal.came_back(c.resolved_at, c.next_opened_at, repeat_window)
    UNION ALL
    SELECT d.ticket_id, NULL
      FROM diff d
     WHERE d.sign < 0 AND d.ticket_id = ANY (written)
  )
  -- per agent-day, of the tickets agent_daily counts but those written
  SELECT d.agent_id, appraisal.local_day(d.opened_at, report_zone), -sum(d.sign * (d.contacts = 1)::integer), sum(d.sign), NULL, NULL
    FROM diff d
   WHERE d.sign <> 0 AND d.opened_at <= now() AND d.resolved_at <= now() AND d.ticket_id <> ALL (written)
   GROUP BY 1, 2
  UNION ALL   -- and the entries of those written
  SELECT NULL, NULL, NULL, NULL, e.ticket_id, e.next_opened_at FROM written_entries e;
END
$$;
COMMENT ON FUNCTION appraisal.keep_recurred_tickets(text[], text[], tid[], text[]) IS
  'On one node, what refresh_scorecards() does with appraisal.recurred_tickets and appraisal.active_tickets after tickets were written (written: their ids): the entries of the customers[i] and categories[i] given (those of the tickets inserted, updated, gone or moved) computed anew (appraisal.comeback_rows) from the rows of appraisal.tickets at the addresses ticket_rows, which must hold every ticket of those customers and categories (read in this transaction), and those that changed replaced, with their active tickets; with customers NULL, when the tickets written (at the addresses ticket_rows, read in this transaction) are only tickets opened after appraisal.refresh_state.latest_opening and active tickets whose resolution changed, the entries of those and of the active tickets they follow, from the active tickets alone. Moves latest_opening to the latest opening seen. Returns per agent-day what the entries that came or went change in appraisal.agent_daily''s FCR as of now (first_contact_change, recurred_change), counting the tickets opened and resolved by now but those written, whose whole contribution the refresh takes out of their agent-days'' rows and adds again: the refresh adds these to the rows. And, in rows of their own (agent_id NULL: ticket_id, next_opened_at), of the tickets written, the entry of each one computed anew that has one, and each one whose entry went (next_opened_at NULL); any other ticket written keeps the entry it had: the refresh counts the tickets written with these (appraisal.agent_daily_rows given comebacks). For the extension''s owner alone, as refresh_scorecards() runs it: it trusts what it is given, and given too little it would keep wrong entries.';
REVOKE ALL ON FUNCTION appraisal.keep_recurred_tickets(text[], text[], tid[], text[]) FROM PUBLIC;

-- What refresh_scorecards() recomputes of one summary of tickets: whole, or
-- the agent-days (for category_daily the days) asked, from the change log,
-- the agent-days time alone has moved since the last refresh, and for
-- agent_daily the comebacks; for category_daily also the tickets inserted,
-- which it adds to their days' counts (added).  Every row (whole) the first
-- time, after a write not known per agent-day, or for a fifth of a large
-- summary or more.  Without agent_days, whole alone (the rest NULL), for a
-- summary adjusted by the difference each ticket written makes: whole the
-- first time, after a write not known per agent-day, or when a tenth of
-- the tickets or more were written (each costs a recomputation by
-- difference about ten times what it costs in a full one).
-- The refresh's bookkeeping, read with the owner's rights (refresh_log is
-- the owner's): for appraisal_admin, as stale_summaries.
CREATE FUNCTION appraisal.refresh_keys(summary regclass, every_row boolean, time_agents text[], time_days date[],
                                       agent_days boolean DEFAULT true,
                                       OUT whole boolean, OUT agents text[], OUT days date[], OUT added text[])
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  summary_row record;
  -- category_daily adds the tickets inserted to their days' counts (on
  -- one node; on Citus it reads their days again)
  adding constant boolean := refresh_keys.summary = 'appraisal.category_daily'::regclass AND NOT appraisal.distributed();
BEGIN
  SELECT * INTO summary_row FROM appraisal.summary_sources() m WHERE m.summary = refresh_keys.summary;
  IF NOT FOUND OR refresh_keys.summary = 'appraisal.period_ratings'::regclass THEN
    RAISE EXCEPTION 'appraisal.refresh_keys: % is not a summary of tickets', refresh_keys.summary
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The summaries of tickets are appraisal.agent_daily, agent_daily_csat, category_daily and agent_daily_follow_up (appraisal.summary_sources; period_ratings is refreshed whole).';
  END IF;
  whole := refresh_keys.every_row
           OR EXISTS (SELECT FROM appraisal.refresh_log l
                      WHERE to_regclass(l.source) = ANY (summary_row.sources)
                        AND (l.agents IS NULL   -- not known per agent-day
                             -- days of another report time zone (changed since: logged too)
                             OR l.zone IS DISTINCT FROM report_zone AND cardinality(l.days) > 0));
  IF NOT whole AND NOT refresh_keys.agent_days THEN
    whole := (SELECT sum(cardinality(r.tickets)) FROM appraisal.refresh_log r WHERE r.source = 'appraisal.tickets')
             > (SELECT 0.1 * c.reltuples FROM pg_class c WHERE c.oid = 'appraisal.tickets'::regclass AND c.reltuples > 100000);
    whole := coalesce(whole, false);
    RETURN;
  END IF;
  IF NOT whole THEN
    SELECT coalesce(array_agg(k.agent_id), '{}'), coalesce(array_agg(k.day), '{}')
      INTO agents, days
      FROM (SELECT l.agent_id, l.day
              FROM appraisal.refresh_log r, unnest(r.agents, r.days) l(agent_id, day)
             WHERE to_regclass(r.source) = ANY (summary_row.sources)
               AND NOT (refresh_keys.summary = 'appraisal.category_daily'::regclass AND r.source = 'appraisal.tickets' AND r.operation = 'UPDATE')
            UNION   -- category_daily counts tickets by category, opening, complaint and
                    -- cause: of an update, the days of the tickets it moved
                    -- (not those of a late resolution: every day of the year)
            SELECT NULL, appraisal.local_day((x ->> 'opened_at')::timestamptz, report_zone)
              FROM appraisal.refresh_log r, jsonb_array_elements(r.moved) x
             WHERE refresh_keys.summary = 'appraisal.category_daily'::regclass AND r.source = 'appraisal.tickets' AND r.operation = 'UPDATE'
            UNION   -- the tickets inserted, and those of responses, call-backs and
                    -- inspections, where they are now (an update's are its agent-days;
                    -- category_daily adds the tickets inserted, below)
            SELECT t.agent_id, appraisal.local_day(t.opened_at, report_zone)
              FROM appraisal.tickets t
             WHERE t.ticket_id IN (SELECT unnest(r.tickets) FROM appraisal.refresh_log r
                                    WHERE to_regclass(r.source) = ANY (summary_row.sources)
                                      AND NOT (r.source = 'appraisal.tickets'
                                               AND (r.operation = 'UPDATE' OR adding)))
            UNION
            SELECT e.agent_id, e.day FROM unnest(time_agents, time_days) e(agent_id, day)
             WHERE summary_row.changes_with_time) k;
    -- (on one node refresh_scorecards adds those of the tickets whose entry
    -- in recurred_tickets changed: keep_recurred_tickets)
    IF refresh_keys.summary = 'appraisal.agent_daily'::regclass AND appraisal.distributed() THEN
      SELECT coalesce(array_agg(k.agent_id), '{}'), coalesce(array_agg(k.day), '{}')
        INTO agents, days
        FROM (SELECT a.agent_id, a.day FROM unnest(agents, days) a(agent_id, day)
              UNION
              SELECT c.agent_id, c.day
                FROM appraisal.comeback_agent_days(
                       ARRAY(SELECT unnest(r.tickets) FROM appraisal.refresh_log r
                              WHERE r.source = 'appraisal.tickets' AND r.operation = 'INSERT'),
                       (SELECT jsonb_agg(x) FROM appraisal.refresh_log r, jsonb_array_elements(r.moved) x
                         WHERE r.source = 'appraisal.tickets')) c) k;
    END IF;
  END IF;
  IF NOT whole AND adding THEN
    added := ARRAY(SELECT unnest(r.tickets) FROM appraisal.refresh_log r
                    WHERE r.source = 'appraisal.tickets' AND r.operation = 'INSERT');
  END IF;
  -- agent-days for a fifth of a large summary or more: recomputing it
  -- whole reads the tickets as often and writes no more
  IF NOT whole AND refresh_keys.summary <> 'appraisal.category_daily'::regclass THEN
    whole := (SELECT cardinality(agents) > 0.2 * c.reltuples AND c.reltuples > 10000 FROM pg_class c WHERE c.oid = refresh_keys.summary);
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.refresh_keys(regclass, boolean, text[], date[], boolean) IS
  'What refresh_scorecards() recomputes of the summary of tickets given: whole (every_row, a write not known per agent-day, or a fifth of a large summary or more; without agent_days, for a summary adjusted by difference, a tenth of the tickets written or more, and whole alone is returned), else the agent-days agents[i], days[i] (for category_daily the days) logged in appraisal.refresh_log, moved by time (time_agents[i], time_days[i], for a summary that changes with time) and for agent_daily on a Citus cluster whose comebacks changed (comeback_agent_days; on one node refresh_scorecards adds those of keep_recurred_tickets); for category_daily on one node the days of the tickets deleted or moved, and the tickets inserted (added), which it adds to their days'' counts. Reads the change log with the extension owner''s rights (SECURITY DEFINER): for appraisal_admin.';
REVOKE ALL ON FUNCTION appraisal.refresh_keys(regclass, boolean, text[], date[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.refresh_keys(regclass, boolean, text[], date[], boolean) TO appraisal_admin;

-- On a Citus cluster (62_citus.sql) the triggers of the distributed tables
-- fire on their shards, on the workers, and each node logs into its own
-- refresh_log.  The coordinator's refresh takes the workers' rows into its
-- own log (take_node_logs) and notes their numbers, per worker, in
-- refresh_state, in its own transaction; the next refresh deletes them on
-- the workers.  A refresh that fails has deleted nothing it took: the next
-- one takes the same rows again.  (The call on the workers is not part of
-- the refresh's transaction: run_command_on_workers.)

-- On a worker: its log rows (as JSON, with its group id), but those a
-- committed refresh has taken (taken: group id -> row numbers, as
-- refresh_state.node_logs_taken), which are deleted when take is true.
CREATE FUNCTION appraisal.node_log_rows(taken jsonb, take boolean) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  node text;
  done bigint[];
  found jsonb;
BEGIN
  EXECUTE 'SELECT groupid::text FROM pg_catalog.pg_dist_local_group' INTO node;   -- (Citus's catalog)
  IF node = '0' THEN   -- the coordinator's log is the refresh's own
    RAISE EXCEPTION 'appraisal.node_log_rows() runs on the workers of a Citus cluster, not on its coordinator'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'appraisal.node_log() calls it on every worker.';
  END IF;
  done := ARRAY(SELECT jsonb_array_elements_text(coalesce(taken -> node, '[]'))::bigint);
  IF take THEN
    DELETE FROM appraisal.refresh_log l WHERE l.id = ANY (done);
  END IF;
  SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY l.id), '[]') INTO found
    FROM appraisal.refresh_log l
   WHERE NOT l.id = ANY (done);
  RETURN jsonb_build_object('node', node, 'rows', found);
END
$$;
COMMENT ON FUNCTION appraisal.node_log_rows(jsonb, boolean) IS
  'Run on a worker of a Citus cluster by appraisal.node_log: the rows of its appraisal.refresh_log as JSON ({"node": its group id, "rows": [...]}), without those listed for its group in taken (refresh_state.node_logs_taken: rows a committed refresh has taken), which it deletes when take is true; refused on the coordinator. For the extension''s owner (node_log runs it so).';
-- (for the owner alone: node_log, SECURITY DEFINER, connects to the
-- workers as the owner; given another list, it would delete rows no
-- refresh has taken)
REVOKE ALL ON FUNCTION appraisal.node_log_rows(jsonb, boolean) FROM PUBLIC;

-- On the coordinator: the workers' log rows not taken yet (none on one node).
CREATE FUNCTION appraisal.node_log(take boolean)
RETURNS TABLE (node text, id bigint, logged_at timestamptz, source text, operation text, agents text[], days date[],
               moved jsonb, tickets text[], zone text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  worker record;
  found jsonb;
BEGIN
  IF NOT appraisal.distributed() THEN
    RETURN;
  END IF;
  FOR worker IN EXECUTE 'SELECT nodename, nodeport, success, result FROM run_command_on_workers($1)'
                USING format('SELECT appraisal.node_log_rows(%L, %L)',
                             (SELECT s.node_logs_taken FROM appraisal.refresh_state s), take) LOOP
    IF NOT worker.success THEN
      RAISE EXCEPTION 'cannot read the change log of worker %:%', worker.nodename, worker.nodeport
        USING ERRCODE = 'connection_exception', DETAIL = worker.result,
              HINT = 'Every worker must be up, with the appraisal extension of the coordinator''s version (SELECT * FROM citus_check_cluster_node_health()).';
    END IF;
    found := worker.result::jsonb;
    RETURN QUERY
      SELECT found ->> 'node', r.id, r.logged_at, r.source, r.operation, r.agents, r.days, r.moved, r.tickets, r.zone
      FROM jsonb_populate_recordset(NULL::appraisal.refresh_log, found -> 'rows') r;
  END LOOP;
END
$$;
COMMENT ON FUNCTION appraisal.node_log(boolean) IS
  'On a Citus cluster, the rows of the workers'' appraisal.refresh_log that no committed refresh has taken, each with its worker''s group id (node) and its number there; with take true, the rows the last refresh took are deleted on the workers first (appraisal.take_node_logs). No rows on one node. For appraisal_admin (runs as the extension''s owner; refresh_status reads it).';
REVOKE ALL ON FUNCTION appraisal.node_log(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.node_log(boolean) TO appraisal_admin;

-- The refresh's first step on a cluster: the workers' rows into this log.
CREATE FUNCTION appraisal.take_node_logs() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  took jsonb;
  shards_read boolean;
BEGIN
  -- Under REPEATABLE READ or SERIALIZABLE a transaction reads each worker
  -- in the snapshot of its first read there, while the logs are read by
  -- connections of their own, which see every commit: a transaction that
  -- has read the shards already would take as done changes its reads do
  -- not see.  (Under READ COMMITTED each statement reads afresh.)
  IF current_setting('transaction_isolation') <> 'read committed' AND appraisal.distributed() THEN
    EXECUTE 'SELECT (pg_catalog.get_current_transaction_id()).transaction_number <> 0' INTO shards_read;   -- (Citus's)
    IF shards_read THEN
      RAISE EXCEPTION 'on a Citus cluster, a % transaction must refresh the summaries before it reads the shards',
                      upper(current_setting('transaction_isolation'))
        USING ERRCODE = 'invalid_transaction_state',
              DETAIL = 'Its snapshot of the shards may miss changes the workers'' logs already show, which the refresh would take as done.',
              HINT = 'Call refresh_scorecards() first in the transaction, as the pg_cron job does (appraisal.cron_job_command()), or under READ COMMITTED.';
    END IF;
  END IF;
  SELECT coalesce(jsonb_agg(to_jsonb(n)), '[]') INTO took FROM appraisal.node_log(true) n;
  INSERT INTO appraisal.refresh_log (logged_at, source, operation, agents, days, moved, tickets, zone)
  SELECT r.logged_at, r.source, r.operation, r.agents, r.days, r.moved, r.tickets, r.zone
  FROM jsonb_populate_recordset(NULL::appraisal.refresh_log, took) r;
  UPDATE appraisal.refresh_state
     SET node_logs_taken = (SELECT coalesce(jsonb_object_agg(t.node, t.ids), '{}')
                              FROM (SELECT x ->> 'node' AS node, jsonb_agg(x -> 'id') AS ids
                                      FROM jsonb_array_elements(took) x GROUP BY 1) t);
  RETURN jsonb_array_length(took);
END
$$;
COMMENT ON FUNCTION appraisal.take_node_logs() IS
  'On a Citus cluster, what refresh_scorecards() does first: copies the workers'' log rows not taken yet (appraisal.node_log) into the coordinator''s appraisal.refresh_log and notes their numbers in refresh_state.node_logs_taken, in the caller''s transaction; the next call deletes them on the workers. A refresh that fails leaves them to the next. Under REPEATABLE READ or SERIALIZABLE it must come before the transaction reads a shard (else 25000). Returns the rows taken (0 on one node). For appraisal_admin (runs as the extension''s owner).';
REVOKE ALL ON FUNCTION appraisal.take_node_logs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.take_node_logs() TO appraisal_admin;

-- The summaries a refresh at as_of would recompute, in refresh order: all
-- of them before the first refresh or when the next change is not
-- known (a new installation, an update); else those whose tables were
-- written since the last refresh, and those that change with time once
-- next_change_at has come.
CREATE FUNCTION appraisal.stale_summaries(as_of timestamptz) RETURNS regclass[]
LANGUAGE sql VOLATILE PARALLEL UNSAFE   -- (on Citus it reads the workers' logs: node_log)
-- the refresh's bookkeeping is the owner's: refresh_status calls it for
-- appraisal_admin
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  WITH logged AS MATERIALIZED (   -- the tables written, by the log of this node and the workers' (on Citus)
    SELECT DISTINCT to_regclass(l.source) AS source FROM appraisal.refresh_log l
    UNION
    SELECT to_regclass(n.source) FROM appraisal.node_log(false) n
  )
  SELECT coalesce(array_agg(m.summary ORDER BY m.refresh_order), '{}')
  FROM appraisal.summary_sources() m
  CROSS JOIN appraisal.refresh_state s
  WHERE s.next_change_at = '-infinity'
     OR s.refreshed_at IS NULL
     OR (m.changes_with_time AND as_of >= s.next_change_at)
     OR EXISTS (SELECT FROM logged l WHERE l.source = ANY (m.sources));
END;
COMMENT ON FUNCTION appraisal.stale_summaries(timestamptz) IS
  'The summaries refresh_scorecards() would recompute at as_of, in refresh order: every one before the first refresh or while the next change is not known (after an installation or an update); else each whose tables were written since the last refresh (appraisal.refresh_log, and on a Citus cluster the workers'' logs: appraisal.node_log; appraisal.summary_sources) and, once appraisal.refresh_state.next_change_at has come, each that changes with time. Empty: the summaries are what a refresh would compute. Reads the refresh''s bookkeeping with the extension owner''s rights (SECURITY DEFINER): for appraisal_admin, through refresh_scorecards and the view refresh_status.';
REVOKE ALL ON FUNCTION appraisal.stale_summaries(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.stale_summaries(timestamptz) TO appraisal_admin;

CREATE VIEW appraisal.refresh_status WITH (security_invoker = false) AS
WITH pending AS MATERIALIZED (   -- this node's log and, on a Citus cluster, the workers' (node_log)
  SELECT l.logged_at, l.source, l.agents, l.days, l.tickets FROM appraisal.refresh_log l
  UNION ALL
  SELECT n.logged_at, n.source, n.agents, n.days, n.tickets FROM appraisal.node_log(false) n
)
SELECT s.refreshed_at AS last_refresh,
       s.refreshed_at IS NOT NULL AS populated,
       (SELECT count(*) FROM pending) AS changes_pending,
       (SELECT coalesce(string_agg(DISTINCT l.source, ', ' ORDER BY l.source), '') FROM pending l) AS tables_changed,
       (SELECT min(l.logged_at) FROM pending l) AS oldest_change,
       (SELECT count(*) FROM (SELECT k.agent_id, k.day FROM pending l, unnest(l.agents, l.days) k(agent_id, day)
                              UNION
                              SELECT t.agent_id, appraisal.local_day(t.opened_at, p.report_time_zone)
                              FROM appraisal.tickets t, appraisal.scorecard_parameters() p
                              WHERE t.ticket_id IN (SELECT unnest(l.tickets) FROM pending l)) k) AS agent_days_pending,
       EXISTS (SELECT FROM pending l WHERE l.agents IS NULL) AS every_row_pending,
       CASE WHEN isfinite(s.next_change_at) THEN s.next_change_at END AS next_time_change,
       array_to_string(x.stale, ', ') AS stale_summaries,
       cardinality(x.stale) = 0 AS up_to_date
FROM appraisal.refresh_state s
CROSS JOIN LATERAL (SELECT appraisal.stale_summaries(now()) AS stale) x;
COMMENT ON VIEW appraisal.refresh_status IS
  'How fresh the summaries are (docs/operations.md, "Refreshing on a schedule with pg_cron"), with its owner''s rights (the log is the owner''s): the last refresh, whether every summary has been populated, the statements that wrote the tables they read since (pending: the next refresh_scorecards() recomputes), and when time alone next changes a figure. up_to_date says whether the summaries are exactly what a refresh would compute now (refresh_scorecards() then has nothing to do). For appraisal_admin.';
COMMENT ON COLUMN appraisal.refresh_status.last_refresh IS 'When a summary was last recomputed (the as_of of the rows that refresh recomputed; summaries it left unchanged keep an earlier as_of); NULL before the first refresh.';
COMMENT ON COLUMN appraisal.refresh_status.populated IS 'Every summary has been computed at least once (false after an installation or a restore: the scorecards fail until the first refresh).';
COMMENT ON COLUMN appraisal.refresh_status.changes_pending IS 'Statements that wrote the tables the summaries read since the last refresh (0: none); on a Citus cluster, one per shard a statement wrote (the workers'' logs, appraisal.node_log, included).';
COMMENT ON COLUMN appraisal.refresh_status.tables_changed IS 'The tables those statements wrote, comma-separated ('''' when none).';
COMMENT ON COLUMN appraisal.refresh_status.oldest_change IS 'When the oldest of them started: the summaries miss changes since then (NULL: none).';
COMMENT ON COLUMN appraisal.refresh_status.agent_days_pending IS 'Agent-days (an agent and the day tickets were opened) the logged writes touched: their rows are what the next refresh recomputes, besides those time has moved (0: none).';
COMMENT ON COLUMN appraisal.refresh_status.every_row_pending IS 'A logged write not known per agent-day (a setting, a policy, a calendar, a TRUNCATE, a 360 review, a mass update): the next refresh recomputes every row of the summaries that read its table.';
COMMENT ON COLUMN appraisal.refresh_status.next_time_change IS 'First instant after the last refresh at which time alone changes a figure (an SLA item falling overdue, a call-back window closing, ...): the summaries are stale from then on. NULL: no such instant (nothing pending in time), or not known before the first refresh.';
COMMENT ON COLUMN appraisal.refresh_status.stale_summaries IS 'The summaries the next refresh_scorecards() recomputes (appraisal.stale_summaries), comma-separated; '''' when none.';
COMMENT ON COLUMN appraisal.refresh_status.up_to_date IS 'The summaries are what a refresh would compute now: populated, no change pending, next_time_change not reached. False: the next refresh_scorecards() recomputes those in stale_summaries.';
GRANT SELECT ON appraisal.refresh_status TO appraisal_admin;

-- Summaries computed above count as computed when 0.4's were refreshed (a
-- refresh refreshed them all, period_ratings among them): the scorecards
-- read them; the next refresh recomputes everything anyway (next_change_at
-- -infinity).
UPDATE appraisal.refresh_state SET refreshed_at = now()
WHERE EXISTS (SELECT FROM pg_catalog.pg_class WHERE oid = 'appraisal.period_ratings'::regclass AND relispopulated)
  AND (EXISTS (SELECT FROM appraisal.agent_daily) OR NOT EXISTS (SELECT FROM appraisal.tickets));

-- The functions that read tables for the views are never inlined (21:
-- scorecard_parameters): Citus must see the tables a query reads.
ALTER FUNCTION appraisal.scorecard_parameters() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION appraisal.customer_parameters() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION appraisal.customer_value_parameters() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION appraisal.provider_parameters() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION appraisal.provider_rule_parameters() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION appraisal.sla_policy_matrix() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION appraisal.service_targets SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION appraisal.agent_period_summaries() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION appraisal.follow_up_measures SET search_path = pg_catalog, pg_temp;

-- 62: the product on Citus (docs/scaling.md, "Distributing the product").
-- appraisal.distribute(), run once on a Citus coordinator, makes an
-- installation a distributed one, in the layout citus_layout() gives:
--
-- * the tickets and the rows kept per ticket (survey responses, call-backs,
--   quality inspections) distributed by ticket_id and co-located: a ticket's
--   responses, call-backs and inspections are on its shard, so the
--   one-response-per-ticket rule, a ticket's follow-up and the cascades of a
--   deleted ticket never leave a node.  (Not by customer: a ticket need not
--   name one, and Citus needs a value in the distribution column; the rows
--   kept per ticket name the ticket only.)
-- * comeback_staging, the work table of agent_daily_rows (40), distributed
--   by customer_id in no co-location group: the tickets of customers
--   copied there from worker to worker, each customer's on one shard, for
--   the comeback window;
-- * every other table of the extension's data a reference table, copied
--   to every node: people, periods, configuration, customers, providers and
--   their events, appraisal records; small beside the tickets, read by
--   every shard (the SLA policies and calendars an aggregate looks up by
--   name on a worker, the employees a ticket's agent must be);
-- * the summaries, period_ratings and the refresh's bookkeeping stay on the
--   coordinator, where the views read them (recurred_tickets,
--   active_tickets and comebacks_kept too, which only a refresh on one
--   node keeps and uses: not used there).
--
-- Citus would refuse the tables as the extension creates them: their
-- foreign keys join tables it would convert one at a time, their triggers
-- need citus.enable_unsafe_triggers, and the triggers that guard shipped
-- rows refuse the copy of those rows to the new shards.  distribute() drops
-- the foreign keys among the extension's tables (on every node: each
-- worker's CREATE EXTENSION made them too), distributes each table with its
-- row triggers held while its rows are copied, then adds every foreign key
-- back, which Citus enforces on the shards.  One foreign key cannot be
-- kept: from a reference table to a distributed one (an appeal's ticket);
-- a trigger on each side keeps that rule instead (check_appeal_ticket).
--
-- The statement triggers that log the changed agent-days (42) go along
-- with their tables and fire on the shards, each worker logging into its
-- own refresh_log; the coordinator's refresh takes those rows into its log
-- first (42: take_node_logs) and recomputes what changed, as on one node.

-- How each table of the extension's data is distributed by distribute().
CREATE FUNCTION appraisal.citus_layout()
RETURNS TABLE (table_name regclass, placement text, distribution_column name, colocate_with regclass)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  WITH per_ticket(table_name) AS (
    VALUES ('appraisal.tickets'::regclass), ('appraisal.survey_responses'::regclass),
           ('appraisal.call_backs'::regclass), ('appraisal.quality_inspections'::regclass)
  ), on_coordinator(table_name) AS (   -- the summaries and the refresh's bookkeeping
    SELECT m.summary FROM appraisal.summary_sources() m
    UNION ALL
    VALUES ('appraisal.refresh_log'::regclass), ('appraisal.refresh_state'::regclass), ('appraisal.recurred_tickets'::regclass),
           ('appraisal.active_tickets'::regclass), ('appraisal.comebacks_kept'::regclass)
  )
  SELECT c.oid::regclass,
         CASE WHEN c.oid IN (SELECT table_name FROM per_ticket) OR c.oid = 'appraisal.comeback_staging'::regclass
              THEN 'distributed'
              WHEN c.oid IN (SELECT table_name FROM on_coordinator) THEN 'coordinator'
              ELSE 'reference' END,
         CASE WHEN c.oid IN (SELECT table_name FROM per_ticket) THEN 'ticket_id'::name
              WHEN c.oid = 'appraisal.comeback_staging'::regclass THEN 'customer_id'::name END,
         CASE WHEN c.oid IN (SELECT table_name FROM per_ticket) AND c.oid <> 'appraisal.tickets'::regclass
              THEN 'appraisal.tickets'::regclass END
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                             AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e'
  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'appraisal'
  WHERE c.relkind IN ('r', 'm')
  ORDER BY 2, c.oid::regclass::text;
END;
COMMENT ON FUNCTION appraisal.citus_layout() IS
  'How appraisal.distribute() lays the extension''s tables out on a Citus cluster: placement distributed (the tickets and the rows kept per ticket, by ticket_id, co-located with appraisal.tickets), reference (every other table of data, copied to every node) or coordinator (the summaries, period_ratings and the refresh''s bookkeeping, which the views read there).';

-- An appeal's ticket must be a known ticket, and a ticket under appeal
-- cannot go: the foreign key from appeals to tickets, which Citus cannot
-- keep from a reference table to a distributed one.  A ticket's shard
-- checks the appeals (a reference table, on its node); an appeal is checked
-- against the tickets on the coordinator only (a reference table's trigger
-- fires on every node's copy, and a worker may not query the tickets of
-- other nodes from there).
CREATE FUNCTION appraisal.check_appeal_ticket() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME LIKE 'appeals%' THEN
    -- (the copies on the workers take the row the coordinator's checked; a
    -- statement of its own, planned only on the coordinator)
    IF NEW.ticket_id IS NULL OR NOT pg_catalog.citus_is_coordinator() THEN
      RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT FROM appraisal.tickets t WHERE t.ticket_id = NEW.ticket_id) THEN
      RAISE EXCEPTION 'insert or update on table "appeals" violates foreign key constraint "appealed ticket must be a known ticket"'
        USING ERRCODE = 'foreign_key_violation',
              DETAIL = format('Key (ticket_id)=(%s) is not present in table "tickets".', NEW.ticket_id);
    END IF;
    RETURN NEW;
  END IF;
  IF EXISTS (SELECT FROM appraisal.appeals a WHERE a.ticket_id = OLD.ticket_id) THEN
    RAISE EXCEPTION 'update or delete on table "tickets" violates foreign key constraint "appealed ticket must be a known ticket" on table "appeals"'
      USING ERRCODE = 'foreign_key_violation',
            DETAIL = format('Key (ticket_id)=(%s) is still referenced from table "appeals".', OLD.ticket_id);
  END IF;
  RETURN OLD;
END
$$;
COMMENT ON FUNCTION appraisal.check_appeal_ticket() IS
  'Trigger of a distributed installation (appraisal.distribute): the foreign key "appealed ticket must be a known ticket" from appraisal.appeals to appraisal.tickets, which Citus cannot keep from a reference table to a distributed one: an appeal''s ticket must exist, a ticket under appeal cannot be deleted or renumbered.';

CREATE FUNCTION appraisal.distribute(shard_count integer DEFAULT NULL)
RETURNS TABLE (table_name regclass, placement text)
LANGUAGE plpgsql
-- (Citus's notices per table, which suggest the clean-up done here)
SET client_min_messages = warning
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  layout record;
  fk record;
  worker record;
  trig record;
  n bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'appraisal.distribute() needs the citus extension in this database'
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Put citus in shared_preload_libraries on every node, CREATE EXTENSION citus here, add the workers (citus_add_node), then call appraisal.distribute() (docs/scaling.md).';
  END IF;
  IF appraisal.distributed() THEN
    RAISE EXCEPTION 'this installation is distributed already'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'SELECT * FROM appraisal.citus_layout() shows how; citus_tables shows the shards.';
  END IF;
  IF shard_count IS NOT NULL AND shard_count < 1 THEN
    RAISE EXCEPTION 'invalid shard_count %: at least one shard', shard_count
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
  -- the foreign keys to reference tables are added back in the same
  -- transaction that copied the rows: one connection per node
  PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  IF shard_count IS NOT NULL THEN
    PERFORM set_config('citus.shard_count', shard_count::text, true);
  END IF;
  -- The customers' pseudonym key is made now, on the coordinator, and
  -- copied with its table to every node: made on first use by the trigger
  -- of provider_events, which fires on every node's copy, each node would
  -- draw a key of its own and the copies of a customer_key would differ.
  INSERT INTO appraisal.pseudonym_key (key)
  SELECT appraisal.new_pseudonym_key() WHERE NOT EXISTS (SELECT FROM appraisal.pseudonym_key);
  -- the foreign keys among the extension's tables go, on every node
  CREATE TEMP TABLE appraisal_foreign_keys ON COMMIT DROP AS
    SELECT c.conrelid::regclass AS table_name, c.conname, pg_get_constraintdef(c.oid) AS definition
    FROM pg_catalog.pg_constraint c
    WHERE c.contype = 'f'
      AND c.conrelid IN (SELECT l.table_name FROM appraisal.citus_layout() l)
      AND c.confrelid IN (SELECT l.table_name FROM appraisal.citus_layout() l);
  FOR fk IN SELECT * FROM appraisal_foreign_keys LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.table_name, fk.conname);
    EXECUTE 'SELECT count(*) FROM run_command_on_workers($1)'
      USING format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', fk.table_name, fk.conname) INTO n;
  END LOOP;
  FOR layout IN SELECT * FROM appraisal.citus_layout() l WHERE l.placement <> 'coordinator'
                ORDER BY l.placement DESC, l.colocate_with NULLS FIRST, l.table_name::text LOOP
    -- the row triggers are held while the rows are copied to the shards
    -- (those guarding shipped rows would refuse them), then set back as
    -- they were (ALWAYS, REPLICA or plain)
    CREATE TEMP TABLE appraisal_held_triggers ON COMMIT DROP AS
      SELECT t.tgname, t.tgenabled FROM pg_catalog.pg_trigger t
      WHERE t.tgrelid = layout.table_name AND NOT t.tgisinternal AND t.tgenabled <> 'D';
    EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', layout.table_name);
    IF layout.placement = 'reference' THEN
      EXECUTE 'SELECT create_reference_table($1)' USING layout.table_name;
    ELSE
      -- (the tickets start their co-location group; comeback_staging, by
      -- customer, is in none)
      EXECUTE 'SELECT create_distributed_table($1, $2, colocate_with => $3)'
        USING layout.table_name, layout.distribution_column,
              coalesce(layout.colocate_with::text, CASE layout.distribution_column WHEN 'ticket_id' THEN 'default' ELSE 'none' END);
    END IF;
    -- the rows copied to the shards stay behind in the table on the
    -- coordinator, unseen: free their space (the triggers that keep a
    -- history from TRUNCATE still held)
    EXECUTE 'SELECT truncate_local_data_after_distributing_table($1)' USING layout.table_name;
    FOR trig IN SELECT * FROM appraisal_held_triggers LOOP
      EXECUTE format('ALTER TABLE %s ENABLE %s TRIGGER %I', layout.table_name,
                     CASE trig.tgenabled WHEN 'A' THEN 'ALWAYS' WHEN 'R' THEN 'REPLICA' ELSE '' END, trig.tgname);
    END LOOP;
    DROP TABLE appraisal_held_triggers;
  END LOOP;
  -- every foreign key back, enforced by Citus on the shards; the one from
  -- a reference table to a distributed one by triggers
  FOR fk IN SELECT * FROM appraisal_foreign_keys LOOP
    IF fk.table_name = 'appraisal.appeals'::regclass AND fk.definition LIKE '%REFERENCES appraisal.tickets%' THEN
      CONTINUE;
    END IF;
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.table_name, fk.conname, fk.definition);
  END LOOP;
  CREATE TRIGGER check_appeal_ticket BEFORE INSERT OR UPDATE OF ticket_id ON appraisal.appeals
    FOR EACH ROW EXECUTE FUNCTION appraisal.check_appeal_ticket();
  CREATE TRIGGER check_appeal_ticket BEFORE DELETE ON appraisal.tickets
    FOR EACH ROW EXECUTE FUNCTION appraisal.check_appeal_ticket();
  -- the summaries describe the same data as before; from now on the
  -- workers log the writes to the shards (42: take_node_logs)
  FOR worker IN EXECUTE 'SELECT nodename, nodeport, result FROM run_command_on_workers($1) WHERE NOT success'
                 USING 'DELETE FROM appraisal.refresh_log' LOOP
    RAISE EXCEPTION 'cannot empty the change log of worker %:%', worker.nodename, worker.nodeport
      USING ERRCODE = 'connection_exception', DETAIL = worker.result;
  END LOOP;
  UPDATE appraisal.refresh_state SET node_logs_taken = '{}';
  RETURN QUERY SELECT l.table_name, l.placement FROM appraisal.citus_layout() l;
END
$$;
COMMENT ON FUNCTION appraisal.distribute(integer) IS
  'Makes this installation a distributed one on its Citus cluster (run once, on the coordinator, after citus_add_node): the tickets, survey responses, call-backs and quality inspections distributed by ticket_id and co-located (shard_count shards, default citus.shard_count), every other table of data a reference table, the summaries left on the coordinator (appraisal.citus_layout). The extension''s constraints stay enforced, on the shards; its triggers and shipped rows go along, and refresh_scorecards() goes on recomputing only what changed (the workers log the writes to their shards: appraisal.take_node_logs; docs/scaling.md). Returns the layout.';
REVOKE ALL ON FUNCTION appraisal.distribute(integer) FROM PUBLIC;
