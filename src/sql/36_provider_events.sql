-- 36: what service providers are penalised for: the penalty rules (amounts
-- per order or per case, changed by adding a row valid from a later day) and
-- the events the dispatch system, reviews and call-backs report, with the
-- customer pseudonymised under a key of the database's own.  Rules: docs/rules.md, "Service providers".

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

-- Penalty rules -------------------------------------------------------------------

CREATE TABLE appraisal.penalty_rules (
  rule_id     text NOT NULL,
  valid_from  date NOT NULL DEFAULT '-infinity'
              CONSTRAINT "a penalty amount cannot be valid only from infinity" CHECK (valid_from < 'infinity'),
  description text NOT NULL,
  amount      numeric
              CONSTRAINT "penalty amount must be a finite amount from 0" CHECK (amount >= 0 AND amount < 'Infinity'),
  unit        text NOT NULL
              CONSTRAINT "penalty unit must be order or case" CHECK (unit IN ('order', 'case')),
  shipped     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (rule_id, valid_from)
);
COMMENT ON TABLE appraisal.penalty_rules IS
  'Penalties per rule (docs/rules.md, "Service providers"): the amount charged per order or per case from a day on. An event is charged the amount of its rule''s row with the latest valid_from on or before the event''s day, so a company changes an amount by adding a row with a later valid_from and earlier events keep theirs. A NULL amount is not set: the shipped bad_review rule has none (the regulation prices bad reviews by the year''s satisfaction rules and names no amount); its events are counted with no amount until a row of the year sets one. The shipped rules cannot be changed; add rows (and rules) of your own.';
COMMENT ON COLUMN appraisal.penalty_rules.rule_id IS 'Rule: bad_review, service_complaint, fake_customer_data and peak_understaffing are shipped; a company may add its own.';
COMMENT ON COLUMN appraisal.penalty_rules.valid_from IS 'First day (in the report time zone) the amount applies; -infinity for always.';
COMMENT ON COLUMN appraisal.penalty_rules.description IS 'What the rule penalises.';
COMMENT ON COLUMN appraisal.penalty_rules.amount IS 'Penalty per unit, in the company''s currency; NULL: not set (the shipped bad_review row: the regulation gives no amount), events counted without an amount.';
COMMENT ON COLUMN appraisal.penalty_rules.unit IS 'order (one charge per order, however often it is reported) or case (every case counts).';
COMMENT ON COLUMN appraisal.penalty_rules.shipped IS 'True for rows installed by the extension, which cannot be changed or deleted.';

INSERT INTO appraisal.penalty_rules (rule_id, valid_from, description, amount, unit, shipped) VALUES
  ('fake_customer_data', '-infinity', 'Fake customer data', 1000, 'order', true),
  ('service_complaint', '-infinity', 'Service-caused complaint', 2000, 'case', true),
  ('bad_review', '-infinity', 'Bad review (dissatisfied, or 1 or 2 stars), amount not set by the regulation', NULL, 'case', true),
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
  -- (set by the trigger set_customer_key)
  customer_key     text,
  CONSTRAINT "fake customer data needs the order" CHECK (rule_id <> 'fake_customer_data' OR order_id IS NOT NULL),
  CONSTRAINT "a bad review needs phone and address, or the order"
    CHECK (rule_id <> 'bad_review' OR order_id IS NOT NULL
           OR (appraisal.normalise_phone(customer_phone) IS NOT NULL AND appraisal.normalise_address(customer_address) IS NOT NULL))
);
COMMENT ON TABLE appraisal.provider_events IS
  'What a provider is penalised for (docs/rules.md, "Service providers"), one row per report: a bad review (bad_review: dissatisfied in the after-sales system, 1 or 2 stars on a platform), a service-caused complaint (service_complaint), fake customer data on an order, under-staffing in a peak sales event, or a rule of your own. The same thing reported twice is de-duplicated by appraisal.penalty_ledger, not here: load every report.';
COMMENT ON COLUMN appraisal.provider_events.event_id IS 'Event identifier (e.g. the review or inspection number).';
COMMENT ON COLUMN appraisal.provider_events.provider_id IS 'Provider penalised (appraisal.providers).';
COMMENT ON COLUMN appraisal.provider_events.rule_id IS 'Penalty rule (appraisal.penalty_rules): bad_review, service_complaint, fake_customer_data, peak_understaffing or one of your own.';
COMMENT ON COLUMN appraisal.provider_events.occurred_at IS 'When it happened (a review: when it was given); its day in the report time zone picks the window, the period and the amount in effect.';
COMMENT ON COLUMN appraisal.provider_events.order_id IS 'Repair or installation order concerned; required for fake customer data, and for a bad review without phone and address. An SMS and a web report of the same order and rule are one.';
COMMENT ON COLUMN appraisal.provider_events.customer_phone IS 'Customer''s phone number as given (matched by its digits only).';
COMMENT ON COLUMN appraisal.provider_events.customer_address IS 'Customer''s address as given (matched in lower case, white space collapsed).';
COMMENT ON COLUMN appraisal.provider_events.source IS 'Where the report came from: web (e-commerce review), sms, callback, dispatch (dispatch-system rating), inspection or other.';
COMMENT ON COLUMN appraisal.provider_events.about_service IS 'False for a report clearly about something other than the installation service (e.g. a bad review of the product or the price): exempt, never charged.';
COMMENT ON COLUMN appraisal.provider_events.note IS 'Free text (what the customer said, who checked it).';
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

-- The rule of an event must be known (a foreign key cannot reference part of
-- penalty_rules' key) and have an amount in effect on the event's day.  The
-- day needs report_time_zone, which a restore may load after the events:
-- while replaying a dump (replaying_dump) neither is checked unless there.
CREATE FUNCTION appraisal.check_provider_event() RETURNS trigger
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
