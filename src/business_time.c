/*
 * business_time.c: working time on a business calendar.  business_elapsed
 * (working time between two instants), business_due (when a target of
 * working time and working days is used up) and sla_timeline (the stretches
 * of a ticket's life, for audits), each with optional pauses.
 *
 * How it stays O(log n) in the length of a span: working time is a function
 * of wall-clock time, L(x) = F(date of x) + the working time on that date
 * before x, where F(d), the working time of all dates before d, is a weekly
 * pattern plus the changes made by the calendar's exceptions (holidays,
 * make-up workdays), found by binary search (DayPattern, calendar.h) and
 * kept per date in the calendar's day table, built in chunks when first
 * needed; the working time before a time of day is a sum over the day's
 * few intervals, so L(x) costs one look-up.  Real
 * time maps to wall-clock time by the zone's UTC offset, which is constant
 * between two transitions (ZoneTable): within one such period working time
 * between two instants is a difference of L, and a span adds one term per
 * daylight-saving change it crosses (two a year in zones that have them), so
 * a 09:00-18:00 day is 9 real hours on the day the clocks change, and a
 * 00:00-24:00 day 23 or 25.
 */
#include "calendar.h"

#include "common/int.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(business_elapsed);
PG_FUNCTION_INFO_V1(business_due);
PG_FUNCTION_INFO_V1(sla_timeline);

/* ------------------------------------------------------------ day patterns */

/* The number of exceptions whose first date is <= d. */
static inline int
exceptions_upto(const CompiledCalendar *cc, int32 d)
{
	int			lo = 0,
				hi = cc->nexc;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (cc->exc_first[mid] <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * F(d) given j, the number of exceptions starting before d: the weekly sum
 * plus the earlier exceptions' changes; inside a holiday range nothing has
 * accrued since its first date.
 */
static inline int64
pattern_sum(const CompiledCalendar *cc, const DayPattern *p, int32 d, int j)
{
	if (j == 0)
		return pattern_base(p, d);
	if (d > cc->exc_last[j - 1])
		return pattern_base(p, d) + p->before[j];
	return p->first_sum[j - 1];
}

/* The schedule of date d: a weekday, or -1 on a holiday. */
static inline int
day_schedule(const CompiledCalendar *cc, int32 d, int j_upto)
{
	if (j_upto > 0 && d <= cc->exc_last[j_upto - 1])
		return cc->exc_holiday[j_upto - 1] ? -1 : cc->workday_template;
	return weekday(d);
}

static void pg_attribute_noreturn()
beyond_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("business time beyond 2199-12-31 cannot be computed"),
			 errdetail("Business calendars cover the local dates 1900-01-01 to 2199-12-31.")));
}

/*
 * Build chunk k of the day table, in the pool's next free (or oldest)
 * place: each date's schedule and pattern sums, found as for any date.
 */
static pg_noinline DayChunk *
day_chunk_build(const CompiledCalendar *cc, int k)
{
	DayTable   *t = unconstify(DayTable *, &cc->day_table);
	DayChunk   *chunk;
	int			slot;
	int32		first = DAY_TABLE_FIRST + k * DAY_CHUNK;

	if (t->used < DAY_CHUNKS_RESIDENT)
	{
		slot = t->used;
		t->pool[slot] = MemoryContextAlloc(cc->mcxt, sizeof(DayChunk));
		t->used++;
	}
	else
	{
		slot = t->next;
		t->next = (t->next + 1) % DAY_CHUNKS_RESIDENT;
		t->chunk[t->owner[slot]] = NULL;
	}
	chunk = t->pool[slot];
	chunk->first_workday = (int32) pattern_sum(cc, &cc->days, first,
											   exceptions_upto(cc, first - 1));
	chunk->nworkdays = 0;
	for (int i = 0; i <= DAY_CHUNK; i++)
	{
		int32		d = first + i;
		int			j = exceptions_upto(cc, d);
		int			jb = (j > 0 && cc->exc_first[j - 1] == d) ? j - 1 : j;
		int64		time_before = pattern_sum(cc, &cc->time, d, jb);
		int			sched = day_schedule(cc, d, j);

		/* schedules are whole minutes, so are their sums */
		Assert(time_before % USECS_PER_MINUTE == 0);
		chunk->hot[i].minutes_before = (int32) (time_before / USECS_PER_MINUTE);
		chunk->hot[i].schedule = (int16) sched;
		chunk->hot[i].workdays_before = (uint16) chunk->nworkdays;
		Assert(pattern_sum(cc, &cc->days, d, jb) == chunk->first_workday + chunk->nworkdays);
		/* a working day is one with working time (the working-days pattern) */
		if (i < DAY_CHUNK && sched >= 0 && cc->time.value[sched] > 0)
			chunk->workday[chunk->nworkdays++] = (uint16) i;
	}
	t->owner[slot] = k;
	t->chunk[k] = chunk;
	return chunk;
}

