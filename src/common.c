/*
 * common.c: the module's magic block and the small services every concern
 * uses: rater-role mapping, value checks, float text output, and the cached
 * look-up of named configuration values.
 */
#include "appraisal.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "executor/spi.h"
#include "nodes/primnodes.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

PG_MODULE_MAGIC;

/* ---------------------------------------------------------------- roles */

const char *const role_names[NROLES] = {
	"superior", "peer", "subordinate", "self", "customer"
};

int
role_from_label(const char *label, int len)
{
	for (int i = 0; i < NROLES; i++)
		if ((int) strlen(role_names[i]) == len &&
			strncmp(role_names[i], label, len) == 0)
			return i;
	return -1;
}

/*
 * First sight of an enum value at a call site: read its label once from the
 * syscache and remember the OID.  Later rows hit the inline fast path.
 */
int
role_index_slow(RoleMap *map, Oid value)
{
	HeapTuple	tup;
	const char *label;
	int			role;

	tup = SearchSysCache1(ENUMOID, ObjectIdGetDatum(value));
	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid internal value for enum: %u", value)));
	label = NameStr(((Form_pg_enum) GETSTRUCT(tup))->enumlabel);
	role = role_from_label(label, strlen(label));
	if (role < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a rater role", label)));
	ReleaseSysCache(tup);
	map->oid[role] = value;
	return role;
}

/* ---------------------------------------------------------------- checks */

void
check_finite(double value, const char *what)
{
	if (isnan(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s NaN is not a number", what)));
	if (isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is not finite", what,
						value > 0 ? "Infinity" : "-Infinity")));
}

void
range_error(double value, double lo, double hi, const char *what)
{
	check_finite(value, what);
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s %s is outside the range [%s, %s]",
					what, double_str(value), double_str(lo), double_str(hi))));
	pg_unreachable();
}

void
double_append(StringInfo buf, double value)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	/* shortest digits that read back to the same double, whatever the GUCs */
	if (value == 0)
		value = 0;				/* print -0 as 0 */
	double_to_shortest_decimal_buf(value, tmp);
	appendStringInfoString(buf, tmp);
}

char *
double_str(double value)
{
	StringInfoData buf;

	initStringInfo(&buf);
	double_append(&buf, value);
	return buf.data;
}

/* ---------------------------------------------------- named configuration */

static Pointer
named_config_lookup(MemoryContext mcxt, const NamedConfig *kind, const char *name)
{
	StringInfoData query;
	Oid			argtype = TEXTOID;
	Datum		arg = CStringGetTextDatum(name);
	Pointer		result = NULL;
	int			rc;

	int			guc_level;

	initStringInfo(&query);
	appendStringInfo(&query,
					 "SELECT %s FROM appraisal.%s WHERE name OPERATOR(pg_catalog.=) $1",
					 kind->column, kind->table);

	/*
	 * On a distributed installation (appraisal.distribute) the table is a
	 * Citus reference table, with a copy on every node, and an aggregate
	 * over the tickets runs inside a query on a worker's shard: Citus
	 * refuses a query of a Citus table from there unless told it may.  The
	 * read is of the node's own copy of the reference table, kept in step
	 * with the others by Citus: allowed for this read alone (the setting
	 * goes back at the end of it, or on error with the transaction).
	 */
	guc_level = NewGUCNestLevel();
	if (GetConfigOption("citus.allow_nested_distributed_execution", true, false) != NULL)
		(void) set_config_option("citus.allow_nested_distributed_execution", "on",
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
								 true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_with_args(query.data, 1, &argtype, &arg, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading appraisal.%s failed: %s", kind->table,
			 SPI_result_code_string(rc));
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		value = SPI_getbinval(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
		{
			/* copied out of SPI's memory, which SPI_finish frees */
			if (kind->typlen > 0)
			{
				result = MemoryContextAlloc(mcxt, kind->typlen);
				memcpy(result, DatumGetPointer(value), kind->typlen);
			}
			else
			{
				MemoryContext old = MemoryContextSwitchTo(mcxt);

				result = (Pointer) PG_DETOAST_DATUM_COPY(value);
				MemoryContextSwitchTo(old);
			}
		}
	}
	SPI_finish();
	AtEOXact_GUC(true, guc_level);

	if (result == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("unknown %s \"%s\"", kind->what, name),
				 errhint("Named values are rows of appraisal.%s; to pass a value instead, cast it: '...'::appraisal.%s.",
						 kind->table, kind->type)));
	return result;
}

/* Forget the values of cache unless a read now would give them again. */
static void
named_cache_renew(NamedCache *cache)
{
	if (likely(named_cache_current(cache)))
		return;
	for (int i = 0; i < cache->n; i++)
	{
		pfree(cache->names[i]);
		pfree(cache->values[i]);
	}
	cache->n = cache->next = 0;
	cache->loads++;
	cache->stamp = read_stamp();
}

/* The value cache holds under the name, or NULL: compares bytes, allocates nothing. */
static Pointer
named_cache_find(const NamedCache *cache, const char *data, int len)
{
	for (int i = 0; i < cache->n; i++)
		if (cache->lens[i] == len && memcmp(cache->names[i], data, len) == 0)
			return cache->values[i];
	return NULL;
}

