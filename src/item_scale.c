/*
 * item_scale.c: banded item scoring for the satisfaction survey
 * (docs/rules.md, "Satisfaction survey").  The type appraisal.item_scale_spec,
 * whose text form is the scale itself, turns a measured value (working days
 * to a fix, a 0-100 rating) into the points of one survey item: the value
 * falls into a band, and points are interpolated linearly inside the band.
 *
 * Text form: bands in increasing order of value, separated by ";", each a
 * label, an interval and its points ("at the lower end..at the upper end",
 * or one number for the whole band):
 *   A [0,2] 15; B (2,3] 14..11; C (3,4] 10..8; D (4,7] 7..4; E (7,14] 3..0; E (14,) 0
 * The intervals must meet without gap or overlap (where two meet, exactly one
 * holds the meeting value).  Only the first band may be open below, only the
 * last open above, and an open band gives one number of points.  Adjacent
 * bands may share a label: one grade made of several linear pieces.
 *
 * Points are computed exactly in numeric from the decimals the scale was
 * written with and truncated to two decimals, like every percentage of the
 * extension: (4,7] 7..4 gives 5 -> 6.00, never 5.99.
 */
#include "appraisal.h"

#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(item_scale_spec_in);
PG_FUNCTION_INFO_V1(item_scale_spec_out);
PG_FUNCTION_INFO_V1(item_scale_spec_recv);
PG_FUNCTION_INFO_V1(item_scale_spec_send);
PG_FUNCTION_INFO_V1(item_points_spec);
PG_FUNCTION_INFO_V1(item_points_named);
PG_FUNCTION_INFO_V1(item_band_spec);
PG_FUNCTION_INFO_V1(item_band_named);
PG_FUNCTION_INFO_V1(item_bands_spec);
PG_FUNCTION_INFO_V1(item_bands_named);
PG_FUNCTION_INFO_V1(item_max_points_spec);
PG_FUNCTION_INFO_V1(item_max_points_named);

#define MAX_ITEM_BANDS 32
#define MAX_LABEL_BYTES 63
#define MAX_POINTS 1e15

/*
 * One band: the value interval (lo may be -Infinity in the first band, hi
 * +Infinity in the last; infinite ends are never inclusive), the points at
 * its two ends, and the offset of its NUL-terminated label from the start of
 * the scale.
 */
typedef struct ItemBand
{
	double		lo;
	double		hi;
	double		points_lo;
	double		points_hi;
	int32		label;
	bool		lo_inclusive;
	bool		hi_inclusive;
} ItemBand;

/*
 * appraisal.item_scale_spec, a varlena: the header, the band count, the
 * bands in increasing order of value, then the labels.  Zeroed when built,
 * so equal scales are equal bytes; STORAGE = plain, so a stored value is read
 * in place.
 */
typedef struct ItemScale
{
	int32		vl_len_;
	int32		nbands;
	ItemBand	band[FLEXIBLE_ARRAY_MEMBER];
} ItemScale;

static inline const char *
band_label(const ItemScale *s, int i)
{
	return (const char *) s + s->band[i].label;
}

static const NamedConfig item_scale_config = {
	"item_scale", "scale", "item scale", -1, "item_scale_spec"
};

static const TextForm item_form = {
	.type = "item_scale_spec",
	.example = "A [0,2] 15; B (2,3] 14..11; C (3,7] 10..4; D (7,) 0",
	.part_ends = ";",
	.label_stops = ";[("
};

/* ------------------------------------------------------------ validation */

/* A scale as read from text or binary input, before it is checked. */
typedef struct ItemParts
{
	int			nbands;
	char	   *label[MAX_ITEM_BANDS];
	ItemBand	band[MAX_ITEM_BANDS];
} ItemParts;

static void
add_band(ItemParts *parts, char *label, const ItemBand *band)
{
	if (parts->nbands < MAX_ITEM_BANDS)
	{
		parts->label[parts->nbands] = label;
		parts->band[parts->nbands] = *band;
	}
	parts->nbands++;
}

