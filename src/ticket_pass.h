/*
 * ticket_pass.h: what the passes in C over the tickets share
 * (ticket_pass.c): opening a table with the caller's rights, the bytes of a
 * text column, its columns' numbers, a scan of a part of its pages, the
 * local day of an opening, and a hash table of agent-days keyed by the
 * agent's bytes and the day.  Used by follow_up_pass.c, agent_daily_pass.c,
 * category_daily_pass.c and comeback_pass.c.
 */
#ifndef TICKET_PASS_H
#define TICKET_PASS_H

#include "appraisal.h"

#include "miscadmin.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/hsearch.h"
#include "utils/rel.h"
#include "access/relscan.h"
#include "funcapi.h"

/* an agent-day's key; the first member of every entry of its table */
typedef struct AgentDayKey
{
	const char *agent;			/* the agent's id, its bytes (not terminated) */
	int			len;
	DateADT		day;
} AgentDayKey;

/*
 * An error unless argument argno of the pass what is given (not NULL).
 */
extern void pass_arg_required(FunctionCallInfo fcinfo, int argno, const char *what);

/*
 * appraisal.<name> (in namespace nsp) opened for reading with the caller's
 * rights: SELECT on it, and no row-level security in force on it (only a
 * query applies the policies).  what names the function, for the errors.
 */
extern Relation open_readable(Oid nsp, const char *name, const char *what);

/*
 * The numbers of rel's columns names[0 .. n - 1] (a NULL name ends the list
 * early) into attno, the largest into *last (left as it is when smaller);
 * how many.  A column missing is an error.
 */
extern int	columns_of(Relation rel, const char *const *names, int n, AttrNumber *attno, AttrNumber *last);

/*
 * A scan of part (0 .. parts - 1) of the first blocks pages of
 * appraisal.tickets, as the caller counted them, in the active snapshot: a
 * TID range scan, the last part running to the table's end, the table
 * opened with the caller's rights (open_readable) and its columns names[0
 * .. ncolumns - 1] looked up into attno.  part_scan_next gives each ticket
 * in slot, those columns read; a part that does not exist is an error naming
 * what (the function).
 */
typedef struct PartScan
{
	Relation	rel;
	TableScanDesc scan;
	TupleTableSlot *slot;
	AttrNumber	last;			/* the highest column read */
	uint32		n;				/* tickets read, for the interrupt checks */
} PartScan;

extern void part_scan_begin(PartScan *s, FunctionCallInfo fcinfo, const char *what, int32 part, int32 parts, int64 blocks,
							const char *const *names, int ncolumns, AttrNumber *attno);
extern bool part_scan_next(PartScan *s);
extern void part_scan_end(PartScan *s);

/* a hash table of agent-days (entries of entrysize, AgentDayKey first) in cxt */
extern HTAB *agent_days_create(Size entrysize, MemoryContext cxt);

/*
 * The entry of key, made (zeroed but for its key, the agent's bytes copied
 * into cxt) when it is new.
 */
extern void *agent_day_enter(HTAB *agent_days, const AgentDayKey *key, Size entrysize, MemoryContext cxt);

/*
 * Whether a table of agent-days (its memory: cxt) has outgrown what a hash
 * aggregate may take (work_mem times hash_mem_multiplier), looked at every
 * 1024 new agent-days (*next_check: AGENT_DAYS_CHECK for a new table).  A pass then
 * returns the rows it has and begins a new table: the caller rolls up the
 * rows of an agent-day, however many, so a pass's memory is bounded as a
 * hash aggregate's is (its rows, in a tuplestore, go to disk beyond
 * work_mem).
 */
#define AGENT_DAYS_CHECK 1024

static inline bool
agent_days_full(HTAB *agent_days, MemoryContext cxt, long *next_check)
{
	long		n = hash_get_num_entries(agent_days);

	if (n < *next_check)
		return false;
	*next_check = n + AGENT_DAYS_CHECK;
	return MemoryContextMemAllocated(cxt, true) > get_hash_memory_limit();
}

/*
 * The values of an agent-day's row from its entry, but for the first two
 * (the agent, or the key's text, and the day), which agent_days_emit sets.
 */
typedef void (*AgentDayRow) (const void *entry, Datum *values, bool *nulls);

/* every entry of a table of agent-days as a row of rsinfo's result (row: the rest of its values) */
extern void agent_days_emit(HTAB *agent_days, ReturnSetInfo *rsinfo, AgentDayRow row);

/*
 * The table to count into: agent_days itself, or, when it has outgrown a
 * hash aggregate's memory (agent_days_full), a new one in cxt (reset) after
 * its rows went to rsinfo's result.
 */
extern HTAB *agent_days_flush_if_full(HTAB *agent_days, Size entrysize, MemoryContext cxt, long *next_check,
									  ReturnSetInfo *rsinfo, AgentDayRow row);

/* local_day(instant, zone) called from C, with its own cache in f */
extern void local_day_init(FmgrInfo *f);

extern Datum local_day(PG_FUNCTION_ARGS);

static inline DateADT
local_day_of(FmgrInfo *f, TimestampTz t, Datum zone)
{
	return DatumGetDateADT(FunctionCall2(f, TimestampTzGetDatum(t), zone));
}

/* the bytes of a text column (ids are short: stored inline, not copied) */
static inline void
text_bytes(Datum d, const char **p, int *len)
{
	text	   *t = (text *) PG_DETOAST_DATUM_PACKED(d);

	*p = VARDATA_ANY(t);
	*len = VARSIZE_ANY_EXHDR(t);
}

/* whether a text column holds exactly the bytes of word */
static inline bool
text_is(Datum d, const char *word, int wordlen)
{
	const char *p;
	int			len;

	text_bytes(d, &p, &len);
	return len == wordlen && memcmp(p, word, len) == 0;
}

#endif							/* TICKET_PASS_H */
