/*
 * sla.c: SLA compliance in business time.  The aggregates sla_agg (two-step,
 * state type appraisal.sla_stats) and sla_compliance classify each item:
 *
 *   due = business_due(start, target, calendar, pauses)
 *   start after as_of                      ignored
 *   finished (stop <= as_of): stop <= due  met, else late
 *   unfinished:               as_of >= due overdue, else pending
 *
 * breached = late + overdue; compliance = met / (met + breached), pending
 * items left out.  Finished items also add their business time to a sum, for
 * mean_elapsed and mean_elapsed_hours.  Counts and the sum are exact integers, so rollups, parallel
 * plans and moving windows (exact inverse) agree with a single pass.
 *
 * Text form of appraisal.sla_stats (elapsed: exact seconds, µs precision):
 *   met=3 late=1 overdue=1 pending=2 elapsed=97200.5s
 */
#include "calendar.h"

#include "access/xact.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(sla_stats_in);
PG_FUNCTION_INFO_V1(sla_stats_out);
PG_FUNCTION_INFO_V1(sla_stats_recv);
PG_FUNCTION_INFO_V1(sla_stats_send);
PG_FUNCTION_INFO_V1(sla_stats_trans);
PG_FUNCTION_INFO_V1(sla_stats_inv);
PG_FUNCTION_INFO_V1(sla_stats_trans_now);
PG_FUNCTION_INFO_V1(sla_stats_inv_now);
PG_FUNCTION_INFO_V1(sla_stats_combine);
PG_FUNCTION_INFO_V1(sla_stats_combine_inv);
PG_FUNCTION_INFO_V1(sla_stats_met);
PG_FUNCTION_INFO_V1(sla_stats_late);
PG_FUNCTION_INFO_V1(sla_stats_overdue);
PG_FUNCTION_INFO_V1(sla_stats_breached);
PG_FUNCTION_INFO_V1(sla_stats_pending);
PG_FUNCTION_INFO_V1(sla_stats_compliance);
PG_FUNCTION_INFO_V1(sla_stats_compliance_percent);
PG_FUNCTION_INFO_V1(sla_stats_mean_elapsed);
PG_FUNCTION_INFO_V1(sla_stats_elapsed_seconds);
PG_FUNCTION_INFO_V1(sla_stats_mean_elapsed_hours);

StaticAssertDecl(sizeof(SlaStats) == 48, "appraisal.sla_stats is 48 bytes");

static const char *const sla_fields[] = {"met", "late", "overdue", "pending"};

/*
 * The most business time the text form holds: elapsed is read as seconds in
 * fixed point, below 10^20 s, so 10^26 - 1 µs.  Sums are checked against
 * it, so that every value prints as text its input reads back.
 */
#define SLA_MAX_ELAPSED (FIXED_WHOLE_LIMIT * USECS_PER_SEC - 1)

/* ---------------------------------------------------------------- I/O */

/* What no set of items could give. */
static void
sla_validate(const SlaStats *st)
{
	for (int i = 0; i < 4; i++)
		if (SLA_COUNT(st, i) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid sla_stats: %s " INT64_FORMAT " is negative",
							sla_fields[i], SLA_COUNT(st, i))));
	if (st->elapsed < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid sla_stats: elapsed is negative")));
	if (st->elapsed > SLA_MAX_ELAPSED)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("invalid sla_stats: elapsed is out of range"),
				 errdetail("Business time is below 10^20 seconds.")));
	if (st->elapsed > 0 && st->met == 0 && st->late == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid sla_stats: elapsed time without finished items"),
				 errdetail("Only met and late items add business time.")));
}

/* seconds with up to six decimals: an exact count of microseconds */
static void
seconds_append(StringInfo buf, int128 us)
{
	int			frac = (int) (us % USECS_PER_SEC);
	char		digits[8];

	fixed_append(buf, us / USECS_PER_SEC * (int128) 1000000000000000000LL);
	if (frac != 0)
	{
		int			len;

		snprintf(digits, sizeof(digits), "%06d", frac);
		len = 6;
		while (digits[len - 1] == '0')
			len--;
		appendStringInfo(buf, ".%.*s", len, digits);
	}
	appendStringInfoChar(buf, 's');
}

