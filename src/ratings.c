/*
 * ratings.c: 360 scores.  The summary type appraisal.ratings (per rater
 * role: count and exact sum), the aggregates built on it (rating_agg,
 * rollup, score_360 with the standard scheme or a named/inline one), and the
 * accessors that explain a composite: group means, rater counts, the weights
 * actually used.
 *
 * Text form of appraisal.ratings:
 *   {superior: n=2 sum=170, peer: n=1 sum=70}
 * Roles with no rating are left out; "{}" is the empty summary.
 */
#include "scheme.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(ratings_in);
PG_FUNCTION_INFO_V1(ratings_out);
PG_FUNCTION_INFO_V1(ratings_recv);
PG_FUNCTION_INFO_V1(ratings_send);
PG_FUNCTION_INFO_V1(ratings_trans);
PG_FUNCTION_INFO_V1(ratings_inv);
PG_FUNCTION_INFO_V1(ratings_combine);
PG_FUNCTION_INFO_V1(ratings_score_360);
PG_FUNCTION_INFO_V1(ratings_group_mean);
PG_FUNCTION_INFO_V1(ratings_rater_count);
PG_FUNCTION_INFO_V1(ratings_weights_used);
PG_FUNCTION_INFO_V1(ratings_explain_360);
PG_FUNCTION_INFO_V1(score_360_state_in);
PG_FUNCTION_INFO_V1(score_360_state_out);
PG_FUNCTION_INFO_V1(score_360_state_recv);
PG_FUNCTION_INFO_V1(score_360_state_send);
PG_FUNCTION_INFO_V1(score_360_state_trans);
PG_FUNCTION_INFO_V1(score_360_state_inv);
PG_FUNCTION_INFO_V1(score_360_state_combine);
PG_FUNCTION_INFO_V1(score_360_state_final);

/*
 * State of score_360(score, role, scheme): the ratings plus the scheme they
 * are to be weighted by, carried along so that a parallel worker, a Citus
 * node or the final function never needs to look the scheme up again.
 * scheme_hash is 0 while no row has been seen.
 */
typedef struct Score360State
{
	Ratings		ratings;
	uint64		scheme_hash;
	WeightScheme scheme;
} Score360State;

/* far beyond any real count; keeps 100 * count * 10^18 within 128 bits */
#define MAX_RATINGS INT64CONST(1000000000000000)

StaticAssertDecl(sizeof(Score360State) == 520, "score_360_state is 520 bytes");

/* ------------------------------------------------------------ ratings text */

static void
ratings_validate(const Ratings *r)
{
	for (int i = 0; i < NROLES; i++)
	{
		/* every score is in [0, 100], so 0 <= sum <= 100 * count */
		int128		max;

		if (r->count[i] < 0 || r->count[i] > MAX_RATINGS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid ratings for %s: count %lld is not between 0 and %lld",
							role_names[i], (long long) r->count[i],
							(long long) MAX_RATINGS)));
		max = (int128) r->count[i] * 100 * (int128) 1000000000000000000LL;
		if (r->sum[i] < 0 || r->sum[i] > max)
		{
			StringInfoData sum;

			initStringInfo(&sum);
			fixed_append(&sum, r->sum[i]);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid ratings for %s: %lld scores cannot sum to %s",
							role_names[i], (long long) r->count[i], sum.data),
					 errdetail("Scores lie in [0, 100], so the sum of n scores lies in [0, 100 n].")));
		}
	}
}

static void
ratings_append(StringInfo buf, const Ratings *r)
{
	bool		first = true;

	appendStringInfoChar(buf, '{');
	for (int i = 0; i < NROLES; i++)
		if (r->count[i] > 0)
		{
			appendStringInfo(buf, "%s%s: n=" INT64_FORMAT " sum=",
							 first ? "" : ", ", role_names[i], r->count[i]);
			fixed_append(buf, r->sum[i]);
			first = false;
		}
	appendStringInfoChar(buf, '}');
}

static const TextForm ratings_form = {
	.type = "ratings",
	.example = "{superior: n=2 sum=170, peer: n=1 sum=70}",
	.part_ends = ",}"
};

