-- pgTAP catalog contracts of the appraisal extension: properties every object
-- in schema appraisal must have, checked generically over the catalogs so that
-- new objects are covered without editing this file.  Each check lists the
-- offending objects in its failure diagnostics.
-- Run by test/run_tests.sh in a database holding pgtap and appraisal.
BEGIN;
SELECT plan(22);

-- The extension and its schema -------------------------------------------

SELECT has_schema('appraisal', 'schema appraisal exists');

SELECT is(
  (SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'appraisal'),
  'appraisal',
  'extension appraisal is installed in schema appraisal');

SELECT is(
  (SELECT extrelocatable FROM pg_extension WHERE extname = 'appraisal'),
  false,
  'extension appraisal is not relocatable');

SELECT isnt(
  nullif(btrim(obj_description(to_regnamespace('appraisal'), 'pg_namespace')), ''),
  NULL,
  'schema appraisal has a comment');

-- Every object in the schema is a member of the extension.  Objects created
-- implicitly along with another one (array and row types, indexes, owned
-- sequences, a composite type's relation) depend on it internally or
-- automatically instead, and are not checked.
SELECT is_empty($$
  WITH obj(classid, objid) AS (
              SELECT 'pg_class'::regclass, oid FROM pg_class WHERE relnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE pronamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_type'::regclass, oid FROM pg_type WHERE typnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_operator'::regclass, oid FROM pg_operator WHERE oprnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_opclass'::regclass, oid FROM pg_opclass WHERE opcnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_opfamily'::regclass, oid FROM pg_opfamily WHERE opfnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_collation'::regclass, oid FROM pg_collation WHERE collnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_conversion'::regclass, oid FROM pg_conversion WHERE connamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_statistic_ext'::regclass, oid FROM pg_statistic_ext WHERE stxnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_ts_config'::regclass, oid FROM pg_ts_config WHERE cfgnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_ts_dict'::regclass, oid FROM pg_ts_dict WHERE dictnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_ts_parser'::regclass, oid FROM pg_ts_parser WHERE prsnamespace = to_regnamespace('appraisal')
    UNION ALL SELECT 'pg_ts_template'::regclass, oid FROM pg_ts_template WHERE tmplnamespace = to_regnamespace('appraisal')
  )
  SELECT pg_describe_object(o.classid, o.objid, 0)
    FROM obj o
   WHERE NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = o.classid AND d.objid = o.objid
                        AND d.refclassid = 'pg_extension'::regclass
                        AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'appraisal')
                        AND d.deptype = 'e')
     AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = o.classid AND d.objid = o.objid
                        AND d.deptype IN ('i', 'a'))
   ORDER BY 1
$$, 'every object in schema appraisal belongs to the extension');

-- Functions and aggregates ------------------------------------------------

SELECT is_empty($$
  SELECT p.oid::regprocedure::text
    FROM pg_proc p
   WHERE p.pronamespace = to_regnamespace('appraisal')
     AND p.prokind IN ('f', 'a', 'w')
     AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
     AND p.proparallel <> 's'
     -- functions that write (refresh, scheduling, loading) cannot run in a
     -- parallel worker; they must say so by being VOLATILE
     AND NOT (p.provolatile = 'v' AND p.proparallel = 'u' AND p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'c'))
   ORDER BY 1
$$, 'every function and aggregate is PARALLEL SAFE, but trigger functions and volatile SQL or PL/pgSQL functions that write');

SELECT is_empty($$
  SELECT p.oid::regprocedure::text
    FROM pg_proc p
   WHERE p.pronamespace = to_regnamespace('appraisal')
     AND p.proparallel = 'u' AND p.provolatile = 'v'
     AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
     AND p.oid NOT IN ('appraisal.add_periods(integer)'::regprocedure, 'appraisal.refresh_scorecards()'::regprocedure,
                       'appraisal.schedule_refresh(text)'::regprocedure, 'appraisal.unschedule_refresh()'::regprocedure,
                       'appraisal.generate_demo_data(integer,integer,integer,boolean)'::regprocedure)
   ORDER BY 1
$$, 'the PARALLEL UNSAFE functions are exactly those that write');

SELECT is_empty($$
  SELECT p.oid::regprocedure::text
    FROM pg_proc p
   WHERE p.pronamespace = to_regnamespace('appraisal')
     AND coalesce(btrim(obj_description(p.oid, 'pg_proc')), '') = ''
     -- not the constructors made implicitly with a range type
     AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
   ORDER BY 1
$$, 'every function and aggregate has a comment');

-- Normal aggregates only: ordered-set and hypothetical-set aggregates cannot
-- have a combine function.
SELECT is_empty($$
  SELECT a.aggfnoid::regprocedure::text
    FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
   WHERE p.pronamespace = to_regnamespace('appraisal')
     AND a.aggkind = 'n'
     AND a.aggcombinefn = 0
   ORDER BY 1
$$, 'every aggregate has a combine function');

SELECT is_empty($$
  SELECT a.aggfnoid::regprocedure::text
    FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
   WHERE p.pronamespace = to_regnamespace('appraisal')
     AND 'internal'::regtype IN (a.aggtranstype, a.aggmtranstype)
   ORDER BY 1
$$, 'no aggregate has an internal state type');

