/*
 * scheme.c: the weight scheme type appraisal.weight_scheme_spec (its text
 * form is the scheme itself) and apply_scheme(), the one place where rater
 * group means become a 360 composite (docs/rules.md, "360-degree scores").
 *
 * Text form, sections separated by ';':
 *   superior 40, peer 30, subordinate 30; fallback superior 60, subordinate 40;
 *   fallback superior 60, peer 40; fallback superior 100; min_raters peer 3
 * The first section holds the primary weights; each "fallback" section is a
 * weight set used when exactly its groups are present; "min_raters" gives
 * anonymity thresholds (a bare number applies to every role).
 */
#include "scheme.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(weight_scheme_spec_in);
PG_FUNCTION_INFO_V1(weight_scheme_spec_out);
PG_FUNCTION_INFO_V1(weight_scheme_spec_recv);
PG_FUNCTION_INFO_V1(weight_scheme_spec_send);

#define BIT(r) ((uint8) (1 << (r)))
#define MAX_MIN_RATERS 1000000

/*
 * The shipped scheme (the row 'standard' of appraisal.weight_scheme reads
 * alike): 40/30/30 with the fixed fallbacks, and the anonymity thresholds
 * of docs/rules.md, "360-degree scores": a superior is never anonymous,
 * peers and subordinates count from three raters.
 */
const WeightScheme standard_scheme = {
	.weight = {40, 30, 30, 0, 0},
	.min_raters = {1, 3, 3, 1, 1},
	.nfallbacks = 3,
	.fallback_roles = {
		BIT(ROLE_SUPERIOR) | BIT(ROLE_SUBORDINATE),
		BIT(ROLE_SUPERIOR) | BIT(ROLE_PEER),
		BIT(ROLE_SUPERIOR)
	},
	.fallback = {
		{60, 0, 40, 0, 0},		/* no peers */
		{60, 40, 0, 0, 0},		/* no subordinates */
		{100, 0, 0, 0, 0}		/* neither */
	}
};

const char *const weight_rule_names[] = {
	"none", "primary", "fallback", "proportional"
};

const NamedConfig weight_scheme_config = {
	"weight_scheme", "scheme", "weight scheme", sizeof(WeightScheme),
	"weight_scheme_spec"
};

/* ------------------------------------------------------------- applying */

long double
group_mean_ld(const Ratings *ratings, int role)
{
	return fixed_to_ldouble(ratings->sum[role]) / ratings->count[role];
}

/*
 * Choose the weights for the groups present and combine their means.  A
 * group is present when the scheme weights it and it has at least
 * min_raters ratings.  All present: primary weights.  Otherwise an explicit
 * fallback whose groups are exactly those present, or else the primary
 * weights of the present groups, renormalised.  The arithmetic is done in
 * long double and rounded once, so a composite that is exactly 90 in decimal
 * comes out as 90.
 */
void
apply_scheme(const WeightScheme *scheme, const Ratings *ratings,
			 AppliedWeights *out)
{
	uint8		weighted = 0;
	const double *w = scheme->weight;
	long double total = 0;
	long double sum = 0;

	memset(out, 0, sizeof(*out));
	for (int r = 0; r < NROLES; r++)
	{
		if (ratings->count[r] > 0 && ratings->count[r] < scheme->min_raters[r])
			out->suppressed |= BIT(r);
		if (scheme->weight[r] > 0)
		{
			weighted |= BIT(r);
			if (ratings->count[r] >= scheme->min_raters[r])
				out->used |= BIT(r);
		}
	}

	if (out->used == 0)
	{
		out->rule = RULE_NONE;
		return;
	}
	if (out->used == weighted)
		out->rule = RULE_PRIMARY;
	else
	{
		out->rule = RULE_PROPORTIONAL;
		for (int f = 0; f < scheme->nfallbacks; f++)
			if (scheme->fallback_roles[f] == out->used)
			{
				out->rule = RULE_FALLBACK;
				out->fallback = f;
				w = scheme->fallback[f];
				break;
			}
	}

	for (int r = 0; r < NROLES; r++)
		if (out->used & BIT(r))
		{
			total += w[r];
			sum += w[r] * group_mean_ld(ratings, r);
		}
	for (int r = 0; r < NROLES; r++)
		if (out->used & BIT(r))
			out->share[r] = (double) (w[r] / total);
	/* a weighted mean of scores in [0, 100]; rounding cannot leave it */
	out->score = Max(0.0, Min(100.0, (double) (sum / total)));
}

/* ------------------------------------------------------------ validation */

/*
 * A weight is 0 or a normal double: below DBL_MIN a product of weight and
 * score loses digits or underflows to 0, and a composite would silently
 * drift.  Text input and binary receive refuse alike.
 */