/* An interval as the text form writes it, for messages: "(2,3]". */
static char *
interval_str(const ItemBand *b)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, b->lo_inclusive ? '[' : '(');
	if (!isinf(b->lo))
		double_append(&buf, b->lo);
	appendStringInfoChar(&buf, ',');
	if (!isinf(b->hi))
		double_append(&buf, b->hi);
	appendStringInfoChar(&buf, b->hi_inclusive ? ']' : ')');
	return buf.data;
}

static void
band_error(const char *label, const ItemBand *b, const char *problem,
		   const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("band \"%s\" %s of the item scale %s", label,
					interval_str(b), problem),
			 detail ? errdetail("%s", detail) : 0));
}

static void
check_band(const ItemParts *parts, int i)
{
	const ItemBand *b = &parts->band[i];
	const char *label = parts->label[i];
	int			len = strlen(label);

	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("band %d of the item scale has an empty label", i + 1)));
	if (len > MAX_LABEL_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("item scale band label \"%.*s...\" is longer than %d bytes",
						pg_mbcliplen(label, len, 20), label, MAX_LABEL_BYTES)));
	for (int j = 0; j < i - 1; j++)
		if (strcmp(parts->label[j], label) == 0 &&
			strcmp(parts->label[i - 1], label) != 0)
			band_error(label, b, "repeats the label of an earlier band",
					   "Bands may share a label only when they are adjacent (one grade in several linear pieces).");
	if (isnan(b->lo) || isnan(b->hi) || isnan(b->points_lo) || isnan(b->points_hi))
		band_error(label, b, "has a bound or points that are not a number", NULL);
	if ((isinf(b->lo) && (b->lo > 0 || b->lo_inclusive)) ||
		(isinf(b->hi) && (b->hi < 0 || b->hi_inclusive)))
		band_error(label, b, "has an infinite bound that is inclusive or on the wrong side",
				   "An open end is written empty, with ( below or ) above.");
	if (isinf(b->lo) && i > 0)
		band_error(label, b, "is open below but is not the first band", NULL);
	if (isinf(b->hi) && i < parts->nbands - 1)
		band_error(label, b, "is open above but is not the last band", NULL);
	if (!(b->lo < b->hi || (b->lo == b->hi && b->lo_inclusive && b->hi_inclusive)))
		band_error(label, b, "is empty",
				   "The lower bound must be below the upper bound, or equal to it with both ends inclusive ([5,5]).");
	for (int k = 0; k < 2; k++)
	{
		double		p = k == 0 ? b->points_lo : b->points_hi;

		if (!(p >= 0 && p < MAX_POINTS))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("points %s of band \"%s\" %s of the item scale are outside [0, 1e15)",
							double_str(p), label, interval_str(b))));
	}
	if ((isinf(b->lo) || isinf(b->hi) || b->lo == b->hi) &&
		b->points_lo != b->points_hi)
		band_error(label, b, "is open or a single value but gives a range of points",
				   "Points are interpolated between the two ends of a band; an open band or a band of one value gives one number of points.");
	if (i > 0)
	{
		const ItemBand *a = &parts->band[i - 1];
		const char *prev = parts->label[i - 1];

		if (b->lo > a->hi || (b->lo == a->hi && !b->lo_inclusive && !a->hi_inclusive))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bands \"%s\" %s and \"%s\" %s of the item scale leave a gap",
							prev, interval_str(a), label, interval_str(b)),
					 errdetail("Each band must start where the one before it ends, and exactly one of the two must hold the meeting value.")));
		if (b->lo < a->hi || (b->lo_inclusive && a->hi_inclusive))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bands \"%s\" %s and \"%s\" %s of the item scale overlap or are out of order",
							prev, interval_str(a), label, interval_str(b)),
					 errdetail("Bands go in increasing order of value; where two meet, exactly one of them holds the meeting value.")));
	}
}

/*
 * Check every rule of a scale and build the value.  The one place both the
 * text and the binary input go through, so both are exactly as strict.
 */
