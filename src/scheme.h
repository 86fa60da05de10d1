/*
 * scheme.h: 360 rater summaries (appraisal.ratings) and weight schemes
 * (appraisal.weight_scheme_spec), and how a scheme turns one into a score.
 */
#ifndef APPRAISAL_SCHEME_H
#define APPRAISAL_SCHEME_H

#include "appraisal.h"

/*
 * appraisal.ratings: per rater role, how many scores and their exact sum
 * (decimal fixed point, fixed.c).  Fixed size, 120 bytes; the state of
 * rating_agg and of the two-argument score_360.
 */
typedef struct Ratings
{
	int64		count[NROLES];
	int128		sum[NROLES];
} Ratings;

StaticAssertDecl(sizeof(Ratings) == 120, "appraisal.ratings is 120 bytes");

#define MAX_FALLBACKS 8

/*
 * appraisal.weight_scheme_spec: primary weights per role, explicit fallback
 * weight sets each chosen when exactly its groups are present, and an
 * anonymity threshold per role.  Fixed size (392 bytes) so that it can sit
 * inside an aggregate state; unused fallback slots are zero, so two equal
 * schemes are equal bytes.
 */
typedef struct WeightScheme
{
	double		weight[NROLES];
	int32		min_raters[NROLES];
	int32		nfallbacks;
	uint8		fallback_roles[MAX_FALLBACKS];	/* bit r set: role r weighted */
	double		fallback[MAX_FALLBACKS][NROLES];
} WeightScheme;

StaticAssertDecl(sizeof(WeightScheme) == 392, "weight_scheme_spec is 392 bytes");

/* The regulations' scheme: 40/30/30 with fixed fallbacks (docs/rules.md,
 * "360-degree scores"). */
extern const WeightScheme standard_scheme;

/* Which rule chose the weights, for explanations. */
typedef enum WeightRule
{
	RULE_NONE,					/* no usable group: no score */
	RULE_PRIMARY,				/* every weighted group present */
	RULE_FALLBACK,				/* an explicit fallback set */
	RULE_PROPORTIONAL			/* primary weights renormalised */
} WeightRule;

extern const char *const weight_rule_names[];

typedef struct AppliedWeights
{
	WeightRule	rule;
	int			fallback;		/* index when rule == RULE_FALLBACK */
	uint8		used;			/* groups that got a weight */
	uint8		suppressed;		/* groups below their min_raters */
	double		share[NROLES];	/* weights used, summing to 1 */
	double		score;			/* the composite; valid unless RULE_NONE */
} AppliedWeights;

extern void apply_scheme(const WeightScheme *scheme, const Ratings *ratings,
						 AppliedWeights *out);

/* True when the group is absent or suppressed (min_raters is at least 1). */
static inline bool
group_hidden(const WeightScheme *scheme, const Ratings *ratings, int role)
{
	return ratings->count[role] < scheme->min_raters[role];
}

extern long double group_mean_ld(const Ratings *ratings, int role);

/* Named schemes: rows of appraisal.weight_scheme. */
extern const NamedConfig weight_scheme_config;

/* Text and binary forms of a scheme, also embedded in score_360_state. */
extern void scheme_append(StringInfo buf, const WeightScheme *scheme);
extern void scheme_parse(FormInput *in, WeightScheme *scheme);	/* to the end */
extern void scheme_write(StringInfo buf, const WeightScheme *scheme);
extern void scheme_read(StringInfo buf, WeightScheme *scheme);

#endif							/* APPRAISAL_SCHEME_H */
