/*
 * scheme.c: the weight scheme type appraisal.weight_scheme_spec (its text
 * form is the scheme itself) and apply_scheme(), the one place where rater
 * group means become a 360 composite (DOMAIN.md §1).
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
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(weight_scheme_spec_in);
PG_FUNCTION_INFO_V1(weight_scheme_spec_out);
PG_FUNCTION_INFO_V1(weight_scheme_spec_recv);
PG_FUNCTION_INFO_V1(weight_scheme_spec_send);

#define BIT(r) ((uint8) (1 << (r)))
#define MAX_MIN_RATERS 1000000

const WeightScheme standard_scheme = {
	.weight = {40, 30, 30, 0, 0},
	.min_raters = {1, 1, 1, 1, 1},
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

static void
syntax_error(const char *whole, const char *at, const char *expected)
{
	int			len = 0;

	while (at[len] != '\0' && at[len] != ',' && at[len] != ';')
		len++;
	len = pg_mbcliplen(at, len, 40);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid weight scheme \"%s\"", whole),
			 at[0] == '\0' ?
			 errdetail("Expected %s at the end.", expected) :
			 errdetail("Expected %s at \"%.*s\".", expected, len, at)));
}

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* A lower-case word; returns its length (0 when none). */
static int
word_len(const char *p)
{
	int			n = 0;

	while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_')
		n++;
	return n;
}

static const char *
parse_number(const char *whole, const char *p, double *result)
{
	char	   *end;

	/* strtod would also take "nan" and "inf": demand a digit up front */
	const char *digits = (*p == '-') ? p + 1 : p;

	if (!((*digits >= '0' && *digits <= '9') ||
		  (*digits == '.' && digits[1] >= '0' && digits[1] <= '9')))
		syntax_error(whole, p, "a number");
	if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
		syntax_error(whole, p, "a decimal number");
	errno = 0;
	*result = strtod(p, &end);
	if (errno == ERANGE)
		syntax_error(whole, p, "a number within the range of double precision");
	if (*result == 0)
		*result = 0;			/* -0 and 0 must be the same bytes */
	return end;
}

static const char *
parse_role(const char *whole, const char *p, int *role)
{
	int			len = word_len(p);

	*role = role_from_label(p, len);
	if (*role < 0)
	{
		if (len == 0)
			syntax_error(whole, p, "a rater role");
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("unknown rater role \"%.*s\" in weight scheme \"%s\"",
						len, p, whole),
				 errhint("Roles are superior, peer, subordinate, self and customer.")));
	}
	return p + len;
}

/* "role number, role number, ..." into weights; returns the role mask */
static const char *
parse_weights(const char *whole, const char *p, double *weights, uint8 *mask)
{
	*mask = 0;
	for (;;)
	{
		int			role;

		p = parse_role(whole, skip_space(p), &role);
		if (*mask & BIT(role))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("role %s is given twice in one section of weight scheme \"%s\"",
							role_names[role], whole)));
		*mask |= BIT(role);
		p = parse_number(whole, skip_space(p), &weights[role]);
		p = skip_space(p);
		if (*p != ',')
			return p;
		p++;
	}
}

static const char *
parse_min_raters(const char *whole, const char *p, WeightScheme *s)
{
	double		v;
	int			role;
	uint8		seen = 0;

	p = skip_space(p);
	if (*p >= '0' && *p <= '9')
	{
		const char *at = p;

		p = parse_number(whole, p, &v);
		if (v != floor(v) || v < 1 || v > MAX_MIN_RATERS)
			syntax_error(whole, at, "a whole number of raters from 1 to 1000000");
		for (int r = 0; r < NROLES; r++)
			s->min_raters[r] = (int32) v;
		return skip_space(p);
	}
	for (;;)
	{
		const char *at;

		p = parse_role(whole, skip_space(p), &role);
		if (seen & BIT(role))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("role %s is given twice in min_raters of weight scheme \"%s\"",
							role_names[role], whole)));
		seen |= BIT(role);
		at = p = skip_space(p);
		p = parse_number(whole, p, &v);
		if (v != floor(v) || v < 1 || v > MAX_MIN_RATERS)
			syntax_error(whole, at, "a whole number of raters from 1 to 1000000");
		s->min_raters[role] = (int32) v;
		p = skip_space(p);
		if (*p != ',')
			return p;
		p++;
	}
}

/*
 * Parse a scheme; stops at the end of the string or at an unmatched '}' or
 * similar (the caller checks what follows).  Validates the result.
 */
const char *
scheme_parse(const char *text, WeightScheme *s)
{
	const char *p = text;
	uint8		mask;
	bool		have_min = false;

	memset(s, 0, sizeof(*s));
	for (int r = 0; r < NROLES; r++)
		s->min_raters[r] = 1;

	p = parse_weights(text, p, s->weight, &mask);
	while (*p == ';')
	{
		int			len;

		p = skip_space(p + 1);
		len = word_len(p);
		if (len == 8 && strncmp(p, "fallback", 8) == 0)
		{
			if (s->nfallbacks == MAX_FALLBACKS)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("weight scheme \"%s\" has more than %d fallbacks",
								text, MAX_FALLBACKS)));
			p = parse_weights(text, p + len, s->fallback[s->nfallbacks], &mask);
			s->fallback_roles[s->nfallbacks++] = mask;
		}
		else if (len == 10 && strncmp(p, "min_raters", 10) == 0 && !have_min)
		{
			p = parse_min_raters(text, p + len, s);
			have_min = true;
		}
		else
			syntax_error(text, p, have_min ? "\"fallback\"" :
						 "\"fallback\" or \"min_raters\"");
	}
	scheme_validate(s);
	return p;
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
	const char *text = PG_GETARG_CSTRING(0);
	WeightScheme *s = palloc(sizeof(WeightScheme));
	const char *end = skip_space(scheme_parse(text, s));

	if (*end != '\0')
		syntax_error(text, end, "\";\" or the end");
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
