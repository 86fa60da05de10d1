/*
 * appraisal_fuzz.c: a test-only extension that feeds mutated text and binary
 * forms of appraisal's types to their input and receive functions, and every
 * accepted value through output, input, send, receive, the type's accessors
 * and its aggregate combine function, checking that
 *
 *   - no call fails with an internal error (class XX) or an error outside
 *     class 22 (data exception): bad input is the caller's, never ours;
 *   - every value a function returns prints as text that input accepts and
 *     prints again the same, and whose binary form receive accepts and
 *     prints the same (so Citus, COPY and pg_dump carry it unchanged);
 *   - no accessor named as such returns a negative number.
 *
 * Mutations are drawn from a fixed-seed generator (splitmix64), so a run is
 * reproducible from its seed.  Never installed by `make install` of the
 * extension itself: test/run_tests.sh and test/fuzz/run.sh install it into
 * the throwaway cluster they test.
 */
#include "postgres.h"

#include <ctype.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/resowner.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(fuzz_recv);
PG_FUNCTION_INFO_V1(fuzz_type);

#define MAX_CORPUS 512
#define MAX_ACCESSORS 32

/* ------------------------------------------------------------ randomness */

static uint64 rng;

static uint64
next_rand(void)
{
	uint64		z = (rng += UINT64CONST(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static int
rand_below(int n)
{
	return n <= 1 ? 0 : (int) (next_rand() % (uint64) n);
}

/* ------------------------------------------------------------ the type */

typedef struct FuzzType
{
	Oid			type;
	Oid			ioparam;
	FmgrInfo	in,
				out,
				recv,
				send;
	int			naccessors;
	FmgrInfo	accessor[MAX_ACCESSORS];
	Oid			accessor_out[MAX_ACCESSORS];	/* output function of the result */
	bool		accessor_nonnegative[MAX_ACCESSORS];	/* result is a number >= 0 */
	bool		accessor_same[MAX_ACCESSORS];	/* result is of the type */
	bool		has_combine;
	FmgrInfo	combine;
} FuzzType;

typedef struct Counts
{
	int64		inputs,
				text_inputs,
				binary_inputs,
				accepted,
				refused,
				checks,
				violations;
	char	   *first_violation;
} Counts;

static void
fuzz_type_init(FuzzType *ft, Oid type)
{
	Oid			func;
	bool		varlena;

	ft->type = type;
	getTypeInputInfo(type, &func, &ft->ioparam);
	fmgr_info(func, &ft->in);
	getTypeOutputInfo(type, &func, &varlena);
	fmgr_info(func, &ft->out);
	getTypeBinaryInputInfo(type, &func, &ft->ioparam);
	fmgr_info(func, &ft->recv);
	getTypeBinaryOutputInfo(type, &func, &varlena);
	fmgr_info(func, &ft->send);
}

/* ---------------------------------------------------- calls that may fail */

typedef Datum (*Call) (FuzzType *ft, void *arg);

/*
 * Run call in a subtransaction.  Returns true with *result on success; on
 * an error returns false with the SQLSTATE in *code and the message in
 * *message (in the caller's memory context).
 */
static bool
try_call(Call call, FuzzType *ft, void *arg, Datum *result, int *code, char **message)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile bool ok = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		*result = call(ft, arg);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		ok = true;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		*code = edata->sqlerrcode;
		*message = edata->message ? edata->message : "";
	}
	PG_END_TRY();
	return ok;
}

static Datum
call_in(FuzzType *ft, void *arg)
{
	return InputFunctionCall(&ft->in, (char *) arg, ft->ioparam, -1);
}

static Datum
call_recv(FuzzType *ft, void *arg)
{
	StringInfo	buf = (StringInfo) arg;
	Datum		d = ReceiveFunctionCall(&ft->recv, buf, ft->ioparam, -1);

	/* as COPY BINARY and record_recv: the whole message must be read */
	if (buf->cursor != buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("incorrect binary data format")));
	return d;
}

static Datum
call_out(FuzzType *ft, void *arg)
{
	return CStringGetDatum(OutputFunctionCall(&ft->out, PointerGetDatum(arg)));
}

