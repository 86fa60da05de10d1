/*
 * grade.c: grade bands (docs/rules.md, "Grade bands").  The type
 * appraisal.grade_scale_spec, whose text form is the scale itself, and the
 * functions that put a score into a band: grade_band, grade_rank and
 * grade_bands, each for a scale value or for a scale named in
 * appraisal.grade_scale.
 *
 * Text form: an optional range, then the bands from best to worst:
 *   0..100: 优 >= 90, 良 >= 80, 中 >= 70, 较差 >= 60, 差
 * Each bound is the inclusive lower end of its band; the last band has no
 * bound and starts at the bottom of the range.
 */
#include "appraisal.h"

#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(grade_scale_spec_in);
PG_FUNCTION_INFO_V1(grade_scale_spec_out);
PG_FUNCTION_INFO_V1(grade_scale_spec_recv);
PG_FUNCTION_INFO_V1(grade_scale_spec_send);
PG_FUNCTION_INFO_V1(grade_band_named);
PG_FUNCTION_INFO_V1(grade_band_spec);
PG_FUNCTION_INFO_V1(grade_rank_named);
PG_FUNCTION_INFO_V1(grade_rank_spec);
PG_FUNCTION_INFO_V1(grade_bands_named);
PG_FUNCTION_INFO_V1(grade_bands_spec);

#define MAX_GRADE_BANDS 32
#define MAX_LABEL_BYTES 63
#define DEFAULT_LO 0.0
#define DEFAULT_HI 100.0

/*
 * appraisal.grade_scale_spec, a varlena: the header, nbands lower bounds
 * (best band first; bound[nbands - 1] is lo), nbands + 1 label offsets from
 * the start of the value (the last one is the end), then the labels, each
 * NUL-terminated.  The type has STORAGE = plain, so a stored value is never
 * compressed or given a short header: it is read in place, without a copy.
 */
typedef struct GradeScale
{
	int32		vl_len_;
	int32		nbands;
	double		lo;
	double		hi;
	double		bound[FLEXIBLE_ARRAY_MEMBER];
} GradeScale;

#define SCALE_OFFSETS(s) ((int32 *) &(s)->bound[(s)->nbands])

static inline const char *
scale_label(const GradeScale *s, int band)
{
	return (const char *) s + SCALE_OFFSETS(s)[band];
}

static inline int
scale_label_len(const GradeScale *s, int band)
{
	return SCALE_OFFSETS(s)[band + 1] - SCALE_OFFSETS(s)[band] - 1;
}

static const NamedConfig grade_scale_config = {
	"grade_scale", "scale", "grade scale", -1, "grade_scale_spec"
};

/* ------------------------------------------------------------ validation */

/*
 * A scale as read from text or binary input, before it is checked.  Bands
 * beyond MAX_GRADE_BANDS are counted but not kept; scale_build rejects them.
 */
typedef struct ScaleParts
{
	double		lo;
	double		hi;
	int			nbands;
	char	   *label[MAX_GRADE_BANDS];
	bool		has_bound[MAX_GRADE_BANDS];
	double		bound[MAX_GRADE_BANDS];
} ScaleParts;

static void
add_band(ScaleParts *parts, char *label, bool has_bound, double bound)
{
	if (parts->nbands < MAX_GRADE_BANDS)
	{
		parts->label[parts->nbands] = label;
		parts->has_bound[parts->nbands] = has_bound;
		parts->bound[parts->nbands] = bound;
	}
	parts->nbands++;
}

/*
 * Check every rule of a scale and build the value.  The one place both the
 * text and the binary input go through, so both are exactly as strict.
 */
