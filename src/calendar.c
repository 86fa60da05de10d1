/*
 * calendar.c: the type appraisal.business_calendar (text and binary I/O,
 * canonical form), named calendars, and compiling a calendar for business
 * time: the zone's UTC-offset transitions and the two day patterns
 * (working time per day, working days) with the calendar's exceptions.
 *
 * Text form (sections separated by ';'):
 *   Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; Sat 09:00-12:00;
 *   holidays 2026-10-01..2026-10-07, 2027-01-01; workdays 2026-10-10
 * A zone, day schedules (wall-clock times on the local date, [start, end)),
 * then optional holidays (not worked) and make-up workdays (worked with
 * Monday's schedule, or the first scheduled weekday's).  The stored value is
 * canonical, so equal calendars are equal bytes and print alike.
 */
#include "calendar.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "catalog/pg_type_d.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(business_calendar_in);
PG_FUNCTION_INFO_V1(business_calendar_out);
PG_FUNCTION_INFO_V1(business_calendar_recv);
PG_FUNCTION_INFO_V1(business_calendar_send);
PG_FUNCTION_INFO_V1(business_calendar_named);
PG_FUNCTION_INFO_V1(business_calendar_eq);
PG_FUNCTION_INFO_V1(local_day);

static const char *const day_names[CAL_DAYS] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};

static const NamedConfig calendar_config = {
	"business_calendars", "calendar", "business calendar", -1, "business_calendar"
};

/* --------------------------------------------------------------- parsing */

/* intervals a day may list before touching ones are merged */
#define CAL_RAW_INTERVALS 64

/* A calendar as read, before it is made canonical. */
typedef struct CalParts
{
	const char *input;			/* the whole text, for messages */
	pg_tz	   *tz;
	bool		seen[CAL_DAYS];
	int			nintervals[CAL_DAYS];
	int16		minute[CAL_DAYS][CAL_RAW_INTERVALS][2];	/* as written, before merging */
	int			nholidays,
				maxholidays;
	int32	   *holiday;		/* first, last pairs */
	int			nworkdays,
				maxworkdays;
	int32	   *workday;
} CalParts;

static const TextForm calendar_form = {
	.type = "business_calendar",
	.example = "Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 2026-10-01..2026-10-07; workdays 2026-10-10",
	.part_ends = " ,;",
	.any_case = true
};

/* A day name (Mon..Sun, any case): its index. */
static int
parse_day(FormInput *in, const char *expected)
{
	for (int d = 0; d < CAL_DAYS; d++)
		if (form_accept(in, day_names[d]))
			return d;
	form_syntax_error(in, in->p, expected);
}

/* HH:MM (hours 0-24, 24 only as 24:00): minutes since midnight. */
static int
parse_time(FormInput *in)
{
	const char *s = form_skip(in);
	const char *p = s;
	int			hour = 0,
				minute;

	if (!isdigit((unsigned char) *p))
		form_syntax_error(in, s, "a time HH:MM");
	hour = *p++ - '0';
	if (isdigit((unsigned char) *p))
		hour = hour * 10 + (*p++ - '0');
	if (*p != ':' || !isdigit((unsigned char) p[1]) || !isdigit((unsigned char) p[2]) ||
		isdigit((unsigned char) p[3]))
		form_syntax_error(in, s, "a time HH:MM");
	minute = (p[1] - '0') * 10 + (p[2] - '0');
	if (hour > 24 || minute > 59 || (hour == 24 && minute != 0))
		form_syntax_error(in, s, "a time from 00:00 to 24:00");
	in->p = p + 3;
	return hour * 60 + minute;
}

/* YYYY-MM-DD within CAL_MIN_DATE..CAL_MAX_DATE: a DateADT. */
static int32
parse_date(FormInput *in)
{
	const char *s = form_skip(in);
	int			year,
				month,
				day;
	int32		date;

	for (int i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char) s[i]))
			form_syntax_error(in, s, "a date YYYY-MM-DD");
	if (isdigit((unsigned char) s[10]))
		form_syntax_error(in, s, "a date YYYY-MM-DD");
	year = atoi(s);
	month = atoi(s + 5);
	day = atoi(s + 8);
	if (month < 1 || month > 12 || day < 1 ||
		day > day_tab[isleap(year)][month - 1])
		form_syntax_error(in, s, "a date that exists");
	date = date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
	if (date < CAL_MIN_DATE || date > CAL_MAX_DATE)
		form_error(in, s, ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
				   "a date from 1900-01-01 to 2199-12-31");
	in->p = s + 10;
	return date;
}