static ItemScale *
scale_build(const ItemParts *parts)
{
	int			n = parts->nbands;
	Size		size;
	ItemScale  *s;
	char	   *labels;

	if (n > MAX_ITEM_BANDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an item scale has at most %d bands, not %d",
						MAX_ITEM_BANDS, n)));
	size = offsetof(ItemScale, band) + n * sizeof(ItemBand);
	for (int i = 0; i < n; i++)
	{
		check_band(parts, i);
		size += strlen(parts->label[i]) + 1;
	}

	s = palloc0(size);
	SET_VARSIZE(s, size);
	s->nbands = n;
	labels = (char *) &s->band[n];
	for (int i = 0; i < n; i++)
	{
		const ItemBand *b = &parts->band[i];
		ItemBand   *to = &s->band[i];
		int			len = strlen(parts->label[i]);

		/* field by field (padding stays zero); -0 reads back as 0 */
		to->lo = b->lo == 0 ? 0 : b->lo;
		to->hi = b->hi == 0 ? 0 : b->hi;
		to->points_lo = b->points_lo == 0 ? 0 : b->points_lo;
		to->points_hi = b->points_hi == 0 ? 0 : b->points_hi;
		to->lo_inclusive = b->lo_inclusive;
		to->hi_inclusive = b->hi_inclusive;
		to->label = labels - (char *) s;
		memcpy(labels, parts->label[i], len + 1);
		labels += len + 1;
	}
	return s;
}

/* ------------------------------------------------------------------ text */

/* "label [lo,hi] points" or "label (lo,hi) points..points"; a bound left out is open */
static void
parse_band(FormInput *in, ItemParts *parts)
{
	char	   *label = form_label(in);
	ItemBand	b;

	memset(&b, 0, sizeof(b));
	b.lo_inclusive = form_accept(in, "[");
	if (!b.lo_inclusive)
		form_expect(in, "(", "\"[\" or \"(\" opening the band's interval");
	if (!form_accept_number(in, &b.lo))
		b.lo = -INFINITY;
	form_expect(in, ",", "\",\" between the interval's bounds");
	if (!form_accept_number(in, &b.hi))
		b.hi = INFINITY;
	b.hi_inclusive = form_accept(in, "]");
	if (!b.hi_inclusive)
		form_expect(in, ")", "\"]\" or \")\" closing the interval");
	b.points_lo = b.points_hi = form_number(in, "a number");
	if (form_accept(in, ".."))
		b.points_hi = form_number(in, "a number");
	add_band(parts, label, &b);
}

static void
scale_parse(const char *text, ItemParts *parts)
{
	FormInput	in;

	form_start(&in, &item_form, text);
	memset(parts, 0, sizeof(*parts));
	do
		parse_band(&in, parts);
	while (form_accept(&in, ";"));
	form_end(&in, "\";\" or the end");
}

static void
scale_append(StringInfo buf, const ItemScale *s)
{
	for (int i = 0; i < s->nbands; i++)
	{
		const ItemBand *b = &s->band[i];

		if (i > 0)
			appendStringInfoString(buf, "; ");
		form_append_label(&item_form, buf, band_label(s, i));
		appendStringInfoChar(buf, ' ');
		appendStringInfoString(buf, interval_str(b));
		appendStringInfoChar(buf, ' ');
		double_append(buf, b->points_lo);
		if (b->points_hi != b->points_lo)
		{
			appendStringInfoString(buf, "..");
			double_append(buf, b->points_hi);
		}
	}
}

/* ------------------------------------------------------------ SQL type */

Datum
item_scale_spec_in(PG_FUNCTION_ARGS)
{
	ItemParts	parts;

	scale_parse(PG_GETARG_CSTRING(0), &parts);
	PG_RETURN_POINTER(scale_build(&parts));
}

