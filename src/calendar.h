/*
 * calendar.h: business calendars (type appraisal.business_calendar) and
 * business-time arithmetic on them.  calendar.c reads, prints and compiles
 * calendars; business_time.c measures working time and due times with them;
 * sla.c classifies tickets.  See ARCHITECTURE.md, "Business time".
 */
#ifndef APPRAISAL_CALENDAR_H
#define APPRAISAL_CALENDAR_H

#include "appraisal.h"

#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/multirangetypes.h"
#include "utils/typcache.h"

/* intervals per day schedule, after touching ones are merged */
#define CAL_MAX_INTERVALS 12

/* Schedules are 7 weekdays, Monday first. */
#define CAL_DAYS 7

/*
 * The stored value: a varlena, always canonical (intervals sorted and
 * merged, holidays sorted, merged and disjoint, workdays sorted and
 * distinct), so equal calendars have equal bytes.  Layout after the header:
 * int32 holiday[2 * nholidays] (first, last DateADT), int32
 * workday[nworkdays], then the zone name (zone_len bytes, no NUL).
 */
typedef struct BusinessCalendar
{
	int32		vl_len_;
	int16		nintervals[CAL_DAYS];
	int16		zone_len;
	int32		nholidays;
	int32		nworkdays;
	int16		minute[CAL_DAYS][CAL_MAX_INTERVALS][2]; /* [start, end) minutes */
} BusinessCalendar;

#define CAL_HOLIDAYS(c)	((int32 *) ((char *) (c) + sizeof(BusinessCalendar)))
#define CAL_WORKDAYS(c)	(CAL_HOLIDAYS(c) + 2 * (c)->nholidays)
#define CAL_ZONE(c)		((char *) (CAL_WORKDAYS(c) + (c)->nworkdays))

/*
 * A function over local dates that repeats weekly except on exception
 * dates (holidays, make-up workdays): working microseconds per day, or
 * working days (1 or 0) per day.  F(d), the sum over dates before d counted
 * from a fixed Monday, and its inverse are O(log exceptions).
 */
typedef struct DayPattern
{
	int64		value[CAL_DAYS];	/* per weekday, Monday first */
	int64		cum[CAL_DAYS + 1];	/* cum[k] = value[0] + ... + value[k-1] */
	int64	   *before;			/* per exception i: the changes made by 0..i-1 */
	int64	   *first_sum;		/* F(first date of exception i) */
	int64	   *end_sum;		/* F(last date of exception i + 1) */
} DayPattern;

/*
 * What business time needs of one local date, kept in a small direct-mapped
 * cache of each compiled calendar: tickets of one period share their dates,
 * so most rows find their days without a binary search.
 */
typedef struct DayInfo
{
	int32		date;			/* the date; PG_INT32_MIN: an empty slot */
	int32		schedule;		/* weekday whose schedule applies, -1 on a holiday */
	int64		time_before;	/* F of the working-time pattern at date */
	int64		days_before;	/* F of the working-days pattern at date */
	int32		nth;			/* a number of working days N (0: none yet) ... */
	int32		nth_date;		/* ... and the N-th working day after date */
} DayInfo;

#define DAY_CACHE_SIZE 1024		/* a power of two */

/*
 * The last answers of a compiled calendar, for the next row: consecutive
 * rows mostly fall in the same UTC-offset period, and one row asks for the
 * working time at its start twice (for its target and its elapsed time).
 */
typedef struct CalendarMemo
{
	int			zone_period;	/* the period of the last instant looked up */
	int64		wall;			/* the last wall-clock time asked (PG_INT64_MIN: none) ... */
	int64		working;		/* ... its working time L(wall) ... */
	bool		inside;			/* ... and whether it is working time itself */
} CalendarMemo;

/* UTC offset changes of a zone (transitions), shared by calendars in it. */
typedef struct ZoneTable
{
	pg_tz	   *tz;
	int			n;				/* transitions */
	TimestampTz *at;			/* at[i]: instant of transition i */
	int64	   *offset;			/* offset[0] before at[0], offset[i+1] from at[i] (µs east) */
	int64	   *wall;			/* wall[i] = at[i] + offset[i+1]: first wall time after it */
} ZoneTable;

