/*
 * appraisal.h: declarations shared by every source file of the extension:
 * rater roles, value checks, decimal fixed point and named-configuration
 * look-ups.  Each concern lives in its own file; see ARCHITECTURE.md.
 */
#ifndef APPRAISAL_H
#define APPRAISAL_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "access/xact.h"
#include "storage/proc.h"

#include "compat.h"			/* what differs between server versions */

#ifndef HAVE_INT128
#error "appraisal needs a compiler with a 128-bit integer type"
#endif

/* ---------------------------------------------------------------- roles */

/*
 * The values of the SQL enum appraisal.rater_role, in its declaration order.
 * C code never relies on enum OIDs: a value is mapped to its index by label
 * (common.c), so a state computed on one node means the same on another.
 */
typedef enum RaterRole
{
	ROLE_SUPERIOR = 0,
	ROLE_PEER,
	ROLE_SUBORDINATE,
	ROLE_SELF,
	ROLE_CUSTOMER
} RaterRole;

#define NROLES 5

extern const char *const role_names[NROLES];

/* Index of a role label of the given length, or -1 when it names none. */
extern int	role_from_label(const char *label, int len);

/* Per-call-site cache of enum value OID -> role index; zero-initialise. */
typedef struct RoleMap
{
	Oid			oid[NROLES];
} RoleMap;

extern int	role_index_slow(RoleMap *map, Oid value);

static inline int
role_index(RoleMap *map, Oid value)
{
	for (int i = 0; i < NROLES; i++)
		if (map->oid[i] == value)
			return i;
	return role_index_slow(map, value);
}

/* ---------------------------------------------------------------- checks */

/*
 * Error unless value is a finite number within [lo, hi]; what names the
 * value in the message ("score", "weight").  NaN is 22023, infinities and
 * out-of-range values are 22003.  Inline: it runs once per row.
 */
extern void range_error(double value, double lo, double hi,
						const char *what) pg_attribute_noreturn();

static inline void
check_in_range(double value, double lo, double hi, const char *what)
{
	if (unlikely(!(value >= lo && value <= hi)))
		range_error(value, lo, hi, what);
}

/* A score on the 0-100 scale. */
#define check_score(v) check_in_range((v), 0.0, 100.0, "score")

/* Error unless value is finite; NaN is 22023, infinities 22003. */
extern void check_finite(double value, const char *what);

/* ------------------------------------------------------- decimal fixed point */

/*
 * Sums of scores are kept exactly as integers in units of 10^-18 points
 * (fixed.c).  A score is taken at 15 significant digits, which recovers the
 * decimal the user wrote (89.7, not 89.70000000000000284), so sums are exact
 * decimal sums, associative and order-independent: parallel, serial and
 * rolled-up results agree to the last digit, and 89.7 + 90.3 is exactly 180.
 */
#define FIXED_DIGITS 18

extern int128 fixed_from_double(double value);	/* value finite and >= 0 */
extern long double fixed_to_ldouble(int128 value);
extern void fixed_append(StringInfo buf, int128 value);

/*
 * Parse a non-negative decimal number ("270", "171.5") into fixed point;
 * returns the position after it, or NULL when no number starts at s or it
 * has more fractional digits than FIXED_DIGITS.
 */
extern const char *fixed_parse(const char *s, int128 *result);

/* Shortest text that reads back as the same double (no GUC dependence). */
extern void double_append(StringInfo buf, double value);
extern char *double_str(double value);	/* the same, palloc'd: for messages */

/* ------------------------------------------------------------ text forms */

/*
 * Lexing shared by the text forms made of labels and numbers (textform.c).
 * A form is named in messages (what), quoted in syntax errors up to its
 * separator, and has characters that end a bare label besides white space,
 * NUL and the double quote (label_stops); labels holding any are quoted.
 */
typedef struct TextForm
{
	const char *what;			/* "grade scale" */
	char		separator;		/* between bands: ',' */
	const char *label_stops;	/* ",:>=" */
} TextForm;

extern void form_syntax_error(const TextForm *form, const char *at,
							  const char *expected) pg_attribute_noreturn();
extern const char *form_skip_space(const char *p);

