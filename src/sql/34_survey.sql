-- 34: the customer satisfaction survey: questionnaires of items (the
-- shipped seven-element one and the 0.4 one, fixed), survey runs sent to the customers in
-- scope, and the answers, checked against their item's scale.  Rules:
-- docs/rules.md, "Satisfaction survey".

CREATE TABLE appraisal.survey_questionnaires (
  questionnaire text PRIMARY KEY,
  title         text NOT NULL,
  description   text,
  shipped       boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE appraisal.survey_questionnaires IS
  'Survey questionnaires; their items are in appraisal.survey_items. The shipped ''standard'' questionnaire is the seven-element customer satisfaction survey of the procedure (docs/rules.md, "Satisfaction survey"; six items of 15 points and one of 10, total 100); ''standard_0_4'' is the seven-item questionnaire shipped as ''standard'' up to 0.4 (0-100 ratings), kept for the runs that used it.';
COMMENT ON COLUMN appraisal.survey_questionnaires.questionnaire IS 'Questionnaire name, referenced by appraisal.survey_runs.';
COMMENT ON COLUMN appraisal.survey_questionnaires.title IS 'Title shown to customers and in reports.';
COMMENT ON COLUMN appraisal.survey_questionnaires.description IS 'What the questionnaire is for.';
COMMENT ON COLUMN appraisal.survey_questionnaires.shipped IS 'True for the questionnaires shipped with the extension (standard, standard_0_4); they and their items cannot be changed.';

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
  needs_acceptance boolean NOT NULL DEFAULT false,
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
COMMENT ON COLUMN appraisal.survey_items.shipped IS 'True for the items of the shipped questionnaires; those cannot be changed.';
COMMENT ON COLUMN appraisal.survey_items.needs_acceptance IS 'True when an answer also records the customer''s acceptance (customer_survey_answers.acceptance), which caps the points: very satisfied up to band A, basically satisfied up to B, acceptable up to D, not accepted E (docs/rules.md, "Satisfaction survey": complaint-handling timeliness).';

INSERT INTO appraisal.survey_questionnaires (questionnaire, title, description, shipped) VALUES
  ('standard', '客户满意度调查 Customer satisfaction survey',
   'The seven elements of the customer satisfaction procedure (docs/rules.md, "Satisfaction survey"): product delivery quality from the non-conformance rate, delivery capability from the fulfilment rate, communication from missed feedback, product development capability, complaint-handling timeliness by working days and the customer''s acceptance, price competitiveness against peers (15 points each) and the overall image (10 points), total 100.',
   true),
  ('standard_0_4', '客户满意度调查 (0.4) Customer satisfaction survey, 0.4 items',
   'The questionnaire shipped as ''standard'' up to 0.4, kept for the runs that used it (docs/rules.md, "Satisfaction survey"): six items of 15 points and the overall image of 10, all but complaint handling rated 0-100 and banded A-E, total 100. Not the procedure''s seven elements: use ''standard'' for new runs.',
   true);
INSERT INTO appraisal.survey_items (questionnaire, item_no, item, title, answer, scale, shipped, needs_acceptance)
SELECT v.questionnaire, v.item_no, v.item, v.title, v.answer, s.scale, true, v.needs_acceptance
FROM (VALUES
  ('standard', 1, 'delivery_quality', '产品交付质量 Product delivery quality',
   'non-conformance rate of the goods delivered in the period, percent (0: all good)', 'nonconformance_15', false),
  ('standard', 2, 'delivery_capability', '交付能力 Delivery capability',
   'fulfilment rate of the orders in the period, percent', 'fulfilment_15', false),
  ('standard', 3, 'communication', '沟通配合 Communication and cooperation',
   'times in the period the company missed a feedback or failed to cooperate', 'missed_feedback_15', false),
  ('standard', 4, 'product_development', '产品开发能力 Product development capability', 'rating 0-100', 'satisfaction_15', false),
  ('standard', 5, 'complaint_handling', '投诉处理及时性 Complaint-handling timeliness',
   'working days from the customer''s complaint to its resolution, on the company calendar, with the customer''s acceptance of the outcome (acceptance); 0 and very satisfied when nothing was left unresolved',
   'resolution_days_15', true),
  ('standard', 6, 'price_competitiveness', '价格竞争力 Price competitiveness', 'rating 0-100 against the peers the customer buys from', 'satisfaction_15', false),
  ('standard', 7, 'overall_image', '整体形象 Overall image', 'rating 0-100', 'image_10', false),
  ('standard_0_4', 1, 'product_quality', '产品质量 Product quality', 'rating 0-100', 'satisfaction_15', false),
  ('standard_0_4', 2, 'delivery', '交付及时性 Delivery on time', 'rating 0-100', 'satisfaction_15', false),
  ('standard_0_4', 3, 'complaint_handling', '投诉处理 Complaint handling',
   'working days from the customer''s complaint to its resolution, on the company calendar (docs/rules.md, "Satisfaction survey"); 0 when the customer had nothing left unresolved',
   'resolution_days_15', false),
  ('standard_0_4', 4, 'technical_service', '技术服务 Technical service', 'rating 0-100', 'satisfaction_15', false),
  ('standard_0_4', 5, 'service_attitude', '服务态度 Service attitude', 'rating 0-100', 'satisfaction_15', false),
  ('standard_0_4', 6, 'communication', '沟通与响应 Communication and response', 'rating 0-100', 'satisfaction_15', false),
  ('standard_0_4', 7, 'overall_image', '整体形象 Overall image', 'rating 0-100', 'image_10', false)
) v(questionnaire, item_no, item, title, answer, scale_name, needs_acceptance)
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
  'Trigger on appraisal.survey_items: the shipped questionnaires take no further items (their total stays 100).';
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
  acceptance  text CONSTRAINT "acceptance must be one of the procedure's four levels"
              CHECK (acceptance IN ('very satisfied', 'basically satisfied', 'acceptable', 'not accepted')),
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
COMMENT ON COLUMN appraisal.customer_survey_answers.acceptance IS 'The customer''s acceptance of the outcome, for an item that needs it (survey_items.needs_acceptance) and only then: very satisfied, basically satisfied, acceptable or not accepted; it caps the points (appraisal.survey_acceptance_cap).';

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
  needs boolean;
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
  SELECT i.scale, i.needs_acceptance INTO scale_of_item, needs FROM appraisal.survey_items i
  WHERE i.questionnaire = q AND i.item_no = NEW.item_no;
  IF scale_of_item IS NULL AND appraisal.replaying_dump() THEN
    RETURN NEW;   -- the items are restored later
  END IF;
  IF scale_of_item IS NULL THEN
    RAISE EXCEPTION 'questionnaire "%" of survey run "%" has no item %', q, NEW.run_id, NEW.item_no
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  PERFORM appraisal.item_points(NEW.value, scale_of_item);   -- a value outside the scale is an error
  IF needs IS DISTINCT FROM (NEW.acceptance IS NOT NULL) THEN
    RAISE EXCEPTION 'item % of questionnaire "%" %', NEW.item_no, q,
      CASE WHEN needs THEN 'needs the customer''s acceptance' ELSE 'takes no acceptance' END
      USING ERRCODE = 'check_violation',
            HINT = CASE WHEN needs THEN 'Set acceptance to very satisfied, basically satisfied, acceptable or not accepted.'
                        ELSE 'Leave acceptance NULL: only items with needs_acceptance record it.' END;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.customer_survey_answers_check() IS
  'Trigger on appraisal.customer_survey_answers: the questionnaire was returned, the item belongs to the run''s questionnaire, the value lies within the item''s scale, and acceptance is given exactly for the items that need it.';
CREATE TRIGGER valid_answer BEFORE INSERT OR UPDATE ON appraisal.customer_survey_answers
  FOR EACH ROW EXECUTE FUNCTION appraisal.customer_survey_answers_check();

SELECT pg_catalog.pg_extension_config_dump('appraisal.survey_runs', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_surveys', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_survey_answers', '');
