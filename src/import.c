/*
 * import.c: reading a text value as a given type without raising an error,
 * for appraisal.import (src/sql/61_import.sql), which turns every value that
 * is not valid input into a reason instead of stopping at the first one.
 *
 *   try_cast(value text, type_of anyelement) → the value read as type_of's
 *       type, or NULL when it is not valid input for it;
 *   input_error(value text, type regtype) → NULL when valid, else the
 *       message the type's input function gives.
 *
 * On PostgreSQL 16 and later the input function reports the error softly
 * (InputFunctionCallSafe); on 15 the error is caught, and only a data
 * exception (SQLSTATE class 22, what input functions raise for bad text) is
 * taken as the answer: anything else (a cancel, out of memory) is raised
 * again.  A built-in input function holds no resource when it raises one,
 * so catching it needs no subtransaction; a type of the user's (an OID past
 * FirstNormalObjectId: an enum, a domain, another extension's type) is read
 * inside an internal subtransaction, rolled back when it raises.
 */
#include "appraisal.h"

#include "access/transam.h"
#include "access/xact.h"
#include "fmgr.h"
#include "utils/resowner.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#endif

PG_FUNCTION_INFO_V1(try_cast);
PG_FUNCTION_INFO_V1(input_error);

/* the type's input function, looked up once per call site */
typedef struct InputCache
{
	Oid			type;
	Oid			ioparam;
	FmgrInfo	input;
} InputCache;

static InputCache *
input_cache(FunctionCallInfo fcinfo, Oid type)
{
	InputCache *cache = (InputCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL || cache->type != type)
	{
		Oid			infunc;

		if (cache == NULL)
			cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(InputCache));
		getTypeInputInfo(type, &infunc, &cache->ioparam);
		fmgr_info_cxt(infunc, &cache->input, fcinfo->flinfo->fn_mcxt);
		cache->type = type;
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache;
}

/*
 * Reads str as the cached type.  Returns true and sets *result when it is
 * valid input; else returns false and, when message is not NULL, sets it to
 * the input function's error message.
 */
static bool
read_input(InputCache *cache, char *str, Datum *result, char **message)
{
#if PG_VERSION_NUM >= 160000
	ErrorSaveContext escontext;

	memset(&escontext, 0, sizeof(escontext));
	escontext.type = T_ErrorSaveContext;
	escontext.details_wanted = (message != NULL);
	if (InputFunctionCallSafe(&cache->input, str, cache->ioparam, -1,
							  (Node *) &escontext, result))
		return true;
	if (message != NULL)
		*message = pstrdup(escontext.error_data->message);
	return false;
#else
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	/* a type of the user's may hold resources when it raises: clean up in a subtransaction */
	bool		subxact = cache->type >= FirstNormalObjectId;
	volatile bool valid = true;

	if (subxact)
		BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(caller);
	PG_TRY();
	{
		*result = InputFunctionCall(&cache->input, str, cache->ioparam, -1);
		if (subxact)
		{
			ReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(caller);
			CurrentResourceOwner = owner;
		}
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_DATA_EXCEPTION)
			PG_RE_THROW();
		FlushErrorState();
		if (subxact)
		{
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(caller);
			CurrentResourceOwner = owner;
		}
		if (message != NULL)
			*message = edata->message;
		valid = false;
	}
	PG_END_TRY();
	return valid;
#endif
}

Datum
try_cast(PG_FUNCTION_ARGS)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	InputCache *cache;
	Datum		result;

	if (!OidIsValid(type))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("could not tell the type to read the value as"),
				 errhint("Pass a value of the type as the second argument, e.g. NULL::timestamptz.")));
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	cache = input_cache(fcinfo, type);
	if (read_input(cache, text_to_cstring(PG_GETARG_TEXT_PP(0)), &result, NULL))
		PG_RETURN_DATUM(result);
	PG_RETURN_NULL();
}

Datum
input_error(PG_FUNCTION_ARGS)
{
	InputCache *cache = input_cache(fcinfo, PG_GETARG_OID(1));
	Datum		result;
	char	   *message = NULL;

	if (read_input(cache, text_to_cstring(PG_GETARG_TEXT_PP(0)), &result, &message))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(message));
}
