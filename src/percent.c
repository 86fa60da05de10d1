/*
 * percent.c: the exact arithmetic behind every figure a scorecard shows, one
 * implementation of each rule, on decimal (numeric) values:
 *
 *   percent of a fraction  100 * part / whole, truncated to two decimals
 *                          (2 of 3 is 66.66, never 66.67; 1 of 1 is 100.00);
 *   linear fraction        the part of the range from zero_at (0 points) to
 *                          full_at (100 points) that a value has covered,
 *                          clamped to the range: part / whole with
 *                          whole = |full_at - zero_at| > 0 (a reversed range,
 *                          zero_at > full_at, is read from the top);
 *   linear points          the percent of the linear fraction;
 *   weighted percent       the weighted mean of percents of fractions, as one
 *                          fraction: sum w_i * part_i / whole_i over sum w_i,
 *                          then its percent (40 % of 9/10, 30 % of 8/10 and
 *                          30 % of 4/5 give 84.00; 30 % of 1/3 and 30 % of
 *                          2/3 give 50.00, never 49.99).
 *
 * share_percent, the percent accessors of the summary types
 * (compliance_percent, fcr_percent, recurrence_percent, csat_percent: the
 * rates the scorecards show), linear_fraction, linear_points
 * and linear_score all come down to these, so the same figure is computed
 * the same way wherever it appears.  linear_score takes double precision
 * arguments and rounds each to 15 significant digits, as a cast to numeric
 * does: 98.1 is 98.1 (not 98.0999999999999943), so (98.1, 90, 99) gives
 * exactly 90.  Rules: docs/rules.md, "Customer score" and
 * "Department and manager KPIs".
 */
#include "appraisal.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(share_percent);
PG_FUNCTION_INFO_V1(weighted_share_percent);
PG_FUNCTION_INFO_V1(linear_fraction);
PG_FUNCTION_INFO_V1(linear_points);
PG_FUNCTION_INFO_V1(linear_score);

/* ---------------------------------------------------------- numeric steps */

static inline Numeric
num_op(PGFunction op, Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(op, NumericGetDatum(a), NumericGetDatum(b)));
}

static inline int
num_cmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

/* ---------------------------------------------------------------- percent */

/* 100 * part / whole truncated to two decimals; whole > 0 */
static Numeric
percent_truncated(Numeric part, Numeric whole)
{
	Numeric		hundredths = num_op(numeric_div_trunc,
									num_op(numeric_mul, part, int64_to_numeric(10000)),
									whole);

	return num_op(numeric_mul, hundredths, int64_div_fast_to_numeric(1, 2));
}

/*
 * The same of two counts, whole > 0 (a sum of counts may pass bigint): in
 * integers while they suffice.  Only a part far above its whole gets past
 * them, and then the whole is a bigint.
 */
Numeric
count_percent(int64 part, int128 whole)
{
	int128		hundredths = (int128) part * 10000 / whole;	/* truncates toward 0 */

	Assert(whole > 0);
	if (hundredths >= PG_INT64_MIN && hundredths <= PG_INT64_MAX)
		return int64_div_fast_to_numeric((int64) hundredths, 2);
	Assert(whole <= PG_INT64_MAX);
	return percent_truncated(int64_to_numeric(part), int64_to_numeric((int64) whole));
}

/*
 * share_percent(part bigint, whole bigint): 100 * part / whole truncated to
 * two decimals; NULL when whole is not positive.
 */
Datum
share_percent(PG_FUNCTION_ARGS)
{
	int64		whole = PG_GETARG_INT64(1);

	if (whole <= 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(count_percent(PG_GETARG_INT64(0), whole));
}

/* Error unless element i (from 0) of an array argument is finite. */
static void
check_element(Numeric num, const char *what, int i)
{
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(numeric_is_nan(num) ? ERRCODE_INVALID_PARAMETER_VALUE : ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %d of weighted_percent must be a finite number, not %s", what, i + 1,
						DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num))))));
}

/*
 * The elements of a numeric[] argument in order, whatever its lower bound
 * (NULL: none, *n = -1); what names it in messages.
 */
static void
numeric_elements(FunctionCallInfo fcinfo, int arg, const char *what,
				 Datum **values, bool **nulls, int *n)
{
	ArrayType  *array;

	if (PG_ARGISNULL(arg))
	{
		*values = NULL;
		*nulls = NULL;
		*n = -1;
		return;
	}
	array = PG_GETARG_ARRAYTYPE_P(arg);
	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the %s of weighted_percent must be a one-dimensional array, not one of %d dimensions",
						what, ARR_NDIM(array))));
	deconstruct_array(array, NUMERICOID, -1, false, TYPALIGN_INT, values, nulls, n);
}