/*
 * The chunk holding date d, and d's index in it.  What it returns stays
 * valid until the next look-up of a date in another chunk (which may
 * replace it).
 */
static inline DayChunk *
day_chunk(const CompiledCalendar *cc, int32 d, int *i)
{
	uint32		k = (uint32) (d - DAY_TABLE_FIRST);
	DayChunk   *chunk;

	if (unlikely(k >= (uint32) DAY_TABLE_CHUNKS * DAY_CHUNK))
		beyond_range();
	chunk = cc->day_table.chunk[k >> DAY_CHUNK_BITS];
	if (unlikely(chunk == NULL))
		chunk = day_chunk_build(cc, k >> DAY_CHUNK_BITS);
	*i = k & (DAY_CHUNK - 1);
	return chunk;
}

/* Date d's schedule and working minutes before it. */
static inline const DayHot *
day_hot(const CompiledCalendar *cc, int32 d)
{
	int			i;
	DayChunk   *chunk = day_chunk(cc, d, &i);

	return &chunk->hot[i];
}

/* F of the working-time pattern at date d */
static inline int64
time_before(const DayHot *h)
{
	return (int64) h->minutes_before * USECS_PER_MINUTE;
}

/* The last date pattern_find finds: the Sunday of the week of CAL_MAX_DATE. */
#define LAST_WORKING_DAY_FOUND (2 + 7 * ((CAL_MAX_DATE - 2) / 7) + 6)