/* Whether another day of the list follows: a ",", then a day rather than a time. */
static bool
another_day(FormInput *in)
{
	const char *before = in->p;

	if (form_accept(in, ",") && !isdigit((unsigned char) *form_skip(in)))
		return true;
	in->p = before;
	return false;
}

/* "Mon-Fri 09:00-12:00,13:00-18:00"; returns what may follow */
static const char *
parse_schedule(CalParts *cp, FormInput *in)
{
	bool		days[CAL_DAYS] = {false};
	const char *expected = "a day schedule (Mon to Sun), \"holidays\" or \"workdays\"";

	do
	{
		const char *at = form_skip(in);
		int			first = parse_day(in, expected),
					last = first;

		expected = "a day Mon to Sun";
		if (form_accept(in, "-"))
		{
			last = parse_day(in, "a day Mon to Sun");
			if (last < first)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid business calendar: day range \"%s-%s\" does not run from Monday towards Sunday",
								day_names[first], day_names[last]),
						 errdetail("In calendar \"%s\".", cp->input),
						 errhint("Write a range that wraps as a list, e.g. \"Sat,Sun\".")));
		}
		for (int d = first; d <= last; d++)
		{
			if (cp->seen[d] || days[d])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid business calendar: %s is scheduled twice (at \"%s\")",
								day_names[d], pnstrdup(at, in->p - at)),
						 errdetail("In calendar \"%s\".", cp->input),
						 errhint("List all of a day's intervals in one section, e.g. \"Mon 09:00-12:00,13:00-18:00\".")));
			days[d] = true;
		}
	} while (another_day(in));

	/* intervals, shared by all those days */
	do
	{
		const char *at = form_skip(in);
		int			start = parse_time(in),
					end;

		form_expect(in, "-", "\"-\" and an end time");
		end = parse_time(in);
		if (start >= end)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid business calendar: interval \"%s\" does not end after it starts",
							pnstrdup(at, in->p - at)),
					 errdetail("In calendar \"%s\".", cp->input),
					 errhint("An interval cannot cross midnight: write \"22:00-24:00\" on one day and \"00:00-06:00\" on the next.")));
		for (int d = 0; d < CAL_DAYS; d++)
		{
			if (!days[d])
				continue;
			if (cp->nintervals[d] == CAL_RAW_INTERVALS)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("invalid business calendar: more than %d intervals written for %s",
								CAL_RAW_INTERVALS, day_names[d]),
						 errdetail("In calendar \"%s\".", cp->input)));
			cp->minute[d][cp->nintervals[d]][0] = start;
			cp->minute[d][cp->nintervals[d]][1] = end;
			cp->nintervals[d]++;
		}
	} while (form_accept(in, ","));
	for (int d = 0; d < CAL_DAYS; d++)
		cp->seen[d] |= days[d];
	return "\",\", \";\" or the end";
}

/* "2026-10-01..2026-10-07, 2027-01-01" after the keyword; returns what may follow */
static const char *
parse_dates(CalParts *cp, FormInput *in, bool holidays)
{
	do
	{
		const char *at = form_skip(in);
		int32		first = parse_date(in),
					last = first;

		if (holidays && form_accept(in, ".."))
		{
			last = parse_date(in);
			if (last < first)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid business calendar: holiday range \"%s\" ends before it starts",
								pnstrdup(at, in->p - at)),
						 errdetail("In calendar \"%s\".", cp->input)));
		}
		if (holidays)
		{
			if (cp->nholidays == cp->maxholidays)
			{
				cp->maxholidays *= 2;
				cp->holiday = repalloc(cp->holiday, sizeof(int32) * 2 * cp->maxholidays);
			}
			cp->holiday[2 * cp->nholidays] = first;
			cp->holiday[2 * cp->nholidays + 1] = last;
			cp->nholidays++;
		}
		else
		{
			if (cp->nworkdays == cp->maxworkdays)
			{
				cp->maxworkdays *= 2;
				cp->workday = repalloc(cp->workday, sizeof(int32) * cp->maxworkdays);
			}
			cp->workday[cp->nworkdays++] = first;
		}
	} while (form_accept(in, ","));
	return holidays ? "\"..\", \",\", \";\" or the end" :
		"\",\", \";\" or the end (workdays are single dates)";
}

