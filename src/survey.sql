-- appraisal install script, part 14b: the customer satisfaction survey (DOMAIN
-- §5 and §8).  Questionnaires of items, each scored on an item scale; survey
-- runs sent to the customers in scope; answers turned into points; and the
-- validity of a run: it counts only when it covered enough of the customers
-- in scope (80 %) and enough of the questionnaires sent came back valid (70 %).

ALTER TABLE appraisal.setting_definitions DISABLE TRIGGER refuse_change;
INSERT INTO appraisal.setting_definitions (name, type, min_value, max_value, default_value, description) VALUES
  ('survey_min_coverage_percent', 'numeric', 0, 100, '80', 'A survey run is valid only when it was sent to at least this percentage of the customers in its scope (DOMAIN §8: 80).'),
  ('survey_min_valid_percent', 'numeric', 0, 100, '70', 'A survey run is valid only when at least this percentage of the questionnaires sent came back valid (DOMAIN §8: 70).');
ALTER TABLE appraisal.setting_definitions ENABLE TRIGGER refuse_change;

CREATE TABLE appraisal.survey_questionnaires (
  questionnaire text PRIMARY KEY,
  title         text NOT NULL,
  description   text,
  shipped       boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE appraisal.survey_questionnaires IS
  'Survey questionnaires; their items are in appraisal.survey_items. The shipped ''standard'' questionnaire is the seven-item customer satisfaction survey of DOMAIN §8 (six items of 15 points and one of 10, total 100).';
COMMENT ON COLUMN appraisal.survey_questionnaires.questionnaire IS 'Questionnaire name, referenced by appraisal.survey_runs.';
COMMENT ON COLUMN appraisal.survey_questionnaires.title IS 'Title shown to customers and in reports.';
COMMENT ON COLUMN appraisal.survey_questionnaires.description IS 'What the questionnaire is for.';
COMMENT ON COLUMN appraisal.survey_questionnaires.shipped IS 'True for the questionnaire shipped with the extension; it and its items cannot be changed.';

CREATE TABLE appraisal.survey_items (
  questionnaire text NOT NULL
                CONSTRAINT "survey item must belong to a known questionnaire"
                REFERENCES appraisal.survey_questionnaires ON UPDATE CASCADE ON DELETE CASCADE,
  item_no       integer NOT NULL CONSTRAINT "item number must be positive" CHECK (item_no > 0),
  item          text NOT NULL,
  title         text NOT NULL,
  answer        text NOT NULL,
  scale         appraisal.item_scale_spec NOT NULL,
  shipped       boolean NOT NULL DEFAULT false,
  PRIMARY KEY (questionnaire, item_no),
  CONSTRAINT "item names are unique within a questionnaire" UNIQUE (questionnaire, item)
);
COMMENT ON TABLE appraisal.survey_items IS
  'The items of each questionnaire: what is asked, what value the answer records, and the item scale that turns it into points. A response is complete when every item is answered.';
COMMENT ON COLUMN appraisal.survey_items.questionnaire IS 'Questionnaire (appraisal.survey_questionnaires).';
COMMENT ON COLUMN appraisal.survey_items.item_no IS 'Position of the item in the questionnaire, from 1.';
COMMENT ON COLUMN appraisal.survey_items.item IS 'Short item name, unique within the questionnaire.';
COMMENT ON COLUMN appraisal.survey_items.title IS 'The question as asked.';
COMMENT ON COLUMN appraisal.survey_items.answer IS 'What the recorded value is (a 0-100 rating, working days to a fix, ...).';
COMMENT ON COLUMN appraisal.survey_items.scale IS 'Item scale turning the value into points (a value, often copied from appraisal.item_scale); its highest points are the item''s full marks.';
COMMENT ON COLUMN appraisal.survey_items.shipped IS 'True for the items of the shipped questionnaire; those cannot be changed.';

INSERT INTO appraisal.survey_questionnaires (questionnaire, title, description, shipped) VALUES
  ('standard', '客户满意度调查 Customer satisfaction survey',
   'The seven-item customer satisfaction survey of DOMAIN §8: six items of 15 points banded A-E and the overall image of 10 points, total 100.',
   true);
INSERT INTO appraisal.survey_items (questionnaire, item_no, item, title, answer, scale, shipped)
SELECT 'standard', v.item_no, v.item, v.title, v.answer, s.scale, true
FROM (VALUES
  (1, 'product_quality', '产品质量 Product quality', 'rating 0-100', 'satisfaction_15'),
  (2, 'delivery', '交付及时性 Delivery on time', 'rating 0-100', 'satisfaction_15'),
  (3, 'complaint_handling', '投诉处理 Complaint handling',
   'working days from the customer''s complaint to its resolution, on the company calendar (DOMAIN §5); 0 when the customer had nothing left unresolved',
   'resolution_days_15'),
  (4, 'technical_service', '技术服务 Technical service', 'rating 0-100', 'satisfaction_15'),
  (5, 'service_attitude', '服务态度 Service attitude', 'rating 0-100', 'satisfaction_15'),
  (6, 'communication', '沟通与响应 Communication and response', 'rating 0-100', 'satisfaction_15'),
  (7, 'overall_image', '整体形象 Overall image', 'rating 0-100', 'image_10')
) v(item_no, item, title, answer, scale_name)
JOIN appraisal.item_scale s ON s.name = v.scale_name;

CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.survey_questionnaires
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('questionnaire', 'questionnaire');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.survey_questionnaires
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('questionnaire');
CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.survey_items
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('survey item', 'item',
    'Copy the questionnaire under a new name and change the copy.');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.survey_items
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('survey item');

-- The shipped questionnaire's item list is fixed too: no items added to it.
CREATE FUNCTION appraisal.survey_items_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT NEW.shipped AND EXISTS (SELECT 1 FROM appraisal.survey_questionnaires q
                                 WHERE q.questionnaire = NEW.questionnaire AND q.shipped) THEN
    RAISE EXCEPTION 'questionnaire "%" is shipped with the extension and takes no further items', NEW.questionnaire
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Copy the questionnaire under a new name and change the copy.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.survey_items_check() IS
  'Trigger on appraisal.survey_items: the shipped questionnaire takes no further items (its total stays 100).';
CREATE TRIGGER shipped_questionnaire_fixed BEFORE INSERT OR UPDATE ON appraisal.survey_items
  FOR EACH ROW EXECUTE FUNCTION appraisal.survey_items_check();

GRANT SELECT ON appraisal.survey_questionnaires, appraisal.survey_items TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.survey_questionnaires', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('appraisal.survey_items', 'WHERE NOT shipped');

CREATE TABLE appraisal.survey_runs (
  run_id        text PRIMARY KEY,
  questionnaire text NOT NULL
                CONSTRAINT "survey run must use a known questionnaire"
                REFERENCES appraisal.survey_questionnaires ON UPDATE CASCADE,
  period        text NOT NULL
                CONSTRAINT "period must be a known period" REFERENCES appraisal.periods ON UPDATE CASCADE,
  region        text,
  opened_on     date NOT NULL,
  closed_on     date NOT NULL,
  description   text,
  CONSTRAINT "a survey run must close on or after the day it opens" CHECK (closed_on >= opened_on),
  CONSTRAINT "survey run dates must be finite" CHECK (isfinite(opened_on) AND isfinite(closed_on))
);
COMMENT ON TABLE appraisal.survey_runs IS
  'Survey runs: one questionnaire sent, between opened_on and closed_on, to the customers of one scope (a region, or all). The customers in scope are those of appraisal.customers in the region whose first order was on or before closed_on (or unknown). appraisal.survey_validity tells whether a run counts.';
COMMENT ON COLUMN appraisal.survey_runs.run_id IS 'Survey run identifier.';
COMMENT ON COLUMN appraisal.survey_runs.questionnaire IS 'Questionnaire sent (appraisal.survey_questionnaires).';
COMMENT ON COLUMN appraisal.survey_runs.period IS 'Appraisal period the survey evaluates (appraisal.periods).';
COMMENT ON COLUMN appraisal.survey_runs.region IS 'Region of appraisal.customers in scope; NULL: every customer.';
COMMENT ON COLUMN appraisal.survey_runs.opened_on IS 'First day questionnaires may be sent.';
COMMENT ON COLUMN appraisal.survey_runs.closed_on IS 'Last day questionnaires are sent and accepted back; a questionnaire returned later does not count.';
COMMENT ON COLUMN appraisal.survey_runs.description IS 'What the run was, for readers.';

CREATE TABLE appraisal.customer_surveys (
  run_id         text NOT NULL
                 CONSTRAINT "survey must belong to a known survey run"
                 REFERENCES appraisal.survey_runs ON UPDATE CASCADE ON DELETE CASCADE,
  customer_id    text NOT NULL
                 CONSTRAINT "customer must be a known customer" REFERENCES appraisal.customers ON UPDATE CASCADE,
  sent_on        date NOT NULL,
  returned_on    date,
  invalid_reason text,
  PRIMARY KEY (run_id, customer_id),
  CONSTRAINT "a questionnaire comes back on or after the day it was sent" CHECK (returned_on >= sent_on),
  CONSTRAINT "only a returned questionnaire can be marked invalid" CHECK (invalid_reason IS NULL OR returned_on IS NOT NULL),
  CONSTRAINT "an invalid questionnaire needs a reason" CHECK (invalid_reason <> '')
);
COMMENT ON TABLE appraisal.customer_surveys IS
  'One questionnaire of a survey run sent to one customer in the run''s scope: when it was sent, whether and when it came back, and why a returned one was found invalid (e.g. filled in by the sales staff). Its answers are in appraisal.customer_survey_answers.';
COMMENT ON COLUMN appraisal.customer_surveys.run_id IS 'Survey run (appraisal.survey_runs).';
COMMENT ON COLUMN appraisal.customer_surveys.customer_id IS 'Customer surveyed (appraisal.customers); must be in the run''s scope.';
COMMENT ON COLUMN appraisal.customer_surveys.sent_on IS 'Day the questionnaire was sent, within the run.';
COMMENT ON COLUMN appraisal.customer_surveys.returned_on IS 'Day it came back; NULL when it has not.';
COMMENT ON COLUMN appraisal.customer_surveys.invalid_reason IS 'Why a returned questionnaire is invalid, as found on review; NULL when nothing was found.';

CREATE TABLE appraisal.customer_survey_answers (
  run_id      text NOT NULL,
  customer_id text NOT NULL,
  item_no     integer NOT NULL,
  value       numeric NOT NULL,
  PRIMARY KEY (run_id, customer_id, item_no),
  CONSTRAINT "answer must belong to a sent questionnaire" FOREIGN KEY (run_id, customer_id)
    REFERENCES appraisal.customer_surveys ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE appraisal.customer_survey_answers IS
  'The answers of a returned questionnaire, one value per item; each must be an item of the run''s questionnaire and within the item''s scale.';
COMMENT ON COLUMN appraisal.customer_survey_answers.run_id IS 'Survey run.';
COMMENT ON COLUMN appraisal.customer_survey_answers.customer_id IS 'Customer who answered.';
COMMENT ON COLUMN appraisal.customer_survey_answers.item_no IS 'Item of the run''s questionnaire (appraisal.survey_items.item_no).';
COMMENT ON COLUMN appraisal.customer_survey_answers.value IS 'The value answered, as the item''s answer column describes (a 0-100 rating, working days).';

-- Sent questionnaires go to customers in the run's scope, within the run.
CREATE FUNCTION appraisal.customer_surveys_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r appraisal.survey_runs;
  c appraisal.customers;
BEGIN
  SELECT * INTO r FROM appraisal.survey_runs WHERE run_id = NEW.run_id;
  SELECT * INTO c FROM appraisal.customers WHERE customer_id = NEW.customer_id;
  IF r.run_id IS NULL OR c.customer_id IS NULL THEN
    RETURN NEW;   -- the foreign keys report it
  END IF;
  IF r.region IS NOT NULL AND c.region IS DISTINCT FROM r.region THEN
    RAISE EXCEPTION 'customer "%" (region %) is not in the scope of survey run "%" (region %)',
      c.customer_id, coalesce(c.region, 'NULL'), r.run_id, r.region
      USING ERRCODE = 'check_violation';
  END IF;
  IF c.first_order_on > r.closed_on THEN
    RAISE EXCEPTION 'customer "%" first ordered on %, after survey run "%" closed on %',
      c.customer_id, c.first_order_on, r.run_id, r.closed_on
      USING ERRCODE = 'check_violation',
            DETAIL = 'A run''s scope is the customers who had ordered by the day it closed.';
  END IF;
  IF NEW.sent_on NOT BETWEEN r.opened_on AND r.closed_on THEN
    RAISE EXCEPTION 'questionnaire sent on % outside survey run "%" (% to %)',
      NEW.sent_on, r.run_id, r.opened_on, r.closed_on
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.customer_surveys_check() IS
  'Trigger on appraisal.customer_surveys: the customer is in the run''s scope (its region, and had first ordered by the day the run closed) and the questionnaire was sent while the run was open.';
CREATE TRIGGER in_scope BEFORE INSERT OR UPDATE ON appraisal.customer_surveys
  FOR EACH ROW EXECUTE FUNCTION appraisal.customer_surveys_check();

-- Answers belong to a returned questionnaire, to an item of its
-- questionnaire, and lie within the item's scale.
CREATE FUNCTION appraisal.customer_survey_answers_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  returned date;
  q text;
  scale_of_item appraisal.item_scale_spec;
BEGIN
  SELECT s.returned_on, r.questionnaire INTO returned, q
  FROM appraisal.customer_surveys s JOIN appraisal.survey_runs r USING (run_id)
  WHERE s.run_id = NEW.run_id AND s.customer_id = NEW.customer_id;
  IF q IS NULL THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  IF returned IS NULL THEN
    RAISE EXCEPTION 'questionnaire of survey run "%" to customer "%" has not been returned', NEW.run_id, NEW.customer_id
      USING ERRCODE = 'check_violation',
            HINT = 'Set customer_surveys.returned_on first.';
  END IF;
  SELECT i.scale INTO scale_of_item FROM appraisal.survey_items i
  WHERE i.questionnaire = q AND i.item_no = NEW.item_no;
  IF scale_of_item IS NULL THEN
    RAISE EXCEPTION 'questionnaire "%" of survey run "%" has no item %', q, NEW.run_id, NEW.item_no
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  PERFORM appraisal.item_points(NEW.value, scale_of_item);   -- a value outside the scale is an error
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.customer_survey_answers_check() IS
  'Trigger on appraisal.customer_survey_answers: the questionnaire was returned, the item belongs to the run''s questionnaire, and the value lies within the item''s scale.';
CREATE TRIGGER valid_answer BEFORE INSERT OR UPDATE ON appraisal.customer_survey_answers
  FOR EACH ROW EXECUTE FUNCTION appraisal.customer_survey_answers_check();

SELECT pg_catalog.pg_extension_config_dump('appraisal.survey_runs', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_surveys', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_survey_answers', '');

-- Per answer: its item, band and points.
CREATE VIEW appraisal.customer_survey_points WITH (security_invoker = true) AS
SELECT a.run_id, r.questionnaire, r.period, a.customer_id, a.item_no, i.item, a.value,
       appraisal.item_band(a.value, i.scale) AS band,
       appraisal.item_points(a.value, i.scale) AS points,
       appraisal.item_max_points(i.scale) AS max_points
FROM appraisal.customer_survey_answers a
JOIN appraisal.survey_runs r USING (run_id)
JOIN appraisal.survey_items i ON i.questionnaire = r.questionnaire AND i.item_no = a.item_no;
COMMENT ON VIEW appraisal.customer_survey_points IS
  'Per answer of appraisal.customer_survey_answers: the item, the band of the value on the item''s scale and its points (item_points: interpolated inside the band, truncated to two decimals).';
COMMENT ON COLUMN appraisal.customer_survey_points.run_id IS 'Survey run.';
COMMENT ON COLUMN appraisal.customer_survey_points.questionnaire IS 'Questionnaire of the run.';
COMMENT ON COLUMN appraisal.customer_survey_points.period IS 'Appraisal period of the run.';
COMMENT ON COLUMN appraisal.customer_survey_points.customer_id IS 'Customer who answered.';
COMMENT ON COLUMN appraisal.customer_survey_points.item_no IS 'Item number.';
COMMENT ON COLUMN appraisal.customer_survey_points.item IS 'Item name.';
COMMENT ON COLUMN appraisal.customer_survey_points.value IS 'Value answered.';
COMMENT ON COLUMN appraisal.customer_survey_points.band IS 'Band of the item scale holding the value (A-E on the shipped scales).';
COMMENT ON COLUMN appraisal.customer_survey_points.points IS 'Points of the answer, truncated to two decimals.';
COMMENT ON COLUMN appraisal.customer_survey_points.max_points IS 'Full marks of the item.';

-- Per questionnaire sent: how complete, how many points, whether valid.
CREATE VIEW appraisal.customer_survey_status WITH (security_invoker = true) AS
WITH items AS (
  SELECT questionnaire, count(*) AS items_total, sum(appraisal.item_max_points(scale)) AS max_points
  FROM appraisal.survey_items GROUP BY questionnaire
), answered AS (
  SELECT run_id, customer_id, count(*) AS items_answered, sum(points) AS total_points
  FROM appraisal.customer_survey_points GROUP BY run_id, customer_id
), responses AS (
  SELECT s.run_id, r.questionnaire, r.period, s.customer_id, c.name AS customer_name, c.region,
         s.sent_on, s.returned_on, s.invalid_reason,
         coalesce(a.items_answered, 0) AS items_answered, coalesce(it.items_total, 0) AS items_total,
         a.total_points, it.max_points,
         CASE WHEN s.returned_on IS NULL THEN 'not returned'
              WHEN s.returned_on > r.closed_on THEN 'returned late'
              WHEN s.invalid_reason IS NOT NULL THEN 'marked invalid'
              WHEN coalesce(a.items_answered, 0) < coalesce(it.items_total, 0) OR it.items_total IS NULL THEN 'incomplete'
              ELSE 'valid' END AS status
  FROM appraisal.customer_surveys s
  JOIN appraisal.survey_runs r USING (run_id)
  JOIN appraisal.customers c USING (customer_id)
  LEFT JOIN items it ON it.questionnaire = r.questionnaire
  LEFT JOIN answered a ON a.run_id = s.run_id AND a.customer_id = s.customer_id
)
SELECT run_id, questionnaire, period, customer_id, customer_name, region, sent_on, returned_on,
       items_answered, items_total, total_points, max_points, status, status = 'valid' AS response_valid,
       invalid_reason
FROM responses;
COMMENT ON VIEW appraisal.customer_survey_status IS
  'Per questionnaire sent (appraisal.customer_surveys): items answered, total points and whether the response is valid: returned by the day the run closed, not marked invalid, every item answered. Whether the run itself counts is in appraisal.survey_validity; appraisal.survey_results joins the two.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('run_id', 'Survey run.'),
    ('questionnaire', 'Questionnaire of the run.'),
    ('period', 'Appraisal period of the run.'),
    ('customer_id', 'Customer surveyed.'),
    ('customer_name', 'Customer name.'),
    ('region', 'Customer''s region.'),
    ('sent_on', 'Day the questionnaire was sent.'),
    ('returned_on', 'Day it came back; NULL when it has not.'),
    ('items_answered', 'Items answered.'),
    ('items_total', 'Items of the questionnaire.'),
    ('total_points', 'Sum of the points of the answers (each truncated to two decimals); NULL without answers. Counts only when response_valid.'),
    ('max_points', 'Full marks of the questionnaire (100 for the standard one).'),
    ('status', 'valid, not returned, returned late (after the run closed), marked invalid (invalid_reason) or incomplete (an item unanswered), checked in that order.'),
    ('response_valid', 'True when status is valid: the response counts towards the valid-response rate.'),
    ('invalid_reason', 'Why a returned questionnaire was marked invalid.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.customer_survey_status.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;

-- Per run: coverage of the scope, valid responses, and whether it counts.
CREATE VIEW appraisal.survey_validity WITH (security_invoker = true) AS
WITH settings AS (
  SELECT max(value) FILTER (WHERE name = 'survey_min_coverage_percent')::numeric AS min_coverage,
         max(value) FILTER (WHERE name = 'survey_min_valid_percent')::numeric AS min_valid
  FROM appraisal.current_settings
), scope AS (
  SELECT r.run_id, count(c.customer_id) AS in_scope
  FROM appraisal.survey_runs r
  LEFT JOIN appraisal.customers c
    ON (r.region IS NULL OR c.region = r.region) AND (c.first_order_on IS NULL OR c.first_order_on <= r.closed_on)
  GROUP BY r.run_id
), responses AS (
  SELECT run_id, count(*) AS surveyed,
         count(*) FILTER (WHERE status NOT IN ('not returned', 'returned late')) AS returned,
         count(*) FILTER (WHERE response_valid) AS valid,
         sum(total_points) FILTER (WHERE response_valid) AS valid_points
  FROM appraisal.customer_survey_status GROUP BY run_id
), counted AS (
  SELECT r.run_id, r.questionnaire, r.period, r.region, r.opened_on, r.closed_on,
         sc.in_scope, coalesce(x.surveyed, 0) AS surveyed, coalesce(x.returned, 0) AS returned,
         coalesce(x.valid, 0) AS valid, x.valid_points, s.min_coverage, s.min_valid
  FROM appraisal.survey_runs r
  JOIN scope sc USING (run_id)
  CROSS JOIN settings s
  LEFT JOIN responses x USING (run_id)
), judged AS (
  SELECT c.*,
         CASE WHEN in_scope = 0 THEN 'no customers in scope'
              WHEN surveyed = 0 THEN 'no questionnaires sent'
              WHEN surveyed * 100 < min_coverage * in_scope
                THEN format('sent to %s %% of the customers in scope, below %s %%',
                            appraisal.share_percent(surveyed, in_scope), min_coverage)
              WHEN valid * 100 < min_valid * surveyed
                THEN format('%s %% of the questionnaires sent came back valid, below %s %%',
                            appraisal.share_percent(valid, surveyed), min_valid)
         END AS failure
  FROM counted c
)
SELECT run_id, questionnaire, period, region, opened_on, closed_on, closed_on < current_date AS closed,
       in_scope AS customers_in_scope, surveyed AS questionnaires_sent,
       appraisal.share_percent(surveyed, in_scope) AS coverage_percent,
       returned AS questionnaires_returned, valid AS valid_responses,
       appraisal.share_percent(valid, surveyed) AS valid_response_percent,
       min_coverage AS min_coverage_percent, min_valid AS min_valid_percent,
       failure IS NULL AS is_valid, coalesce(failure, 'valid') AS validity,
       CASE WHEN valid > 0 THEN trunc(valid_points / valid, 2) END AS mean_total_points
FROM judged;
COMMENT ON VIEW appraisal.survey_validity IS
  'Per survey run: whether it counts (DOMAIN §8): sent to at least survey_min_coverage_percent (80) of the customers in scope and at least survey_min_valid_percent (70) of the questionnaires sent came back valid. Both tests compare the counts exactly (79.999 % is below 80 %); the percentages shown are truncated to two decimals.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('run_id', 'Survey run.'),
    ('questionnaire', 'Questionnaire of the run.'),
    ('period', 'Appraisal period of the run.'),
    ('region', 'Region in scope; NULL: every customer.'),
    ('opened_on', 'First day of the run.'),
    ('closed_on', 'Last day of the run.'),
    ('closed', 'True once closed_on has passed: before that the counts may still grow.'),
    ('customers_in_scope', 'Customers in the run''s scope: of its region (or all), first order on or before closed_on or unknown.'),
    ('questionnaires_sent', 'Customers the questionnaire was sent to.'),
    ('coverage_percent', '100 * questionnaires_sent / customers_in_scope, truncated to two decimals.'),
    ('questionnaires_returned', 'Questionnaires returned by the day the run closed.'),
    ('valid_responses', 'Questionnaires returned in time, not marked invalid and complete (customer_survey_status.response_valid).'),
    ('valid_response_percent', '100 * valid_responses / questionnaires_sent (有效回收率), truncated to two decimals.'),
    ('min_coverage_percent', 'The coverage a valid run needs (setting survey_min_coverage_percent).'),
    ('min_valid_percent', 'The valid-response rate a valid run needs (setting survey_min_valid_percent).'),
    ('is_valid', 'True when the run counts: coverage and valid-response rate both reach their minimum.'),
    ('validity', '''valid'', or why not: no customers in scope, no questionnaires sent, coverage or valid-response rate below its minimum (coverage is checked first).'),
    ('mean_total_points', 'Mean total points of the valid responses, truncated to two decimals; NULL without any. Use it only when is_valid.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.survey_validity.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;

-- The results to use: responses with their run's validity.
CREATE VIEW appraisal.survey_results WITH (security_invoker = true) AS
SELECT x.run_id, x.questionnaire, x.period, x.customer_id, x.customer_name, x.region, x.returned_on,
       x.total_points, x.max_points, x.status, x.response_valid, v.is_valid AS run_valid,
       v.validity AS run_validity, x.response_valid AND v.is_valid AS counts
FROM appraisal.customer_survey_status x
JOIN appraisal.survey_validity v USING (run_id);
COMMENT ON VIEW appraisal.survey_results IS
  'Survey totals per customer with the validity of the response and of its run: a result counts only when both are valid; results of an invalid run are shown, flagged, never silently used.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('run_id', 'Survey run.'),
    ('questionnaire', 'Questionnaire of the run.'),
    ('period', 'Appraisal period of the run.'),
    ('customer_id', 'Customer surveyed.'),
    ('customer_name', 'Customer name.'),
    ('region', 'Customer''s region.'),
    ('returned_on', 'Day the questionnaire came back; NULL when it has not.'),
    ('total_points', 'Total points of the answers (see customer_survey_status).'),
    ('max_points', 'Full marks of the questionnaire.'),
    ('status', 'Status of the response (see customer_survey_status.status).'),
    ('response_valid', 'True when the response is valid.'),
    ('run_valid', 'True when the run counts (survey_validity.is_valid).'),
    ('run_validity', 'Why the run counts or not (survey_validity.validity).'),
    ('counts', 'True when both the response and its run are valid: use total_points only then.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.survey_results.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;