/* The smallest date d with F(d + 1) >= target: the day on which it is reached. */
static int32
pattern_find(const CompiledCalendar *cc, const DayPattern *p, int64 target)
{
	int			lo = 0,
				hi = cc->nexc;
	int64		t,
				q;
	int64		week = p->cum[CAL_DAYS];

	/* k: the exceptions after which the sum is still below target */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (p->end_sum[mid] < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* reached inside exception lo: then it is a workday (holidays add nothing) */
	if (lo < cc->nexc && p->first_sum[lo] < target)
		return cc->exc_first[lo];

	/* reached in the regular weeks before exception lo */
	t = target - p->before[lo];
	q = (t - 1) / week;
	if ((t - 1) % week < 0)
		q--;
	if (q > (CAL_MAX_DATE - 2) / 7)
		beyond_range();
	for (int r = 1; r <= CAL_DAYS; r++)
		if (q * week + p->cum[r] >= t)
			return (int32) (2 + 7 * q + r - 1);
	pg_unreachable();
}

/* ------------------------------------------------------------ wall clock */

/* The working minutes of the date whose entry is h: F at the next date's minus its. */
static inline int
day_minutes(const DayHot *h)
{
	return h[1].minutes_before - h[0].minutes_before;
}

/*
 * L at time of day tod of the date whose entry is h; *inside (if wanted)
 * tells whether that instant is working time.  The working time of the
 * day's intervals before tod, without a branch per interval.
 */
static inline int64
day_working_at(const CompiledCalendar *cc, const DayHot *h, int64 tod, bool *inside)
{
	const ScheduleIntervals *si = &cc->schedule[h->schedule + 1];
	int64		sum = time_before(h);
	bool		in = false;

	for (int i = 0; i < si->n; i++)
	{
		int64		x = tod - si->iv[i].start,
					len = si->iv[i].length,
					at_least_0 = x & ~(x >> 63);

		in |= (uint64) x < (uint64) len;
		sum += Min(at_least_0, len);
	}
	if (inside)
		*inside = in;
	return sum;
}

/*
 * L(x): working µs of all wall-clock time before x (from a fixed origin);
 * *inside (if wanted) tells whether x itself is working time.  A look-up in
 * the day table and a sum over the day's intervals.
 */
static inline int64
wall_working_at(const CompiledCalendar *cc, int64 wall, bool *inside)
{
	int64		tod;
	const DayHot *h = day_hot(cc, floor_div_day(wall, &tod));

	return day_working_at(cc, h, tod, inside);
}

static inline int64
wall_working(const CompiledCalendar *cc, int64 wall)
{
	return wall_working_at(cc, wall, NULL);
}

/*
 * The smallest date d with F(d + 1) >= w, as pattern_find, where date from
 * is known to be at or before it (F(from) < w): the next few dates of its
 * chunk are tried first.
 */
static int32
date_reaching(const CompiledCalendar *cc, int32 from, int64 w)
{
	int			i;
	const DayChunk *chunk = day_chunk(cc, from, &i);

	Assert((int64) chunk->hot[i].minutes_before * USECS_PER_MINUTE < w);
	for (int last = Min(i + 16, DAY_CHUNK); i < last; i++, from++)
		if ((int64) chunk->hot[i + 1].minutes_before * USECS_PER_MINUTE >= w)
		{
			if (unlikely(from > LAST_WORKING_DAY_FOUND))
				beyond_range();
			return from;
		}
	return pattern_find(cc, &cc->time, w);
}

/*
 * The smallest wall-clock x with L(x) >= w: where working time w is
 * reached, on date from or later (F(from) < w).
 */
static int64
wall_reaching(const CompiledCalendar *cc, int64 w, int32 from)
{
	int32		d = date_reaching(cc, from, w);
	const DayHot *h = day_hot(cc, d);
	const ScheduleIntervals *si = &cc->schedule[h->schedule + 1];
	int64		rem = w - time_before(h);

	Assert(h->schedule >= 0 && rem > 0);
	for (int i = 0; i < si->n; i++)
	{
		if (rem <= si->iv[i].length)
			return (int64) d * USECS_PER_DAY + si->iv[i].start + rem;
		rem -= si->iv[i].length;
	}
	elog(ERROR, "business calendar day pattern is inconsistent");
}

/*
 * Working day number k, the one with k working days before it, where k is
 * at least the number of the first date of chunk (at date first): in that
 * chunk or the next one, else found by binary search.  Its date in *date,
 * and its entry, valid until another chunk is looked up.
 */
static pg_attribute_always_inline const DayHot *
working_day_number(const CompiledCalendar *cc, const DayChunk *chunk, int32 first, int64 k,
				   int32 *date)
{
	int			i;

	for (int next = 0;; next++)
	{
		if (k - chunk->first_workday < chunk->nworkdays)
		{
			i = chunk->workday[k - chunk->first_workday];
			*date = first + i;
			/* as far as pattern_find goes: the week of the range's last date */
			if (unlikely(*date > LAST_WORKING_DAY_FOUND))
				beyond_range();
			return &chunk->hot[i];
		}
		if (next == 1)
			break;
		first += DAY_CHUNK;
		chunk = day_chunk(cc, first, &i);
	}
	*date = pattern_find(cc, &cc->days, k + 1);
	return day_hot(cc, *date);
}

/* The n-th working day after date d (n >= 1), as working_day_number. */
static const DayHot *
working_day_after(const CompiledCalendar *cc, int32 d, int32 n, int32 *date)
{
	int			i;
	const DayChunk *chunk = day_chunk(cc, d, &i);
	const DayHot *h = &chunk->hot[i];

	return working_day_number(cc, chunk, d - i, (int64) chunk->first_workday +
							  h->workdays_before + (day_minutes(h) > 0) + n - 1, date);
}

/*
 * The wall-clock time where the next working stretch after wall begins,
 * wall itself not being working time: later that day, or at the first
 * interval of the next working day.
 */
static int64
next_working_wall(const CompiledCalendar *cc, int64 wall)
{
	int64		tod;
	int32		d = floor_div_day(wall, &tod);
	const ScheduleIntervals *si = &cc->schedule[day_hot(cc, d)->schedule + 1];

	for (int i = 0; i < si->n; i++)
		if (si->iv[i].start > tod)
			return wall - tod + si->iv[i].start;
	si = &cc->schedule[working_day_after(cc, d, 1, &d)->schedule + 1];
	return (int64) d * USECS_PER_DAY + si->iv[0].start;
}

/* ------------------------------------------------------------------ zone */

/*
 * The number of transitions at or before instant t: the index of its
 * offset.  The last row's period first, then a binary search.
 */
static inline int
zone_period(const CompiledCalendar *cc, TimestampTz t)
{
	return zone_table_period(cc->zone, t, &cc->memo->zone_period);
}

/*
 * The instant of a wall-clock time, as PostgreSQL reads local times: one
 * skipped by a spring-forward change is read with the offset before it, one
 * repeated by a fall-back change as the later of the two.
 */
static TimestampTz
zone_instant(const ZoneTable *z, int64 wall)
{
	int			lo = 0,
				hi = z->n;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (z->wall[mid] <= wall)
			lo = mid + 1;
		else
			hi = mid;
	}
	return wall - z->offset[lo];
}

/* ---------------------------------------------------------- real time */

void
span_error(TimestampTz start, TimestampTz stop)
{
	TimestampTz both[2] = {start, stop};

	for (int i = 0; i < 2; i++)
		if (both[i] < MIN_INSTANT || both[i] >= MAX_INSTANT)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("%s %s is outside the range of business calendars",
							i == 0 ? "start" : "stop", timestamptz_to_str(both[i])),
					 errdetail("Business time is computed from 1900-01-02 to 2199-12-30 UTC.")));
	{
		/* timestamptz_to_str returns a static buffer: copy one */
		char	   *stop_str = pstrdup(timestamptz_to_str(stop));

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stop %s is before start %s",
						stop_str, timestamptz_to_str(start))));
	}
}

/*
 * An instant and what business time finds of it once, so that the target
 * and the elapsed time of an item starting there share it: its UTC-offset
 * period and the working time of all wall-clock time before it on that
 * period's clock (not set for a calendar that works every instant).
 */