/* The zone: the first section, white space around it left out. */
static void
parse_zone(CalParts *cp, FormInput *in)
{
	const char *s = form_skip(in);
	int			len = strcspn(s, ";");
	char	   *name;

	while (len > 0 && form_is_space(s[len - 1]))
		len--;
	if (len == 0)
		form_syntax_error(in, s, "a time zone such as Asia/Shanghai");
	name = pnstrdup(s, len);
	in->p = s + len;
	/* "localtime" would make the value depend on the server's configuration */
	cp->tz = len < TZ_STRLEN_MAX && pg_strcasecmp(name, "localtime") != 0 ?
		pg_tzset(name) : NULL;
	if (cp->tz == NULL || !pg_tz_acceptable(cp->tz))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid business calendar: unknown time zone \"%s\"", name),
				 errdetail("In calendar \"%s\".", cp->input),
				 errhint("Use an IANA zone name such as Asia/Shanghai or UTC (see pg_timezone_names).")));
}

static int
cmp_int32(const void *a, const void *b)
{
	int32		x = *(const int32 *) a,
				y = *(const int32 *) b;

	return (x > y) - (x < y);
}

static int
cmp_interval(const void *a, const void *b)
{
	return (int) ((const int16 *) a)[0] - ((const int16 *) b)[0];
}

static void
date_append(StringInfo buf, int32 date)
{
	int			y,
				m,
				d;

	j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	appendStringInfo(buf, "%04d-%02d-%02d", y, m, d);
}

static void
interval_append(StringInfo buf, const int16 *iv)
{
	appendStringInfo(buf, "%02d:%02d-%02d:%02d",
					 iv[0] / 60, iv[0] % 60, iv[1] / 60, iv[1] % 60);
}

/* Sort, check and merge what was read; build the stored value. */
static BusinessCalendar *
calendar_build(CalParts *cp)
{
	const char *zone = pg_get_timezone_name(cp->tz);
	int			zone_len = strlen(zone);
	int			nh = 0,
				nw = 0,
				scheduled = 0;
	BusinessCalendar *cal;
	Size		size;

	for (int d = 0; d < CAL_DAYS; d++)
	{
		int16		(*iv)[2] = cp->minute[d];
		int			n = 0;

		qsort(iv, cp->nintervals[d], sizeof(iv[0]), cmp_interval);
		for (int i = 0; i < cp->nintervals[d]; i++)
		{
			if (n > 0 && iv[i][0] < iv[n - 1][1])
			{
				StringInfoData a;

				initStringInfo(&a);
				interval_append(&a, iv[n - 1]);
				appendStringInfoString(&a, "\" and \"");
				interval_append(&a, iv[i]);
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid business calendar: intervals \"%s\" overlap on %s",
								a.data, day_names[d]),
						 errdetail("In calendar \"%s\".", cp->input)));
			}
			if (n > 0 && iv[i][0] == iv[n - 1][1])
				iv[n - 1][1] = iv[i][1];	/* touching: one stretch */
			else
			{
				iv[n][0] = iv[i][0];
				iv[n][1] = iv[i][1];
				n++;
			}
		}
		if (n > CAL_MAX_INTERVALS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("invalid business calendar: more than %d intervals on %s",
							CAL_MAX_INTERVALS, day_names[d]),
					 errdetail("In calendar \"%s\".", cp->input)));
		cp->nintervals[d] = n;
		scheduled += n;
	}
	if (scheduled == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid business calendar: no day has working time"),
				 errdetail("In calendar \"%s\".", cp->input),
				 errhint("Add a day schedule such as \"Mon-Fri 09:00-18:00\".")));

	/* holidays: sorted by first date, overlapping or adjacent ranges merged */
	qsort(cp->holiday, cp->nholidays, 2 * sizeof(int32), cmp_int32);
	for (int i = 0; i < cp->nholidays; i++)
	{
		int32		first = cp->holiday[2 * i],
					last = cp->holiday[2 * i + 1];

		if (nh > 0 && first <= cp->holiday[2 * nh - 1] + 1)
			cp->holiday[2 * nh - 1] = Max(cp->holiday[2 * nh - 1], last);
		else
		{
			cp->holiday[2 * nh] = first;
			cp->holiday[2 * nh + 1] = last;
			nh++;
		}
	}
	/* workdays: sorted, distinct, never holidays */
	qsort(cp->workday, cp->nworkdays, sizeof(int32), cmp_int32);
	for (int i = 0, h = 0; i < cp->nworkdays; i++)
	{
		int32		w = cp->workday[i];

		if (nw > 0 && cp->workday[nw - 1] == w)
			continue;
		while (h < nh && cp->holiday[2 * h + 1] < w)
			h++;
		if (h < nh && cp->holiday[2 * h] <= w)
		{
			StringInfoData a;

			initStringInfo(&a);
			date_append(&a, w);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid business calendar: %s is both a holiday and a workday", a.data),
					 errdetail("In calendar \"%s\".", cp->input)));
		}
		cp->workday[nw++] = w;
	}

	size = sizeof(BusinessCalendar) + sizeof(int32) * (2 * nh + nw) + zone_len;
	cal = palloc0(size);
	SET_VARSIZE(cal, size);
	for (int d = 0; d < CAL_DAYS; d++)
	{
		cal->nintervals[d] = cp->nintervals[d];
		memcpy(cal->minute[d], cp->minute[d], sizeof(int16) * 2 * cp->nintervals[d]);
	}
	cal->zone_len = zone_len;
	cal->nholidays = nh;
	cal->nworkdays = nw;
	memcpy(CAL_HOLIDAYS(cal), cp->holiday, sizeof(int32) * 2 * nh);
	memcpy(CAL_WORKDAYS(cal), cp->workday, sizeof(int32) * nw);
	memcpy(CAL_ZONE(cal), zone, zone_len);
	return cal;
}

