/*
 * csat.c: satisfaction (docs/rules.md, "Complaint handling" and "Service
 * levels").  The summary type appraisal.csat_stats counts survey responses per
 * rating value on one scale: 1..n (n from 2 to 10; CSAT is 1..5) or 0..10
 * (NPS).  Made by csat_agg and nps_agg, merged by rollup, read by the
 * accessors csat (share of the top two ratings), csat_mean (optionally with
 * extreme ratings down-weighted), csat_lower_bound (Wilson score bound), nps,
 * responses and rating_count; the aggregates csat and nps are the one-step
 * forms.
 *
 * Counts are exact, so every transition has an exact inverse (moving
 * windows) and every rollup is exact.  Shares and means are one division of
 * two integers, rounded once.
 *
 * Text form of appraisal.csat_stats, every rating of the scale in order:
 *   scale 1..5: 1=0 2=1 3=0 4=3 5=10
 *   empty                              (no responses, and so no scale yet)
 * A summary has a scale exactly when it has responses, so "no responses" has
 * one form, which combines with any other summary.
 */
#include "appraisal.h"

#include <math.h>

#include "libpq/pqformat.h"

PG_FUNCTION_INFO_V1(csat_stats_in);
PG_FUNCTION_INFO_V1(csat_stats_out);
PG_FUNCTION_INFO_V1(csat_stats_recv);
PG_FUNCTION_INFO_V1(csat_stats_send);
PG_FUNCTION_INFO_V1(csat_stats_trans);
PG_FUNCTION_INFO_V1(csat_stats_inv);
PG_FUNCTION_INFO_V1(nps_stats_trans);
PG_FUNCTION_INFO_V1(nps_stats_inv);
PG_FUNCTION_INFO_V1(csat_stats_combine);
PG_FUNCTION_INFO_V1(csat_stats_combine_inv);
PG_FUNCTION_INFO_V1(csat_stats_csat);
PG_FUNCTION_INFO_V1(csat_stats_csat_percent);
PG_FUNCTION_INFO_V1(csat_stats_mean);
PG_FUNCTION_INFO_V1(csat_stats_lower_bound);
PG_FUNCTION_INFO_V1(csat_stats_nps);
PG_FUNCTION_INFO_V1(csat_stats_responses);
PG_FUNCTION_INFO_V1(csat_stats_satisfied);
PG_FUNCTION_INFO_V1(csat_stats_rating_count);

#define CSAT_MAX 5				/* the default scale 1..5 */

/*
 * Far beyond any real count; keeps the sum of all counts (11 * 10^15) and
 * of rating times count within int64.
 */
#define MAX_COUNT INT64CONST(1000000000000000)

StaticAssertDecl(sizeof(CsatStats) == 96, "appraisal.csat_stats is 96 bytes");

static inline bool
is_empty(const CsatStats *st)
{
	return st->scale_max == 0;
}

/* ------------------------------------------------------------------ checks */

/* 1..n with n in 2..10, or 0..10 (NPS) */
static inline bool
scale_supported(int64 lo, int64 hi)
{
	return (lo == 1 && hi >= MIN_SCALE_MAX && hi <= MAX_RATING) ||
		(lo == 0 && hi == MAX_RATING);
}

static void pg_attribute_noreturn()
scale_error(int64 lo, int64 hi)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid csat_stats: scale " INT64_FORMAT ".." INT64_FORMAT " is not supported",
					lo, hi),
			 errdetail("Scales are 1..n with n from 2 to 10, or 0..10 for NPS.")));
}

static void pg_attribute_noreturn()
rating_error(int64 rating, int lo, int hi)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("rating " INT64_FORMAT " is outside the scale %d..%d", rating, lo, hi)));
}

static void pg_attribute_noreturn()
count_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("more than " INT64_FORMAT " responses with one rating in one csat_stats",
					MAX_COUNT)));
}

static int64
total_responses(const CsatStats *st)
{
	int64		n = 0;

	for (int r = 0; r <= MAX_RATING; r++)
		n += st->count[r];		/* valid counts cannot overflow */
	return n;
}

