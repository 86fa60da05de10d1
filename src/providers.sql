-- appraisal install script, part 15: service providers and their penalty
-- ledger (DOMAIN §6).  Installation and repair providers; the penalty rules
-- (amount per order or per case, changed by adding a row valid from a later
-- day); the events the dispatch system, reviews and call-backs report; the
-- ledger that de-duplicates them (one customer's repeated bad reviews in a
-- window count once, an SMS review repeated on the web counts once, reviews
-- about something other than the service are exempt) and prices what is
-- charged; and the provider scorecard, which puts the penalties beside the
-- service KPIs of the provider's technicians.

-- Settings ---------------------------------------------------------------------

ALTER TABLE appraisal.setting_definitions DISABLE TRIGGER refuse_change;
INSERT INTO appraisal.setting_definitions (name, type, min_value, max_value, default_value, description) VALUES
  ('penalty_window', 'interval', NULL, NULL, '1 month',
   'De-duplication window of the provider penalty ledger: 1 month (calendar months) or 1 week (weeks from Monday), in the report time zone. One customer''s repeated bad reviews in a window count once (DOMAIN §6).');
ALTER TABLE appraisal.setting_definitions ENABLE TRIGGER refuse_change;

-- check_setting has made sure the value is a positive interval; the ledger
-- knows two windows only.  Compared as text in a fixed style: as intervals,
-- '30 days' would equal '1 month'.
CREATE FUNCTION appraisal.check_penalty_window() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET intervalstyle = 'postgres' AS $$
BEGIN
  IF NEW.value::interval::text NOT IN ('1 mon', '7 days') THEN
    RAISE EXCEPTION 'invalid value "%" for setting "penalty_window": the window is 1 month or 1 week', NEW.value
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Calendar months (''1 month'') or weeks from Monday (''1 week''), read in the report time zone.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_penalty_window() IS
  'Trigger of appraisal.settings: the setting penalty_window is 1 month or 1 week (after check_setting, which checks it is an interval).';
-- named to fire after check_setting (triggers fire in name order)
CREATE TRIGGER check_setting_penalty_window BEFORE INSERT OR UPDATE ON appraisal.settings
  FOR EACH ROW WHEN (NEW.name = 'penalty_window') EXECUTE FUNCTION appraisal.check_penalty_window();

CREATE FUNCTION appraisal.provider_parameters()
RETURNS TABLE (report_time_zone text, penalty_window text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'report_time_zone'),
         CASE WHEN extract(month FROM max(value) FILTER (WHERE name = 'penalty_window')::interval) = 1
              THEN 'month' ELSE 'week' END
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.provider_parameters() IS
  'The settings the penalty ledger reads, as one row: report_time_zone (an event''s day) and penalty_window as month or week.';

-- Normalised customer identity -----------------------------------------------

