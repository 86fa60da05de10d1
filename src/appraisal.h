/*
 * appraisal.h: declarations shared by every source file of the extension:
 * rater roles, value checks, decimal fixed point, the lexer of the text
 * forms and named-configuration look-ups.  Each concern lives in its own
 * file; see ARCHITECTURE.md.
 */
#ifndef APPRAISAL_H
#define APPRAISAL_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "access/xact.h"
#include "storage/proc.h"
#include "utils/numeric.h"
#include "utils/snapmgr.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

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
 * The text form holds fixed-point numbers below 10^20, so below 10^38 in
 * units of 10^-18: within 128 bits (about 1.7 10^38).  A sum of such numbers
 * can pass that; whoever adds them checks (sla_stats keeps whole
 * microseconds below 10^26, ratings bound their sums by their counts).
 */
#define FIXED_WHOLE_LIMIT ((int128) 10000000000LL * 10000000000LL)

/*
 * Parse a non-negative decimal number ("270", "171.5") into fixed point;
 * returns the position after it, or NULL when no number starts at s, it
 * has more fractional digits than FIXED_DIGITS or is not below 10^20.
 */
extern const char *fixed_parse(const char *s, int128 *result);

/* Shortest text that reads back as the same double (no GUC dependence). */
extern void double_append(StringInfo buf, double value);
extern char *double_str(double value);	/* the same, palloc'd: for messages */

/* ------------------------------------------------------- exact percentages */

/*
 * 100 * part / whole of two counts, exact, truncated to two decimals (2 of 3
 * is 66.66): the one rule every rate a scorecard shows is computed by
 * (percent.c).  whole > 0.
 */
extern Numeric count_percent(int64 part, int128 whole);

/* ------------------------------------------------------------ text forms */

/*
 * Reading the text forms of the extension's types (textform.c), so that each
 * parser reads as a description of its grammar.
 *
 * White space is the six characters isspace() takes in the C locale (space,
 * \t, \n, \v, \f, \r), whatever the server's locale, so that a text reads
 * alike on every node.  It may stand before and after every token and never
 * inside one; each reader skips it before its token.  A word does not run on
 * into a letter or "_": "using" is not the start of "usingsuperior".
 *
 * Malformed text has one error, naming the type and quoting the whole input,
 * then the rule it broke and where (up to the end of that part of the text,
 * at most 40 bytes):
 *   ERROR:  invalid input syntax for type appraisal.fcr_stats: "resolved=x"
 *   DETAIL:  Expected a count after "resolved=" at "x".
 *   HINT:  The text form reads like 'resolved=10 first_contact=7 recurred=2'.
 * Syntax errors are 22P02 and come with the hint.  A number beyond its type
 * is 22003, NaN 22023 and an infinity 22003 (as check_finite), and a form may
 * give a token out of its range a SQLSTATE of its own; their message reads
 * "invalid input value for type ...".  Rules about the value as a whole stay
 * with each type (and apply to binary input alike).
 */
typedef struct TextForm
{
	const char *type;			/* the SQL type in appraisal: "grade_scale_spec" */
	const char *example;		/* a valid text, for the hint */
	const char *part_ends;		/* what ends a quoted part; ' ': white space */
	const char *label_stops;	/* besides white space, NUL and '"', what
								 * ends a bare label (and makes one quoted) */
	bool		any_case;		/* words match in upper or lower case */
} TextForm;

/* A text being read: its form, the whole text, and where reading goes on. */
typedef struct FormInput
{
	const TextForm *form;
	const char *text;
	const char *p;
} FormInput;

static inline bool
form_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

extern void form_start(FormInput *in, const TextForm *form, const char *text);

/* The one error of malformed text: expected names the rule broken at at. */
extern void form_error(const FormInput *in, const char *at, int sqlerrcode,
					   const char *expected) pg_attribute_noreturn();
#define form_syntax_error(in, at, expected) \
	form_error((in), (at), ERRCODE_INVALID_TEXT_REPRESENTATION, (expected))

/* Skip white space; returns where the next token starts. */
extern const char *form_skip(FormInput *in);

/*
 * Punctuation or a word: form_accept reads it if it comes next, form_expect
 * demands it (expected NULL: the token, quoted, is what was expected), and
 * form_end demands the end of the text.
 */
extern bool form_accept(FormInput *in, const char *token);
extern void form_expect(FormInput *in, const char *token, const char *expected);
extern void form_end(FormInput *in, const char *expected);

/*
 * Numbers, one grammar for each kind:
 *   number   [+-]?(digits[.[digits]]|.digits)([eE][+-]?digits)?, decimal
 *            only, read as float8 input reads it: beyond double precision
 *            (overflow, or underflow to zero) is out of range, subnormal
 *            numbers are not; a point followed by another is not part of the
 *            number ("0..100" is 0, "..", 100); NaN and infinities are not
 *            finite;
 *   integer  [+-]?digits within bigint;
 *   decimal  digits[.digits], at most FIXED_DIGITS decimals, read exactly
 *            (fixed_parse).
 * form_number_len is the length of the number at p, 0 when none starts there;
 * form_accept_number reads one if one comes next.
 */
