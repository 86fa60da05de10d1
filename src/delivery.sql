-- appraisal install script, part 14c: delivery quality (DOMAIN §8).  Projects
-- delivered in batches, each planned for a number of households within a
-- concentrated-delivery window; the households that took delivery; defect
-- reports against them.  The view delivery_quality gives per batch and per
-- project the concentrated delivery rate, the defect-free delivery rate and
-- the defects per household, every one from counts.

CREATE TABLE appraisal.delivery_batches (
  project_id         text NOT NULL,
  batch              integer NOT NULL CONSTRAINT "batch number must be positive" CHECK (batch > 0),
  planned_households integer NOT NULL
                     CONSTRAINT "a batch plans at least one household" CHECK (planned_households > 0),
  window_starts_on   date NOT NULL,
  window_ends_on     date NOT NULL,
  description        text,
  PRIMARY KEY (project_id, batch),
  CONSTRAINT "a delivery window ends on or after its first day" CHECK (window_ends_on >= window_starts_on),
  CONSTRAINT "delivery window dates must be finite" CHECK (isfinite(window_starts_on) AND isfinite(window_ends_on))
);
COMMENT ON TABLE appraisal.delivery_batches IS
  'Delivery batches of a project (DOMAIN §8): how many households the batch plans to deliver to, and the concentrated-delivery window they should take delivery in.';
COMMENT ON COLUMN appraisal.delivery_batches.project_id IS 'Project (a housing estate, a dealer''s order) delivered in batches.';
COMMENT ON COLUMN appraisal.delivery_batches.batch IS 'Batch number within the project, from 1.';
COMMENT ON COLUMN appraisal.delivery_batches.planned_households IS 'Households the batch plans to deliver to: the whole of the concentrated delivery rate.';
COMMENT ON COLUMN appraisal.delivery_batches.window_starts_on IS 'First day of the concentrated-delivery window.';
COMMENT ON COLUMN appraisal.delivery_batches.window_ends_on IS 'Last day of the concentrated-delivery window (inclusive).';
COMMENT ON COLUMN appraisal.delivery_batches.description IS 'What the batch is, for readers.';

CREATE TABLE appraisal.deliveries (
  project_id   text NOT NULL,
  batch        integer NOT NULL,
  household_id text NOT NULL,
  delivered_on date NOT NULL CONSTRAINT "delivery date must be finite" CHECK (isfinite(delivered_on)),
  CONSTRAINT "a household takes delivery once in a batch" PRIMARY KEY (project_id, batch, household_id),
  CONSTRAINT "delivery must belong to a known batch" FOREIGN KEY (project_id, batch)
    REFERENCES appraisal.delivery_batches ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE appraisal.deliveries IS
  'Households that took delivery, one row each, with the day they did.';
COMMENT ON COLUMN appraisal.deliveries.project_id IS 'Project.';
COMMENT ON COLUMN appraisal.deliveries.batch IS 'Batch (appraisal.delivery_batches).';
COMMENT ON COLUMN appraisal.deliveries.household_id IS 'Household (a flat, an address) that took delivery.';
COMMENT ON COLUMN appraisal.deliveries.delivered_on IS 'Day the household took delivery; within the batch''s window it counts towards the concentrated delivery rate.';

CREATE TABLE appraisal.defect_reports (
  report_id    text PRIMARY KEY,
  project_id   text NOT NULL,
  batch        integer NOT NULL,
  household_id text NOT NULL,
  reported_on  date NOT NULL CONSTRAINT "report date must be finite" CHECK (isfinite(reported_on)),
  valid        boolean NOT NULL DEFAULT true,
  description  text,
  CONSTRAINT "a defect report is about a household that took delivery" FOREIGN KEY (project_id, batch, household_id)
    REFERENCES appraisal.deliveries ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE appraisal.defect_reports IS
  'Defect reports and complaints about a delivered household. valid = false marks a report found groundless on inspection: it is kept but not counted.';
COMMENT ON COLUMN appraisal.defect_reports.report_id IS 'Report identifier (e.g. the complaint or inspection number).';
COMMENT ON COLUMN appraisal.defect_reports.project_id IS 'Project.';
COMMENT ON COLUMN appraisal.defect_reports.batch IS 'Batch.';
COMMENT ON COLUMN appraisal.defect_reports.household_id IS 'Household reporting (appraisal.deliveries).';
COMMENT ON COLUMN appraisal.defect_reports.reported_on IS 'Day of the report.';
COMMENT ON COLUMN appraisal.defect_reports.valid IS 'False when inspection found the report groundless: not counted.';
COMMENT ON COLUMN appraisal.defect_reports.description IS 'What was reported.';
CREATE INDEX ON appraisal.defect_reports (project_id, batch, household_id);

SELECT pg_catalog.pg_extension_config_dump('appraisal.delivery_batches', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.deliveries', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.defect_reports', '');

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
  'Delivery quality per batch and per project (DOMAIN §8): concentrated delivery rate = households delivered within the batch''s window / planned; defect-free delivery rate = delivered households without a valid defect report / delivered; defects per household = valid defect reports / delivered households. A household delivered outside the window still took delivery: it counts for the defect rates, not for the concentrated rate. Project rows add up the batches'' counts; every rate is computed from counts and truncated (percentages to 2 decimals, defects per household to 4).';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('project_id', 'Project.'),
    ('batch', 'Batch; NULL on a project''s total row.'),
    ('level', 'batch, or project for the project''s total over its batches.'),
    ('planned_households', 'Households planned (appraisal.delivery_batches).'),
    ('delivered_households', 'Households that took delivery, in or outside the window.'),
    ('delivered_in_window', 'Households that took delivery within the batch''s concentrated-delivery window.'),
    ('concentrated_delivery_rate', '100 * delivered_in_window / planned_households, truncated to two decimals.'),
    ('households_with_valid_defect', 'Delivered households with at least one valid defect report.'),
    ('defect_free_households', 'Delivered households without a valid defect report.'),
    ('defect_free_delivery_rate', '100 * defect_free_households / delivered_households, truncated to two decimals; NULL when nothing was delivered.'),
    ('valid_defect_reports', 'Valid defect reports (appraisal.defect_reports.valid) of the delivered households.'),
    ('defects_per_household', 'valid_defect_reports / delivered_households, truncated to four decimals; NULL when nothing was delivered.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.delivery_quality.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;
