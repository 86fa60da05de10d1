-- Delivery quality (docs/rules.md, "Delivery quality") on a small fixed data set, every figure
-- computed by hand in the comments: concentrated delivery rate, defect-free
-- delivery rate and defects per household per batch and per project, a
-- batch with nothing delivered, and the rows the constraints reject.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql

INSERT INTO appraisal.delivery_batches (project_id, batch, planned_households, window_starts_on, window_ends_on) VALUES
  ('P1', 1, 4, '2026-03-01', '2026-03-15'),
  ('P1', 2, 3, '2026-04-01', '2026-04-10'),
  ('P1', 3, 5, '2026-05-01', '2026-05-10'),   -- nothing delivered yet
  ('P2', 1, 3, '2026-03-01', '2026-03-31');
INSERT INTO appraisal.deliveries (project_id, batch, household_id, delivered_on) VALUES
  -- P1 batch 1: H1 on the first day and H2 on the last day of the window, H3 after it; H4 not delivered
  ('P1', 1, 'H1', '2026-03-01'), ('P1', 1, 'H2', '2026-03-15'), ('P1', 1, 'H3', '2026-03-16'),
  -- P1 batch 2: all three in the window
  ('P1', 2, 'H5', '2026-04-02'), ('P1', 2, 'H6', '2026-04-03'), ('P1', 2, 'H7', '2026-04-10'),
  -- P2 batch 1: one a day early
  ('P2', 1, 'H1', '2026-02-28'), ('P2', 1, 'H2', '2026-03-02'), ('P2', 1, 'H3', '2026-03-03');
INSERT INTO appraisal.defect_reports (report_id, project_id, batch, household_id, reported_on, valid) VALUES
  ('D1', 'P1', 1, 'H1', '2026-03-05', true),
  ('D2', 'P1', 1, 'H1', '2026-03-20', true),    -- H1's second valid report
  ('D3', 'P1', 1, 'H2', '2026-03-21', false),   -- groundless: not counted
  ('D4', 'P1', 1, 'H3', '2026-03-22', true),    -- H3 was delivered late: still counts
  ('D5', 'P1', 2, 'H6', '2026-04-12', true),
  ('D6', 'P2', 1, 'H2', '2026-03-10', false);

-- The defect figures count the households delivered within the
-- concentrated delivery cycle only; the others are shown apart.
-- P1 batch 1: planned 4, delivered 3 (H1, H2, H3), in window 2 (H1, H2)
--   concentrated 2 / 4 = 50.00; of H1, H2 with a valid defect H1 (H2's D3 is
--   groundless) -> defect-free 1 of 2 = 50.00 (counting H3, delivered late,
--   would give 1 of 3 = 33.33); valid reports D1, D2 = 2 -> 2 / 2 = 1.0000;
--   out of window 1 (H3) with 1 valid report (D4)
-- P1 batch 2: planned 3, delivered 3, in window 3 -> 100.00; defect H6 -> 2 / 3
--   = 66.66; 1 report / 3 = 0.3333; none outside
-- P1 batch 3: planned 5, nothing delivered -> concentrated 0.00, the others NULL
-- P1 total: planned 4 + 3 + 5 = 12, delivered 6, in window 5 -> 5 / 12 = 41.66
--   (not the mean of 50, 100 and 0); with defect H1, H6 = 2 -> defect-free
--   3 / 5 = 60.00; reports 3 / 5 = 0.6000; out of window 1, 1 report
-- P2 batch 1 (= total): planned 3, delivered 3, in window 2 (H1 came a day
--   early) -> 66.66; D6 invalid -> defect-free 2 / 2 = 100.00; 0 reports ->
--   0.0000; out of window 1 (H1), no report
SELECT project_id, batch, level, planned_households, delivered_households, delivered_in_window,
       concentrated_delivery_rate, households_with_valid_defect, defect_free_households,
       defect_free_delivery_rate, valid_defect_reports, defects_per_household,
       delivered_out_of_window, out_of_window_valid_reports
FROM appraisal.delivery_quality ORDER BY project_id, batch NULLS LAST;