static void
check_not_subnormal(double w, const char *role)
{
	if (w != 0 && fpclassify(w) == FP_SUBNORMAL)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("weight %s of %s is too small", double_str(w), role),
				 errdetail("A weight is 0 or at least 2.2250738585072014e-308 (the least normal double precision number).")));
}

static void
scheme_validate(const WeightScheme *s)
{
	uint8		weighted = 0;
	bool		any = false;

	for (int r = 0; r < NROLES; r++)
	{
		if (!(s->weight[r] >= 0) || isinf(s->weight[r]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight %s of %s must be a finite number >= 0",
							double_str(s->weight[r]), role_names[r])));
		check_not_subnormal(s->weight[r], role_names[r]);
		if (s->weight[r] > 0)
		{
			weighted |= BIT(r);
			any = true;
		}
		if (s->min_raters[r] < 1 || s->min_raters[r] > MAX_MIN_RATERS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("min_raters %d of %s must be between 1 and %d",
							s->min_raters[r], role_names[r], MAX_MIN_RATERS)));
	}
	if (!any)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a weight scheme needs at least one weight above zero")));
	if (s->nfallbacks < 0 || s->nfallbacks > MAX_FALLBACKS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a weight scheme has at most %d fallbacks, not %d",
						MAX_FALLBACKS, s->nfallbacks)));

	for (int f = 0; f < MAX_FALLBACKS; f++)
	{
		uint8		mask = 0;

		for (int r = 0; r < NROLES; r++)
		{
			double		v = s->fallback[f][r];

			if (f >= s->nfallbacks || v == 0)
			{
				if (v != 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("unused fallback slot %d holds a weight", f + 1)));
				continue;
			}
			if (!(v > 0) || isinf(v))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("fallback weight %s of %s must be a finite number > 0",
								double_str(v), role_names[r])));
			check_not_subnormal(v, role_names[r]);
			mask |= BIT(r);
		}
		if (f >= s->nfallbacks)
		{
			if (s->fallback_roles[f] != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unused fallback slot %d names roles", f + 1)));
			continue;
		}
		if (mask == 0 || mask != s->fallback_roles[f])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fallback %d must give a weight above zero to each of its groups",
							f + 1)));
		if ((mask & ~weighted) != 0)
		{
			int			r = 0;

			while (!(mask & ~weighted & BIT(r)))
				r++;
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fallback %d weights %s, which has no primary weight",
							f + 1, role_names[r]),
					 errdetail("A fallback is chosen when exactly its groups are present, "
							   "and only groups with a primary weight count as present.")));
		}
		if (mask == weighted)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fallback %d names every weighted group; it would never be used",
							f + 1)));
		for (int g = 0; g < f; g++)
			if (s->fallback_roles[g] == mask)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("fallbacks %d and %d are for the same groups", g + 1, f + 1)));
	}
}

/* ------------------------------------------------------------------ text */

static const TextForm scheme_form = {
	.type = "weight_scheme_spec",
	.example = "superior 40, peer 30, subordinate 30; fallback superior 60, subordinate 40; min_raters peer 3",
	.part_ends = ",;"
};

/* what may follow a list "role number, ..." */
#define LIST_FOLLOWS "\",\", \";\" or the end"

/* "role number, role number, ..." into weights; returns the role mask */
static void
parse_weights(FormInput *in, double *weights, uint8 *mask)
{
	*mask = 0;
	do
	{
		int			role = form_role(in);

		if (*mask & BIT(role))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("role %s is given twice in one section of weight scheme \"%s\"",
							role_names[role], in->text)));
		*mask |= BIT(role);
		weights[role] = form_number(in, "a number") + 0.0;	/* -0 becomes 0 */
	} while (form_accept(in, ","));
}

static int32
parse_raters(FormInput *in)
{
	const char *at = form_skip(in);
	double		v = form_number(in, "a whole number of raters from 1 to 1000000");

	if (v != floor(v) || v < 1 || v > MAX_MIN_RATERS)
		form_syntax_error(in, at, "a whole number of raters from 1 to 1000000");
	return (int32) v;
}

/* "number" for every role, or "role number, role number, ..."; returns what may follow */
static const char *
parse_min_raters(FormInput *in, WeightScheme *s)
{
	uint8		seen = 0;

	if (form_number_len(form_skip(in)) > 0)
	{
		int32		v = parse_raters(in);

		for (int r = 0; r < NROLES; r++)
			s->min_raters[r] = v;
		return "\";\" or the end";
	}
	do
	{
		int			role = form_role(in);

		if (seen & BIT(role))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("role %s is given twice in min_raters of weight scheme \"%s\"",
							role_names[role], in->text)));
		seen |= BIT(role);
		s->min_raters[role] = parse_raters(in);
	} while (form_accept(in, ","));
	return LIST_FOLLOWS;
}

