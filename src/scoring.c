/*
 * scoring.c: the weighted_score aggregate, which combines KPI points by
 * weight over rows of double precision (docs/rules.md, "Department and
 * manager KPIs"), with its state type appraisal.weighted_stats, the two-step
 * weighted_agg / rollup and the accessors weighted_score, total_weight and
 * scored_count.  (Points on a linear scale are in percent.c.)
 *
 * The state keeps the number of scored rows and two sums, Σweight and
 * Σweight·score, each as a double-double (hi + lo, about 106 bits): every
 * product w·s is taken exactly (TwoProduct) and every addition keeps its
 * rounding error (TwoSum), so the composite is formed from nearly exact sums
 * and rounded once.  Scores 70/95/95/95 weighted 0.2/0.4/0.3/0.1 thus give
 * exactly 90 (14 + 38 + 28.5 + 9.5), where plain double sums give
 * 89.99999999999999.
 *
 * Text form of appraisal.weighted_stats (each number in shortest round-trip
 * digits, so the text reads back to the same bits):
 *   n=5 weight=1 weight_lo=0 product=70.5 product_lo=-1.4988010832439613e-15
 * n: scored rows; weight, weight_lo: Σweight = weight + weight_lo;
 * product, product_lo: Σweight·score = product + product_lo.
 */
#include "appraisal.h"

#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"

PG_FUNCTION_INFO_V1(weighted_stats_in);
PG_FUNCTION_INFO_V1(weighted_stats_out);
PG_FUNCTION_INFO_V1(weighted_stats_recv);
PG_FUNCTION_INFO_V1(weighted_stats_send);
PG_FUNCTION_INFO_V1(weighted_stats_trans);
PG_FUNCTION_INFO_V1(weighted_stats_combine);
PG_FUNCTION_INFO_V1(weighted_stats_score);
PG_FUNCTION_INFO_V1(weighted_stats_total_weight);
PG_FUNCTION_INFO_V1(weighted_stats_scored_count);

/* ---------------------------------------------------------- double-double */

/* An unevaluated sum hi + lo with |lo| at most half an ulp of hi. */
typedef struct DoubleDouble
{
	double		hi;
	double		lo;
} DoubleDouble;

/*
 * a + b = s + e exactly, s = fl(a + b); Knuth's TwoSum, for any a and b.
 * (PostgreSQL is built with -fexcess-precision=standard, so no extended
 * register precision spoils the error terms.)
 */
static inline void
two_sum(double a, double b, double *s, double *e)
{
	double		bb;

	*s = a + b;
	bb = *s - a;
	*e = (a - (*s - bb)) + (b - bb);
}

/* The same when |a| >= |b| (or a = 0): renormalises a pair. */
static inline void
fast_two_sum(double a, double b, double *s, double *e)
{
	*s = a + b;
	*e = b - (*s - a);
}

/* acc += hi + lo, the accurate double-double addition (QD's ieee_add). */
static inline void
dd_add(DoubleDouble *acc, double hi, double lo)
{
	double		s1,
				s2,
				t1,
				t2;

	two_sum(acc->hi, hi, &s1, &s2);
	two_sum(acc->lo, lo, &t1, &t2);
	s2 += t1;
	fast_two_sum(s1, s2, &s1, &s2);
	s2 += t2;
	fast_two_sum(s1, s2, &acc->hi, &acc->lo);
}

static inline long double
dd_value(const DoubleDouble *x)
{
	return (long double) x->hi + x->lo;
}

/* ---------------------------------------------------------- weighted_stats */

typedef struct WeightedStats
{
	int64		count;			/* rows with a score */
	DoubleDouble weight;		/* Σweight */
	DoubleDouble product;		/* Σweight·score */
} WeightedStats;

StaticAssertDecl(sizeof(WeightedStats) == 40, "appraisal.weighted_stats is 40 bytes");

/*
 * Scores lie in [0, 100], so Σweight·score <= 100 Σweight.  The two sums
 * round independently (relatively by less than this even over 2^63 rows),
 * so a valid state may exceed the bound by that much.
 */
