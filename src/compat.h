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

#endif							/* APPRAISAL_COMPAT_H */
