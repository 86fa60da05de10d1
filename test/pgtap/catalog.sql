-- pgTAP catalog contracts of the appraisal extension: properties every object
-- in schema appraisal must have, checked generically over the catalogs so that
-- new objects are covered without editing this file.  Each check lists the
-- offending objects in its failure diagnostics.
-- Run by test/run_tests.sh in a database holding pgtap and appraisal.
BEGIN;
SELECT plan(26);

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

-- appraisal_demo fills the tables of one version of appraisal: the two are
-- released together, with the same version (its generate_demo_data refuses
-- to run otherwise).
SELECT is(
  (SELECT count(DISTINCT default_version) FROM pg_available_extensions WHERE name IN ('appraisal', 'appraisal_demo')),
  1::bigint,
  'appraisal and appraisal_demo have the same default version');

SELECT isnt(
  nullif(btrim(obj_description(to_regnamespace('appraisal'), 'pg_namespace')), ''),
  NULL,
  'schema appraisal has a comment');

-- Every object in the schema is a member of appraisal (or of appraisal_demo,
-- which installs into the same schema).  Objects created
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
                        AND d.refobjid IN (SELECT oid FROM pg_extension WHERE extname IN ('appraisal', 'appraisal_demo'))
                        AND d.deptype = 'e')
     AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = o.classid AND d.objid = o.objid
                        AND d.deptype IN ('i', 'a'))
   ORDER BY 1
$$, 'every object in schema appraisal belongs to the extension or to appraisal_demo');

-- Functions and aggregates ------------------------------------------------

-- Parallel safety.  A function that writes (refreshes, schedules, loads,
-- trigger functions) cannot run in a parallel worker: it is VOLATILE and
-- PARALLEL UNSAFE.  Everything else is PARALLEL SAFE, so that the scorecard
-- views, which call the extension's functions and aggregates, can use
-- parallel plans.  PARALLEL RESTRICTED is never right here, and a STABLE or
-- IMMUTABLE function cannot write, so it must be PARALLEL SAFE.
SELECT is_empty($$
  SELECT format('%s: %s %s', p.oid::regprocedure,
                CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
                CASE p.proparallel WHEN 'r' THEN 'PARALLEL RESTRICTED' ELSE 'PARALLEL UNSAFE' END)
    FROM pg_proc p
   WHERE p.pronamespace = to_regnamespace('appraisal')
     AND p.prokind IN ('f', 'a', 'w')
     AND p.proparallel <> 's'
     AND NOT (p.proparallel = 'u' AND p.provolatile = 'v'
              AND p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'c'))
   ORDER BY 1
$$, 'every function and aggregate is PARALLEL SAFE, but VOLATILE SQL or PL/pgSQL functions may be PARALLEL UNSAFE');

-- CREATE FUNCTION without markings makes a VOLATILE PARALLEL UNSAFE function,
-- which the check above lets pass: so the functions allowed to be PARALLEL
-- UNSAFE are named here (trigger functions are, all of them), and those named
-- must be PARALLEL UNSAFE (a writer in a parallel worker fails).  A new
-- function that writes is added to this list.
SELECT is_empty($$
  WITH writers(name) AS (
    VALUES ('add_periods'), ('refresh_scorecards'), ('schedule_refresh'), ('unschedule_refresh'),
           ('file_appeal'), ('file_attribution_appeal'), ('decide_appeal'), ('publish_results'),
           ('generate_demo_data'), ('open_improvement_period'), ('create_staging'), ('import'), ('distribute'),
           -- (on a Citus cluster it fills its work table, comeback_staging)
           ('agent_daily_rows'),
           -- (on one node the refresh's upkeep of recurred_tickets)
           ('keep_recurred_tickets'),
           -- (on a Citus cluster: the workers' change logs, taken and deleted,
           -- and stale_summaries, which reads them from the workers)
           ('node_log_rows'), ('node_log'), ('take_node_logs'), ('stale_summaries')
  ), fns AS (
    SELECT p.oid::regprocedure::text AS fn, p.proparallel = 'u' AS unsafe,
           p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype) AS is_trigger,
           EXISTS (SELECT 1 FROM writers w WHERE w.name = p.proname) AS writes
      FROM pg_proc p
     WHERE p.pronamespace = to_regnamespace('appraisal')
       AND p.prokind IN ('f', 'a', 'w')
  )
  SELECT fn || CASE WHEN unsafe THEN ': PARALLEL UNSAFE but writes nothing (mark it PARALLEL SAFE, or list it as a writer here)'
                    ELSE ': writes but is not PARALLEL UNSAFE' END
    FROM fns
   WHERE unsafe <> (writes OR is_trigger)
  UNION ALL
  SELECT 'appraisal.' || w.name || ': listed as a writer here, but no such function'
    FROM writers w
   WHERE NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = to_regnamespace('appraisal') AND p.proname = w.name)
   ORDER BY 1
