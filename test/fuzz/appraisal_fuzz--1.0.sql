\echo Use "CREATE EXTENSION appraisal_fuzz" to load this file. \quit

CREATE FUNCTION fuzz_recv(type regtype, data bytea) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
COMMENT ON FUNCTION fuzz_recv(regtype, bytea) IS
  'The type''s binary receive function on data, shown by its output function; an error when receive refuses data or leaves bytes unread.';

CREATE FUNCTION fuzz_type(type regtype, seeds text[], accessors regprocedure[], combine regprocedure,
                          rounds integer, seed bigint, nonnegative regprocedure[],
                          OUT inputs bigint, OUT text_inputs bigint, OUT binary_inputs bigint,
                          OUT accepted bigint, OUT refused bigint, OUT checks bigint,
                          OUT violations bigint, OUT first_violation text)
  AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION fuzz_type(regtype, text[], regprocedure[], regprocedure, integer, bigint, regprocedure[]) IS
  'Feeds rounds mutated text and binary forms (grown from the seeds, reproducibly from seed) to the type''s input and receive functions, and every accepted value through output, input, send, receive, the accessors and the combine function (may be NULL); counts inputs and the violations of the rules: errors only of class 22, every value read back as it printed, no negative number from the accessors listed in nonnegative.';