static const TextForm sla_form = {
	.type = "sla_stats",
	.example = "met=3 late=1 overdue=1 pending=2 elapsed=97200.5s",
	.part_ends = " "
};

Datum
sla_stats_in(PG_FUNCTION_ARGS)
{
	SlaStats   *st = palloc0(sizeof(SlaStats));
	FormInput	in;
	const char *at;
	int128		seconds;

	form_start(&in, &sla_form, PG_GETARG_CSTRING(0));
	for (int i = 0; i < 4; i++)
		SLA_COUNT(st, i) = form_count_field(&in, sla_fields[i]);
	at = form_skip(&in);
	/* fixed point in 1e-18: whole microseconds only */
	seconds = form_decimal_field(&in, "elapsed");
	if (seconds % (int128) 1000000000000LL != 0)
		form_syntax_error(&in, at, "\"elapsed=\" and seconds with at most 6 decimals");
	st->elapsed = seconds / (int128) 1000000000000LL;
	form_expect(&in, "s", "\"s\" after the seconds");
	form_end(&in, "the end");
	sla_validate(st);
	PG_RETURN_POINTER(st);
}

Datum
sla_stats_out(PG_FUNCTION_ARGS)
{
	const SlaStats *st = (SlaStats *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < 4; i++)
		appendStringInfo(&buf, "%s=" INT64_FORMAT " ", sla_fields[i], SLA_COUNT(st, i));
	appendStringInfoString(&buf, "elapsed=");
	seconds_append(&buf, st->elapsed);
	PG_RETURN_CSTRING(buf.data);
}

Datum
sla_stats_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SlaStats   *st = palloc0(sizeof(SlaStats));
	uint64		hi,
				lo;

	for (int i = 0; i < 4; i++)
		SLA_COUNT(st, i) = pq_getmsgint64(buf);
	hi = (uint64) pq_getmsgint64(buf);
	lo = (uint64) pq_getmsgint64(buf);
	st->elapsed = (int128) (((uint128) hi << 64) | lo);
	sla_validate(st);
	PG_RETURN_POINTER(st);
}

Datum
sla_stats_send(PG_FUNCTION_ARGS)
{
	const SlaStats *st = (SlaStats *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	for (int i = 0; i < 4; i++)
		pq_sendint64(&buf, SLA_COUNT(st, i));
	pq_sendint64(&buf, (int64) (uint64) ((uint128) st->elapsed >> 64));
	pq_sendint64(&buf, (int64) (uint64) st->elapsed);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------- aggregation */

static void pg_attribute_noreturn()
sla_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sla_stats count out of range")));
}

/* st->elapsed + add, both within range, or an error */
static void
add_elapsed(SlaStats *st, int128 add)
{
	if (add > SLA_MAX_ELAPSED - st->elapsed)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sla_stats elapsed time out of range")));
	st->elapsed += add;
}

/*
 * The field of an item started by as_of (met, late, overdue or pending),
 * with its business time when finished by as_of (*stop, else NULL).
 */
static inline int
sla_classify(const CompiledCalendar *cc, TimestampTz start, const TimestampTz *stop, TimestampTz as_of,
			 const Interval *target, const Pauses *pauses, int64 *elapsed)
{
	if (stop != NULL && *stop <= as_of)
		return business_within_target(cc, start, stop, as_of, target, pauses, elapsed) ? 0 : 1;
	return business_within_target(cc, start, NULL, as_of, target, pauses, elapsed) ? 3 : 2;
}

void
sla_stats_add_item(SlaStats *st, const CompiledCalendar *cc, TimestampTz start, const TimestampTz *stop,
				   TimestampTz as_of, const Interval *target, const Pauses *pauses)
{
	int64		elapsed = 0;
	int			field;

	if (start > as_of)
		return;					/* not yet there */
	field = sla_classify(cc, start, stop, as_of, target, pauses, &elapsed);
	if (pg_add_s64_overflow(SLA_COUNT(st, field), 1, &SLA_COUNT(st, field)))
		sla_overflow();
	add_elapsed(st, elapsed);
}

/*
 * Classify one item into the state, adding (sign 1) or removing (sign -1,
 * the moving-window inverse).  Arguments from argument 1: start, stop,
 * target, calendar, then as_of at asof_arg (or the transaction's start
 * time when asof_arg < 0), pauses at pauses_arg.
 */
static Datum
sla_step(FunctionCallInfo fcinfo, int sign, int asof_arg, int pause_arg)
{
	SlaStats   *st = agg_state(fcinfo, sizeof(SlaStats));
	BusinessSite *site = (BusinessSite *) call_cache(fcinfo, sizeof(BusinessSite));
	const CompiledCalendar *cc;
	TimestampTz start,
				as_of,
				stop;
	const TimestampTz *stop_given = NULL;
	int			field;
	int64		elapsed = 0;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);	/* no item */
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the SLA target must not be NULL")));
	if (asof_arg >= 0 && PG_ARGISNULL(asof_arg))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of must not be NULL")));
	start = PG_GETARG_TIMESTAMPTZ(1);
	as_of = asof_arg >= 0 ? PG_GETARG_TIMESTAMPTZ(asof_arg) :
		GetCurrentTransactionStartTimestamp();
	if (start > as_of)
		PG_RETURN_POINTER(st);	/* not yet there */
	cc = calendar_arg(fcinfo, &site->calendar, 4);
	pauses_arg(fcinfo, pause_arg, &site->pauses);
	if (!PG_ARGISNULL(2))
	{
		stop = PG_GETARG_TIMESTAMPTZ(2);
		stop_given = &stop;
	}
	if (sign > 0)
	{
		sla_stats_add_item(st, cc, start, stop_given, as_of, PG_GETARG_INTERVAL_P(3), &site->pauses);
		PG_RETURN_POINTER(st);
	}

	/*
	 * The inverse takes out what the transition put in.  Anything else (a
	 * direct call) would leave counts or time no set of items has.
	 */
	field = sla_classify(cc, start, stop_given, as_of, PG_GETARG_INTERVAL_P(3), &site->pauses, &elapsed);
	if (SLA_COUNT(st, field) == 0 || st->elapsed < elapsed ||
		(field <= 1 && st->met + st->late == 1 && st->elapsed != elapsed))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a %s item that sla_stats does not hold",
						sla_fields[field]),
				 errdetail("The inverse transition only takes out items the transition added.")));
	SLA_COUNT(st, field)--;
	st->elapsed -= elapsed;
	PG_RETURN_POINTER(st);
}