$$, 'the PARALLEL UNSAFE functions are exactly the trigger functions and those that write');

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
-- to see NULLs, functions with an optional argument defaulting to NULL
-- (pauses), which must run when it is left out, and the functions named
-- here, which check their other arguments even when one is NULL: a linear
-- range without two different ends is an error, not NULL points, even for a
-- NULL value; arrays of weights, parts and wholes of different lengths (one
-- of them NULL) are an error, not a NULL composite; try_cast's second
-- argument only names the type (NULL::timestamptz): it reads its value
-- whatever that argument holds; follow_up_pass's range is unbounded at a
-- NULL end, and a NULL zone, window or instant is an error; agent_daily_pass
-- refuses every NULL but the repeat window's, which fcr_agg refuses for a
-- resolved ticket alone, as agent_daily_rows's query does; comeback_pass
-- refuses every NULL but active_from's (then found from the tickets), and
-- category_daily_pass every NULL (an empty result would look like no
-- tickets).
SELECT is_empty($$
  SELECT p.oid::regprocedure::text
    FROM pg_proc p
   WHERE p.pronamespace = to_regnamespace('appraisal')
     AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
     AND NOT p.proisstrict
     AND NOT EXISTS (SELECT 1 FROM pg_aggregate a
                      WHERE p.oid IN (a.aggtransfn, a.aggcombinefn, a.aggmtransfn, a.aggminvtransfn))
     AND NOT (p.pronargdefaults > 0 AND pg_get_expr(p.proargdefaults, 0) ~ '^\(?NULL')
     AND p.oid::regprocedure::text NOT IN ('appraisal.linear_fraction(numeric,numeric,numeric)',
                                           'appraisal.linear_points(numeric,numeric,numeric)',
                                           'appraisal.weighted_share_percent(numeric[],numeric[],numeric[])',
                                           'appraisal.try_cast(text,anyelement)',
                                           'appraisal.follow_up_pass(text,text,text,interval,timestamp with time zone)',
                                           'appraisal.agent_daily_pass(integer,integer,bigint,text,timestamp with time zone,boolean,interval,text[],text[],interval[],appraisal.business_calendar[],interval[],appraisal.business_calendar[],text[],text[])',
                                           'appraisal.comeback_pass(integer,integer,interval,timestamp with time zone)',
                                           'appraisal.category_daily_pass(integer,integer,bigint,text,timestamp with time zone)')
   ORDER BY 1
$$, 'every non-strict C function is an aggregate transition or combine function, has a NULL default, or checks its other arguments when one is NULL');

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

