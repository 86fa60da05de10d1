/*
 * comeback_pass.c: appraisal.comeback_pass(part, parts, repeat_window,
 * active_from), the comebacks' window a full refresh on one node computes
 * for recurred_tickets and active_tickets (40: comeback_rows_in_parts).
 *
 * A comeback is the same customer's next ticket of the same category
 * (system-caused complaints left out), in the order of opening, then of
 * ticket number: comeback_rows's window, lead(opened_at) OVER (PARTITION BY
 * customer, category ORDER BY opened_at, ticket_id), the customer and
 * category compared by their bytes.  Here one part of the customers (a hash
 * of their ids' bytes) is read in one scan of the table in the caller's
 * snapshot, each ticket of it put into PostgreSQL's tuplesort, which keeps
 * to work_mem (at most SORT_MEMORY_KB) and goes to disk beyond it, sorted by
 * a 64-bit hash of its customer and category first (compared as a number,
 * where the query compared two strings: a customer's tickets of one
 * category stay together whatever their hash, the customer and category
 * compared next, exact), then the customer, the category, the opening and
 * the ticket number (the database's collation, the column's: the query's
 * order).  The sorted tickets are then read once, each with the next one of
 * its partition, and those that recurred (came_back) or are active (open,
 * or the last of their customer and category and resolved at or after
 * active_from) returned: comeback_rows's rows given active_from, where the
 * executor ran a window, a SQL function and a filter over every ticket.  A
 * test compares the two row for row (sql/scorecards.sql).  Without
 * active_from, the pass finds it as the refresh defines it, from the latest
 * opening of a customer's ticket, which every part's scan reads: no scan of
 * the tickets apart for it.
 */
#include "ticket_pass.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplesort.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(comeback_pass);

/* the columns of appraisal.tickets read */
enum
{
	COL_TICKET,
	COL_OPENED,
	COL_RESOLVED,
	COL_CONTACTS,
	COL_AGENT,
	COL_CATEGORY,
	COL_CUSTOMER,
	COL_CAUSE,
	NCOLUMNS
};

static const char *const column_names[NCOLUMNS] = {
	"ticket_id", "opened_at", "resolved_at", "contacts", "agent_id", "category", "customer_id", "cause"
};

/*
 * The sort's memory: work_mem, but no more than this.  Runs of a few
 * megabytes are sorted within the processor's caches and merged cheaply;
 * at 10M tickets a part of two took 3.27-3.30 s sorted in 256 MB (the
 * refresh's work_mem) against 2.84-2.99 s in 4 MB, three alternated rounds.
 */
#define SORT_MEMORY_KB 4096

/* the columns of the tuples sorted, the first five the sort's keys */
enum
{
	S_HASH,
	S_CUSTOMER,
	S_CATEGORY,
	S_OPENED,
	S_TICKET,
	S_RESOLVED,
	S_CONTACTS,
	S_AGENT,
	S_NCOLUMNS
};

#define S_NKEYS 5

/* a text column's bytes, kept until the next ticket of the sort is read */
typedef struct Bytes
{
	char	   *data;
	int			len;
	int			size;
} Bytes;

/* a ticket read back from the sort */
typedef struct Ticket
{
	int64		hash;
	Bytes		customer;
	Bytes		category;
	Bytes		ticket;
	Bytes		agent;
	TimestampTz opened_at;
	bool		resolved;
	TimestampTz resolved_at;
	bool		has_contacts;
	int32		contacts;
} Ticket;

static void
bytes_set(Bytes *b, Datum d, MemoryContext cxt)
{
	const char *p;
	int			len;

	text_bytes(d, &p, &len);
	if (len > b->size)
	{
		b->size = Max(len, 32);
		b->data = b->data ? repalloc(b->data, b->size) : MemoryContextAlloc(cxt, b->size);
	}
	memcpy(b->data, p, len);
	b->len = len;
}