static Datum
call_send(FuzzType *ft, void *arg)
{
	return PointerGetDatum(SendFunctionCall(&ft->send, PointerGetDatum(arg)));
}

/* a call of one or two arguments that may return NULL */
typedef struct CallArgs
{
	FmgrInfo   *fn;
	int			nargs;
	Datum		a,
				b;
	bool		isnull;
} CallArgs;

static Datum
call_fn(FuzzType *ft, void *arg)
{
	CallArgs   *ca = (CallArgs *) arg;
	LOCAL_FCINFO(fcinfo, 2);
	Datum		result;

	(void) ft;
	InitFunctionCallInfoData(*fcinfo, ca->fn, ca->nargs, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = ca->a;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = ca->b;
	fcinfo->args[1].isnull = false;
	result = FunctionCallInvoke(fcinfo);
	ca->isnull = fcinfo->isnull;
	return result;
}

/* ------------------------------------------------------------ checking */

static void
violation(Counts *c, const char *what, const char *input)
{
	c->violations++;
	if (c->first_violation == NULL)
		c->first_violation = MemoryContextStrdup(TopTransactionContext,
												 psprintf("%s: %s", what, input));
}

/*
 * An error is the input's fault only if it is a data exception (class 22),
 * or binary input that ends early (08P01, as for every built-in type).
 */
static bool
acceptable_error(int code)
{
	return ERRCODE_TO_CATEGORY(code) == ERRCODE_DATA_EXCEPTION ||
		code == ERRCODE_PROTOCOL_VIOLATION;
}

static char *
error_text(int code, const char *message)
{
	return psprintf("%s %s", unpack_sql_state(code), message);
}

static StringInfo
bytes_info(const char *data, int len)
{
	StringInfo	buf = makeStringInfo();

	appendBinaryStringInfo(buf, data, len);
	return buf;
}

/* the text of a value, or NULL after a violation */
static char *
try_out(FuzzType *ft, Datum value, Counts *c, const char *origin, const char *input)
{
	Datum		text;
	int			code;
	char	   *message;

	if (!try_call(call_out, ft, DatumGetPointer(value), &text, &code, &message))
	{
		violation(c, psprintf("%s cannot be printed (%s)", origin, error_text(code, message)), input);
		return NULL;
	}
	return DatumGetCString(text);
}

/*
 * arg, read by call (input or receive), must print as text: false after a
 * violation, named by what is refused or changed.
 */
static bool
reads_back(FuzzType *ft, Call call, void *arg, const char *text, Counts *c, const char *origin,
		   const char *refused, const char *changed)
{
	Datum		again;
	int			code;
	char	   *message;
	char	   *shown;

	if (!try_call(call, ft, arg, &again, &code, &message))
	{
		violation(c, psprintf("%s %s (%s)", origin, refused, error_text(code, message)), text);
		return false;
	}
	if ((shown = try_out(ft, again, c, origin, text)) == NULL)
		return false;
	if (strcmp(shown, text) != 0)
	{
		violation(c, psprintf("%s %s", origin, changed), text);
		return false;
	}
	return true;
}

/*
 * A value a function returned: its text must read back to the same text,
 * its binary form too.  Returns its text, or NULL after a violation.
 */
static char *
check_round_trip(FuzzType *ft, Datum value, Counts *c, const char *origin)
{
	char	   *text;
	bytea	   *bin;
	Datum		again;
	int			code;
	char	   *message;

	c->checks += 2;
	if ((text = try_out(ft, value, c, origin, "")) == NULL)
		return NULL;
	if (!try_call(call_send, ft, DatumGetPointer(value), &again, &code, &message))
	{
		violation(c, psprintf("%s cannot be sent (%s)", origin, error_text(code, message)), text);
		return NULL;
	}
	bin = DatumGetByteaPP(again);
	if (!reads_back(ft, call_in, text, text, c, origin,
					"prints as text its input refuses", "does not print the same after input") ||
		!reads_back(ft, call_recv, bytes_info(VARDATA_ANY(bin), VARSIZE_ANY_EXHDR(bin)), text, c, origin,
					"has a binary form receive refuses", "does not print the same after send and receive"))
		return NULL;
	return text;
}

static void check_value(FuzzType *ft, Datum value, Counts *c, const char *origin, int depth);

static void
check_accessors(FuzzType *ft, Datum value, const char *text, Counts *c, int depth)
{
	for (int i = 0; i < ft->naccessors; i++)
	{
		CallArgs	ca = {&ft->accessor[i], 1, value, 0, false};
		Datum		result;
		int			code;
		char	   *message;

		c->checks++;
		if (!try_call(call_fn, ft, &ca, &result, &code, &message))
		{
			if (!acceptable_error(code))
				violation(c, psprintf("%s fails with %s", format_procedure(ft->accessor[i].fn_oid),
									  error_text(code, message)), text);
			continue;
		}
		if (ca.isnull)
			continue;
		if (ft->accessor_same[i])
			check_value(ft, result, c, format_procedure(ft->accessor[i].fn_oid), depth + 1);
		else if (ft->accessor_nonnegative[i])
		{
			char	   *shown = OidOutputFunctionCall(ft->accessor_out[i], result);

			if (shown[0] == '-')
				violation(c, psprintf("%s returns %s", format_procedure(ft->accessor[i].fn_oid),
									  shown), text);
		}
	}
}

static void
check_value(FuzzType *ft, Datum value, Counts *c, const char *origin, int depth)
{
	char	   *text = check_round_trip(ft, value, c, origin);

	if (text != NULL && depth < 2)
		check_accessors(ft, value, text, c, depth);
}

/*
 * Combine value with another accepted one, then with itself up to 15 more
 * times (sums near a limit must stop with an error, not wrap): every
 * result is a value of the type.
 */
static void
check_combine(FuzzType *ft, Datum value, Datum other, Counts *c)
{
	CallArgs	ca = {&ft->combine, 2, value, other, false};
	Datum		acc;
	int			code;
	char	   *message;
	int			times = 1 + rand_below(16);

	for (int k = 0; k < times; k++)
	{
		c->checks++;
		if (!try_call(call_fn, ft, &ca, &acc, &code, &message))
		{
			if (!acceptable_error(code))
				violation(c, psprintf("combine fails with %s", error_text(code, message)),
						  OutputFunctionCall(&ft->out, value));
			return;
		}
		if (ca.isnull)
		{
			violation(c, "combine returns NULL", OutputFunctionCall(&ft->out, value));
			return;
		}
		ca.a = acc;
		ca.b = value;
	}
	check_value(ft, acc, c, "a combined value", 1);
}

/* ------------------------------------------------------------ mutation */

static const char *const numbers[] = {
	"0", "1", "-1", "2", "9", "10", "99", "100", "101", "255", "256", "-0", "+1",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"18446744073709551616", "170141183460469231731", "170141183460469231732",
	"170141183460469231731.687303", "170141183460469231731.687304",
	"17014118346046923173", "9223372036854.775807", "9223372036855",
	"1000000000000000", "1000000000000001", "1e308", "1.7976931348623157e308",
	"2e308", "5e-324", "2.2250738585072014e-308", "1e-320", "1e-400", "NaN",
	"Infinity", "-Infinity", "inf", "0.000001", "0.0000001", "0.5",
	"99.999999999999999", "100.000000000000000001", "1.0000000000000002",
	"0.000000000000000001", "0.0000000000000000001", "24:00", "23:59", "25:00",
	"2147483647", "2147483648", "-2147483648", "1e10", "1e-5", ".5", "5.",
	"0x10", "1_000", "１", "٣"
};

static const char alphabet[] = "0123456789 .=,;:{}[]()-+e<>/_'\"\tabcdefghijklmnopqrstuvwxyzAMSTUVW\\";

static void
replace_span(StringInfo s, int at, int len, const char *with, int with_len)
{
	StringInfoData out;

	initStringInfo(&out);
	appendBinaryStringInfo(&out, s->data, at);
	appendBinaryStringInfo(&out, with, with_len);
	appendBinaryStringInfo(&out, s->data + at + len, s->len - at - len);
	resetStringInfo(s);
	appendBinaryStringInfo(s, out.data, out.len);
	pfree(out.data);
}

static void
random_number(StringInfo n)
{
	if (rand_below(3) > 0)
	{
		appendStringInfoString(n, numbers[rand_below(lengthof(numbers))]);
		return;
	}
	for (int i = 1 + rand_below(45); i > 0; i--)
		appendStringInfoChar(n, '0' + rand_below(10));
	if (rand_below(2))
	{
		appendStringInfoChar(n, '.');
		for (int i = rand_below(25); i > 0; i--)
			appendStringInfoChar(n, '0' + rand_below(10));
	}
}

static void
mutate_text(StringInfo s, const char *splice)
{
	for (int ops = 1 + rand_below(3); ops > 0; ops--)
	{
		int			at = rand_below(s->len + 1);
		int			span = 1 + rand_below(12);	/* Min() evaluates twice */

		switch (rand_below(8))
		{
			case 0:
			case 1:				/* a run of digits becomes another number */
				{
					int			start = rand_below(s->len + 1),
								end;
					StringInfoData n;

					while (start < s->len && !isdigit((unsigned char) s->data[start]))
						start++;
					if (start == s->len)
						start = at;
					end = start;
					while (end < s->len && (isdigit((unsigned char) s->data[end]) || s->data[end] == '.'))
						end++;
					initStringInfo(&n);
					random_number(&n);
					replace_span(s, start, end - start, n.data, n.len);
					break;
				}
			case 2:				/* insert a character */
				{
					char		ch = alphabet[rand_below(sizeof(alphabet) - 1)];

					replace_span(s, at, 0, &ch, 1);
					break;
				}
			case 3:				/* delete a span */
				replace_span(s, at, Min(span / 3, s->len - at), "", 0);
				break;
			case 4:				/* any byte but NUL */
				if (at < s->len)
					s->data[at] = (char) (1 + rand_below(255));
				break;
			case 5:				/* repeat a span */
				{
					int			len = Min(span, s->len - at);
					char	   *copy = pnstrdup(s->data + at, len);

					replace_span(s, at, 0, copy, len);
					break;
				}
			case 6:				/* this one's head, another one's tail */
				{
					int			cut = rand_below(strlen(splice) + 1);

					s->len = at;
					s->data[at] = '\0';
					appendStringInfoString(s, splice + cut);
					break;
				}
			default:			/* cut off */
				s->len = at;
				s->data[at] = '\0';
				break;
		}
	}
}

static const uint64 words[] = {
	0, 1, UINT64CONST(0xFFFFFFFFFFFFFFFF), UINT64CONST(0x7FFFFFFFFFFFFFFF),
	UINT64CONST(0x8000000000000000), UINT64CONST(0x7FF0000000000000),
	UINT64CONST(0xFFF0000000000000), UINT64CONST(0x7FF8000000000000),
	UINT64CONST(0x0000000000000001), UINT64CONST(0x000FFFFFFFFFFFFF),
	UINT64CONST(0x4059000000000000), UINT64CONST(0x7FEFFFFFFFFFFFFF),
	UINT64CONST(0x0000FFFFFFFFFFFF), UINT64CONST(0x00038D7EA4C68000),
	UINT64CONST(0x3FF0000000000000), UINT64CONST(0xC059000000000000)
};

static const uint32 halfwords[] = {
	0, 1, 2, 3, 5, 7, 8, 255, 256, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x00010000
};

static void
mutate_binary(StringInfo b, const StringInfo splice)
{
	for (int ops = 1 + rand_below(3); ops > 0; ops--)
	{
		int			at = rand_below(b->len + 1);

		switch (rand_below(7))
		{
			case 0:				/* flip a bit */
				if (at < b->len)
					b->data[at] ^= (char) (1 << rand_below(8));
				break;
			case 1:
			case 2:				/* a 64-bit word: counts, sums, doubles */
				{
					uint64		w = words[rand_below(lengthof(words))];

					if (rand_below(4) == 0)
						w = next_rand();
					at &= ~(rand_below(2) ? 7 : 3);
					for (int i = 0; i < 8 && at + i < b->len; i++)
						b->data[at + i] = (char) (w >> (56 - 8 * i));
					break;
				}
			case 3:				/* a 32-bit word: lengths, flags, counts */
				{
					uint32		w = halfwords[rand_below(lengthof(halfwords))];

					for (int i = 0; i < 4 && at + i < b->len; i++)
						b->data[at + i] = (char) (w >> (24 - 8 * i));
					break;
				}
			case 4:				/* cut off */
				b->len = at;
				break;
			case 5:				/* this one's head, another one's tail */
				{
					int			cut = rand_below(splice->len + 1);

					b->len = at;
					appendBinaryStringInfo(b, splice->data + cut, splice->len - cut);
					break;
				}
			default:			/* extra bytes */
				for (int i = 1 + rand_below(8); i > 0; i--)
					appendStringInfoChar(b, (char) rand_below(256));
				break;
		}
	}
}

/* ------------------------------------------------------------ SQL */

/*
 * fuzz_recv(type, data): the type's receive function on data, shown by its
 * output function; an error if receive refuses it (or leaves bytes over).
 */
Datum
fuzz_recv(PG_FUNCTION_ARGS)
{
	FuzzType	ft;
	bytea	   *data = PG_GETARG_BYTEA_PP(1);

	fuzz_type_init(&ft, PG_GETARG_OID(0));
	PG_RETURN_TEXT_P(cstring_to_text(OutputFunctionCall(&ft.out,
														call_recv(&ft, bytes_info(VARDATA_ANY(data),
																				  VARSIZE_ANY_EXHDR(data))))));
}

static void
accessors_init(FuzzType *ft, ArrayType *procs, ArrayType *nonnegative)
{
	Datum	   *elems;
	Datum	   *nonneg;
	bool	   *nulls;
	int			n,
				nnonneg;

	deconstruct_array(procs, REGPROCEDUREOID, sizeof(Oid), true, TYPALIGN_INT,
					  &elems, &nulls, &n);
	deconstruct_array(nonnegative, REGPROCEDUREOID, sizeof(Oid), true, TYPALIGN_INT,
					  &nonneg, &nulls, &nnonneg);
	if (n > MAX_ACCESSORS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("at most %d accessors", MAX_ACCESSORS)));
	for (int i = 0; i < n; i++)
	{
		Oid			fn = DatumGetObjectId(elems[i]);
		Oid			rettype = get_func_rettype(fn);
		bool		varlena;

		fmgr_info(fn, &ft->accessor[i]);
		getTypeOutputInfo(rettype, &ft->accessor_out[i], &varlena);
		ft->accessor_same[i] = rettype == ft->type;
		ft->accessor_nonnegative[i] = false;
		for (int j = 0; j < nnonneg; j++)
			if (DatumGetObjectId(nonneg[j]) == fn)
				ft->accessor_nonnegative[i] = true;
	}
	ft->naccessors = n;
}