CREATE FUNCTION appraisal.normalise_phone(phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(regexp_replace(phone, '[^0-9]', '', 'g'), '');
COMMENT ON FUNCTION appraisal.normalise_phone(text) IS
  'A phone number as its digits only, for matching: normalise_phone(''138-0013 8000'') = ''13800138000''. A country code stays (''+86 138...'' is another number than ''138...''). NULL when it has no digit.';

CREATE FUNCTION appraisal.normalise_address(address text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(lower(btrim(regexp_replace(address, '\s+', ' ', 'g'), ' ')), '');
COMMENT ON FUNCTION appraisal.normalise_address(text) IS
  'An address in lower case with each run of white space made one space and none at the ends, for matching: normalise_address(''  12 Nanjing  Rd '') = ''12 nanjing rd''. NULL when blank.';

-- Providers ---------------------------------------------------------------------

CREATE TABLE appraisal.providers (
  provider_id text PRIMARY KEY,
  name        text NOT NULL,
  region      text
);
COMMENT ON TABLE appraisal.providers IS
  'Service providers (installation and repair outlets) appraised on the penalty ledger of DOMAIN §6. Their technicians are employees with provider_id set; their tickets give the provider''s service KPIs.';
COMMENT ON COLUMN appraisal.providers.provider_id IS 'Provider code.';
COMMENT ON COLUMN appraisal.providers.name IS 'Provider name.';
COMMENT ON COLUMN appraisal.providers.region IS 'Region served, for grouping.';

ALTER TABLE appraisal.employees
  ADD COLUMN provider_id text CONSTRAINT "provider must be a known provider" REFERENCES appraisal.providers;
COMMENT ON COLUMN appraisal.employees.provider_id IS
  'Service provider the employee works for (appraisal.providers): a provider''s technician, whose tickets count in the provider''s scorecard. NULL for the company''s own staff.';
CREATE INDEX ON appraisal.employees (provider_id);

SELECT pg_catalog.pg_extension_config_dump('appraisal.providers', '');

-- Penalty rules -------------------------------------------------------------------

CREATE TABLE appraisal.penalty_rules (
  rule_id     text NOT NULL,
  valid_from  date NOT NULL DEFAULT '-infinity'
              CONSTRAINT "a penalty amount cannot be valid only from infinity" CHECK (valid_from < 'infinity'),
  description text NOT NULL,
  amount      numeric NOT NULL
              CONSTRAINT "penalty amount must be a finite amount from 0" CHECK (amount >= 0 AND amount < 'Infinity'),
  unit        text NOT NULL
              CONSTRAINT "penalty unit must be order or case" CHECK (unit IN ('order', 'case')),
  shipped     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (rule_id, valid_from)
);
COMMENT ON TABLE appraisal.penalty_rules IS
  'Penalties per rule (DOMAIN §6): the amount charged per order or per case from a day on. An event is charged the amount of its rule''s row with the latest valid_from on or before the event''s day, so a company changes an amount by adding a row with a later valid_from and earlier events keep theirs. The shipped rules cannot be changed; add rows (and rules) of your own.';
COMMENT ON COLUMN appraisal.penalty_rules.rule_id IS 'Rule: fake_customer_data, service_complaint and peak_understaffing are shipped; a company may add its own.';
COMMENT ON COLUMN appraisal.penalty_rules.valid_from IS 'First day (in the report time zone) the amount applies; -infinity for always.';
COMMENT ON COLUMN appraisal.penalty_rules.description IS 'What the rule penalises.';
COMMENT ON COLUMN appraisal.penalty_rules.amount IS 'Penalty per unit, in the company''s currency.';
COMMENT ON COLUMN appraisal.penalty_rules.unit IS 'order (one charge per order, however often it is reported) or case (every case counts).';
COMMENT ON COLUMN appraisal.penalty_rules.shipped IS 'True for rows installed by the extension, which cannot be changed or deleted.';

INSERT INTO appraisal.penalty_rules (rule_id, valid_from, description, amount, unit, shipped) VALUES
  ('fake_customer_data', '-infinity', 'Fake customer data', 1000, 'order', true),
  ('service_complaint', '-infinity', 'Service-caused complaint', 2000, 'case', true),
  ('peak_understaffing', '-infinity', 'Under-staffing in a peak sales event', 2000, 'case', true);
-- (after the shipped rows: users cannot insert rows marked shipped)
CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.penalty_rules
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('penalty rule', 'rule_id',
    'Insert a row of the rule with a later valid_from: its amount applies from that day.');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.penalty_rules
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('penalty rule');
GRANT SELECT ON appraisal.penalty_rules TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.penalty_rules', 'WHERE NOT shipped');

-- Provider events -------------------------------------------------------------------

CREATE TABLE appraisal.provider_events (
  event_id         text PRIMARY KEY,
  provider_id      text NOT NULL CONSTRAINT "provider must be a known provider" REFERENCES appraisal.providers,
  rule_id          text NOT NULL,
  occurred_at      timestamptz NOT NULL CONSTRAINT "event time must be finite" CHECK (isfinite(occurred_at)),
  order_id         text,
  customer_phone   text,
  customer_address text,
  source           text NOT NULL DEFAULT 'other'
                   CONSTRAINT "source must be web, sms, callback, dispatch, inspection, other"
                   CHECK (source IN ('web', 'sms', 'callback', 'dispatch', 'inspection', 'other')),
  about_service    boolean NOT NULL DEFAULT true,
  note             text,
  -- the same customer, pseudonymised: the ledger de-duplicates on it, so that
  -- readers of the ledger need no right to the phone and address themselves
  customer_key     text GENERATED ALWAYS AS
                   (md5(appraisal.normalise_phone(customer_phone) || '|' || appraisal.normalise_address(customer_address))) STORED,
  CONSTRAINT "fake customer data needs the order" CHECK (rule_id <> 'fake_customer_data' OR order_id IS NOT NULL),
  CONSTRAINT "a service complaint needs phone and address, or the order"
    CHECK (rule_id <> 'service_complaint' OR order_id IS NOT NULL
           OR (appraisal.normalise_phone(customer_phone) IS NOT NULL AND appraisal.normalise_address(customer_address) IS NOT NULL))
);
COMMENT ON TABLE appraisal.provider_events IS
  'What a provider is penalised for (DOMAIN §6), one row per report: a bad review or complaint (service_complaint), fake customer data on an order, under-staffing in a peak sales event, or a rule of your own. The same thing reported twice is de-duplicated by appraisal.penalty_ledger, not here: load every report.';
COMMENT ON COLUMN appraisal.provider_events.event_id IS 'Event identifier (e.g. the review or inspection number).';
COMMENT ON COLUMN appraisal.provider_events.provider_id IS 'Provider penalised (appraisal.providers).';
COMMENT ON COLUMN appraisal.provider_events.rule_id IS 'Penalty rule (appraisal.penalty_rules): fake_customer_data, service_complaint, peak_understaffing or one of your own.';
COMMENT ON COLUMN appraisal.provider_events.occurred_at IS 'When it happened (a review: when it was given); its day in the report time zone picks the window, the period and the amount in effect.';
COMMENT ON COLUMN appraisal.provider_events.order_id IS 'Repair or installation order concerned; required for fake customer data. An SMS and a web review of the same order are one review.';
COMMENT ON COLUMN appraisal.provider_events.customer_phone IS 'Customer''s phone number as given (matched by its digits only).';
COMMENT ON COLUMN appraisal.provider_events.customer_address IS 'Customer''s address as given (matched in lower case, white space collapsed).';
COMMENT ON COLUMN appraisal.provider_events.source IS 'Where the report came from: web (e-commerce review), sms, callback, dispatch (dispatch-system rating), inspection or other.';
COMMENT ON COLUMN appraisal.provider_events.about_service IS 'False for a bad review clearly about something other than the installation service (e.g. the product or the price): exempt, never charged.';
COMMENT ON COLUMN appraisal.provider_events.note IS 'Free text (what the customer said, who checked it).';
COMMENT ON COLUMN appraisal.provider_events.customer_key IS 'Generated: the MD5 of the normalised phone and address, the same for the same customer; NULL without both. The ledger matches customers on it, so a reader of the ledger needs no right to the phone and address.';

-- The rule of an event must be known (a foreign key cannot reference part of
-- penalty_rules' key) and have an amount in effect on the event's day.  The
-- day needs report_time_zone, which a restore loads after the events
-- (pg_dump runs with check_function_bodies off): then only the rule is checked.
CREATE FUNCTION appraisal.check_provider_event() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  day date;
  first_from date;
BEGIN
  SELECT min(valid_from) INTO first_from FROM appraisal.penalty_rules WHERE rule_id = NEW.rule_id;
  IF first_from IS NULL THEN
    RAISE EXCEPTION 'penalty rule "%" of provider event "%" is not a known rule', NEW.rule_id, NEW.event_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Add it to appraisal.penalty_rules first, or check the spelling: '
                   || (SELECT string_agg(DISTINCT format('"%s"', rule_id), ', ' ORDER BY format('"%s"', rule_id))
                       FROM appraisal.penalty_rules) || '.';
  END IF;
  IF current_setting('check_function_bodies')::boolean THEN
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
COMMENT ON FUNCTION appraisal.check_provider_event() IS
  'Trigger of appraisal.provider_events: the rule must be in appraisal.penalty_rules with an amount in effect on the event''s day (report time zone); SQLSTATE 23503 otherwise, as for a foreign key.';
CREATE TRIGGER check_provider_event BEFORE INSERT OR UPDATE OF rule_id, occurred_at ON appraisal.provider_events
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_provider_event();

-- ... and stays so when rows of penalty_rules change or go.
CREATE FUNCTION appraisal.check_penalty_rule_use() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tz text := (SELECT report_time_zone FROM appraisal.provider_parameters());
  orphan record;
BEGIN
  SELECT e.event_id, (e.occurred_at AT TIME ZONE tz)::date AS day INTO orphan
  FROM appraisal.provider_events e
  WHERE e.rule_id = OLD.rule_id
    AND NOT EXISTS (SELECT 1 FROM appraisal.penalty_rules r
                    WHERE r.rule_id = e.rule_id AND r.valid_from <= (e.occurred_at AT TIME ZONE tz)::date)
  ORDER BY e.occurred_at, e.event_id
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'provider event "%" (%) would be left without an amount of penalty rule "%" in effect', orphan.event_id, orphan.day, OLD.rule_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Keep a row of the rule valid from that day or earlier, or delete the rule''s events first.';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.check_penalty_rule_use() IS
  'Trigger of appraisal.penalty_rules: a row cannot be changed or deleted if an event of its rule would be left without an amount in effect on its day (SQLSTATE 23503).';
CREATE TRIGGER check_penalty_rule_use AFTER UPDATE OR DELETE ON appraisal.penalty_rules
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_penalty_rule_use();

CREATE INDEX ON appraisal.provider_events (provider_id, occurred_at);
CREATE INDEX ON appraisal.provider_events (rule_id);
SELECT pg_catalog.pg_extension_config_dump('appraisal.provider_events', '');

-- The penalty ledger ---------------------------------------------------------------
--
-- Every event once, with its status, decided in this order (each step sees
-- only the events the steps before it left undecided; ties go to the
-- earlier event, then the smaller event_id in byte order, whatever the
-- database's collation):
--   (a) about_service = false: exempt;
--   (b) an SMS review repeated by a web review (same provider, rule and
--       order): duplicate of the web one (the earliest), in any window;
--   (c) service_complaint: one customer in one window: the earliest counts,
--       the others are duplicates of it.  The customer is customer_key (the
--       same phone and address); a complaint without them is the customer of
--       its order: the phone and address of the order's earliest complaint
--       that has them (one judged here first; an exempt review or an SMS twin
--       still tells who the customer is), else the order alone.  One
--       customer's order is not charged twice because a report lacked them;
--   (d) a rule charged per order (fake_customer_data): one order counts once,
--       in any window;
--   (e) anything else (peak_understaffing, per case): every event counts.
-- What counts is charged the amount of its rule in effect on its day.
CREATE VIEW appraisal.penalty_ledger WITH (security_invoker = true) AS
WITH params AS (
  SELECT * FROM appraisal.provider_parameters()
), ev AS (
  SELECT e.event_id, e.provider_id, e.rule_id, e.source, e.order_id, e.occurred_at, e.about_service,
         e.customer_key, d.occurred_on,
         CASE p.penalty_window WHEN 'week' THEN date_trunc('week', d.occurred_on::timestamp)::date
                               ELSE date_trunc('month', d.occurred_on::timestamp)::date END AS window_starts_on,
         p.penalty_window,
         r.amount, coalesce(r.unit, f.unit) AS unit, r.valid_from, r.description
  FROM appraisal.provider_events e
  CROSS JOIN params p
  CROSS JOIN LATERAL (SELECT (e.occurred_at AT TIME ZONE p.report_time_zone)::date AS occurred_on) d
  LEFT JOIN LATERAL (SELECT r.amount, r.unit, r.valid_from, r.description FROM appraisal.penalty_rules r
                     WHERE r.rule_id = e.rule_id AND r.valid_from <= d.occurred_on
                     ORDER BY r.valid_from DESC LIMIT 1) r ON true
  LEFT JOIN LATERAL (SELECT r.unit FROM appraisal.penalty_rules r       -- (only when none is in effect)
                     WHERE r.rule_id = e.rule_id ORDER BY r.valid_from LIMIT 1) f ON r.unit IS NULL
), web_twin AS (   -- (b)
  SELECT DISTINCT ON (s.event_id) s.event_id, w.event_id AS web_event_id
  FROM ev s
  JOIN ev w ON w.provider_id = s.provider_id AND w.rule_id = s.rule_id AND w.order_id = s.order_id
           AND w.source = 'web' AND w.about_service
  WHERE s.source = 'sms' AND s.about_service
  ORDER BY s.event_id, w.occurred_at, w.event_id COLLATE "C"
), identified AS (   -- (c): a complaint without phone and address takes its order's customer
  SELECT ev.*, ev.about_service AND t.event_id IS NULL AS judged,
         CASE WHEN ev.rule_id = 'service_complaint' AND ev.customer_key IS NULL AND ev.order_id IS NOT NULL
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
         CASE WHEN i.rule_id = 'service_complaint' AND coalesce(i.customer_key, i.order_customer_key) IS NOT NULL THEN 'customer'
              WHEN i.rule_id = 'service_complaint' THEN 'order'
              WHEN i.unit = 'order' AND i.order_id IS NOT NULL THEN 'order'
              ELSE 'case' END AS matched_by,
         CASE WHEN i.rule_id = 'service_complaint' THEN i.window_starts_on END AS within_window
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
         WHEN s.status = 'duplicate' AND ev.rule_id = 'service_complaint'
           THEN format('duplicate: the same order %s as %s in the %s from %s',
                       ev.order_id, j.counted_event_id, ev.penalty_window, ev.window_starts_on)
         WHEN s.status = 'duplicate'
           THEN format('duplicate: order %s counted once, by %s', ev.order_id, j.counted_event_id)
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
              ELSE 'charged' END AS status
) s;
COMMENT ON VIEW appraisal.penalty_ledger IS
  'Every provider event once, with what it costs the provider (DOMAIN §6), decided in this order: (a) a review not about the installation service is exempt; (b) an SMS review repeated by a web review of the same order is a duplicate of the web one; (c) a service complaint of a customer (same phone and address; a complaint without them is the customer of its order, named by the order''s earliest complaint with them, one the ledger judges before an SMS twin or an exempt review; else the order alone) already counted in the window (penalty_window: the calendar month, or the week, of the day in report_time_zone) is a duplicate of the earliest; (d) a rule charged per order counts an order once; (e) anything else counts every case. Ties go to the earlier event, then the smaller event_id (byte order). Charged events cost their rule''s amount in effect on their day.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('event_id', 'Event (appraisal.provider_events).'),
    ('provider_id', 'Provider (appraisal.providers).'),
    ('rule_id', 'Penalty rule (appraisal.penalty_rules).'),
    ('source', 'Where the report came from: web, sms, callback, dispatch, inspection or other.'),
    ('order_id', 'Order concerned, if known.'),
    ('occurred_at', 'When it happened.'),
    ('occurred_on', 'Its day in the report time zone: picks the window, the period and the amount in effect.'),
    ('window_starts_on', 'First day of its de-duplication window: the month (or, with penalty_window 1 week, the Monday) of occurred_on.'),
    ('status', 'charged (counts and costs amount), duplicate (the same thing as duplicate_of, not charged again) or exempt (not about the installation service, not charged).'),
    ('duplicate_of', 'For a duplicate, the event it repeats: the web review of an SMS review, else the customer''s or order''s event that counted; NULL otherwise.'),
    ('reason', 'Why the event has its status, in words (the rule and the event it repeats, or the amount charged).'),
    ('amount', 'Amount charged: the rule''s amount in effect on occurred_on for a charged event (NULL if none is), 0 otherwise.'),
    ('unit', 'order or case: what the rule''s amount is per.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.penalty_ledger.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;

-- The provider scorecard -------------------------------------------------------
--
-- Per provider and period: the ledger's events of the days in the period,
-- and the service measures of the provider's technicians, pooled from their
-- summaries exactly as team_scorecard pools a team's (rollup, never rates
-- averaged).  A provider appears in a period in which it has either.
CREATE VIEW appraisal.provider_scorecard WITH (security_invoker = true) AS
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
  SELECT e.provider_id, s.period, count(*) AS technicians, sum(s.tickets)::bigint AS tickets,
         appraisal.rollup(s.first_response) AS first_response, appraisal.rollup(s.resolution) AS resolution,
         appraisal.rollup(s.fcr) AS fcr, sum(s.responses)::bigint AS responses, sum(s.satisfied)::bigint AS satisfied,
         sum(s.complaints)::bigint AS complaints, sum(s.service_complaints)::bigint AS service_complaints,
         sum(s.system_complaints)::bigint AS system_complaints, max(s.as_of) AS as_of
  FROM appraisal.agent_period_summaries() s
  JOIN appraisal.employees e ON e.employee_id = s.agent_id
  WHERE e.provider_id IS NOT NULL
  GROUP BY e.provider_id, s.period
), both_sides AS (
  SELECT coalesce(x.provider_id, t.provider_id) AS provider_id, coalesce(x.period, t.period) AS period,
         x.events, x.charged_events, x.duplicates, x.exempt, x.fake_data_orders, x.complaint_cases,
         x.understaffing_cases, x.penalty_amount,
         t.technicians, t.tickets, t.first_response, t.resolution, t.fcr, t.responses, t.satisfied,
         t.complaints, t.service_complaints, t.system_complaints, t.as_of
  FROM penalties x
  FULL JOIN pooled t ON t.provider_id = x.provider_id AND t.period = x.period
)
SELECT b.provider_id, v.name, p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       coalesce(b.events, 0) AS events, coalesce(b.charged_events, 0) AS charged_events,
       coalesce(b.duplicates, 0) AS duplicates, coalesce(b.exempt, 0) AS exempt,
       coalesce(b.fake_data_orders, 0) AS fake_data_orders, coalesce(b.complaint_cases, 0) AS complaint_cases,
       coalesce(b.understaffing_cases, 0) AS understaffing_cases, coalesce(b.penalty_amount, 0) AS penalty_amount,
       coalesce(b.technicians, 0) AS technicians,
       m.*, b.as_of
FROM both_sides b
JOIN appraisal.providers v ON v.provider_id = b.provider_id
JOIN appraisal.periods p ON p.period = b.period
CROSS JOIN LATERAL appraisal.service_measures(coalesce(b.tickets, 0), b.first_response, b.resolution, b.fcr,
                                              coalesce(b.responses, 0), coalesce(b.satisfied, 0),
                                              coalesce(b.complaints, 0), coalesce(b.service_complaints, 0),
                                              coalesce(b.system_complaints, 0)) m;
COMMENT ON VIEW appraisal.provider_scorecard IS
  'Per service provider and period (every period of appraisal.periods in which the provider has events or its technicians have tickets): the penalty ledger''s events of the days in the period by status, the charged ones by rule and their total amount (DOMAIN §6); and the service measures of the provider''s technicians (employees with its provider_id), their summaries pooled as in appraisal.team_scorecard. Ticket measures are read from the materialized summaries as of their last refresh; the penalties are read live.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    WITH doc(col, txt) AS (VALUES
      ('provider_id', 'Provider (appraisal.providers).'),
      ('name', 'Provider name.'),
      ('period_kind', 'Kind of period: quarter, half_year or year.'),
      ('events', 'Provider events whose day falls in the period, whatever their status.'),
      ('charged_events', 'Events charged (status charged).'),
      ('duplicates', 'Events not charged because they repeat another (an SMS review repeated on the web, the same customer in a window, the same order).'),
      ('exempt', 'Events not charged because they are not about the installation service.'),
      ('fake_data_orders', 'Orders charged for fake customer data.'),
      ('complaint_cases', 'Service-caused complaints (bad reviews) charged, after de-duplication.'),
      ('understaffing_cases', 'Cases of under-staffing in peak sales events charged.'),
      ('penalty_amount', 'Total amount charged in the period: each charged event at its rule''s amount in effect on its day (rules of your own included).'),
      ('technicians', 'The provider''s technicians (employees with its provider_id) with tickets in the period.'),
      ('tickets', 'Tickets of the provider''s technicians opened in the period (0 without any; the measures are then NULL and the grade ''insufficient data'').'),
      ('as_of', 'When the ticket summaries were computed (the last refresh); NULL without tickets. The penalties are read live.'))
    SELECT a.attname, coalesce(d.txt, col_description('appraisal.team_scorecard'::regclass, t.attnum)) AS txt
    FROM pg_attribute a
    LEFT JOIN doc d ON d.col = a.attname
    LEFT JOIN pg_attribute t ON t.attrelid = 'appraisal.team_scorecard'::regclass AND t.attname = a.attname
    WHERE a.attrelid = 'appraisal.provider_scorecard'::regclass AND a.attnum > 0
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.provider_scorecard.%I IS %L', c.attname, c.txt);
  END LOOP;
END
$$;
