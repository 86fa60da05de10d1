-- 56: delivery quality per batch and per project, every rate from counts.
-- Rules: docs/rules.md, "Delivery quality".

-- Counts per batch first; project rows add the counts up, never the rates.
CREATE VIEW appraisal.delivery_quality WITH (security_invoker = true) AS
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
COMMENT ON VIEW appraisal.delivery_quality IS
  'Delivery quality per batch and per project (docs/rules.md, "Delivery quality"), all "within the concentrated delivery cycle": concentrated delivery rate = households delivered within the batch''s window / planned; defect-free delivery rate = households delivered within the window without a valid defect report / households delivered within the window; defects per household = valid defect reports of the households delivered within the window / those households. Households delivered outside the window and their reports are shown apart (delivered_out_of_window, out_of_window_valid_reports) and count in no rate. Project rows add up the batches'' counts; every rate is computed from counts and truncated (percentages to 2 decimals, defects per household to 4).';

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