/*
 * fuzz_type(type, seeds, accessors, combine, rounds, seed, nonnegative):
 * nonnegative lists the accessors whose results must not be negative.
 * rounds mutated inputs, each from a value of the corpus (the seeds, then
 * also the values accepted so far).
 */
Datum
fuzz_type(PG_FUNCTION_ARGS)
{
	FuzzType	ft;
	Counts		c = {0};
	ArrayType  *seeds = PG_GETARG_ARRAYTYPE_P(1);
	int			rounds = PG_GETARG_INT32(4);
	Datum	   *seed_elems;
	bool	   *seed_nulls;
	int			nseeds;
	char	   *corpus[MAX_CORPUS];
	StringInfo	corpus_bin[MAX_CORPUS];
	int			ncorpus = 0;
	MemoryContext round_cxt,
				old;
	TupleDesc	tupdesc;
	Datum		values[8];
	bool		nulls[8] = {0};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "fuzz_type must return a row");
	fuzz_type_init(&ft, PG_GETARG_OID(0));
	accessors_init(&ft, PG_GETARG_ARRAYTYPE_P(2), PG_GETARG_ARRAYTYPE_P(6));
	ft.has_combine = !PG_ARGISNULL(3);
	if (ft.has_combine)
		fmgr_info(PG_GETARG_OID(3), &ft.combine);
	rng = (uint64) PG_GETARG_INT64(5);

	deconstruct_array(seeds, TEXTOID, -1, false, TYPALIGN_INT,
					  &seed_elems, &seed_nulls, &nseeds);
	for (int i = 0; i < nseeds && ncorpus < MAX_CORPUS; i++)
	{
		char	   *s = TextDatumGetCString(seed_elems[i]);
		Datum		v = InputFunctionCall(&ft.in, s, ft.ioparam, -1);	/* seeds must be valid */
		bytea	   *b = SendFunctionCall(&ft.send, v);

		corpus[ncorpus] = s;
		corpus_bin[ncorpus++] = bytes_info(VARDATA(b), VARSIZE(b) - VARHDRSZ);
	}
	if (ncorpus == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fuzz_type needs at least one seed")));

	round_cxt = AllocSetContextCreate(CurrentMemoryContext, "fuzz round", ALLOCSET_DEFAULT_SIZES);
	for (int r = 0; r < rounds; r++)
	{
		int			from = rand_below(ncorpus);
		int			other = rand_below(ncorpus);
		bool		binary = rand_below(5) < 2;
		Datum		value;
		int			code;
		char	   *message;
		bool		ok;
		char	   *shown;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(round_cxt);
		c.inputs++;
		if (binary)
		{
			StringInfo	b = bytes_info(corpus_bin[from]->data, corpus_bin[from]->len);

			c.binary_inputs++;
			mutate_binary(b, corpus_bin[other]);
			shown = psprintf("binary \\x%s", text_to_cstring(DatumGetTextPP(DirectFunctionCall2(binary_encode,
																							   PointerGetDatum(cstring_to_text_with_len(b->data, b->len)),
																							   PointerGetDatum(cstring_to_text("hex"))))));
			ok = try_call(call_recv, &ft, b, &value, &code, &message);
		}
		else
		{
			StringInfoData s;

			initStringInfo(&s);
			appendStringInfoString(&s, corpus[from]);
			mutate_text(&s, corpus[other]);
			/* the server hands input functions text valid in its encoding */
			if (!pg_verifymbstr(s.data, s.len, true))
			{
				c.inputs--;
				r--;
				MemoryContextSwitchTo(old);
				MemoryContextReset(round_cxt);
				continue;
			}
			c.text_inputs++;
			shown = s.data;
			ok = try_call(call_in, &ft, s.data, &value, &code, &message);
		}

		if (!ok)
		{
			c.refused++;
			if (!acceptable_error(code))
				violation(&c, psprintf("input fails with %s", error_text(code, message)), shown);
		}
		else
		{
			char	   *text;

			c.accepted++;
			text = check_round_trip(&ft, value, &c, "an accepted value");
			if (text != NULL)
			{
				check_accessors(&ft, value, text, &c, 0);
				if (ft.has_combine)
					check_combine(&ft, value,
								  InputFunctionCall(&ft.in, corpus[other], ft.ioparam, -1), &c);
				/* the corpus grows with accepted values, then renews itself */
				if (strcmp(text, corpus[from]) != 0)
				{
					int			slot = ncorpus < MAX_CORPUS ? ncorpus++ : nseeds + rand_below(MAX_CORPUS - nseeds);
					bytea	   *b = SendFunctionCall(&ft.send, value);

					MemoryContextSwitchTo(old);
					corpus[slot] = pstrdup(text);
					corpus_bin[slot] = bytes_info(VARDATA(b), VARSIZE(b) - VARHDRSZ);
				}
			}
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(round_cxt);
	}

	values[0] = Int64GetDatum(c.inputs);
	values[1] = Int64GetDatum(c.text_inputs);
	values[2] = Int64GetDatum(c.binary_inputs);
	values[3] = Int64GetDatum(c.accepted);
	values[4] = Int64GetDatum(c.refused);
	values[5] = Int64GetDatum(c.checks);
	values[6] = Int64GetDatum(c.violations);
	if (c.first_violation)
		values[7] = CStringGetTextDatum(c.first_violation);
	else
		nulls[7] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