/* "{role: n=count sum=decimal, ...}" */
static void
ratings_parse(FormInput *in, Ratings *r)
{
	memset(r, 0, sizeof(*r));
	form_expect(in, "{", NULL);
	if (form_accept(in, "}"))
		return;
	do
	{
		const char *at = form_skip(in);
		int			role = form_role(in);

		if (r->count[role] != 0)
			form_syntax_error(in, at, "a rater role not listed before");
		form_expect(in, ":", NULL);
		at = form_skip(in);
		r->count[role] = form_count_field(in, "n");
		if (r->count[role] < 1)
			form_syntax_error(in, at, "\"n=\" and a count of at least 1");
		r->sum[role] = form_decimal_field(in, "sum");
	} while (form_accept(in, ","));
	form_expect(in, "}", "\",\" or \"}\"");
	ratings_validate(r);
}

static void
ratings_write(StringInfo buf, const Ratings *r)
{
	for (int i = 0; i < NROLES; i++)
	{
		pq_sendint64(buf, r->count[i]);
		pq_sendint64(buf, (int64) (r->sum[i] >> 64));
		pq_sendint64(buf, (int64) (uint64) r->sum[i]);
	}
}

static void
ratings_read(StringInfo buf, Ratings *r)
{
	for (int i = 0; i < NROLES; i++)
	{
		int128		hi;
		uint64		lo;

		r->count[i] = pq_getmsgint64(buf);
		hi = pq_getmsgint64(buf);
		lo = (uint64) pq_getmsgint64(buf);
		r->sum[i] = (hi << 64) | lo;
	}
	ratings_validate(r);
}

Datum
ratings_in(PG_FUNCTION_ARGS)
{
	Ratings    *r = palloc(sizeof(Ratings));
	FormInput	in;

	form_start(&in, &ratings_form, PG_GETARG_CSTRING(0));
	ratings_parse(&in, r);
	form_end(&in, "the end");
	PG_RETURN_POINTER(r);
}

Datum
ratings_out(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	initStringInfo(&buf);
	ratings_append(&buf, (Ratings *) PG_GETARG_POINTER(0));
	PG_RETURN_CSTRING(buf.data);
}

Datum
ratings_recv(PG_FUNCTION_ARGS)
{
	Ratings    *r = palloc(sizeof(Ratings));

	ratings_read((StringInfo) PG_GETARG_POINTER(0), r);
	PG_RETURN_POINTER(r);
}

Datum
ratings_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	ratings_write(&buf, (Ratings *) PG_GETARG_POINTER(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* What a call site keeps in fn_extra. */
typedef struct CallSite
{
	RoleMap		roles;
	NamedCache	schemes;		/* names seen, when the name varies by row */
	Oid			scheme_type;	/* type of the scheme argument, once known */
	bool		scheme_checked; /* whether the scheme argument is constant */
	const WeightScheme *scheme; /* if so, resolved once ... */
	uint64		scheme_hash;	/* ... and its hash */
} CallSite;

static inline CallSite *
call_site(FunctionCallInfo fcinfo)
{
	return (CallSite *) call_cache(fcinfo, sizeof(CallSite));
}

static uint64
scheme_hash(const WeightScheme *s)
{
	uint64		h = hash_bytes_extended((const unsigned char *) s, sizeof(*s), 0);

	return h == 0 ? 1 : h;		/* 0 means "no scheme yet" */
}

/*
 * The scheme argument argno: a name (text, looked up in appraisal.
 * weight_scheme through the call site's name cache) or an inline
 * appraisal.weight_scheme_spec value; one C function serves both SQL
 * overloads.
 */
static const WeightScheme *
scheme_arg(FunctionCallInfo fcinfo, int argno)
{
	CallSite   *site = call_site(fcinfo);

	if (!OidIsValid(site->scheme_type))
		site->scheme_type = arg_type(fcinfo, argno);
	if (site->scheme_type == TEXTOID)
		return (const WeightScheme *)
			named_config(&site->schemes, fcinfo->flinfo->fn_mcxt,
						 &weight_scheme_config, PG_GETARG_TEXT_PP(argno));
	return (const WeightScheme *) PG_GETARG_POINTER(argno);
}

/*
 * The scheme argument of score_360(score, role, scheme).  A constant of the
 * aggregate call is resolved and hashed once (the call site lives no longer
 * than one execution of the query), and *hash is set; one that varies by row
 * is resolved per row and *hash is 0: its datum pointer says nothing, since
 * a buffer can hold another value at the same address.
 */
static const WeightScheme *
score_360_scheme(FunctionCallInfo fcinfo, int argno, uint64 *hash)
{
	CallSite   *site = call_site(fcinfo);
	const WeightScheme *scheme;

	if (site->scheme != NULL)
	{
		*hash = site->scheme_hash;
		return site->scheme;
	}
	scheme = scheme_arg(fcinfo, argno);
	*hash = 0;
	if (!site->scheme_checked)
	{
		site->scheme_checked = true;
		if (arg_is_const(fcinfo, argno))
		{
			WeightScheme *copy = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
													sizeof(WeightScheme));

			*copy = *scheme;
			site->scheme = copy;
			site->scheme_hash = *hash = scheme_hash(copy);
			return copy;
		}
	}
	return scheme;
}

/* ---------------------------------------------------------- aggregation */

/*
 * Add (sign 1) or remove (sign -1, moving windows: the sums are exact, so
 * removal is too) the rating in arguments 1 and 2.  A NULL score is left
 * out; a score without a role is an error, not silently dropped.
 */
static inline void
add_rating(FunctionCallInfo fcinfo, Ratings *r, int sign)
{
	double		score;
	int			role;
	int128		value;

	if (PG_ARGISNULL(1))
		return;
	score = PG_GETARG_FLOAT8(1);
	check_score(score);
	if (unlikely(PG_ARGISNULL(2)))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("score %s has no rater role", double_str(score)),
				 errhint("Give every rating a role, or leave out ratings whose role is unknown.")));
	role = role_index(&call_site(fcinfo)->roles, PG_GETARG_OID(2));
	value = fixed_from_double(score);
	if (sign > 0)
	{
		if (r->count[role] >= MAX_RATINGS)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("more than %lld %s ratings in one summary",
							(long long) MAX_RATINGS, role_names[role])));
	}
	else if (r->count[role] == 0 || r->sum[role] < value ||
			 r->sum[role] - value > (int128) (r->count[role] - 1) * 100 * (int128) 1000000000000000000LL)
	{
		/*
		 * The inverse takes out what the transition put in; anything else
		 * (a direct call) would leave a count or sum no ratings have: left
		 * n - 1 ratings must sum to [0, 100 (n - 1)].
		 */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove %s rating %s that the ratings do not hold",
						role_names[role], double_str(score)),
				 errdetail("The inverse transition only takes out ratings the transition added.")));
	}
	r->count[role] += sign;
	r->sum[role] += sign * value;
}

