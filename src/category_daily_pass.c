/*
 * category_daily_pass.c: appraisal.category_daily_pass(part, parts, blocks,
 * zone, instant), the pass a full refresh on one node makes over the
 * tickets for category_daily (40: category_daily_rows of every day).
 *
 * One part of the tickets' pages (ticket_pass.c: part_scan) is read in the
 * caller's snapshot, each ticket opened by instant counted into its category
 * and day of opening (local_day in zone) in a hash table: tickets,
 * complaints, service- and system-caused complaints.  The query it stands
 * for handed every ticket from a parallel scan through a partial hash
 * aggregate; a test compares the two row for row (sql/scorecards.sql).
 */
#include "ticket_pass.h"

#include "access/table.h"
#include "access/tableam.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
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

/* the rows of the category-days counted */
static void
emit(HTAB *category_days, ReturnSetInfo *rsinfo)
{
	HASH_SEQ_STATUS seq;
	CategoryDayCounts *e;

	hash_seq_init(&seq, category_days);
	while ((e = (CategoryDayCounts *) hash_seq_search(&seq)) != NULL)
	{
		Datum		values[6];
		bool		nulls[6] = {0};

		values[0] = PointerGetDatum(cstring_to_text_with_len(e->key.agent, e->key.len));
		values[1] = DateADTGetDatum(e->key.day);
		values[2] = Int64GetDatum(e->tickets);
		values[3] = Int64GetDatum(e->complaints);
		values[4] = Int64GetDatum(e->service_complaints);
		values[5] = Int64GetDatum(e->system_complaints);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
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
	Relation	rel;
	AttrNumber	attno[NCOLUMNS];
	AttrNumber	last = 0;
	TableScanDesc scan;
	TupleTableSlot *slot;
	MemoryContext cxt;
	HTAB	   *category_days;
	long		next_check = AGENT_DAYS_CHECK;
	FmgrInfo	day_fn;
	uint32		n = 0;

	for (int a = 0; a < 5; a++)
		if (PG_ARGISNULL(a))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("category_daily_pass: argument %d must not be NULL", a + 1)));
	part = PG_GETARG_INT32(0);
	parts = PG_GETARG_INT32(1);
	blocks = PG_GETARG_INT64(2);
	zone = PG_GETARG_DATUM(3);
	instant = PG_GETARG_TIMESTAMPTZ(4);

	InitMaterializedSRF(fcinfo, 0);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "appraisal category_daily pass", ALLOCSET_DEFAULT_SIZES);
	local_day_init(&day_fn);

	rel = open_readable(get_func_namespace(fcinfo->flinfo->fn_oid), "tickets", "category_daily_pass");
	columns_of(rel, column_names, NCOLUMNS, attno, &last);
	scan = part_scan(rel, part, parts, blocks, "category_daily_pass");
	slot = table_slot_create(rel, NULL);
	category_days = agent_days_create(sizeof(CategoryDayCounts), cxt);

	while (table_scan_getnextslot_tidrange(scan, ForwardScanDirection, slot))
	{
		Datum	   *values = slot->tts_values;
		bool	   *nulls = slot->tts_isnull;
		TimestampTz opened_at;
		AgentDayKey key;
		CategoryDayCounts *e;

		if ((++n & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		slot_getsomeattrs(slot, last);
		opened_at = DatumGetTimestampTz(values[attno[COL_OPENED] - 1]);
		if (opened_at > instant)
			continue;			/* a ticket from after the instant counts from the next refresh */
		text_bytes(values[attno[COL_CATEGORY] - 1], &key.agent, &key.len);
		key.day = local_day_of(&day_fn, opened_at, zone);
		if (agent_days_full(category_days, cxt, &next_check))
		{
			emit(category_days, rsinfo);
			MemoryContextReset(cxt);
			category_days = agent_days_create(sizeof(CategoryDayCounts), cxt);
			next_check = AGENT_DAYS_CHECK;
		}
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
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	table_close(rel, AccessShareLock);

	emit(category_days, rsinfo);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
