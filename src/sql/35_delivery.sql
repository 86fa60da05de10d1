-- 35: project delivery: batches planned for a number of households within
-- a concentrated-delivery window, the households that took delivery, and
-- defect reports against them.  Rules: docs/rules.md, "Delivery quality".

CREATE TABLE appraisal.delivery_batches (
  project_id         text NOT NULL,
  batch              integer NOT NULL CONSTRAINT "batch number must be positive" CHECK (batch > 0),
  planned_households integer NOT NULL
                     CONSTRAINT "a batch plans at least one household" CHECK (planned_households > 0),
  window_starts_on   date NOT NULL,
  window_ends_on     date NOT NULL,
  description        text,
  rectification_done_on date CONSTRAINT "rectification date must be finite" CHECK (isfinite(rectification_done_on)),
  property_takeover_on   date CONSTRAINT "property takeover date must be finite" CHECK (isfinite(property_takeover_on)),
  PRIMARY KEY (project_id, batch),
  CONSTRAINT "a delivery window ends on or after its first day" CHECK (window_ends_on >= window_starts_on),
  CONSTRAINT "delivery window dates must be finite" CHECK (isfinite(window_starts_on) AND isfinite(window_ends_on))
);
COMMENT ON TABLE appraisal.delivery_batches IS
  'Delivery batches of a project (docs/rules.md, "Delivery quality"): how many households the batch plans to deliver to, and the concentrated-delivery window they should take delivery in.';
COMMENT ON COLUMN appraisal.delivery_batches.project_id IS 'Project (a housing estate, a dealer''s order) delivered in batches.';
COMMENT ON COLUMN appraisal.delivery_batches.batch IS 'Batch number within the project, from 1.';
COMMENT ON COLUMN appraisal.delivery_batches.planned_households IS 'Households the batch plans to deliver to: the whole of the concentrated delivery rate.';
COMMENT ON COLUMN appraisal.delivery_batches.window_starts_on IS 'First day of the concentrated-delivery window.';
COMMENT ON COLUMN appraisal.delivery_batches.window_ends_on IS 'Last day of the concentrated-delivery window (inclusive).';
COMMENT ON COLUMN appraisal.delivery_batches.description IS 'What the batch is, for readers.';
COMMENT ON COLUMN appraisal.delivery_batches.rectification_done_on IS 'Day the pre-delivery inspection and rectification finished; due 30 days before handover (window_starts_on) at the latest (docs/rules.md, "Delivery quality"; appraisal.delivery_readiness). NULL: not recorded yet.';
COMMENT ON COLUMN appraisal.delivery_batches.property_takeover_on IS 'Day the property management took the batch over; due within the month before handover (window_starts_on - 1 month to the day before; appraisal.delivery_readiness). NULL: not recorded yet.';

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