/*
 * "zone; section; section ...", each section holidays, workdays or a day
 * schedule.
 */
static BusinessCalendar *
calendar_parse(const char *input)
{
	CalParts	cp;
	FormInput	in;
	const char *follows = "\";\" or the end";

	memset(&cp, 0, sizeof(cp));
	cp.input = input;
	cp.maxholidays = cp.maxworkdays = 8;
	cp.holiday = palloc(sizeof(int32) * 2 * cp.maxholidays);
	cp.workday = palloc(sizeof(int32) * cp.maxworkdays);

	form_start(&in, &calendar_form, input);
	parse_zone(&cp, &in);
	while (form_accept(&in, ";"))
	{
		if (form_accept(&in, "holidays"))
			follows = parse_dates(&cp, &in, true);
		else if (form_accept(&in, "workdays"))
			follows = parse_dates(&cp, &in, false);
		else
			follows = parse_schedule(&cp, &in);
	}
	form_end(&in, follows);
	return calendar_build(&cp);
}

/* -------------------------------------------------------------- printing */

static char *
calendar_print(const BusinessCalendar *cal)
{
	StringInfoData buf;
	bool		printed[CAL_DAYS] = {false};
	const int32 *holiday = CAL_HOLIDAYS(cal);
	const int32 *workday = CAL_WORKDAYS(cal);

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, CAL_ZONE(cal), cal->zone_len);

	/* days with the same schedule together, runs of days as ranges */
	for (int d = 0; d < CAL_DAYS; d++)
	{
		bool		same[CAL_DAYS] = {false};
		int			n = cal->nintervals[d];
		bool		first = true;

		if (printed[d] || n == 0)
			continue;
		for (int e = d; e < CAL_DAYS; e++)
			if (cal->nintervals[e] == n &&
				memcmp(cal->minute[e], cal->minute[d], sizeof(int16) * 2 * n) == 0)
				same[e] = printed[e] = true;
		appendStringInfoString(&buf, "; ");
		for (int e = d; e < CAL_DAYS; e++)
		{
			int			run = e;

			if (!same[e])
				continue;
			while (run + 1 < CAL_DAYS && same[run + 1])
				run++;
			appendStringInfo(&buf, "%s%s", first ? "" : ",", day_names[e]);
			if (run > e)
				appendStringInfo(&buf, "-%s", day_names[run]);
			first = false;
			e = run;
		}
		for (int i = 0; i < n; i++)
		{
			appendStringInfoChar(&buf, i == 0 ? ' ' : ',');
			interval_append(&buf, cal->minute[d][i]);
		}
	}
	for (int i = 0; i < cal->nholidays; i++)
	{
		appendStringInfoString(&buf, i == 0 ? "; holidays " : ", ");
		date_append(&buf, holiday[2 * i]);
		if (holiday[2 * i + 1] != holiday[2 * i])
		{
			appendStringInfoString(&buf, "..");
			date_append(&buf, holiday[2 * i + 1]);
		}
	}
	for (int i = 0; i < cal->nworkdays; i++)
	{
		appendStringInfoString(&buf, i == 0 ? "; workdays " : ", ");
		date_append(&buf, workday[i]);
	}
	return buf.data;
}

Datum
business_calendar_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(calendar_parse(PG_GETARG_CSTRING(0)));
}

Datum
business_calendar_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(calendar_print((BusinessCalendar *) PG_GETARG_VARLENA_P(0)));
}

/*
 * The binary form is the canonical text: the receiving node parses (and so
 * validates) it exactly as text input, and no node depends on another's
 * struct layout.
 */
Datum
business_calendar_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes;

	PG_RETURN_POINTER(calendar_parse(pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes)));
}

