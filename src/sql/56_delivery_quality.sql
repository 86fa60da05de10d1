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
  SELECT b.project_id, b.batch, b.planned_households::bigint AS planned,
         count(h.household_id) AS delivered,
         count(h.household_id) FILTER (WHERE h.in_window) AS delivered_in_window,
         count(h.household_id) FILTER (WHERE h.valid_reports > 0) AS with_defect,
         coalesce(sum(h.valid_reports), 0)::bigint AS valid_reports
  FROM appraisal.delivery_batches b
  LEFT JOIN households h USING (project_id, batch)
  GROUP BY b.project_id, b.batch, b.planned_households
), levels AS (
  SELECT project_id, batch, CASE WHEN GROUPING(batch) = 1 THEN 'project' ELSE 'batch' END AS level,
         sum(planned)::bigint AS planned, sum(delivered)::bigint AS delivered,
         sum(delivered_in_window)::bigint AS delivered_in_window,
         sum(with_defect)::bigint AS with_defect, sum(valid_reports)::bigint AS valid_reports
  FROM batches
  GROUP BY GROUPING SETS ((project_id, batch), (project_id))
)
SELECT project_id, batch, level,
       planned AS planned_households, delivered AS delivered_households, delivered_in_window,
       appraisal.share_percent(delivered_in_window, planned) AS concentrated_delivery_rate,
       with_defect AS households_with_valid_defect,
       delivered - with_defect AS defect_free_households,
       appraisal.share_percent(delivered - with_defect, delivered) AS defect_free_delivery_rate,
       valid_reports AS valid_defect_reports,
       CASE WHEN delivered > 0 THEN div(10000 * valid_reports::numeric, delivered) * 0.0001 END AS defects_per_household
FROM levels;
COMMENT ON VIEW appraisal.delivery_quality IS
  'Delivery quality per batch and per project (docs/rules.md, "Delivery quality"): concentrated delivery rate = households delivered within the batch''s window / planned; defect-free delivery rate = delivered households without a valid defect report / delivered; defects per household = valid defect reports / delivered households. A household delivered outside the window still took delivery: it counts for the defect rates, not for the concentrated rate. Project rows add up the batches'' counts; every rate is computed from counts and truncated (percentages to 2 decimals, defects per household to 4).';

COMMENT ON COLUMN appraisal.delivery_quality.project_id IS 'Project.';
COMMENT ON COLUMN appraisal.delivery_quality.batch IS 'Batch; NULL on a project''s total row.';
COMMENT ON COLUMN appraisal.delivery_quality.level IS 'batch, or project for the project''s total over its batches.';
COMMENT ON COLUMN appraisal.delivery_quality.planned_households IS 'Households planned (appraisal.delivery_batches).';
COMMENT ON COLUMN appraisal.delivery_quality.delivered_households IS 'Households that took delivery, in or outside the window.';
COMMENT ON COLUMN appraisal.delivery_quality.delivered_in_window IS 'Households that took delivery within the batch''s concentrated-delivery window.';
COMMENT ON COLUMN appraisal.delivery_quality.concentrated_delivery_rate IS '100 * delivered_in_window / planned_households, truncated to two decimals.';
COMMENT ON COLUMN appraisal.delivery_quality.households_with_valid_defect IS 'Delivered households with at least one valid defect report.';
COMMENT ON COLUMN appraisal.delivery_quality.defect_free_households IS 'Delivered households without a valid defect report.';
COMMENT ON COLUMN appraisal.delivery_quality.defect_free_delivery_rate IS '100 * defect_free_households / delivered_households, truncated to two decimals; NULL when nothing was delivered.';
COMMENT ON COLUMN appraisal.delivery_quality.valid_defect_reports IS 'Valid defect reports (appraisal.defect_reports.valid) of the delivered households.';
COMMENT ON COLUMN appraisal.delivery_quality.defects_per_household IS 'valid_defect_reports / delivered_households, truncated to four decimals; NULL when nothing was delivered.';