typedef struct BusinessInstant
{
	TimestampTz at;
	int			period;
	int64		working;
	TimestampTz period_until;	/* the period's end */
	int64		offset;			/* and UTC offset */
	int32		date;			/* its local date on that clock, */
	const DayChunk *chunk;		/* the day table's chunk holding it (valid */
	int			index;			/* until another chunk is looked up), at index */
} BusinessInstant;

/* t's period and L there; t in range. */
static pg_attribute_always_inline void
instant_at(const CompiledCalendar *cc, TimestampTz t, BusinessInstant *out)
{
	CalendarMemo *memo = cc->memo;

	out->at = t;
	out->period = 0;
	out->working = 0;
	out->period_until = PG_INT64_MAX;
	out->offset = 0;
	out->date = 0;
	out->chunk = NULL;			/* none looked up */
	out->index = 0;
	if (cc->always)
		return;
	if (likely(t >= memo->period_from && t < memo->period_until))
		out->period = memo->period;
	else
	{
		const ZoneTable *z = cc->zone;

		out->period = memo->period = zone_period(cc, t);
		memo->period_from = out->period == 0 ? PG_INT64_MIN : z->at[out->period - 1];
		memo->period_until = out->period == z->n ? PG_INT64_MAX : z->at[out->period];
		memo->offset = z->offset[out->period];
	}
	out->period_until = memo->period_until;
	out->offset = memo->offset;
	{
		int64		tod;

		out->date = floor_div_day(t + memo->offset, &tod);
		out->chunk = day_chunk(cc, out->date, &out->index);
		out->working = day_working_at(cc, &out->chunk->hot[out->index], tod, NULL);
	}
}

/* The instant t (an error unless inside the calendars' range). */
static pg_attribute_always_inline void
business_instant(const CompiledCalendar *cc, TimestampTz t, BusinessInstant *out)
{
	check_span(t, t);
	instant_at(cc, t, out);
}

/*
 * Working µs in [start, stop), no pauses; start <= stop, both in range:
 * within each UTC-offset period a difference of L.
 */
static pg_attribute_always_inline int64
span_working_from(const CompiledCalendar *cc, const BusinessInstant *start,
				  TimestampTz stop)
{
	const ZoneTable *z = cc->zone;
	int64		total = 0,
				w = start->working;

	if (cc->always)
		return stop - start->at;
	if (stop <= start->period_until)
		return wall_working(cc, stop + start->offset) - w;
	for (int i = start->period;; i++)
	{
		TimestampTz end = (i < z->n && z->at[i] < stop) ? z->at[i] : stop;

		total += wall_working(cc, end + z->offset[i]) - w;
		if (end == stop)
			return total;
		w = wall_working(cc, end + z->offset[i + 1]);
	}
}

static int64
span_working(const CompiledCalendar *cc, TimestampTz start, TimestampTz stop)
{
	BusinessInstant from;

	instant_at(cc, start, &from);
	return span_working_from(cc, &from, stop);
}

/* The last instant t >= start with rem working µs in [start, t), no pauses. */
static TimestampTz
span_due(const CompiledCalendar *cc, TimestampTz start, int64 rem)
{
	const ZoneTable *z = cc->zone;

	if (cc->always)
	{
		if (rem >= MAX_INSTANT - start)
			beyond_range();
		return start + rem;
	}
	for (int i = zone_period(cc, start);; i++)
	{
		int64		w = wall_working(cc, start + z->offset[i]);
		int64		reach,
					tod;
		TimestampTz t;

		/* working time is at most real time: beyond that, beyond the range */
		if (rem >= MAX_INSTANT - start || pg_add_s64_overflow(w, rem + 1, &reach))
			beyond_range();
		t = wall_reaching(cc, reach, floor_div_day(start + z->offset[i], &tod)) - 1 - z->offset[i];

		if (i == z->n || t < z->at[i])
		{
			if (t >= MAX_INSTANT)
				beyond_range();
			return t;
		}
		rem -= wall_working(cc, z->at[i] + z->offset[i]) - w;
		start = z->at[i];
	}
}

/*
 * span_due from an instant business_instant has found: within its UTC-offset
 * period no second look-up of its period and working time; after the
 * period's end, span_due.  (business_due with a 24-hour target at 10M
 * tickets: 36-38 ns a call against 46-68 ns, less the same query without
 * it; five alternated rounds, the minimum and the median.)
 */
static TimestampTz
span_due_from(const CompiledCalendar *cc, const BusinessInstant *start, int64 rem)
{
	int64		reach;
	TimestampTz t;

	if (cc->always)
		return span_due(cc, start->at, rem);
	if (rem >= MAX_INSTANT - start->at || pg_add_s64_overflow(start->working, rem + 1, &reach))
		beyond_range();
	t = wall_reaching(cc, reach, start->date) - 1 - start->offset;
	if (t < start->period_until)
	{
		if (t >= MAX_INSTANT)
			beyond_range();
		return t;
	}
	rem -= wall_working(cc, start->period_until + start->offset) - start->working;
	return span_due(cc, start->period_until, rem);
}