static inline bool
bytes_equal(const Bytes *a, const Bytes *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static inline Datum
bytes_text(const Bytes *b)
{
	return PointerGetDatum(cstring_to_text_with_len(b->data, b->len));
}

/*
 * Whether a ticket resolved at resolved_at recurred when its partition's
 * next ticket opened at next: appraisal.came_back, greatest(next -
 * resolved_at, '0') <= window as SQL compares intervals (by their length: a
 * month 30 days, a day 24 hours); the difference out of range is the error
 * timestamptz - timestamptz raises.
 */
static bool
came_back(TimestampTz resolved_at, TimestampTz next, Interval *window)
{
	Interval	gap = {0};

	if (pg_sub_s64_overflow(next, resolved_at, &gap.time))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	if (gap.time < 0)
		gap.time = 0;
	return interval_compare(&gap, window) <= 0;
}

/* t's row, given its partition's next ticket (NULL: none), if it belongs */
static void
put_row(ReturnSetInfo *rsinfo, const Ticket *t, const Ticket *next, Interval *window,
		TimestampTz active_from, MemoryContext rowcxt)
{
	bool		recurred = t->resolved && next != NULL && came_back(t->resolved_at, next->opened_at, window);
	bool		active = !t->resolved || (next == NULL && t->resolved_at >= active_from);
	Datum		values[10];
	bool		nulls[10] = {0};
	MemoryContext old;

	if (!recurred && !active)
		return;
	old = MemoryContextSwitchTo(rowcxt);
	values[0] = bytes_text(&t->ticket);
	values[1] = bytes_text(&t->customer);
	values[2] = bytes_text(&t->category);
	values[3] = TimestampTzGetDatum(t->opened_at);
	values[4] = TimestampTzGetDatum(t->resolved_at);
	nulls[4] = !t->resolved;
	nulls[5] = next == NULL;
	values[5] = next ? TimestampTzGetDatum(next->opened_at) : (Datum) 0;
	values[6] = bytes_text(&t->agent);
	values[7] = Int32GetDatum(t->contacts);
	nulls[7] = !t->has_contacts;
	values[8] = BoolGetDatum(recurred);
	values[9] = BoolGetDatum(active);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(rowcxt);
}

/* the ticket in slot (from the sort), its bytes copied into t */
static void
read_ticket(TupleTableSlot *slot, Ticket *t, MemoryContext cxt)
{
	Datum	   *v = slot->tts_values;
	bool	   *n = slot->tts_isnull;

	slot_getallattrs(slot);
	t->hash = DatumGetInt64(v[S_HASH]);
	bytes_set(&t->customer, v[S_CUSTOMER], cxt);
	bytes_set(&t->category, v[S_CATEGORY], cxt);
	bytes_set(&t->ticket, v[S_TICKET], cxt);
	bytes_set(&t->agent, v[S_AGENT], cxt);
	t->opened_at = DatumGetTimestampTz(v[S_OPENED]);
	t->resolved = !n[S_RESOLVED];
	t->resolved_at = t->resolved ? DatumGetTimestampTz(v[S_RESOLVED]) : 0;
	t->has_contacts = !n[S_CONTACTS];
	t->contacts = t->has_contacts ? DatumGetInt32(v[S_CONTACTS]) : 0;
}

/* the descriptor of the tuples sorted */
static TupleDesc
sort_desc(Oid ticket_collation)
{
	TupleDesc	desc = CreateTemplateTupleDesc(S_NCOLUMNS);

	TupleDescInitEntry(desc, S_HASH + 1, "hash", INT8OID, -1, 0);
	TupleDescInitEntry(desc, S_CUSTOMER + 1, "customer_id", TEXTOID, -1, 0);
	TupleDescInitEntry(desc, S_CATEGORY + 1, "category", TEXTOID, -1, 0);
	TupleDescInitEntry(desc, S_OPENED + 1, "opened_at", TIMESTAMPTZOID, -1, 0);
	TupleDescInitEntry(desc, S_TICKET + 1, "ticket_id", TEXTOID, -1, 0);
	TupleDescInitEntry(desc, S_RESOLVED + 1, "resolved_at", TIMESTAMPTZOID, -1, 0);
	TupleDescInitEntry(desc, S_CONTACTS + 1, "contacts", INT4OID, -1, 0);
	TupleDescInitEntry(desc, S_AGENT + 1, "agent_id", TEXTOID, -1, 0);
	TupleDescInitEntryCollation(desc, S_CUSTOMER + 1, C_COLLATION_OID);
	TupleDescInitEntryCollation(desc, S_CATEGORY + 1, C_COLLATION_OID);
	TupleDescInitEntryCollation(desc, S_TICKET + 1, ticket_collation);
	return desc;
}

Datum
comeback_pass(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		part,
				parts;
	Interval   *window;
	TimestampTz active_from;
	Relation	rel;
	AttrNumber	attno[NCOLUMNS];
	AttrNumber	last = 0;
	Oid			ticket_collation;
	TupleDesc	desc;
	AttrNumber	keys[S_NKEYS] = {S_HASH + 1, S_CUSTOMER + 1, S_CATEGORY + 1, S_OPENED + 1, S_TICKET + 1};
	Oid			operators[S_NKEYS];
	Oid			collations[S_NKEYS];
	bool		nulls_first[S_NKEYS] = {0};
	Tuplesortstate *sort;
	TableScanDesc scan;
	TupleTableSlot *slot,
			   *sorted;
	MemoryContext cxt,
				rowcxt;
	Ticket		tickets[2] = {0};
	Ticket	   *prev = &tickets[0],
			   *cur = &tickets[1];
	bool		have_prev = false;
	TimestampTz latest = DT_NOBEGIN;	/* the latest opening read */
	uint32		n = 0;

	for (int a = 0; a < 3; a++)
		pass_arg_required(fcinfo, a, "comeback_pass");
	part = PG_GETARG_INT32(0);
	parts = PG_GETARG_INT32(1);
	if (parts < 1 || part < 0 || part >= parts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("comeback_pass: part %d of %d parts does not exist", part, parts),
				 errdetail("A part is numbered from 0 to parts - 1, and there is one part or more.")));
	window = PG_GETARG_INTERVAL_P(2);
	active_from = PG_ARGISNULL(3) ? 0 : PG_GETARG_TIMESTAMPTZ(3);

	InitMaterializedSRF(fcinfo, 0);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "appraisal comeback pass", ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(cxt, "appraisal comeback pass row", ALLOCSET_SMALL_SIZES);

	rel = open_readable(get_func_namespace(fcinfo->flinfo->fn_oid), "tickets", "comeback_pass");
	columns_of(rel, column_names, NCOLUMNS, attno, &last);
	/* ties of an opening ordered by ticket number in its column's collation */
	ticket_collation = TupleDescAttr(RelationGetDescr(rel), attno[COL_TICKET] - 1)->attcollation;

	desc = sort_desc(ticket_collation);
	for (int k = 0; k < S_NKEYS; k++)
		operators[k] = lookup_type_cache(TupleDescAttr(desc, keys[k] - 1)->atttypid, TYPECACHE_LT_OPR)->lt_opr;
	collations[0] = InvalidOid;
	collations[1] = C_COLLATION_OID;
	collations[2] = C_COLLATION_OID;
	collations[3] = InvalidOid;
	collations[4] = ticket_collation;
	sort = tuplesort_begin_heap(desc, S_NKEYS, keys, operators, collations, nulls_first,
								Min(work_mem, SORT_MEMORY_KB), NULL, TUPLESORT_NONE);

	/* one part of the customers' tickets into the sort */
	slot = table_slot_create(rel, NULL);
	sorted = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		Datum	   *values = slot->tts_values;
		bool	   *isnull = slot->tts_isnull;
		const char *customer,
				   *category;
		int			customer_len,
					category_len;
		uint64		customer_hash;

		if ((++n & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		slot_getsomeattrs(slot, last);
		if (isnull[attno[COL_CUSTOMER] - 1])
			continue;			/* no customer: no comeback */
		if (!isnull[attno[COL_CAUSE] - 1] && text_is(values[attno[COL_CAUSE] - 1], "system", 6))
			continue;			/* a system-caused complaint is no one's comeback */
		latest = Max(latest, DatumGetTimestampTz(values[attno[COL_OPENED] - 1]));
		text_bytes(values[attno[COL_CUSTOMER] - 1], &customer, &customer_len);
		customer_hash = hash_bytes_extended((const unsigned char *) customer, customer_len, 0);
		if (customer_hash % (uint64) parts != (uint64) part)
			continue;
		text_bytes(values[attno[COL_CATEGORY] - 1], &category, &category_len);

		ExecClearTuple(sorted);
		sorted->tts_values[S_HASH] = Int64GetDatum((int64) hash_combine64(customer_hash,
																		  hash_bytes_extended((const unsigned char *) category,
																							  category_len, 0)));
		sorted->tts_values[S_CUSTOMER] = values[attno[COL_CUSTOMER] - 1];
		sorted->tts_values[S_CATEGORY] = values[attno[COL_CATEGORY] - 1];
		sorted->tts_values[S_OPENED] = values[attno[COL_OPENED] - 1];
		sorted->tts_values[S_TICKET] = values[attno[COL_TICKET] - 1];
		sorted->tts_values[S_RESOLVED] = values[attno[COL_RESOLVED] - 1];
		sorted->tts_isnull[S_RESOLVED] = isnull[attno[COL_RESOLVED] - 1];
		sorted->tts_values[S_CONTACTS] = values[attno[COL_CONTACTS] - 1];
		sorted->tts_isnull[S_CONTACTS] = isnull[attno[COL_CONTACTS] - 1];
		sorted->tts_values[S_AGENT] = values[attno[COL_AGENT] - 1];
		for (int c = 0; c < S_NCOLUMNS; c++)
			if (c != S_RESOLVED && c != S_CONTACTS)
				sorted->tts_isnull[c] = false;
		ExecStoreVirtualTuple(sorted);
		tuplesort_puttupleslot(sort, sorted);
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	table_close(rel, AccessShareLock);

	/*
	 * Without active_from, from the latest opening of any customer's ticket
	 * (every part reads every ticket: each finds the same) less the window,
	 * as latest - repeat_window in SQL (the session's time zone), but never
	 * after the latest opening itself: the latest ticket is always active.
	 */
	if (PG_ARGISNULL(3) && latest != DT_NOBEGIN)
		active_from = Min(latest, DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
																		  TimestampTzGetDatum(latest),
																		  IntervalPGetDatum(window))));

	/* each ticket with the next of its partition */
	tuplesort_performsort(sort);
	ExecDropSingleTupleTableSlot(sorted);
	sorted = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	while (tuplesort_gettupleslot(sort, true, false, sorted, NULL))
	{
		Ticket	   *t;

		if ((++n & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		read_ticket(sorted, cur, cxt);
		if (have_prev)
		{
			bool		same = prev->hash == cur->hash && bytes_equal(&prev->customer, &cur->customer) &&
				bytes_equal(&prev->category, &cur->category);

			put_row(rsinfo, prev, same ? cur : NULL, window, active_from, rowcxt);
		}
		t = prev;
		prev = cur;
		cur = t;
		have_prev = true;
	}
	if (have_prev)
		put_row(rsinfo, prev, NULL, window, active_from, rowcxt);
	tuplesort_end(sort);
	ExecDropSingleTupleTableSlot(sorted);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