-- the rates move with the data: H4 delivered in the window -> batch 1 in
-- window 3 / 4 = 75.00, defect-free 2 / 3 = 66.66, defects 2 / 3 = 0.6666; the
-- project 6 / 12 = 50.00, defect-free 4 / 6 = 66.66, defects 3 / 6 = 0.5000
INSERT INTO appraisal.deliveries VALUES ('P1', 1, 'H4', '2026-03-10');
SELECT batch, concentrated_delivery_rate, defect_free_delivery_rate, defects_per_household
FROM appraisal.delivery_quality WHERE project_id = 'P1' AND (batch = 1 OR batch IS NULL) ORDER BY batch NULLS LAST;

-- The 30-day rule: rectification finished by handover (the window's first
-- day) - 30 days, the property takeover from handover - 1 month to the day
-- before handover.
-- P1/1, handover 2026-03-01: due by 2026-01-30 (28 days of February + 2 of
--   January back), rectified 2026-01-30 exactly: on time; takeover from
--   2026-02-01 to 2026-02-28, taken over 2026-02-01: on time -> ready
-- P1/2, handover 2026-04-01: due by 2026-03-02, rectified 2026-03-03 (29
--   days before): late; taken over on the handover day 2026-04-01, due by
--   2026-03-31: late
-- P1/3, handover 2026-05-01: rectification not recorded; taken over
--   2026-03-31, a day before the month (from 2026-04-01): early -> not ready
-- P2/1: nothing recorded -> ready NULL
UPDATE appraisal.delivery_batches SET rectification_done_on = '2026-01-30', property_takeover_on = '2026-02-01' WHERE (project_id, batch) = ('P1', 1);
UPDATE appraisal.delivery_batches SET rectification_done_on = '2026-03-03', property_takeover_on = '2026-04-01' WHERE (project_id, batch) = ('P1', 2);
UPDATE appraisal.delivery_batches SET property_takeover_on = '2026-03-31' WHERE (project_id, batch) = ('P1', 3);
SELECT project_id, batch, handover_on, rectification_done_on, rectification_due_by, rectification_on_time,
       property_takeover_on, takeover_from, takeover_due_by, takeover_on_time, ready, readiness
FROM appraisal.delivery_readiness ORDER BY project_id, batch;
-- a day earlier each, P1/2 is on time
UPDATE appraisal.delivery_batches SET rectification_done_on = '2026-03-02', property_takeover_on = '2026-03-31' WHERE (project_id, batch) = ('P1', 2);
SELECT batch, rectification_on_time, takeover_on_time, ready, readiness FROM appraisal.delivery_readiness
WHERE project_id = 'P1' AND batch = 2;

-- rows the constraints reject
SELECT pg_temp.try($$INSERT INTO appraisal.delivery_batches VALUES ('P3', 0, 1, '2026-01-01', '2026-01-02')$$) AS batch_zero;
SELECT pg_temp.try($$INSERT INTO appraisal.delivery_batches VALUES ('P3', 1, 0, '2026-01-01', '2026-01-02')$$) AS none_planned;
SELECT pg_temp.try($$INSERT INTO appraisal.delivery_batches VALUES ('P3', 1, 1, '2026-01-02', '2026-01-01')$$) AS window_backwards;
SELECT pg_temp.try($$INSERT INTO appraisal.delivery_batches VALUES ('P3', 1, 1, '2026-01-02', 'infinity')$$) AS window_infinite;
SELECT pg_temp.try($$INSERT INTO appraisal.deliveries VALUES ('P1', 9, 'H1', '2026-03-01')$$) AS unknown_batch;
SELECT pg_temp.try($$INSERT INTO appraisal.deliveries VALUES ('P1', 1, 'H1', '2026-03-02')$$) AS delivered_twice;
SELECT pg_temp.try($$INSERT INTO appraisal.defect_reports VALUES ('D9', 'P1', 3, 'H8', '2026-05-02')$$) AS not_delivered;
SELECT pg_temp.try($$UPDATE appraisal.delivery_batches SET rectification_done_on = 'infinity' WHERE project_id = 'P2'$$) AS rectification_infinite;
SELECT pg_temp.try($$UPDATE appraisal.delivery_batches SET property_takeover_on = '-infinity' WHERE project_id = 'P2'$$) AS takeover_infinite;