/* Working µs in [from, stop), pauses excluded; stop >= from, both in range. */
static pg_attribute_always_inline int64
business_elapsed_us(const CompiledCalendar *cc, const BusinessInstant *from,
					TimestampTz stop, const Pauses *pauses)
{
	TimestampTz start = from->at;
	int64		total = span_working_from(cc, from, stop);

	for (int i = 0; i < pauses->n; i++)
	{
		TimestampTz lo = Max(pauses->lower[i], start),
					hi = Min(pauses->upper[i], stop);

		if (lo < hi)
			total -= span_working(cc, lo, hi);
	}
	return total;
}

/*
 * Whether position p in working day dn (entry h) is working time reached
 * there, F(dn) + p: p is within its working time, and the UTC offset does
 * not change before until, which is after dn.
 */
static inline bool
due_in_day(TimestampTz until, int32 dn, const DayHot *h, int64 p)
{
	return until >= (TimestampTz) (dn + 2) * USECS_PER_DAY &&
		p <= (int64) day_minutes(h) * USECS_PER_MINUTE;
}

/*
 * Working days: from s', the first working instant at or after start, at
 * position p (on the clock) in its day D0, the due point is position p in
 * the N-th working day after D0 (carrying on if that day is shorter); it is
 * turned into the working time from s' so that the time part and pauses
 * simply add to it.  Without a UTC-offset change on the way that is
 * F(D_N) - F(D0), p cancelling out.  No working time lies between start
 * and s', so it is also the working time from start; *from is set to start
 * on that usual path, to s' on the general one.
 */
/* working_days_us when the due point may lie across a UTC-offset change */
static pg_noinline int64
working_days_general(const CompiledCalendar *cc, const BusinessInstant *begin, int32 ndays,
					 TimestampTz *from)
{
	const ZoneTable *z = cc->zone;
	TimestampTz start = begin->at;
	int			period = zone_period(cc, start);	/* (not in begin when always) */
	int64		wall = start + z->offset[period];
	bool		inside;
	int64		w,
				tod,
				f0,
				p,
				fn;
	int32		d0,
				dn;
	const DayHot *h;
	TimestampTz at;

	/* s': start itself or where the next working stretch begins */
	w = wall_working_at(cc, wall, &inside);
	if (!inside)
	{
		wall = next_working_wall(cc, wall);
		if (period < z->n && wall - z->offset[period] >= z->at[period])
		{
			/* an offset change on the way */
			start = span_due(cc, start, 0);
			period = zone_period(cc, start);
			wall = start + z->offset[period];
			w = wall_working(cc, wall);
		}
		else
			start = wall - z->offset[period];
	}
	*from = start;

	d0 = floor_div_day(wall, &tod);
	f0 = time_before(day_hot(cc, d0));
	p = w - f0;
	h = working_day_after(cc, d0, ndays, &dn);
	fn = time_before(h);
	if (due_in_day(period == z->n ? PG_INT64_MAX : z->at[period], dn, h, p))
		return fn - f0;

	at = zone_instant(z, wall_reaching(cc, fn + p + 1, dn) - 1);
	if (at >= MAX_INSTANT)
		beyond_range();
	return span_working(cc, start, at);
}

static pg_attribute_always_inline int64
working_days_us(const CompiledCalendar *cc, const BusinessInstant *begin, int32 ndays,
				TimestampTz *from)
{
	const DayHot *h;
	int64		w = begin->working,
				p,
				number;
	int32		dn;

	if (begin->chunk == NULL)
		return working_days_general(cc, begin, ndays, from);

	/*
	 * Every working day as long as the others (an office week): the usual
	 * path below then always finds F(D_N) - F(D0) = N such days, without
	 * looking D_N up, when D_N can be neither beyond the range nor after a
	 * UTC-offset change.  D_N lies within 7 (N + 1 + H) dates of start's, H
	 * the dates the calendar's holidays cover: any 7 dates hold each
	 * weekday, one of them working unless a holiday.  (At 10M tickets a
	 * target of 3 working days cost about 11 ns an item more than one of
	 * hours, the second look-up.)
	 */
	if (cc->uniform_day > 0)
	{
		int64		reach = begin->date + 7 * ((int64) ndays + 1 + cc->holiday_dates);

		if (reach <= LAST_WORKING_DAY_FOUND && begin->period_until >= (reach + 2) * USECS_PER_DAY)
		{
			*from = begin->at;
			return ndays * cc->uniform_day;
		}
	}
	h = &begin->chunk->hot[begin->index];
	p = w - time_before(h);
	number = (int64) begin->chunk->first_workday + h->workdays_before;

	/*
	 * The usual path, from start's entry in the day table: D0 is start's
	 * date while working time remains on it (p: the working time before
	 * start), else the next working day (p = 0, w = F(D0)); D_N is working
	 * day number D0's + N.
	 */
	if (p >= (int64) day_minutes(h) * USECS_PER_MINUTE)
	{
		number += day_minutes(h) > 0;
		p = 0;
	}
	h = working_day_number(cc, begin->chunk, begin->date - begin->index, number + ndays, &dn);
	if (due_in_day(begin->period_until, dn, h, p))
	{
		*from = begin->at;
		return time_before(h) + p - w;
	}

	return working_days_general(cc, begin, ndays, from);
}