/* sla_agg(start, stop, target, calendar, as_of [, pauses]) */
Datum
sla_stats_trans(PG_FUNCTION_ARGS)
{
	return sla_step(fcinfo, 1, 5, 6);
}

Datum
sla_stats_inv(PG_FUNCTION_ARGS)
{
	return sla_step(fcinfo, -1, 5, 6);
}

/* sla_compliance(start, stop, target [, calendar]): as of the transaction's start */
Datum
sla_stats_trans_now(PG_FUNCTION_ARGS)
{
	return sla_step(fcinfo, 1, -1, 5);
}

Datum
sla_stats_inv_now(PG_FUNCTION_ARGS)
{
	return sla_step(fcinfo, -1, -1, 5);
}

Datum
sla_stats_combine(PG_FUNCTION_ARGS)
{
	SlaStats   *st = agg_state(fcinfo, sizeof(SlaStats));
	const SlaStats *other = (SlaStats *) PG_GETARG_POINTER(1);

	for (int i = 0; i < 4; i++)
		if (pg_add_s64_overflow(SLA_COUNT(st, i), SLA_COUNT(other, i), &SLA_COUNT(st, i)))
			sla_overflow();
	add_elapsed(st, other->elapsed);
	PG_RETURN_POINTER(st);
}

/*
 * The inverse of combining: a summary less one it holds (the refresh takes
 * a ticket's old contribution out of its day's row).  What it does not
 * hold, count by count and in business time, is an error, as is business
 * time left without a finished item: no set of items gives either.
 */
