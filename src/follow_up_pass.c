/*
 * follow_up_pass.c: appraisal.follow_up_pass(lower, upper, zone,
 * call_back_window, instant), the pass a full refresh on one node makes over
 * the tickets for agent_daily_follow_up and agent_daily_csat (41:
 * agent_daily_csat_follow_up_rows).
 *
 * The tickets of a range of ids, their call-backs, survey responses and
 * quality inspections are read in the order of the tables' primary keys (one
 * index scan each, in the caller's snapshot) and merged by ticket: each
 * ticket is seen once with its rows of the other three tables, and counted
 * into its agent-day in a hash table.  The same counts as the query of 41,
 * with no join, sort or grouping node between them: at 10M tickets the
 * executor spent about four fifths of that query's time passing rows from
 * node to node (docs/performance.md).
 *
 * Merging needs, for each row of the other tables, to know whether its
 * ticket comes before, at or after the ticket at hand.  Every such row is of
 * a ticket (their foreign keys), so the pass first trusts that and compares
 * the ids by their bytes alone: a row is the current ticket's or a later
 * one's.  A row whose ticket is not read (one loaded with the foreign keys'
 * triggers off, say) would then hold its table back to the end; the pass
 * sees that and makes the whole pass again comparing the ids in the keys'
 * order, leaving such rows out as the query's joins do.
 *
 * Per agent and day (local_day of the opening in zone), the rows it returns:
 * one per rating scale of the agent-day's counted responses with its count
 * (rated) and its CSAT summary, the first with every count of the follow-up
 * (the others 0), or without a rated ticket one row with the counts,
 * scale_max NULL; the rules are those of 41's query, which a test compares
 * row for row (sql/follow_up.sql).
 */
#include "ticket_pass.h"

#include "access/genam.h"
#include "access/nbtree.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(follow_up_pass);

/* the tables read, in the order of the streams */
enum
{
	TICKETS,
	CALL_BACKS,
	RESPONSES,
	INSPECTIONS,
	NSTREAMS
};

static const char *const table_names[NSTREAMS] = {
	"tickets", "call_backs", "survey_responses", "quality_inspections"
};

/* the columns read of each table; the first is the ticket's id */
#define MAX_COLUMNS 5
static const char *const column_names[NSTREAMS][MAX_COLUMNS] = {
	{"ticket_id", "agent_id", "opened_at", "resolved_at", "cause"},
	{"ticket_id", "called_at"},
	{"ticket_id", "source", "responded_at", "rating", "scale_max"},
	{"ticket_id", "score"}
};

/* one table read in the order of its primary key, its current row at hand */
typedef struct Stream
{
	Relation	heap;
	Relation	index;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	int			ncolumns;
	AttrNumber	attno[MAX_COLUMNS];
	AttrNumber	last;			/* the highest of them */
	ScanKeyData keys[2];
	int			nkeys;
	bool		valid;			/* a row is at hand */
	const char *id;				/* its ticket's id */
	int			len;
} Stream;

/* an agent-day and its counts */
#define NSCALES (MAX_RATING - 1)	/* scale_max 2..10 */

typedef struct AgentDay
{
	AgentDayKey key;			/* first: the hash table's key */
	int64		opened;
	int64		resolved;
	int64		called_back;
	int64		call_back_pending;
	int64		surveyed;
	int64		inspections;
	int64		extreme_responses;
	int64		extreme_satisfied;
	int64		other_responses;
	int64		other_satisfied;
	Datum		score_sum;		/* numeric; 0 while no inspection counts */
	CsatStats  *csat[NSCALES];	/* per scale_max - 2, NULL while none */
} AgentDay;

typedef struct Pass
{
	Stream		streams[NSTREAMS];
	FmgrInfo	compare;		/* the ids' order, the tickets' key's */
	Oid			collation;
	Datum		zone;
	Interval   *window;
	int64		window_usecs;	/* its days and time, when it has no months */
	TimestampTz instant;
	FmgrInfo	local_day;
	MemoryContext groups_cxt;
	HTAB	   *groups;
} Pass;

static void
stream_next(Stream *s)
{
	s->valid = index_getnext_slot(s->scan, ForwardScanDirection, s->slot);
	if (s->valid)
	{
		slot_getsomeattrs(s->slot, s->last);
		text_bytes(s->slot->tts_values[s->attno[0] - 1], &s->id, &s->len);
	}
}

static inline Datum
column(const Stream *s, int i, bool *isnull)
{
	*isnull = s->slot->tts_isnull[s->attno[i] - 1];
	return s->slot->tts_values[s->attno[i] - 1];
}

