/*
 * fcr.c: first contact resolution and recurrence (docs/rules.md, "Complaint
 * handling").  The aggregates fcr(contacts) and fcr(contacts, repeat_gap,
 * repeat_window), their state type appraisal.fcr_stats, the two-step fcr_agg
 * / rollup and the accessors fcr, resolved, first_contact_resolved, recurred,
 * recurrence_rate.
 *
 * A row is one item (complaint, ticket).  contacts is the contact on which it
 * was resolved, counting from 1; NULL means not resolved, and such a row does
 * not count at all.  A resolved item recurred when the customer came back
 * about the same problem within the window: repeat_gap <= repeat_window as SQL
 * compares intervals (interval_cmp: a month is 30 days, a day 24 hours).  A
 * recurred item is never first-contact resolved, so every resolved item is
 * exactly one of: first contact (contacts = 1, did not recur), recurred, or
 * neither (several contacts, did not recur).
 *
 * Text form of appraisal.fcr_stats (counts, in this order):
 *   resolved=10 first_contact=7 recurred=2
 * so fcr = first_contact / resolved and recurrence_rate = recurred / resolved.
 */
#include "appraisal.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(fcr_stats_in);
PG_FUNCTION_INFO_V1(fcr_stats_out);
PG_FUNCTION_INFO_V1(fcr_stats_recv);
PG_FUNCTION_INFO_V1(fcr_stats_send);
PG_FUNCTION_INFO_V1(fcr_stats_trans);
PG_FUNCTION_INFO_V1(fcr_stats_inv);
PG_FUNCTION_INFO_V1(fcr_stats_combine);
PG_FUNCTION_INFO_V1(fcr_stats_combine_inv);
PG_FUNCTION_INFO_V1(fcr_stats_fcr);
PG_FUNCTION_INFO_V1(fcr_stats_resolved);
PG_FUNCTION_INFO_V1(fcr_stats_first_contact);
PG_FUNCTION_INFO_V1(fcr_stats_recurred);
PG_FUNCTION_INFO_V1(fcr_stats_recurrence_rate);
PG_FUNCTION_INFO_V1(fcr_stats_fcr_percent);
PG_FUNCTION_INFO_V1(fcr_stats_recurrence_percent);

StaticAssertDecl(sizeof(FcrStats) == 24, "appraisal.fcr_stats is 24 bytes");

/* ---------------------------------------------------------------- fcr_stats */

/* Reject what no set of items could give; shared by text and binary input. */
static void
stats_validate(const FcrStats *st)
{
	const struct
	{
		const char *name;
		int64		value;
	}			fields[] = {
		{"resolved", st->resolved}, {"first_contact", st->first_contact},
		{"recurred", st->recurred}
	};

	for (int i = 0; i < (int) lengthof(fields); i++)
		if (fields[i].value < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid fcr_stats: %s " INT64_FORMAT " is negative",
							fields[i].name, fields[i].value)));
	for (int i = 1; i < (int) lengthof(fields); i++)
		if (fields[i].value > st->resolved)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid fcr_stats: %s " INT64_FORMAT " exceeds resolved " INT64_FORMAT,
							fields[i].name, fields[i].value, st->resolved)));
	/* both are at most resolved now, so the subtraction cannot overflow */
	if (st->first_contact > st->resolved - st->recurred)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid fcr_stats: first_contact " INT64_FORMAT " plus recurred " INT64_FORMAT " exceeds resolved " INT64_FORMAT,
						st->first_contact, st->recurred, st->resolved),
				 errdetail("An item that recurred is not first-contact resolved, so first_contact + recurred is at most resolved.")));
}

static void
stats_append(StringInfo buf, const FcrStats *st)
{
	appendStringInfo(buf, "resolved=" INT64_FORMAT " first_contact=" INT64_FORMAT " recurred=" INT64_FORMAT,
					 st->resolved, st->first_contact, st->recurred);
}

static const TextForm fcr_form = {
	.type = "fcr_stats",
	.example = "resolved=10 first_contact=7 recurred=2",
	.part_ends = " "
};

Datum
fcr_stats_in(PG_FUNCTION_ARGS)
{
	FcrStats   *st = palloc(sizeof(FcrStats));
	FormInput	in;

	form_start(&in, &fcr_form, PG_GETARG_CSTRING(0));
	st->resolved = form_count_field(&in, "resolved");
	st->first_contact = form_count_field(&in, "first_contact");
	st->recurred = form_count_field(&in, "recurred");
	form_end(&in, "the end");
	stats_validate(st);
	PG_RETURN_POINTER(st);
}

Datum
fcr_stats_out(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	initStringInfo(&buf);
	stats_append(&buf, (FcrStats *) PG_GETARG_POINTER(0));
	PG_RETURN_CSTRING(buf.data);
}