Datum
sla_stats_combine_inv(PG_FUNCTION_ARGS)
{
	SlaStats   *st = agg_state(fcinfo, sizeof(SlaStats));
	const SlaStats *other = (SlaStats *) PG_GETARG_POINTER(1);

	for (int i = 0; i < 4; i++)
		if (SLA_COUNT(st, i) < SLA_COUNT(other, i))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot take " INT64_FORMAT " %s items out of an sla_stats holding " INT64_FORMAT,
							SLA_COUNT(other, i), sla_fields[i], SLA_COUNT(st, i)),
					 errdetail("Only a summary of items the first one holds can be taken out of it.")));
	if (st->elapsed < other->elapsed ||
		(st->met + st->late == other->met + other->late && st->elapsed != other->elapsed))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot take the business time of the finished items out of an sla_stats that does not hold it"),
				 errdetail("Only a summary of items the first one holds can be taken out of it.")));
	for (int i = 0; i < 4; i++)
		SLA_COUNT(st, i) -= SLA_COUNT(other, i);
	st->elapsed -= other->elapsed;
	PG_RETURN_POINTER(st);
}

/* ------------------------------------------------------------ accessors */

#define SLA_ARG() ((const SlaStats *) PG_GETARG_POINTER(0))

Datum
sla_stats_met(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SLA_ARG()->met);
}

Datum
sla_stats_late(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SLA_ARG()->late);
}

Datum
sla_stats_overdue(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SLA_ARG()->overdue);
}

Datum
sla_stats_breached(PG_FUNCTION_ARGS)
{
	int64		breached;

	if (pg_add_s64_overflow(SLA_ARG()->late, SLA_ARG()->overdue, &breached))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("breached items of sla_stats out of range for bigint"),
				 errdetail("late " INT64_FORMAT " + overdue " INT64_FORMAT ".",
						   SLA_ARG()->late, SLA_ARG()->overdue)));
	PG_RETURN_INT64(breached);
}

Datum
sla_stats_pending(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(SLA_ARG()->pending);
}

/*
 * Compliance is met / judged, judged = met + breached (pending items are not
 * judged yet): as a share in [0, 1], one rounding, and as the percent the
 * scorecards show; NULL when nothing was judged.
 */
static int128
judged(const SlaStats *st)
{
	return (int128) st->met + st->late + st->overdue;
}

Datum
sla_stats_compliance(PG_FUNCTION_ARGS)
{
	const SlaStats *st = SLA_ARG();

	if (judged(st) == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) st->met / (double) judged(st));
}

Datum
sla_stats_compliance_percent(PG_FUNCTION_ARGS)
{
	const SlaStats *st = SLA_ARG();

	if (judged(st) == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(count_percent(st->met, judged(st)));
}

/* mean business time of finished items, to the microsecond (half away from 0) */
Datum
sla_stats_mean_elapsed(PG_FUNCTION_ARGS)
{
	const SlaStats *st = SLA_ARG();
	int128		n = (int128) st->met + st->late;
	int128		mean;
	Interval   *result;

	if (n == 0)
		PG_RETURN_NULL();
	mean = (st->elapsed * 2 + n) / (2 * n); /* elapsed <= SLA_MAX_ELAPSED: no overflow */
	if (mean > PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("mean business time of sla_stats out of range for interval")));
	result = palloc0(sizeof(Interval));
	result->time = (int64) mean;
	PG_RETURN_INTERVAL_P(result);
}

/*
 * mean_elapsed_hours(stats): the same mean in hours as the scorecards show
 * it, exact and truncated to two decimals (hundredths of an hour are 36 s).
 */
Datum
sla_stats_mean_elapsed_hours(PG_FUNCTION_ARGS)
{
	const SlaStats *st = SLA_ARG();
	int128		n = (int128) st->met + st->late;
	int128		hundredths;

	if (n == 0)
		PG_RETURN_NULL();
	/* at most SLA_MAX_ELAPSED / 36e6 < 2^63 */
	hundredths = st->elapsed / (n * (USECS_PER_HOUR / 100));
	PG_RETURN_NUMERIC(int64_div_fast_to_numeric((int64) hundredths, 2));
}

/*
 * elapsed_seconds(stats): the exact business time of the finished items, in
 * seconds as numeric (the sum mean_elapsed divides, unrounded).
 */
Datum
sla_stats_elapsed_seconds(PG_FUNCTION_ARGS)
{
	const SlaStats *st = SLA_ARG();
	StringInfoData buf;

	initStringInfo(&buf);
	seconds_append(&buf, st->elapsed);
	buf.data[--buf.len] = '\0';	/* the text form's final "s" */
	PG_RETURN_DATUM(DirectFunctionCall3(numeric_in, CStringGetDatum(buf.data),
										ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}