static const char *
count_str(int n)
{
	return n < 0 ? "NULL" : psprintf("%d", n);
}

/*
 * weighted_share_percent(weights, parts, wholes): the percent of
 * sum w_i * part_i / whole_i over sum w_i, one exact fraction.  Parts of
 * weight 0 are left out; NULL when a weighted part has no whole (NULL or
 * not positive) or no part, or when every weight is 0.  Not strict: NULL
 * arrays are arrays of no parts.
 */
Datum
weighted_share_percent(PG_FUNCTION_ARGS)
{
	Datum	   *w,
			   *p,
			   *q;
	bool	   *wnull,
			   *pnull,
			   *qnull;
	int			nw,
				np,
				nq;
	Numeric		zero = int64_to_numeric(0);
	Numeric		num = zero;		/* sum w_i * part_i * (den / whole_i) */
	Numeric		den = int64_to_numeric(1);	/* a common multiple of the wholes */
	Numeric		total = zero;	/* sum of the weights */
	Numeric		result = NULL;
	bool		evidence = true;

	/*
	 * Each step's arithmetic runs in a context of its own, and the sums are
	 * kept in another, so that memory holds the current sums only (they can
	 * grow long: the denominator is the least common multiple of the wholes).
	 */
	MemoryContext outer = CurrentMemoryContext;
	MemoryContext sums = AllocSetContextCreate(outer, "weighted_share_percent sums", ALLOCSET_SMALL_SIZES);
	MemoryContext step = AllocSetContextCreate(outer, "weighted_share_percent step", ALLOCSET_SMALL_SIZES);

	numeric_elements(fcinfo, 0, "weights", &w, &wnull, &nw);
	numeric_elements(fcinfo, 1, "parts", &p, &pnull, &np);
	numeric_elements(fcinfo, 2, "wholes", &q, &qnull, &nq);
	if (nw != np || np != nq)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("weighted_percent needs as many weights as parts and wholes (got %s, %s, %s)",
						count_str(nw), count_str(np), count_str(nq))));
	for (int i = 0; i < nw; i++)
	{
		Numeric		weight = wnull[i] ? NULL : DatumGetNumeric(w[i]);

		if (weight != NULL)
			check_element(weight, "weight", i);
		if (weight == NULL || num_cmp(weight, zero) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight %d of weighted_percent must be >= 0, not %s", i + 1,
							weight ? DatumGetCString(DirectFunctionCall1(numeric_out, w[i])) : "NULL")));
		if (num_cmp(weight, zero) == 0)
			continue;
		if (qnull[i] || pnull[i])
		{
			evidence = false;	/* a weighted part without evidence */
			break;
		}
		check_element(DatumGetNumeric(p[i]), "part", i);
		check_element(DatumGetNumeric(q[i]), "whole", i);
		if (num_cmp(DatumGetNumeric(q[i]), zero) <= 0)
		{
			evidence = false;
			break;
		}
		{
			Numeric		whole = DatumGetNumeric(q[i]);
			Numeric		multiple;

			MemoryContextSwitchTo(step);
			/* den and whole both divide the new multiple: exact quotients */
			multiple = num_op(numeric_lcm, den, whole);
			num = num_op(numeric_add,
						 num_op(numeric_mul, num, num_op(numeric_div_trunc, multiple, den)),
						 num_op(numeric_mul, num_op(numeric_mul, weight, DatumGetNumeric(p[i])),
								num_op(numeric_div_trunc, multiple, whole)));
			total = num_op(numeric_add, total, weight);
			MemoryContextReset(sums);
			MemoryContextSwitchTo(sums);
			num = DatumGetNumeric(datumCopy(NumericGetDatum(num), false, -1));
			den = DatumGetNumeric(datumCopy(NumericGetDatum(multiple), false, -1));
			total = DatumGetNumeric(datumCopy(NumericGetDatum(total), false, -1));
			MemoryContextSwitchTo(outer);
			MemoryContextReset(step);
		}
	}
	if (evidence && num_cmp(total, zero) != 0)
		result = percent_truncated(num, num_op(numeric_mul, total, den));
	MemoryContextDelete(step);
	MemoryContextDelete(sums);
	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(result);
}

/* -------------------------------------------------------- linear fraction */

/* Error unless num is a finite number, as check_finite says it of a double. */
static void
check_finite_numeric(Numeric num, const char *what)
{
	if (numeric_is_nan(num) || numeric_is_inf(num))
		check_finite(DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(num))), what);
}

