/*
 * ticket_pass.h: what the passes in C over the tickets share
 * (ticket_pass.c): opening a table with the caller's rights, the bytes of a
 * text column, the local day of an opening, and a hash table of agent-days
 * keyed by the agent's bytes and the day.  Used by follow_up_pass.c and
 * agent_daily_pass.c.
 */
#ifndef TICKET_PASS_H
#define TICKET_PASS_H

#include "appraisal.h"

#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/rel.h"

/* an agent-day's key; the first member of every entry of its table */
typedef struct AgentDayKey
{
	const char *agent;			/* the agent's id, its bytes (not terminated) */
	int			len;
	DateADT		day;
} AgentDayKey;

/*
 * appraisal.<name> (in namespace nsp) opened for reading with the caller's
 * rights: SELECT on it, and no row-level security in force on it (only a
 * query applies the policies).  what names the function, for the errors.
 */
extern Relation open_readable(Oid nsp, const char *name, const char *what);

/* a hash table of agent-days (entries of entrysize, AgentDayKey first) in cxt */
extern HTAB *agent_days_create(Size entrysize, MemoryContext cxt);

/*
 * The entry of key, made (zeroed but for its key, the agent's bytes copied
 * into cxt) when it is new.
 */
extern void *agent_day_enter(HTAB *agent_days, const AgentDayKey *key, Size entrysize, MemoryContext cxt);

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