/* rating_agg and score_360(score, role) */
Datum
ratings_trans(PG_FUNCTION_ARGS)
{
	Ratings    *r = agg_state(fcinfo, sizeof(Ratings));

	add_rating(fcinfo, r, 1);
	PG_RETURN_POINTER(r);
}

Datum
ratings_inv(PG_FUNCTION_ARGS)
{
	Ratings    *r = agg_state(fcinfo, sizeof(Ratings));

	add_rating(fcinfo, r, -1);
	PG_RETURN_POINTER(r);
}

/* Valid summaries (count <= MAX_RATINGS) add without overflowing int128. */
static void
ratings_add(Ratings *into, const Ratings *from)
{
	for (int i = 0; i < NROLES; i++)
	{
		if (into->count[i] + from->count[i] > MAX_RATINGS)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("more than %lld %s ratings in one summary",
							(long long) MAX_RATINGS, role_names[i])));
		into->count[i] += from->count[i];
		into->sum[i] += from->sum[i];
	}
}

Datum
ratings_combine(PG_FUNCTION_ARGS)
{
	Ratings    *r = agg_state(fcinfo, sizeof(Ratings));

	ratings_add(r, (Ratings *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(r);
}

/* --------------------------------------------------------- score_360 state */

static const TextForm state_form = {
	.type = "score_360_state",
	.example = "{superior: n=1 sum=90} using superior 40, peer 30, subordinate 30",
	.part_ends = ",;}"
};

/* Ratings only ever enter a state together with their scheme. */
static void
state_validate(const Score360State *st)
{
	if (st->scheme_hash == 0)
		for (int i = 0; i < NROLES; i++)
			if (st->ratings.count[i] != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a score_360_state with ratings needs \"using\" and its weight scheme")));
}

static void
state_append(StringInfo buf, const Score360State *st)
{
	ratings_append(buf, &st->ratings);
	if (st->scheme_hash != 0)
	{
		appendStringInfoString(buf, " using ");
		scheme_append(buf, &st->scheme);
	}
}

