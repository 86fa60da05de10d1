/*
 * ticket_pass.c: what the passes in C over the tickets share (declared in
 * ticket_pass.h): opening a table with the caller's rights, its columns'
 * numbers, a scan of a part of its pages, and the hash table of agent-days.
 */
#include "ticket_pass.h"

#include "access/table.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rls.h"

void
pass_arg_required(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: argument %d must not be NULL", what, argno + 1)));
}

Relation
open_readable(Oid nsp, const char *name, const char *what)
{
	Oid			relid = get_relname_relid(name, nsp);
	AclResult	acl;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table appraisal.%s does not exist", name)));
	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, name);
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("appraisal.%s cannot read appraisal.%s: row-level security is in force on it", what, name),
				 errhint("Use the summary's rows function, which reads the tables through queries.")));
	return table_open(relid, AccessShareLock);
}

int
columns_of(Relation rel, const char *const *names, int n, AttrNumber *attno, AttrNumber *last)
{
	int			c;

	for (c = 0; c < n && names[c] != NULL; c++)
	{
		attno[c] = get_attnum(RelationGetRelid(rel), names[c]);
		if (attno[c] == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column %s of appraisal.%s does not exist", names[c], RelationGetRelationName(rel))));
		*last = Max(*last, attno[c]);
	}
	return c;
}

void
part_scan_begin(PartScan *s, FunctionCallInfo fcinfo, const char *what, int32 part, int32 parts, int64 blocks,
				const char *const *names, int ncolumns, AttrNumber *attno)
{
	ItemPointerData mintid,
				maxtid;

	if (parts < 1 || part < 0 || part >= parts || blocks < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: part %d of %d parts of %lld blocks does not exist",
						what, part, parts, (long long) blocks)));
	/* the part's pages: [part, part + 1) of parts of blocks, the last to the end */
	ItemPointerSet(&mintid, (BlockNumber) (blocks * part / parts), FirstOffsetNumber);
	if (part == parts - 1)
		ItemPointerSet(&maxtid, MaxBlockNumber, MaxOffsetNumber);
	else if (blocks * (part + 1) / parts > blocks * part / parts)
		ItemPointerSet(&maxtid, (BlockNumber) (blocks * (part + 1) / parts - 1), MaxOffsetNumber);
	else
		ItemPointerSet(&maxtid, 0, InvalidOffsetNumber);	/* no page: before mintid */
	s->rel = open_readable(get_func_namespace(fcinfo->flinfo->fn_oid), "tickets", what);
	s->last = 0;
	columns_of(s->rel, names, ncolumns, attno, &s->last);
	s->scan = table_beginscan_tidrange(s->rel, GetActiveSnapshot(), &mintid, &maxtid);
	s->slot = table_slot_create(s->rel, NULL);
	s->n = 0;
}

bool
part_scan_next(PartScan *s)
{
	if (!table_scan_getnextslot_tidrange(s->scan, ForwardScanDirection, s->slot))
		return false;
	if ((++s->n & 0xFFF) == 0)
		CHECK_FOR_INTERRUPTS();
	slot_getsomeattrs(s->slot, s->last);
	return true;
}

void
part_scan_end(PartScan *s)
{
	table_endscan(s->scan);
	ExecDropSingleTupleTableSlot(s->slot);
	table_close(s->rel, AccessShareLock);
}

static uint32
agent_day_hash(const void *key, Size keysize)
{
	const AgentDayKey *k = (const AgentDayKey *) key;

	(void) keysize;
	return hash_combine(hash_bytes((const unsigned char *) k->agent, k->len), murmurhash32((uint32) k->day));
}

static int
agent_day_match(const void *key1, const void *key2, Size keysize)
{
	const AgentDayKey *a = (const AgentDayKey *) key1;
	const AgentDayKey *b = (const AgentDayKey *) key2;

	(void) keysize;
	return a->day == b->day && a->len == b->len && memcmp(a->agent, b->agent, a->len) == 0 ? 0 : 1;
}

HTAB *
agent_days_create(Size entrysize, MemoryContext cxt)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(AgentDayKey);
	ctl.entrysize = entrysize;
	ctl.hash = agent_day_hash;
	ctl.match = agent_day_match;
	ctl.hcxt = cxt;
	return hash_create("appraisal agent-days", 1024, &ctl, HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

void *
agent_day_enter(HTAB *agent_days, const AgentDayKey *key, Size entrysize, MemoryContext cxt)
{
	bool		found;
	AgentDayKey *entry = (AgentDayKey *) hash_search(agent_days, key, HASH_ENTER, &found);

	if (!found)
	{
		char	   *agent = MemoryContextAlloc(cxt, key->len);

		memcpy(agent, key->agent, key->len);
		memset(entry, 0, entrysize);
		entry->agent = agent;
		entry->len = key->len;
		entry->day = key->day;
	}
	return entry;
}

/* the most columns a pass's row has */
#define MAX_ROW_COLUMNS 16

void
agent_days_emit(HTAB *agent_days, ReturnSetInfo *rsinfo, AgentDayRow row)
{
	HASH_SEQ_STATUS seq;
	AgentDayKey *e;

	Assert(rsinfo->setDesc->natts <= MAX_ROW_COLUMNS);
	hash_seq_init(&seq, agent_days);
	while ((e = (AgentDayKey *) hash_seq_search(&seq)) != NULL)
	{
		Datum		values[MAX_ROW_COLUMNS];
		bool		nulls[MAX_ROW_COLUMNS] = {0};

		values[0] = PointerGetDatum(cstring_to_text_with_len(e->agent, e->len));
		values[1] = DateADTGetDatum(e->day);
		row(e, values, nulls);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

HTAB *
agent_days_flush_if_full(HTAB *agent_days, Size entrysize, MemoryContext cxt, long *next_check,
						 ReturnSetInfo *rsinfo, AgentDayRow row)
{
	if (!agent_days_full(agent_days, cxt, next_check))
		return agent_days;
	agent_days_emit(agent_days, rsinfo, row);
	MemoryContextReset(cxt);
	*next_check = AGENT_DAYS_CHECK;
	return agent_days_create(entrysize, cxt);
}

void
local_day_init(FmgrInfo *f)
{
	memset(f, 0, sizeof(FmgrInfo));
	f->fn_addr = local_day;
	f->fn_nargs = 2;
	f->fn_strict = true;
	f->fn_mcxt = CurrentMemoryContext;
	f->fn_oid = InvalidOid;
}
