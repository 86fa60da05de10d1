# appraisal: PGXS build.  `make test` and `make demo` are the two set-up commands
# of the README; both install what is missing, build, install and use a
# throwaway cluster (pg_virtualenv).

EXTENSION  = appraisal appraisal_demo
EXTVERSION = 0.5
MODULE_big = appraisal
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is the parts in src/sql concatenated in the order of
# their names, which is the order of the layers (types and aggregates,
# configuration, data model, summaries, views, operations).  An older
# installation is updated along the chain in upgrade/: the oldest released
# script, appraisal--0.1.sql, and a hand-written delta for every later version.
SQL_PARTS  = $(sort $(wildcard src/sql/*.sql))
DATA_built = appraisal--$(EXTVERSION).sql appraisal_demo--$(EXTVERSION).sql
DATA       = $(wildcard upgrade/appraisal--*.sql)

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=appraisal --encoding=UTF8

PG_CONFIG  ?= pg_config
# The server's headers are included as system headers so that -Wextra judges
# only our own code (they have unused parameters in inline functions).
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null) -Wall -Wextra -Werror
# (pg_config may be missing until `make test` has installed it: stay quiet)
PGXS       := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
include $(PGXS)

# PGXS tracks no header dependencies unless the server was configured for it
$(OBJS): $(wildcard src/*.h)

appraisal--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@

# the demo data generator, an extension of its own (demo/)
appraisal_demo--$(EXTVERSION).sql: demo/appraisal_demo.sql
	cat $^ > $@

.PHONY: test demo bench citus-bench fuzz
test:
	bash test/run_tests.sh

demo:
	bash demo/demo.sh

# not part of test: ratios of query times in one run (test/bench/run.sh)
bench:
	bash test/bench/run.sh

# not part of test: on a Citus cluster (when installed), a configuration by
# name against the same value (test/citus/names_bench.sql)
citus-bench:
	CITUS_BENCH_ROWS=$${CITUS_BENCH_ROWS:-2000000} bash test/citus/run.sh

# not part of test (which runs a slice of it): a million mutated inputs to
# the types' input and receive functions, and every accepted value through
# the rest (test/fuzz/run.sh; FUZZ_ROUNDS per type, FUZZ_SEED)
fuzz:
	bash test/fuzz/run.sh
