-- 53: complaints by cause: the Pareto of complaint categories and weekly
-- spikes of a category's complaint rate.  Rules: docs/rules.md, "Complaint
-- handling".

CREATE VIEW appraisal.complaint_pareto WITH (security_invoker = true) AS
WITH counts AS (
  SELECT p.period, p.kind AS period_kind, d.category,
         sum(d.complaints)::bigint AS complaints, sum(d.service_complaints)::bigint AS service_complaints,
         sum(d.system_complaints)::bigint AS system_complaints
  FROM appraisal.category_daily d
  JOIN appraisal.periods p ON d.day BETWEEN p.starts_on AND p.ends_on
  WHERE appraisal.summaries_ready()   -- fails before the first refresh
  GROUP BY p.period, p.kind, d.category
  HAVING sum(d.complaints) > 0
), ranked AS (
  SELECT c.*,
         row_number() OVER w AS rank,
         sum(complaints) OVER w AS running,
         sum(complaints) OVER (PARTITION BY period) AS total,
         count(*) OVER (PARTITION BY period) AS categories
  FROM counts c
  WINDOW w AS (PARTITION BY period ORDER BY complaints DESC, category ROWS UNBOUNDED PRECEDING)
)
SELECT r.period, r.period_kind, r.category, r.complaints, r.service_complaints, r.system_complaints,
       r.rank, appraisal.share_percent(r.complaints, r.total::bigint) AS share,
       appraisal.share_percent(r.running::bigint, r.total::bigint) AS cumulative_share,
       r.rank <= ceil(r.categories * prm.pareto_share / 100) AS top_cause
FROM ranked r CROSS JOIN appraisal.scorecard_parameters() prm;
COMMENT ON VIEW appraisal.complaint_pareto IS
  'Complaint causes (ticket categories) per period, most frequent first, with their share and cumulative share of the period''s complaints; the top pareto_share percent of the categories (20 %, rounded up to whole categories) are flagged for process work (docs/rules.md, "Complaint handling").';

COMMENT ON COLUMN appraisal.complaint_pareto.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.complaint_pareto.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.complaint_pareto.category IS 'Ticket category (complaint cause).';
COMMENT ON COLUMN appraisal.complaint_pareto.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.complaint_pareto.service_complaints IS 'Service-caused complaints: count against the agent.';
COMMENT ON COLUMN appraisal.complaint_pareto.system_complaints IS 'System-caused complaints (company policy or system): left out of the agent''s measures but for their first response (setting system_complaints_first_response).';
COMMENT ON COLUMN appraisal.complaint_pareto.rank IS 'Rank by complaints in the period, 1 = most (ties by category name).';
COMMENT ON COLUMN appraisal.complaint_pareto.share IS 'Share of the period''s complaints, percent.';
COMMENT ON COLUMN appraisal.complaint_pareto.cumulative_share IS 'Share of the period''s complaints of this and all higher-ranked categories, percent.';
COMMENT ON COLUMN appraisal.complaint_pareto.top_cause IS 'Among the top pareto_share (20 %) of categories: flagged for process work.';

CREATE VIEW appraisal.complaint_spikes WITH (security_invoker = true) AS
WITH weeks AS (
  SELECT category, date_trunc('week', day)::date AS week_start,
         sum(tickets)::bigint AS tickets, sum(complaints)::bigint AS complaints
  FROM appraisal.category_daily
  WHERE appraisal.summaries_ready()   -- fails before the first refresh
  GROUP BY 1, 2
)
SELECT w.week_start, w.category, w.tickets, w.complaints,
       appraisal.share_percent(w.complaints, w.tickets) AS complaint_rate,
       t.tickets AS trailing_tickets, t.complaints AS trailing_complaints,
       appraisal.share_percent(t.complaints, t.tickets) AS trailing_rate,
       coalesce(w.complaints >= prm.spike_min_complaints AND t.tickets > 0
                AND w.complaints::numeric * t.tickets >= prm.spike_factor * t.complaints * w.tickets, false) AS spike
FROM weeks w
CROSS JOIN appraisal.scorecard_parameters() prm
JOIN (   -- the trailing weeks of every week: a join on the category, not a scan per week
  SELECT w2.category, w2.week_start,
         coalesce(sum(x.tickets), 0)::bigint AS tickets, coalesce(sum(x.complaints), 0)::bigint AS complaints
  FROM weeks w2
  CROSS JOIN appraisal.scorecard_parameters() p2
  LEFT JOIN weeks x ON x.category = w2.category
                   AND x.week_start >= w2.week_start - 7 * p2.spike_weeks AND x.week_start < w2.week_start
  GROUP BY w2.category, w2.week_start
) t ON t.category = w.category AND t.week_start = w.week_start;
COMMENT ON VIEW appraisal.complaint_spikes IS
  'Weekly complaint rate per category (complaints per 100 tickets of the category, weeks from Monday) against its rate pooled over the trailing spike_weeks weeks; spike when the week has at least spike_min_complaints complaints and its rate is at least spike_factor times the trailing rate (docs/rules.md, "Complaint handling": a sudden rise triggers a cross-department alert). A week without trailing tickets never spikes.';

COMMENT ON COLUMN appraisal.complaint_spikes.week_start IS 'Monday of the week.';
COMMENT ON COLUMN appraisal.complaint_spikes.category IS 'Ticket category (complaint cause).';
COMMENT ON COLUMN appraisal.complaint_spikes.tickets IS 'Tickets opened in the period.';
COMMENT ON COLUMN appraisal.complaint_spikes.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.complaint_spikes.complaint_rate IS 'Complaints per 100 tickets of the category in the week.';
COMMENT ON COLUMN appraisal.complaint_spikes.trailing_tickets IS 'Tickets of the category in the spike_weeks weeks before.';
COMMENT ON COLUMN appraisal.complaint_spikes.trailing_complaints IS 'Complaints of the category in the spike_weeks weeks before.';
COMMENT ON COLUMN appraisal.complaint_spikes.trailing_rate IS 'Complaints per 100 tickets of the category over the trailing weeks (pooled).';
COMMENT ON COLUMN appraisal.complaint_spikes.spike IS 'The week''s rate reached spike_factor times the trailing rate, with at least spike_min_complaints complaints.';
