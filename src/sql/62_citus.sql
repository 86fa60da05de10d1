-- 62: the product on Citus (docs/scaling.md, "Distributing the product").
-- appraisal.distribute(), run once on a Citus coordinator, makes an
-- installation a distributed one, in the layout citus_layout() gives:
--
-- * the tickets and the rows kept per ticket (survey responses, call-backs,
--   quality inspections) distributed by ticket_id and co-located: a ticket's
--   responses, call-backs and inspections are on its shard, so the
--   one-response-per-ticket rule, a ticket's follow-up and the cascades of a
--   deleted ticket never leave a node.  (Not by customer: a ticket need not
--   name one, and Citus needs a value in the distribution column; the rows
--   kept per ticket name the ticket only.)
-- * comeback_staging, the work table of agent_daily_rows (40), distributed
--   by customer_id in no co-location group: the tickets of customers
--   copied there from worker to worker, each customer's on one shard, for
--   the comeback window;
-- * every other table of the extension's data a reference table, copied
--   to every node: people, periods, configuration, customers, providers and
--   their events, appraisal records; small beside the tickets, read by
--   every shard (the SLA policies and calendars an aggregate looks up by
--   name on a worker, the employees a ticket's agent must be);
-- * the summaries, period_ratings and the refresh's bookkeeping stay on the
--   coordinator, where the views read them (recurred_tickets,
--   active_tickets and comebacks_kept too, which only a refresh on one
--   node keeps and uses: not used there).
--
-- Citus would refuse the tables as the extension creates them: their
-- foreign keys join tables it would convert one at a time, their triggers
-- need citus.enable_unsafe_triggers, and the triggers that guard shipped
-- rows refuse the copy of those rows to the new shards.  distribute() drops
-- the foreign keys among the extension's tables (on every node: each
-- worker's CREATE EXTENSION made them too), distributes each table with its
-- row triggers held while its rows are copied, then adds every foreign key
-- back, which Citus enforces on the shards.  One foreign key cannot be
-- kept: from a reference table to a distributed one (an appeal's ticket);
-- a trigger on each side keeps that rule instead (check_appeal_ticket).
--
-- The statement triggers that log the changed agent-days (42) go along
-- with their tables and fire on the shards, each worker logging into its
-- own refresh_log; the coordinator's refresh takes those rows into its log
-- first (42: take_node_logs) and recomputes what changed, as on one node.

-- How each table of the extension's data is distributed by distribute().
CREATE FUNCTION appraisal.citus_layout()
RETURNS TABLE (table_name regclass, placement text, distribution_column name, colocate_with regclass)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  WITH per_ticket(table_name) AS (
    VALUES ('appraisal.tickets'::regclass), ('appraisal.survey_responses'::regclass),
           ('appraisal.call_backs'::regclass), ('appraisal.quality_inspections'::regclass)
  ), on_coordinator(table_name) AS (   -- the summaries and the refresh's bookkeeping
    SELECT m.summary FROM appraisal.summary_sources() m
    UNION ALL
    VALUES ('appraisal.refresh_log'::regclass), ('appraisal.refresh_state'::regclass), ('appraisal.recurred_tickets'::regclass),
           ('appraisal.active_tickets'::regclass), ('appraisal.comebacks_kept'::regclass)
  )
  SELECT c.oid::regclass,
         CASE WHEN c.oid IN (SELECT table_name FROM per_ticket) OR c.oid = 'appraisal.comeback_staging'::regclass
              THEN 'distributed'
              WHEN c.oid IN (SELECT table_name FROM on_coordinator) THEN 'coordinator'
              ELSE 'reference' END,
         CASE WHEN c.oid IN (SELECT table_name FROM per_ticket) THEN 'ticket_id'::name
              WHEN c.oid = 'appraisal.comeback_staging'::regclass THEN 'customer_id'::name END,
         CASE WHEN c.oid IN (SELECT table_name FROM per_ticket) AND c.oid <> 'appraisal.tickets'::regclass
              THEN 'appraisal.tickets'::regclass END
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                             AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e'
  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'appraisal'
  WHERE c.relkind IN ('r', 'm')
  ORDER BY 2, c.oid::regclass::text;
END;
COMMENT ON FUNCTION appraisal.citus_layout() IS
  'How appraisal.distribute() lays the extension''s tables out on a Citus cluster: placement distributed (the tickets and the rows kept per ticket, by ticket_id, co-located with appraisal.tickets), reference (every other table of data, copied to every node) or coordinator (the summaries, period_ratings and the refresh''s bookkeeping, which the views read there).';

-- An appeal's ticket must be a known ticket, and a ticket under appeal
-- cannot go: the foreign key from appeals to tickets, which Citus cannot
-- keep from a reference table to a distributed one.  A ticket's shard
-- checks the appeals (a reference table, on its node); an appeal is checked
-- against the tickets on the coordinator only (a reference table's trigger
-- fires on every node's copy, and a worker may not query the tickets of
-- other nodes from there).
CREATE FUNCTION appraisal.check_appeal_ticket() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME LIKE 'appeals%' THEN
    -- (the copies on the workers take the row the coordinator's checked; a
    -- statement of its own, planned only on the coordinator)
    IF NEW.ticket_id IS NULL OR NOT pg_catalog.citus_is_coordinator() THEN
      RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT FROM appraisal.tickets t WHERE t.ticket_id = NEW.ticket_id) THEN
      RAISE EXCEPTION 'insert or update on table "appeals" violates foreign key constraint "appealed ticket must be a known ticket"'
        USING ERRCODE = 'foreign_key_violation',
              DETAIL = format('Key (ticket_id)=(%s) is not present in table "tickets".', NEW.ticket_id);
    END IF;
    RETURN NEW;
  END IF;
  IF EXISTS (SELECT FROM appraisal.appeals a WHERE a.ticket_id = OLD.ticket_id) THEN
    RAISE EXCEPTION 'update or delete on table "tickets" violates foreign key constraint "appealed ticket must be a known ticket" on table "appeals"'
      USING ERRCODE = 'foreign_key_violation',
            DETAIL = format('Key (ticket_id)=(%s) is still referenced from table "appeals".', OLD.ticket_id);
  END IF;
  RETURN OLD;
END
$$;
COMMENT ON FUNCTION appraisal.check_appeal_ticket() IS
  'Trigger of a distributed installation (appraisal.distribute): the foreign key "appealed ticket must be a known ticket" from appraisal.appeals to appraisal.tickets, which Citus cannot keep from a reference table to a distributed one: an appeal''s ticket must exist, a ticket under appeal cannot be deleted or renumbered.';

CREATE FUNCTION appraisal.distribute(shard_count integer DEFAULT NULL)
RETURNS TABLE (table_name regclass, placement text)
LANGUAGE plpgsql
-- (Citus's notices per table, which suggest the clean-up done here)
SET client_min_messages = warning
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  layout record;
  fk record;
  worker record;
  trig record;
  n bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'appraisal.distribute() needs the citus extension in this database'
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Put citus in shared_preload_libraries on every node, CREATE EXTENSION citus here, add the workers (citus_add_node), then call appraisal.distribute() (docs/scaling.md).';
  END IF;
  IF appraisal.distributed() THEN
    RAISE EXCEPTION 'this installation is distributed already'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'SELECT * FROM appraisal.citus_layout() shows how; citus_tables shows the shards.';
  END IF;
  IF shard_count IS NOT NULL AND shard_count < 1 THEN
    RAISE EXCEPTION 'invalid shard_count %: at least one shard', shard_count
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
  -- the foreign keys to reference tables are added back in the same
  -- transaction that copied the rows: one connection per node
  PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  IF shard_count IS NOT NULL THEN
    PERFORM set_config('citus.shard_count', shard_count::text, true);
  END IF;
  -- The customers' pseudonym key is made now, on the coordinator, and
  -- copied with its table to every node: made on first use by the trigger
  -- of provider_events, which fires on every node's copy, each node would
  -- draw a key of its own and the copies of a customer_key would differ.
  INSERT INTO appraisal.pseudonym_key (key)
  SELECT appraisal.new_pseudonym_key() WHERE NOT EXISTS (SELECT FROM appraisal.pseudonym_key);
  -- the foreign keys among the extension's tables go, on every node
  CREATE TEMP TABLE appraisal_foreign_keys ON COMMIT DROP AS
    SELECT c.conrelid::regclass AS table_name, c.conname, pg_get_constraintdef(c.oid) AS definition
    FROM pg_catalog.pg_constraint c
    WHERE c.contype = 'f'
      AND c.conrelid IN (SELECT l.table_name FROM appraisal.citus_layout() l)
      AND c.confrelid IN (SELECT l.table_name FROM appraisal.citus_layout() l);
  FOR fk IN SELECT * FROM appraisal_foreign_keys LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.table_name, fk.conname);
    EXECUTE 'SELECT count(*) FROM run_command_on_workers($1)'
      USING format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', fk.table_name, fk.conname) INTO n;
  END LOOP;
  FOR layout IN SELECT * FROM appraisal.citus_layout() l WHERE l.placement <> 'coordinator'
                ORDER BY l.placement DESC, l.colocate_with NULLS FIRST, l.table_name::text LOOP
    -- the row triggers are held while the rows are copied to the shards
    -- (those guarding shipped rows would refuse them), then set back as
    -- they were (ALWAYS, REPLICA or plain)
    CREATE TEMP TABLE appraisal_held_triggers ON COMMIT DROP AS
      SELECT t.tgname, t.tgenabled FROM pg_catalog.pg_trigger t
      WHERE t.tgrelid = layout.table_name AND NOT t.tgisinternal AND t.tgenabled <> 'D';
    EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', layout.table_name);
    IF layout.placement = 'reference' THEN
      EXECUTE 'SELECT create_reference_table($1)' USING layout.table_name;
    ELSE
      -- (the tickets start their co-location group; comeback_staging, by
      -- customer, is in none)
      EXECUTE 'SELECT create_distributed_table($1, $2, colocate_with => $3)'
        USING layout.table_name, layout.distribution_column,
              coalesce(layout.colocate_with::text, CASE layout.distribution_column WHEN 'ticket_id' THEN 'default' ELSE 'none' END);
    END IF;
    -- the rows copied to the shards stay behind in the table on the
    -- coordinator, unseen: free their space (the triggers that keep a
    -- history from TRUNCATE still held)
    EXECUTE 'SELECT truncate_local_data_after_distributing_table($1)' USING layout.table_name;
    FOR trig IN SELECT * FROM appraisal_held_triggers LOOP
      EXECUTE format('ALTER TABLE %s ENABLE %s TRIGGER %I', layout.table_name,
                     CASE trig.tgenabled WHEN 'A' THEN 'ALWAYS' WHEN 'R' THEN 'REPLICA' ELSE '' END, trig.tgname);
    END LOOP;
    DROP TABLE appraisal_held_triggers;
  END LOOP;
  -- every foreign key back, enforced by Citus on the shards; the one from
  -- a reference table to a distributed one by triggers
  FOR fk IN SELECT * FROM appraisal_foreign_keys LOOP
    IF fk.table_name = 'appraisal.appeals'::regclass AND fk.definition LIKE '%REFERENCES appraisal.tickets%' THEN
      CONTINUE;
    END IF;
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.table_name, fk.conname, fk.definition);
  END LOOP;
  CREATE TRIGGER check_appeal_ticket BEFORE INSERT OR UPDATE OF ticket_id ON appraisal.appeals
    FOR EACH ROW EXECUTE FUNCTION appraisal.check_appeal_ticket();
  CREATE TRIGGER check_appeal_ticket BEFORE DELETE ON appraisal.tickets
    FOR EACH ROW EXECUTE FUNCTION appraisal.check_appeal_ticket();
  -- the summaries describe the same data as before; from now on the
  -- workers log the writes to the shards (42: take_node_logs)
  FOR worker IN EXECUTE 'SELECT nodename, nodeport, result FROM run_command_on_workers($1) WHERE NOT success'
                 USING 'DELETE FROM appraisal.refresh_log' LOOP
    RAISE EXCEPTION 'cannot empty the change log of worker %:%', worker.nodename, worker.nodeport
      USING ERRCODE = 'connection_exception', DETAIL = worker.result;
  END LOOP;
  UPDATE appraisal.refresh_state SET node_logs_taken = '{}';
  RETURN QUERY SELECT l.table_name, l.placement FROM appraisal.citus_layout() l;
END
$$;
COMMENT ON FUNCTION appraisal.distribute(integer) IS
  'Makes this installation a distributed one on its Citus cluster (run once, on the coordinator, after citus_add_node): the tickets, survey responses, call-backs and quality inspections distributed by ticket_id and co-located (shard_count shards, default citus.shard_count), every other table of data a reference table, the summaries left on the coordinator (appraisal.citus_layout). The extension''s constraints stay enforced, on the shards; its triggers and shipped rows go along, and refresh_scorecards() goes on recomputing only what changed (the workers log the writes to their shards: appraisal.take_node_logs; docs/scaling.md). Returns the layout.';
REVOKE ALL ON FUNCTION appraisal.distribute(integer) FROM PUBLIC;
