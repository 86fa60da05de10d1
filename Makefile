# appraisal: PGXS build.  `make test` and `make demo` are the two set-up commands
# of the README; both install what is missing, build, install and use a
# throwaway cluster (pg_virtualenv).

EXTENSION  = appraisal
EXTVERSION = 0.4
MODULE_big = appraisal
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is concatenated from one SQL file per concern, in
# dependency order (later files use types declared by earlier ones).  The
# update script from the previous version is src/upgrade/<old>--<new>.sql
# (what the new version changed in older parts) followed by the parts the new
# version added.  Released scripts are kept as they were shipped, in released/.
SQL_PARTS_0.1 = src/common.sql src/scheme.sql src/ratings.sql src/grade.sql src/scoring.sql
SQL_PARTS_0.2 = src/calendar.sql src/sla.sql src/fcr.sql src/csat.sql
# (src/demo_data.sql fills every table: it is always the last part, and each
# update script drops the previous generate_demo_data and creates it again)
SQL_PARTS_0.3 = src/model.sql src/rollups.sql src/scorecards.sql
SQL_PARTS_0.4 = src/item_scale.sql src/customers.sql src/survey.sql src/delivery.sql src/providers.sql src/demo_data.sql
SQL_PARTS  = $(SQL_PARTS_0.1) $(SQL_PARTS_0.2) $(SQL_PARTS_0.3) $(SQL_PARTS_0.4)
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--0.3--0.4.sql
DATA       = $(wildcard released/$(EXTENSION)--*.sql)

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION) --encoding=UTF8

PG_CONFIG  ?= pg_config
# The server's headers are included as system headers so that -Wextra judges
# only our own code (they have unused parameters in inline functions).
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null) -Wall -Wextra -Werror
# (pg_config may be missing until `make test` has installed it: stay quiet)
PGXS       := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
include $(PGXS)

# PGXS tracks no header dependencies unless the server was configured for it
$(OBJS): $(wildcard src/*.h)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $^ > $@

$(EXTENSION)--0.3--0.4.sql: src/upgrade/0.3--0.4.sql $(SQL_PARTS_0.4)
	{ printf '%s\n' '\echo Use "ALTER EXTENSION appraisal UPDATE TO '"'"'0.4'"'"'" to load this file. \quit'; cat $^; } > $@

.PHONY: test demo bench
test:
	bash test/run_tests.sh

demo:
	bash test/demo.sh

# not part of test: ratios of query times in one run (test/bench/run.sh)
bench:
	bash test/bench/run.sh