/* Keeps value (allocated in mcxt) under the name, replacing the oldest when full. */
static void
named_cache_put(NamedCache *cache, MemoryContext mcxt, const char *data, int len,
				Pointer value)
{
	int			slot;

	if (cache->n < NAMED_CACHE_SIZE)
		slot = cache->n++;
	else
	{
		slot = cache->next;
		cache->next = (cache->next + 1) % NAMED_CACHE_SIZE;
		pfree(cache->names[slot]);
		pfree(cache->values[slot]);
	}
	cache->values[slot] = value;
	cache->names[slot] = MemoryContextAlloc(mcxt, len);
	memcpy(cache->names[slot], data, len);
	cache->lens[slot] = len;
	cache->loads++;
}

/*
 * The values read for every call site of the backend, one cache per kind
 * of configuration, in TopMemoryContext.  A caller that builds a new call
 * for each row, as Citus's worker_partial_agg does on a worker, gives each
 * row an empty call-site cache: without these, each row would read the
 * table again.  Same validity as a call site's cache (read_stamp: what the
 * read could see), so a name means what the snapshot says.
 */
#define BACKEND_KINDS 8

static const NamedConfig *backend_kinds[BACKEND_KINDS];
static NamedCache backend_caches[BACKEND_KINDS];

static NamedCache *
backend_cache(const NamedConfig *kind)
{
	int			i;

	for (i = 0; i < BACKEND_KINDS && backend_kinds[i] != NULL; i++)
		if (backend_kinds[i] == kind)
			return &backend_caches[i];
	if (i == BACKEND_KINDS)
		elog(ERROR, "more than %d kinds of named configuration", BACKEND_KINDS);
	backend_kinds[i] = kind;
	return &backend_caches[i];
}

Pointer
named_config(NamedCache *cache, MemoryContext mcxt,
			 const NamedConfig *kind, text *name)
{
	const char *data = VARDATA_ANY(name);
	int			len = VARSIZE_ANY_EXHDR(name);
	NamedCache *shared;
	Pointer		value;
	Pointer		copy;
	Size		size;

	/*
	 * A call site can outlive a statement (PL/pgSQL keeps simple
	 * expressions for the transaction): forget the names when a read now
	 * could see other rows.
	 */
	named_cache_renew(cache);
	value = named_cache_find(cache, data, len);		/* the per-row path */
	if (value != NULL)
		return value;

	/* the backend's, else the table's (may throw: caches untouched) */
	shared = backend_cache(kind);
	named_cache_renew(shared);
	value = named_cache_find(shared, data, len);
	if (value == NULL)
	{
		char	   *str = pnstrdup(data, len);

		value = named_config_lookup(TopMemoryContext, kind, str);
		pfree(str);
		named_cache_put(shared, TopMemoryContext, data, len, value);
	}
	size = kind->typlen > 0 ? (Size) kind->typlen : VARSIZE(value);
	copy = MemoryContextAlloc(mcxt, size);
	memcpy(copy, value, size);
	named_cache_put(cache, mcxt, data, len, copy);
	return copy;
}

/* ------------------------------------------------------ constant arguments */

/*
 * The type of argument argno: from the call expression, else as the called
 * function declares it.  A caller that builds its own call, such as Citus's
 * worker_partial_agg running a transition function on a worker, passes no
 * expression; the overloads that share one C function (a name or a value)
 * are distinct SQL functions, so the declaration tells them apart.  Meant
 * to be asked once per call site.
 */
Oid
arg_type(FunctionCallInfo fcinfo, int argno)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	HeapTuple	tup;

	if (OidIsValid(type))
		return type;
	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid));
	if (HeapTupleIsValid(tup))
	{
		Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(tup);

		if (argno < proc->pronargs)
			type = proc->proargtypes.values[argno];
		ReleaseSysCache(tup);
	}
	if (!OidIsValid(type))
		elog(ERROR, "could not determine the type of argument %d of function %u",
			 argno + 1, fcinfo->flinfo->fn_oid);
	return type;
}

/*
 * Is argument argno a constant of the call?  In a transition function the
 * arguments are executor Params, so ask the aggregate call itself; argno
 * counts the state, the Aggref's arguments do not.  (Not a Param: a
 * PL/pgSQL variable is one, and changes between calls.)  The Aggref must be
 * the call of our own aggregate: a wrapper such as Citus's
 * worker_partial_agg calls our transition function inside its own
 * aggregate, whose arguments are laid out differently.  A plain function
 * looks at its own call expression.  Meant to be asked once per call site.
 */
bool
arg_is_const(FunctionCallInfo fcinfo, int argno)
{
	Node	   *expr = fcinfo->flinfo->fn_expr;

	if (AggCheckCallContext(fcinfo, NULL))
	{
		Aggref	   *aggref = AggGetAggref(fcinfo);
		HeapTuple	tup;
		bool		ours;

		if (aggref == NULL || argno < 1 || argno > list_length(aggref->args))
			return false;
		tup = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(aggref->aggfnoid));
		if (!HeapTupleIsValid(tup))
			return false;
		ours = ((Form_pg_aggregate) GETSTRUCT(tup))->aggtransfn == fcinfo->flinfo->fn_oid;
		ReleaseSysCache(tup);
		return ours &&
			IsA(list_nth_node(TargetEntry, aggref->args, argno - 1)->expr, Const);
	}
	return expr != NULL && IsA(expr, FuncExpr) &&
		argno < list_length(((FuncExpr *) expr)->args) &&
		IsA(list_nth(((FuncExpr *) expr)->args, argno), Const);
}