/*
 * Open table i for reading in its key's order from lower (NULL: the start) to
 * upper (NULL: the end, excluded), with the caller's rights: SELECT on the
 * table, no row-level security in force.
 */
static void
stream_open(Pass *p, int i, Oid nsp, text *lower, text *upper)
{
	Stream	   *s = &p->streams[i];
	Oid			indexid;

	s->heap = open_readable(nsp, table_names[i], "follow_up_pass");
	indexid = RelationGetPrimaryKeyIndex(s->heap);
	if (!OidIsValid(indexid))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table appraisal.%s has no primary key", table_names[i])));
	s->index = index_open(indexid, AccessShareLock);
	s->ncolumns = columns_of(s->heap, column_names[i], MAX_COLUMNS, s->attno, &s->last);
	if (s->index->rd_index->indkey.values[0] != s->attno[0])
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the primary key of appraisal.%s does not begin with ticket_id", table_names[i])));
	if (i == TICKETS)
	{
		p->collation = s->index->rd_indcollation[0];
		fmgr_info_copy(&p->compare, index_getprocinfo(s->index, 1, BTORDER_PROC), CurrentMemoryContext);
	}
	else if (s->index->rd_indcollation[0] != p->collation ||
			 s->index->rd_opfamily[0] != p->streams[TICKETS].index->rd_opfamily[0])
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the ticket ids of appraisal.%s are not ordered as those of appraisal.tickets", table_names[i]),
				 errdetail("Their primary keys' first columns differ in collation or operator class.")));

	s->nkeys = 0;
	if (lower != NULL)
		ScanKeyEntryInitialize(&s->keys[s->nkeys++], 0, 1, BTGreaterEqualStrategyNumber, InvalidOid,
							   p->collation, F_TEXT_GE, PointerGetDatum(lower));
	if (upper != NULL)
		ScanKeyEntryInitialize(&s->keys[s->nkeys++], 0, 1, BTLessStrategyNumber, InvalidOid,
							   p->collation, F_TEXT_LT, PointerGetDatum(upper));
	s->scan = index_begin_scan(s->heap, s->index, GetActiveSnapshot(), s->nkeys);
	s->slot = table_slot_create(s->heap, NULL);
}

static void
stream_close(Stream *s)
{
	ExecDropSingleTupleTableSlot(s->slot);
	index_endscan(s->scan);
	index_close(s->index, AccessShareLock);
	table_close(s->heap, AccessShareLock);
}

/*
 * Whether the row at hand of stream s is of the ticket at hand (id, len);
 * comparing in the keys' order (careful), rows of tickets before it, which
 * none read had, are passed over.
 */
static inline bool
stream_at(Pass *p, Stream *s, bool careful, Datum ticket, const char *id, int len)
{
	while (s->valid)
	{
		if (s->len == len && memcmp(s->id, id, len) == 0)
			return true;
		if (!careful ||
			DatumGetInt32(FunctionCall2Coll(&p->compare, p->collation,
											s->slot->tts_values[s->attno[0] - 1], ticket)) > 0)
			return false;
		stream_next(s);
	}
	return false;
}

/*
 * Whether a + call_back_window >= x, the sum as timestamptz + interval
 * computes it (in the session's time zone).  Without months the sum lies
 * within a day or so of a plus the window's days and time (a change of the
 * zone's offset between the two instants): only instants within three days
 * of that are computed exactly.
 */
static inline bool
window_reaches(const Pass *p, TimestampTz a, TimestampTz x)
{
	int64		approx;

	if (p->window->month == 0 && !pg_add_s64_overflow(a, p->window_usecs, &approx))
	{
		if (approx >= x && approx - x >= 3 * USECS_PER_DAY)
			return true;
		if (approx < x && x - approx >= 3 * USECS_PER_DAY)
			return false;
	}
	return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval, TimestampTzGetDatum(a),
												   IntervalPGetDatum(p->window))) >= x;
}

/* a call at instant c calls back a ticket resolved at a (41: called_back) */
static inline bool
calls_back(const Pass *p, TimestampTz a, TimestampTz c)
{
	return c <= p->instant && c >= a && window_reaches(p, a, c);
}

/* the preference of a response's source for the one counted: web, call-back, other */
static inline int
source_preference(Datum source)
{
	if (text_is(source, "web", 3))
		return 1;
	if (text_is(source, "call_back", 9))
		return 2;
	return 3;
}

/*
 * The rows of the agent-days counted: one per scale rated, the first with
 * the counts, or one of the counts alone (scale_max NULL).
 */
