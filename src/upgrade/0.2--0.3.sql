-- appraisal 0.2 -> 0.3: what 0.3 added to the objects of 0.2 (the new parts
-- follow this file in the update script).

CREATE FUNCTION appraisal.satisfied(stats appraisal.csat_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'csat_stats_satisfied' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.satisfied(appraisal.csat_stats) IS
  'Responses with one of the two top ratings of the scale (4 or 5 on 1..5): the numerator of csat, for exact ratios pooled from counts. 0 for the empty summary.';

CREATE FUNCTION appraisal.elapsed_seconds(stats appraisal.sla_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'sla_stats_elapsed_seconds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.elapsed_seconds(appraisal.sla_stats) IS 'Total business time (pauses excluded) of the finished items, met and late, in seconds, exact to the microsecond: the sum mean_elapsed divides. 0 when none finished.';

-- 0.2 let users insert business calendars marked shipped (pg_dump leaves
-- those out): the trigger now fires on INSERT too.
DROP TRIGGER protect_shipped ON appraisal.business_calendars;
CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.business_calendars
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('business calendar');
