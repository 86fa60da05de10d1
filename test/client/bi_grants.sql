-- test/client/bi_grants.sql: the grants of a read-only BI role (Metabase), as
-- docs/operations.md ("Pointing Metabase (or any BI tool) at the views")
-- gives them; test/cluster/client.sh grants exactly these to a fresh LOGIN
-- role and reads every view as it.
--   psql -v role=metabase -v db=your_database -f bi_grants.sql
-- The views are security_invoker (but scorecard_360): the reader needs
-- SELECT on the views and on what they read (the summaries, people,
-- periods, settings and KPIs).
-- setting_definitions, business_calendars, grade_scale, weight_scheme,
-- item_scale, survey_questionnaires and survey_items are
-- readable by PUBLIC already.  Left out on purpose: the raw tickets
-- (customer ids), survey_responses, call_backs, quality_inspections (who
-- inspected whom, and their notes), reviews_360 (who rated whom) and
-- period_ratings (each rater group's count and sum: scorecard_360 reads it
-- with its owner's rights and shows a group only from its anonymity
-- threshold on), sla_policies, and the phone and address columns of
-- provider_events.
GRANT CONNECT ON DATABASE :"db" TO :"role";
GRANT USAGE ON SCHEMA appraisal TO :"role";
GRANT SELECT ON appraisal.agent_scorecard, appraisal.team_scorecard, appraisal.scorecard_360,
                appraisal.kpi_breakdown, appraisal.overall_appraisal, appraisal.annual_results, appraisal.kpi_weight_warnings,
                appraisal.complaint_pareto, appraisal.complaint_spikes, appraisal.reporting_lines,
                appraisal.current_settings, appraisal.customer_scorecard,
                appraisal.survey_validity, appraisal.survey_results, appraisal.customer_survey_status,
                appraisal.customer_survey_points, appraisal.delivery_quality, appraisal.penalty_ledger,
                appraisal.provider_scorecard, appraisal.kpi_appeals, appraisal.attribution_appeals,
                appraisal.published_appraisal, appraisal.published_differences,
                appraisal.improvement_outcomes,
                appraisal.delivery_readiness, appraisal.customer_credit_ratings, appraisal.survey_follow_up,
                appraisal.customer_value_tiers
  TO :"role";
GRANT SELECT ON appraisal.category_daily,
                appraisal.employees, appraisal.periods, appraisal.settings,
                appraisal.kpi_definitions, appraisal.kpi_results,
                appraisal.customers, appraisal.customer_figures, appraisal.customer_credit,
                appraisal.survey_runs, appraisal.customer_surveys, appraisal.customer_survey_answers,
                appraisal.delivery_batches, appraisal.deliveries, appraisal.defect_reports, appraisal.providers
  TO :"role";
-- provider_events without the customers' phone and address: the ledger
-- matches customers on the pseudonymous customer_key
GRANT SELECT (event_id, provider_id, rule_id, occurred_at, order_id, source, about_service, note, customer_key)
  ON appraisal.provider_events TO :"role";
-- the providers' orders, standing and sales companies (the invoker views
-- read the tables; sales_company_scorecard runs with its owner's rights)
GRANT SELECT ON appraisal.provider_order_ledger, appraisal.provider_status, appraisal.disqualification_candidates,
                appraisal.sales_company_scorecard,
                appraisal.provider_orders, appraisal.provider_status_history, appraisal.sales_companies,
                appraisal.sales_company_feedback
  TO :"role";