static GradeScale *
scale_build(const ScaleParts *parts)
{
	int			n = parts->nbands;
	Size		size;
	GradeScale *s;
	int32	   *offsets;
	char	   *labels;

	if (n > MAX_GRADE_BANDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a grade scale has at most %d bands, not %d",
						MAX_GRADE_BANDS, n)));
	if (n < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a grade scale needs at least 2 bands, not %d", n)));
	/* text input never gets here with NaN or infinities; binary input may */
	if (isnan(parts->lo) || isnan(parts->hi) ||
		isinf(parts->lo) || isinf(parts->hi))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the range of a grade scale must be finite, not %s..%s",
						double_str(parts->lo), double_str(parts->hi))));
	if (!(parts->lo < parts->hi))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grade scale range %s..%s is empty",
						double_str(parts->lo), double_str(parts->hi)),
				 errdetail("The lower end of the range must be below the upper end.")));

	size = offsetof(GradeScale, bound) + n * sizeof(double) +
		(n + 1) * sizeof(int32);
	for (int i = 0; i < n; i++)
	{
		const char *label = parts->label[i];
		int			len = strlen(label);

		if (len == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("grade band %d has an empty label", i + 1)));
		if (len > MAX_LABEL_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("grade band label \"%.*s...\" is longer than %d bytes",
							pg_mbcliplen(label, len, 20), label, MAX_LABEL_BYTES)));
		for (int j = 0; j < i; j++)
			if (strcmp(parts->label[j], label) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("grade band label \"%s\" is used twice", label)));
		if (i < n - 1 && !parts->has_bound[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("grade band \"%s\" has no lower bound", label),
					 errdetail("Every band but the last needs \">= bound\".")));
		if (i == n - 1 && parts->has_bound[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the last grade band \"%s\" must not have a bound", label),
					 errdetail("The last band takes every score from the bottom of the range (%s) upward.",
							   double_str(parts->lo))));
		if (i < n - 1)
		{
			double		b = parts->bound[i];

			/*
			 * A bound equal to lo would leave the bands below it empty, so
			 * the interval is open at lo; hi itself may start the best band.
			 */
			if (!(b > parts->lo && b <= parts->hi))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("bound %s of grade band \"%s\" is outside the range (%s, %s]",
								double_str(b), label, double_str(parts->lo), double_str(parts->hi)),
						 errdetail("A bound must lie above the bottom of the scale's range and at most at its top.")));
			if (i > 0 && !(b < parts->bound[i - 1]))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("bound %s of grade band \"%s\" is not below the bound %s of the band before it",
								double_str(b), label, double_str(parts->bound[i - 1])),
						 errdetail("Bands go from best to worst, with strictly decreasing bounds.")));
		}
		size += len + 1;
	}

	/* zeroed, so that equal scales are equal bytes */
	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->nbands = n;
	/* -0 reads back as 0: store 0 so a value survives its text form intact */
	s->lo = parts->lo == 0 ? 0 : parts->lo;
	s->hi = parts->hi == 0 ? 0 : parts->hi;
	for (int i = 0; i < n - 1; i++)
		s->bound[i] = parts->bound[i] == 0 ? 0 : parts->bound[i];
	s->bound[n - 1] = s->lo;

	offsets = SCALE_OFFSETS(s);
	labels = (char *) &offsets[n + 1];
	for (int i = 0; i < n; i++)
	{
		int			len = strlen(parts->label[i]);

		offsets[i] = labels - (char *) s;
		memcpy(labels, parts->label[i], len + 1);
		labels += len + 1;
	}
	offsets[n] = labels - (char *) s;
	return s;
}

/* ------------------------------------------------------------------ text */

static const TextForm grade_form = {
	.type = "grade_scale_spec",
	.example = "0..100: 优 >= 90, 良 >= 80, 中 >= 70, 较差 >= 60, 差",
	.part_ends = ",",
	.label_stops = ",:>="
};

/* Whether the scale starts with a range "lo..hi:" (a label may start with a digit). */
static bool
has_range(const FormInput *in)
{
	FormInput	ahead = *in;
	int			len = form_number_len(form_skip(&ahead));

	ahead.p += len;
	return len > 0 && form_accept(&ahead, "..");
}

static void
scale_parse(const char *text, ScaleParts *parts)
{
	FormInput	in;
	bool		has_bound;

	form_start(&in, &grade_form, text);
	memset(parts, 0, sizeof(*parts));
	parts->lo = DEFAULT_LO;
	parts->hi = DEFAULT_HI;
	if (has_range(&in))
	{
		parts->lo = form_number(&in, "a number");
		form_expect(&in, "..", NULL);
		parts->hi = form_number(&in, "a number");
		form_expect(&in, ":", "\":\" after the range");
	}
	do
	{
		char	   *label = form_label(&in);
		double		bound = 0;

		has_bound = form_accept(&in, ">=");
		if (has_bound)
			bound = form_number(&in, "a number");
		add_band(parts, label, has_bound, bound);
	} while (form_accept(&in, ","));
	form_end(&in, has_bound ? "\",\" or the end" : "\">=\", \",\" or the end");
}

static void
scale_append(StringInfo buf, const GradeScale *s)
{
	double_append(buf, s->lo);
	appendStringInfoString(buf, "..");
	double_append(buf, s->hi);
	appendStringInfoString(buf, ": ");
	for (int i = 0; i < s->nbands; i++)
	{
		if (i > 0)
			appendStringInfoString(buf, ", ");
		form_append_label(&grade_form, buf, scale_label(s, i));
		if (i < s->nbands - 1)
		{
			appendStringInfoString(buf, " >= ");
			double_append(buf, s->bound[i]);
		}
	}
}

/* ------------------------------------------------------------ SQL type */

Datum
grade_scale_spec_in(PG_FUNCTION_ARGS)
{
	ScaleParts	parts;

	scale_parse(PG_GETARG_CSTRING(0), &parts);
	PG_RETURN_POINTER(scale_build(&parts));
}

