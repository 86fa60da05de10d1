/*
 * category_daily_pass.c: appraisal.category_daily_pass(part, parts, blocks,
 * zone, instant), the pass a full refresh on one node makes over the
 * tickets for category_daily (40: category_daily_rows of every day).
 *
 * One part of the tickets' pages (ticket_pass.c: PartScan) is read in the
 * caller's snapshot, each ticket opened by instant counted into its category
 * and day of opening (local_day in zone) in a hash table: tickets,
 * complaints, service- and system-caused complaints.  The query it stands
 * for handed every ticket from a parallel scan through a partial hash
 * aggregate; a test compares the two row for row (sql/scorecards.sql).
 */
#include "ticket_pass.h"

#include "funcapi.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(category_daily_pass);

/* the columns of appraisal.tickets read */
enum
{
	COL_CATEGORY,
	COL_OPENED,
	COL_COMPLAINT,
	COL_CAUSE,
	NCOLUMNS
};

static const char *const column_names[NCOLUMNS] = {
	"category", "opened_at", "complaint", "cause"
};

/* a category-day's counts (its key an AgentDayKey: the category's bytes and the day) */
typedef struct CategoryDayCounts
{
	AgentDayKey key;			/* first: the hash table's key */
	int64		tickets;
	int64		complaints;
	int64		service_complaints;
	int64		system_complaints;
} CategoryDayCounts;

/* a category-day's counts as its row (agent_days_emit sets the category and day) */
static void
category_day_row(const void *entry, Datum *values, bool *nulls)
{
	const CategoryDayCounts *e = (const CategoryDayCounts *) entry;

	(void) nulls;
	values[2] = Int64GetDatum(e->tickets);
	values[3] = Int64GetDatum(e->complaints);
	values[4] = Int64GetDatum(e->service_complaints);
	values[5] = Int64GetDatum(e->system_complaints);
}

Datum
category_daily_pass(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		part,
				parts;
	int64		blocks;
	Datum		zone;
	TimestampTz instant;
	PartScan	ps;
	AttrNumber	attno[NCOLUMNS];
	MemoryContext cxt;
	HTAB	   *category_days;
	long		next_check = AGENT_DAYS_CHECK;
	FmgrInfo	day_fn;

	for (int a = 0; a < 5; a++)
		pass_arg_required(fcinfo, a, "category_daily_pass");
	part = PG_GETARG_INT32(0);
	parts = PG_GETARG_INT32(1);
	blocks = PG_GETARG_INT64(2);
	zone = PG_GETARG_DATUM(3);
	instant = PG_GETARG_TIMESTAMPTZ(4);

	InitMaterializedSRF(fcinfo, 0);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "appraisal category_daily pass", ALLOCSET_DEFAULT_SIZES);
	local_day_init(&day_fn);

	part_scan_begin(&ps, fcinfo, "category_daily_pass", part, parts, blocks, column_names, NCOLUMNS, attno);
	category_days = agent_days_create(sizeof(CategoryDayCounts), cxt);

	while (part_scan_next(&ps))
	{
		Datum	   *values = ps.slot->tts_values;
		bool	   *nulls = ps.slot->tts_isnull;
		TimestampTz opened_at;
		AgentDayKey key;
		CategoryDayCounts *e;

		opened_at = DatumGetTimestampTz(values[attno[COL_OPENED] - 1]);
		if (opened_at > instant)
			continue;			/* a ticket from after the instant counts from the next refresh */
		text_bytes(values[attno[COL_CATEGORY] - 1], &key.agent, &key.len);
		key.day = local_day_of(&day_fn, opened_at, zone);
		category_days = agent_days_flush_if_full(category_days, sizeof(CategoryDayCounts), cxt, &next_check,
												 rsinfo, category_day_row);
		e = (CategoryDayCounts *) agent_day_enter(category_days, &key, sizeof(CategoryDayCounts), cxt);
		e->tickets++;
		if (DatumGetBool(values[attno[COL_COMPLAINT] - 1]))
			e->complaints++;
		if (!nulls[attno[COL_CAUSE] - 1])
		{
			if (text_is(values[attno[COL_CAUSE] - 1], "service", 7))
				e->service_complaints++;
			else if (text_is(values[attno[COL_CAUSE] - 1], "system", 6))
				e->system_complaints++;
		}
	}
	part_scan_end(&ps);

	agent_days_emit(category_days, rsinfo, category_day_row);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