/* Binary form: resolved, first_contact, recurred, each an int8. */
Datum
fcr_stats_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	FcrStats   *st = palloc(sizeof(FcrStats));

	st->resolved = pq_getmsgint64(buf);
	st->first_contact = pq_getmsgint64(buf);
	st->recurred = pq_getmsgint64(buf);
	stats_validate(st);
	PG_RETURN_POINTER(st);
}

Datum
fcr_stats_send(PG_FUNCTION_ARGS)
{
	FcrStats   *st = (FcrStats *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, st->resolved);
	pq_sendint64(&buf, st->first_contact);
	pq_sendint64(&buf, st->recurred);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ------------------------------------------------------------ aggregation */

typedef enum ItemKind
{
	ITEM_UNRESOLVED,			/* contacts NULL: not counted */
	ITEM_FIRST_CONTACT,
	ITEM_RECURRED,
	ITEM_OTHER					/* several contacts, did not recur */
} ItemKind;

static void
check_not_negative(Interval *value, const char *name, const char *meaning)
{
	Interval	zero = {0};

	if (unlikely(interval_compare(value, &zero) < 0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("fcr: %s %s is negative", name,
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(value)))),
				 errdetail("%s", meaning)));
}

/*
 * What a resolved item (contacts not NULL) is, after checking it: with
 * recurrence, against window (NULL: SQL NULL, an error) given its gap
 * (NULL: the customer did not come back).
 */
static inline ItemKind
classify_resolved(int32 contacts, bool recurrence, const Interval *gap, const Interval *window)
{
	if (unlikely(contacts < 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("fcr: contacts must be at least 1, but is %d", contacts),
				 errdetail("contacts is the contact on which an item was resolved, counting from 1."),
				 errhint("Leave contacts NULL for an item that is not resolved.")));
	if (recurrence)
	{
		if (unlikely(window == NULL))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("fcr: resolved item (contacts %d) has a NULL repeat_window",
							contacts),
					 errhint("Give every resolved item a repeat_window; a NULL repeat_gap means the customer did not come back.")));
		check_not_negative(unconstify(Interval *, window), "repeat_window",
						   "repeat_window is the longest repeat_gap that counts as recurrence.");
		if (gap != NULL)
		{
			check_not_negative(unconstify(Interval *, gap), "repeat_gap",
							   "repeat_gap is the time from resolving an item until the customer came back about the same problem.");
			if (interval_compare(unconstify(Interval *, gap), unconstify(Interval *, window)) <= 0)
				return ITEM_RECURRED;
		}
	}
	return contacts == 1 ? ITEM_FIRST_CONTACT : ITEM_OTHER;
}

/*
 * What the row in arguments 1.. (contacts, and optionally repeat_gap and
 * repeat_window) is, after checking it.  Arguments of an unresolved row are
 * not looked at.
 */
static inline ItemKind
classify_item(FunctionCallInfo fcinfo)
{
	bool		recurrence = PG_NARGS() > 2;

	if (PG_ARGISNULL(1))
		return ITEM_UNRESOLVED;
	return classify_resolved(PG_GETARG_INT32(1), recurrence,
							 recurrence && !PG_ARGISNULL(2) ? PG_GETARG_INTERVAL_P(2) : NULL,
							 recurrence && !PG_ARGISNULL(3) ? PG_GETARG_INTERVAL_P(3) : NULL);
}

static void pg_attribute_noreturn()
too_many(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("fcr: too many resolved items")));
}

/* An item of the kind given into the summary. */
static inline void
add_item(FcrStats *st, ItemKind kind)
{
	if (kind == ITEM_UNRESOLVED)
		return;
	/* resolved bounds the other counts, so they cannot overflow */
	if (unlikely(pg_add_s64_overflow(st->resolved, 1, &st->resolved)))
		too_many();
	if (kind == ITEM_FIRST_CONTACT)
		st->first_contact++;
	else if (kind == ITEM_RECURRED)
		st->recurred++;
}

/*
 * fcr and fcr_agg, with or without recurrence (the number of arguments
 * tells): non-strict, so that a resolved item without a window is an error
 * rather than silently skipped.
 */
Datum
fcr_stats_trans(PG_FUNCTION_ARGS)
{
	ItemKind	kind = classify_item(fcinfo);
	FcrStats   *st = agg_state(fcinfo, sizeof(FcrStats));

	add_item(st, kind);
	PG_RETURN_POINTER(st);
}

/* fcr_agg(contacts, repeat_gap, repeat_window)'s step, for a pass in C */
void
fcr_stats_add(FcrStats *st, int32 contacts, const Interval *gap, const Interval *window)
{
	add_item(st, classify_resolved(contacts, true, gap, window));
}

/*
 * Inverse for moving windows: removes the row exactly.  The executor only
 * removes rows it added; called directly, removing an item of a kind the
 * summary does not hold is an error, not a negative count.
 */
