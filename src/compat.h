/*
 * compat.h: everything that differs between the PostgreSQL major versions
 * appraisal builds against (15, the one CI uses, to 18), in one place.
 * Included by appraisal.h after the server headers; the other files use only
 * the names defined here, never PG_VERSION_NUM.  On 15 every definition is
 * what the code said before this file existed, so its build is unchanged.
 */
#ifndef APPRAISAL_COMPAT_H
#define APPRAISAL_COMPAT_H

#include "postgres.h"
#include "storage/proc.h"
#include "parser/scansup.h"
#include "pgtime.h"
#include "utils/datetime.h"
#include "utils/selfuncs.h"

#if PG_VERSION_NUM < 150000
#error "appraisal needs PostgreSQL 15 or later"
#endif

/*
 * PostgreSQL 16 moved the varlena macros (VARSIZE, SET_VARSIZE, VARDATA...)
 * out of postgres.h into varatt.h, which only some other headers include.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * PostgreSQL 18 replaced pg_attribute_noreturn(), an attribute written after
 * the return type, by pg_noreturn, a C11 function specifier written before
 * it, and removed the old macro.  The old spelling stays defined here so that
 * the declarations keep their place: GCC and Clang, the compilers PGXS builds
 * with, accept the attribute wherever the code puts it.
 */
#ifndef pg_attribute_noreturn
#if defined(__GNUC__) || defined(__SUNPRO_C)
#define pg_attribute_noreturn() __attribute__((noreturn))
#else
#define pg_attribute_noreturn()
#endif
#endif

/*
 * The local id of this backend's current top-level transaction.
 * PostgreSQL 17 moved it from PGPROC.lxid to PGPROC.vxid.lxid.
 */
static inline LocalTransactionId
current_lxid(void)
{
#if PG_VERSION_NUM >= 170000
	return MyProc->vxid.lxid;
#else
	return MyProc->lxid;
#endif
}

/*
 * The zone AT TIME ZONE reads a name as when it is a full tzdb zone name,
 * else NULL: an abbreviation (EST, CET: fixed or dynamic offsets) comes
 * first, as timestamptz_zone reads it.  PostgreSQL 16 put that order into
 * DecodeTimezoneName; 15 wrote it out in timestamptz_zone, copied here.
 * An unknown name is NULL on 15 and an error on 16 and later, the error
 * AT TIME ZONE itself raises.
 */
static inline pg_tz *
full_zone_name(const char *name)
{
	int			offset;
	pg_tz	   *tz;
#if PG_VERSION_NUM >= 160000
	return DecodeTimezoneName(name, &offset, &tz) == TZNAME_ZONE ? tz : NULL;
#else
	char	   *lower = downcase_truncate_identifier(name, strlen(name), false);
	int			type = DecodeTimezoneAbbrev(0, lower, &offset, &tz);

	return type == TZ || type == DTZ || type == DYNTZ ? NULL : pg_tzset(name);
#endif
}

/*
 * How many elements an array expression of a query is expected to hold (its
 * length when it is a constant).  PostgreSQL 17 gave estimate_array_length
 * the planner's state, to read an array column's statistics.
 */
static inline double
array_length_estimate(PlannerInfo *root, Node *array)
{
#if PG_VERSION_NUM >= 170000
	return estimate_array_length(root, array);
#else
	(void) root;
	return estimate_array_length(array);
#endif
}

/*
 * An index scan of heap through index with nkeys keys, no ordering
 * operators.  PostgreSQL 18 added the instrumentation to fill (none here).
 */
#include "access/genam.h"

static inline IndexScanDesc
index_begin_scan(Relation heap, Relation index, Snapshot snapshot, int nkeys)
{
#if PG_VERSION_NUM >= 180000
	return index_beginscan(heap, index, snapshot, NULL, nkeys, 0);
#else
	return index_beginscan(heap, index, snapshot, nkeys, 0);
#endif
}

#endif							/* APPRAISAL_COMPAT_H */
