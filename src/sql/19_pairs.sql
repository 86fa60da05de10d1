-- 19: whether a pair of keys is among a list of pairs (pairs.c): the test
-- the refresh makes of every ticket when it recomputes some agent-days
-- (agent, day) or reads the tickets of some customers (customer,
-- category).  The lists are hashed once per query when they are constants
-- or its parameters: at 10M tickets the test costs less than half of what
-- the executor's hash join or hashed subplan spends on it
-- (docs/performance.md).

CREATE FUNCTION appraisal.pair_in(a text, b date, a_list text[], b_list date[]) RETURNS boolean
  AS 'MODULE_PATHNAME', 'pair_in_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.pair_in(text, date, text[], date[]) IS
  'Whether (a, b) is one of the pairs (a_list[i], b_list[i]): (a, b) IN (SELECT * FROM unnest(a_list, b_list)), texts compared by their bytes (equality under every deterministic collation), a pair with a NULL matching nothing; the lists must be as long. The lists are hashed once per query when they are constants or parameters (e.g. agent-days: pair_in(agent_id, day, agents, days)).';

CREATE FUNCTION appraisal.pair_in(a text, b text, a_list text[], b_list text[]) RETURNS boolean
  AS 'MODULE_PATHNAME', 'pair_in_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.pair_in(text, text, text[], text[]) IS
  'Whether (a, b) is one of the pairs (a_list[i], b_list[i]) of texts: (a, b) IN (SELECT * FROM unnest(a_list, b_list)), compared by their bytes (equality under every deterministic collation), a pair with a NULL matching nothing; the lists must be as long. The lists are hashed once per query when they are constants or parameters (e.g. customers and categories).';