/* The ends of a linear range: finite and different (NULL for a NULL end). */
static void
check_range(Numeric zero_at, Numeric full_at)
{
	if (zero_at != NULL)
		check_finite_numeric(zero_at, "zero_at");
	if (full_at != NULL)
		check_finite_numeric(full_at, "full_at");
	if (zero_at == NULL || full_at == NULL || num_cmp(zero_at, full_at) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a linear range needs two different ends, not %s and %s",
						zero_at ? DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(zero_at))) : "NULL",
						full_at ? DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(full_at))) : "NULL")));
}

/*
 * The linear fraction of value on [zero_at, full_at] as *part / *whole,
 * 0 <= part <= whole, whole > 0: one formula for both directions, the
 * differences taken with the range's sign so that a reversed range (return
 * rate: 5 -> 1) counts down from zero_at.
 */
static void
linear_parts(Numeric value, Numeric zero_at, Numeric full_at, Numeric *part, Numeric *whole)
{
	Numeric		span = num_op(numeric_sub, full_at, zero_at);
	Numeric		covered = num_op(numeric_sub, value, zero_at);
	Numeric		zero = int64_to_numeric(0);

	check_finite_numeric(value, "value");
	if (num_cmp(span, zero) < 0)
	{
		span = DatumGetNumeric(DirectFunctionCall1(numeric_uminus, NumericGetDatum(span)));
		covered = DatumGetNumeric(DirectFunctionCall1(numeric_uminus, NumericGetDatum(covered)));
	}
	if (num_cmp(covered, zero) < 0)
		covered = zero;
	else if (num_cmp(covered, span) > 0)
		covered = span;
	*part = covered;
	*whole = span;
}

/* The arguments of the numeric functions: value (NULL allowed), the ends. */
static bool
linear_args(FunctionCallInfo fcinfo, Numeric *part, Numeric *whole)
{
	Numeric		zero_at = PG_ARGISNULL(1) ? NULL : PG_GETARG_NUMERIC(1);
	Numeric		full_at = PG_ARGISNULL(2) ? NULL : PG_GETARG_NUMERIC(2);

	check_range(zero_at, full_at);
	if (PG_ARGISNULL(0))
		return false;
	linear_parts(PG_GETARG_NUMERIC(0), zero_at, full_at, part, whole);
	return true;
}

/*
 * linear_fraction(value, zero_at, full_at, OUT part, OUT whole): the
 * fraction as a row; NULLs for a NULL value.  Not strict: a range without
 * two ends is an error even for a NULL value.
 */
Datum
linear_fraction(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[2] = {0, 0};
	bool		nulls[2] = {true, true};
	Numeric		part,
				whole;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("linear_fraction must be called in a context that accepts a row")));
	if (linear_args(fcinfo, &part, &whole))
	{
		values[0] = NumericGetDatum(part);
		values[1] = NumericGetDatum(whole);
		nulls[0] = nulls[1] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/* linear_points(value, zero_at, full_at): the percent of the fraction. */
Datum
linear_points(PG_FUNCTION_ARGS)
{
	Numeric		part,
				whole;

	if (!linear_args(fcinfo, &part, &whole))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(percent_truncated(part, whole));
}

/* float8 -> numeric as a cast does: rounded to 15 significant digits */
static inline Numeric
decimal_of(double x)
{
	return DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(x)));
}

/*
 * linear_score(value, zero_at, full_at) in double precision: 100 * part /
 * whole of the same fraction, not truncated, rounded once to a double.  The
 * factor 100 carries 16 decimals, so the quotient has at least 17
 * significant digits from 1 point up: rounding it to a double is rounding
 * the exact value (round values, such as 90, are exact).
 */
Datum
linear_score(PG_FUNCTION_ARGS)
{
	Numeric		zero_at = decimal_of(PG_GETARG_FLOAT8(1));
	Numeric		full_at = decimal_of(PG_GETARG_FLOAT8(2));
	Numeric		hundred = int64_div_fast_to_numeric(INT64CONST(1000000000000000000), 16);
	Numeric		part,
				whole;

	check_range(zero_at, full_at);
	linear_parts(decimal_of(PG_GETARG_FLOAT8(0)), zero_at, full_at, &part, &whole);
	PG_RETURN_DATUM(DirectFunctionCall1(numeric_float8,
										NumericGetDatum(num_op(numeric_div,
															   num_op(numeric_mul, part, hundred),
															   whole))));
}