Datum
item_scale_spec_out(PG_FUNCTION_ARGS)
{
	ItemScale  *s = (ItemScale *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	scale_append(&buf, s);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: int32 band count, then per band the label (a string in the
 * client encoding), a byte of flags (1: lower bound inclusive, 2: upper
 * bound inclusive) and four float8: lower bound, upper bound (infinite when
 * open), points at the lower end and at the upper end.
 */
Datum
item_scale_spec_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ItemParts	parts;
	int			n;

	memset(&parts, 0, sizeof(parts));
	n = pq_getmsgint(buf, 4);
	if (n < 1 || n > MAX_ITEM_BANDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid band count %d in binary item scale", n),
				 errdetail("An item scale has 1 to %d bands.", MAX_ITEM_BANDS)));
	for (int i = 0; i < n; i++)
	{
		char	   *label = pstrdup(pq_getmsgstring(buf));
		int			flags = pq_getmsgbyte(buf);
		ItemBand	b;

		if (flags & ~3)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid band flags %d in binary item scale", flags)));
		memset(&b, 0, sizeof(b));
		b.lo_inclusive = (flags & 1) != 0;
		b.hi_inclusive = (flags & 2) != 0;
		b.lo = pq_getmsgfloat8(buf);
		b.hi = pq_getmsgfloat8(buf);
		b.points_lo = pq_getmsgfloat8(buf);
		b.points_hi = pq_getmsgfloat8(buf);
		add_band(&parts, label, &b);
	}
	PG_RETURN_POINTER(scale_build(&parts));
}

Datum
item_scale_spec_send(PG_FUNCTION_ARGS)
{
	ItemScale  *s = (ItemScale *) PG_GETARG_VARLENA_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, s->nbands);
	for (int i = 0; i < s->nbands; i++)
	{
		const ItemBand *b = &s->band[i];

		pq_sendstring(&buf, band_label(s, i));
		pq_sendbyte(&buf, (b->lo_inclusive ? 1 : 0) | (b->hi_inclusive ? 2 : 0));
		pq_sendfloat8(&buf, b->lo);
		pq_sendfloat8(&buf, b->hi);
		pq_sendfloat8(&buf, b->points_lo);
		pq_sendfloat8(&buf, b->points_hi);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ------------------------------------------------------------- scoring */

/*
 * A scale prepared for exact scoring: its numbers as numeric (read from the
 * shortest text of each double, which is the decimal the scale was written
 * with), per band what interpolation needs.  A call site keeps the last few
 * scales it met (a survey reads several items' scales in turn), each in its
 * own memory context, reset when its slot takes another scale.
 */
typedef struct PreparedBand
{
	Datum		lo;				/* numeric; unset when open below */
	Datum		hi;				/* unset when open above */
	Datum		points;			/* points_lo, for a band of one number */
	Datum		scaled_lo;		/* 100 * points_lo * (hi - lo) */
	Datum		scaled_step;	/* 100 * (points_hi - points_lo) */
	Datum		width;			/* hi - lo */
} PreparedBand;

typedef struct PreparedScale
{
	MemoryContext mcxt;			/* holds scale and the numerics */
	ItemScale  *scale;			/* copy of the scale prepared */
	PreparedBand band[MAX_ITEM_BANDS];
} PreparedScale;

#define ITEM_SITE_SCALES 8

typedef struct ItemSite
{
	NamedCache	names;			/* first: also the named-value cache */
	int			n;				/* slots in use */
	int			next;			/* slot replaced when all are in use */
	PreparedScale slot[ITEM_SITE_SCALES];
} ItemSite;

static Datum
numeric_of(double x)
{
	return DirectFunctionCall3(numeric_in, CStringGetDatum(double_str(x)),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

static Datum
num_mul(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_mul, a, b);
}

static Datum
num_sub(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_sub, a, b);
}

static void
prepare(PreparedScale *ps, const ItemScale *s, MemoryContext parent)
{
	MemoryContext old;
	Datum		hundred;

	if (ps->mcxt == NULL)
		ps->mcxt = AllocSetContextCreate(parent, "item scale", ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(ps->mcxt);
	old = MemoryContextSwitchTo(ps->mcxt);
	hundred = DirectFunctionCall1(int4_numeric, Int32GetDatum(100));
	ps->scale = palloc(VARSIZE(s));
	memcpy(ps->scale, s, VARSIZE(s));
	for (int i = 0; i < s->nbands; i++)
	{
		const ItemBand *b = &s->band[i];
		PreparedBand *p = &ps->band[i];

		p->points = numeric_of(b->points_lo);
		if (!isinf(b->lo))
			p->lo = numeric_of(b->lo);
		if (!isinf(b->hi))
			p->hi = numeric_of(b->hi);
		if (isinf(b->lo) || isinf(b->hi))
			continue;			/* one number of points: no interpolation */
		p->width = num_sub(p->hi, p->lo);
		p->scaled_lo = num_mul(num_mul(hundred, p->points), p->width);
		p->scaled_step = num_mul(hundred, num_sub(numeric_of(b->points_hi), p->points));
	}
	MemoryContextSwitchTo(old);
}

/* The scale of argument 1, a value or a name, prepared. */
static const PreparedScale *
prepared_scale(FunctionCallInfo fcinfo, bool named)
{
	ItemSite   *site = call_cache(fcinfo, sizeof(ItemSite));
	const ItemScale *s;
	PreparedScale *ps;

	if (named)
		s = (const ItemScale *) named_config(&site->names, fcinfo->flinfo->fn_mcxt,
											 &item_scale_config,
											 PG_GETARG_TEXT_PP(1));
	else
		s = (const ItemScale *) PG_GETARG_VARLENA_P(1);
	for (int i = 0; i < site->n; i++)
	{
		ps = &site->slot[i];
		if (VARSIZE(ps->scale) == VARSIZE(s) && memcmp(ps->scale, s, VARSIZE(s)) == 0)
			return ps;
	}
	if (site->n < ITEM_SITE_SCALES)
		ps = &site->slot[site->n++];
	else
	{
		ps = &site->slot[site->next];
		site->next = (site->next + 1) % ITEM_SITE_SCALES;
	}
	prepare(ps, s, fcinfo->flinfo->fn_mcxt);
	return ps;
}

static int
num_cmp(Datum a, Datum b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, b));
}

