-- 31: service work: SLA policies, tickets and their survey responses.  The
-- tables that take bulk loads have no triggers: only CHECK constraints and
-- foreign keys.  Rules: docs/rules.md, "Complaint handling" and "Service
-- levels".

CREATE TABLE appraisal.sla_policies (
  metric   text NOT NULL
           CONSTRAINT "SLA metric must be first_response or resolution"
           CHECK (metric IN ('first_response', 'resolution')),
  channel  text,
  priority text,
  target   interval NOT NULL CONSTRAINT "SLA target must be positive" CHECK (target > interval '0')
           CONSTRAINT "SLA target must be hours or days, not months" CHECK (extract(month FROM target) = 0 AND extract(year FROM target) = 0)
           CONSTRAINT "SLA target must not have negative parts" CHECK (extract(day FROM target) >= 0 AND target - date_trunc('day', target) >= interval '0'),
  calendar text NOT NULL DEFAULT '24x7'
           CONSTRAINT "calendar must be named in appraisal.business_calendars"
           REFERENCES appraisal.business_calendars (name) ON UPDATE CASCADE,
  description text,
  CONSTRAINT "one SLA policy per metric, channel and priority" UNIQUE NULLS NOT DISTINCT (metric, channel, priority),
  -- '' stands for "any other" in sla_policy_matrix()
  CONSTRAINT "channel and priority must not be empty strings" CHECK (channel <> '' AND priority <> '')
);
COMMENT ON TABLE appraisal.sla_policies IS
  'SLA targets per metric, channel and priority, in business time on a named calendar. A ticket takes the most specific policy: channel and priority, then channel (priority NULL), then priority (channel NULL), then the metric''s general policy (both NULL); without any, first response is due in 24 hours and resolution in 48 hours on the 24x7 calendar (docs/rules.md, "Complaint handling" and "Service levels").';
COMMENT ON COLUMN appraisal.sla_policies.metric IS 'first_response (opened to first reply) or resolution (opened to resolved).';
COMMENT ON COLUMN appraisal.sla_policies.channel IS 'Ticket channel the policy applies to; NULL for any channel.';
COMMENT ON COLUMN appraisal.sla_policies.priority IS 'Ticket priority the policy applies to; NULL for any priority.';
COMMENT ON COLUMN appraisal.sla_policies.target IS 'Target in business time: hours count working time, days count working days (e.g. 3 days = three working days).';
COMMENT ON COLUMN appraisal.sla_policies.calendar IS 'Name of the business calendar in appraisal.business_calendars.';
COMMENT ON COLUMN appraisal.sla_policies.description IS 'Where the target comes from.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.sla_policies', '');

CREATE TABLE appraisal.tickets (
  ticket_id         text PRIMARY KEY,
  opened_at         timestamptz NOT NULL,
  first_response_at timestamptz,
  resolved_at       timestamptz,
  contacts          integer CONSTRAINT "contacts must be at least 1" CHECK (contacts >= 1),
  channel           text NOT NULL,
  priority          text NOT NULL DEFAULT 'normal',
  category          text NOT NULL,
  complaint         boolean NOT NULL DEFAULT false,
  cause             text CONSTRAINT "cause must be service or system" CHECK (cause IN ('service', 'system')),
  customer_id       text,
  agent_id          text NOT NULL CONSTRAINT "agent must be a known employee" REFERENCES appraisal.employees,
  pauses            tstzmultirange,
  CONSTRAINT "timestamps must be finite" CHECK (isfinite(opened_at) AND isfinite(first_response_at) AND isfinite(resolved_at)),
  CONSTRAINT "first response cannot precede opening" CHECK (first_response_at >= opened_at),
  CONSTRAINT "resolution cannot precede opening" CHECK (resolved_at >= opened_at),
  CONSTRAINT "a resolved ticket needs its number of contacts" CHECK (resolved_at IS NULL OR contacts IS NOT NULL),
  CONSTRAINT "only complaints have a cause" CHECK (cause IS NULL OR complaint)
);
COMMENT ON TABLE appraisal.tickets IS
  'Customer contacts handled by an agent (one row per ticket; load with COPY). Complaints carry their attribution: service-caused ones count against the agent; system-caused ones (company policy or system) are left out of the agent''s measures but for their first response, unless system_complaints_first_response is false (docs/rules.md, "Complaint handling").';