/*
 * The working time target grants from start (found in *begin, for the
 * elapsed time), counted from *from: its time part, plus for a days part
 * the working time from the first working instant at or after start to the
 * same position N working days later.  *from is start or that first
 * working instant: no working time lies between them, so an item is within
 * target exactly when its elapsed working time is at most this.  Errors on
 * months or negative parts in target, or a start out of range.
 */
static pg_attribute_always_inline int64
business_target_us(const CompiledCalendar *cc, TimestampTz start, const Interval *target,
				   TimestampTz *from, BusinessInstant *begin)
{
	int64		amount;

	if (target->month != 0 || target->day < 0 || target->time < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid SLA target %s",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(target)))),
				 errdetail(target->month != 0 ?
						   "Months have no fixed length in working time." :
						   "A target cannot be negative."),
				 errhint("Write targets in working days and hours, e.g. '3 days' or '48 hours'.")));
	business_instant(cc, start, begin);
	*from = start;
	if (target->day == 0)
		return target->time;
	if (pg_add_s64_overflow(target->time, working_days_us(cc, begin, target->day, from), &amount))
		beyond_range();
	return amount;
}

/*
 * The last instant by which no more than rem working time (pauses not
 * counted) has passed since from; DT_NOEND when a pause never ends.  begin
 * is the item's start as business_instant found it: when from is that
 * instant, what it found is used again.
 */
static TimestampTz
business_due_after(const CompiledCalendar *cc, const BusinessInstant *begin, TimestampTz from,
				   int64 rem, const Pauses *pauses)
{
	const BusinessInstant *known = from == begin->at ? begin : NULL;

	/* each pause the due time reaches moves it on by the pause's working time */
	for (int i = 0; i < pauses->n; i++)
	{
		TimestampTz due;

		if (pauses->upper[i] <= from)
			continue;
		due = known ? span_due_from(cc, known, rem) : span_due(cc, from, rem);
		if (due < pauses->lower[i])
			return due;
		if (pauses->lower[i] > from)
			rem -= span_working(cc, from, pauses->lower[i]);
		if (pauses->upper[i] == DT_NOEND)
			return DT_NOEND;	/* paused for good: never due */
		if (pauses->upper[i] >= MAX_INSTANT)
			beyond_range();
		from = pauses->upper[i];
		known = NULL;
	}
	return known ? span_due_from(cc, known, rem) : span_due(cc, from, rem);
}

TimestampTz
business_due_ts(const CompiledCalendar *cc, TimestampTz start,
				const Interval *target, const Pauses *pauses)
{
	BusinessInstant begin;
	TimestampTz from;
	int64		rem = business_target_us(cc, start, target, &from, &begin);

	return business_due_after(cc, &begin, from, rem, pauses);
}

bool
business_within_target(const CompiledCalendar *cc, TimestampTz start, const TimestampTz *stop,
					   TimestampTz as_of, const Interval *target, const Pauses *pauses,
					   int64 *elapsed)
{
	BusinessInstant begin;
	TimestampTz from;
	int64		amount = business_target_us(cc, start, target, &from, &begin);

	/*
	 * Due is the last instant by which amount of working time (pauses not
	 * counted) has passed, so stop <= due exactly when the item's business
	 * time is at most amount: no due time needed.
	 */
	if (stop != NULL)
	{
		check_span(start, *stop);
		*elapsed = business_elapsed_us(cc, &begin, *stop, pauses);
		return *elapsed <= amount;
	}
	return as_of < business_due_after(cc, &begin, from, amount, pauses);
}

/* --------------------------------------------------------------- pauses */

void
pauses_read(FunctionCallInfo fcinfo, int argno, Pauses *pauses)
{
	pauses_of(PG_GETARG_MULTIRANGE_P(argno), pauses, fcinfo->flinfo->fn_mcxt);
}

