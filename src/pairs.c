/*
 * pairs.c: whether a pair of keys is among a list of pairs.
 *
 * pair_in(a, b, a_list, b_list) is (a, b) IN (SELECT * FROM unnest(a_list,
 * b_list)) for a text a and a text or date b: what the refresh asks of
 * every ticket when it recomputes some agent-days (agent, day) or reads
 * the tickets of some customers (customer, category).  The lists are
 * hashed once per call site when they are constants or the query's
 * parameters (as in the refresh's queries), else whenever they change; a row then
 * costs the hash of its bytes, one bit looked up (most rows are no listed
 * pair) and, if set, a probe.  At 10M tickets against 4,106 agent-days that
 * is about 65 ns a row over the bare scan, where the executor's hash join
 * on the same test spends about 145 ns (docs/performance.md).  Texts
 * compare by their bytes: equality under every deterministic collation,
 * the only kind a column here can have.
 */
#include "appraisal.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(pair_in_text);
PG_FUNCTION_INFO_V1(pair_in_date);

typedef struct PairSlot
{
	uint32		hash;
	uint32		alen;			/* bytes of a, then of b, at offset in keys */
	uint32		blen;
	uint32		offset;			/* 0: an empty slot (keys start at 1) */
} PairSlot;

typedef struct PairSet
{
	MemoryContext mcxt;			/* holds slots and keys */
	bool		built;
	bool		stable;			/* the lists cannot change between calls */
	struct varlena *seen[2];	/* else the lists hashed, as they came */
	uint32		mask;
	PairSlot   *slots;
	uint32		bit_mask;		/* 64 bits or more a pair: most rows are no */
	uint64	   *bits;			/* pair, and told so without the slots */
	char	   *keys;
} PairSet;

/* the bytes of a key part: a text's, or a date's own four */
static inline const char *
part_bytes(Datum d, bool is_text, DateADT *scratch, uint32 *len)
{
	if (is_text)
	{
		text	   *t = DatumGetTextPP(d);

		*len = VARSIZE_ANY_EXHDR(t);
		return VARDATA_ANY(t);
	}
	*scratch = DatumGetDateADT(d);
	*len = sizeof(DateADT);
	return (const char *) scratch;
}

static inline uint32
pair_hash(const char *a, uint32 alen, const char *b, uint32 blen)
{
	/* (murmurhash32 mixes the combination into the low bits the table uses) */
	return murmurhash32(hash_combine(hash_bytes((const unsigned char *) a, (int) alen),
									 hash_bytes((const unsigned char *) b, (int) blen)));
}

/* the bit of a hash in bits (from other bits of it than the slot's) */
static inline uint32
pair_bit(const PairSet *set, uint32 hash)
{
	return pg_rotate_right32(hash, 16) & set->bit_mask;
}

/* the slot of (a, b): the one holding it, or the empty one it would take */
static inline PairSlot *
pair_slot(const PairSet *set, uint32 hash, const char *a, uint32 alen, const char *b, uint32 blen)
{
	for (uint32 i = hash & set->mask;; i = (i + 1) & set->mask)
	{
		PairSlot   *s = &set->slots[i];

		if (s->offset == 0 ||
			(s->hash == hash && s->alen == alen && s->blen == blen &&
			 memcmp(set->keys + s->offset, a, alen) == 0 &&
			 memcmp(set->keys + s->offset + alen, b, blen) == 0))
			return s;
	}
}