COMMENT ON COLUMN appraisal.tickets.ticket_id IS 'Ticket number.';
COMMENT ON COLUMN appraisal.tickets.opened_at IS 'When the customer''s contact was received; the ticket counts on this day (in the report time zone).';
COMMENT ON COLUMN appraisal.tickets.first_response_at IS 'First reply to the customer; NULL while unanswered (a resolved ticket without one counts as answered when resolved).';
COMMENT ON COLUMN appraisal.tickets.resolved_at IS 'When the ticket was closed as resolved; NULL while open.';
COMMENT ON COLUMN appraisal.tickets.contacts IS 'Contact on which the ticket was resolved (1 = first contact resolution); required once resolved.';
COMMENT ON COLUMN appraisal.tickets.channel IS 'Channel the contact came in on (e.g. phone, email, web, social); selects the SLA policy.';
COMMENT ON COLUMN appraisal.tickets.priority IS 'Priority (default normal); selects the SLA policy.';
COMMENT ON COLUMN appraisal.tickets.category IS 'Problem category; recurrence, Pareto and spikes are per category.';
COMMENT ON COLUMN appraisal.tickets.complaint IS 'True for a complaint (客诉).';
COMMENT ON COLUMN appraisal.tickets.cause IS 'Complaint attribution: service (counts against the agent) or system (company policy or system; left out of the agent''s measures but for its first response, per system_complaints_first_response); NULL while not attributed.';
COMMENT ON COLUMN appraisal.tickets.customer_id IS 'Customer (same phone and address = same customer); a comeback of the same customer and category is a recurrence.';
COMMENT ON COLUMN appraisal.tickets.agent_id IS 'Employee who handled the ticket.';
COMMENT ON COLUMN appraisal.tickets.pauses IS 'Stretches when the SLA clock stopped (waiting for the customer); excluded from business time.';
-- No secondary indexes: the scorecards read the materialized summaries, and
-- each index would slow every COPY of tickets (two cost as much as the rest).

SELECT pg_catalog.pg_extension_config_dump('appraisal.tickets', '');

CREATE TABLE appraisal.survey_responses (
  ticket_id    text NOT NULL CONSTRAINT "survey must be about a known ticket" REFERENCES appraisal.tickets ON DELETE CASCADE,
  source       text NOT NULL
               CONSTRAINT "survey source must be web, call_back or sms"
               CHECK (source IN ('web', 'call_back', 'sms')),
  responded_at timestamptz NOT NULL CONSTRAINT "response time must be finite" CHECK (isfinite(responded_at)),
  rating       integer NOT NULL,
  scale_max    integer NOT NULL DEFAULT 5
               CONSTRAINT "scale must be 1..2 to 1..10" CHECK (scale_max BETWEEN 2 AND 10),
  CONSTRAINT "rating must lie on its scale 1..scale_max" CHECK (rating BETWEEN 1 AND scale_max),
  PRIMARY KEY (ticket_id, source, responded_at)
);
COMMENT ON TABLE appraisal.survey_responses IS
  'Satisfaction ratings of tickets from surveys, SMS and call-backs. Scorecards count one response per ticket (docs/rules.md, "Complaint handling"): a web response beats a call-back, which beats an SMS; among equals the latest counts. Responses on different scales are summarised apart and pooled by their counts of responses and satisfied responses.';
COMMENT ON COLUMN appraisal.survey_responses.ticket_id IS 'Ticket the response rates.';
COMMENT ON COLUMN appraisal.survey_responses.source IS 'web, call_back or sms.';
COMMENT ON COLUMN appraisal.survey_responses.responded_at IS 'When the response was given.';
COMMENT ON COLUMN appraisal.survey_responses.rating IS 'Rating from 1 to scale_max; the top two ratings count as satisfied.';
COMMENT ON COLUMN appraisal.survey_responses.scale_max IS 'Top of the rating scale (default 5, five stars).';
-- (the responses given in a call after an instant: through a BRIN index
-- of the time of the response, as appraisal.call_backs's calls)
CREATE INDEX ON appraisal.survey_responses USING brin (responded_at);

SELECT pg_catalog.pg_extension_config_dump('appraisal.survey_responses', '');