Datum
business_calendar_send(PG_FUNCTION_ARGS)
{
	char	   *text = calendar_print((BusinessCalendar *) PG_GETARG_VARLENA_P(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendtext(&buf, text, strlen(text));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* appraisal.calendar(name): the named calendar's value */
Datum
business_calendar_named(PG_FUNCTION_ARGS)
{
	NamedCache *cache = call_cache(fcinfo, sizeof(NamedCache));
	Pointer		value = named_config(cache, fcinfo->flinfo->fn_mcxt,
									 &calendar_config, PG_GETARG_TEXT_PP(0));
	Size		size = VARSIZE(value);
	Pointer		result = palloc(size);

	memcpy(result, value, size);
	PG_RETURN_POINTER(result);
}

/* ------------------------------------------------------------- compiling */

/*
 * Transitions of a zone are read once per backend (tzdata does not change
 * under a running server) for instants from 1899-12-31 to 2200-01-02, the
 * span of local dates a calendar covers, and kept: there is one table per
 * zone the backend has used, and there are only so many zones.
 */
static ZoneTable **zone_tables;
static int	nzone_tables,
			maxzone_tables;

/* seconds from the Unix epoch of PostgreSQL's epoch, 2000-01-01 */
#define PG_UNIX_OFFSET ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

static const ZoneTable *
zone_table(pg_tz *tz)
{
	ZoneTable  *zt;
	pg_time_t	t = (pg_time_t) (CAL_MIN_DATE - 1) * SECS_PER_DAY + PG_UNIX_OFFSET;
	pg_time_t	limit = (pg_time_t) (CAL_MAX_DATE + 2) * SECS_PER_DAY + PG_UNIX_OFFSET;
	long		before,
				after;
	int			before_dst,
				after_dst,
				max = 64,
				r;
	pg_time_t	boundary;
	int64		current;

	for (int i = 0; i < nzone_tables; i++)
		if (zone_tables[i]->tz == tz)
			return zone_tables[i];

	zt = MemoryContextAllocZero(TopMemoryContext, sizeof(ZoneTable));
	zt->tz = tz;
	zt->at = MemoryContextAlloc(TopMemoryContext, sizeof(TimestampTz) * max);
	zt->offset = MemoryContextAlloc(TopMemoryContext, sizeof(int64) * (max + 1));
	r = pg_next_dst_boundary(&t, &before, &before_dst, &boundary, &after, &after_dst, tz);
	if (r < 0)
		elog(ERROR, "could not read the transitions of time zone \"%s\"",
			 pg_get_timezone_name(tz));
	current = zt->offset[0] = (int64) before * USECS_PER_SEC;
	while (r == 1 && boundary < limit && boundary > t)
	{
		if ((int64) after * USECS_PER_SEC != current)
		{
			if (zt->n == max)
			{
				max *= 2;
				zt->at = repalloc(zt->at, sizeof(TimestampTz) * max);
				zt->offset = repalloc(zt->offset, sizeof(int64) * (max + 1));
			}
			zt->at[zt->n] = (TimestampTz) (boundary - PG_UNIX_OFFSET) * USECS_PER_SEC;
			current = zt->offset[++zt->n] = (int64) after * USECS_PER_SEC;
		}
		t = boundary;
		r = pg_next_dst_boundary(&t, &before, &before_dst, &boundary, &after, &after_dst, tz);
	}
	if (r < 0)
		elog(ERROR, "could not read the transitions of time zone \"%s\"",
			 pg_get_timezone_name(tz));
	zt->wall = MemoryContextAlloc(TopMemoryContext, sizeof(int64) * Max(zt->n, 1));
	for (int i = 0; i < zt->n; i++)
		zt->wall[i] = zt->at[i] + zt->offset[i + 1];

	if (nzone_tables == maxzone_tables)
	{
		maxzone_tables = Max(16, 2 * maxzone_tables);
		zone_tables = zone_tables == NULL ?
			MemoryContextAlloc(TopMemoryContext, sizeof(ZoneTable *) * maxzone_tables) :
			repalloc(zone_tables, sizeof(ZoneTable *) * maxzone_tables);
	}
	zone_tables[nzone_tables++] = zt;
	return zt;
}

/*
 * local_day(instant, zone): (instant AT TIME ZONE zone)::date, read from
 * the zone's transition table (kept per call site in fn_extra with the
 * zone's name and the last transition used) instead of looking the name up
 * and converting through a broken-down time for every row: the daily
 * summaries group millions of tickets by it.  An abbreviation, an instant
 * outside the table's range, or infinity go the built-in way.
 */
typedef struct LocalDayCache
{
	int			len;			/* the zone's name, as given */
	char		name[TZ_STRLEN_MAX + 1];
	const ZoneTable *zone;		/* NULL: read it the built-in way */
	int			period;			/* transitions at or before the last instant */
} LocalDayCache;

Datum
local_day(PG_FUNCTION_ARGS)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(0);
	text	   *zone = PG_GETARG_TEXT_PP(1);
	int			len = VARSIZE_ANY_EXHDR(zone);
	LocalDayCache *c = (LocalDayCache *) call_cache(fcinfo, sizeof(LocalDayCache));
	const ZoneTable *z;
	int64		wall,
				tod;

	if (c->len != len || memcmp(c->name, VARDATA_ANY(zone), len) != 0 || len == 0)
	{
		pg_tz	   *tz = NULL;

		c->len = 0;
		c->zone = NULL;
		c->period = 0;
		if (len > 0 && len <= TZ_STRLEN_MAX)
		{
			memcpy(c->name, VARDATA_ANY(zone), len);
			c->name[len] = '\0';
			if (strlen(c->name) == (size_t) len)	/* no NUL inside */
				tz = full_zone_name(c->name);
			c->len = len;
		}
		if (tz != NULL)
			c->zone = zone_table(tz);
	}
	z = c->zone;
	if (z == NULL || t < MIN_INSTANT || t >= MAX_INSTANT)
		return DirectFunctionCall1(timestamp_date,
								   DirectFunctionCall2(timestamptz_zone, PointerGetDatum(zone),
													   TimestampTzGetDatum(t)));
	wall = t + z->offset[zone_table_period(z, t, &c->period)];
	PG_RETURN_DATEADT((DateADT) floor_div_day(wall, &tod));
}

static void
pattern_init(const CompiledCalendar *cc, DayPattern *p, MemoryContext mcxt)
{
	p->cum[0] = 0;
	for (int d = 0; d < CAL_DAYS; d++)
		p->cum[d + 1] = p->cum[d] + p->value[d];
	p->before = MemoryContextAlloc(mcxt, sizeof(int64) * (cc->nexc + 1));
	p->first_sum = MemoryContextAlloc(mcxt, sizeof(int64) * (cc->nexc + 1));
	p->end_sum = MemoryContextAlloc(mcxt, sizeof(int64) * (cc->nexc + 1));
	p->before[0] = 0;
	for (int i = 0; i < cc->nexc; i++)
	{
		/* a holiday range takes away its weekly values, a workday changes one */
		int64		delta = cc->exc_holiday[i] ?
			-(pattern_base(p, cc->exc_last[i] + 1) - pattern_base(p, cc->exc_first[i])) :
			p->value[cc->workday_template] - p->value[weekday(cc->exc_first[i])];

		p->before[i + 1] = p->before[i] + delta;
		p->first_sum[i] = pattern_base(p, cc->exc_first[i]) + p->before[i];
		p->end_sum[i] = pattern_base(p, cc->exc_last[i] + 1) + p->before[i + 1];
	}
}

/* The schedules' intervals in µs (CompiledCalendar.schedule). */
static void
schedule_init(CompiledCalendar *cc)
{
	const BusinessCalendar *cal = cc->cal;

	cc->schedule[0].n = 0;
	for (int d = 0; d < CAL_DAYS; d++)
	{
		ScheduleIntervals *si = &cc->schedule[d + 1];

		si->n = cal->nintervals[d];
		for (int i = 0; i < si->n; i++)
		{
			si->iv[i].start = cal->minute[d][i][0] * USECS_PER_MINUTE;
			si->iv[i].length = (cal->minute[d][i][1] - cal->minute[d][i][0]) * USECS_PER_MINUTE;
		}
	}
}

static CompiledCalendar *
calendar_compile(const BusinessCalendar *cal, MemoryContext mcxt)
{
	CompiledCalendar *cc = MemoryContextAllocZero(mcxt, sizeof(CompiledCalendar));

	const int32 *holiday = CAL_HOLIDAYS(cal);
	const int32 *workday = CAL_WORKDAYS(cal);
	char		zone[TZ_STRLEN_MAX + 1];
	pg_tz	   *tz;
	int			h = 0,
				w = 0;

	cc->mcxt = mcxt;
	cc->cal = MemoryContextAlloc(mcxt, VARSIZE(cal));
	memcpy(cc->cal, cal, VARSIZE(cal));

	memcpy(zone, CAL_ZONE(cal), Min(cal->zone_len, TZ_STRLEN_MAX));
	zone[Min(cal->zone_len, TZ_STRLEN_MAX)] = '\0';
	tz = pg_tzset(zone);
	if (tz == NULL)				/* tzdata changed since the value was stored */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" of a business calendar is not known to this server", zone)));
	cc->zone = zone_table(tz);

	cc->workday_template = -1;
	for (int d = 0; d < CAL_DAYS && cc->workday_template < 0; d++)
		if (cal->nintervals[d] > 0)
			cc->workday_template = d;

	/* exceptions: holidays and workdays merged by date (they never overlap) */
	cc->nexc = cal->nholidays + cal->nworkdays;
	cc->exc_first = MemoryContextAlloc(mcxt, sizeof(int32) * (cc->nexc + 1));
	cc->exc_last = MemoryContextAlloc(mcxt, sizeof(int32) * (cc->nexc + 1));
	cc->exc_holiday = MemoryContextAlloc(mcxt, sizeof(bool) * (cc->nexc + 1));
	for (int i = 0; i < cc->nexc; i++)
	{
		bool		take_holiday = w == cal->nworkdays ||
			(h < cal->nholidays && holiday[2 * h] < workday[w]);

		cc->exc_holiday[i] = take_holiday;
		if (take_holiday)
		{
			cc->exc_first[i] = holiday[2 * h];
			cc->exc_last[i] = holiday[2 * h + 1];
			h++;
		}
		else
			cc->exc_first[i] = cc->exc_last[i] = workday[w++];
	}

	cc->always = cc->nexc == 0;
	for (int d = 0; d < CAL_DAYS; d++)
	{
		int64		len = 0;

		for (int i = 0; i < cal->nintervals[d]; i++)
			len += (int64) (cal->minute[d][i][1] - cal->minute[d][i][0]) * USECS_PER_MINUTE;
		cc->time.value[d] = len;
		cc->days.value[d] = len > 0;
		cc->always &= len == USECS_PER_DAY;
		/* (make-up workdays take a weekday's schedule: one of these) */
		if (len > 0)
			cc->uniform_day = cc->uniform_day == 0 || cc->uniform_day == len ? len : -1;
	}
	cc->uniform_day = Max(cc->uniform_day, 0);
	for (int i = 0; i < cal->nholidays; i++)
		cc->holiday_dates += holiday[2 * i + 1] - holiday[2 * i] + 1;
	pattern_init(cc, &cc->time, mcxt);
	pattern_init(cc, &cc->days, mcxt);
	schedule_init(cc);
	cc->memo = MemoryContextAllocZero(mcxt, sizeof(CalendarMemo));
	return cc;
}