/*
 * Reject what no set of responses could give; shared by text and binary
 * input.  A summary without responses has no scale ("empty"), so that there
 * is one form of it and it combines with anything.
 */
static void
stats_validate(const CsatStats *st)
{
	int			lo = st->scale_min;
	int			hi = st->scale_max;

	if (lo == 0 && hi == 0)
	{
		for (int r = 0; r <= MAX_RATING; r++)
			if (st->count[r] != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid csat_stats: no scale, but count " INT64_FORMAT " for rating %d",
								st->count[r], r)));
		return;
	}
	if (!scale_supported(lo, hi))
		scale_error(lo, hi);
	for (int r = 0; r <= MAX_RATING; r++)
	{
		if (r < lo || r > hi)
		{
			if (st->count[r] != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid csat_stats: rating %d is outside the scale %d..%d but has count " INT64_FORMAT,
								r, lo, hi, st->count[r])));
		}
		else if (st->count[r] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid csat_stats: count " INT64_FORMAT " of rating %d is negative",
							st->count[r], r)));
		else if (st->count[r] > MAX_COUNT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid csat_stats: count " INT64_FORMAT " of rating %d is above the limit " INT64_FORMAT,
							st->count[r], r, MAX_COUNT)));
	}
	if (total_responses(st) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid csat_stats: scale %d..%d with no responses", lo, hi),
				 errdetail("A summary without responses has no scale: write \"empty\".")));
}

/* ------------------------------------------------------------- text form */

static void
stats_append(StringInfo buf, const CsatStats *st)
{
	if (is_empty(st))
	{
		appendStringInfoString(buf, "empty");
		return;
	}
	appendStringInfo(buf, "scale %d..%d:", st->scale_min, st->scale_max);
	for (int r = st->scale_min; r <= st->scale_max; r++)
		appendStringInfo(buf, " %d=" INT64_FORMAT, r, st->count[r]);
}

static const TextForm csat_form = {
	.type = "csat_stats",
	.example = "scale 1..5: 1=0 2=1 3=0 4=3 5=10",
	.part_ends = " "
};

/* "empty", or "scale lo..hi:" and the count of every rating, "rating=count" */
static void
stats_parse(const char *text, CsatStats *st)
{
	FormInput	in;
	int64		lo,
				hi;

	form_start(&in, &csat_form, text);
	memset(st, 0, sizeof(*st));
	if (form_accept(&in, "empty"))
	{
		form_end(&in, "the end");
		return;
	}
	form_expect(&in, "scale", "\"scale\" or \"empty\"");
	lo = form_integer(&in, "the lowest rating of the scale");
	form_expect(&in, "..", NULL);
	hi = form_integer(&in, "the highest rating of the scale");
	form_expect(&in, ":", NULL);
	if (!scale_supported(lo, hi))
		scale_error(lo, hi);
	st->scale_min = (int32) lo;
	st->scale_max = (int32) hi;
	for (int r = st->scale_min; r <= st->scale_max; r++)
	{
		char		label[8],
					count[32];
		const char *at = form_skip(&in);

		snprintf(label, sizeof(label), "\"%d=\"", r);
		snprintf(count, sizeof(count), "a count after %s", label);
		if (form_integer(&in, label) != r)
			form_syntax_error(&in, at, label);
		form_expect(&in, "=", label);
		st->count[r] = form_integer(&in, count);
	}
	form_end(&in, "the end");
	stats_validate(st);
}

Datum
csat_stats_in(PG_FUNCTION_ARGS)
{
	CsatStats  *st = palloc(sizeof(CsatStats));

	stats_parse(PG_GETARG_CSTRING(0), st);
	PG_RETURN_POINTER(st);
}

Datum
csat_stats_out(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	initStringInfo(&buf);
	stats_append(&buf, (CsatStats *) PG_GETARG_POINTER(0));
	PG_RETURN_CSTRING(buf.data);
}