#define PRODUCT_SLACK 1e-12L

static void
check_pair(const DoubleDouble *x, const char *name)
{
	/* the canonical form our arithmetic keeps, so equal sums print alike */
	if (x->hi + x->lo != x->hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid weighted_stats: %s %s with %s_lo %s is not normalised",
						name, double_str(x->hi), name, double_str(x->lo)),
				 errdetail("%s_lo must be at most half a unit in the last place of %s.",
						   name, name)));
	if (x->hi < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid weighted_stats: %s %s is negative",
						name, double_str(x->hi))));
}

/* Reject what no set of scores in [0, 100] with weights >= 0 could give. */
static void
stats_validate(const WeightedStats *st)
{
	const struct
	{
		const char *name;
		double		value;
	}			fields[] = {
		{"weight", st->weight.hi}, {"weight_lo", st->weight.lo},
		{"product", st->product.hi}, {"product_lo", st->product.lo}
	};

	if (st->count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid weighted_stats: count " INT64_FORMAT " is negative",
						st->count)));
	/* like check_finite(): NaN is 22023, infinities 22003 */
	for (int i = 0; i < (int) lengthof(fields); i++)
		if (!isfinite(fields[i].value))
			ereport(ERROR,
					(errcode(isnan(fields[i].value) ? ERRCODE_INVALID_PARAMETER_VALUE :
							 ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("invalid weighted_stats: %s %s is not a finite number",
							fields[i].name, double_str(fields[i].value))));
	check_pair(&st->weight, "weight");
	check_pair(&st->product, "product");
	if (st->count == 0 && (st->weight.hi != 0 || st->product.hi != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid weighted_stats: no scored rows, but weight %s and product %s",
						double_str(st->weight.hi), double_str(st->product.hi))));
	if (dd_value(&st->product) > 100 * dd_value(&st->weight) * (1 + PRODUCT_SLACK))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid weighted_stats: product %s exceeds 100 times weight %s",
						double_str(st->product.hi), double_str(st->weight.hi)),
				 errdetail("Scores are at most 100, so the sum of weight times score is at most 100 times the sum of weights.")));
}

static void
stats_append(StringInfo buf, const WeightedStats *st)
{
	appendStringInfo(buf, "n=" INT64_FORMAT " weight=", st->count);
	double_append(buf, st->weight.hi);
	appendStringInfoString(buf, " weight_lo=");
	double_append(buf, st->weight.lo);
	appendStringInfoString(buf, " product=");
	double_append(buf, st->product.hi);
	appendStringInfoString(buf, " product_lo=");
	double_append(buf, st->product.lo);
}

static const TextForm weighted_form = {
	.type = "weighted_stats",
	.example = "n=5 weight=1 weight_lo=0 product=70.5 product_lo=0",
	.part_ends = " "
};

Datum
weighted_stats_in(PG_FUNCTION_ARGS)
{
	WeightedStats *st = palloc(sizeof(WeightedStats));
	FormInput	in;

	form_start(&in, &weighted_form, PG_GETARG_CSTRING(0));
	st->count = form_count_field(&in, "n");
	st->weight.hi = form_number_field(&in, "weight") + 0.0;	/* -0 becomes 0 */
	st->weight.lo = form_number_field(&in, "weight_lo") + 0.0;
	st->product.hi = form_number_field(&in, "product") + 0.0;
	st->product.lo = form_number_field(&in, "product_lo") + 0.0;
	form_end(&in, "the end");
	stats_validate(st);
	PG_RETURN_POINTER(st);
}

Datum
weighted_stats_out(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	initStringInfo(&buf);
	stats_append(&buf, (WeightedStats *) PG_GETARG_POINTER(0));
	PG_RETURN_CSTRING(buf.data);
}