-- security_invoker may be written true, on, yes or 1: read it as a boolean.
-- The exceptions are the person-level scorecards (and the provider one),
-- which show the rows scorecard_access allows, and scorecard_360, which
-- shows a rater group only from its anonymity threshold on: a scoped or BI
-- role is granted them without the summaries beneath them.  The views they
-- are built on (agent_summaries, pooled_summaries, reporting_lines,
-- follow_up_summaries) run
-- with their owner's rights too: an invoker view inside them would check
-- its reader's rights.  So does refresh_status (for appraisal_admin), which reads the
-- refresh's bookkeeping, the owner's alone.
SELECT set_eq($$
  SELECT c.oid::regclass::text
    FROM pg_class c
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind = 'v'
     AND NOT EXISTS (SELECT 1 FROM pg_options_to_table(c.reloptions) o
                      WHERE o.option_name = 'security_invoker' AND o.option_value::boolean)
$$, ARRAY['appraisal.agent_scorecard', 'appraisal.team_scorecard', 'appraisal.scorecard_360', 'appraisal.kpi_breakdown',
         'appraisal.overall_appraisal', 'appraisal.annual_results', 'appraisal.provider_scorecard',
         'appraisal.kpi_appeals', 'appraisal.attribution_appeals', 'appraisal.published_appraisal',
         'appraisal.published_differences', 'appraisal.sales_company_scorecard',
         'appraisal.improvement_outcomes',
         'appraisal.agent_summaries', 'appraisal.pooled_summaries', 'appraisal.reporting_lines',
         'appraisal.follow_up_summaries', 'appraisal.refresh_status'],
'every view is security_invoker but the scoped scorecards and the views they are built on');