void
pauses_of(MultirangeType *mr, Pauses *pauses, MemoryContext mcxt)
{
	if (pauses->range_type == NULL)
		pauses->range_type =
			lookup_type_cache(MultirangeTypeGetOid(mr), TYPECACHE_MULTIRANGE_INFO)->rngtype;
	if ((int) mr->rangeCount > pauses->max)
	{
		MemoryContext old = MemoryContextSwitchTo(mcxt);

		if (pauses->max > 0)
		{
			pfree(pauses->lower);
			pfree(pauses->upper);
		}
		pauses->max = Max(mr->rangeCount, 8);
		pauses->lower = palloc(sizeof(TimestampTz) * pauses->max);
		pauses->upper = palloc(sizeof(TimestampTz) * pauses->max);
		MemoryContextSwitchTo(old);
	}
	/* ranges come sorted and disjoint; bounds are taken as [lower, upper) */
	for (int i = 0; i < (int) mr->rangeCount; i++)
	{
		RangeBound lower,
					upper;

		multirange_get_bounds(pauses->range_type, mr, i, &lower, &upper);
		pauses->lower[i] = lower.infinite ? DT_NOBEGIN : DatumGetTimestampTz(lower.val);
		pauses->upper[i] = upper.infinite ? DT_NOEND : DatumGetTimestampTz(upper.val);
	}
	pauses->n = mr->rangeCount;
}

/* ------------------------------------------------------------ functions */

static BusinessSite *
business_site(FunctionCallInfo fcinfo)
{
	return (BusinessSite *) call_cache(fcinfo, sizeof(BusinessSite));
}

static Interval *
interval_us(int64 us)
{
	Interval   *result = palloc(sizeof(Interval));

	result->time = us;
	result->day = 0;
	result->month = 0;
	return result;
}

/*
 * business_elapsed(start, stop, calendar [, pauses]).  Not strict so that
 * NULL pauses mean none; any other NULL argument gives NULL.
 */
Datum
business_elapsed(PG_FUNCTION_ARGS)
{
	BusinessSite *site = business_site(fcinfo);
	const CompiledCalendar *cc;
	TimestampTz start,
				stop;
	BusinessInstant from;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	start = PG_GETARG_TIMESTAMPTZ(0);
	stop = PG_GETARG_TIMESTAMPTZ(1);
	check_span(start, stop);
	cc = calendar_arg(fcinfo, &site->calendar, 2);
	pauses_arg(fcinfo, 3, &site->pauses);
	instant_at(cc, start, &from);
	PG_RETURN_INTERVAL_P(interval_us(business_elapsed_us(cc, &from, stop, &site->pauses)));
}

/* business_due(start, target, calendar [, pauses]), not strict likewise */
Datum
business_due(PG_FUNCTION_ARGS)
{
	BusinessSite *site = business_site(fcinfo);
	const CompiledCalendar *cc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	cc = calendar_arg(fcinfo, &site->calendar, 2);
	pauses_arg(fcinfo, 3, &site->pauses);
	PG_RETURN_TIMESTAMPTZ(business_due_ts(cc, PG_GETARG_TIMESTAMPTZ(0),
										  PG_GETARG_INTERVAL_P(1), &site->pauses));
}

/* ------------------------------------------------------------ timeline */

typedef enum StretchKind
{
	STRETCH_WORKING,
	STRETCH_OFF,
	STRETCH_HOLIDAY,
	STRETCH_PAUSED
} StretchKind;

static const char *const stretch_names[] = {"working", "off hours", "holiday", "paused"};

typedef struct Stretch
{
	TimestampTz start;
	TimestampTz end;
	StretchKind kind;
} Stretch;

typedef struct Stretches
{
	int			n,
				max;
	Stretch    *s;
} Stretches;

/* Append [start, end) of kind, merged with the last stretch when it continues it. */
static void
stretch_add(Stretches *list, TimestampTz start, TimestampTz end, StretchKind kind)
{
	if (start >= end)
		return;
	if (list->n > 0 && list->s[list->n - 1].kind == kind &&
		list->s[list->n - 1].end == start)
	{
		list->s[list->n - 1].end = end;
		return;
	}
	if (list->n == list->max)
	{
		list->max *= 2;
		list->s = repalloc(list->s, sizeof(Stretch) * list->max);
	}
	list->s[list->n].start = start;
	list->s[list->n].end = end;
	list->s[list->n].kind = kind;
	list->n++;
}

/*
 * The calendar's stretches of [start, stop): within each UTC-offset period
 * wall-clock time is real time shifted, so each local day's schedule is cut
 * into working and off-hours pieces (a holiday is one piece).
 */
