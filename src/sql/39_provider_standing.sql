-- 39 (after the appeals, whose refuse_history_change it uses): a provider's
-- standing (active, warned, disqualified) as an insert-only history, and
-- the sales companies' feedback that enters their assessment.  Rules:
-- docs/rules.md, "Service providers".

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