-- BI tools (Metabase over JDBC) map these to number, text, boolean, date and
-- date-time fields; interval (Metabase: type/*) and the extension's types
-- are not understood.  Durations are numeric hours; the two-step summary
-- types stay in the materialized views and the two views that roll them up
-- for the scorecards (agent_summaries, pooled_summaries: not for BI tools).
SELECT is_empty($$
  SELECT format('%s.%I %s', c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod))
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind = 'v'
     AND c.oid NOT IN ('appraisal.agent_summaries'::regclass, 'appraisal.pooled_summaries'::regclass)
     AND a.attnum > 0 AND NOT a.attisdropped
     AND a.atttypid NOT IN ('text'::regtype, 'smallint'::regtype, 'integer'::regtype, 'bigint'::regtype,
                            'numeric'::regtype, 'double precision'::regtype, 'boolean'::regtype,
                            'date'::regtype, 'timestamptz'::regtype)
   ORDER BY 1
$$, 'every view column is text, smallint, integer, bigint, numeric, double precision, boolean, date or timestamptz');

SELECT is_empty($$
  SELECT c.oid::regclass::text
    FROM pg_class c
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind = 'm'
     AND NOT EXISTS (SELECT 1 FROM pg_index i
                      WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
                        AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey) k WHERE k = 0))
   ORDER BY 1
$$, 'every materialized view has a unique index on plain columns (REFRESH ... CONCURRENTLY)');

-- Configuration tables: pg_dump saves the rows users add -------------------

-- pg_dump saves an extension's table rows only when the table is registered
-- with pg_extension_config_dump.  Each table of the extension is one of:
--   * a table with a boolean column "shipped": the extension installs rows
--     marked shipped, users add their own; registered WHERE NOT shipped, and
--     protected by appraisal.protect_shipped_rows() before INSERT (nobody
--     marks a row shipped, or it would not be dumped), UPDATE, DELETE and
--     TRUNCATE;
--   * shipped only: every row is the extension's, so none is dumped; then
--     nobody may change it (a changed default would silently come back after
--     a restore): a trigger refuses INSERT, UPDATE, DELETE and TRUNCATE;
--   * users' rows only: registered with no condition.
-- pg_trigger.tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate.
SELECT is_empty($$
  SELECT format('%s (registered: %s)', c.oid::regclass,
                coalesce(quote_literal(cfg.condition), 'no'))
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'shipped' AND NOT a.attisdropped
    LEFT JOIN (SELECT unnest(extconfig) AS rel, unnest(extcondition) AS condition
                 FROM pg_extension WHERE extname = 'appraisal') cfg ON cfg.rel = c.oid
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind IN ('r', 'p')
     AND (a.atttypid <> 'boolean'::regtype OR cfg.condition IS DISTINCT FROM 'WHERE NOT shipped')
   ORDER BY 1
$$, 'every table with a "shipped" column is registered with pg_extension_config_dump WHERE NOT shipped');

SELECT is_empty($$
  SELECT format('%s: no protect_shipped_rows() trigger before %s', c.oid::regclass, e.event)
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'shipped' AND NOT a.attisdropped
    CROSS JOIN (VALUES ('INSERT', 4 | 1), ('UPDATE', 16 | 1), ('DELETE', 8 | 1), ('TRUNCATE', 32)) e(event, bits)
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind IN ('r', 'p')
     AND NOT EXISTS (SELECT 1 FROM pg_trigger t
                      WHERE t.tgrelid = c.oid AND t.tgenabled <> 'D'
                        AND t.tgfoid = 'appraisal.protect_shipped_rows()'::regprocedure
                        AND t.tgtype & 2 = 2 AND t.tgtype & e.bits = e.bits)
   ORDER BY 1
$$, 'every table with a "shipped" column protects the shipped rows on INSERT, UPDATE, DELETE and TRUNCATE');

SELECT is_empty($$
  SELECT format('%s: not registered with pg_extension_config_dump, nor protected against %s',
                c.oid::regclass,
                (SELECT string_agg(e.event, ', ' ORDER BY e.n)
                   FROM (VALUES (1, 'INSERT', 4 | 1), (2, 'UPDATE', 16 | 1), (3, 'DELETE', 8 | 1), (4, 'TRUNCATE', 32)) e(n, event, bits)
                  WHERE NOT EXISTS (SELECT 1 FROM pg_trigger t
                                     WHERE t.tgrelid = c.oid AND t.tgenabled <> 'D' AND NOT t.tgisinternal
                                       AND t.tgtype & 2 = 2 AND t.tgtype & e.bits = e.bits)))
    FROM pg_class c
   WHERE c.relnamespace = to_regnamespace('appraisal')
     AND c.relkind IN ('r', 'p')
     AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'shipped' AND NOT a.attisdropped)
     AND NOT c.oid = ANY ((SELECT extconfig FROM pg_extension WHERE extname = 'appraisal')::oid[])
     -- the refresh's bookkeeping, written by the extension's own functions
     -- and triggers alone, and the summaries it computes are not dumped: a
     -- restore leaves the summaries not computed, and the first refresh
     -- recomputes them all (recurred_tickets and active_tickets, kept with
     -- agent_daily, and comebacks_kept, which says they are, too);
     -- agent_daily_rows's work table is empty between refreshes
     AND c.oid NOT IN ('appraisal.refresh_log'::regclass, 'appraisal.refresh_state'::regclass,
                       'appraisal.comeback_staging'::regclass, 'appraisal.recurred_tickets'::regclass,
                       'appraisal.active_tickets'::regclass, 'appraisal.comebacks_kept'::regclass,
                       'appraisal.agent_daily'::regclass, 'appraisal.agent_daily_csat'::regclass,
                       'appraisal.category_daily'::regclass, 'appraisal.agent_daily_follow_up'::regclass)
     -- shipped only: a trigger refuses each kind of change
     AND (SELECT count(*) FROM (VALUES (4 | 1), (16 | 1), (8 | 1), (32)) e(bits)
           WHERE EXISTS (SELECT 1 FROM pg_trigger t
                          WHERE t.tgrelid = c.oid AND t.tgenabled <> 'D' AND NOT t.tgisinternal
                            AND t.tgtype & 2 = 2 AND t.tgtype & e.bits = e.bits)) < 4
  UNION ALL
  SELECT format('%s: registered with condition %L, but has no "shipped" column', c.oid::regclass, cfg.condition)
    FROM (SELECT unnest(extconfig) AS rel, unnest(extcondition) AS condition
            FROM pg_extension WHERE extname = 'appraisal') cfg
    JOIN pg_class c ON c.oid = cfg.rel
   WHERE cfg.condition <> ''
     AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'shipped' AND NOT a.attisdropped)
   ORDER BY 1
$$, 'every other table is registered with pg_extension_config_dump (all rows), or shipped only and protected');

-- A function whose body is a string (PL/pgSQL, or SQL not written as a
-- standard BEGIN ATOMIC body) resolves names when it runs, under the
-- caller's search_path: an object of the same name earlier on that path
-- would run in its place, with the function's privileges (a trigger runs
-- as whoever changes the row, a superuser included).  Each pins its own.
-- C functions and aggregates parse no SQL text (the one SPI lookup, of a
-- named configuration value, qualifies every name).
SELECT is_empty($$
  SELECT p.oid::regprocedure::text
    FROM pg_proc p
    JOIN pg_language l ON l.oid = p.prolang
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname IN ('appraisal', 'appraisal_demo')
   WHERE l.lanname NOT IN ('c', 'internal')
     AND p.prosqlbody IS NULL
     AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\_path=%')
   ORDER BY 1
$$, 'every function with a string body pins its search_path');

-- Least privilege: distributing the installation (Citus) is for the
-- extension's owner, whose tables it alters; refreshing, scheduling,
-- deciding appeals and publishing are for appraisal_admin (filing too, and for staff the DBA grants it
-- to: file_appeal checks they file their own); the
-- functions that run with their owner's rights (refresh_scorecards:
-- refreshing takes the materialized views' owner; the trigger that reads the
-- pseudonym key; the trigger that logs changes for the next refresh) are
-- withheld from PUBLIC and pin their search_path.
SELECT set_eq($$
  SELECT p.oid::regprocedure::text
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'appraisal'
   WHERE NOT has_function_privilege('public', p.oid, 'EXECUTE')
$$, ARRAY['appraisal.refresh_scorecards(boolean)', 'appraisal.schedule_refresh(text)', 'appraisal.unschedule_refresh()',
         'appraisal.file_appeal(text,text,text,numeric,text)', 'appraisal.file_attribution_appeal(text,text,text)',
         'appraisal.decide_appeal(integer,text,numeric,text,text)', 'appraisal.publish_results(text)',
         'appraisal.set_customer_key()', 'appraisal.check_data_health()', 'appraisal.check_data_health(boolean)', 'appraisal.log_summary_change()',
         'appraisal.log_ticket_change()', 'appraisal.log_follow_up_change()', 'appraisal.distribute(integer)',
         'appraisal.stale_summaries(timestamp with time zone)', 'appraisal.refresh_keys(regclass,boolean,text[],date[],boolean)',
         'appraisal.keep_recurred_tickets(text[],text[],tid[],text[])',
         'appraisal.node_log(boolean)',
         'appraisal.node_log_rows(jsonb,boolean)', 'appraisal.take_node_logs()'],
'only refreshing, scheduling, filing, deciding, publishing, checking data health and reading the change logs (appraisal_admin), distributing and checking data health after a full refresh (the owner) and the triggers that read the pseudonym key and log changes are withheld from PUBLIC');
SELECT is_empty($$
  SELECT p.oid::regprocedure::text
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname IN ('appraisal', 'appraisal_demo')
   WHERE (p.prosecdef AND (has_function_privilege('public', p.oid, 'EXECUTE')
                           OR NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\_path=%')))
      OR (NOT has_function_privilege('public', p.oid, 'EXECUTE') AND p.prorettype <> 'trigger'::regtype
          AND NOT has_function_privilege('appraisal_admin', p.oid, 'EXECUTE')
          -- distribute() alters the extension's tables: for their owner alone;
          -- node_log_rows() is run on the workers by node_log() as the owner;
          -- keep_recurred_tickets() trusts the addresses it is given: run by
          -- refresh_scorecards() as the owner; check_data_health(boolean)
          -- given true takes the summaries for the tables: so called by
          -- refresh_scorecards() as the owner
          AND p.oid NOT IN ('appraisal.distribute(integer)'::regprocedure,
                            'appraisal.node_log_rows(jsonb,boolean)'::regprocedure,
                            'appraisal.keep_recurred_tickets(text[],text[],tid[],text[])'::regprocedure,
                            'appraisal.check_data_health(boolean)'::regprocedure))
$$, 'SECURITY DEFINER functions are withheld from PUBLIC and pin their search_path; what PUBLIC may not run (but for triggers, distribute, node_log_rows, keep_recurred_tickets and check_data_health(boolean)), appraisal_admin may');

SELECT * FROM finish();
ROLLBACK;