/* The calendar of functions called without one: every instant works. */
static const BusinessCalendar *
always_calendar(void)
{
	static BusinessCalendar *always = NULL;

	if (always == NULL)
	{
		BusinessCalendar *cal = calendar_parse("UTC; Mon-Sun 00:00-24:00");

		always = MemoryContextAlloc(TopMemoryContext, VARSIZE(cal));
		memcpy(always, cal, VARSIZE(cal));
	}
	return always;
}

/*
 * Whether a compiled calendar is that of cal, a value as the argument
 * holds it (a short header too: no copy is made per row to compare it).
 */
static inline bool
same_calendar(const CompiledCalendar *compiled, const struct varlena *cal)
{
	return VARSIZE(compiled->cal) - VARHDRSZ == VARSIZE_ANY_EXHDR(cal) &&
		memcmp(VARDATA(compiled->cal), VARDATA_ANY(cal), VARSIZE_ANY_EXHDR(cal)) == 0;
}

/*
 * The first KEPT_CALENDARS calendars a backend compiles it keeps until it
 * exits, found by their bytes: a call site that lives for one row (Citus's
 * worker_partial_agg, which partially aggregates sla_agg on the workers,
 * makes a new one for every row) then finds its calendar compiled instead
 * of compiling it again, and so does every later query.  A kept calendar
 * is never freed or replaced (call sites may hold it); the calendars after
 * those are compiled per call site.  The value is the whole configuration
 * (and the zone's transitions never change in a backend), so a kept
 * calendar cannot go stale; its day table and memo are caches kept
 * consistent at every step.  At most KEPT_CALENDARS × 45 kB per backend.
 */
