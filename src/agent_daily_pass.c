/*
 * agent_daily_pass.c: appraisal.agent_daily_pass(part, parts, blocks, ...),
 * the pass a full refresh on one node makes over the tickets for
 * agent_daily, before it adds each agent-day's comebacks (40:
 * agent_daily_rows given no comebacks).
 *
 * One part of the tickets' pages (part of parts, of the blocks the caller
 * counted; the last part runs to the table's end) is read in one TID range
 * scan in the caller's snapshot, each ticket counted into its agent-day in a
 * hash table: its SLA items (first response, resolution, complaint handling)
 * against the policy of its channel and priority, with its pauses, its FCR
 * (no comeback: the refresh adds those apart) and its complaints.  The same
 * counts as agent_daily_rows's query, where the executor passed every ticket
 * from a parallel scan to one process that grouped them all; a test compares
 * the two row for row (sql/scorecards.sql).
 *
 * The policies are given as agent_daily_rows gives them to its query
 * (sla_policy_arrays: channel, priority, targets and calendars as values):
 * a ticket's channel (priority) is the policy's when some policy names it,
 * else '' (any); its policy is the one of that channel and priority.
 */
#include "ticket_pass.h"
#include "calendar.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "storage/bufmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(agent_daily_pass);

/* the columns of appraisal.tickets read */
enum
{
	COL_AGENT,
	COL_OPENED,
	COL_FIRST_RESPONSE,
	COL_RESOLVED,
	COL_CONTACTS,
	COL_CHANNEL,
	COL_PRIORITY,
	COL_COMPLAINT,
	COL_CAUSE,
	COL_PAUSES,
	NCOLUMNS
};

static const char *const column_names[NCOLUMNS] = {
	"agent_id", "opened_at", "first_response_at", "resolved_at", "contacts",
	"channel", "priority", "complaint", "cause", "pauses"
};

/* one SLA policy: the channel and priority it is for ('' any), its targets */
typedef struct Policy
{
	const char *channel;
	int			channel_len;
	const char *priority;
	int			priority_len;
	const Interval *first_response_target;	/* NULL: none given */
	const CompiledCalendar *first_response_calendar;
	const Interval *resolution_target;
	const CompiledCalendar *resolution_calendar;
} Policy;

/* a channel and priority met, and the policy of their keys (-1: none) */
#define MAX_PAIRS 64
typedef struct Pair
{
	char	   *channel;
	int			channel_len;
	char	   *priority;
	int			priority_len;
	int			policy;
} Pair;

typedef struct AgentDayCounts
{
	AgentDayKey key;			/* first: the hash table's key */
	int64		tickets;
	int64		complaints;
	int64		service_complaints;
	int64		system_complaints;
	int64		system_first_responses_excluded;
	SlaStats	first_response;
	SlaStats	resolution;
	SlaStats	complaint_handling;
	FcrStats	fcr;
} AgentDayCounts;

typedef struct Pass
{
	int			npolicies;
	Policy	   *policies;
	int			nnamed_channels;
	Datum	   *named_channels;
	bool	   *named_channel_nulls;
	int			nnamed_priorities;
	Datum	   *named_priorities;
	bool	   *named_priority_nulls;
	int			npairs;
	Pair		pairs[MAX_PAIRS];
} Pass;

/* the elements of a one-dimensional array argument, NULLs kept as NULL */
static int
array_arg(FunctionCallInfo fcinfo, int argno, Datum **values, bool **nulls)
{
	ArrayType  *a;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			n;

	pass_arg_required(fcinfo, argno, "agent_daily_pass");
	a = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("agent_daily_pass: argument %d must be a one-dimensional array", argno + 1)));
	get_typlenbyvalalign(ARR_ELEMTYPE(a), &typlen, &typbyval, &typalign);
	deconstruct_array(a, ARR_ELEMTYPE(a), typlen, typbyval, typalign, values, nulls, &n);
	return n;
}

/* whether a text column's bytes are among names (NULLs never are) */
static bool
named(const char *p, int len, const Datum *names, const bool *nulls, int n)
{
	for (int i = 0; i < n; i++)
	{
		const char *q;
		int			qlen;

		if (nulls[i])
			continue;
		text_bytes(names[i], &q, &qlen);
		if (qlen == len && memcmp(p, q, len) == 0)
			return true;
	}
	return false;
}

/*
 * The policy of a channel and priority (-1: none): a channel (priority) no
 * policy names is taken as any, '', as the query's join to the matrix takes it.
 */
static int
find_policy(const Pass *p, const char *c, int clen, const char *r, int rlen)
{
	int			ckey = named(c, clen, p->named_channels, p->named_channel_nulls, p->nnamed_channels) ? clen : 0;
	int			rkey = named(r, rlen, p->named_priorities, p->named_priority_nulls, p->nnamed_priorities) ? rlen : 0;

	for (int i = 0; i < p->npolicies; i++)
	{
		const Policy *pol = &p->policies[i];

		if (pol->channel != NULL && pol->priority != NULL &&
			pol->channel_len == ckey && memcmp(pol->channel, c, ckey) == 0 &&
			pol->priority_len == rkey && memcmp(pol->priority, r, rkey) == 0)
			return i;
	}
	return -1;
}