/* A compiled calendar: everything business time needs, built once per call site. */
typedef struct CompiledCalendar
{
	MemoryContext mcxt;			/* holds this and what it points to */
	BusinessCalendar *cal;		/* the value (a copy), the cache key */
	const ZoneTable *zone;
	bool		always;			/* every instant is working time */
	int			workday_template;	/* weekday whose schedule workdays use */
	int			nexc;			/* exceptions: holiday ranges and workdays */
	int32	   *exc_first;		/* sorted, disjoint, inclusive date ranges */
	int32	   *exc_last;
	bool	   *exc_holiday;	/* holiday range, else a workday */
	DayPattern	time;			/* working µs per day */
	DayPattern	days;			/* 1 per working day */
	DayInfo    *day_cache;		/* DAY_CACHE_SIZE slots, by date modulo the size */
	CalendarMemo *memo;
} CompiledCalendar;

/* Monday-first weekday of a date (2000-01-03, date 2, was a Monday). */
static inline int
weekday(int32 date)
{
	int			r = (date - 2) % 7;

	return r < 0 ? r + 7 : r;
}

/* Σ value over the dates [2000-01-03, d), or minus Σ over [d, 2000-01-03) */
static inline int64
pattern_base(const DayPattern *p, int32 d)
{
	int64		q = (d - 2) / 7;
	int			r = (d - 2) % 7;

	if (r < 0)
	{
		r += 7;
		q--;
	}
	return q * p->cum[CAL_DAYS] + p->cum[r];
}

/* Local dates a calendar covers: 1900-01-01 .. 2199-12-31. */
#define CAL_MIN_DATE (2415021 - POSTGRES_EPOCH_JDATE)
#define CAL_MAX_DATE (2524593 - POSTGRES_EPOCH_JDATE)

/* What a call site keeps for its calendar argument (zeroed at first). */
#define COMPILED_CACHE_SIZE 16

typedef struct CalendarSite
{
	Oid			argtype;		/* text (a name) or business_calendar */
	bool		checked;		/* argtype and constness are known */
	const CompiledCalendar *constant;	/* the calendar, if a constant value */
	bool		constant_name;	/* the argument is a constant name */
	NamedCache	names;
	const void *last_named;		/* the value a name gave last ... */
	uint64		last_loads;		/* ... while names.loads was this ... */
	const CompiledCalendar *last_compiled;	/* ... compiled */
	int			n,
				next;
	CompiledCalendar *compiled[COMPILED_CACHE_SIZE];
} CalendarSite;

/*
 * The calendar of argument argno, compiled once and cached in site (part of
 * the call site's fn_extra): a business_calendar value, or a text name
 * looked up once in appraisal.business_calendars; the 24x7 calendar when
 * the function has no argument argno.  Nothing is allocated when the
 * calendar is one the site has seen.  NULL is an error.
 */
extern const CompiledCalendar *calendar_arg(FunctionCallInfo fcinfo,
											CalendarSite *site, int argno);

/* Paused stretches of one ticket, as [lower, upper) instants, sorted. */
typedef struct Pauses
{
	int			n;
	int			max;			/* room in the arrays (a call site reuses them) */
	TimestampTz *lower;
	TimestampTz *upper;
	TypeCacheEntry *range_type;
} Pauses;

/* The pauses of argument argno into the site's Pauses (NULL or empty: none). */
extern void pauses_arg(FunctionCallInfo fcinfo, int argno, Pauses *pauses);

/* The fn_extra of a business-time function. */
typedef struct BusinessSite
{
	CalendarSite calendar;
	Pauses		pauses;
} BusinessSite;

/* Working microseconds in [start, stop), pauses excluded; stop >= start. */
extern int64 business_elapsed_us(const CompiledCalendar *cal, TimestampTz start,
								 TimestampTz stop, const Pauses *pauses);

/*
 * The working time target grants from start, counted from *from: its time
 * part, plus for a days part the working time from the first working
 * instant at or after start (*from) to the same position N working days
 * later.  No working time lies between start and *from, so an item is
 * within target exactly when its elapsed working time is at most this.
 * Errors on months or negative parts in target.
 */
extern int64 business_target_us(const CompiledCalendar *cal, TimestampTz start,
								const Interval *target, TimestampTz *from);

/*
 * The last instant by which no more than rem working time (pauses not
 * counted) has passed since from; DT_NOEND when a pause never ends.
 */
extern TimestampTz business_due_after(const CompiledCalendar *cal, TimestampTz from,
									  int64 rem, const Pauses *pauses);

/* The two together: the due time of target from start. */
extern TimestampTz business_due_ts(const CompiledCalendar *cal, TimestampTz start,
								   const Interval *target, const Pauses *pauses);

/* Error unless start <= stop (both finite and inside the supported range). */
extern void check_span(TimestampTz start, TimestampTz stop);

#endif							/* APPRAISAL_CALENDAR_H */
