-- ALTER EXTENSION appraisal UPDATE from the released 0.1 gives exactly what a
-- fresh install of the current version gives: the same objects, the same
-- function properties and comments, the same shipped rows.
\set SHOW_CONTEXT never
SET intervalstyle = 'postgres';
CREATE FUNCTION pg_temp.extension_objects() RETURNS TABLE (object text, properties text, comment text)
LANGUAGE sql AS $$
  SELECT pg_describe_object(d.classid, d.objid, 0),
         (SELECT concat_ws(' ', p.provolatile, p.proparallel, p.proisstrict, p.prokind, p.prosrc,
                           pg_get_function_arguments(p.oid), pg_get_function_result(p.oid))
            FROM pg_proc p WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid),
         ds.description
  FROM pg_depend d
  LEFT JOIN pg_description ds ON ds.classoid = d.classid AND ds.objoid = d.objid AND ds.objsubid = 0
  WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
    AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'appraisal')
  UNION ALL   -- comments on the columns of the extension's tables
  SELECT pg_describe_object('pg_class'::regclass, c.oid, a.attnum), format_type(a.atttypid, a.atttypmod),
         col_description(c.oid, a.attnum)
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind IN ('r', 'v', 'm')
  UNION ALL   -- the tables pg_dump saves rows of, with their conditions
  SELECT 'configuration table ' || c::regclass::text, w, NULL
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(c, w)
  WHERE e.extname = 'appraisal'
  UNION ALL   -- the rows shipped with the extension
  SELECT 'shipped ' || t, n, NULL
  FROM (SELECT 'weight_scheme' AS t, string_agg(name || '=' || scheme::text, '; ' ORDER BY name) AS n
          FROM appraisal.weight_scheme WHERE shipped
        UNION ALL SELECT 'grade_scale', string_agg(name || '=' || scale::text, '; ' ORDER BY name)
          FROM appraisal.grade_scale WHERE shipped
        UNION ALL SELECT 'business_calendars', string_agg(name || '=' || calendar::text, '; ' ORDER BY name)
          FROM appraisal.business_calendars WHERE shipped
        UNION ALL SELECT 'item_scale', string_agg(name || '=' || scale::text, '; ' ORDER BY name)
          FROM appraisal.item_scale WHERE shipped
        UNION ALL SELECT 'survey_items', string_agg(concat_ws(' ', questionnaire, item_no, item, title, answer, scale), '; '
                                                    ORDER BY questionnaire, item_no)
          FROM appraisal.survey_items WHERE shipped
        UNION ALL SELECT 'penalty_rules', string_agg(concat_ws(' ', rule_id, valid_from, description, amount, unit), '; '
                                                     ORDER BY rule_id, valid_from)
          FROM appraisal.penalty_rules WHERE shipped) s
$$;

CREATE TEMP TABLE fresh AS SELECT * FROM pg_temp.extension_objects();
SELECT extversion AS fresh_version FROM pg_extension WHERE extname = 'appraisal';

DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal VERSION '0.1';
-- 0.1 has the 360 scores but no business time
SELECT appraisal.score_360(s, 'superior') AS score_0_1, to_regtype('appraisal.business_calendar') IS NULL AS no_calendars
FROM (VALUES (90.0)) v(s);

ALTER EXTENSION appraisal UPDATE;
SELECT extversion AS updated_version FROM pg_extension WHERE extname = 'appraisal';
CREATE TEMP TABLE updated AS SELECT * FROM pg_temp.extension_objects();

-- (PostgreSQL 17 and later also record the array types, and the row types of
-- tables and views, as members: they come and go with their type or table,
-- and are left out of the count so that it is the same on every server)
SELECT count(*) AS objects FROM fresh
WHERE object NOT IN (SELECT pg_describe_object('pg_type'::regclass, t.oid, 0)
                     FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
                     WHERE EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
                        OR c.relkind IN ('r', 'p', 'v', 'm', 'f'));
-- in a fresh install only, or only after the update: none
(SELECT 'fresh only' AS side, * FROM fresh EXCEPT SELECT 'fresh only', * FROM updated)
UNION ALL
(SELECT 'updated only', * FROM updated EXCEPT SELECT 'updated only', * FROM fresh)
ORDER BY 1, 2;
-- and the updated extension works
SELECT appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', '24x7') AS elapsed;
