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

/* Local dates a calendar covers: 1900-01-01 .. 2199-12-31. */
#define CAL_MIN_DATE (2415021 - POSTGRES_EPOCH_JDATE)
#define CAL_MAX_DATE (2524593 - POSTGRES_EPOCH_JDATE)

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
 * What business time needs of one local date, in the day table of each
 * compiled calendar: its schedule and the working time before it (always
 * whole minutes, since schedules are), so that working time at a wall-clock
 * time is a look-up here plus a sum over the schedule's intervals, and how
 * many of its chunk's dates before it are working days.  8 bytes, so that
 * the dates of a year of tickets stay in the CPU's first cache.
 */
typedef struct DayHot
{
	int32		minutes_before; /* F of the working-time pattern at date, in minutes */
	int16		schedule;		/* weekday whose schedule applies, -1 on a holiday */
	uint16		workdays_before;	/* working days from its chunk's first date to it */
} DayHot;

/*
 * The day table covers the calendar's dates with a chunk's margin on each
 * side, in chunks of DAY_CHUNK dates built on first use (from the day
 * patterns: 512 binary searches, a few microseconds); at most
 * DAY_CHUNKS_RESIDENT are kept, the oldest replaced first.  Beside its
 * dates a chunk lists its working days in order, so that the N-th working
 * day after a date is a look-up whatever N: working days are numbered by
 * the working days before them (F of the working-days pattern), and number
 * k is workday[k - first_workday] of the chunk holding it.  So a calendar
 * holds at most 8 x 5 kB (41 kB) of days plus the index (1.7 kB); a year of
 * tickets touches one or two chunks (5 or 10 kB).
 */
#define DAY_CHUNK_BITS 9
#define DAY_CHUNK (1 << DAY_CHUNK_BITS)
#define DAY_CHUNKS_RESIDENT 8
#define DAY_TABLE_FIRST (CAL_MIN_DATE - DAY_CHUNK)
#define DAY_TABLE_CHUNKS ((CAL_MAX_DATE + DAY_CHUNK - DAY_TABLE_FIRST) / DAY_CHUNK + 1)

typedef struct DayChunk
{
	DayHot		hot[DAY_CHUNK + 1];	/* and the next chunk's first date, so
									 * that a date's working time is the
									 * difference of its entry and the next */
	int32		first_workday;	/* F of the working-days pattern at its first date */
	int32		nworkdays;		/* its working days ... */
	uint16		workday[DAY_CHUNK]; /* ... as indexes of its dates, in order */
} DayChunk;

typedef struct DayTable
{
	DayChunk   *chunk[DAY_TABLE_CHUNKS];	/* by (date - DAY_TABLE_FIRST) / DAY_CHUNK */
	DayChunk   *pool[DAY_CHUNKS_RESIDENT];	/* the chunks' memory, allocated on use */
	int			owner[DAY_CHUNKS_RESIDENT];	/* the chunk each holds */
	int			used;			/* pool entries allocated */
	int			next;			/* the one to replace next */
} DayTable;

/*
 * The last instant's UTC-offset period, for the next one: consecutive rows
 * mostly fall in the same period.  The last start of an item's, with its
 * bounds and offset.
 */