/*
 * The policy of a ticket's channel and priority (-1: none), remembered for
 * the first MAX_PAIRS pairs met (beyond them, found again each time)
 */
static int
policy_of(Pass *p, Datum channel, Datum priority)
{
	const char *c,
			   *r;
	int			clen,
				rlen;
	int			policy;

	text_bytes(channel, &c, &clen);
	text_bytes(priority, &r, &rlen);
	for (int i = 0; i < p->npairs; i++)
		if (p->pairs[i].channel_len == clen && p->pairs[i].priority_len == rlen &&
			memcmp(p->pairs[i].channel, c, clen) == 0 && memcmp(p->pairs[i].priority, r, rlen) == 0)
			return p->pairs[i].policy;

	policy = find_policy(p, c, clen, r, rlen);
	if (p->npairs < MAX_PAIRS)
	{
		Pair	   *pair = &p->pairs[p->npairs++];

		pair->channel = pnstrdup(c, clen);
		pair->channel_len = clen;
		pair->priority = pnstrdup(r, rlen);
		pair->priority_len = rlen;
		pair->policy = policy;
	}
	return policy;
}

/* an SLA item against a target and calendar, as sla_agg takes it */
static inline void
sla_item(SlaStats *st, const Interval *target, const CompiledCalendar *cal, TimestampTz start,
		 const TimestampTz *stop, TimestampTz as_of, const Pauses *pauses)
{
	if (target == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the SLA target must not be NULL")));
	if (cal == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the business calendar must not be NULL")));
	sla_stats_add_item(st, cal, start, stop, as_of, target, pauses);
}

/* the policies from the arrays of arguments 7..12 (sla_policy_arrays) */
static void
read_policies(FunctionCallInfo fcinfo, Pass *p, MemoryContext cxt)
{
	Datum	   *v[6];
	bool	   *isnull[6];
	int			n = array_arg(fcinfo, 7, &v[0], &isnull[0]);

	for (int a = 1; a < 6; a++)
		if (array_arg(fcinfo, 7 + a, &v[a], &isnull[a]) != n)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("agent_daily_pass: the policies' arrays differ in length")));
	p->npolicies = n;
	p->policies = palloc0(sizeof(Policy) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		Policy	   *pol = &p->policies[i];

		if (!isnull[0][i])
			text_bytes(v[0][i], &pol->channel, &pol->channel_len);
		if (!isnull[1][i])
			text_bytes(v[1][i], &pol->priority, &pol->priority_len);
		if (!isnull[2][i])
			pol->first_response_target = DatumGetIntervalP(v[2][i]);
		if (!isnull[3][i])
			pol->first_response_calendar = calendar_of_value((struct varlena *) DatumGetPointer(v[3][i]), cxt);
		if (!isnull[4][i])
			pol->resolution_target = DatumGetIntervalP(v[4][i]);
		if (!isnull[5][i])
			pol->resolution_calendar = calendar_of_value((struct varlena *) DatumGetPointer(v[5][i]), cxt);
	}
}

/* an agent-day's counts as its row (agent_days_emit sets the agent and day) */
static void
agent_day_row(const void *entry, Datum *values, bool *nulls)
{
	const AgentDayCounts *e = (const AgentDayCounts *) entry;

	(void) nulls;
	values[2] = Int64GetDatum(e->tickets);
	values[3] = PointerGetDatum(&e->first_response);
	values[4] = PointerGetDatum(&e->resolution);
	values[5] = PointerGetDatum(&e->fcr);
	values[6] = Int64GetDatum(e->complaints);
	values[7] = Int64GetDatum(e->service_complaints);
	values[8] = Int64GetDatum(e->system_complaints);
	values[9] = Int64GetDatum(e->system_first_responses_excluded);
	values[10] = PointerGetDatum(&e->complaint_handling);
}