extern int	form_number_len(const char *p);
extern bool form_accept_number(FormInput *in, double *value);
extern double form_number(FormInput *in, const char *expected);
extern int64 form_integer(FormInput *in, const char *expected);

/* Fields name=value, the value an integer (a count), number or decimal. */
extern int64 form_count_field(FormInput *in, const char *name);
extern double form_number_field(FormInput *in, const char *name);
extern int128 form_decimal_field(FormInput *in, const char *name);

/* A rater role's label: its index. */
extern int	form_role(FormInput *in);

/* A bare or double-quoted label ("" is a quote), unquoted. */
extern char *form_label(FormInput *in);
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

/*
 * What a look-up of named configuration could see: the transaction, the
 * subtransaction (the rows of one rolled back are gone) and the snapshot.
 * Two snapshots with the same bounds, command and count of completed
 * transactions see the same rows (PostgreSQL reuses a snapshot on that
 * test); one without that count (restored in a parallel worker, imported)
 * is the same only as itself.  Without an active snapshot nothing is kept.
 */
typedef struct ReadStamp
{
	bool		valid;
	LocalTransactionId lxid;
	SubTransactionId subxid;
	TransactionId xmin;
	TransactionId xmax;
	CommandId	curcid;
	uint64		completion;
	const void *snapshot;		/* when completion is 0 */
} ReadStamp;

static inline ReadStamp
read_stamp(void)
{
	ReadStamp	s = {0};
	Snapshot	snap;

	if (!ActiveSnapshotSet())
		return s;
	snap = GetActiveSnapshot();
	s.valid = true;
	s.lxid = current_lxid();
	s.subxid = GetCurrentSubTransactionId();
	s.xmin = snap->xmin;
	s.xmax = snap->xmax;
	s.curcid = snap->curcid;
	s.completion = snap->snapXactCompletionCount;
	s.snapshot = s.completion == 0 ? (const void *) snap : NULL;
	return s;
}

/* whether values read under stamp are what a read now would give */
static inline bool
read_stamp_current(const ReadStamp *stamp)
{
	ReadStamp	now = read_stamp();

	return stamp->valid && now.valid &&
		stamp->lxid == now.lxid && stamp->subxid == now.subxid &&
		stamp->xmin == now.xmin && stamp->xmax == now.xmax &&
		stamp->curcid == now.curcid && stamp->completion == now.completion &&
		stamp->snapshot == now.snapshot;
}

typedef struct NamedCache
{
	ReadStamp	stamp;			/* what the names were read under */
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
 * Whether the values in cache are what a read now would give: then a
 * constant name's value is the one it gave last (the per-row path of a
 * constant name, without comparing the name).
 */
static inline bool
named_cache_current(const NamedCache *cache)
{
	return read_stamp_current(&cache->stamp);
}

/* ---------------------------------------------------------------- csat */

#define MAX_RATING 10			/* ratings are 0..10 at most */
#define MIN_SCALE_MAX 2			/* 1..2 is the smallest scale */

/* appraisal.csat_stats (csat.c): responses per rating value on one scale */
typedef struct CsatStats
{
	int32		scale_min;		/* 0 or 1; 0 with scale_max 0: empty */
	int32		scale_max;		/* 2..10, or 0 when empty */
	int64		count[MAX_RATING + 1];	/* responses per rating value */
} CsatStats;

/*
 * Add a rating on the scale 1..scale_max, as csat_agg(rating, scale_max)
 * does, with its errors for a rating off the scale or an unsupported scale.
 */
extern void csat_stats_add(CsatStats *st, int32 rating, int32 scale_max);

/* ---------------------------------------------------------------- fcr */

/* appraisal.fcr_stats (fcr.c) */
typedef struct FcrStats
{
	int64		resolved;		/* items with contacts not NULL */
	int64		first_contact;	/* ... resolved on contact 1, did not recur */
	int64		recurred;		/* ... whose customer came back in the window */
} FcrStats;

/* The comparison of SQL's interval operators (interval_cmp: by length). */
static inline int
interval_compare(Interval *a, Interval *b)
{
	return DatumGetInt32(DirectFunctionCall2(interval_cmp,
											 IntervalPGetDatum(a),
											 IntervalPGetDatum(b)));
}

/*
 * fcr_agg(contacts, repeat_gap, repeat_window)'s step for a resolved item
 * (gap NULL: the customer did not come back; window NULL: an error).
 */
extern void fcr_stats_add(FcrStats *st, int32 contacts, const Interval *gap, const Interval *window);

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
