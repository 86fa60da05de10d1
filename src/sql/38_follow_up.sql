-- 38: after the ticket: call-backs to the customer (回访) and the internal
-- quality inspection of sampled tickets (内部质检).  Bulk tables as the
-- tickets are: CHECK constraints and foreign keys (the change log's
-- triggers come in 42), and one BRIN index, of the call's time.
-- Rules: docs/rules.md, "Call-backs and survey coverage" and "Quality
-- inspection".

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