/* Binary form: scale_min and scale_max as int4, then counts of ratings 0..10 as int8. */
Datum
csat_stats_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CsatStats  *st = palloc(sizeof(CsatStats));

	st->scale_min = pq_getmsgint(buf, 4);
	st->scale_max = pq_getmsgint(buf, 4);
	for (int r = 0; r <= MAX_RATING; r++)
		st->count[r] = pq_getmsgint64(buf);
	stats_validate(st);
	PG_RETURN_POINTER(st);
}

Datum
csat_stats_send(PG_FUNCTION_ARGS)
{
	CsatStats  *st = (CsatStats *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, st->scale_min);
	pq_sendint32(&buf, st->scale_max);
	for (int r = 0; r <= MAX_RATING; r++)
		pq_sendint64(&buf, st->count[r]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ------------------------------------------------------------ aggregation */

static void pg_attribute_noreturn()
scales_differ(const char *what, const CsatStats *st, int lo, int hi)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot %s ratings on scale %d..%d and on scale %d..%d in one csat_stats",
					what, st->scale_min, st->scale_max, lo, hi),
			 errhint("Use one scale per group, or group by the scale.")));
}

/*
 * Add (sign 1) or remove (sign -1, moving windows) one rating on the scale
 * lo..hi.  The first rating gives an empty summary its scale; removing the
 * last one makes it empty again, exactly what recomputing the frame gives.
 */
static inline void
add_rating(CsatStats *st, int32 rating, int lo, int hi, int sign)
{
	if (unlikely(rating < lo || rating > hi))
		rating_error(rating, lo, hi);
	if (unlikely(st->scale_min != lo || st->scale_max != hi))
	{
		if (!is_empty(st))
			scales_differ("mix", st, lo, hi);
		if (sign < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove rating %d from an empty csat_stats", rating)));
		st->scale_min = lo;
		st->scale_max = hi;
	}
	if (sign > 0)
	{
		if (unlikely(st->count[rating] >= MAX_COUNT))
			count_error();
		st->count[rating]++;
	}
	else
	{
		if (unlikely(st->count[rating] <= 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove rating %d from a csat_stats that has none", rating)));
		st->count[rating]--;
		if (total_responses(st) == 0)
			memset(st, 0, sizeof(*st));
	}
}

static inline void
check_scale_max(int32 hi)
{
	if (unlikely(hi < MIN_SCALE_MAX || hi > MAX_RATING))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scale_max %d is not supported", hi),
				 errdetail("CSAT scales run from 1 to scale_max, with scale_max from 2 to 10.")));
}

/*
 * csat_agg(rating) and csat(rating) on 1..5 (strict), and csat_agg(rating,
 * scale_max) and csat(rating, scale_max) on 1..scale_max (not strict: a
 * rated row without a scale is an error, not silently skipped).  A row
 * without a rating is left out whatever its scale_max.
 */
static Datum
csat_add(FunctionCallInfo fcinfo, int sign)
{
	CsatStats  *st;
	int32		rating;
	int32		hi = CSAT_MAX;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(agg_state(fcinfo, sizeof(CsatStats)));
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	st = agg_state(fcinfo, sizeof(CsatStats));
	rating = PG_GETARG_INT32(1);
	if (PG_NARGS() > 2)
	{
		if (unlikely(PG_ARGISNULL(2)))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("rating %d has a NULL scale_max", rating),
					 errhint("Give every rated row its scale, or use csat_agg(rating) for the 1..5 scale.")));
		hi = PG_GETARG_INT32(2);
		check_scale_max(hi);
	}
	add_rating(st, rating, 1, hi, sign);
	PG_RETURN_POINTER(st);
}

/* csat_agg(rating, scale_max)'s step, for a pass in C (follow_up_pass.c) */
void
csat_stats_add(CsatStats *st, int32 rating, int32 scale_max)
{
	check_scale_max(scale_max);
	add_rating(st, rating, 1, scale_max, 1);
}

Datum
csat_stats_trans(PG_FUNCTION_ARGS)
{
	return csat_add(fcinfo, 1);
}

Datum
csat_stats_inv(PG_FUNCTION_ARGS)
{
	return csat_add(fcinfo, -1);
}

