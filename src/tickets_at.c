/*
 * tickets_at.c: the planner's estimate of appraisal.tickets_at(addresses),
 * the tickets at some addresses (ctid) that a changed refresh reads.
 *
 * tickets_at is a SQL function (a TID scan of appraisal.tickets, planned
 * with sequential scans off so that it stays one whatever the number of
 * addresses: the planner costs each fetch as a page read from disk, and
 * would scan 10M tickets for 60,000 of them).  Not inlined (it has a SET
 * clause), it would be expected to return its declared ROWS; this support
 * function gives the planner the number of addresses instead, as unnest
 * of the same array would, so that the query around it is planned for
 * the tickets it gets.
 */
#include "appraisal.h"

#include "nodes/supportnodes.h"
#include "nodes/nodeFuncs.h"

PG_FUNCTION_INFO_V1(tickets_at_support);

Datum
tickets_at_support(PG_FUNCTION_ARGS)
{
	Node	   *request = (Node *) PG_GETARG_POINTER(0);

	if (IsA(request, SupportRequestRows))
	{
		SupportRequestRows *rows = (SupportRequestRows *) request;

		if (is_funcclause(rows->node))
		{
			rows->rows = array_length_estimate(rows->root, linitial(((FuncExpr *) rows->node)->args));
			PG_RETURN_POINTER(rows);
		}
	}
	PG_RETURN_POINTER(NULL);
}