static void
pair_set_build(PairSet *set, ArrayType *a_list, ArrayType *b_list, bool b_is_text)
{
	Datum	   *ae,
			   *be;
	bool	   *an,
			   *bn;
	int			n,
				nb;
	Size		bytes = 1;
	uint32		size = 8;
	char	   *at;

	if (ARR_NDIM(a_list) > 1 || ARR_NDIM(b_list) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("pair_in takes one-dimensional lists")));
	deconstruct_array(a_list, TEXTOID, -1, false, TYPALIGN_INT, &ae, &an, &n);
	if (b_is_text)
		deconstruct_array(b_list, TEXTOID, -1, false, TYPALIGN_INT, &be, &bn, &nb);
	else
		deconstruct_array(b_list, DATEOID, sizeof(DateADT), true, TYPALIGN_INT, &be, &bn, &nb);
	if (n != nb)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pair_in: the lists of pairs have %d and %d elements", n, nb),
				 errdetail("The i-th pair is made of the i-th element of each list: both lists must be as long.")));
	for (int i = 0; i < n; i++)
		if (!an[i] && !bn[i])
			bytes += VARSIZE_ANY_EXHDR(DatumGetTextPP(ae[i])) +
				(b_is_text ? VARSIZE_ANY_EXHDR(DatumGetTextPP(be[i])) : sizeof(DateADT));
	if (bytes > PG_UINT32_MAX || n > (int) (MaxAllocSize / sizeof(PairSlot) / 8))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("pair_in: %d pairs are too many to hash", n)));
	while (size < (uint32) n * 4)	/* at most a quarter full: short probes */
		size *= 2;

	MemoryContextReset(set->mcxt);
	set->slots = MemoryContextAllocZero(set->mcxt, sizeof(PairSlot) * size);
	set->keys = MemoryContextAlloc(set->mcxt, bytes);
	set->mask = size - 1;
	set->bits = MemoryContextAllocZero(set->mcxt, size * 2);	/* 16 bits a slot */
	set->bit_mask = size * 16 - 1;
	at = set->keys + 1;
	for (int i = 0; i < n; i++)
	{
		const char *a,
				   *b;
		uint32		alen,
					blen,
					hash;
		DateADT		day;
		PairSlot   *s;

		if (an[i] || bn[i])
			continue;			/* a NULL in a pair matches nothing */
		a = part_bytes(ae[i], true, &day, &alen);
		b = part_bytes(be[i], b_is_text, &day, &blen);
		hash = pair_hash(a, alen, b, blen);
		s = pair_slot(set, hash, a, alen, b, blen);
		if (s->offset != 0)
			continue;			/* listed twice */
		memcpy(at, a, alen);
		memcpy(at + alen, b, blen);
		s->hash = hash;
		s->alen = alen;
		s->blen = blen;
		s->offset = at - set->keys;
		set->bits[pair_bit(set, hash) / 64] |= UINT64CONST(1) << (pair_bit(set, hash) % 64);
		at += alen + blen;
	}
	set->built = true;
}

/*
 * Lists that may change from row to row (a column of another table, say)
 * are kept as they came, not detoasted: a value stored out of line on disk
 * as its pointer, which names it alone (values are never changed in place),
 * an inline one as its bytes.  The same lists on the next row are then known
 * by comparing those few bytes (or the inline value's), and not hashed
 * again.  A pointer into memory (an expanded array, an indirect value) names
 * no value for good: NULL, hashed anew.
 */
static inline bool
kept_as_it_came(const struct varlena *v)
{
	return !VARATT_IS_EXTERNAL(v) || VARATT_IS_EXTERNAL_ONDISK(v);
}

static struct varlena *
as_it_came(MemoryContext mcxt, Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	struct varlena *copy;

	if (!kept_as_it_came(v))
		return NULL;
	copy = MemoryContextAlloc(mcxt, VARSIZE_ANY(v));
	memcpy(copy, v, VARSIZE_ANY(v));
	return copy;
}

static bool
lists_seen(const PairSet *set, FunctionCallInfo fcinfo)
{
	for (int i = 0; i < 2; i++)
	{
		struct varlena *v = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(2 + i));

		if (set->seen[i] == NULL || !kept_as_it_came(v) ||
			VARSIZE_ANY(v) != VARSIZE_ANY(set->seen[i]) ||
			memcmp(v, set->seen[i], VARSIZE_ANY(v)) != 0)
			return false;
	}
	return true;
}

static inline Datum
pair_in(FunctionCallInfo fcinfo, bool b_is_text)
{
	PairSet    *set = call_cache(fcinfo, sizeof(PairSet));
	const char *a,
			   *b;
	uint32		alen,
				blen,
				hash,
				bit;
	DateADT		day;

	if (set->mcxt == NULL)
	{
		set->mcxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "pair_in",
										  ALLOCSET_DEFAULT_SIZES);
		set->stable = get_fn_expr_arg_stable(fcinfo->flinfo, 2) &&
			get_fn_expr_arg_stable(fcinfo->flinfo, 3);
	}
	if (!set->built || (!set->stable && !lists_seen(set, fcinfo)))
	{
		pair_set_build(set, PG_GETARG_ARRAYTYPE_P(2), PG_GETARG_ARRAYTYPE_P(3), b_is_text);
		if (!set->stable)
			for (int i = 0; i < 2; i++)
				set->seen[i] = as_it_came(set->mcxt, PG_GETARG_DATUM(2 + i));
	}
	a = part_bytes(PG_GETARG_DATUM(0), true, &day, &alen);
	b = part_bytes(PG_GETARG_DATUM(1), b_is_text, &day, &blen);
	hash = pair_hash(a, alen, b, blen);
	bit = pair_bit(set, hash);
	if ((set->bits[bit / 64] & (UINT64CONST(1) << (bit % 64))) == 0)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(pair_slot(set, hash, a, alen, b, blen)->offset != 0);
}

/* pair_in(a text, b text, a_list text[], b_list text[]) */
Datum
pair_in_text(PG_FUNCTION_ARGS)
{
	return pair_in(fcinfo, true);
}

/* pair_in(a text, b date, a_list text[], b_list date[]) */
Datum
pair_in_date(PG_FUNCTION_ARGS)
{
	return pair_in(fcinfo, false);
}