/* nps_agg(rating) and nps(rating): the 0..10 scale (strict) */
static Datum
nps_add(FunctionCallInfo fcinfo, int sign)
{
	CsatStats  *st = agg_state(fcinfo, sizeof(CsatStats));

	if (!PG_ARGISNULL(1))
		add_rating(st, PG_GETARG_INT32(1), 0, MAX_RATING, sign);
	PG_RETURN_POINTER(st);
}

Datum
nps_stats_trans(PG_FUNCTION_ARGS)
{
	return nps_add(fcinfo, 1);
}

Datum
nps_stats_inv(PG_FUNCTION_ARGS)
{
	return nps_add(fcinfo, -1);
}

/*
 * Combine function, and the transition function of rollup(csat_stats): an
 * empty summary (a worker that saw no rows) combines with anything.
 */
Datum
csat_stats_combine(PG_FUNCTION_ARGS)
{
	CsatStats  *st = agg_state(fcinfo, sizeof(CsatStats));
	const CsatStats *other = (CsatStats *) PG_GETARG_POINTER(1);

	if (is_empty(other))
		PG_RETURN_POINTER(st);
	if (is_empty(st))
	{
		*st = *other;
		PG_RETURN_POINTER(st);
	}
	if (st->scale_min != other->scale_min || st->scale_max != other->scale_max)
		scales_differ("combine", st, other->scale_min, other->scale_max);
	for (int r = st->scale_min; r <= st->scale_max; r++)
		if (st->count[r] + other->count[r] > MAX_COUNT)
			count_error();
	for (int r = st->scale_min; r <= st->scale_max; r++)
		st->count[r] += other->count[r];
	PG_RETURN_POINTER(st);
}

/* Inverse of rollup(csat_stats) for moving windows: subtracts a summary. */
Datum
csat_stats_combine_inv(PG_FUNCTION_ARGS)
{
	CsatStats  *st = agg_state(fcinfo, sizeof(CsatStats));
	const CsatStats *other = (CsatStats *) PG_GETARG_POINTER(1);

	if (is_empty(other))
		PG_RETURN_POINTER(st);
	if (st->scale_min != other->scale_min || st->scale_max != other->scale_max)
	{
		if (is_empty(st))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove responses from an empty csat_stats")));
		scales_differ("combine", st, other->scale_min, other->scale_max);
	}
	for (int r = st->scale_min; r <= st->scale_max; r++)
		if (st->count[r] < other->count[r])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot subtract a count of " INT64_FORMAT " for rating %d from a count of " INT64_FORMAT,
							other->count[r], r, st->count[r])));
	for (int r = st->scale_min; r <= st->scale_max; r++)
		st->count[r] -= other->count[r];
	if (total_responses(st) == 0)
		memset(st, 0, sizeof(*st));
	PG_RETURN_POINTER(st);
}

/* -------------------------------------------------------------- accessors */

#define EXACT_INT_LIMIT (INT64CONST(1) << 53)	/* every integer up to it is a double */

/*
 * num / den rounded once: a double division is correctly rounded when both
 * are exact doubles; beyond that (never in practice), long double.
 */
static double
ratio(int128 num, int128 den)
{
	if (num <= EXACT_INT_LIMIT && num >= -EXACT_INT_LIMIT && den <= EXACT_INT_LIMIT)
		return (double) num / (double) den;
	return (double) ((long double) num / (long double) den);
}

/* responses with one of the two top ratings of the scale (4-5 of 1..5) */
static int64
top_two(const CsatStats *st)
{
	return is_empty(st) ? 0 : st->count[st->scale_max - 1] + st->count[st->scale_max];
}

/* csat(stats): share of the top two ratings (4-5 of 1..5), NULL when empty */
Datum
csat_stats_csat(PG_FUNCTION_ARGS)
{
	const CsatStats *st = (CsatStats *) PG_GETARG_POINTER(0);

	if (is_empty(st))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(ratio(top_two(st), total_responses(st)));
}