Datum
score_360_state_in(PG_FUNCTION_ARGS)
{
	Score360State *st = palloc0(sizeof(Score360State));
	FormInput	in;

	form_start(&in, &state_form, PG_GETARG_CSTRING(0));
	ratings_parse(&in, &st->ratings);
	if (form_accept(&in, "using"))
	{
		scheme_parse(&in, &st->scheme);
		st->scheme_hash = scheme_hash(&st->scheme);
	}
	else
		form_end(&in, "\"using\" and a weight scheme, or the end");
	state_validate(st);
	PG_RETURN_POINTER(st);
}

Datum
score_360_state_out(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	initStringInfo(&buf);
	state_append(&buf, (Score360State *) PG_GETARG_POINTER(0));
	PG_RETURN_CSTRING(buf.data);
}

Datum
score_360_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Score360State *st = palloc0(sizeof(Score360State));
	int			has_scheme;

	ratings_read(buf, &st->ratings);
	has_scheme = pq_getmsgbyte(buf);
	if (has_scheme != 0 && has_scheme != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid scheme flag %d in binary score_360_state", has_scheme)));
	if (has_scheme)
	{
		scheme_read(buf, &st->scheme);
		st->scheme_hash = scheme_hash(&st->scheme);
	}
	state_validate(st);
	PG_RETURN_POINTER(st);
}

Datum
score_360_state_send(PG_FUNCTION_ARGS)
{
	Score360State *st = (Score360State *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	ratings_write(&buf, &st->ratings);
	pq_sendbyte(&buf, st->scheme_hash != 0);
	if (st->scheme_hash != 0)
		scheme_write(&buf, &st->scheme);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void pg_attribute_noreturn()
schemes_differ(const WeightScheme *a, const WeightScheme *b)
{
	StringInfoData sa,
				sb;

	initStringInfo(&sa);
	initStringInfo(&sb);
	scheme_append(&sa, a);
	scheme_append(&sb, b);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("score_360 cannot weight one group of ratings by two schemes"),
			 errdetail("Schemes \"%s\" and \"%s\".", sa.data, sb.data),
			 errhint("Use one scheme per aggregate call, or group by the scheme.")));
}

/*
 * score_360(score, role, scheme): scheme is a name or an inline value.  Also
 * the inverse for moving windows (sign -1).
 */
static Datum
score_360_state_add(FunctionCallInfo fcinfo, int sign)
{
	Score360State *st = agg_state(fcinfo, sizeof(Score360State));
	uint64		hash;
	const WeightScheme *scheme;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("score_360 needs a weight scheme, not NULL")));
	scheme = score_360_scheme(fcinfo, 3, &hash);

	if (st->scheme_hash == 0)
	{
		/* the group's first row */
		st->scheme = *scheme;
		st->scheme_hash = hash != 0 ? hash : scheme_hash(scheme);
	}
	else if (hash != 0 ? st->scheme_hash != hash :
			 memcmp(&st->scheme, scheme, sizeof(WeightScheme)) != 0)
		schemes_differ(&st->scheme, scheme);

	add_rating(fcinfo, &st->ratings, sign);
	PG_RETURN_POINTER(st);
}

Datum
score_360_state_trans(PG_FUNCTION_ARGS)
{
	return score_360_state_add(fcinfo, 1);
}

Datum
score_360_state_inv(PG_FUNCTION_ARGS)
{
	return score_360_state_add(fcinfo, -1);
}

Datum
score_360_state_combine(PG_FUNCTION_ARGS)
{
	Score360State *st = agg_state(fcinfo, sizeof(Score360State));
	Score360State *other = (Score360State *) PG_GETARG_POINTER(1);

	if (other->scheme_hash != 0)
	{
		if (st->scheme_hash == 0)
		{
			st->scheme = other->scheme;
			st->scheme_hash = other->scheme_hash;
		}
		else if (st->scheme_hash != other->scheme_hash ||
				 memcmp(&st->scheme, &other->scheme, sizeof(WeightScheme)) != 0)
			schemes_differ(&st->scheme, &other->scheme);
	}
	ratings_add(&st->ratings, &other->ratings);
	PG_RETURN_POINTER(st);
}

Datum
score_360_state_final(PG_FUNCTION_ARGS)
{
	Score360State *st = (Score360State *) PG_GETARG_POINTER(0);
	AppliedWeights aw;

	if (st->scheme_hash == 0)
		PG_RETURN_NULL();
	apply_scheme(&st->scheme, &st->ratings, &aw);
	if (aw.rule == RULE_NONE)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(aw.score);
}

/* -------------------------------------------------------------- accessors */