/*
 * Length of the number at p: -?(digits[.digits]|.digits)([eE][+-]?digits)?,
 * or 0 when none starts there.  Scanned by hand because strtod would read
 * "0." out of "0..100", and "nan" or "inf" as numbers.
 */
extern int	form_number_len(const char *p);

/* The finite number at p (else a syntax error); returns the end. */
extern const char *form_number(const TextForm *form, const char *p, double *result);

/* A bare or double-quoted label ("" is a quote), unquoted into *label. */
extern const char *form_label(const TextForm *form, const char *p, char **label);
extern void form_append_label(const TextForm *form, StringInfo buf, const char *label);

/* ---------------------------------------------------- named configuration */

/*
 * Named values (weight schemes, grade scales, later calendars) live in
 * tables appraisal.<table>(name text primary key, <column> <type>).  A call
 * site resolves a name once and keeps the value in a small cache in its
 * fn_extra, so no row ever causes a catalog or table look-up.
 */
#define NAMED_CACHE_SIZE 8

typedef struct NamedConfig
{
	const char *table;			/* e.g. "weight_scheme" */
	const char *column;			/* e.g. "scheme" */
	const char *what;			/* e.g. "weight scheme", for messages */
	int16		typlen;			/* length of the value type (-1 varlena) */
	const char *type;			/* the value type, e.g. "weight_scheme_spec" */
} NamedConfig;

typedef struct NamedCache
{
	LocalTransactionId lxid;	/* the names were read in this transaction */
	CommandId	cid;			/* ... and command */
	int			n;
	int			next;			/* slot replaced when full */
	uint64		loads;			/* values read (or forgotten) so far */
	char	   *names[NAMED_CACHE_SIZE];
	int			lens[NAMED_CACHE_SIZE];
	Pointer		values[NAMED_CACHE_SIZE];
} NamedCache;

/*
 * The value stored under name, from cache or looked up (then copied into
 * mcxt).  An unknown name is an error naming it (42704).
 */
extern Pointer named_config(NamedCache *cache, MemoryContext mcxt,
							const NamedConfig *kind, text *name);

/*
 * Whether the values in cache were read by the current command: then a
 * constant name's value is the one it gave last (the per-row path of a
 * constant name, without comparing the name).
 */
static inline bool
named_cache_current(const NamedCache *cache)
{
	return cache->lxid == current_lxid() && cache->cid == GetCurrentCommandId(false);
}

/*
 * The aggregate state in argument 0, to be changed in place: inside an
 * aggregate it is ours (copied from INITCOND into the aggregate's memory),
 * so no row allocates anything; called directly it is copied first.  A NULL
 * state (non-strict transition functions) starts zeroed.  Inline: it runs
 * once per row.
 */
static inline void *
agg_state(FunctionCallInfo fcinfo, Size size)
{
	MemoryContext aggcontext;
	void	   *state;

	if (AggCheckCallContext(fcinfo, &aggcontext))
	{
		if (!PG_ARGISNULL(0))
			return PG_GETARG_POINTER(0);
		return MemoryContextAllocZero(aggcontext, size);
	}
	state = palloc0(size);
	if (!PG_ARGISNULL(0))
		memcpy(state, PG_GETARG_POINTER(0), size);
	return state;
}

/*
 * Whether argument argno of this call (of an aggregate call, in a
 * transition function) is a constant: then it can be resolved once per call
 * site instead of compared on every row.
 */
extern bool arg_is_const(FunctionCallInfo fcinfo, int argno);

/*
 * The type of argument argno, from the call or else the function's
 * declaration (callers such as Citus's worker_partial_agg pass no call
 * expression).  Once per call site: it may read the catalog.
 */
extern Oid	arg_type(FunctionCallInfo fcinfo, int argno);

/* Allocate (zeroed) or fetch the fn_extra struct of a call site. */
static inline void *
call_cache(FunctionCallInfo fcinfo, Size size)
{
	if (unlikely(fcinfo->flinfo->fn_extra == NULL))
		fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, size);
	return fcinfo->flinfo->fn_extra;
}

#endif							/* APPRAISAL_H */