/* csat_percent(stats): the same share as the percent scorecards show */
Datum
csat_stats_csat_percent(PG_FUNCTION_ARGS)
{
	const CsatStats *st = (CsatStats *) PG_GETARG_POINTER(0);

	if (is_empty(st))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(count_percent(top_two(st), total_responses(st)));
}

/* satisfied(stats): the numerator of csat(stats), 0 when empty */
Datum
csat_stats_satisfied(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(top_two((CsatStats *) PG_GETARG_POINTER(0)));
}

/*
 * csat_mean(stats [, extreme_weight]): the mean rating, with the scale's
 * lowest and highest ratings weighted by extreme_weight (>= 0, finite) and
 * all others by 1.  NULL when nothing weighs anything.
 */
Datum
csat_stats_mean(PG_FUNCTION_ARGS)
{
	const CsatStats *st = (CsatStats *) PG_GETARG_POINTER(0);
	double		w = 1;
	int64		ext_n,
				ext_sum,
				mid_n = 0,
				mid_sum = 0;
	long double num,
				den;

	if (PG_NARGS() > 1)
	{
		w = PG_GETARG_FLOAT8(1);
		check_finite(w, "extreme_weight");
		if (w < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("extreme_weight %s is negative", double_str(w))));
	}
	if (is_empty(st))
		PG_RETURN_NULL();

	ext_n = st->count[st->scale_min] + st->count[st->scale_max];
	ext_sum = st->scale_min * st->count[st->scale_min] +
		st->scale_max * st->count[st->scale_max];
	for (int r = st->scale_min + 1; r < st->scale_max; r++)
	{
		mid_n += st->count[r];
		mid_sum += r * st->count[r];
	}
	if (w == 1)
		PG_RETURN_FLOAT8(ratio(ext_sum + mid_sum, ext_n + mid_n));

	/*
	 * The weight as the decimal written (15 significant digits, as scores
	 * are read), w = units / scale with the fewest digits: 0.1 is 1/10, so
	 * the sums stay small integers and the mean is rounded once.
	 */
	if (w <= 1e6)
	{
		int128		units = fixed_from_double(w);	/* in 10^-18 */
		int128		scale = 1;
		int128		inum,
					iden;

		for (int i = 0; i < FIXED_DIGITS; i++)
			scale *= 10;
		while (scale > 1 && units % 10 == 0)
		{
			units /= 10;
			scale /= 10;
		}
		inum = units * ext_sum + scale * mid_sum;
		iden = units * ext_n + scale * mid_n;
		if (iden == 0)
			PG_RETURN_NULL();
		PG_RETURN_FLOAT8(ratio(inum, iden));
	}

	num = (long double) w * ext_sum + mid_sum;
	den = (long double) w * ext_n + mid_n;
	if (den == 0)
		PG_RETURN_NULL();
	/* one rounding when both sums are exact doubles (0.5 * 11 + 7 ...) */
	if ((long double) (double) num == num && (long double) (double) den == den)
		PG_RETURN_FLOAT8((double) num / (double) den);
	PG_RETURN_FLOAT8((double) (num / den));
}

/*
 * Φ⁻¹(p) for 0 < p <= 0.5, given also h = p - 0.5 exactly: Acklam's
 * rational approximation (relative error below 1.15e-9), then one Halley
 * step on Φ(x) - p in long double, which leaves an error far below the
 * double's resolution.  Near the centre Φ(x) - p is formed as
 * erf(x/√2)/2 - h, in the tail as erfc(-x/√2)/2 - p, so neither cancels.
 */
static long double
normal_quantile_lower(long double p, long double h)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
	-3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	const long double sqrt2 = 1.41421356237309504880168872420969808L;
	const long double sqrt2pi = 2.50662827463100050241576528481104525L;
	bool		tail = p < 0.02425L;
	long double x,
				e,
				u;

	if (tail)
	{
		double		q = sqrt(-2 * log((double) p));

		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	else
	{
		double		q = (double) h;
		double		r = q * q;

		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}

	e = tail ? 0.5L * erfcl(-x / sqrt2) - p : 0.5L * erfl(x / sqrt2) - h;
	u = e * sqrt2pi * expl(x * x / 2);
	return x - u / (1 + x * u / 2);
}

