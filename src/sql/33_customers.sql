-- 33: customers, their yearly or quarterly figures and their credit-rating
-- inputs.  Rules: docs/rules.md, "Customer evaluation".

CREATE TABLE appraisal.customers (
  customer_id      text PRIMARY KEY,
  name             text NOT NULL,
  first_order_on   date CONSTRAINT "first order date must be finite" CHECK (isfinite(first_order_on)),
  sales_manager_id text CONSTRAINT "sales manager must be a known employee" REFERENCES appraisal.employees,
  region           text
);
COMMENT ON TABLE appraisal.customers IS 'Customers (dealers, accounts) evaluated yearly and quarterly (docs/rules.md, "Customer evaluation"): their figures are in appraisal.customer_figures, their credit-rating inputs in appraisal.customer_credit.';
COMMENT ON COLUMN appraisal.customers.customer_id IS 'Customer identifier (the customer_id of appraisal.tickets, where tickets carry one).';
COMMENT ON COLUMN appraisal.customers.name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customers.first_order_on IS 'Date of the first order: a customer is new in the year it falls in (classification). NULL: an established customer.';
COMMENT ON COLUMN appraisal.customers.sales_manager_id IS 'Sales manager responsible (appraisal.employees), who gives the manager''s evaluation.';
COMMENT ON COLUMN appraisal.customers.region IS 'Region, for grouping.';

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

CREATE TABLE appraisal.customer_credit (
  customer_id          text NOT NULL CONSTRAINT "customer must be a known customer" REFERENCES appraisal.customers,
  period               text NOT NULL CONSTRAINT "period must be a known period" REFERENCES appraisal.periods ON UPDATE CASCADE,
  financial_points     numeric NOT NULL CONSTRAINT "financial points must be 0 to 30" CHECK (financial_points BETWEEN 0 AND 30),
  non_financial_points numeric NOT NULL CONSTRAINT "non-financial points must be 0 to 70" CHECK (non_financial_points BETWEEN 0 AND 70),
  rated_by             text,
  PRIMARY KEY (customer_id, period)
);
COMMENT ON TABLE appraisal.customer_credit IS 'Credit-rating inputs (docs/rules.md, "Credit rating": 100 points, financial 30 and non-financial 70), re-rated every quarter.';
COMMENT ON COLUMN appraisal.customer_credit.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_credit.period IS 'Period rated (appraisal.periods), usually a quarter.';
COMMENT ON COLUMN appraisal.customer_credit.financial_points IS 'Points for the financial criteria, 0-30.';
COMMENT ON COLUMN appraisal.customer_credit.non_financial_points IS 'Points for the non-financial criteria, 0-70.';
COMMENT ON COLUMN appraisal.customer_credit.rated_by IS 'Who rated (free text, for the audit trail).';

SELECT pg_catalog.pg_extension_config_dump('appraisal.customers', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_figures', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_credit', '');