/* Read a scheme, which ends the text, and validate it. */
void
scheme_parse(FormInput *in, WeightScheme *s)
{
	uint8		mask;
	bool		have_min = false;
	const char *follows = LIST_FOLLOWS;

	memset(s, 0, sizeof(*s));
	for (int r = 0; r < NROLES; r++)
		s->min_raters[r] = 1;

	parse_weights(in, s->weight, &mask);
	while (form_accept(in, ";"))
	{
		if (form_accept(in, "fallback"))
		{
			if (s->nfallbacks == MAX_FALLBACKS)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("weight scheme \"%s\" has more than %d fallbacks",
								in->text, MAX_FALLBACKS)));
			parse_weights(in, s->fallback[s->nfallbacks], &mask);
			s->fallback_roles[s->nfallbacks++] = mask;
			follows = LIST_FOLLOWS;
		}
		else if (!have_min && form_accept(in, "min_raters"))
		{
			follows = parse_min_raters(in, s);
			have_min = true;
		}
		else
			form_syntax_error(in, in->p, have_min ? "\"fallback\"" :
							  "\"fallback\" or \"min_raters\"");
	}
	form_end(in, follows);
	scheme_validate(s);
}

static void
append_weights(StringInfo buf, const double *weights)
{
	bool		first = true;

	for (int r = 0; r < NROLES; r++)
		if (weights[r] > 0)
		{
			appendStringInfo(buf, "%s%s ", first ? "" : ", ", role_names[r]);
			double_append(buf, weights[r]);
			first = false;
		}
}

void
scheme_append(StringInfo buf, const WeightScheme *s)
{
	bool		first = true;

	append_weights(buf, s->weight);
	for (int f = 0; f < s->nfallbacks; f++)
	{
		appendStringInfoString(buf, "; fallback ");
		append_weights(buf, s->fallback[f]);
	}
	for (int r = 0; r < NROLES; r++)
		if (s->min_raters[r] != 1)
		{
			appendStringInfo(buf, "%s%s %d", first ? "; min_raters " : ", ",
							 role_names[r], s->min_raters[r]);
			first = false;
		}
}

void
scheme_write(StringInfo buf, const WeightScheme *s)
{
	for (int r = 0; r < NROLES; r++)
	{
		pq_sendfloat8(buf, s->weight[r]);
		pq_sendint32(buf, s->min_raters[r]);
	}
	pq_sendint32(buf, s->nfallbacks);
	for (int f = 0; f < s->nfallbacks; f++)
	{
		pq_sendbyte(buf, s->fallback_roles[f]);
		for (int r = 0; r < NROLES; r++)
			pq_sendfloat8(buf, s->fallback[f][r]);
	}
}

void
scheme_read(StringInfo buf, WeightScheme *s)
{
	memset(s, 0, sizeof(*s));
	for (int r = 0; r < NROLES; r++)
	{
		s->weight[r] = pq_getmsgfloat8(buf) + 0.0;	/* -0 becomes 0 */
		s->min_raters[r] = pq_getmsgint(buf, 4);
	}
	s->nfallbacks = pq_getmsgint(buf, 4);
	if (s->nfallbacks < 0 || s->nfallbacks > MAX_FALLBACKS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid number of fallbacks %d in binary weight scheme",
						s->nfallbacks)));
	for (int f = 0; f < s->nfallbacks; f++)
	{
		s->fallback_roles[f] = pq_getmsgbyte(buf);
		for (int r = 0; r < NROLES; r++)
			s->fallback[f][r] = pq_getmsgfloat8(buf) + 0.0;
	}
	scheme_validate(s);
}

/* ------------------------------------------------------------ SQL type */

Datum
weight_scheme_spec_in(PG_FUNCTION_ARGS)
{
	WeightScheme *s = palloc(sizeof(WeightScheme));
	FormInput	in;

	form_start(&in, &scheme_form, PG_GETARG_CSTRING(0));
	scheme_parse(&in, s);
	PG_RETURN_POINTER(s);
}

Datum
weight_scheme_spec_out(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	initStringInfo(&buf);
	scheme_append(&buf, (WeightScheme *) PG_GETARG_POINTER(0));
	PG_RETURN_CSTRING(buf.data);
}

Datum
weight_scheme_spec_recv(PG_FUNCTION_ARGS)
{
	WeightScheme *s = palloc(sizeof(WeightScheme));

	scheme_read((StringInfo) PG_GETARG_POINTER(0), s);
	PG_RETURN_POINTER(s);
}

Datum
weight_scheme_spec_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	scheme_write(&buf, (WeightScheme *) PG_GETARG_POINTER(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