/*
 * The two-sided z of a confidence in (0, 1): Φ⁻¹(1 - (1 - confidence) / 2).
 * The confidence is taken as the decimal it was written as (15 significant
 * digits, as scores are), so 0.95 gives the z of 95 %, 1.959963984540054...,
 * not that of the binary 0.9499999999999999556.
 */
static long double
two_sided_z(double confidence)
{
	int128		units = fixed_from_double(confidence);	/* 10^-18 */
	const long double one = 1000000000000000000.0L;
	long double tail,
				half;

	if (units > 0 && units < (int128) 1000000000000000000LL)
	{
		tail = (long double) (1000000000000000000LL - (int64) units) / (2 * one);
		half = -(long double) (int64) units / (2 * one);
	}
	else
	{
		/* below 10^-18: the double itself */
		tail = (1 - (long double) confidence) / 2;
		half = -(long double) confidence / 2;
	}
	return -normal_quantile_lower(tail, half);
}

/*
 * csat_lower_bound(stats, confidence): the Wilson score interval's lower
 * bound of the csat share k/n,
 *   (p + z²/2n - z √(p(1-p)/n + z²/4n²)) / (1 + z²/n),  p = k/n,
 * computed in the equivalent form 2k² / (n (2k + z² + z √(z² + 4k(n-k)/n))),
 * whose terms are all positive, so nothing cancels.
 */
Datum
csat_stats_lower_bound(PG_FUNCTION_ARGS)
{
	const CsatStats *st = (CsatStats *) PG_GETARG_POINTER(0);
	double		confidence = PG_GETARG_FLOAT8(1);
	long double z,
				k,
				n;

	check_finite(confidence, "confidence");
	if (!(confidence > 0 && confidence < 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("confidence %s is outside the open interval (0, 1)",
						double_str(confidence))));
	if (is_empty(st))
		PG_RETURN_NULL();
	z = two_sided_z(confidence);
	k = st->count[st->scale_max - 1] + st->count[st->scale_max];
	n = total_responses(st);
	if (k == 0)
		PG_RETURN_FLOAT8(0.0);
	PG_RETURN_FLOAT8((double) (2 * k * k /
							   (n * (2 * k + z * z + z * sqrtl(z * z + 4 * k * (n - k) / n)))));
}

/*
 * nps(stats): % promoters (9-10) minus % detractors (0-6), as
 * 100 (promoters - detractors) / n rounded once; 0..10 summaries only.
 */
Datum
csat_stats_nps(PG_FUNCTION_ARGS)
{
	const CsatStats *st = (CsatStats *) PG_GETARG_POINTER(0);
	int64		detractors = 0;

	if (is_empty(st))
		PG_RETURN_NULL();
	if (st->scale_min != 0 || st->scale_max != MAX_RATING)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nps needs ratings on the scale 0..10, not %d..%d",
						st->scale_min, st->scale_max),
				 errhint("Summarise NPS ratings with nps_agg(rating).")));
	for (int r = 0; r <= 6; r++)
		detractors += st->count[r];
	PG_RETURN_FLOAT8(ratio((int128) 100 * (st->count[9] + st->count[10] - detractors),
						   total_responses(st)));
}

Datum
csat_stats_responses(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(total_responses((CsatStats *) PG_GETARG_POINTER(0)));
}

/*
 * rating_count(stats, rating): responses with that rating; a rating outside
 * the summary's scale is an error (outside 0..10 for an empty summary).
 */
Datum
csat_stats_rating_count(PG_FUNCTION_ARGS)
{
	const CsatStats *st = (CsatStats *) PG_GETARG_POINTER(0);
	int32		rating = PG_GETARG_INT32(1);
	int			lo = is_empty(st) ? 0 : st->scale_min;
	int			hi = is_empty(st) ? MAX_RATING : st->scale_max;

	if (rating < lo || rating > hi)
		rating_error(rating, lo, hi);
	PG_RETURN_INT64(st->count[rating]);
}