#define KEPT_CALENDARS 8
static CompiledCalendar *kept_calendars[KEPT_CALENDARS];
static int	nkept_calendars;

static CompiledCalendar *
kept_calendar(const struct varlena *cal)
{
	for (int i = 0; i < nkept_calendars; i++)
		if (same_calendar(kept_calendars[i], cal))
			return kept_calendars[i];
	return NULL;
}

static void
keep_calendar(CompiledCalendar *compiled)
{
	if (nkept_calendars == KEPT_CALENDARS)
		return;
	MemoryContextSetParent(compiled->mcxt, TopMemoryContext);
	compiled->kept = true;
	kept_calendars[nkept_calendars++] = compiled;
}

static const CompiledCalendar *
remember_named(CalendarSite *site, const struct varlena *cal,
			   const CompiledCalendar *compiled)
{
	site->last_named = cal;
	site->last_loads = site->names.loads;
	site->last_compiled = compiled;
	return compiled;
}

const CompiledCalendar *
calendar_of_value(const struct varlena *cal, MemoryContext mcxt)
{
	CompiledCalendar *compiled = kept_calendar(cal);

	if (compiled == NULL)
	{
		compiled = calendar_compile((const BusinessCalendar *)
									pg_detoast_datum(unconstify(struct varlena *, cal)),
									AllocSetContextCreate(mcxt, "business calendar", ALLOCSET_SMALL_SIZES));
		keep_calendar(compiled);
	}
	return compiled;
}