static void
emit(Pass *p, ReturnSetInfo *rsinfo)
{
	HASH_SEQ_STATUS seq;
	AgentDay   *g;

	hash_seq_init(&seq, p->groups);
	while ((g = (AgentDay *) hash_seq_search(&seq)) != NULL)
	{
		Datum		values[16];
		bool		nulls[16];
		bool		first = true;

		memset(nulls, 0, sizeof(nulls));
		values[0] = PointerGetDatum(cstring_to_text_with_len(g->key.agent, g->key.len));
		values[1] = DateADTGetDatum(g->key.day);
		values[3] = Int64GetDatum(g->opened);
		values[4] = Int64GetDatum(g->resolved);
		values[5] = Int64GetDatum(g->called_back);
		values[6] = Int64GetDatum(g->call_back_pending);
		values[7] = Int64GetDatum(g->surveyed);
		values[8] = Int64GetDatum(g->inspections);
		values[9] = g->score_sum;
		nulls[9] = g->score_sum == (Datum) 0;
		values[10] = Int64GetDatum(g->extreme_responses);
		values[11] = Int64GetDatum(g->extreme_satisfied);
		values[12] = Int64GetDatum(g->other_responses);
		values[13] = Int64GetDatum(g->other_satisfied);
		/* the counts in the row of the first scale rated, or of none */
		for (int i = 0; i < NSCALES; i++)
		{
			int64		rated = 0;

			if (g->csat[i] == NULL)
				continue;
			for (int r = 0; r <= MAX_RATING; r++)
				rated += g->csat[i]->count[r];
			values[2] = Int32GetDatum(i + MIN_SCALE_MAX);
			values[14] = Int64GetDatum(rated);
			values[15] = PointerGetDatum(g->csat[i]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			if (first)
			{
				for (int c = 3; c <= 13; c++)
					values[c] = Int64GetDatum(0);
				nulls[9] = true;
				first = false;
			}
		}
		if (first)
		{
			nulls[2] = true;
			values[14] = Int64GetDatum(0);
			nulls[15] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
}

/*
 * One pass over the streams, from their start, its rows returned as its
 * agent-days fill the memory a hash aggregate may take, and at the end
 * (emit); false (its rows not to be used) when, trusting the foreign keys
 * (not careful), a row was left over.
 */
static bool
run_pass(Pass *p, ReturnSetInfo *rsinfo, bool careful)
{
	Stream	   *tickets = &p->streams[TICKETS];
	Stream	   *calls = &p->streams[CALL_BACKS];
	Stream	   *responses = &p->streams[RESPONSES];
	Stream	   *inspections = &p->streams[INSPECTIONS];
	uint32		n = 0;
	long		next_check = AGENT_DAYS_CHECK;

	MemoryContextReset(p->groups_cxt);
	p->groups = agent_days_create(sizeof(AgentDay), p->groups_cxt);

	for (int i = 0; i < NSTREAMS; i++)
	{
		Stream	   *s = &p->streams[i];

		index_rescan(s->scan, s->keys, s->nkeys, NULL, 0);
		stream_next(s);
	}

	for (; tickets->valid; stream_next(tickets))
	{
		Datum		ticket = tickets->slot->tts_values[tickets->attno[0] - 1];
		const char *id = tickets->id;
		int			len = tickets->len;
		bool		isnull;
		AgentDayKey key;
		AgentDay	   *g;
		TimestampTz opened_at = DatumGetTimestampTz(column(tickets, 2, &isnull));
		bool		unresolved;
		TimestampTz resolved_at = DatumGetTimestampTz(column(tickets, 3, &unresolved));
		bool		resolved = !unresolved;
		Datum		cause = column(tickets, 4, &isnull);
		bool		system_caused = false;
		bool		counts = opened_at <= p->instant;
		bool		called = false;
		bool		rated = false;
		int			preference = 0;
		TimestampTz rated_at = 0;
		int32		rating = 0;
		int32		scale_max = 0;

		if ((++n & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!isnull)
			system_caused = text_is(cause, "system", 6);

		/* its call-backs: called back within the window by the instant */
		for (; stream_at(p, calls, careful, ticket, id, len); stream_next(calls))
			if (resolved && !called)
				called = calls_back(p, resolved_at, DatumGetTimestampTz(column(calls, 1, &isnull)));

		/* its responses: one given in a call-back is a call too; the counted one */
		for (; stream_at(p, responses, careful, ticket, id, len); stream_next(responses))
		{
			int			pref = source_preference(column(responses, 1, &isnull));
			TimestampTz at = DatumGetTimestampTz(column(responses, 2, &isnull));

			if (resolved && !called && pref == 2)
				called = calls_back(p, resolved_at, at);
			if (!rated || pref < preference || (pref == preference && at > rated_at))
			{
				rated = true;
				preference = pref;
				rated_at = at;
				rating = DatumGetInt32(column(responses, 3, &isnull));
				scale_max = DatumGetInt32(column(responses, 4, &isnull));
			}
		}

		text_bytes(column(tickets, 1, &isnull), &key.agent, &key.len);
		key.day = local_day_of(&p->local_day, opened_at, p->zone);
		if (agent_days_full(p->groups, p->groups_cxt, &next_check))
		{
			emit(p, rsinfo);
			MemoryContextReset(p->groups_cxt);
			p->groups = agent_days_create(sizeof(AgentDay), p->groups_cxt);
			next_check = AGENT_DAYS_CHECK;
		}
		g = (AgentDay *) agent_day_enter(p->groups, &key, sizeof(AgentDay), p->groups_cxt);

		/* its inspections judge the agent's handling, whatever the cause */
		for (; stream_at(p, inspections, careful, ticket, id, len); stream_next(inspections))
			if (counts)
			{
				Datum		score = column(inspections, 1, &isnull);

				MemoryContext oldcxt = MemoryContextSwitchTo(p->groups_cxt);

				g->inspections++;
				g->score_sum = g->score_sum == (Datum) 0 ? datumCopy(score, false, -1) :
					DirectFunctionCall2(numeric_add, g->score_sum, score);
				MemoryContextSwitchTo(oldcxt);
			}

		if (counts)
		{
			bool		resolved_by = resolved && resolved_at <= p->instant && !system_caused;

			g->opened++;
			if (resolved_by)
			{
				g->resolved++;
				if (rated)
					g->surveyed++;
				if (!called && window_reaches(p, resolved_at, p->instant))
					g->call_back_pending++;
			}
			if (called && !system_caused)
				g->called_back++;
			if (rated && !system_caused)
			{
				bool		satisfied = rating >= scale_max - 1;

				if (rating == 1 || rating == scale_max)
				{
					g->extreme_responses++;
					g->extreme_satisfied += satisfied;
				}
				else
				{
					g->other_responses++;
					g->other_satisfied += satisfied;
				}
			}
		}
		if (rated && !system_caused)
		{
			int			slot = scale_max - MIN_SCALE_MAX;

			if (slot < 0 || slot >= NSCALES)
			{
				CsatStats	none = {0};

				csat_stats_add(&none, rating, scale_max);	/* its error */
			}
			if (g->csat[slot] == NULL)
				g->csat[slot] = MemoryContextAllocZero(p->groups_cxt, sizeof(CsatStats));
			csat_stats_add(g->csat[slot], rating, scale_max);
		}
	}

	for (int i = CALL_BACKS; i < NSTREAMS; i++)
		if (p->streams[i].valid)
			return false;
	return true;
}

Datum
follow_up_pass(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *lower = PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0);
	text	   *upper = PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1);
	Pass		p;
	Oid			nsp;

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("follow_up_pass needs a time zone, a call-back window and an instant")));
	memset(&p, 0, sizeof(p));
	p.zone = PG_GETARG_DATUM(2);
	p.window = PG_GETARG_INTERVAL_P(3);
	p.window_usecs = p.window->day * USECS_PER_DAY + p.window->time;
	p.instant = PG_GETARG_TIMESTAMPTZ(4);
	local_day_init(&p.local_day);

	InitMaterializedSRF(fcinfo, 0);
	nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	for (int i = 0; i < NSTREAMS; i++)
		stream_open(&p, i, nsp, lower, upper);
	p.groups_cxt = AllocSetContextCreate(CurrentMemoryContext, "appraisal follow-up pass", ALLOCSET_DEFAULT_SIZES);

	if (!run_pass(&p, rsinfo, false))
	{
		tuplestore_clear(rsinfo->setResult);	/* the rows of agent-days it returned */
		ereport(DEBUG1,
				(errmsg_internal("appraisal.follow_up_pass: rows of tickets not read were left over; passing again, the ids compared in the keys' order")));
		run_pass(&p, rsinfo, true);
	}

	emit(&p, rsinfo);

	MemoryContextDelete(p.groups_cxt);
	for (int i = 0; i < NSTREAMS; i++)
		stream_close(&p.streams[i]);
	return (Datum) 0;
}