static void
calendar_stretches(const CompiledCalendar *cc, TimestampTz start, TimestampTz stop,
				   Stretches *out)
{
	const ZoneTable *z = cc->zone;

	for (int i = zone_period(cc, start); start < stop; i++)
	{
		TimestampTz end = (i < z->n && z->at[i] < stop) ? z->at[i] : stop;
		int64		off = z->offset[i];
		int64		tod;
		int32		first = floor_div_day(start + off, &tod);
		int32		last = floor_div_day(end + off - 1, &tod);

		for (int32 d = first; d <= last; d++)
		{
			TimestampTz midnight = (TimestampTz) d * USECS_PER_DAY - off;
			int			sched = day_hot(cc, d)->schedule;
			const ScheduleIntervals *si = &cc->schedule[sched + 1];
			TimestampTz from = midnight;

#define CLIP(t) Min(Max((t), start), end)
			if (sched < 0)
			{
				stretch_add(out, CLIP(midnight), CLIP(midnight + USECS_PER_DAY), STRETCH_HOLIDAY);
				continue;
			}
			for (int k = 0; k < si->n; k++)
			{
				TimestampTz a = midnight + si->iv[k].start,
							b = a + si->iv[k].length;

				stretch_add(out, CLIP(from), CLIP(a), STRETCH_OFF);
				stretch_add(out, CLIP(a), CLIP(b), STRETCH_WORKING);
				from = b;
			}
			stretch_add(out, CLIP(from), CLIP(midnight + USECS_PER_DAY), STRETCH_OFF);
#undef CLIP
		}
		start = end;
	}
}

/* The stretches with paused time cut out as stretches of its own. */
static void
overlay_pauses(const Stretches *in, const Pauses *pauses, Stretches *out)
{
	int			p = 0;

	for (int i = 0; i < in->n; i++)
	{
		TimestampTz t = in->s[i].start,
					end = in->s[i].end;

		while (t < end)
		{
			while (p < pauses->n && pauses->upper[p] <= t)
				p++;
			if (p < pauses->n && pauses->lower[p] <= t)
			{
				TimestampTz e = Min(pauses->upper[p], end);

				stretch_add(out, t, e, STRETCH_PAUSED);
				t = e;
			}
			else
			{
				TimestampTz e = p < pauses->n ? Min(pauses->lower[p], end) : end;

				stretch_add(out, t, e, in->s[i].kind);
				t = e;
			}
		}
	}
}

static Datum
interval_datum(int64 us)
{
	return IntervalPGetDatum(interval_us(us));
}

/*
 * sla_timeline(start, stop, target, calendar [, pauses]): one row per
 * stretch of [start, stop) (or of [start, due) when stop is NULL), the
 * working stretch holding the due time split there.
 */
Datum
sla_timeline(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	BusinessSite *site;
	const CompiledCalendar *cc;
	TimestampTz start,
				stop,
				due,
				from;
	BusinessInstant begin;
	Stretches	raw,
				all;
	int64		cumulative = 0,
				amount;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	site = business_site(fcinfo);
	cc = calendar_arg(fcinfo, &site->calendar, 3);
	pauses_arg(fcinfo, 4, &site->pauses);
	start = PG_GETARG_TIMESTAMPTZ(0);
	amount = business_target_us(cc, start, PG_GETARG_INTERVAL_P(2), &from, &begin);
	if (!PG_ARGISNULL(1))
	{
		/* within target, due lies at or after stop: not needed (maybe not computable) */
		stop = PG_GETARG_TIMESTAMPTZ(1);
		check_span(start, stop);
		due = business_elapsed_us(cc, &begin, stop, &site->pauses) <= amount ? DT_NOEND :
			business_due_after(cc, &begin, from, amount, &site->pauses);
	}
	else if ((due = business_due_after(cc, &begin, from, amount, &site->pauses)) == DT_NOEND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the timeline of an open ticket whose pause never ends has no end"),
				 errhint("Pass a stop time.")));
	else
		stop = due;				/* in range: span_due checks */

	raw.n = all.n = 0;
	raw.max = all.max = 64;
	raw.s = palloc(sizeof(Stretch) * raw.max);
	all.s = palloc(sizeof(Stretch) * all.max);
	calendar_stretches(cc, start, stop, &raw);
	overlay_pauses(&raw, &site->pauses, &all);

	for (int i = 0; i < all.n; i++)
	{
		Stretch    *s = &all.s[i];
		TimestampTz cut[3] = {s->start, s->end, s->end};
		int			pieces = 1;

		if (s->kind == STRETCH_WORKING && s->start < due && due < s->end)
		{
			cut[1] = due;
			pieces = 2;
		}
		for (int k = 0; k < pieces; k++)
		{
			Datum		values[6];
			bool		nulls[6] = {false};
			int64		working = s->kind == STRETCH_WORKING ? cut[k + 1] - cut[k] : 0;

			cumulative += working;
			values[0] = TimestampTzGetDatum(cut[k]);
			values[1] = TimestampTzGetDatum(cut[k + 1]);
			values[2] = CStringGetTextDatum(stretch_names[s->kind]);
			values[3] = interval_datum(working);
			values[4] = interval_datum(cumulative);
			values[5] = BoolGetDatum(cut[k] >= due);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	PG_RETURN_NULL();
}