/* Whether value lies below (< 0), inside (0) or above (> 0) band i. */
static int
band_side(const PreparedScale *ps, int i, Datum value)
{
	const ItemBand *b = &ps->scale->band[i];
	const PreparedBand *p = &ps->band[i];

	if (!isinf(b->lo))
	{
		int			c = num_cmp(value, p->lo);

		if (c < 0 || (c == 0 && !b->lo_inclusive))
			return -1;
	}
	if (!isinf(b->hi))
	{
		int			c = num_cmp(value, p->hi);

		if (c > 0 || (c == 0 && !b->hi_inclusive))
			return 1;
	}
	return 0;
}

/* The band holding value (binary search); outside every band, an error. */
static int
find_band(const PreparedScale *ps, Datum value)
{
	const ItemScale *s = ps->scale;
	int			lo = 0;
	int			hi = s->nbands - 1;

	if (numeric_is_nan(DatumGetNumeric(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value NaN is not a number")));
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			side = band_side(ps, mid, value);

		if (side == 0)
			return mid;
		if (side < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	{
		const ItemBand *first = &s->band[0];
		const ItemBand *last = &s->band[s->nbands - 1];
		ItemBand	whole = *first;

		whole.hi = last->hi;
		whole.hi_inclusive = last->hi_inclusive;
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value %s is outside the item scale's range %s",
						DatumGetCString(DirectFunctionCall1(numeric_out, value)),
						interval_str(&whole))));
	}
	pg_unreachable();
}

/*
 * Points of value in band i, exactly: points_lo + (points_hi - points_lo) *
 * (value - lo) / (hi - lo), formed as one fraction and truncated to two
 * decimals (points are never negative, so truncation is floor).
 */
static Datum
band_points(const PreparedScale *ps, int i, Datum value)
{
	const ItemBand *b = &ps->scale->band[i];
	const PreparedBand *p = &ps->band[i];
	Datum		hundredths;

	if (b->points_lo == b->points_hi)
		return DirectFunctionCall2(numeric_trunc, p->points, Int32GetDatum(2));
	hundredths = DirectFunctionCall2(numeric_div_trunc,
									 DirectFunctionCall2(numeric_add, p->scaled_lo,
														 num_mul(p->scaled_step,
																 num_sub(value, p->lo))),
									 p->width);
	return DirectFunctionCall2(numeric_div, hundredths,
							   DirectFunctionCall1(int4_numeric, Int32GetDatum(100)));
}

static Datum
item_points(FunctionCallInfo fcinfo, bool named)
{
	Datum		value = PG_GETARG_DATUM(0);
	const PreparedScale *ps = prepared_scale(fcinfo, named);

	/* the points have two decimals already; rounding sets the display scale */
	return DirectFunctionCall2(numeric_round,
							   band_points(ps, find_band(ps, value), value),
							   Int32GetDatum(2));
}

Datum
item_points_spec(PG_FUNCTION_ARGS)
{
	return item_points(fcinfo, false);
}

Datum
item_points_named(PG_FUNCTION_ARGS)
{
	return item_points(fcinfo, true);
}

static Datum
item_band(FunctionCallInfo fcinfo, bool named)
{
	const PreparedScale *ps = prepared_scale(fcinfo, named);

	PG_RETURN_TEXT_P(cstring_to_text(band_label(ps->scale,
												find_band(ps, PG_GETARG_DATUM(0)))));
}

Datum
item_band_spec(PG_FUNCTION_ARGS)
{
	return item_band(fcinfo, false);
}

Datum
item_band_named(PG_FUNCTION_ARGS)
{
	return item_band(fcinfo, true);
}

/* The scale of argument 0, a value or a name (resolved once per call site). */
static const ItemScale *
scale_arg0(FunctionCallInfo fcinfo, bool named)
{
	NamedCache *cache;

	if (!named)
		return (const ItemScale *) PG_GETARG_VARLENA_P(0);
	cache = call_cache(fcinfo, sizeof(NamedCache));
	return (const ItemScale *) named_config(cache, fcinfo->flinfo->fn_mcxt,
											&item_scale_config,
											PG_GETARG_TEXT_PP(0));
}

static Datum
bound_datum(double x, bool *isnull)
{
	*isnull = isinf(x);
	return *isnull ? (Datum) 0 : numeric_of(x);
}

/* One row per band, in increasing order of value. */
static Datum
item_bands(FunctionCallInfo fcinfo, bool named)
{
	const ItemScale *s = scale_arg0(fcinfo, named);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < s->nbands; i++)
	{
		const ItemBand *b = &s->band[i];
		Datum		values[8];
		bool		nulls[8] = {false, false, false, false, false, false, false, false};

		values[0] = Int32GetDatum(i + 1);
		values[1] = PointerGetDatum(cstring_to_text(band_label(s, i)));
		values[2] = bound_datum(b->lo, &nulls[2]);
		values[3] = BoolGetDatum(b->lo_inclusive);
		values[4] = bound_datum(b->hi, &nulls[4]);
		values[5] = BoolGetDatum(b->hi_inclusive);
		values[6] = numeric_of(b->points_lo);
		values[7] = numeric_of(b->points_hi);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
item_bands_spec(PG_FUNCTION_ARGS)
{
	return item_bands(fcinfo, false);
}

Datum
item_bands_named(PG_FUNCTION_ARGS)
{
	return item_bands(fcinfo, true);
}

static Datum
item_max_points(FunctionCallInfo fcinfo, bool named)
{
	const ItemScale *s = scale_arg0(fcinfo, named);
	double		best = 0;

	for (int i = 0; i < s->nbands; i++)
		best = Max(best, Max(s->band[i].points_lo, s->band[i].points_hi));
	return DirectFunctionCall2(numeric_trunc, numeric_of(best), Int32GetDatum(2));
}

Datum
item_max_points_spec(PG_FUNCTION_ARGS)
{
	return item_max_points(fcinfo, false);
}

Datum
item_max_points_named(PG_FUNCTION_ARGS)
{
	return item_max_points(fcinfo, true);
}