-- A final function may run more than once on the same state (window
-- aggregates, shared states): it must not modify it.
SELECT is_empty($$
  SELECT a.aggfnoid::regprocedure::text
    FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
   WHERE p.pronamespace = to_regnamespace('appraisal')
     AND ((a.aggfinalfn <> 0 AND a.aggfinalmodify <> 'r')
       OR (a.aggmfinalfn <> 0 AND a.aggmfinalmodify <> 'r'))
   ORDER BY 1
$$, 'every aggregate final function is FINALFUNC_MODIFY = READ_ONLY');

-- C functions are STRICT, except aggregate transition functions (plain or
-- moving-window, forward or inverse) and combine functions, which may need
-- to see NULLs, and functions with an optional argument defaulting to NULL
-- (pauses), which must run when it is left out.
SELECT is_empty($$
  SELECT p.oid::regprocedure::text
    FROM pg_proc p
   WHERE p.pronamespace = to_regnamespace('appraisal')
     AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
     AND NOT p.proisstrict
     AND NOT EXISTS (SELECT 1 FROM pg_aggregate a
                      WHERE p.oid IN (a.aggtransfn, a.aggcombinefn, a.aggmtransfn, a.aggminvtransfn))
     AND NOT (p.pronargdefaults > 0 AND pg_get_expr(p.proargdefaults, 0) ~ '^\(?NULL')
   ORDER BY 1
$$, 'every non-strict C function is an aggregate transition or combine function or has a NULL default');

-- Types --------------------------------------------------------------------

-- Array types, multirange types and the row types of tables and views are
-- made implicitly; a composite type made by CREATE TYPE ... AS is checked.
SELECT is_empty($$
  SELECT format_type(t.oid, NULL)
    FROM pg_type t
    LEFT JOIN pg_class c ON c.oid = t.typrelid
   WHERE t.typnamespace = to_regnamespace('appraisal')
     AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
     AND t.typtype <> 'm'
     AND (t.typrelid = 0 OR c.relkind = 'c')
     AND coalesce(btrim(obj_description(t.oid, 'pg_type')), '') = ''
   ORDER BY 1
$$, 'every type has a comment');

SELECT is_empty($$
  SELECT format_type(t.oid, NULL)
    FROM pg_type t
   WHERE t.typnamespace = to_regnamespace('appraisal')
     AND t.typtype = 'b'
     AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
     AND (t.typreceive = 0 OR t.typsend = 0)
   ORDER BY 1
$$, 'every base type has binary receive and send functions');

-- Tables and views -------------------------------------------------------

SELECT is_empty($$
  SELECT c.oid::regclass::text
    FROM pg_class c
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     AND coalesce(btrim(obj_description(c.oid, 'pg_class')), '') = ''
   ORDER BY 1
$$, 'every table and view has a comment');

SELECT is_empty($$
  SELECT format('%s.%I', c.oid::regclass, a.attname)
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     AND a.attnum > 0 AND NOT a.attisdropped
     AND coalesce(btrim(col_description(c.oid, a.attnum)), '') = ''
   ORDER BY 1
$$, 'every column of every table and view has a comment');

SELECT is_empty($$
  SELECT c.oid::regclass::text
    FROM pg_class c
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind = 'v'
     AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
   ORDER BY 1
$$, 'every view is security_invoker: readers need the rights to what it reads');

-- BI tools (Metabase over JDBC) understand these; the two-step summary types
-- stay in the materialized views.
SELECT is_empty($$
  SELECT format('%s.%I %s', c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod))
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind = 'v'
     AND a.attnum > 0 AND NOT a.attisdropped
     AND a.atttypid NOT IN ('text'::regtype, 'smallint'::regtype, 'integer'::regtype, 'bigint'::regtype,
                            'numeric'::regtype, 'double precision'::regtype, 'boolean'::regtype,
                            'date'::regtype, 'timestamptz'::regtype)
   ORDER BY 1
$$, 'every view column has a plain type');

SELECT is_empty($$
  SELECT c.oid::regclass::text
    FROM pg_class c
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind = 'm'
     AND NOT EXISTS (SELECT 1 FROM pg_index i
                      WHERE i.indrelid = c.oid AND i.indisunique AND i.indpred IS NULL
                        AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey) k WHERE k = 0))
   ORDER BY 1
$$, 'every materialized view has a unique index on plain columns (REFRESH ... CONCURRENTLY)');

-- Configuration tables: pg_dump saves the rows users add -------------------

-- Every table holding users' rows is registered; only setting_definitions,
-- whose rows the extension ships and nobody changes, is not.
SELECT is_empty($$
  SELECT c.oid::regclass::text
    FROM pg_class c
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind IN ('r', 'p')
     AND c.oid <> 'appraisal.setting_definitions'::regclass
     AND NOT c.oid = ANY ((SELECT extconfig FROM pg_extension WHERE extname = 'appraisal')::oid[])
   ORDER BY 1
$$, 'every table of users'' rows is registered with pg_extension_config_dump');

SELECT ok(
  coalesce((SELECT to_regclass('appraisal.weight_scheme') = ANY (extconfig)
              FROM pg_extension WHERE extname = 'appraisal'), false),
  'appraisal.weight_scheme is registered with pg_extension_config_dump');

SELECT ok(
  coalesce((SELECT to_regclass('appraisal.grade_scale') = ANY (extconfig)
              FROM pg_extension WHERE extname = 'appraisal'), false),
  'appraisal.grade_scale is registered with pg_extension_config_dump');

SELECT * FROM finish();
ROLLBACK;
