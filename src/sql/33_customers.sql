-- 33: customers, their yearly or quarterly figures and their credit-rating
-- inputs.  Rules: docs/rules.md, "Customer evaluation".

CREATE TABLE appraisal.customers (
  customer_id      text PRIMARY KEY,
  name             text NOT NULL,
  first_order_on   date CONSTRAINT "first order date must be finite" CHECK (isfinite(first_order_on)),
  sales_manager_id text CONSTRAINT "sales manager must be a known employee" REFERENCES appraisal.employees,
  region           text,
  customer_kind    text CONSTRAINT "customer kind must be final or intermediate" CHECK (customer_kind IN ('final', 'intermediate')),
  key_customer     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE appraisal.customers IS 'Customers (dealers, accounts) evaluated yearly and quarterly (docs/rules.md, "Customer evaluation"): their figures are in appraisal.customer_figures, their credit-rating inputs in appraisal.customer_credit.';
COMMENT ON COLUMN appraisal.customers.customer_id IS 'Customer identifier (the customer_id of appraisal.tickets, where tickets carry one).';
COMMENT ON COLUMN appraisal.customers.name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customers.first_order_on IS 'Date of the first order: a customer is new in the year it falls in (classification). NULL: an established customer.';
COMMENT ON COLUMN appraisal.customers.sales_manager_id IS 'Sales manager responsible (appraisal.employees), who gives the manager''s evaluation.';
COMMENT ON COLUMN appraisal.customers.region IS 'Region, for grouping.';
COMMENT ON COLUMN appraisal.customers.customer_kind IS 'final (the end user) or intermediate (a dealer, a reseller): the respondents of the satisfaction survey are customers of either kind (docs/rules.md, "Satisfaction survey"). NULL: not recorded.';
COMMENT ON COLUMN appraisal.customers.key_customer IS 'True for a key customer: every survey run whose scope holds it must send it a questionnaire (appraisal.survey_validity, setting survey_allow_missed_key_customers).';

CREATE TABLE appraisal.customer_figures (
  customer_id        text NOT NULL CONSTRAINT "customer must be a known customer" REFERENCES appraisal.customers,
  period             text NOT NULL CONSTRAINT "period must be a known period" REFERENCES appraisal.periods ON UPDATE CASCADE,
  sales              numeric NOT NULL CONSTRAINT "sales cannot be negative" CHECK (sales >= 0),
  batches            integer NOT NULL DEFAULT 0 CONSTRAINT "batches cannot be negative" CHECK (batches >= 0),
  sales_growth       numeric,
  collection_rate    numeric CONSTRAINT "collection rate must be a percentage from 0" CHECK (collection_rate >= 0),
  return_rate        numeric CONSTRAINT "return rate must be a percentage from 0 to 100" CHECK (return_rate BETWEEN 0 AND 100),
  receivables        numeric NOT NULL DEFAULT 0 CONSTRAINT "receivables cannot be negative" CHECK (receivables >= 0),
  manager_evaluation numeric CONSTRAINT "manager evaluation must be 0 to 100 points" CHECK (manager_evaluation BETWEEN 0 AND 100),
  referrals          integer CONSTRAINT "referrals cannot be negative" CHECK (referrals >= 0),
  recommendation     numeric CONSTRAINT "recommendation must be 0 to 10" CHECK (recommendation BETWEEN 0 AND 10),
  potential_rating   numeric CONSTRAINT "potential rating must be 0 to 100 points" CHECK (potential_rating BETWEEN 0 AND 100),
  PRIMARY KEY (customer_id, period)
);
COMMENT ON TABLE appraisal.customer_figures IS 'A customer''s figures for one period (a year, or a quarter for quarterly re-rating): the inputs of the composite customer score and of the classification.';
COMMENT ON COLUMN appraisal.customer_figures.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_figures.period IS 'Period (appraisal.periods), usually a year.';
COMMENT ON COLUMN appraisal.customer_figures.sales IS 'Sales volume in the period, in the currency of the ranges (settings customer_sales_zero_at, customer_sales_full_at).';
COMMENT ON COLUMN appraisal.customer_figures.batches IS 'Number of order batches in the period.';
COMMENT ON COLUMN appraisal.customer_figures.sales_growth IS 'Sales growth on the previous period of the same kind, in percent (25 = 25 %). NULL: computed from the previous period''s sales, when recorded and above 0.';
COMMENT ON COLUMN appraisal.customer_figures.collection_rate IS 'Collected as a percentage of what fell due (may exceed 100 when old debt is paid).';
COMMENT ON COLUMN appraisal.customer_figures.return_rate IS 'Returned goods as a percentage of sales.';
COMMENT ON COLUMN appraisal.customer_figures.receivables IS 'Receivables outstanding at the end of the period.';
COMMENT ON COLUMN appraisal.customer_figures.manager_evaluation IS 'The sales manager''s evaluation of the customer, 0-100 points.';
COMMENT ON COLUMN appraisal.customer_figures.referrals IS 'New customers this customer referred in the period (value tier: loyalty). NULL: not recorded, left out of the loyalty points.';
COMMENT ON COLUMN appraisal.customer_figures.recommendation IS 'The customer''s answer to "how likely are you to recommend us", 0-10 (the NPS question; value tier: loyalty). NULL: not asked, left out of the loyalty points.';
COMMENT ON COLUMN appraisal.customer_figures.potential_rating IS 'The sales manager''s rating of the customer''s potential, 0-100 points (value tier: potential). NULL: not rated.';

CREATE TABLE appraisal.customer_credit (
  customer_id          text NOT NULL CONSTRAINT "customer must be a known customer" REFERENCES appraisal.customers,
  period               text NOT NULL CONSTRAINT "period must be a known period" REFERENCES appraisal.periods ON UPDATE CASCADE,
  financial_points     numeric NOT NULL CONSTRAINT "financial points must be 0 to 30" CHECK (financial_points BETWEEN 0 AND 30),
  non_financial_points numeric NOT NULL CONSTRAINT "non-financial points must be 0 to 70" CHECK (non_financial_points BETWEEN 0 AND 70),
  rated_by             text,
  quality_points       numeric CONSTRAINT "quality characteristics points must be 0 to 35" CHECK (quality_points BETWEEN 0 AND 35),
  capital_points       numeric CONSTRAINT "capital points must be 0 to 18" CHECK (capital_points BETWEEN 0 AND 18),
  fulfilment_points    numeric CONSTRAINT "credit fulfilment points must be 0 to 17" CHECK (fulfilment_points BETWEEN 0 AND 17),
  debt_ratio           numeric,
  current_ratio        numeric,
  quick_ratio          numeric,
  net_margin           numeric,
  operating_cash_flow  numeric,
  PRIMARY KEY (customer_id, period),
  CONSTRAINT "non-financial points are the sum of their three parts" CHECK (
    num_nonnulls(quality_points, capital_points, fulfilment_points) = 0
    OR (num_nonnulls(quality_points, capital_points, fulfilment_points) = 3
        AND quality_points + capital_points + fulfilment_points = non_financial_points))
);
COMMENT ON TABLE appraisal.customer_credit IS 'Credit ratings (docs/rules.md, "Credit rating": 100 points, financial 30 and non-financial 70 = quality characteristics 35 + capital 18 + credit fulfilment 17), re-rated every quarter on the previous quarter; the financial ratios are optional inputs kept beside the points. appraisal.customer_credit_ratings shows them.';
COMMENT ON COLUMN appraisal.customer_credit.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_credit.period IS 'Period rated (appraisal.periods), usually a quarter.';
COMMENT ON COLUMN appraisal.customer_credit.financial_points IS 'Points for the financial criteria, 0-30.';
COMMENT ON COLUMN appraisal.customer_credit.non_financial_points IS 'Points for the non-financial criteria, 0-70.';
COMMENT ON COLUMN appraisal.customer_credit.rated_by IS 'Who rated (free text, for the audit trail).';
COMMENT ON COLUMN appraisal.customer_credit.quality_points IS 'Non-financial part: points for the quality characteristics, 0-35. With capital_points and fulfilment_points it makes non_financial_points; all three NULL: the split was not recorded.';
COMMENT ON COLUMN appraisal.customer_credit.capital_points IS 'Non-financial part: points for capital, 0-18.';
COMMENT ON COLUMN appraisal.customer_credit.fulfilment_points IS 'Non-financial part: points for credit fulfilment, 0-17 (the rest of the 70).';
COMMENT ON COLUMN appraisal.customer_credit.debt_ratio IS 'Financial input (optional, not scored by the extension): debt ratio, percent.';
COMMENT ON COLUMN appraisal.customer_credit.current_ratio IS 'Financial input (optional, not scored): current ratio.';
COMMENT ON COLUMN appraisal.customer_credit.quick_ratio IS 'Financial input (optional, not scored): quick ratio.';
COMMENT ON COLUMN appraisal.customer_credit.net_margin IS 'Financial input (optional, not scored): net profit margin, percent.';
COMMENT ON COLUMN appraisal.customer_credit.operating_cash_flow IS 'Financial input (optional, not scored): operating cash flow in the period, in the currency of the sales figures.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.customers', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_figures', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_credit', '');