/* Binary form: count as int8, then weight, weight_lo, product, product_lo as float8. */
Datum
weighted_stats_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	WeightedStats *st = palloc(sizeof(WeightedStats));

	st->count = pq_getmsgint64(buf);
	st->weight.hi = pq_getmsgfloat8(buf) + 0.0;	/* -0 becomes 0, as in input */
	st->weight.lo = pq_getmsgfloat8(buf) + 0.0;
	st->product.hi = pq_getmsgfloat8(buf) + 0.0;
	st->product.lo = pq_getmsgfloat8(buf) + 0.0;
	stats_validate(st);
	PG_RETURN_POINTER(st);
}

Datum
weighted_stats_send(PG_FUNCTION_ARGS)
{
	WeightedStats *st = (WeightedStats *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, st->count);
	pq_sendfloat8(&buf, st->weight.hi);
	pq_sendfloat8(&buf, st->weight.lo);
	pq_sendfloat8(&buf, st->product.hi);
	pq_sendfloat8(&buf, st->product.lo);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ------------------------------------------------------------ aggregation */

static inline void
check_sums(const WeightedStats *st)
{
	if (unlikely(!isfinite(st->weight.hi) || !isfinite(st->product.hi)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("weighted_score: the sum of weights or of weight times score is too large")));
}

static inline void
add_count(WeightedStats *st, int64 n)
{
	if (unlikely(pg_add_s64_overflow(st->count, n, &st->count)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("weighted_score: too many scored rows")));
}

/*
 * weighted_score(score, weight) and weighted_agg: non-strict, so that a
 * scored row with a NULL weight is an error rather than silently skipped.
 * A row without a score does not count, whatever its weight: the other
 * weights are renormalised by the final division.
 */
Datum
weighted_stats_trans(PG_FUNCTION_ARGS)
{
	WeightedStats *st;
	double		score;
	double		weight;
	double		p,
				e;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(agg_state(fcinfo, sizeof(WeightedStats)));
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	st = agg_state(fcinfo, sizeof(WeightedStats));
	score = PG_GETARG_FLOAT8(1);
	check_score(score);
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("weighted_score: score %s has a NULL weight",
						double_str(score)),
				 errhint("Give every scored row a weight, or make its score NULL to leave it out.")));
	weight = PG_GETARG_FLOAT8(2);
	check_finite(weight, "weight");
	if (weight < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight %s is negative", double_str(weight))));

	/* TwoProduct: p + e is weight * score exactly */
	p = weight * score;
	e = fma(weight, score, -p);

	add_count(st, 1);
	dd_add(&st->weight, weight, 0);
	dd_add(&st->product, p, e);
	check_sums(st);
	PG_RETURN_POINTER(st);
}

/* Combine function, and the transition function of rollup(weighted_stats). */
Datum
weighted_stats_combine(PG_FUNCTION_ARGS)
{
	WeightedStats *st = agg_state(fcinfo, sizeof(WeightedStats));
	const WeightedStats *other = (WeightedStats *) PG_GETARG_POINTER(1);

	add_count(st, other->count);
	dd_add(&st->weight, other->weight.hi, other->weight.lo);
	dd_add(&st->product, other->product.hi, other->product.lo);
	check_sums(st);
	PG_RETURN_POINTER(st);
}

/* -------------------------------------------------------------- accessors */

/*
 * weighted_score(stats), also the final function of weighted_score(score,
 * weight): Σweight·score / Σweight, rounded once; NULL when nothing was
 * scored or every weight was 0.
 */
Datum
weighted_stats_score(PG_FUNCTION_ARGS)
{
	const WeightedStats *st = (WeightedStats *) PG_GETARG_POINTER(0);
	double		score;

	if (st->weight.hi == 0)
		PG_RETURN_NULL();
	score = (double) (dd_value(&st->product) / dd_value(&st->weight));
	/* a valid state may exceed the bound by PRODUCT_SLACK */
	PG_RETURN_FLOAT8(Min(score, 100.0));
}

/* The pair is normalised, so hi is Σweight rounded to double. */
Datum
weighted_stats_total_weight(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(((WeightedStats *) PG_GETARG_POINTER(0))->weight.hi);
}

Datum
weighted_stats_scored_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(((WeightedStats *) PG_GETARG_POINTER(0))->count);
}