const CompiledCalendar *
calendar_lookup(FunctionCallInfo fcinfo, CalendarSite *site, int argno)
{
	const struct varlena *cal;
	CompiledCalendar *compiled;
	int			slot;

	if (argno >= PG_NARGS())
		cal = (const struct varlena *) always_calendar();
	else
	{
		if (PG_ARGISNULL(argno))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the business calendar must not be NULL")));
		if (unlikely(!site->checked))
			site->argtype = arg_type(fcinfo, argno);
		if (site->argtype == TEXTOID)
		{
			/*
			 * a constant name, read under this snapshot: what it gave last
			 * row (an aggregate's call site never outlives its executor
			 * run, so the snapshot is the one it was read under; another
			 * call site, a PL/pgSQL expression's, may live through the
			 * transaction)
			 */
			if (site->constant_name && site->names.loads == site->last_loads &&
				(site->one_run || named_cache_current(&site->names)))
				return site->last_compiled;
			cal = (const struct varlena *)
				named_config(&site->names, fcinfo->flinfo->fn_mcxt, &calendar_config,
							 PG_GETARG_TEXT_PP(argno));
			/* the same cached value as last row: nothing was read or freed since */
			if (cal == site->last_named && site->names.loads == site->last_loads)
				return site->last_compiled;
		}
		else
			cal = PG_GETARG_VARLENA_PP(argno);	/* compared as it is */
	}

	/*
	 * The per-row path for a calendar that varies by row: a calendar seen
	 * before, compared by bytes.  A constant one (or the default) is
	 * compiled once and returned above without looking at the argument.
	 * (A name is constant only for the query: the call site of a PL/pgSQL
	 * expression lives through the transaction, and a later command may
	 * see the named row changed.)
	 */
	for (int i = 0; i < site->n; i++)
		if (same_calendar(site->compiled[i], cal))
			return remember_named(site, cal, site->compiled[i]);

	/*
	 * A calendar the backend keeps, else compiled now.  Each compiled
	 * calendar has its own memory, freed when the site replaces it unless
	 * the backend keeps it; the caches change only once compiling has
	 * succeeded.
	 */
	compiled = unconstify(CompiledCalendar *, calendar_of_value(cal, fcinfo->flinfo->fn_mcxt));
	if (site->n < COMPILED_CACHE_SIZE)
		slot = site->n++;
	else
	{
		slot = site->next;
		site->next = (site->next + 1) % COMPILED_CACHE_SIZE;
		if (!site->compiled[slot]->kept)
			MemoryContextDelete(site->compiled[slot]->mcxt);
	}
	site->compiled[slot] = compiled;
	if (unlikely(!site->checked))
	{
		site->checked = true;
		if (argno >= PG_NARGS() ||
			(site->argtype != TEXTOID && arg_is_const(fcinfo, argno)))
			site->constant = site->compiled[slot];
		else if (site->argtype == TEXTOID && arg_is_const(fcinfo, argno))
		{
			site->constant_name = true;
			site->one_run = AggCheckCallContext(fcinfo, NULL) != 0;
		}
	}
	return remember_named(site, cal, site->compiled[slot]);
}

/* Canonical values: equal calendars are equal bytes. */
Datum
business_calendar_eq(PG_FUNCTION_ARGS)
{
	const BusinessCalendar *a = (BusinessCalendar *) PG_GETARG_VARLENA_P(0);
	const BusinessCalendar *b = (BusinessCalendar *) PG_GETARG_VARLENA_P(1);

	PG_RETURN_BOOL(VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0);
}