Datum
grade_scale_spec_out(PG_FUNCTION_ARGS)
{
	GradeScale *s = (GradeScale *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	scale_append(&buf, s);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: int32 band count, float8 lo, float8 hi, then per band the
 * label (a string in the client encoding), a byte saying whether a bound
 * follows, and the bound as float8.
 */
Datum
grade_scale_spec_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ScaleParts	parts;
	int			n;

	memset(&parts, 0, sizeof(parts));
	n = pq_getmsgint(buf, 4);
	if (n < 2 || n > MAX_GRADE_BANDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid band count %d in binary grade scale", n),
				 errdetail("A grade scale has 2 to %d bands.", MAX_GRADE_BANDS)));
	parts.lo = pq_getmsgfloat8(buf);
	parts.hi = pq_getmsgfloat8(buf);
	for (int i = 0; i < n; i++)
	{
		char	   *label = pstrdup(pq_getmsgstring(buf));
		int			flag = pq_getmsgbyte(buf);
		double		bound = 0;

		if (flag != 0 && flag != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid bound flag %d in binary grade scale", flag)));
		if (flag == 1)
			bound = pq_getmsgfloat8(buf);
		add_band(&parts, label, flag == 1, bound);
	}
	PG_RETURN_POINTER(scale_build(&parts));
}

Datum
grade_scale_spec_send(PG_FUNCTION_ARGS)
{
	GradeScale *s = (GradeScale *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, s->nbands);
	pq_sendfloat8(&buf, s->lo);
	pq_sendfloat8(&buf, s->hi);
	for (int i = 0; i < s->nbands; i++)
	{
		bool		has_bound = i < s->nbands - 1;

		pq_sendstring(&buf, scale_label(s, i));
		pq_sendbyte(&buf, has_bound ? 1 : 0);
		if (has_bound)
			pq_sendfloat8(&buf, s->bound[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ------------------------------------------------------------- grading */

/*
 * Index of the band holding score, 0 for the best.  Bounds are inclusive
 * lower ends in decreasing order, so this is the first band whose bound the
 * score reaches; the last band's bound is lo, which every score in range
 * reaches.
 */
static int
scale_find(const GradeScale *s, double score)
{
	int			lo = 0;
	int			hi = s->nbands - 1;

	check_in_range(score, s->lo, s->hi, "score");
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (score >= s->bound[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The scale named by argument argno, resolved once per call site. */
static const GradeScale *
named_scale(FunctionCallInfo fcinfo, int argno)
{
	NamedCache *cache = call_cache(fcinfo, sizeof(NamedCache));

	return (const GradeScale *) named_config(cache, fcinfo->flinfo->fn_mcxt,
											 &grade_scale_config,
											 PG_GETARG_TEXT_PP(argno));
}

static text *
band_text(const GradeScale *s, int band)
{
	return cstring_to_text_with_len(scale_label(s, band),
									scale_label_len(s, band));
}

Datum
grade_band_named(PG_FUNCTION_ARGS)
{
	const GradeScale *s = named_scale(fcinfo, 1);

	PG_RETURN_TEXT_P(band_text(s, scale_find(s, PG_GETARG_FLOAT8(0))));
}

Datum
grade_band_spec(PG_FUNCTION_ARGS)
{
	const GradeScale *s = (GradeScale *) PG_GETARG_VARLENA_P(1);

	PG_RETURN_TEXT_P(band_text(s, scale_find(s, PG_GETARG_FLOAT8(0))));
}

Datum
grade_rank_named(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(scale_find(named_scale(fcinfo, 1), PG_GETARG_FLOAT8(0)) + 1);
}

Datum
grade_rank_spec(PG_FUNCTION_ARGS)
{
	const GradeScale *s = (GradeScale *) PG_GETARG_VARLENA_P(1);

	PG_RETURN_INT32(scale_find(s, PG_GETARG_FLOAT8(0)) + 1);
}

/* One row per band: rank, label, lower bound, upper bound. */
static void
bands_table(FunctionCallInfo fcinfo, const GradeScale *s)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < s->nbands; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = Int32GetDatum(i + 1);
		values[1] = PointerGetDatum(band_text(s, i));
		values[2] = Float8GetDatum(s->bound[i]);
		values[3] = Float8GetDatum(i == 0 ? s->hi : s->bound[i - 1]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

Datum
grade_bands_spec(PG_FUNCTION_ARGS)
{
	bands_table(fcinfo, (GradeScale *) PG_GETARG_VARLENA_P(0));
	return (Datum) 0;
}

Datum
grade_bands_named(PG_FUNCTION_ARGS)
{
	bands_table(fcinfo, named_scale(fcinfo, 0));
	return (Datum) 0;
}