/* The scheme of an accessor: argument argno if given, else the standard. */
static const WeightScheme *
accessor_scheme(FunctionCallInfo fcinfo, int argno)
{
	return PG_NARGS() > argno ? scheme_arg(fcinfo, argno) : &standard_scheme;
}

/* score_360(ratings [, scheme]); also the final function of score_360(score, role) */
Datum
ratings_score_360(PG_FUNCTION_ARGS)
{
	AppliedWeights aw;

	apply_scheme(accessor_scheme(fcinfo, 1), (Ratings *) PG_GETARG_POINTER(0), &aw);
	if (aw.rule == RULE_NONE)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(aw.score);
}

/* group_mean(ratings, role [, scheme]): NULL when absent or suppressed */
Datum
ratings_group_mean(PG_FUNCTION_ARGS)
{
	Ratings    *r = (Ratings *) PG_GETARG_POINTER(0);
	int			role = role_index(&call_site(fcinfo)->roles, PG_GETARG_OID(1));

	if (group_hidden(accessor_scheme(fcinfo, 2), r, role))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) group_mean_ld(r, role));
}

/* rater_count(ratings, role [, scheme]): NULL when suppressed, 0 when absent */
Datum
ratings_rater_count(PG_FUNCTION_ARGS)
{
	Ratings    *r = (Ratings *) PG_GETARG_POINTER(0);
	int			role = role_index(&call_site(fcinfo)->roles, PG_GETARG_OID(1));
	const WeightScheme *scheme = accessor_scheme(fcinfo, 2);	/* even if unused */

	if (r->count[role] > 0 && group_hidden(scheme, r, role))
		PG_RETURN_NULL();
	PG_RETURN_INT64(r->count[role]);
}

static Datum
jsonb_from_text(StringInfo buf)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf->data));
}

/* weights_used(ratings [, scheme]): {"superior": 0.6, "subordinate": 0.4} */
Datum
ratings_weights_used(PG_FUNCTION_ARGS)
{
	AppliedWeights aw;
	StringInfoData buf;
	bool		first = true;

	apply_scheme(accessor_scheme(fcinfo, 1), (Ratings *) PG_GETARG_POINTER(0), &aw);
	if (aw.rule == RULE_NONE)
		PG_RETURN_NULL();
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int r = 0; r < NROLES; r++)
		if (aw.used & (1 << r))
		{
			appendStringInfo(&buf, "%s\"%s\": ", first ? "" : ", ", role_names[r]);
			double_append(&buf, aw.share[r]);
			first = false;
		}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_DATUM(jsonb_from_text(&buf));
}

/*
 * explain_360(ratings [, scheme]): the whole derivation of a composite, for
 * the person appraised: the rule that chose the weights, and per group the
 * raters, mean and weight, or that it was suppressed.
 */
Datum
ratings_explain_360(PG_FUNCTION_ARGS)
{
	const WeightScheme *scheme = accessor_scheme(fcinfo, 1);
	Ratings    *r = (Ratings *) PG_GETARG_POINTER(0);
	AppliedWeights aw;
	StringInfoData buf;
	bool		first = true;

	apply_scheme(scheme, r, &aw);
	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"score\": ");
	if (aw.rule == RULE_NONE)
		appendStringInfoString(&buf, "null");
	else
		double_append(&buf, aw.score);
	appendStringInfo(&buf, ", \"rule\": \"%s\"", weight_rule_names[aw.rule]);
	if (aw.rule == RULE_FALLBACK)
		appendStringInfo(&buf, ", \"fallback\": %d", aw.fallback + 1);
	appendStringInfoString(&buf, ", \"groups\": {");
	for (int i = 0; i < NROLES; i++)
	{
		if (r->count[i] == 0 && scheme->weight[i] == 0)
			continue;
		appendStringInfo(&buf, "%s\"%s\": {", first ? "" : ", ", role_names[i]);
		first = false;
		if (aw.suppressed & (1 << i))
			appendStringInfo(&buf, "\"suppressed\": true, \"min_raters\": %d",
							 scheme->min_raters[i]);
		else
		{
			appendStringInfo(&buf, "\"raters\": " INT64_FORMAT, r->count[i]);
			if (r->count[i] > 0)
			{
				appendStringInfoString(&buf, ", \"mean\": ");
				double_append(&buf, (double) group_mean_ld(r, i));
			}
		}
		appendStringInfoString(&buf, ", \"weight\": ");
		double_append(&buf, aw.share[i]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "}}");
	PG_RETURN_DATUM(jsonb_from_text(&buf));
}