Datum
fcr_stats_inv(PG_FUNCTION_ARGS)
{
	ItemKind	kind = classify_item(fcinfo);
	FcrStats   *st = agg_state(fcinfo, sizeof(FcrStats));
	int64	   *count = NULL;
	int64		held;
	const char *what;

	switch (kind)
	{
		case ITEM_UNRESOLVED:
			PG_RETURN_POINTER(st);
		case ITEM_FIRST_CONTACT:
			count = &st->first_contact;
			held = *count;
			what = "first-contact";
			break;
		case ITEM_RECURRED:
			count = &st->recurred;
			held = *count;
			what = "recurred";
			break;
		case ITEM_OTHER:
		default:
			held = st->resolved - st->first_contact - st->recurred;
			what = "multi-contact";
			break;
	}
	if (held <= 0)
	{
		StringInfoData buf;

		initStringInfo(&buf);
		stats_append(&buf, st);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fcr: cannot remove a %s item from \"%s\", which holds none",
						what, buf.data)));
	}
	st->resolved--;
	if (count)
		(*count)--;
	PG_RETURN_POINTER(st);
}

/* Combine function, and the transition function of rollup(fcr_stats). */
Datum
fcr_stats_combine(PG_FUNCTION_ARGS)
{
	FcrStats   *st = agg_state(fcinfo, sizeof(FcrStats));
	const FcrStats *other = (FcrStats *) PG_GETARG_POINTER(1);

	if (unlikely(pg_add_s64_overflow(st->resolved, other->resolved, &st->resolved) ||
				 pg_add_s64_overflow(st->first_contact, other->first_contact, &st->first_contact) ||
				 pg_add_s64_overflow(st->recurred, other->recurred, &st->recurred)))
		too_many();
	PG_RETURN_POINTER(st);
}

/*
 * The inverse of combining: a summary less one it holds.  Each kind of
 * item (first contact, recurred, resolved otherwise) must be held.
 */
Datum
fcr_stats_combine_inv(PG_FUNCTION_ARGS)
{
	FcrStats   *st = agg_state(fcinfo, sizeof(FcrStats));
	const FcrStats *other = (FcrStats *) PG_GETARG_POINTER(1);

	if (st->first_contact < other->first_contact || st->recurred < other->recurred ||
		st->resolved - st->first_contact - st->recurred < other->resolved - other->first_contact - other->recurred)
	{
		StringInfoData held;
		StringInfoData taken;

		initStringInfo(&held);
		stats_append(&held, st);
		initStringInfo(&taken);
		stats_append(&taken, other);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fcr: cannot take \"%s\" out of \"%s\", which does not hold it", taken.data, held.data),
				 errdetail("Only a summary of items the first one holds can be taken out of it.")));
	}
	st->resolved -= other->resolved;
	st->first_contact -= other->first_contact;
	st->recurred -= other->recurred;
	PG_RETURN_POINTER(st);
}

/* -------------------------------------------------------------- accessors */

/*
 * A share of the resolved items, NULL when there are none: plain double
 * division of the counts, as count(*) FILTER (...)::float8 / count(*) gives,
 * or the percent the scorecards show (percent.c).
 */
static Datum
share(FunctionCallInfo fcinfo, int64 part, int64 resolved, bool percent)
{
	if (resolved == 0)
		PG_RETURN_NULL();
	if (percent)
		PG_RETURN_NUMERIC(count_percent(part, resolved));
	PG_RETURN_FLOAT8((double) part / (double) resolved);
}

/* fcr(stats), also the final function of the fcr aggregates */
Datum
fcr_stats_fcr(PG_FUNCTION_ARGS)
{
	const FcrStats *st = (FcrStats *) PG_GETARG_POINTER(0);

	return share(fcinfo, st->first_contact, st->resolved, false);
}

Datum
fcr_stats_recurrence_rate(PG_FUNCTION_ARGS)
{
	const FcrStats *st = (FcrStats *) PG_GETARG_POINTER(0);

	return share(fcinfo, st->recurred, st->resolved, false);
}

Datum
fcr_stats_fcr_percent(PG_FUNCTION_ARGS)
{
	const FcrStats *st = (FcrStats *) PG_GETARG_POINTER(0);

	return share(fcinfo, st->first_contact, st->resolved, true);
}

Datum
fcr_stats_recurrence_percent(PG_FUNCTION_ARGS)
{
	const FcrStats *st = (FcrStats *) PG_GETARG_POINTER(0);

	return share(fcinfo, st->recurred, st->resolved, true);
}

Datum
fcr_stats_resolved(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(((FcrStats *) PG_GETARG_POINTER(0))->resolved);
}

Datum
fcr_stats_first_contact(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(((FcrStats *) PG_GETARG_POINTER(0))->first_contact);
}

Datum
fcr_stats_recurred(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(((FcrStats *) PG_GETARG_POINTER(0))->recurred);
}