typedef struct CalendarMemo
{
	int			zone_period;
	int			period;
	TimestampTz period_from;	/* period is [period_from, period_until) */
	TimestampTz period_until;
	int64		offset;			/* its UTC offset */
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

/* A day schedule's working intervals, [start, start + length) µs after midnight. */
typedef struct ScheduleIntervals
{
	int			n;
	struct
	{
		int64		start;
		int64		length;
	}			iv[CAL_MAX_INTERVALS];
} ScheduleIntervals;

/* A compiled calendar: everything business time needs, built once per call site (or backend). */
typedef struct CompiledCalendar
{
	MemoryContext mcxt;			/* holds this and what it points to */
	bool		kept;			/* kept by the backend: never freed */
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
	int64		uniform_day;	/* the working µs of every working day when
								 * all are equal (an office week), else 0 */
	int64		holiday_dates;	/* the dates its holidays cover */

	/*
	 * The schedules' working intervals in µs from midnight, schedule s + 1
	 * for weekday s (0: holidays, none), so that the working time of a day
	 * before a time of day is a sum of a few clamped differences.
	 */
	ScheduleIntervals schedule[CAL_DAYS + 1];
	DayTable	day_table;		/* filled as dates are asked for: a cache,
								 * changed through the const pointers
								 * business time passes around */
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

/* What a call site keeps for its calendar argument (zeroed at first). */
#define COMPILED_CACHE_SIZE 16

typedef struct CalendarSite
{
	Oid			argtype;		/* text (a name) or business_calendar */
	bool		checked;		/* argtype and constness are known */
	const CompiledCalendar *constant;	/* the calendar, if a constant value */
	bool		constant_name;	/* the argument is a constant name */
	bool		one_run;		/* an aggregate's call site: it lives for one
								 * executor run, under one snapshot */
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
extern const CompiledCalendar *calendar_lookup(FunctionCallInfo fcinfo,
											   CalendarSite *site, int argno);

static inline const CompiledCalendar *
calendar_arg(FunctionCallInfo fcinfo, CalendarSite *site, int argno)
{
	/* a constant, or an aggregate's constant name as it read it last row */
	if (likely(site->constant != NULL))
		return site->constant;
	if (site->constant_name && site->one_run && site->names.loads == site->last_loads)
		return site->last_compiled;
	return calendar_lookup(fcinfo, site, argno);
}

/* Paused stretches of one ticket, as [lower, upper) instants, sorted. */
typedef struct Pauses
{
	int			n;
	int			max;			/* room in the arrays (a call site reuses them) */
	TimestampTz *lower;
	TimestampTz *upper;
	TypeCacheEntry *range_type;
} Pauses;

extern void pauses_read(FunctionCallInfo fcinfo, int argno, Pauses *pauses);

/* The pauses of argument argno into the site's Pauses (NULL or empty: none). */
static inline void
pauses_arg(FunctionCallInfo fcinfo, int argno, Pauses *pauses)
{
	pauses->n = 0;
	if (PG_NARGS() > argno && !PG_ARGISNULL(argno))
		pauses_read(fcinfo, argno, pauses);
}

/* The fn_extra of a business-time function. */
typedef struct BusinessSite
{
	CalendarSite calendar;
	Pauses		pauses;
} BusinessSite;

/*
 * Whether an item that started at start stands within target: finished at
 * *stop, whether its working time (set in *elapsed) is at most what target
 * grants; unfinished (stop NULL), whether as_of is before its due time.
 * Pauses are not counted.  Errors on months or negative parts in target.
 */
extern bool business_within_target(const CompiledCalendar *cal, TimestampTz start,
								   const TimestampTz *stop, TimestampTz as_of,
								   const Interval *target, const Pauses *pauses,
								   int64 *elapsed);

/* The due time of target from start. */
extern TimestampTz business_due_ts(const CompiledCalendar *cal, TimestampTz start,
								   const Interval *target, const Pauses *pauses);

/* instants whose local dates (offsets < 1 day) a calendar covers */
#define MIN_INSTANT ((TimestampTz) (CAL_MIN_DATE + 1) * USECS_PER_DAY)
#define MAX_INSTANT ((TimestampTz) CAL_MAX_DATE * USECS_PER_DAY)

/* The error of check_span. */
extern void span_error(TimestampTz start, TimestampTz stop) pg_attribute_noreturn();

/* Error unless start <= stop (both finite and inside the supported range). */
static inline void
check_span(TimestampTz start, TimestampTz stop)
{
	if (unlikely(start < MIN_INSTANT || stop >= MAX_INSTANT || stop < start))
		span_error(start, stop);
}

/* The local date of a wall-clock time (µs from 2000-01-01 local), and in
 * *tod its time of day: floor division, right before 2000 too. */
static inline int32
floor_div_day(int64 wall, int64 *tod)
{
	int64		d = wall / USECS_PER_DAY;

	*tod = wall - d * USECS_PER_DAY;
	if (*tod < 0)
	{
		*tod += USECS_PER_DAY;
		d--;
	}
	return (int32) d;
}

/*
 * The number of a zone's transitions at or before instant t: the index of
 * its offset.  *memo, the last answer, is tried first, then a binary search.
 */
static inline int
zone_table_period(const ZoneTable *z, TimestampTz t, int *memo)
{
	int			lo = *memo,
				hi;

	if ((lo == 0 || z->at[lo - 1] <= t) && (lo == z->n || t < z->at[lo]))
		return lo;
	lo = 0;
	hi = z->n;
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (z->at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	*memo = lo;
	return lo;
}

/* appraisal.sla_stats (sla.c): items per outcome and their business time */
typedef struct SlaStats
{
	int64		met;			/* finished at or before due */
	int64		late;			/* finished after due */
	int64		overdue;		/* unfinished, as_of at or after due */
	int64		pending;		/* unfinished, not yet due */
	int128		elapsed;		/* Σ business µs of finished items (met + late) */
} SlaStats;

#define SLA_COUNT(st, i) (&(st)->met)[i]

/*
 * sla_agg's step (sla.c): an item started at start and finished at *stop
 * (NULL: not finished), as of as_of, against target on cal with pauses.
 */
extern void sla_stats_add_item(SlaStats *st, const CompiledCalendar *cal, TimestampTz start,
							   const TimestampTz *stop, TimestampTz as_of, const Interval *target,
							   const Pauses *pauses);

/*
 * A business_calendar value compiled (calendar.c): one the backend keeps,
 * else compiled into a context of its own under mcxt.
 */
extern const CompiledCalendar *calendar_of_value(const struct varlena *cal, MemoryContext mcxt);

/* The ranges of a tstzmultirange into pauses, its arrays grown in mcxt. */
extern void pauses_of(MultirangeType *mr, Pauses *pauses, MemoryContext mcxt);

#endif							/* APPRAISAL_CALENDAR_H */