Datum
agent_daily_pass(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		part,
				parts;
	int64		blocks;
	Datum		zone;
	TimestampTz instant;
	bool		system_first_response;
	Interval   *repeat_window;
	Pass		p;
	PartScan	ps;
	AttrNumber	attno[NCOLUMNS];
	MemoryContext cxt,
				rowcxt,
				daycxt;
	HTAB	   *agent_days;
	long		next_check = AGENT_DAYS_CHECK;
	AgentDayCounts *e;
	FmgrInfo	day_fn;
	Pauses		pauses = {0};

	for (int a = 0; a <= 5; a++)
		pass_arg_required(fcinfo, a, "agent_daily_pass");
	part = PG_GETARG_INT32(0);
	parts = PG_GETARG_INT32(1);
	blocks = PG_GETARG_INT64(2);
	zone = PG_GETARG_DATUM(3);
	instant = PG_GETARG_TIMESTAMPTZ(4);
	system_first_response = PG_GETARG_BOOL(5);
	repeat_window = PG_ARGISNULL(6) ? NULL : PG_GETARG_INTERVAL_P(6);

	memset(&p, 0, sizeof(p));
	InitMaterializedSRF(fcinfo, 0);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "appraisal agent_daily pass", ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(cxt, "appraisal agent_daily pass row", ALLOCSET_SMALL_SIZES);
	daycxt = AllocSetContextCreate(cxt, "appraisal agent_daily pass agent-days", ALLOCSET_DEFAULT_SIZES);
	read_policies(fcinfo, &p, cxt);
	p.nnamed_channels = array_arg(fcinfo, 13, &p.named_channels, &p.named_channel_nulls);
	p.nnamed_priorities = array_arg(fcinfo, 14, &p.named_priorities, &p.named_priority_nulls);
	local_day_init(&day_fn);

	part_scan_begin(&ps, fcinfo, "agent_daily_pass", part, parts, blocks, column_names, NCOLUMNS, attno);
	agent_days = agent_days_create(sizeof(AgentDayCounts), daycxt);

	while (part_scan_next(&ps))
	{
		Datum	   *values = ps.slot->tts_values;
		bool	   *nulls = ps.slot->tts_isnull;
		TimestampTz opened_at;
		bool		system_caused = false,
					service = false;
		AgentDayKey key;

		opened_at = DatumGetTimestampTz(values[attno[COL_OPENED] - 1]);
		if (opened_at > instant)
			continue;			/* a ticket from after the instant counts from the next refresh */
		if (!nulls[attno[COL_CAUSE] - 1])
		{
			system_caused = text_is(values[attno[COL_CAUSE] - 1], "system", 6);
			service = text_is(values[attno[COL_CAUSE] - 1], "service", 7);
		}
		text_bytes(values[attno[COL_AGENT] - 1], &key.agent, &key.len);
		key.day = local_day_of(&day_fn, opened_at, zone);
		agent_days = agent_days_flush_if_full(agent_days, sizeof(AgentDayCounts), daycxt, &next_check,
											  rsinfo, agent_day_row);
		e = (AgentDayCounts *) agent_day_enter(agent_days, &key, sizeof(AgentDayCounts), daycxt);

		e->tickets++;
		if (DatumGetBool(values[attno[COL_COMPLAINT] - 1]))
			e->complaints++;
		if (service)
			e->service_complaints++;
		if (system_caused)
		{
			e->system_complaints++;
			if (!system_first_response)
				e->system_first_responses_excluded++;
		}

		/* (a system-caused complaint is not the agent's: first response only if set so) */
		if (!system_caused || system_first_response)
		{
			int			policy = policy_of(&p, values[attno[COL_CHANNEL] - 1], values[attno[COL_PRIORITY] - 1]);
			const Policy *pol = policy >= 0 ? &p.policies[policy] : NULL;
			bool		resolved = !nulls[attno[COL_RESOLVED] - 1];
			TimestampTz resolved_at = DatumGetTimestampTz(values[attno[COL_RESOLVED] - 1]);
			TimestampTz first_response;
			const TimestampTz *responded = NULL;

			pauses.n = 0;
			if (!nulls[attno[COL_PAUSES] - 1])
			{
				/* (read in a context of its own: a stored value is copied to be read) */
				MemoryContext old = MemoryContextSwitchTo(rowcxt);

				pauses_of(DatumGetMultirangeTypeP(values[attno[COL_PAUSES] - 1]), &pauses, cxt);
				MemoryContextSwitchTo(old);
				MemoryContextReset(rowcxt);
			}
			if (!nulls[attno[COL_FIRST_RESPONSE] - 1])
			{
				first_response = DatumGetTimestampTz(values[attno[COL_FIRST_RESPONSE] - 1]);
				responded = &first_response;
			}
			else if (resolved)
				responded = &resolved_at;
			sla_item(&e->first_response, pol ? pol->first_response_target : NULL,
					 pol ? pol->first_response_calendar : NULL, opened_at, responded, instant, &pauses);
			if (!system_caused)
			{
				sla_item(&e->resolution, pol ? pol->resolution_target : NULL,
						 pol ? pol->resolution_calendar : NULL, opened_at, resolved ? &resolved_at : NULL,
						 instant, &pauses);
				if (resolved && resolved_at <= instant && !nulls[attno[COL_CONTACTS] - 1])
					fcr_stats_add(&e->fcr, DatumGetInt32(values[attno[COL_CONTACTS] - 1]), NULL, repeat_window);
			}
			if (service)
				sla_item(&e->complaint_handling, pol ? pol->resolution_target : NULL,
						 pol ? pol->resolution_calendar : NULL, opened_at, resolved ? &resolved_at : NULL,
						 instant, &pauses);
		}
	}
	part_scan_end(&ps);

	agent_days_emit(agent_days, rsinfo, agent_day_row);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
